// The global logging switch. Logs never hold a token or code.

let logging = false;
let checkedWorkerSrc = false;

/** Logs what the module does to the console. */
export function enableLogging() {
  logging = true;
  warnIfBlobWorkersAllowed();
}

export function disableLogging() {
  logging = false;
}

export function log(level, ...args) {
  if (logging) console[level]('[snworker]', ...args);
}

const checkedKey = 'snworker:worker-src-checked';

// A page whose CSP lets a blob: worker start lets page script start the
// real worker inside a Blob of its own that hooks fetch. Tell developers.
// The check's refusal shows in the console as an error, so it runs once a
// tab (the sign-in window inherits the tab's sessionStorage), and says so.
function warnIfBlobWorkersAllowed() {
  if (checkedWorkerSrc || typeof Worker !== 'function' || typeof Blob !== 'function') return;
  checkedWorkerSrc = true;
  try {
    if (sessionStorage.getItem(checkedKey)) return;
    sessionStorage.setItem(checkedKey, '1');
  } catch {
    // no storage: check in this page
  }
  log('info', "checking that this page's Content-Security-Policy refuses blob: workers: the browser logs the refusal as an error, which is the answer hoped for; this runs once a tab");
  const url = URL.createObjectURL(new Blob(['postMessage(0)'], { type: 'text/javascript' }));
  let w;
  const end = () => {
    w?.terminate();
    URL.revokeObjectURL(url);
  };
  try {
    w = new Worker(url);
  } catch {
    end(); // refused at once: the CSP is doing its job
    return;
  }
  w.onmessage = () => {
    end();
    log('warn', "this page lets blob: workers start: its Content-Security-Policy has no worker-src 'self'. Without it, script in the page can run the worker in a Blob of its own and read the tokens; see the README's security model");
  };
  w.onerror = (e) => {
    e.preventDefault();
    end(); // refused: the CSP is doing its job
  };
}

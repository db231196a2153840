// The global logging switch. Logs never hold a token or code.

let logging = false;
let checkedWorkerSrc = false;

/** Logs what the bridge does to the console. */
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

// A page whose CSP lets a blob: worker start lets page script start the
// real worker inside a Blob of its own that hooks fetch. Tell developers.
function warnIfBlobWorkersAllowed() {
  if (checkedWorkerSrc || typeof Worker !== 'function' || typeof Blob !== 'function') return;
  checkedWorkerSrc = true;
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

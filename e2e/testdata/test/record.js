// The token audit's recorder: every message between the page and its
// workers, and everything else page script can see. Import it before
// servicenow.js connects: it replaces Worker with one that records.

const decoder = new TextDecoder();
export const text = (b) => (b instanceof ArrayBuffer || ArrayBuffer.isView(b) ? decoder.decode(b) : b);
// Bodies over 4 MiB (only the hostile tests' oversized ones) are recorded by size.
const bodyText = (b) => (b.byteLength > 4 << 20 ? `(${b.byteLength} bytes)` : text(b));
const wire = (d) => ({ json: d?.json, body: d?.body === undefined ? undefined : bodyText(d.body) });

export const record = { fromWorker: [], toWorker: [], workerEvents: [], connEvents: [], windowMessages: [], violations: [], workers: 0, opens: 0, windows: [] };
export const workers = [];

// held, while a test holds them, delays the messages the page sends its
// workers: a sign-in window then stays blank until the test has it in hand.
let held = null;
export function holdWorkers() {
  let release;
  held = new Promise((resolve) => {
    release = resolve;
  });
  return () => {
    held = null;
    release();
  };
}
export function sendHeld(send) {
  if (held) held.then(send);
  else send();
}

export const nativePostMessage = Worker.prototype.postMessage;
class RecordingWorker extends Worker {
  constructor(...args) {
    super(...args);
    record.workers++;
    workers.push(this);
    this.addEventListener('message', (e) => record.fromWorker.push(wire(e.data)));
  }

  postMessage(message, transfer) {
    record.toWorker.push(wire(message)); // before the body is transferred
    sendHeld(() => super.postMessage(message, transfer));
  }
}
globalThis.Worker = RecordingWorker;

// Counts window.open calls, to tell whether connect() opened its window
// within the click, before any await.
const nativeOpen = window.open;
window.open = function open(...args) {
  record.opens++;
  const w = nativeOpen.apply(this, args);
  record.windows.push(w);
  return w;
};

// snapshot is everything page script can see that a token must never be in.
export async function snapshot(connection) {
  const dbs = indexedDB.databases ? await indexedDB.databases() : [];
  const store = (s) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => [s.key(i), s.getItem(s.key(i))]));
  return {
    fromWorker: JSON.stringify(record.fromWorker),
    toWorker: JSON.stringify(record.toWorker),
    events: JSON.stringify([record.workerEvents, record.connEvents]),
    connection: JSON.stringify(connection),
    localStorage: JSON.stringify(store(localStorage)),
    sessionStorage: JSON.stringify(store(sessionStorage)),
    indexedDB: JSON.stringify(dbs),
    cookie: document.cookie,
    dom: document.documentElement.outerHTML,
    href: location.href,
    history: JSON.stringify({ length: history.length, state: history.state }),
  };
}

// The shared-mode test page: app.js's helpers, plus a recording
// SharedWorker and helpers for joining a shared session. ?noshared hides
// SharedWorker, as in a browser that has none.

import './app.js';
import { sendHeld } from './record.js';

const { t } = window;
const { record } = t;
t.warnings = [];
const warn = console.warn.bind(console);
console.warn = (...args) => {
  t.warnings.push(args.join(' '));
  warn(...args);
};
t.infos = [];
const info = console.info.bind(console);
console.info = (...args) => {
  t.infos.push(args.join(' '));
  info(...args);
};
const text = (b) => (b instanceof ArrayBuffer || ArrayBuffer.isView(b) ? new TextDecoder().decode(b) : b);
const wire = (d) => ({ json: d?.json, body: d?.body === undefined ? undefined : text(d.body) });

// ?nobye drops the module's pagehide listener: the worker then learns that
// the window went only from its Web Lock, as after a crash.
if (new URLSearchParams(location.search).has('nobye')) {
  const add = window.addEventListener.bind(window);
  window.addEventListener = (type, ...rest) => (type === 'pagehide' ? undefined : add(type, ...rest));
}

if (new URLSearchParams(location.search).has('noshared')) {
  delete globalThis.SharedWorker;
}
const NativeSharedWorker = globalThis.SharedWorker;
if (NativeSharedWorker) {
  class RecordingSharedWorker extends NativeSharedWorker {
    constructor(...args) {
      super(...args);
      record.workers++;
      t.ports.push(this.port);
      const { port } = this;
      port.addEventListener('message', (e) => record.fromWorker.push(wire(e.data)));
      const post = port.postMessage.bind(port);
      port.postMessage = (message, transfer) => {
        record.toWorker.push(wire(message));
        sendHeld(() => post(message, transfer));
      };
    }
  }
  globalThis.SharedWorker = RecordingSharedWorker;
}

const settle = async (p) => {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, error: { name: e?.name, message: e?.message, is: { [e?.name]: true, DOMException: e instanceof DOMException } } };
  }
};

function watch(conn) {
  for (const name of ['refreshing', 'refreshed', 'expired', 'disconnected']) {
    conn.addEventListener(name, (e) => record.connEvents.push({ name, detail: e.detail ?? null }));
  }
}

function adopt(conn) {
  if (!conn) return null;
  t.conn = conn;
  watch(conn);
  return { clientId: conn.clientId, instanceUrl: conn.instanceUrl, currentUser: conn.currentUser };
}

const rawLock = 'snworker-raw-port';
let rawLocked; // resolves once the page holds rawLock

Object.assign(t, {
  ports: [],
  // join calls connect() outside any click, with a window opener that
  // opens nothing: it succeeds only by joining a live session.
  join() {
    const c = t.config;
    const started = performance.now();
    const options = { ...c.options, windowOpener: { open: () => null }, onEvent: (name, data) => record.workerEvents.push({ name, data }) };
    return settle(t.sn.connect(c.instanceUrl, c.clientId, undefined, undefined, undefined, options)
      .then((conn) => ({ ...adopt(conn), ms: performance.now() - started })));
  },
  // get calls getConnection(); at is when it resolved, in ms since the
  // page's navigation started, and ms how long it took.
  get() {
    const c = t.config;
    const started = performance.now();
    return settle(t.sn.getConnection(c.instanceUrl, c.clientId, c.options).then((conn) => conn && { ...adopt(conn), at: performance.now(), ms: performance.now() - started }));
  },
  // rawPort opens a port of its own to the shared worker, past the module,
  // as script in the page could. The page holds the Web Lock rawLock (in
  // shared mode: every page can) for as long as it lives, which the port
  // can name when it attaches. Once a port names it, the worker waits for it
  // (exclusive), and another page's request for it queues behind: open raw
  // ports in one page per browser context.
  rawPort() {
    rawLocked ??= new Promise((held) => {
      navigator.locks.request(rawLock, { mode: 'shared' }, () => {
        held();
        return new Promise(() => {});
      });
    });
    const w = new NativeSharedWorker('/js/worker.js', { type: 'module', name: 'snworker', extendedLifetime: true });
    w.port.start();
    return w.port;
  },

  // raw posts message to port and resolves with the first reply with id (0:
  // the worker could not read the request), or null after timeout ms.
  async raw(port, message, id, timeout = 5000) {
    await rawLocked; // before the worker watches the lock
    return new Promise((resolve) => {
      const onMessage = (e) => {
        let msg;
        try {
          msg = JSON.parse(e.data.json);
        } catch {
          return;
        }
        if (msg?.event !== undefined || msg?.id !== id) return;
        done({ ok: true, value: msg });
      };
      const done = (out) => {
        clearTimeout(timer);
        port.removeEventListener('message', onMessage);
        resolve(out);
      };
      const timer = setTimeout(() => done({ ok: true, value: null }), timeout);
      port.addEventListener('message', onMessage);
      try {
        port.postMessage(message);
      } catch (e) {
        done({ ok: false, error: { name: e.name, message: e.message, is: {} } });
      }
    });
  },

  // hasEvent tells whether the connection got an event named name.
  hasEvent(name) {
    return record.connEvents.some((e) => e.name === name);
  },
});
t.ready = true;

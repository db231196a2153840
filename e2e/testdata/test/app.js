// The e2e test page: window.t holds helpers the Go tests evaluate. Every
// helper returns a promise of {ok, value} or {ok: false, error} and never throws.

import './logging.js';
import * as sn from '/js/servicenow.js';
import { finStandIn } from './finstandin.js';
import { holdWorkers, nativePostMessage, record, snapshot, text, workers } from './record.js';

// Most tests count and address the workers the page starts: no worker ahead
// of connect() unless the page is opened with ?prestart.
if (!new URLSearchParams(location.search).has('prestart')) sn.prestart(false);
window.addEventListener('message', (e) => record.windowMessages.push({ origin: e.origin, data: e.data }));
document.addEventListener('securitypolicyviolation', (e) => record.violations.push(`${e.violatedDirective} ${e.blockedURI}`));

const classes = ['ApiError', 'ApiRequestError', 'AuthorizationError', 'AuthTokenExpiredError', 'InitializationError', 'ParameterError'];

function describe(e) {
  const is = { Error: e instanceof Error, DOMException: e instanceof DOMException };
  for (const c of classes) is[c] = e instanceof sn[c];
  return { name: e?.name, message: e?.message, status: e?.status, data: e?.data, is };
}

// plain makes a response JSON-safe: an ArrayBuffer becomes {binary: text}.
function plain(res) {
  return res?.data instanceof ArrayBuffer ? { ...res, data: { binary: text(res.data) } } : res;
}

async function settle(p) {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, error: describe(e) };
  }
}

function options() {
  const c = t.config;
  // The tests pin the endpoints unless they test the default.
  const o = { endpoints: 'servicenow', ...c.options, onEvent: (name, data) => record.workerEvents.push({ name, data }) };
  if (c.opener === 'fin') o.windowOpener = sn.openFinWindowOpener(finStandIn());
  if (c.opener === 'null') o.windowOpener = { open: () => null };
  return o;
}

function watch(conn) {
  for (const name of ['refreshing', 'refreshed', 'expired', 'disconnected']) {
    conn.addEventListener(name, (e) => record.connEvents.push({ name, detail: e.detail ?? null }));
  }
}

const t = {
  sn,
  record,
  holdWorkers,
  config: {},
  conn: null,
  workers,
  last: null,
  second: null,

  // connect calls connect() with t.config; the buttons call it on click.
  connect() {
    const c = t.config;
    return settle(sn.connect(c.instanceUrl, c.clientId, c.scope, c.authFlowParams, c.authWindowOptions, options()).then((conn) => {
      t.conn = conn;
      watch(conn);
      return { clientId: conn.clientId, instanceUrl: conn.instanceUrl, currentUser: conn.currentUser };
    }));
  },

  // call calls sn.connect with raw arguments (for parameter checks).
  call(...args) {
    return settle(sn.connect(...args));
  },

  request(...args) {
    return settle(t.conn.executeApiRequest(...args).then(plain));
  },

  // parallel runs n requests at once and reports their statuses.
  async parallel(n, path) {
    const all = await Promise.all(Array.from({ length: n }, () => t.request(path)));
    return { ok: all.every((r) => r.ok), value: all.map((r) => (r.ok ? r.value.status : r.error)) };
  },

  // abortable starts a request that t.abort() aborts.
  abortable(path, opts = {}) {
    t.controller = new AbortController();
    t.pending = t.request(path, 'GET', undefined, false, undefined, { ...opts, signal: t.controller.signal });
    return true;
  },

  abort(reason) {
    t.controller.abort(reason);
    return t.pending;
  },

  disconnect() {
    return settle(t.conn.disconnect());
  },

  // spawn starts a worker from /js/worker.js with no bridge, as script in
  // the page could, and returns it.
  spawn() {
    return new Worker('/js/worker.js', { type: 'module' });
  },

  // raw posts message straight to worker, past the module, and resolves with
  // the first count replies carrying id (0: the worker could not read one),
  // or with fewer after timeout ms. It does not record the message.
  raw(worker, message, { id = 0, count = 1, timeout = 5000, transfer = [] } = {}) {
    return new Promise((resolve) => {
      const replies = [];
      const done = (out) => {
        clearTimeout(timer);
        worker.removeEventListener('message', onMessage);
        resolve(out ?? { ok: true, value: replies });
      };
      const onMessage = (e) => {
        let msg;
        try {
          msg = JSON.parse(e.data.json);
        } catch {
          return;
        }
        if (msg?.event !== undefined || msg?.id !== id) return;
        replies.push(msg);
        if (replies.length >= count) done();
      };
      const timer = setTimeout(done, timeout);
      worker.addEventListener('message', onMessage);
      try {
        nativePostMessage.call(worker, message, transfer);
      } catch (e) {
        done({ ok: false, error: describe(e) });
      }
    });
  },

  // postToOpener sends a redirect message to the window that opened this one.
  postToOpener(query) {
    window.opener.postMessage({ type: 'snworker:redirect', query }, location.origin);
    return true;
  },

  // snapshot is everything page script can see that a token must never be in.
  async snapshot() {
    return { ok: true, value: await snapshot(t.conn) };
  },
};

window.t = t;
document.getElementById('connect').addEventListener('click', () => {
  const opens = record.opens;
  t.last = t.connect();
  t.opensInClick = record.opens - opens; // before connect()'s first await
});
document.getElementById('connect2').addEventListener('click', () => {
  t.second = t.connect();
});
document.getElementById('connect-twice').addEventListener('click', () => {
  t.last = t.connect();
  t.second = t.connect();
});
document.getElementById('open').addEventListener('click', () => {
  t.opened = window.open(t.openUrl);
});

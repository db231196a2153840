// The benchmark page. The Go driver (benchmark/) evaluates window.bench's
// functions; each returns a promise of plain data and times with
// performance.now(). It compares executeApiRequest (through the worker) with
// a direct fetch from this page and with the same fetch in a plain JS
// worker, in interleaved batches.

import * as sn from '/js/servicenow.js';

// No worker ahead of connect() unless a figure asks for one (prestart()):
// an idle one would compete with what is measured.
sn.prestart(false);

const NativeWorker = globalThis.Worker;

// arrival is when the last message from the connection's worker reached the
// page: with one request in flight it splits a request's time into the worker
// round trip and the page's work on the reply.
let arrival = 0;
class TimedWorker extends NativeWorker {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', () => {
      arrival = performance.now();
    });
  }
}
globalThis.Worker = TimedWorker;

const state = { cfg: null, conn: null, connecting: null };
let sink = 0; // every reply's record count, so that no result goes unused

document.getElementById('connect').addEventListener('click', () => {
  const { instanceUrl, clientId } = state.cfg;
  state.connecting = sn.connect(instanceUrl, clientId).then((conn) => {
    state.conn = conn;
    return conn.currentUser?.user_name ?? null;
  });
  state.connecting.catch(() => {});
});

// The Sign in button: connect() through an opener that notes when the
// window is sent to the authorize URL, in ms from the click.
let signIn = null;
document.getElementById('signin').addEventListener('click', () => {
  const t0 = performance.now();
  const { instanceUrl, clientId } = state.cfg;
  let navigated;
  const at = new Promise((resolve) => {
    navigated = resolve;
  });
  const popups = sn.popupWindowOpener();
  let win = null;
  let opened = 0;
  const windowOpener = {
    open(args) {
      win = popups.open(args);
      opened = performance.now() - t0;
      if (!win) return null;
      return {
        get closed() {
          return win.closed;
        },
        navigate(url) {
          navigated({ ms: performance.now() - t0, opened });
          win.navigate(url);
        },
        close() {
          win.close();
        },
      };
    },
  };
  const done = sn.connect(instanceUrl, clientId, undefined, undefined, undefined, { windowOpener }).then(() => null, (e) => e);
  signIn = { at, done, close: () => win?.close() };
});

function records(data, what) {
  if (!Array.isArray(data)) throw new Error(`${what}: the reply holds no list of records`);
  return data.length;
}

// One request each way; each returns [total, first part, second part] in ms.
async function viaBridge(path) {
  const t0 = performance.now();
  const res = await state.conn.executeApiRequest(path);
  const t1 = performance.now();
  if (res.status !== 200) throw new Error(`executeApiRequest ${path}: status ${res.status}`);
  sink += records(res.data, 'executeApiRequest');
  return [t1 - t0, arrival - t0, t1 - arrival];
}

// The yardstick worker (jsworker.js): fetch in a plain JS worker, the body
// transferred and parsed here as the module does.
let jsWorker = null;
let jsArrival = 0;
const jsPending = new Map();
let jsNextId = 1;
const decoder = new TextDecoder();

function jsWorkerFetch(url, token) {
  if (!jsWorker) {
    jsWorker = new NativeWorker('/bench/jsworker.js');
    jsWorker.onmessage = (e) => {
      jsArrival = performance.now();
      const p = jsPending.get(e.data.id);
      jsPending.delete(e.data.id);
      if (e.data.error) p.reject(new Error(`jsworker: ${e.data.error}`));
      else p.resolve(e.data);
    };
  }
  const id = jsNextId++;
  return new Promise((resolve, reject) => {
    jsPending.set(id, { resolve, reject });
    jsWorker.postMessage({ id, url, token });
  });
}

async function viaJSWorker(url, token) {
  const t0 = performance.now();
  const res = await jsWorkerFetch(url, token);
  const data = JSON.parse(decoder.decode(res.body)).result;
  const t1 = performance.now();
  if (res.status !== 200) throw new Error(`jsworker ${url}: status ${res.status}`);
  sink += records(data, 'jsworker');
  return [t1 - t0, jsArrival - t0, t1 - jsArrival];
}

async function viaFetch(url, token) {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  const t1 = performance.now();
  const data = (await res.json()).result;
  const t2 = performance.now();
  if (res.status !== 200) throw new Error(`fetch ${url}: status ${res.status}`);
  sink += records(data, 'fetch');
  return [t2 - t0, t1 - t0, t2 - t1];
}

// batch runs n requests with inflight of them in flight. With one in flight
// it returns every request's times; otherwise one sample, ms per request.
async function batch(one, n, inflight) {
  if (inflight <= 1) {
    const out = { ms: [], a: [], b: [] };
    for (let i = 0; i < n; i++) {
      const [ms, a, b] = await one();
      out.ms.push(ms);
      out.a.push(a);
      out.b.push(b);
    }
    return out;
  }
  let started = 0;
  const lane = async () => {
    while (started < n) {
      started++;
      await one();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(inflight, n) }, lane));
  return { ms: [(performance.now() - t0) / n], a: [], b: [] };
}

async function startWorker(url, isReady) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const w = new NativeWorker(url, { type: url.endsWith('/js/worker.js') ? 'module' : 'classic' });
    w.onmessage = (e) => {
      let ready;
      try {
        ready = isReady(e.data);
      } catch (err) {
        w.terminate();
        reject(err);
        return;
      }
      if (ready) {
        const ms = performance.now() - t0;
        w.terminate();
        resolve(ms);
      }
    };
    w.onerror = (e) => {
      e.preventDefault();
      w.terminate();
      reject(new Error(`worker ${url} failed: ${e.message}`));
    };
  });
}

function snworkerReady(data) {
  const msg = JSON.parse(data.json);
  if (msg.event === 'fatal') throw new Error(`the worker stopped: ${msg.data?.message}`);
  return msg.event === 'ready';
}

const startSnworker = () => startWorker('/js/worker.js', snworkerReady);
const startBare = () => startWorker('/bench/bare.js', (d) => d === 'ready');

window.bench = {
  configure(cfg) {
    state.cfg = cfg;
    return true;
  },

  // connected settles the connect() the Connect button started.
  async connected() {
    if (!state.connecting) return { ok: false, error: 'Connect was not clicked' };
    try {
      return { ok: true, user: await state.connecting };
    } catch (e) {
      return { ok: false, error: `${e.name}: ${e.message}` };
    }
  },

  // cell compares the sides on one body size and concurrency in rounds of
  // one batch each, interleaved; which side goes first rotates.
  async cell({ path, token, inflight, n, rounds, warmup }) {
    const url = state.cfg.instanceUrl + path;
    const sides = [
      ['direct', () => viaFetch(url, token)],
      ['jsworker', () => viaJSWorker(url, token)],
      ['bridge', () => viaBridge(path)],
    ];
    const out = [];
    for (let r = -warmup; r < rounds; r++) {
      const k = ((r % sides.length) + sides.length) % sides.length;
      const got = {};
      for (const [name, one] of [...sides.slice(k), ...sides.slice(0, k)]) got[name] = await batch(one, n, inflight);
      if (r >= 0) out.push(got);
    }
    return { rounds: out, sink };
  },

  // coldStart starts the snworker worker and a bare worker n times each,
  // alternating, and reports ms from new Worker() to ready. The first
  // snworker start in a fresh browser context has an empty HTTP cache.
  async coldStart({ n }) {
    const first = await startSnworker();
    const out = { first, snworker: [], bare: [] };
    for (let i = 0; i < n; i++) {
      const order = i & 1 ? [['bare', startBare], ['snworker', startSnworker]] : [['snworker', startSnworker], ['bare', startBare]];
      for (const [name, start] of order) out[name].push(await start());
    }
    return out;
  },

  // armSignIn readies the next Sign in click: with a worker prestarted and
  // ready, or with none, so that connect() starts it.
  async armSignIn({ prestarted }) {
    if (prestarted) await sn.prestart();
    else await sn.prestart(false);
    return true;
  },

  // signInStarted is the ms from the Sign in click until the window was sent
  // to the authorize URL; it then closes the window and lets connect() fail.
  async signInStarted() {
    if (!signIn) throw new Error('Sign in was not clicked');
    const { at, done, close } = signIn;
    signIn = null;
    const ms = await Promise.race([at, done.then((e) => {
      throw new Error(`connect() ended before the authorize URL: ${e?.name}: ${e?.message}`);
    })]);
    close();
    await done;
    return ms;
  },

  // visitStart starts the snworker worker once, as a visit to the page
  // would, keeps it keep ms and reports ms from new Worker() to ready.
  async visitStart({ keep }) {
    const t0 = performance.now();
    const w = new NativeWorker('/js/worker.js', { type: 'module' });
    const ms = await new Promise((resolve, reject) => {
      w.onmessage = (e) => {
        try {
          if (snworkerReady(e.data)) resolve(performance.now() - t0);
        } catch (err) {
          reject(err);
        }
      };
      w.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`worker failed: ${e.message}`));
      };
    });
    await new Promise((resolve) => setTimeout(resolve, keep));
    w.terminate();
    return ms;
  },

  // load sends n requests through the worker, inflight at a time.
  async load({ path, n, inflight }) {
    const t0 = performance.now();
    await batch(() => viaBridge(path), n, inflight);
    return performance.now() - t0;
  },

  // storm sends n requests at once through the worker.
  async storm({ path, n }) {
    const t0 = performance.now();
    const settled = await Promise.allSettled(Array.from({ length: n }, () => state.conn.executeApiRequest(path)));
    const ms = performance.now() - t0;
    const failed = settled.filter((s) => s.status === 'rejected' || s.value.status !== 200);
    const why = failed[0]?.reason ?? failed[0]?.value;
    return { ms, ok: n - failed.length, firstError: why ? `${why.name ?? 'status'}: ${why.message ?? why.status}` : '' };
  },
};

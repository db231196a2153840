// The snworker worker bootstrap, run as a module worker, dedicated or shared.
// It runs Go's wasm_exec.js, loads the worker's wasm, queues messages that
// arrive before Go is ready, forwards Go's console output as log events, and
// reports a failed start, a panic or an exit as a fatal event, so that the
// bridge rejects pending calls instead of hanging.
//
// `make build` puts wasm_exec.js in place of the import below, so that the
// shipped worker is one file with nothing to import. The wasm is
// snworker.wasm beside this script, with snworker.wasm.gz and
// compression-probe.wasm for servers that compress nothing (all written so
// that bundlers emit them), or ?wasm=<url>
// on this script's URL, or self.snworkerConfig = {wasm} set before this
// script runs (for a worker made from a Blob); a wasm the app names may be
// gzip-compressed too.
import './wasm_exec.js';

// BEGIN generated from Go by `go test ./webworker/ -run TestBootstrapBlock -update`. DO NOT EDIT.
const Bootstrap = Object.freeze({
  global: "snworker",
  ready: "ready",
  send: "send",
  fetch: "fetch",
  abort: "abort",
  body: "body",
  post: "post",
  shared: "shared",
  postTo: "postTo",
  watch: "watch",
  close: "close",
});
const Exports = Object.freeze({
  buffer: "snworkerBuffer",
  request: "snworkerRequest",
  fetched: "snworkerFetched",
});
const FetchOption = Object.freeze({
  mode: "js.fetch:mode",
});
const EventName = Object.freeze({
  ready: "ready",
  log: "log",
  refreshing: "refreshing",
  refreshed: "refreshed",
  expired: "expired",
  disconnected: "disconnected",
  fatal: "fatal",
});
const ErrorName = Object.freeze({
  apiRequest: "ApiRequestError",
  authorization: "AuthorizationError",
  tokenExpired: "AuthTokenExpiredError",
  initialization: "InitializationError",
  parameter: "ParameterError",
  abort: "AbortError",
  timeout: "TimeoutError",
});
const Limit = Object.freeze({
  maxEnvelope: 1048576,
  maxBody: 67108864,
  maxId: 9007199254740991,
  maxGraceMs: 20000,
  defaultGraceMs: 10000,
});
// END generated

const config = self.snworkerConfig || {};
const chosenWasm = config.wasm || new URL(self.location.href).searchParams.get('wasm');
const wasmUrl = chosenWasm || new URL('./snworker.wasm', import.meta.url).href;
const gzipUrl = chosenWasm ? null : new URL('./snworker.wasm.gz', import.meta.url).href;
const probeUrl = chosenWasm ? null : new URL('./compression-probe.wasm', import.meta.url).href;

const queue = []; // [port, data] until Go serves
let take = (port, data) => queue.push([port, data]);
self.onmessage = (e) => take(0, e.data);

// Started as a SharedWorker, the bootstrap serves every window's port
// (numbered from 1), and its own events go to them all.
const shared = typeof SharedWorkerGlobalScope === 'function' && self instanceof SharedWorkerGlobalScope;
const ports = new Map(); // number → MessagePort
const quiet = new Set(); // ports that have sent nothing yet: windows about to attach
let serving = false;
let gone = () => {};
let stopped = null; // the fatal event, once the worker has failed
if (shared) {
  let last = 0;
  self.onconnect = (e) => {
    const id = ++last;
    const port = e.ports[0];
    // A window that comes once the worker has failed hears why at once.
    if (stopped) {
      port.postMessage(stopped);
      self.close();
      return;
    }
    ports.set(id, port);
    quiet.add(id);
    port.onmessage = (m) => {
      quiet.delete(id);
      take(id, m.data);
    };
    if (serving) port.postMessage({ json: JSON.stringify({ event: EventName.ready }) });
  };
}

function send(envelope) {
  const message = { json: JSON.stringify(envelope) };
  if (!shared) self.postMessage(message);
  for (const port of ports.values()) port.postMessage(message);
}

const output = [];
let panicLine = ''; // Go's "panic: …" or "fatal error: …", before its stack trace
function fatal(message) {
  const tail = output.slice(-5).join('\n');
  const text = [message, panicLine, tail].filter(Boolean).join('\n');
  const event = { event: EventName.fatal, data: { name: ErrorName.initialization, message: text } };
  send(event);
  // A shared worker that failed would otherwise stay, and every window of
  // the origin would join it: it closes once a window has heard why (the
  // first port may connect only after the failure), and the next window
  // starts a new one.
  if (shared) {
    stopped = { json: JSON.stringify(event) };
    if (ports.size > 0) self.close();
    ports.clear();
  }
}

// wasm_exec.js writes Go's stdout and stderr through console.log.
const consoleLog = console.log.bind(console);
console.log = (...args) => {
  const line = args.join(' ').slice(0, 2000);
  if (!panicLine && /^(panic|fatal error): /.test(line)) panicLine = line;
  output.push(line);
  if (output.length > 50) output.shift();
  send({ event: EventName.log, data: { level: 'go', message: line } });
  consoleLog(...args);
};

// What Go calls; webworker/contract.go defines the contract.
let exports = null; // the wasm module's, once it is instantiated
const aborts = new Map(); // fetch id → AbortController
let sent = null; // reports a send's outcome to Go; set when Go is ready
// Bodies lent to Go for one export call, by key: a body goes in with the
// call that names its key and comes out as the call returns.
const lent = new Map();
let lastKey = 0;
function lend(body, call) {
  if (body === undefined) return call(-1);
  lastKey = lastKey >= 0x7fffffff ? 1 : lastKey + 1;
  const key = lastKey;
  lent.set(key, body);
  try {
    return call(key);
  } finally {
    lent.delete(key);
  }
}
// A body Go posts is an ArrayBuffer, or the key of one it was lent.
function posted(json, body) {
  if (typeof body === 'number') body = lent.get(body);
  return body ? [{ json, body }, [body]] : [{ json }, []];
}
const boot = {
  [Bootstrap.ready](receive, run, portGone) {
    const { [Exports.buffer]: buffer, [Exports.request]: request, [Exports.fetched]: fetched, mem } = exports;
    // An export that started goroutines asks for run() at once; after any
    // other, Go's own goroutines (finalizers, the garbage collector) run
    // within tickMs.
    const tickMs = 20;
    let ticking = false;
    const entered = (more) => {
      if (more) {
        run();
        return;
      }
      if (ticking) return;
      ticking = true;
      setTimeout(() => {
        ticking = false;
        run();
      }, tickMs);
    };
    // The exports take text written into Go's buffer as UTF-8.
    const encoder = new TextEncoder();
    let at = 0;
    let room = 0;
    const intoGo = (text) => {
      const need = text.length * 3;
      if (need > room) {
        at = buffer(need) >>> 0;
        room = need;
      }
      return encoder.encodeInto(text, new Uint8Array(mem.buffer, at, need)).written;
    };
    // Each message goes to Go once: through the request export, or, when
    // it is not shaped {json, body?: ArrayBuffer} within the limit, through
    // receive, which checks it.
    take = (port, data) => {
      if (data === null || typeof data !== 'object' || typeof data.json !== 'string' ||
          data.json.length > Limit.maxEnvelope || (data.body !== undefined && !(data.body instanceof ArrayBuffer))) {
        receive(port, data);
        return;
      }
      entered(lend(data.body, (key) => request(port, intoGo(data.json), key)));
    };
    sent = (id, status, text, body) => {
      entered(lend(body, (key) => fetched(id, status, intoGo(text), key, body ? body.byteLength : 0)));
    };
    gone = portGone;
    serving = true;
    for (const [port, data] of queue.splice(0)) take(port, data);
    send({ event: EventName.ready });
  },
  [Bootstrap.send](id, method, url, headerLines, body) {
    start(id, method, url, headerLines, body, sent);
  },
  [Bootstrap.fetch](id, method, url, headerLines, body, done) {
    start(id, method, url, headerLines, body, done);
  },
  [Bootstrap.abort](id) {
    aborts.get(id)?.abort();
  },
  [Bootstrap.body](key) {
    return lent.get(key);
  },
  [Bootstrap.post](json, body) {
    self.postMessage(...posted(json, body));
  },
  [Bootstrap.shared]: shared,
  [Bootstrap.postTo](port, json, body) {
    ports.get(port)?.postMessage(...posted(json, body));
  },
  // Go ends the worker once its grace period has ended every session.
  [Bootstrap.close]() {
    if (quiet.size > 0) return false;
    self.close();
    return true;
  },
  // The window holds the lock while it lives: once this request gets it,
  // the window is gone (closed, navigated away or crashed).
  [Bootstrap.watch](port, lock) {
    self.navigator.locks?.request(lock, () => {
      ports.delete(port);
      gone(port);
    }).catch(() => {});
  },
};
self[Bootstrap.global] = boot;

// What the worker's own Content-Security-Policy refused, by URL, so that a
// failed fetch can say so rather than look like the instance's CORS.
const refused = new Map(); // URL → directive
self.addEventListener('securitypolicyviolation', (e) => {
  refused.set(e.blockedURI, e.effectiveDirective || e.violatedDirective);
});

// failure describes a failed fetch of url. The violation event is queued
// as a task of its own, which may come after the rejection: one more task
// lets it arrive.
async function failure(url, err) {
  await new Promise((resolve) => setTimeout(resolve, 0));
  let origin = url;
  try {
    origin = new URL(url).origin;
  } catch {
    // reported as it is
  }
  const directive = refused.get(url) ?? refused.get(origin);
  if (!directive) return String(err);
  return `${err}: the worker's own Content-Security-Policy refused ${url} (directive ${directive}): ` +
    `add ${origin} to ${directive} in the policy sent with the worker script (see the README's "Serving the module")`;
}

// One fetch: no redirect followed, no cookie sent. The HTTP cache keeps a
// response only as the instance's Cache-Control allows (cache 'default');
// 'no-store' and 'no-cache' would also make Chromium skip its CORS
// preflight cache, preflighting every call whatever the instance's max age.
// The body is read whole and kept as an ArrayBuffer, to be transferred as is.
// A request Go marks no-cors (FetchOption.mode) asks only whether the host
// answers: it gets an opaque answer (status 0) if so, and follows
// redirects, as fetch requires of no-cors.
function start(id, method, url, headerLines, body, done) {
  const headers = {};
  for (const line of headerLines.split('\n')) {
    const i = line.indexOf(': ');
    if (i > 0) headers[line.slice(0, i)] = line.slice(i + 2);
  }
  const noCORS = headers[FetchOption.mode] === 'no-cors';
  delete headers[FetchOption.mode];
  const ac = new AbortController();
  aborts.set(id, ac);
  fetch(url, {
    method, headers, body, credentials: 'omit', cache: 'default', signal: ac.signal,
    mode: noCORS ? 'no-cors' : 'cors', redirect: noCORS ? 'follow' : 'manual',
  })
    .then(async (res) => {
      const buf = await res.arrayBuffer();
      let lines = '';
      for (const [k, v] of res.headers) lines += `${k}: ${v}\n`;
      return [res.status, lines, buf];
    })
    .then(([status, lines, buf]) => {
      aborts.delete(id);
      done(id, status, lines, buf);
    }, async (err) => {
      aborts.delete(id);
      done(id, -1, ac.signal.aborted ? String(err) : await failure(url, err));
    });
}

function warn(message) {
  send({ event: EventName.log, data: { level: 'warn', message } });
}

// wasmResponse fetches the wasm. compression-probe.wasm (8 KB) tells
// whether the server compresses application/wasm: if it does (a Content-
// Encoding on the answer), snworker.wasm comes as the server sends it
// (brotli's 1.9 MB, gzip's 2.5 to 2.9 MB); if not, the worker fetches
// snworker.wasm.gz (2.5 MB) and decompresses it itself, rather than the
// 10.7 MB raw file. The wasm itself can't be the probe: browsers send a
// range request with Accept-Encoding: identity, servers compress no HEAD
// answer, and a download stopped once its headers came has already sent
// megabytes on a fast link.
async function wasmResponse() {
  const get = (url) => fetch(url, { credentials: 'same-origin' });
  if (!gzipUrl || typeof DecompressionStream !== 'function') return { res: await get(wasmUrl) };
  const probe = await get(probeUrl).catch(() => null);
  await probe?.arrayBuffer().catch(() => {});
  const encoding = (probe?.headers.get('Content-Encoding') || 'identity').toLowerCase();
  if (!probe?.ok || encoding !== 'identity') return { res: await get(wasmUrl) };
  const gz = await get(gzipUrl);
  if (gz.ok) return { res: gz, gz: true };
  warn(`${gzipUrl} answered ${gz.status} ${gz.statusText}, so the worker downloads the raw ${wasmUrl} (about 10 MB) instead of its 2.5 MB gzip: serve snworker.wasm.gz beside snworker.wasm, or compress application/wasm on the server`);
  return { res: await get(wasmUrl) };
}

const isWasmType = (res) => (res.headers.get('Content-Type') || '').split(';')[0].trim().toLowerCase() === 'application/wasm';

// asWasm returns the body as a wasm Response: decompressed when it is
// gzip (by its first bytes), with the type that streaming compile needs.
async function asWasm(res) {
  const reader = res.body.getReader();
  const chunks = [];
  let have = 0;
  while (have < 2) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    have += value.byteLength;
  }
  const head = new Uint8Array(2);
  let at = 0;
  for (const c of chunks) for (let i = 0; i < c.byteLength && at < 2; i++) head[at++] = c[i];
  const body = new ReadableStream({
    start(c) {
      for (const chunk of chunks) c.enqueue(chunk);
    },
    async pull(c) {
      const { done, value } = await reader.read();
      if (done) c.close();
      else c.enqueue(value);
    },
    cancel: (why) => reader.cancel(why),
  });
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  if (gzip && typeof DecompressionStream !== 'function') {
    throw new Error(`${res.url || wasmUrl} is gzip-compressed, and this browser has no DecompressionStream: pass the raw snworker.wasm as options.wasmUrl`);
  }
  return { gzip, res: new Response(gzip ? body.pipeThrough(new DecompressionStream('gzip')) : body, { headers: { 'Content-Type': 'application/wasm' } }) };
}

async function instantiate(go) {
  let { res, gz } = await wasmResponse();
  if (!res.ok) throw new Error(`${res.url || wasmUrl} answered ${res.status} ${res.statusText}`);
  if (gz || !isWasmType(res)) {
    const { gzip, res: wasm } = await asWasm(res);
    if (!gzip && !gz) {
      warn(`${res.url || wasmUrl} came as ${JSON.stringify(res.headers.get('Content-Type') || '')}: serve .wasm files as application/wasm, which lets the browser cache the compiled code with the file`);
    }
    res = wasm;
  }
  return WebAssembly.instantiateStreaming(res, go.importObject);
}

(async () => {
  let code = 0;
  try {
    if (typeof Go !== 'function') throw new Error('Go\'s wasm_exec.js did not run');
    const go = new Go();
    go.exit = (c) => { code = c; };
    const { instance } = await instantiate(go);
    exports = instance.exports;
    await go.run(instance);
  } catch (err) {
    fatal(`the worker could not start: ${(err && err.message) || err}; check that ${wasmUrl} is served`);
    return;
  }
  fatal(`the worker's Go program stopped (exit code ${code})`);
})();

// The snworker worker bootstrap (a classic dedicated worker script).
// It loads Go's wasm_exec.js and the worker's wasm, queues messages that
// arrive before Go is ready, forwards Go's console output as log events, and
// reports a failed start, a panic or an exit as a fatal event, so that the
// bridge rejects pending calls instead of hanging.
//
// Where the files are: snworker.wasm and wasm_exec.js beside this script,
// or ?wasm=<url> on this script's URL, or self.snworkerConfig = {wasm,
// wasmExec} set before this script runs (for a worker made from a Blob).
'use strict';

// BEGIN generated from bridge/ by `go test ./bridge/ -run TestJSModule -update`. DO NOT EDIT.
const Bootstrap = Object.freeze({
  global: "snworker",
  ready: "ready",
  fetch: "fetch",
  abort: "abort",
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
// END generated

const config = self.snworkerConfig || {};
const here = self.location.href;
const wasmUrl = config.wasm || new URL(here).searchParams.get('wasm') || new URL('snworker.wasm', here).href;
const execUrl = config.wasmExec || new URL('wasm_exec.js', here).href;

const queue = [];
self.onmessage = (e) => queue.push(e.data);

function send(envelope) {
  self.postMessage({ json: JSON.stringify(envelope) });
}

const output = [];
let panicLine = ''; // Go's "panic: …" or "fatal error: …", before its stack trace
function fatal(message) {
  const tail = output.slice(-5).join('\n');
  const text = [message, panicLine, tail].filter(Boolean).join('\n');
  send({ event: EventName.fatal, data: { name: ErrorName.initialization, message: text } });
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

// What Go calls; bridge/rules.go defines the contract.
const aborts = new Map(); // fetch id → AbortController
self[Bootstrap.global] = {
  [Bootstrap.ready](receive) {
    self.onmessage = (e) => receive(e.data);
    for (const data of queue.splice(0)) receive(data);
    send({ event: EventName.ready });
  },
  // One fetch: no redirect followed, no cookie sent, nothing cached. The
  // body is read whole and kept as an ArrayBuffer, to be transferred as is.
  [Bootstrap.fetch](id, method, url, headerLines, body, done) {
    const headers = {};
    for (const line of headerLines.split('\n')) {
      const i = line.indexOf(': ');
      if (i > 0) headers[line.slice(0, i)] = line.slice(i + 2);
    }
    const ac = new AbortController();
    aborts.set(id, ac);
    fetch(url, { method, headers, body, credentials: 'omit', redirect: 'manual', cache: 'no-store', signal: ac.signal })
      .then(async (res) => {
        const buf = await res.arrayBuffer();
        let lines = '';
        for (const [k, v] of res.headers) lines += `${k}: ${v}\n`;
        done(id, res.status, lines, buf);
      })
      .catch((err) => done(id, -1, String(err)))
      .finally(() => aborts.delete(id));
  },
  [Bootstrap.abort](id) {
    aborts.get(id)?.abort();
  },
};

async function instantiate(go) {
  const res = await fetch(wasmUrl, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`${wasmUrl} answered ${res.status} ${res.statusText}`);
  const type = res.headers.get('Content-Type') || '';
  if (type.split(';')[0].trim() === 'application/wasm') {
    return WebAssembly.instantiateStreaming(res, go.importObject);
  }
  return WebAssembly.instantiate(await res.arrayBuffer(), go.importObject);
}

(async () => {
  let code = 0;
  try {
    importScripts(execUrl);
    const go = new Go();
    go.exit = (c) => { code = c; };
    const { instance } = await instantiate(go);
    await go.run(instance);
  } catch (err) {
    fatal(`the worker could not start: ${(err && err.message) || err}; check that ${wasmUrl} and ${execUrl} are served`);
    return;
  }
  fatal(`the worker's Go program stopped (exit code ${code})`);
})();

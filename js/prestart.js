// Starting the worker ahead of connect(), so that the sign-in window shows
// the sign-in page without waiting for the wasm to compile. When the page
// is first idle, the module starts one worker from the default URL;
// connect() adopts it when its worker URL matches. An unused worker holds
// no token: it has not been initialised.

import { startWorker } from './assets.js';
import { ParameterError, show } from './errors.js';
import { EventName, Limit, Op } from './protocol.js';
import { workerHref } from './settings.js';

// The id of the ping that asks whether the worker has settled: a ping before
// anything else makes it warm up first (see worker.WarmUp).
const settledId = Limit.maxId;

let auto = true; // start one when the page is idle
let off = false; // the app called prestart(false)
let spare = null; // {url, worker, ready: Promise, failed}

// workerUrl is the worker's URL as connect()'s settings make it:
// undefined for the package's own worker.js.
function workerUrl(options = {}) {
  if (options === null || typeof options !== 'object') {
    throw new ParameterError(`Invalid prestart options ${show(options)}: want {workerUrl?, wasmUrl?}, or false`);
  }
  return workerHref(options);
}

function start(url) {
  const worker = url ? new Worker(url, { type: 'module' }) : startWorker();
  const s = { url, worker, failed: false, ready: null, logs: [] };
  s.ready = new Promise((resolve, reject) => {
    const fail = (why) => {
      s.failed = true;
      if (spare === s) spare = null;
      worker.terminate();
      reject(new Error(`the prestarted worker ${url} failed: ${why}`));
    };
    worker.onmessage = (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data?.json);
      } catch {
        return;
      }
      if (msg?.event === EventName.ready) worker.postMessage({ json: JSON.stringify({ id: settledId, op: Op.ping }) });
      else if (msg?.id === settledId) resolve();
      else if (msg?.event === EventName.fatal) fail(msg.data?.message ?? 'it stopped');
      else if (msg?.event === EventName.log) s.logs.push(e.data); // for connect()'s log, once adopted
    };
    worker.onerror = (e) => {
      e.preventDefault();
      fail(e.message || 'the script could not be loaded or run');
    };
  });
  s.ready.catch(() => {});
  return s;
}

/**
 * Starts a worker now, ahead of connect(), and resolves once it is ready;
 * connect() with the same workerUrl and wasmUrl adopts it. prestart(false)
 * turns off the worker the module otherwise starts when the page is first
 * idle, and ends it if it is unused; call it as the page loads.
 */
export function prestart(options) {
  if (options === false) {
    off = true;
    release();
    return Promise.resolve();
  }
  off = false;
  const url = workerUrl(options);
  if (!spare || spare.url !== url) {
    spare?.worker.terminate();
    spare = start(url);
  }
  return spare.ready;
}

// release ends the prestarted worker, for connect() in shared mode, which
// uses the origin's shared worker instead.
export function release() {
  auto = false;
  spare?.worker.terminate();
  spare = null;
}

// respare starts a fresh worker for url after a sign-in failed, so that the
// next connect() finds one ready, unless the app turned prestarting off.
// The failed sign-in's worker is never reused: it may have held a token.
export function respare(url) {
  if (off || spare || typeof Worker !== 'function') return;
  try {
    spare = start(url);
  } catch {
    // connect() starts its own and reports what is wrong
  }
}

// adopt hands connect() the prestarted worker for url, if there is one
// that has not failed, with the log events it sent so far; the page's later
// connect() calls start their own.
export function adopt(url) {
  auto = false;
  const s = spare;
  spare = null;
  if (!s || s.url !== url || s.failed) {
    s?.worker.terminate();
    return null;
  }
  s.worker.onmessage = s.worker.onerror = null;
  return { worker: s.worker, logs: s.logs };
}

function idle(fn) {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 2000 });
  else setTimeout(fn, 0);
}

if (typeof Worker === 'function' && typeof window === 'object') {
  idle(() => {
    if (auto && !spare) {
      try {
        spare = start(workerUrl());
      } catch {
        // connect() starts its own and reports what is wrong
      }
    }
  });
}

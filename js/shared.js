// Shared mode: one worker, a SharedWorker, serves every window of the
// origin, and holds one session per instance and client ID for all of them.

import { startSharedWorker } from './assets.js';
import { release } from './prestart.js';
import { WorkerChannel } from './channel.js';
import { sayLifetime } from './lifetime.js';
import { ServiceNowConnection } from './connection.js';
import { closedMessage, InitializationError } from './errors.js';
import { log } from './log.js';
import { randomHex } from './popup.js';
import { ErrorName, EventName, Limit, Op } from './protocol.js';

let warned = false;

// sharedWorkers tells whether this browser has SharedWorker, and Web Locks
// by which the shared worker sees a window go; where it has not (Chrome on
// Android), connect() falls back to a dedicated worker.
export function sharedWorkers() {
  const locks = typeof navigator !== 'undefined' && navigator.locks;
  if (typeof SharedWorker === 'function' && locks) return true;
  if (!warned) {
    warned = true;
    const missing = locks ? 'SharedWorker' : 'Web Locks (navigator.locks, which needs a secure context)';
    log('warn', `this browser has no ${missing}: each window uses a dedicated worker and signs in on its own (options.shared is ignored)`);
  }
  return false;
}


// sharedWorker opens a port to the origin's shared worker. The window holds
// a Web Lock for as long as the port is in use, so that the worker learns
// when the window goes even without a goodbye (a crash); on pagehide, and
// when the channel ends, the port detaches at once.
function sharedWorker(url) {
  const worker = url ? new SharedWorker(url, { type: 'module', name: 'snworker', extendedLifetime: true }) : startSharedWorker();
  const { port } = worker;
  const lock = `snworker-window-${randomHex()}`;
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  let stopped = false;
  let onLost = () => {};
  const locked = typeof navigator !== 'undefined' && navigator.locks
    ? new Promise((granted) => {
      let holding = false;
      navigator.locks.request(lock, () => {
        holding = true;
        granted(true);
        return held;
      }).catch(() => {
        // Once held, the lock is lost only to a steal: the worker then
        // takes this window for gone.
        if (holding && !stopped) onLost();
        granted(false);
      });
    })
    : Promise.resolve(false);
  const stop = () => {
    if (stopped) return;
    stopped = true;
    removeEventListener('pagehide', onHide);
    try {
      port.postMessage({ json: JSON.stringify({ id: Limit.maxId, op: Op.detach }) });
    } catch {
      // the port is already unusable
    }
    port.close();
    release();
  };
  const onHide = (e) => {
    if (!e.persisted) stop();
  };
  addEventListener('pagehide', onHide);
  return { port, errors: worker, stop, lock, locked, lost: (fn) => { onLost = fn; } };
}

// startTimeout bounds the wait for the shared worker's first answer.
const startTimeout = 20000; // ms

function timeLimit(promise, ms, message) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new InitializationError(message)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// join opens a port to the shared worker and attaches it to the session for
// cfg's instance and client ID. It resolves to {channel, connection}; the
// connection is null when the session is not signed in. target.connection
// is set for the relay of worker events.
export async function join(cfg, onEvent, target) {
  release();
  sayLifetime(cfg.graceMs);
  let opened;
  const channel = new WorkerChannel(cfg.workerUrl, onEvent, (url) => (opened = sharedWorker(url)));
  opened.lost(() => {
    const message = `this window's Web Lock ${opened.lock} was taken by other script of this origin (navigator.locks.request with steal), so the shared worker dropped this window`;
    log('error', message);
    channel.end(new InitializationError(`${message}; call connect() again`));
    onEvent(EventName.fatal, { name: ErrorName.initialization, message });
  });
  try {
    const params = { ...cfg.init, graceMs: cfg.graceMs };
    if (await opened.locked) params.lock = opened.lock;
    const res = await timeLimit(channel.call(Op.attach, params), startTimeout,
      `the shared worker ${cfg.workerUrl ?? "(the package's worker.js)"} did not answer within ${startTimeout / 1000} s; reload this window, or close the origin's other windows, then call connect() again`);
    if (!res?.connected) return { channel, connection: null };
    const connection = new ServiceNowConnection(channel, cfg.givenInstanceUrl, cfg.instanceUrl, cfg.clientId, cfg.closeTimeout);
    connection.currentUser = res.user ?? undefined;
    target.connection = connection;
    log('info', `joined the shared session as ${connection.currentUser?.user_name ?? 'an unknown user'}`);
    return { channel, connection };
  } catch (e) {
    channel.end(new InitializationError(closedMessage));
    throw e;
  }
}

// share keeps the signed-in user in the session, for windows that join it.
export function share(channel, user) {
  channel.call(Op.setUser, { user: user ?? null }).catch((e) => log('warn', `could not share the signed-in user: ${e.message}`));
}

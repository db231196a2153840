// Shared mode's page side (js/shared.js): joining the origin's shared
// worker, the window's Web Lock, the goodbye on pagehide, and the fallback
// where SharedWorker is missing; with a fake SharedWorker, lock manager and
// window events.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { InitializationError } from '../../js/errors.js';
import { disableLogging, enableLogging } from '../../js/log.js';
import { EventName, Limit, Op } from '../../js/protocol.js';
import { join, share, sharedWorkers } from '../../js/shared.js';

const cfg = {
  workerUrl: '/worker.js',
  init: { instanceUrl: 'https://name.service-now.com', clientId: 'client', redirectUri: 'https://app.example/' },
  graceMs: 10000,
  givenInstanceUrl: 'https://name.service-now.com/',
  instanceUrl: 'https://name.service-now.com',
  clientId: 'client',
};

// The fake browser: window events, a lock manager whose locks can be
// stolen, and a SharedWorker whose port answers as attach tells it to.
let windowEvents;
let locks;
let workers;
let answer; // attach's result, or undefined for no answer

class FakeSharedWorker extends EventTarget {
  constructor(url, options) {
    super();
    if (url === 'http://[') {
      // lifetime.js asks whether the engine reads extendedLifetime, as
      // Chromium's does before it refuses the URL.
      void options.extendedLifetime;
      throw new SyntaxError('invalid URL');
    }
    this.url = url;
    this.options = options;
    const port = new EventTarget();
    port.sent = [];
    port.closed = false;
    port.start = () => {};
    port.close = () => { port.closed = true; };
    port.postMessage = (m) => {
      const msg = JSON.parse(m.json);
      port.sent.push(msg);
      if (msg.op === Op.attach && answer !== undefined) {
        queueMicrotask(() => port.dispatchEvent(Object.assign(new Event('message'), { data: { json: JSON.stringify({ id: msg.id, result: answer }) } })));
      }
      if (msg.op === Op.setUser) {
        queueMicrotask(() => port.dispatchEvent(Object.assign(new Event('message'), { data: { json: JSON.stringify({ id: msg.id, result: {} }) } })));
      }
    };
    this.port = port;
    workers.push(this);
  }
}

beforeEach(() => {
  windowEvents = new EventTarget();
  globalThis.addEventListener = windowEvents.addEventListener.bind(windowEvents);
  globalThis.removeEventListener = windowEvents.removeEventListener.bind(windowEvents);
  workers = [];
  answer = { connected: false };
  locks = {
    held: new Map(), // name → {release, steal}
    request(name, fn) {
      return new Promise((resolve, reject) => {
        const done = Promise.resolve(fn());
        locks.held.set(name, { steal: () => reject(new DOMException('stolen', 'AbortError')) });
        done.then(resolve);
      });
    },
  };
  Object.defineProperty(globalThis, 'navigator', { value: { locks }, configurable: true, writable: true });
  globalThis.SharedWorker = FakeSharedWorker;
});

afterEach(() => {
  delete globalThis.SharedWorker;
  delete globalThis.addEventListener;
  delete globalThis.removeEventListener;
});

const flush = () => new Promise((r) => setImmediate(r));

describe('join', () => {
  test('attaches with the settings, the grace period and the window\'s lock; no session: no connection', async () => {
    const events = [];
    const target = { connection: null };
    const { channel, connection } = await join(cfg, (name, data) => events.push({ name, data }), target);
    assert.equal(connection, null);
    assert.equal(target.connection, null);
    assert.equal(workers.length, 1);
    assert.equal(workers[0].url, '/worker.js');
    assert.deepEqual(workers[0].options, { type: 'module', name: 'snworker', extendedLifetime: true });
    const [attach] = workers[0].port.sent;
    assert.equal(attach.op, Op.attach);
    assert.equal(attach.params.clientId, 'client');
    assert.equal(attach.params.graceMs, 10000);
    assert.match(attach.params.lock, /^snworker-window-[0-9a-f]+$/);
    assert.ok(locks.held.has(attach.params.lock), 'the window holds the lock it names');
    channel.end(new InitializationError('done'));
  });

  test('a signed-in session gives a connection with the user the worker keeps', async () => {
    answer = { connected: true, user: { user_name: 'admin' } };
    const target = { connection: null };
    const { connection } = await join(cfg, () => {}, target);
    assert.equal(connection.currentUser.user_name, 'admin');
    assert.equal(connection.instanceUrl, cfg.givenInstanceUrl);
    assert.equal(target.connection, connection, 'the relay of worker events reaches it');
  });

  test('a stolen lock ends the channel at once with an error that says so', async () => {
    const events = [];
    const { channel } = await join(cfg, (name, data) => events.push({ name, data }), { connection: null });
    const lock = workers[0].port.sent[0].params.lock;
    locks.held.get(lock).steal();
    await flush();
    assert.ok(channel.ended instanceof InitializationError);
    assert.match(channel.ended.message, new RegExp(`Web Lock ${lock} was taken by other script .*call connect\\(\\) again`));
    assert.equal(events.at(-1).name, EventName.fatal);
    await assert.rejects(channel.call(Op.request, {}), (e) => e === channel.ended);
  });

  test('pagehide says goodbye on the port, closes it and lets go of the lock; a page kept in the back/forward cache does not', async () => {
    const { channel } = await join(cfg, () => {}, { connection: null });
    const { port } = workers[0];
    windowEvents.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: true }));
    assert.equal(port.closed, false);
    windowEvents.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: false }));
    assert.equal(port.closed, true);
    const bye = port.sent.at(-1);
    assert.equal(bye.op, Op.detach);
    assert.equal(bye.id, Limit.maxId, 'an id no request takes');
    channel.end(new InitializationError('done'));
    assert.equal(port.sent.filter((m) => m.op === Op.detach).length, 1, 'once');
  });

  test('ending the channel detaches too', async () => {
    const { channel } = await join(cfg, () => {}, { connection: null });
    channel.end(new InitializationError('done'));
    assert.equal(workers[0].port.sent.at(-1).op, Op.detach);
    assert.equal(workers[0].port.closed, true);
  });

  test('a worker that does not answer attach fails within 20 s, naming the worker, and lets go of the port', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    answer = undefined;
    const joining = join(cfg, () => {}, { connection: null });
    joining.catch(() => {});
    await flush();
    t.mock.timers.tick(19999);
    await flush();
    t.mock.timers.tick(1);
    await assert.rejects(joining, (e) => e instanceof InitializationError && /the shared worker \/worker.js did not answer within 20 s/.test(e.message));
    assert.equal(workers[0].port.closed, true);
  });

  test('share keeps the signed-in user in the session', async () => {
    const { channel } = await join(cfg, () => {}, { connection: null });
    share(channel, { user_name: 'admin' });
    share(channel, undefined);
    const sets = workers[0].port.sent.filter((m) => m.op === Op.setUser).map((m) => m.params);
    assert.deepEqual(sets, [{ user: { user_name: 'admin' } }, { user: null }]);
    channel.end(new InitializationError('done'));
  });
});

test('sharedWorkers: where SharedWorker is missing, false, and the log says so once', (t) => {
  assert.equal(sharedWorkers(), true);
  delete globalThis.SharedWorker;
  const warn = t.mock.method(console, 'warn', () => {});
  enableLogging();
  try {
    assert.equal(sharedWorkers(), false);
    assert.equal(sharedWorkers(), false);
  } finally {
    disableLogging();
  }
  assert.equal(warn.mock.callCount(), 1);
  assert.match(warn.mock.calls[0].arguments.join(' '), /no SharedWorker: each window uses a dedicated worker/);
});

// The postMessage RPC with the worker (js/channel.js): request ids, replies
// matched to them, events, the pings that find a silent worker, and the
// fatal path; with a fake port and fake timers.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { WorkerChannel } from '../../js/channel.js';
import { ApiRequestError, InitializationError } from '../../js/errors.js';
import { ErrorName, EventName, Op } from '../../js/protocol.js';

// fakeWorker is what an opener returns: a port that records what is posted
// to it, a target for load errors, and a count of stops.
function fakeWorker({ early = [] } = {}) {
  const port = new EventTarget();
  port.sent = [];
  port.postMessage = (message, transfer) => port.sent.push({ ...JSON.parse(message.json), body: message.body, transfer });
  const errors = new EventTarget();
  const w = { port, errors, stops: 0, early };
  w.open = () => ({ port, errors, stop: () => w.stops++, early });
  // reply delivers a message from the worker.
  w.reply = (msg, body) => port.dispatchEvent(Object.assign(new Event('message'), { data: { json: JSON.stringify(msg), body } }));
  return w;
}

// Channels still open when a test ends are ended, so that no check timer
// outlives it.
const open = [];
afterEach(() => {
  for (const c of open.splice(0)) c.end(new InitializationError('the test is over'));
});

function channel(w = fakeWorker()) {
  const events = [];
  const c = new WorkerChannel(undefined, (name, data) => events.push({ name, data }), w.open);
  open.push(c);
  return { c, w, events };
}

// settled tells how a promise has settled once pending callbacks have run.
async function settled(p) {
  const mark = {};
  const v = await Promise.race([p.then((x) => ({ ok: x }), (e) => ({ err: e })), new Promise((r) => setImmediate(r, mark))]);
  return v === mark ? 'pending' : v;
}

describe('requests and replies', () => {
  test('each request gets the next id; its reply resolves it with the result and the body', async () => {
    const { c, w } = channel();
    const a = c.send(Op.request, { path: '/a' });
    const body = new ArrayBuffer(3);
    const b = c.send(Op.request, { path: '/b' }, body);
    assert.deepEqual([a.id, b.id], [1, 2]);
    assert.deepEqual(w.port.sent.map((m) => [m.id, m.op, m.params.path]), [[1, Op.request, '/a'], [2, Op.request, '/b']]);
    assert.equal(w.port.sent[1].body, body);
    assert.deepEqual(w.port.sent[1].transfer, [body], 'the body is transferred, not copied');
    assert.deepEqual(w.port.sent[0].transfer, []);

    const replyBody = new ArrayBuffer(1);
    w.reply({ id: 2, result: { status: 201 } }, replyBody);
    assert.deepEqual(await settled(b.promise), { ok: { result: { status: 201 }, body: replyBody } });
    assert.equal(await settled(a.promise), 'pending', 'a reply answers its own id only');
    w.reply({ id: 1, result: 'x' });
    assert.deepEqual(await settled(a.promise), { ok: { result: 'x', body: undefined } });
  });

  test('an error reply rejects with the error class it names', async () => {
    const { c, w } = channel();
    const p = c.call(Op.request, {});
    w.reply({ id: 1, error: { name: ErrorName.apiRequest, message: 'No Record found', status: 404, data: { a: 1 } } });
    const { err } = await settled(p);
    assert.ok(err instanceof ApiRequestError, `${err?.name}`);
    assert.equal(err.message, 'No Record found');
    assert.equal(err.status, 404);
  });

  test('a reply to no pending request (a cancelled one) is dropped; a message that is not JSON is ignored', async () => {
    const { c, w, events } = channel();
    const p = c.call(Op.request, {});
    w.reply({ id: 7, result: 'late' });
    w.port.dispatchEvent(Object.assign(new Event('message'), { data: { json: '{not json' } }));
    w.port.dispatchEvent(Object.assign(new Event('message'), { data: 'not an envelope' }));
    assert.equal(await settled(p), 'pending');
    assert.equal(events.length, 0);
    assert.equal(c.ended, null);
  });

  test('cancel drops the pending request and tells the worker to stop it', async () => {
    const { c, w } = channel();
    const { id, promise } = c.send(Op.request, {});
    c.cancel(id);
    assert.deepEqual(w.port.sent.at(-1).op, Op.cancel);
    assert.deepEqual(w.port.sent.at(-1).params, { id });
    w.reply({ id, result: 'late' });
    assert.equal(await settled(promise), 'pending', 'the caller settles it (request.js rejects with the abort reason)');
    const sent = w.port.sent.length;
    c.cancel(id);
    assert.equal(w.port.sent.length, sent, 'a second cancel sends nothing');
  });

  test('a port that refuses the message rejects the call, naming the op', async () => {
    const { c, w } = channel();
    w.port.postMessage = () => {
      throw new DOMException('could not be cloned', 'DataCloneError');
    };
    const { err } = await settled(c.call(Op.request, {}));
    assert.ok(err instanceof InitializationError);
    assert.match(err.message, new RegExp(`cannot post ${Op.request} to the worker: could not be cloned`));
  });

  test('an opener that throws is an InitializationError naming options.workerUrl', () => {
    assert.throws(() => new WorkerChannel('/w.js', () => {}, () => {
      throw new TypeError('bad URL');
    }), (e) => e instanceof InitializationError && e.message.includes('/w.js: bad URL') && e.message.includes('options.workerUrl'));
  });

  test('messages a prestarted worker sent before it was adopted are read first', () => {
    const w = fakeWorker({ early: [{ json: JSON.stringify({ event: EventName.log, data: { message: 'early' } }) }] });
    const { events } = channel(w);
    assert.deepEqual(events, [{ name: EventName.log, data: { message: 'early' } }]);
  });
});

describe('events and the fatal path', () => {
  test('events go to onEvent, not to a request', async () => {
    const { c, w, events } = channel();
    const p = c.call(Op.request, {});
    w.reply({ event: EventName.refreshed, data: { at: 1 } });
    assert.deepEqual(events, [{ name: EventName.refreshed, data: { at: 1 } }]);
    assert.equal(await settled(p), 'pending');
  });

  test('a fatal event ends the channel: pending and later calls reject with its message, the worker is stopped once', async () => {
    const { c, w, events } = channel();
    const p = c.call(Op.request, {});
    w.reply({ event: EventName.fatal, data: { message: 'Go panicked' } });
    const { err } = await settled(p);
    assert.ok(err instanceof InitializationError);
    assert.equal(err.message, 'Go panicked; call connect() again');
    assert.equal(c.ended, err);
    assert.equal(w.stops, 1);
    assert.deepEqual(events, [{ name: EventName.fatal, data: { name: ErrorName.initialization, message: 'Go panicked' } }]);
    const later = c.send(Op.request, {});
    assert.equal(later.id, 0);
    assert.equal((await settled(later.promise)).err, err);
    w.reply({ event: EventName.fatal, data: { message: 'again' } });
    assert.equal(w.stops, 1, 'ending twice stops once');
    assert.equal(events.length, 1);
  });

  test('a load error ends the channel with a hint, and is not left to the page', async () => {
    const { c, w, events } = channel();
    const p = c.call(Op.init, {});
    const e = Object.assign(new Event('error', { cancelable: true }), { message: 'SyntaxError: x' });
    w.errors.dispatchEvent(e);
    assert.equal(e.defaultPrevented, true);
    const { err } = await settled(p);
    assert.match(err.message, /the worker \(the package's worker.js\) failed: SyntaxError: x; serve the package's worker.js/);
    assert.equal(events[0].name, EventName.fatal);
  });

  test('end rejects what is pending with the error given, once', async () => {
    const { c, w } = channel();
    const p = c.call(Op.request, {});
    const why = new InitializationError('closed');
    c.end(why);
    c.end(new InitializationError('other'));
    assert.equal((await settled(p)).err, why);
    assert.equal(c.ended, why);
    assert.equal(w.stops, 1);
  });
});

describe('pings', () => {
  beforeEach((t) => t.mock.timers.enable({ apis: ['setInterval', 'setTimeout'] }));

  const pings = (w) => w.port.sent.filter((m) => m.op === Op.ping);

  test('a worker silent while calls are pending is pinged, and after 4 s of silence taken for gone', async (t) => {
    const { c, w, events } = channel();
    w.reply({ event: EventName.ready });
    const p = c.call(Op.request, {});
    t.mock.timers.tick(500);
    assert.equal(pings(w).length, 1, 'pinged after half a second without a message');
    const ids = pings(w).map((m) => m.id);
    assert.ok(ids[0] > 1, 'a ping takes an id of its own');
    t.mock.timers.tick(500 * 6);
    assert.equal(await settled(p), 'pending');
    t.mock.timers.tick(500);
    const { err } = await settled(p);
    assert.ok(err instanceof InitializationError);
    assert.match(err.message, /stopped answering for 4 s: it was terminated or hangs; call connect\(\) again/);
    assert.equal(events.at(-1).name, EventName.fatal);
    assert.equal(w.stops, 1);
  });

  test('any message counts as a sign of life', async (t) => {
    const { c, w } = channel();
    w.reply({ event: EventName.ready });
    const p = c.call(Op.request, {});
    for (let i = 0; i < 20; i++) {
      t.mock.timers.tick(500);
      w.reply({ event: EventName.log, data: { message: 'alive' } });
    }
    assert.equal(await settled(p), 'pending');
    assert.equal(c.ended, null);
  });

  test('no pings before the worker has answered (it may still be loading), nor when nothing is pending', async (t) => {
    const { c, w } = channel();
    const p = c.call(Op.init, {});
    t.mock.timers.tick(500 * 20);
    assert.equal(pings(w).length, 0);
    assert.equal(await settled(p), 'pending');
    w.reply({ id: 1, result: {} });
    await settled(p);
    t.mock.timers.tick(500 * 20);
    assert.equal(pings(w).length, 0, 'idle: nothing to wait for');
    assert.equal(c.ended, null);
  });
});

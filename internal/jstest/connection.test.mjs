// A signed-in session (js/connection.js): requests through the channel,
// disconnect() and its revocation report, and the states the worker's
// events move it through; with a fake channel.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceNowConnection, workerEvent } from '../../js/connection.js';
import { AuthTokenExpiredError, closedMessage, InitializationError, ParameterError } from '../../js/errors.js';
import { EventName, Kind, Op } from '../../js/protocol.js';

const instance = 'https://name.service-now.com';

// fakeChannel answers disconnect with disconnected (a promise, or a value),
// and requests with a 200; it records what it is asked.
function fakeChannel({ disconnected = { revoked: true } } = {}) {
  const ch = {
    calls: [],
    sent: [],
    ends: [],
    ended: null,
    call(op, params) {
      ch.calls.push({ op, params });
      return op === Op.disconnect ? Promise.resolve(disconnected) : Promise.reject(new Error(`unexpected ${op}`));
    },
    send(op, params, body) {
      ch.sent.push({ op, params, body });
      const reply = new TextEncoder().encode('{"result":{"ok":true}}').buffer;
      return { id: ch.sent.length, promise: Promise.resolve({ result: { status: 200, kind: Kind.json, headers: {} }, body: reply }) };
    },
    cancel() {},
    end(err) {
      ch.ends.push(err);
      ch.ended ??= err;
    },
  };
  return ch;
}

function connection(ch = fakeChannel(), closeTimeout) {
  const c = new ServiceNowConnection(ch, `${instance}/`, instance, 'client', closeTimeout);
  const events = [];
  for (const name of Object.values(EventName)) c.addEventListener(name, (e) => events.push({ name, detail: e.detail }));
  return { c, ch, events };
}

async function rejects(p, cls, part) {
  await assert.rejects(p, (e) => {
    assert.ok(e instanceof cls, `${e?.name}: ${e?.message}`);
    if (part) assert.ok(e.message.includes(part), e.message);
    return true;
  });
}

describe('requests', () => {
  test('executeApiRequest sends the request to the channel as a path on the instance, bound to the connection', async () => {
    const { c, ch } = connection();
    const { executeApiRequest } = c; // as apps destructure it
    const res = await executeApiRequest(`${instance}/api/now/table/incident?sysparm_limit=1`, 'POST', { a: 1 });
    assert.equal(res.status, 200);
    assert.deepEqual(res.data, { ok: true }, 'the {result} envelope is removed');
    assert.equal(ch.sent.length, 1);
    assert.equal(ch.sent[0].op, Op.request);
    assert.equal(ch.sent[0].params.path, '/api/now/table/incident?sysparm_limit=1');
    assert.equal(ch.sent[0].params.method, 'POST');
    assert.equal(new TextDecoder().decode(ch.sent[0].body), '{"a":1}');
    assert.equal(c.instanceUrl, `${instance}/`, 'the string connect() was given');
    assert.equal(c.clientId, 'client');
  });

  test('bad arguments are refused before anything is sent', async () => {
    const { c, ch } = connection();
    await rejects(c.executeApiRequest('/x', 1), ParameterError, 'HTTP method');
    await rejects(c.executeApiRequest('/x', 'GET', undefined, false, undefined, { timeout: -1 }), ParameterError, 'options.timeout');
    assert.equal(ch.sent.length, 0);
  });
});

describe('disconnect', () => {
  test('asks the worker to revoke, ends the channel, announces once, and reports what the instance confirmed', async () => {
    const { c, ch, events } = connection();
    const first = c.disconnect();
    assert.equal(c.disconnect(), first, 'a second call waits for the same close');
    assert.deepEqual(await first, { revoked: true });
    assert.deepEqual(ch.calls.map((x) => x.op), [Op.disconnect]);
    assert.equal(ch.ends.length, 1);
    assert.equal(ch.ends[0].message, closedMessage);
    assert.deepEqual(events, [{ name: EventName.disconnected, detail: { reason: 'disconnect', revoked: true } }]);
    await rejects(c.executeApiRequest('/x'), InitializationError, closedMessage);
    assert.equal(ch.sent.length, 0);
  });

  test('revoked is false unless the worker says true', async () => {
    for (const answer of [{ revoked: false }, {}, null, Promise.reject(new Error('worker gone'))]) {
      answer?.catch?.(() => {});
      const { c, events } = connection(fakeChannel({ disconnected: answer }));
      assert.deepEqual(await c.disconnect(), { revoked: false }, `${JSON.stringify(answer)}`);
      assert.equal(events[0].detail.revoked, false);
    }
  });

  test('a worker that never answers does not hold disconnect() past closeTimeout', async () => {
    const { c, ch } = connection(fakeChannel({ disconnected: new Promise(() => {}) }), 20);
    assert.deepEqual(await c.disconnect(), { revoked: false });
    assert.equal(ch.ends.length, 1, 'the worker is stopped all the same');
  });

  test('after a fatal error nothing is asked of the dead worker', async () => {
    const { c, ch, events } = connection();
    c[workerEvent](EventName.fatal, { message: 'Go panicked' });
    assert.deepEqual(await c.disconnect(), { revoked: false });
    assert.deepEqual(ch.calls, []);
    assert.deepEqual(events.map((e) => e.detail.reason), ['fatal'], 'announced once, for the fatal error');
  });
});

describe('worker events', () => {
  test('refreshing and refreshed are passed on with their detail; the session stays open', async () => {
    const { c, events } = connection();
    c[workerEvent](EventName.refreshing, { n: 1 });
    c[workerEvent](EventName.refreshed, { n: 2 });
    assert.deepEqual(events, [{ name: EventName.refreshing, detail: { n: 1 } }, { name: EventName.refreshed, detail: { n: 2 } }]);
    assert.equal((await c.executeApiRequest('/x')).status, 200);
  });

  test('expired: later calls fail with AuthTokenExpiredError without reaching the worker', async () => {
    const { c, ch, events } = connection();
    c[workerEvent](EventName.expired, { reason: 'refresh refused' });
    assert.deepEqual(events, [{ name: EventName.expired, detail: { reason: 'refresh refused' } }]);
    await rejects(c.executeApiRequest('/x'), AuthTokenExpiredError, 'call connect() again');
    assert.equal(ch.sent.length, 0);
  });

  test('disconnected from the worker (another window, in shared mode) closes the session and stops the channel', async () => {
    const { c, ch, events } = connection();
    c[workerEvent](EventName.disconnected, { revoked: true });
    c[workerEvent](EventName.disconnected, { revoked: true });
    assert.deepEqual(events, [{ name: EventName.disconnected, detail: { reason: 'disconnect', revoked: true } }]);
    assert.equal(ch.ends.length, 2, 'ended by the event; the channel itself makes a second end do nothing');
    await rejects(c.executeApiRequest('/x'), InitializationError, closedMessage);
  });

  test('fatal: calls fail with the channel\'s error, or one that carries the message', async () => {
    const { c, ch, events } = connection();
    c[workerEvent](EventName.fatal, { message: 'Web Lock taken' });
    await rejects(c.executeApiRequest('/x'), InitializationError, 'Web Lock taken; call connect() again');
    assert.deepEqual(events, [{ name: EventName.disconnected, detail: { reason: 'fatal', message: 'Web Lock taken' } }]);

    const ended = new InitializationError('the worker stopped answering');
    const other = connection(Object.assign(fakeChannel(), { ended }));
    other.c[workerEvent](EventName.fatal, { message: 'x' });
    await assert.rejects(other.c.executeApiRequest('/x'), (e) => e === ended);
    assert.equal(ch.sent.length, 0);
  });

  test('a fatal event after disconnect() changes nothing', async () => {
    const { c, events } = connection();
    await c.disconnect();
    c[workerEvent](EventName.fatal, { message: 'late' });
    assert.deepEqual(events.map((e) => e.detail.reason), ['disconnect']);
    await rejects(c.executeApiRequest('/x'), InitializationError, closedMessage);
  });
});

// API request checks (js/request.js): arguments, bodies, timeouts, replies.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiRequestError, InitializationError, ParameterError } from '../../js/errors.js';
import { ErrorName, Kind, Methods, Op } from '../../js/protocol.js';
import { checkMs, checkRequestOptions, defaultTimeout, encodeBody, request, requestParams } from '../../js/request.js';

const instance = 'https://name.service-now.com';
const text = (buf) => new TextDecoder().decode(buf);

function paramError(fn, ...parts) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof ParameterError, `${e?.name}: ${e?.message}`);
    for (const p of parts) assert.ok(e.message.includes(p), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(p)}`);
    return true;
  });
}

test('requestParams: paths, methods and headers', () => {
  assert.deepEqual(requestParams(instance, '/api/now/table/incident', 'GET'), { path: '/api/now/table/incident', method: 'GET', headers: {} });
  assert.equal(requestParams(instance, `${instance}/api/x?y=1`, 'GET').path, '/api/x?y=1', 'a URL on the instance becomes a path');
  assert.equal(requestParams(instance, 'https://evil.example/api/x', 'GET').path, 'https://evil.example/api/x', 'another origin is left for the worker to refuse');
  assert.equal(requestParams(instance, '/x', 'DELETE', true).suppressResponseBody, true);
  assert.deepEqual(requestParams(instance, '/x', 'GET', false, { A: 'b', N: 1, T: true }).headers, { A: 'b', N: '1', T: 'true' });
  assert.deepEqual(requestParams(instance, '/x', 'GET', false, new Headers({ A: 'b' })).headers, { a: 'b' });
  paramError(() => requestParams(instance, 42, 'GET'), 'API endpoint', '42', 'path on the instance');
  paramError(() => requestParams(instance, '/x', 1), 'HTTP method', '1', Methods.join(', '));
  paramError(() => requestParams(instance, '/x', 'GET', false, 'A: b'), 'headers', '"A: b"', 'object of header names');
  paramError(() => requestParams(instance, '/x', 'GET', false, { A: {} }), 'header "A"', '[object Object]', 'want a string');
});

test('encodeBody: strings, bytes, blobs and JSON', async () => {
  assert.equal(await encodeBody(undefined), undefined);
  assert.equal(await encodeBody(null), undefined);
  assert.equal(text(await encodeBody('hé')), 'hé');
  assert.equal(text(await encodeBody({ a: [1] })), '{"a":[1]}');
  const buf = new TextEncoder().encode('abc').buffer;
  const copy = await encodeBody(buf);
  assert.notEqual(copy, buf, 'a copy, since transferring detaches it');
  assert.equal(text(copy), 'abc');
  assert.equal(text(await encodeBody(new Uint8Array(buf, 1, 2))), 'bc');
  assert.equal(text(await encodeBody(new Blob(['blob']))), 'blob');
  const cyclic = {};
  cyclic.self = cyclic;
  await assert.rejects(encodeBody(cyclic), (e) => e instanceof ParameterError && /cannot be JSON-encoded/.test(e.message) && /want an object/.test(e.message));
  await assert.rejects(encodeBody(() => {}), (e) => e instanceof ParameterError && /Invalid request data/.test(e.message));
});

test('checkMs and checkRequestOptions', () => {
  assert.equal(checkMs('t', 1), 1);
  assert.equal(checkMs('t', 2 ** 31 - 1), 2 ** 31 - 1);
  for (const bad of [0, -1, NaN, Infinity, 2 ** 31, '5']) paramError(() => checkMs('options.x', bad), 'options.x', 'positive number of milliseconds');
  paramError(() => checkMs('options.x', 0, '; or else'), '; or else');
  assert.deepEqual(checkRequestOptions(undefined), { timeout: defaultTimeout });
  assert.deepEqual(checkRequestOptions({}), { signal: undefined, timeout: defaultTimeout });
  assert.deepEqual(checkRequestOptions({ timeout: 0 }), { signal: undefined, timeout: 0 });
  assert.deepEqual(checkRequestOptions({ timeout: Infinity }), { signal: undefined, timeout: 0 });
  const signal = new AbortController().signal;
  assert.equal(checkRequestOptions({ signal }).signal, signal);
  paramError(() => checkRequestOptions(5), 'request options', '5', '{signal?, timeout?}');
  paramError(() => checkRequestOptions({ signal: {} }), 'options.signal', 'AbortSignal');
  paramError(() => checkRequestOptions({ timeout: -1 }), 'options.timeout', '-1', 'or 0 or Infinity for none');
});

// fakeChannel answers one send with reply (a promise's outcome), and records cancels.
function fakeChannel(reply) {
  const ch = { sent: [], cancelled: [] };
  ch.send = (op, params, body) => {
    ch.sent.push({ op, params, body });
    return { id: 7, promise: reply };
  };
  ch.cancel = (id) => ch.cancelled.push(id);
  return ch;
}

const get = { path: '/api/x', method: 'GET', headers: {} };
const bytes = (s) => new TextEncoder().encode(s).buffer;

test('request reads each kind of reply', async () => {
  const ch = fakeChannel(Promise.resolve({ result: { status: 200, kind: Kind.json, type: 'application/json', headers: { a: 'b' } }, body: bytes('{"result":[1]}') }));
  assert.deepEqual(await request(ch, get, undefined, { timeout: 0 }), { status: 200, type: 'application/json', headers: { a: 'b' }, data: [1] });
  assert.equal(ch.sent[0].op, Op.request);
  assert.deepEqual(await request(fakeChannel(Promise.resolve({ result: { status: 200, kind: Kind.json }, body: bytes('{"x":1}') })), get, undefined, { timeout: 0 }).then((r) => r.data), { x: 1 });
  assert.equal((await request(fakeChannel(Promise.resolve({ result: { status: 200, kind: Kind.text }, body: bytes('t') })), get, undefined, { timeout: 0 })).data, 't');
  const bin = await request(fakeChannel(Promise.resolve({ result: { status: 200, kind: Kind.binary } })), get, undefined, { timeout: 0 });
  assert.ok(bin.data instanceof ArrayBuffer && bin.data.byteLength === 0);
  assert.equal('data' in (await request(fakeChannel(Promise.resolve({ result: { status: 204, kind: Kind.none } })), get, undefined, { timeout: 0 })), false);
  await assert.rejects(request(fakeChannel(Promise.resolve({ result: { status: 200, kind: Kind.json, type: 'text/html' }, body: bytes('<html>') })), get, undefined, { timeout: 0 }),
    (e) => e instanceof ApiRequestError && e.status === 200 && e.data === '<html>' && /not valid JSON \(Content-Type text\/html\)/.test(e.message));
  await assert.rejects(request(fakeChannel(Promise.resolve({ result: { status: 200, kind: 'odd' } })), get, undefined, { timeout: 0 }),
    (e) => e instanceof InitializationError && /unknown kind "odd"/.test(e.message));
});

test('request passes the worker\'s error on', async () => {
  const err = new ApiRequestError('nope', 404);
  await assert.rejects(request(fakeChannel(Promise.reject(err)), get, undefined, { timeout: 0 }), (e) => e === err);
});

test('request: abort and timeout cancel the worker\'s request', async (t) => {
  const never = new Promise(() => {});
  const aborted = AbortSignal.abort(new Error('already'));
  const ch0 = fakeChannel(never);
  await assert.rejects(request(ch0, get, undefined, { signal: aborted }), /already/);
  assert.equal(ch0.sent.length, 0, 'nothing sent for an aborted signal');

  const ac = new AbortController();
  const ch1 = fakeChannel(never);
  const p1 = request(ch1, get, undefined, { signal: ac.signal, timeout: 0 });
  ac.abort(new Error('stop'));
  await assert.rejects(p1, /stop/);
  assert.deepEqual(ch1.cancelled, [7]);

  t.mock.timers.enable({ apis: ['setTimeout'] });
  const ch2 = fakeChannel(never);
  const p2 = request(ch2, get, undefined, { timeout: 1000 });
  t.mock.timers.tick(999);
  assert.deepEqual(ch2.cancelled, []);
  t.mock.timers.tick(1);
  await assert.rejects(p2, (e) => e instanceof DOMException && e.name === ErrorName.timeout && /GET \/api\/x did not finish within 1000 ms/.test(e.message));
  assert.deepEqual(ch2.cancelled, [7]);
});

// The error classes (js/errors.js) and their rebuilding from the worker's replies.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as errors from '../../js/errors.js';
import { ErrorName } from '../../js/protocol.js';

const { ApiError, ApiRequestError, AuthorizationError, AuthTokenExpiredError, InitializationError, ParameterError, fromWire, show } = errors;

test('each class is an ApiError and an Error, named as the wire names it', () => {
  const classes = [
    [ApiRequestError, ErrorName.apiRequest],
    [AuthorizationError, ErrorName.authorization],
    [AuthTokenExpiredError, ErrorName.tokenExpired],
    [InitializationError, ErrorName.initialization],
    [ParameterError, ErrorName.parameter],
  ];
  for (const [cls, name] of classes) {
    const e = new cls('boom');
    assert.ok(e instanceof cls && e instanceof ApiError && e instanceof Error, name);
    assert.equal(e.name, name);
    assert.equal(e.message, 'boom');
    assert.ok(String(e).startsWith(`${name}: boom`));
  }
  assert.equal(new ApiError('x').name, 'ApiError');
  assert.ok(!(new ParameterError('x') instanceof AuthorizationError));
});

test('data, status and cause', () => {
  const cause = new Error('under');
  const e = new ApiError('m', { a: 1 }, { cause });
  assert.deepEqual(e.data, { a: 1 });
  assert.equal(e.cause, cause);
  assert.ok(!('data' in new ApiError('m')), 'no data property without data');
  const r = new ApiRequestError('m', 404, 'body');
  assert.equal(r.status, 404);
  assert.equal(r.data, 'body');
});

test('fromWire rebuilds each error name', () => {
  const r = fromWire({ name: ErrorName.apiRequest, message: 'm', status: 500, data: { x: 1 } });
  assert.ok(r instanceof ApiRequestError);
  assert.equal(r.status, 500);
  assert.deepEqual(r.data, { x: 1 });
  for (const [name, cls] of [[ErrorName.authorization, AuthorizationError], [ErrorName.tokenExpired, AuthTokenExpiredError],
    [ErrorName.initialization, InitializationError], [ErrorName.parameter, ParameterError]]) {
    const e = fromWire({ name, message: 'm', data: 'd' });
    assert.ok(e instanceof cls, name);
    assert.equal(e.data, 'd');
  }
  for (const name of [ErrorName.abort, ErrorName.timeout]) {
    const e = fromWire({ name, message: 'm' });
    assert.ok(e instanceof DOMException);
    assert.equal(e.name, name);
  }
});

test('fromWire of anything else is an ApiError with a message', () => {
  const e = fromWire({ name: 'Nope', message: 'm' });
  assert.equal(e.constructor, ApiError);
  assert.equal(e.message, 'm');
  for (const bad of [null, undefined, 'x', { message: 4 }]) {
    const b = fromWire(bad);
    assert.ok(b instanceof ApiError);
    assert.match(b.message, /without a message/);
  }
});

test('show renders values for messages, cut to 120 characters', () => {
  assert.equal(show('a"b'), '"a\\"b"');
  assert.equal(show(new URL('https://x.example/')), '"https://x.example/"');
  assert.equal(show(3), '3');
  assert.equal(show(undefined), 'undefined');
  assert.equal(show(Object.create(null)), '[object Object]');
  const long = show('y'.repeat(500));
  assert.equal(long.length, 120);
  assert.ok(long.endsWith('...'));
});

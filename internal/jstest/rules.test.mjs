// The rules the module checks before the sign-in window opens and the worker
// checks again, run through the module's code on the same case table as the
// worker's tests (worker/rules_test.go): the two cannot drift apart.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, test } from 'node:test';
import { ParameterError } from '../../js/errors.js';
import { settings, under } from '../../js/settings.js';

const cases = JSON.parse(readFileSync(new URL('../../bridge/testdata/rules.json', import.meta.url), 'utf8'));

beforeEach(() => {
  globalThis.location = { href: 'https://app.example/', origin: 'https://app.example' };
});
afterEach(() => {
  delete globalThis.location;
});

const connect = (instanceUrl, authFlowParams, clientId = 'client', scope = undefined) => settings(instanceUrl, clientId, scope, authFlowParams);

test('instance URLs: the origin connect() sends the worker, or a ParameterError', () => {
  assert.ok(cases.instance.length > 0);
  for (const c of cases.instance) {
    if (c.origin === null) {
      assert.throws(() => connect(c.url), (e) => e instanceof ParameterError && e.message.includes('instance URL'), `connect() takes ${JSON.stringify(c.url)}`);
    } else {
      assert.equal(connect(c.url).init.instanceUrl, c.origin, `for ${JSON.stringify(c.url)}`);
    }
  }
});

test('allowedPaths prefixes hold whole segments', () => {
  assert.ok(cases.under.length > 0);
  for (const c of cases.under) assert.equal(under(c.path, c.prefix), c.under, `under(${JSON.stringify(c.path)}, ${JSON.stringify(c.prefix)})`);
});

test('reserved authorize parameters', () => {
  assert.ok(cases.reservedAuthParams.length > 0);
  for (const c of cases.reservedAuthParams) {
    const run = () => connect('https://name.service-now.com', { [c.key]: 'v' });
    if (c.reserved) assert.throws(run, (e) => e instanceof ParameterError && e.message.includes('authFlowParams'), `key ${JSON.stringify(c.key)}`);
    else assert.doesNotThrow(run, `key ${JSON.stringify(c.key)}`);
  }
});

test('client IDs and scope names', () => {
  assert.ok(cases.clientId.length > 0 && cases.scope.length > 0);
  const check = (what, c, run) => {
    if (c.ok) assert.doesNotThrow(run, `${what} ${JSON.stringify(c.value)}`);
    else assert.throws(run, (e) => e instanceof ParameterError && e.message.includes(what), `${what} ${JSON.stringify(c.value)}`);
  };
  for (const c of cases.clientId) check('client ID', c, () => connect('https://name.service-now.com', undefined, c.value));
  for (const c of cases.scope) check('scope', c, () => connect('https://name.service-now.com', undefined, 'client', [c.value]));
});

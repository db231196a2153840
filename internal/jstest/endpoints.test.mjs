// What the page remembers of endpoints: 'auto' (js/endpoints.js): a hint
// the worker checks before the code is spent, never the endpoints to use.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { forget, recall, remember } from '../../js/endpoints.js';
import { Path } from '../../js/protocol.js';

const instanceUrl = 'https://name.service-now.com';
const key = `snworker.endpoints ${instanceUrl}`;
let store;

beforeEach(() => {
  store = new Map();
  Object.defineProperty(globalThis, 'localStorage', {
    configurable: true,
    value: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, String(v)), removeItem: (k) => store.delete(k) },
  });
});
afterEach(() => {
  delete globalThis.localStorage;
});

const cfg = (init = {}) => ({ instanceUrl, init: { instanceUrl, endpoints: 'auto', ...init } });

test('a remembered value goes to the worker as a hint; the endpoints stay auto', () => {
  store.set(key, 'servicenow');
  const c = cfg();
  assert.equal(recall(c), true);
  assert.equal(c.init.endpoints, 'auto');
  assert.equal(c.init.hint, 'servicenow');
});

test('a stored value that names no endpoints is no hint', () => {
  for (const v of ['https://evil.example', 'auto', '']) {
    store.set(key, v);
    const c = cfg();
    assert.equal(recall(c), false, v);
    assert.equal(c.init.hint, undefined, v);
  }
});

test('an explicit choice takes no hint', () => {
  store.set(key, 'openfin');
  for (const init of [{ endpoints: 'servicenow' }, { tokenPath: '/t.do' }, { allowedPaths: ['/api/now/table/'] }]) {
    const c = cfg(init);
    assert.equal(recall(c), false);
    assert.equal(c.init.hint, undefined);
  }
});

test('what the worker found replaces a hint that no longer held, and a failure forgets it', () => {
  store.set(key, 'servicenow');
  const c = cfg();
  recall(c);
  remember(c, { tokenPath: Path.openfinToken });
  assert.equal(store.get(key), 'openfin');
  forget(c);
  assert.equal(store.has(key), false);
});

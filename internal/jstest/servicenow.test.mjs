// The module's entry (js/servicenow.js): its exports, the sign-in as
// connect() runs it, one sign-in at a time, and the checks on what the
// worker returns; with a fake Worker, a fake sign-in window that reports
// its URLs (as OpenFin's does) and a stand-in page window.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import * as sn from '../../js/servicenow.js';
import { AuthorizationError, InitializationError } from '../../js/errors.js';
import { Kind, Op } from '../../js/protocol.js';

const instance = 'https://name.service-now.com';
const redirectUri = 'https://app.example/app/';

// FakeWorker answers as the worker does; authorizeUrl is what begin returns.
let workers;
let authorizeUrl;
class FakeWorker extends EventTarget {
  constructor(url) {
    super();
    this.url = url;
    this.ops = [];
    this.terminated = false;
    workers.push(this);
  }

  postMessage(m) {
    const msg = JSON.parse(m.json);
    this.ops.push(msg.op);
    const results = {
      [Op.init]: {},
      [Op.begin]: { authorizeUrl, state: 's' },
      [Op.endpoints]: {},
      [Op.complete]: {},
      [Op.disconnect]: { revoked: true },
      [Op.ping]: {},
    };
    let data;
    if (msg.op === Op.request) {
      data = { json: JSON.stringify({ id: msg.id, result: { status: 200, kind: Kind.json, headers: {} } }),
        body: new TextEncoder().encode('{"result":[{"user_name":"admin"}]}').buffer };
    } else {
      data = { json: JSON.stringify({ id: msg.id, result: results[msg.op] }) };
    }
    setImmediate(() => this.dispatchEvent(Object.assign(new Event('message'), { data })));
  }

  terminate() {
    this.terminated = true;
  }
}

// signInWindow is a sign-in window that reports its URLs: sent to the
// authorize URL, it comes back to the redirect URL with a code.
function signInWindow({ comesBack = true } = {}) {
  const w = { closed: false, navigated: [], closes: 0 };
  w.close = () => { w.closed = true; w.closes++; };
  w.onUrl = (fn) => { w.report = fn; };
  w.navigate = (url) => {
    w.navigated.push(url);
    if (comesBack) setImmediate(() => w.report?.(`${redirectUri}?code=c0de&state=s`));
  };
  return w;
}

function options(opened) {
  return { redirectUri, windowOpener: { open: () => opened } };
}

beforeEach(async () => {
  await sn.prestart(false); // no spare worker carried from one test to the next
  workers = [];
  authorizeUrl = `${instance}/oauth_auth.do?response_type=code`;
  const page = new EventTarget();
  globalThis.window = page;
  globalThis.Worker = FakeWorker;
});

afterEach(() => {
  delete globalThis.window;
  delete globalThis.Worker;
});

test('the module exports the API of @openfin/servicenow and its own additions', () => {
  for (const name of ['connect', 'getConnection', 'enableLogging', 'disableLogging', 'openFinWindowOpener', 'popupWindowOpener', 'prestart']) {
    assert.equal(typeof sn[name], 'function', name);
  }
  for (const name of ['ApiError', 'ApiRequestError', 'AuthorizationError', 'AuthTokenExpiredError', 'InitializationError', 'ParameterError']) {
    assert.ok(sn[name].prototype instanceof Error, name);
  }
});

test('in OpenFin, the logging switch is on fin.Integrations.ServiceNow, as the original puts it', async () => {
  globalThis.fin = { Integrations: { Other: 1 } };
  try {
    await import('../../js/servicenow.js?fin');
    assert.equal(globalThis.fin.Integrations.ServiceNow.enableLogging, sn.enableLogging);
    assert.equal(globalThis.fin.Integrations.ServiceNow.disableLogging, sn.disableLogging);
    assert.equal(globalThis.fin.Integrations.Other, 1, 'the rest of fin.Integrations is kept');
  } finally {
    delete globalThis.fin;
  }
});

describe('connect', () => {
  test('signs in: the window goes to the authorize URL, the code to the worker, and the user comes back', async () => {
    const w = signInWindow();
    const conn = await sn.connect(instance, 'client', undefined, undefined, undefined, options(w));
    assert.equal(conn.currentUser.user_name, 'admin');
    assert.equal(conn.instanceUrl, instance);
    assert.deepEqual(w.navigated, [authorizeUrl]);
    assert.equal(w.closed, true, 'the window is closed once the redirect is in');
    assert.equal(workers.length, 1);
    assert.deepEqual(workers[0].ops, [Op.init, Op.begin, Op.endpoints, Op.complete, Op.request]);
    assert.deepEqual(await conn.disconnect(), { revoked: true });
    assert.equal(workers[0].terminated, true);
  });

  test('a blocked window fails before any worker starts', async () => {
    await assert.rejects(sn.connect(instance, 'client', undefined, undefined, undefined, options(null)),
      (e) => e instanceof AuthorizationError && /blocked: call connect\(\) directly from a click handler/.test(e.message));
    assert.equal(workers.length, 0);
  });

  test('an opener that throws fails with AuthorizationError carrying the cause', async () => {
    const boom = new Error('no windows here');
    const o = { redirectUri, windowOpener: { open: () => { throw boom; } } };
    await assert.rejects(sn.connect(instance, 'client', undefined, undefined, undefined, o),
      (e) => e instanceof AuthorizationError && e.message.includes('no windows here') && e.cause === boom);
  });

  test('one sign-in at a time: a second connect() is refused while the first window is open, and takes over once it is closed', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] }); // the window's watch
    const first = signInWindow({ comesBack: false });
    const pending = sn.connect(instance, 'client', undefined, undefined, undefined, options(first));
    pending.catch(() => {});
    await new Promise((r) => setImmediate(r));
    await assert.rejects(sn.connect(instance, 'client', undefined, undefined, undefined, options(signInWindow())),
      (e) => e instanceof AuthorizationError && /already in progress/.test(e.message));

    first.closed = true; // the user closed it
    t.mock.timers.tick(250); // the watch's next look
    const conn = await sn.connect(instance, 'client', undefined, undefined, undefined, options(signInWindow()));
    await assert.rejects(pending, (e) => e instanceof AuthorizationError && /closed or lost, and connect\(\) was called again/.test(e.message));
    assert.equal(conn.currentUser.user_name, 'admin');
    await conn.disconnect();
  });

  test('an authorize URL from the worker that is not on the instance is refused, and the worker is let go', async () => {
    authorizeUrl = 'https://evil.example/oauth_auth.do';
    const w = signInWindow();
    await assert.rejects(sn.connect(instance, 'client', undefined, undefined, undefined, options(w)),
      (e) => e instanceof InitializationError && e.message.includes(`not on ${instance}`));
    assert.deepEqual(w.navigated, [], 'the window never went there');
    assert.equal(w.closed, true);
    assert.equal(workers.length, 1, 'no spare is started: prestarting is off');
    assert.equal(workers[0].ops.at(-1), Op.disconnect, 'the worker is asked to revoke what it may hold');
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.equal(workers[0].terminated, true, 'then stopped');
  });
});

test('getConnection: without SharedWorker, null and no worker', async () => {
  assert.equal(await sn.getConnection(instance, 'client', { shared: true, redirectUri, windowOpener: { open: () => null } }), null);
  assert.equal(workers.length, 0);
});

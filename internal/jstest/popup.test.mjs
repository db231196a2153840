// The sign-in window's watch and the wait for its redirect (js/popup.js),
// with fake window handles, fake timers and a stand-in page window. The e2e
// tests drive the same code in real browsers.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { AuthorizationError } from '../../js/errors.js';
import { newFlowId, originOf, randomName, sendsCoop, waitRedirect, watchWindow } from '../../js/popup.js';

const redirectUri = 'https://app.example/app/';
const clientId = 'a-client-id';
const flow = (timeout) => ({ timeout, clientId, redirectUri });

// handle is a fake sign-in window handle.
const handle = (o = {}) => ({ closed: false, cutOff: false, closes: 0, close() { this.closes++; }, ...o });

// outcome reports how a promise has settled once pending callbacks have run
// (setImmediate is not among the faked timers).
async function outcome(p) {
  const mark = {};
  const v = await Promise.race([p.then((x) => ({ ok: x }), (e) => ({ err: e })), new Promise((r) => setImmediate(r, mark))]);
  return v === mark ? 'pending' : v;
}

describe('watchWindow', () => {
  beforeEach((t) => t.mock.timers.enable({ apis: ['setInterval', 'setTimeout'] }));

  test('a window closed for three polls in a row fails the flow, naming the client ID and the redirect URL', async (t) => {
    const w = handle();
    const watch = watchWindow(w, flow(60000));
    w.closed = true;
    t.mock.timers.tick(500);
    assert.equal(await outcome(watch.failed), 'pending', 'two polls are not enough');
    assert.equal(watch.lost(), true);
    t.mock.timers.tick(250);
    const { err } = await outcome(watch.failed);
    assert.ok(err instanceof AuthorizationError);
    assert.match(err.message, /closed before sign-in finished/);
    assert.ok(err.message.includes(redirectUri) && err.message.includes('options.redirectUri'));
    assert.ok(err.message.includes(`"Invalid client_id", check that ${clientId} is the Client ID`), err.message);
    assert.match(err.message, /System OAuth > Application Registry/);
    assert.equal(err.data, redirectUri);
    watch.stop();
  });

  test('a handle that has no cutOff (a window opener of the app\'s own) is watched the same', async (t) => {
    const w = handle();
    delete w.cutOff;
    const watch = watchWindow(w, flow(60000));
    w.closed = true;
    t.mock.timers.tick(750);
    assert.ok((await outcome(watch.failed)).err instanceof AuthorizationError);
    watch.stop();
  });

  test('while the handle can\'t yet tell a cut-off window (cutOff null), a closed window does not fail the flow', async (t) => {
    const w = handle({ closed: true, cutOff: null });
    const watch = watchWindow(w, flow(60000), () => assert.fail('not cut off'));
    t.mock.timers.tick(2000);
    assert.equal(await outcome(watch.failed), 'pending');
    w.cutOff = false; // the page sends no COOP: the window was closed
    t.mock.timers.tick(250);
    assert.match((await outcome(watch.failed)).err.message, /closed before sign-in finished/);
    watch.stop();
  });

  test('a window that reopens between polls starts the count again', async (t) => {
    const w = handle();
    const watch = watchWindow(w, flow(60000));
    w.closed = true;
    t.mock.timers.tick(500);
    w.closed = false;
    t.mock.timers.tick(250);
    assert.equal(watch.lost(), false);
    w.closed = true;
    t.mock.timers.tick(500);
    assert.equal(await outcome(watch.failed), 'pending');
    watch.stop();
  });

  test('after the redirect a closing window is no failure', async (t) => {
    const w = handle();
    const watch = watchWindow(w, flow(60000));
    watch.redirected();
    w.closed = true;
    t.mock.timers.tick(5000);
    assert.equal(await outcome(watch.failed), 'pending');
    watch.stop();
  });

  test('a cut-off handle is reported once and waits for the timeout', async (t) => {
    const w = handle({ closed: true, cutOff: true });
    let cuts = 0;
    const watch = watchWindow(w, flow(10000), () => cuts++);
    t.mock.timers.tick(5000);
    assert.equal(cuts, 1);
    assert.equal(await outcome(watch.failed), 'pending');
    assert.equal(watch.lost(), true, 'connect() may take over');
    t.mock.timers.tick(5000);
    const { err } = await outcome(watch.failed);
    assert.match(err.message, /did not finish within 10000 ms \(options\.authTimeout\)/);
    assert.ok(err.message.includes(clientId) && err.message.includes(redirectUri), 'names both things the instance can refuse');
    assert.equal(w.closes, 1, 'the timeout closes the window');
    watch.stop();
  });

  test('stop ends the polls and the timer; end fails with the given error', async (t) => {
    const w = handle();
    const watch = watchWindow(w, flow(1000));
    watch.stop();
    w.closed = true;
    t.mock.timers.tick(5000);
    assert.equal(await outcome(watch.failed), 'pending');
    assert.equal(w.closes, 0);
    const e = new Error('taken over');
    watch.end(e);
    assert.equal((await outcome(watch.failed)).err, e);
  });
});

describe('waitRedirect', () => {
  let page;
  beforeEach(() => {
    page = new EventTarget();
    globalThis.window = page;
  });
  afterEach(() => {
    delete globalThis.window;
  });
  const post = (data, source, origin = 'https://app.example') => page.dispatchEvent(Object.assign(new Event('message'), { data, source, origin }));
  const message = (query, flow) => ({ type: 'snworker:redirect', query, ...(flow ? { flow } : {}) });

  test('takes the query from the flow\'s own window', async () => {
    const w = handle({ window: {} });
    const r = waitRedirect(w, redirectUri, 'f1');
    post(message('code=c&state=s'), w.window);
    assert.deepEqual(await outcome(r.promise), { ok: 'code=c&state=s' });
  });

  test('ignores other windows, other origins and other messages', async () => {
    const w = handle({ window: {} });
    const r = waitRedirect(w, redirectUri, 'f1');
    post(message('code=evil&state=s'), {});
    post(message('code=evil&state=s', 'f2'), {});
    post(message('code=evil&state=s', 'f1'), w.window, 'https://evil.example');
    post({ type: 'other', query: 'code=evil' }, w.window);
    post({ type: 'snworker:redirect', query: 5 }, w.window);
    assert.equal(await outcome(r.promise), 'pending');
    post(message('code=good&state=s', 'f1'), {}); // another window of this origin that holds the flow ID
    assert.deepEqual(await outcome(r.promise), { ok: 'code=good&state=s' });
  });

  test('takes the query over the flow\'s BroadcastChannel only with its ID', async () => {
    const w = handle({ window: {} });
    const r = waitRedirect(w, redirectUri, 'f3');
    const other = new BroadcastChannel('snworker:f2'); // another flow's channel
    other.postMessage(message('code=no&state=s', 'f2'));
    other.close();
    const ch = new BroadcastChannel('snworker:f3');
    ch.postMessage(message('code=no&state=s'));
    ch.postMessage(message('code=no&state=s', 'f4'));
    ch.postMessage(message('code=bc&state=s', 'f3'));
    ch.close();
    assert.deepEqual(await r.promise, 'code=bc&state=s');
  });

  test('takes the query from a window opener that reports URLs, at the redirect URL only', async () => {
    let report;
    const w = handle({ onUrl: (fn) => { report = fn; } });
    const r = waitRedirect(w, redirectUri, 'f5');
    report('https://app.example/other/?code=x&state=s');
    report('https://evil.example/app/?code=x&state=s');
    report('not a url');
    assert.equal(await outcome(r.promise), 'pending');
    report('https://app.example/app/?code=u&state=s');
    assert.deepEqual(await outcome(r.promise), { ok: 'code=u&state=s' });
  });

  test('stop removes the listener', async () => {
    const w = handle({ window: {} });
    const r = waitRedirect(w, redirectUri, 'f6');
    r.stop();
    post(message('code=c&state=s'), w.window);
    assert.equal(await outcome(r.promise), 'pending');
  });
});

test('sendsCoop reads a Cross-Origin-Opener-Policy header', () => {
  assert.equal(sendsCoop(null), false);
  assert.equal(sendsCoop(''), false);
  assert.equal(sendsCoop('unsafe-none'), false);
  assert.equal(sendsCoop(' unsafe-none; report-to="r"'), false);
  assert.equal(sendsCoop('same-origin-allow-popups'), true);
  assert.equal(sendsCoop('same-origin; report-to="r"'), true);
  assert.equal(sendsCoop('noopener-allow-popups'), true);
});

test('names and IDs', () => {
  assert.match(randomName(), /^snworker-auth-[0-9a-f]{24}$/);
  assert.notEqual(randomName(), randomName());
  assert.match(newFlowId(), /^[0-9a-f]{32}$/);
  assert.equal(originOf('https://a.example:8443/x?y'), 'https://a.example:8443');
  assert.equal(originOf('nope'), null);
});

// Finishing a sign-in in the sign-in window (js/redirect.js), with location,
// sessionStorage, history, window and BroadcastChannel stubbed as globals.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { finishSignIn, handleRedirect, isRedirect, signInKey, taken } from '../../js/redirect.js';

const origin = 'https://app.example';
const names = ['window', 'location', 'sessionStorage', 'history', 'BroadcastChannel'];
let saved;
let page; // what the stubs record

function storage(entries) {
  const m = new Map(Object.entries(entries));
  return { getItem: (k) => m.get(k) ?? null, removeItem: (k) => m.delete(k), has: (k) => m.has(k) };
}

// stub sets up a sign-in window at url, opened by opener (or none), with
// the flow ID flow in its sessionStorage (or none).
function stub(url, { flow = 'f1', opener = null } = {}) {
  const u = new URL(url);
  page = { opened: [], broadcast: [], channels: [], closed: 0, replaced: null };
  globalThis.location = { href: u.href, origin: u.origin, search: u.search, pathname: u.pathname, hash: u.hash };
  globalThis.sessionStorage = storage(flow ? { [signInKey]: flow } : {});
  globalThis.history = { state: null, replaceState: (s, t, to) => { page.replaced = to; } };
  globalThis.window = { opener, close: () => page.closed++ };
  globalThis.BroadcastChannel = class {
    constructor(name) { this.name = name; page.channels.push(this); }
    postMessage(m) { page.broadcast.push({ name: this.name, message: m }); }
    close() { this.closed = true; }
  };
}

// opener is a same-origin opening window that records what it is sent.
const opener = (o = origin) => ({ closed: false, location: { origin: o }, postMessage(m, to) { page.opened.push({ message: m, to }); } });

// answer is the app window's answer on the flow's channel.
const answer = (data) => page.channels.forEach((c) => c.onmessage?.({ data }));

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout'] });
  saved = Object.fromEntries(names.map((n) => [n, Object.getOwnPropertyDescriptor(globalThis, n)]));
});
afterEach(() => {
  mock.timers.reset();
  for (const n of names) {
    if (saved[n]) Object.defineProperty(globalThis, n, saved[n]);
    else delete globalThis[n];
  }
});

describe('handleRedirect', () => {
  test('posts the query to the opener and the flow\'s channel, clears the address bar and closes', () => {
    stub(`${origin}/app/?code=c&state=s#h`, { opener: opener() });
    assert.deepEqual(handleRedirect(), { handled: true, error: null });
    const message = { type: 'snworker:redirect', query: 'code=c&state=s', flow: 'f1' };
    assert.deepEqual(page.opened, [{ message, to: origin }]);
    assert.deepEqual(page.broadcast, [{ name: 'snworker:f1', message }]);
    assert.equal(page.replaced, '/app/#h');
    assert.equal(page.closed, 0, 'open until the app window has the query, so that it does not look closed by the user');
    answer({ type: 'something else' });
    assert.equal(page.closed, 0);
    answer(taken);
    assert.equal(page.closed, 1);
    assert.ok(page.channels.every((c) => c.closed));
    assert.equal(sessionStorage.has(signInKey), false, 'the mark is taken, so a reload does nothing');
    assert.ok(isRedirect(message));
  });

  test('reports the error of a refused sign-in; close: false leaves the window', () => {
    stub(`${origin}/app/?error=access_denied&state=s`, { opener: opener() });
    assert.deepEqual(handleRedirect({ close: false }), { handled: true, error: 'access_denied' });
    assert.equal(page.closed, 0);
  });

  test('a page without a redirect query does nothing', () => {
    stub(`${origin}/app/?code=c`, { opener: opener() });
    assert.deepEqual(handleRedirect(), { handled: false, error: null });
    assert.deepEqual(page.opened, []);
    assert.equal(page.replaced, null);
    assert.equal(sessionStorage.has(signInKey), true);
  });

  test('without the flow ID only a same-origin opener is told, without an ID', () => {
    stub(`${origin}/app/?code=c&state=s`, { flow: null, opener: opener() });
    assert.deepEqual(handleRedirect(), { handled: true, error: null });
    assert.deepEqual(page.opened[0].message, { type: 'snworker:redirect', query: 'code=c&state=s' });
    assert.deepEqual(page.broadcast, []);
  });

  test('an opener of another origin is not told', () => {
    const other = opener();
    Object.defineProperty(other, 'location', { get() { throw new Error('cross-origin'); } });
    stub(`${origin}/app/?code=c&state=s`, { flow: null, opener: other });
    assert.deepEqual(handleRedirect(), { handled: false, error: null });
    assert.deepEqual(page.opened, []);
    assert.equal(page.closed, 0, 'a window that delivered nothing stays open');
  });

  test('with the flow ID a cut-off window still delivers over the channel', () => {
    stub(`${origin}/app/?code=c&state=s`, { opener: null });
    assert.equal(handleRedirect().handled, true);
    assert.equal(page.broadcast[0].message.flow, 'f1');
  });

  test('storage that throws counts as no flow ID', () => {
    stub(`${origin}/app/?code=c&state=s`, { flow: null, opener: null });
    globalThis.sessionStorage = { getItem() { throw new Error('denied'); } };
    assert.deepEqual(handleRedirect(), { handled: false, error: null });
  });
});

describe('finishSignIn', () => {
  test('finishes in a marked window back with a redirect query', () => {
    stub(`${origin}/any/page.html?code=c&state=s`, { opener: opener() });
    assert.equal(finishSignIn(), true);
    assert.equal(page.opened.length, 1);
    assert.equal(page.closed, 0);
    mock.timers.tick(2999);
    assert.equal(page.closed, 0);
    mock.timers.tick(1);
    assert.equal(page.closed, 1, 'closed anyway when no answer comes');
  });

  test('does nothing in an unmarked window, even with a redirect query', () => {
    stub(`${origin}/app/?code=c&state=s`, { flow: null, opener: opener() });
    assert.equal(finishSignIn(), false);
    assert.deepEqual(page.opened, []);
    assert.equal(page.replaced, null);
  });

  test('does nothing in a marked window without a redirect query', () => {
    stub(`${origin}/app/?state=s`, { opener: opener() });
    assert.equal(finishSignIn(), false);
    assert.equal(sessionStorage.has(signInKey), true, 'the mark stays for the redirect');
  });

  test('does nothing outside a window', () => {
    stub(`${origin}/app/?code=c&state=s`);
    delete globalThis.window;
    assert.equal(finishSignIn(), false);
  });
});

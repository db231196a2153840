// The sign-in window's rules that need no browser (node --test): when a
// handle that reads closed counts as closed, and which redirect messages a
// flow takes. The e2e tests drive the same code in Chromium.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';

globalThis.window = new EventTarget();
const { waitRedirect, watchWindow } = await import('../../js/popup.js');

const redirectUri = 'https://app.example/';

function watched(popup) {
  const w = watchWindow(popup, 60000, redirectUri, () => { popup.cutOffSeen = true; });
  let error = null;
  w.failed.catch((e) => { error = e; });
  return { w, error: () => error };
}

test('a closed window fails the flow after three polls, naming the redirect URL', async () => {
  mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
  try {
    const popup = { closed: false, cutOff: false, close() {} };
    const { w, error } = watched(popup);
    mock.timers.tick(1000);
    popup.closed = true;
    mock.timers.tick(500);
    await Promise.resolve();
    assert.equal(error(), null, 'not before half a second of closed readings');
    assert.ok(w.lost());
    mock.timers.tick(250);
    await Promise.resolve();
    assert.match(error()?.message ?? '', /closed before sign-in finished.*add https:\/\/app\.example\/ to the redirect URLs/);
    w.stop();
  } finally {
    mock.timers.reset();
  }
});

test('a cut-off handle is never taken for closed, but lets connect() take over', async () => {
  mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
  try {
    const popup = { closed: true, cutOff: true, close() {} };
    const { w, error } = watched(popup);
    mock.timers.tick(30000);
    await Promise.resolve();
    assert.equal(error(), null);
    assert.ok(popup.cutOffSeen, 'the page is told');
    assert.ok(w.lost(), 'a later connect() may take over');
    w.stop();
  } finally {
    mock.timers.reset();
  }
});

test('a flow takes a redirect from its window or with its ID, and nothing else', async () => {
  const own = {};
  const got = [];
  const r = waitRedirect({ window: own }, redirectUri, 'f1');
  r.promise.then((q) => got.push(q));
  const post = (origin, source, data) => window.dispatchEvent(Object.assign(new Event('message'), { origin, source, data }));
  const type = 'snworker:redirect';
  post('https://app.example', {}, { type, query: 'code=a&state=s' }); // another window
  post('https://evil.example', own, { type, query: 'code=b&state=s' }); // another origin
  const other = new BroadcastChannel('snworker:f2'); // another flow's channel
  other.postMessage({ type, query: 'code=c&state=s', flow: 'f2' });
  other.close();
  const ch = new BroadcastChannel('snworker:f1');
  ch.postMessage({ type, query: 'code=d&state=s' }); // the channel, without the ID
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(got, []);
  ch.postMessage({ type, query: 'code=e&state=s', flow: 'f1' });
  ch.close();
  assert.equal(await r.promise, 'code=e&state=s');

  const r2 = waitRedirect({ window: own }, redirectUri, 'f3');
  post('https://app.example', own, { type, query: 'code=f&state=s' });
  assert.equal(await r2.promise, 'code=f&state=s', 'from its own window, with no ID');
});

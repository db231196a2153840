// The OpenFin sign-in window (js/openfin.js) against a scripted fin, with
// fake timers: what it asks of OpenFin and when. The e2e tests run it with a
// fin stand-in over real popups (e2e/testdata/test/finstandin.js).

import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { openFinWindowOpener } from '../../js/openfin.js';

const flush = () => new Promise((r) => setImmediate(r)); // setImmediate is not faked

// scripted is a fin whose caller sits on the second of two monitors.
function scripted({ runtime = '43.101.2.0', onRejects = false, createRejects = undefined } = {}) {
  const log = [];
  const handlers = new Map();
  let url = '';
  let showing = false;
  const win = {
    on(type, fn) {
      log.push(`on ${type}`);
      if (onRejects) return Promise.reject({ message: 'not subscribed' });
      handlers.set(type, fn);
      return Promise.resolve(win);
    },
    async removeAllListeners() {
      log.push('removeAllListeners');
      handlers.clear();
    },
    async getInfo() {
      log.push('getInfo');
      return { url };
    },
    async navigate(u) {
      url = u;
    },
    async close(force) {
      log.push(`close ${force}`);
    },
    async isShowing() {
      return showing;
    },
    async show() {
      log.push('show');
      showing = true;
    },
    async focus() {
      log.push('focus');
    },
    async setBounds(b) {
      log.push(`setBounds ${b.left},${b.top}`);
    },
    async executeJavaScript() {
      log.push('executeJavaScript');
      return '  Invalid request\n\n Invalid client_id ';
    },
  };
  const s = {
    log,
    created: null,
    go(u, status = 200) {
      url = u;
      handlers.get('url-changed')?.({ type: 'url-changed', url: u, isInPage: false, httpResponseCode: status });
    },
    emit: (type) => handlers.get(type)?.({ type }),
    count: (entry) => log.filter((e) => e === entry).length,
  };
  s.fin = {
    me: { isOpenFin: true, getBounds: async () => ({ left: 2000, top: 100, width: 400, height: 300 }) },
    System: {
      getMonitorInfo: async () => ({
        primaryMonitor: { availableRect: { left: 0, top: 0, right: 1920, bottom: 1040 }, monitorRect: { left: 0, top: 0, right: 1920, bottom: 1080 } },
        nonPrimaryMonitors: [{ availableRect: { left: 1920, top: 0, right: 3840, bottom: 1040 }, monitorRect: { left: 1920, top: 0, right: 3840, bottom: 1080 } }],
      }),
      getRuntimeInfo: async () => ({ version: runtime }),
    },
    Window: {
      async create(options) {
        if (createRejects) throw createRejects;
        log.push('create');
        s.created = options;
        url = options.url;
        return win;
      },
    },
  };
  return s;
}

// opened returns a window that has navigated to the sign-in page, and the
// URLs it reported.
async function opened(s, windowOptions) {
  const w = openFinWindowOpener(s.fin, windowOptions).open({ name: 'snworker-auth-1', features: '', options: {} });
  const urls = [];
  w.onUrl((u) => urls.push(u));
  await w.navigate('https://acme.example/oauth_auth.do?x=1');
  await flush();
  return { w, urls };
}

describe('openFinWindowOpener', () => {
  beforeEach((t) => t.mock.timers.enable({ apis: ['setInterval', 'setTimeout'] }));

  test('creates the window as @openfin/servicenow does, authWindowOptions over its defaults', async () => {
    const s = scripted();
    await opened(s, { defaultWidth: 480, frame: false });
    assert.deepEqual(s.created, {
      name: 'snworker-auth-1', url: 'https://acme.example/oauth_auth.do?x=1',
      defaultWidth: 480, defaultHeight: 600, frame: false,
      alwaysOnTop: true, autoShow: false, defaultCentered: true, includeInSnapshots: false,
      maximizable: false, minimizable: false, resizable: false, saveWindowState: false, showTaskbarIcon: false,
    });
  });

  test("centres the window on the calling window's monitor", async () => {
    const s = scripted();
    await opened(s);
    // The caller's centre (2200, 250) is on the second monitor.
    assert.ok(s.log.includes(`setBounds ${(1920 + 3840 - 550) / 2},${(1040 - 600) / 2}`), s.log.join(' | '));
  });

  test('a window the app placed (defaultLeft, defaultTop) stays there', async () => {
    const s = scripted();
    await opened(s, { defaultLeft: 10, defaultTop: 20 });
    assert.equal(s.log.filter((e) => e.startsWith('setBounds')).length, 0);
  });

  test('shows the window after 2 s, not before', async (t) => {
    const s = scripted();
    await opened(s);
    t.mock.timers.tick(1999);
    await flush();
    assert.equal(s.count('show'), 0);
    t.mock.timers.tick(1);
    await flush();
    assert.deepEqual(s.log.filter((e) => e === 'show' || e === 'focus'), ['show', 'focus']);
  });

  test('a sign-in done within 2 s (SSO) never shows the window; done, it stops listening and closes it', async (t) => {
    const s = scripted();
    const { w, urls } = await opened(s);
    s.go('https://acme.example/oauth_redirect.do?code=c&state=s');
    assert.equal(urls.at(-1), 'https://acme.example/oauth_redirect.do?code=c&state=s');
    w.close();
    t.mock.timers.tick(5000);
    await flush();
    assert.equal(s.count('show'), 0);
    assert.equal(s.count('removeAllListeners'), 1);
    assert.equal(s.count('close true'), 1);
  });

  test('runtime 30 on: url-changed, and the URL already shown read once after subscribing', async (t) => {
    const s = scripted();
    const { urls } = await opened(s);
    assert.ok(s.log.indexOf('on url-changed') < s.log.indexOf('getInfo'), s.log.join(' | '));
    assert.deepEqual(urls, ['https://acme.example/oauth_auth.do?x=1']);
    t.mock.timers.tick(5000);
    await flush();
    assert.equal(s.count('getInfo'), 1, 'no polling');
    s.go('https://acme.example/login.do');
    assert.equal(urls.at(-1), 'https://acme.example/login.do');
  });

  test('a page shown with an error status is reported with its text', async () => {
    const s = scripted();
    const { w } = await opened(s);
    const pages = [];
    w.onErrorPage((p) => pages.push(p));
    s.go('https://acme.example/oauth_auth.do?client_id=x');
    await flush();
    assert.deepEqual(pages, []);
    s.go('https://acme.example/oauth_auth.do?client_id=y', 400);
    await flush();
    assert.deepEqual(pages, [{ url: 'https://acme.example/oauth_auth.do?client_id=y', status: 400, text: 'Invalid request Invalid client_id' }]);
  });

  test('before runtime 30: getInfo() every 500 ms', async (t) => {
    const s = scripted({ runtime: '29.108.73.14' });
    const { urls } = await opened(s);
    assert.equal(s.count('on url-changed'), 0);
    t.mock.timers.tick(1500);
    await flush();
    assert.equal(s.count('getInfo'), 3);
    assert.deepEqual(urls, ['https://acme.example/oauth_auth.do?x=1']);
  });

  test('closing marks the window closed and removes the listeners', async () => {
    const s = scripted();
    const { w } = await opened(s);
    assert.equal(w.closed, false);
    s.emit('closing');
    assert.equal(w.closed, true);
    assert.equal(s.count('removeAllListeners'), 1);
  });

  test('on() that rejects falls back to polling getInfo()', async (t) => {
    const s = scripted({ onRejects: true });
    const { urls } = await opened(s);
    t.mock.timers.tick(500);
    await flush();
    assert.ok(s.count('getInfo') >= 1, s.log.join(' | '));
    assert.deepEqual(urls, ['https://acme.example/oauth_auth.do?x=1']);
  });

  test('create rejecting with a plain object, as the runtime does, gives an Error with its message', async () => {
    const s = scripted({ createRejects: { message: 'ERR_NAME_NOT_RESOLVED', success: false } });
    const w = openFinWindowOpener(s.fin).open({ name: 'n', features: '', options: {} });
    await assert.rejects(w.navigate('https://acme.example/'), (e) => e instanceof Error && e.message === 'ERR_NAME_NOT_RESOLVED');
  });
});

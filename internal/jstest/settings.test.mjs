// connect()'s argument checks (js/settings.js): each bad value is a
// ParameterError whose message names the option, the value and the form
// wanted; good values come out as the worker's init message.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ParameterError } from '../../js/errors.js';
import { Limit, Path } from '../../js/protocol.js';
import { prestart } from '../../js/prestart.js';
import { settings, userPath } from '../../js/settings.js';
import { popupWindowOpener } from '../../js/popup.js';

const page = 'https://app.example/app/index.html';
const instance = 'https://name.service-now.com';

beforeEach(() => {
  globalThis.location = { href: page, origin: new URL(page).origin };
});
afterEach(() => {
  delete globalThis.location;
  delete globalThis.fin;
});

const connect = (o = {}) => settings(o.instance ?? instance, o.clientId ?? 'client', o.scope, o.authFlowParams, o.authWindowOptions, o.options);

// fails asserts that connect's arguments throw a ParameterError whose
// message holds every one of parts.
function fails(args, ...parts) {
  assert.throws(() => connect(args), (e) => {
    assert.ok(e instanceof ParameterError, `${e?.name}: ${e?.message}`);
    for (const p of parts) assert.ok(e.message.includes(p), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(p)}`);
    return true;
  });
}

describe('settings: bad values name the option, the value and the form wanted', () => {
  const cases = [
    ['instance URL not a URL', { instance: 'name.service-now' }, 'instance URL', '"name.service-now"', 'https://name.service-now.com'],
    ['instance URL not http(s)', { instance: 'ftp://name.service-now.com' }, 'instance URL', 'ftp://', 'https URL'],
    ['instance URL plain http off loopback', { instance: 'http://name.service-now.com' }, 'instance URL', 'plain http', 'localhost'],
    ['instance URL of wrong type', { instance: 42 }, 'instance URL', '42'],
    ['client ID blank', { clientId: '  ' }, 'client ID', '"  "', 'OAuth application registry'],
    ['client ID not a string', { clientId: 7 }, 'client ID', '7'],
    ['scope not an array', { scope: 'useraccount' }, 'scope', '"useraccount"', 'array of scope names'],
    ['scope with a space', { scope: ['a b'] }, 'scope', 'a b', 'array of scope names'],
    ['authFlowParams not an object', { authFlowParams: 'prompt' }, 'authFlowParams', '"prompt"', 'object of string values'],
    ['authFlowParams value not a string', { authFlowParams: { prompt: 1 } }, 'authFlowParams.prompt', '1', 'want a string'],
    ['authFlowParams empty key', { authFlowParams: { '': 'x' } }, 'authFlowParams key ""', 'parameter names'],
    ['authFlowParams reserved', { authFlowParams: { state: 'x' } }, 'authFlowParams.state', 'sets state itself'],
    ['authWindowOptions not an object', { authWindowOptions: 5 }, 'authWindowOptions', '5', 'width?'],
    ['authWindowOptions negative', { authWindowOptions: { width: -1 } }, 'authWindowOptions.width', '-1', 'number of pixels'],
    ['authWindowOptions not finite', { authWindowOptions: { top: NaN } }, 'authWindowOptions.top', 'NaN', 'number of pixels'],
    ['options not an object', { options: 'x' }, 'options', '"x"', 'want an object'],
    ['redirectUri not http(s)', { options: { redirectUri: 'javascript:alert(1)' } }, 'options.redirectUri', 'javascript:alert(1)', 'http(s) URL'],
    ['redirectUri of another origin', { options: { redirectUri: 'https://other.example/cb' } }, 'options.redirectUri', 'https://other.example/cb', 'https://app.example', 'windowOpener'],
    ['workerUrl a data: URL', { options: { workerUrl: 'data:text/javascript,1' } }, 'options.workerUrl', 'data:text/javascript,1', 'data: or blob:', 'worker.js'],
    ['workerUrl a blob: URL', { options: { workerUrl: ' blob:https://app.example/x' } }, 'options.workerUrl', 'blob:', 'refused'],
    ['workerUrl not http(s)', { options: { workerUrl: 'ftp://app.example/worker.js' } }, 'options.workerUrl', 'ftp://app.example/worker.js', 'http(s) URL'],
    ['wasmUrl not http(s)', { options: { workerUrl: '/w.js', wasmUrl: 'ftp://x/a.wasm' } }, 'options.wasmUrl', 'ftp://x/a.wasm', 'http(s) URL'],
    ['endpoints unknown', { options: { endpoints: 'both' } }, 'options.endpoints', '"both"', '"auto"', '"servicenow"', '"openfin"'],
    ['tokenPath not a path', { options: { tokenPath: 'oauth_token.do' } }, 'options.tokenPath', '"oauth_token.do"', 'starting with "/"'],
    ['tokenPath protocol-relative', { options: { tokenPath: '//evil.example/t' } }, 'options.tokenPath', '//evil.example/t', 'starting with "/"'],
    ['revokePath not a string', { options: { revokePath: 3 } }, 'options.revokePath', '3', 'path on the instance'],
    ['userInfoPath not a path', { options: { userInfoPath: 'x' } }, 'options.userInfoPath', '"x"', 'path on the instance'],
    ['allowedPaths not an array', { options: { allowedPaths: '/api' } }, 'options.allowedPaths', '"/api"', 'array of path prefixes'],
    ['allowedPaths entry not a path', { options: { allowedPaths: ['api/now'] } }, 'options.allowedPaths', 'api/now', 'array of path prefixes'],
    ['allowedPaths without the user path', { options: { allowedPaths: ['/api/now/table/incident'] } }, 'options.allowedPaths', '/api/now/table/incident', '/api/now/table/sys_user', Path.openfinUser, 'add that path'],
    ['allowedPaths matching part of a segment', { options: { endpoints: 'servicenow', allowedPaths: ['/api/now/table/sys_us'] } }, 'options.allowedPaths', 'sys_us', '/api/now/table/sys_user', 'add that path'],
    ['authTimeout zero', { options: { authTimeout: 0 } }, 'options.authTimeout', '0', 'positive number of milliseconds', String(2 ** 31 - 1)],
    ['authTimeout too long', { options: { authTimeout: 2 ** 31 } }, 'options.authTimeout', String(2 ** 31), 'at most'],
    ['tokenTimeout not a number', { options: { tokenTimeout: '5' } }, 'options.tokenTimeout', '"5"', 'milliseconds'],
    ['windowOpener without open', { options: { windowOpener: {} } }, 'options.windowOpener', '[object Object]', 'open({name, features, options})'],
    ['shared not a boolean', { options: { shared: 'yes' } }, 'options.shared', '"yes"', 'true', 'false'],
    ['gracePeriod negative', { options: { gracePeriod: -1 } }, 'options.gracePeriod', '-1', `to ${Limit.maxGraceMs}`, `default is ${Limit.defaultGraceMs}`],
    ['gracePeriod too long', { options: { gracePeriod: Limit.maxGraceMs + 1 } }, 'options.gracePeriod', String(Limit.maxGraceMs + 1)],
    ['onEvent not a function', { options: { onEvent: 'log' } }, 'options.onEvent', '"log"', 'want a function'],
  ];
  for (const [name, args, ...parts] of cases) test(name, () => fails(args, ...parts));
});

describe('settings: good values', () => {
  test('defaults', () => {
    const s = connect();
    assert.deepEqual(s.init, { instanceUrl: instance, clientId: 'client', redirectUri: 'https://app.example/app/', endpoints: 'auto' });
    assert.equal(s.redirectUri, 'https://app.example/app/');
    assert.equal(s.workerUrl, undefined);
    assert.deepEqual(s.windowOptions, { width: 600, height: 700 });
    assert.equal(s.authTimeout, 300000);
    assert.equal(s.closeTimeout, 65000);
    assert.equal(s.shared, false);
    assert.equal(s.graceMs, Limit.defaultGraceMs);
    assert.equal(typeof s.windowOpener.open, 'function');
    assert.deepEqual(s.authFlowParams, {});
  });

  test('the instance URL becomes its origin; the given one is kept as a string', () => {
    const s = connect({ instance: new URL('https://Name.Service-Now.com/some/path?x=1') });
    assert.equal(s.instanceUrl, instance);
    assert.equal(s.init.instanceUrl, instance);
    assert.equal(s.givenInstanceUrl, 'https://name.service-now.com/some/path?x=1');
  });

  test('plain http on loopback hosts', () => {
    for (const u of ['http://localhost:8081', 'http://127.0.0.1:8081', 'http://[::1]:8081']) assert.equal(connect({ instance: u }).instanceUrl, u);
  });

  test('every option carried into init', () => {
    const s = connect({
      scope: ['useraccount', 'x'],
      authFlowParams: { prompt: 'login' },
      authWindowOptions: { width: 300.4, left: 10 },
      options: {
        endpoints: 'servicenow', tokenPath: '/t.do', revokePath: '/r_revoke.do', allowedPaths: ['/api/now/table/'],
        tokenTimeout: 1000.2, authTimeout: 5000, shared: true, gracePeriod: 1.5, redirectUri: '/cb',
        workerUrl: '/w/worker.js', wasmUrl: '/w/a.wasm',
      },
    });
    assert.deepEqual(s.init, {
      instanceUrl: instance, clientId: 'client', redirectUri: 'https://app.example/cb', endpoints: 'servicenow',
      scopes: ['useraccount', 'x'], tokenPath: '/t.do', revokePath: '/r_revoke.do', allowedPaths: ['/api/now/table/'], timeoutMs: 1001,
    });
    assert.deepEqual(s.windowOptions, { width: 300, height: 700, left: 10 });
    assert.deepEqual(s.authFlowParams, { prompt: 'login' });
    assert.equal(s.workerUrl, 'https://app.example/w/worker.js?wasm=https%3A%2F%2Fapp.example%2Fw%2Fa.wasm');
    assert.equal(s.authTimeout, 5000);
    assert.equal(s.closeTimeout, 2 * 1000.2 + 5000);
    assert.equal(s.shared, true);
    assert.equal(s.graceMs, 2);
  });

  test('the openfin endpoints read the user from the OpenFin app', () => {
    assert.equal(connect({ options: { endpoints: 'openfin' } }).userInfoPath, Path.openfinUser);
    assert.equal(connect({ options: { endpoints: 'auto' } }).userInfoPath, undefined);
  });

  test('allowedPaths holding the user path, by whole segments', () => {
    for (const allowedPaths of [['/api/now/table/sys_user'], ['/api/now/table/'], ['/api/now'], [Path.openfinUser]]) {
      assert.deepEqual(connect({ options: { allowedPaths } }).init.allowedPaths, allowedPaths);
    }
    assert.ok(userPath.startsWith('/api/now/table/sys_user?'));
  });

  test('a windowOpener may hand the code back from another origin', () => {
    const windowOpener = { open() {} };
    const s = connect({ options: { redirectUri: 'https://other.example/cb', windowOpener } });
    assert.equal(s.redirectUri, 'https://other.example/cb');
    assert.equal(s.windowOpener, windowOpener);
  });

  test('in OpenFin, the instance\'s own redirect page and fin.Window.create', () => {
    globalThis.fin = { me: { isOpenFin: true }, Window: { create() {} } };
    const s = connect();
    assert.equal(s.redirectUri, `${instance}/oauth_redirect.do`);
    assert.equal(typeof s.windowOpener.open, 'function');
    assert.notEqual(s.windowOpener.open.toString(), popupWindowOpener().open.toString());
  });

  // @openfin/core-web's fin: Window.create rejects "Method not implemented".
  test('in OpenFin Web (fin.me.isOpenFin false), the browser popup and the page\'s folder', () => {
    globalThis.fin = { me: { isOpenFin: false, entityType: 'external connection' }, Window: { create() {} } };
    const s = connect();
    assert.equal(s.redirectUri, 'https://app.example/app/');
    assert.equal(s.windowOpener.open.toString(), popupWindowOpener().open.toString());
  });

  // Under node the module's own URL is a file: URL, as a bundler may leave it.
  test('a wasmUrl alone needs the package\'s worker.js on http(s)', () => {
    fails({ options: { wasmUrl: 'https://app.example/a.wasm' } }, 'worker.js was rewritten to "file:', 'options.workerUrl as well as options.wasmUrl');
  });
});

// prestart() builds the worker's URL with connect()'s own code, so it
// refuses what connect() refuses before starting anything.
test('prestart checks its options as connect() does', () => {
  assert.throws(() => prestart(5), (e) => e instanceof ParameterError && e.message.includes('prestart options 5') && e.message.includes('{workerUrl?, wasmUrl?}'));
  assert.throws(() => prestart({ workerUrl: 'data:text/javascript,1' }), (e) => e instanceof ParameterError && e.message.includes('options.workerUrl') && e.message.includes('data: or blob:'));
  assert.throws(() => prestart({ workerUrl: '/w.js', wasmUrl: 'ftp://x/a.wasm' }), (e) => e instanceof ParameterError && e.message.includes('options.wasmUrl'));
});

describe('connect(url, clientId, options): everything after the client ID in one object', () => {
  const opener = { open: () => ({ closed: false, close() {} }) };
  const allInOne = (o) => settings(instance, 'client', o);
  const positional = (...a) => settings(instance, 'client', ...a);

  test('it reads as the positional form', () => {
    const all = allInOne({ scope: ['useraccount'], authFlowParams: { prompt: 'login' }, authWindowOptions: { width: 500 },
      redirectUri: 'https://app.example/signed-in.html', shared: true, endpoints: 'openfin', windowOpener: opener });
    const pos = positional(['useraccount'], { prompt: 'login' }, { width: 500 },
      { redirectUri: 'https://app.example/signed-in.html', shared: true, endpoints: 'openfin', windowOpener: opener });
    for (const k of ['init', 'authFlowParams', 'windowOptions', 'redirectUri', 'shared', 'workerUrl', 'authTimeout']) {
      assert.deepEqual(all[k], pos[k], k);
    }
    assert.equal(all.redirectUri, 'https://app.example/signed-in.html');
    assert.equal(all.shared, true);
    assert.equal(allInOne({}).redirectUri, positional().redirectUri);
  });

  test('arguments after the object are refused, naming the form', () => {
    assert.throws(() => positional({ shared: true }, { prompt: 'login' }), (e) => e instanceof ParameterError &&
      e.message.includes('connect() argument 4') && e.message.includes('connect(url, clientId, { scope, authFlowParams'));
  });

  test('an option name in authFlowParams is refused, naming where it goes', () => {
    for (const [k, v] of [['redirectUri', 'https://app.example/x'], ['shared', true], ['allowedPaths', ['/api/now/table/incident']]]) {
      fails({ authFlowParams: { [k]: v } }, `authFlowParams.${k}`, 'option of connect()', `connect(url, clientId, { ${k} })`);
      assert.throws(() => allInOne({ authFlowParams: { [k]: v } }), ParameterError);
    }
    assert.deepEqual(connect({ authFlowParams: { prompt: 'login', scope: 'useraccount' } }).authFlowParams, { prompt: 'login', scope: 'useraccount' });
  });
});

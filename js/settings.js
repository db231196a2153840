// Checking connect()'s arguments; every problem is a ParameterError.

import { moduleUrl } from './assets.js';
import { ParameterError, show } from './errors.js';
import { openFinWindowOpener } from './openfin.js';
import { popupWindowOpener } from './popup.js';
import { Endpoints, Limit, LoopbackHosts, Path, ReservedAuthParams } from './protocol.js';
import { checkMs } from './request.js';

// userPath reads the signed-in user's sys_user record.
export const userPath = '/api/now/table/sys_user?sysparm_query=sys_id%3Djavascript:gs.getUserID()&sysparm_limit=1';


// checkInstanceUrl returns the origin of an instance URL: any URL, as the
// anchor takes, but only https, or http on this machine. The worker checks
// it again; bridge/testdata/rules.json holds the cases both decide alike.
function checkInstanceUrl(v) {
  const want = 'want the instance\'s https URL, such as "https://name.service-now.com"';
  let u = null;
  try {
    u = typeof v === 'string' || v instanceof URL ? new URL(v) : null;
  } catch {
    // reported below
  }
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) throw new ParameterError(`Invalid instance URL ${show(v)}: ${want}`);
  if (u.protocol === 'http:' && !LoopbackHosts.includes(u.hostname.replace(/^\[(.*)\]$/, '$1'))) {
    throw new ParameterError(`Invalid instance URL ${show(v)}: plain http would send the tokens unencrypted, so it is allowed only for localhost; ${want}`);
  }
  return u.origin;
}

// under reports whether allowedPaths entry prefix holds path, by whole
// segments, as the worker matches (see bridge/testdata/rules.json).
export function under(path, prefix) {
  return path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}

// hasControl reports a control character, which the worker refuses in a
// client ID or a scope name.
function hasControl(s) {
  return /[\x00-\x1f\x7f]/.test(s);
}

// openFin is OpenFin's fin object when the page runs in OpenFin itself. In
// OpenFin Web (@openfin/core-web) a page's fin has Window.create, which
// rejects "Method not implemented", and fin.me.isOpenFin is false: there the
// browser popup is used. Chosen here, synchronously, inside the click.
function openFin() {
  const fin = globalThis.fin;
  return typeof fin?.Window?.create === 'function' && fin.me?.isOpenFin === true ? fin : null;
}

function checkUrl(name, v, base) {
  try {
    const u = new URL(v, base);
    if (u.protocol === 'https:' || u.protocol === 'http:') return u;
  } catch {
    // reported below
  }
  throw new ParameterError(`Invalid ${name} ${show(v)}: want an http(s) URL`);
}

// A worker from a data: or blob: URL runs code the page made up, which is
// what would let script in the page swap the worker; a strict CSP refuses it.
function checkWorkerUrl(v, base) {
  const u = /^\s*(data|blob):/i.test(String(v)) ? null : checkUrl('options.workerUrl', v, base);
  if (!u) {
    throw new ParameterError(`Invalid options.workerUrl ${show(String(v).slice(0, 60))}: a worker from a data: or blob: URL is refused; want the URL of the package's worker.js served as a file from this page's origin`);
  }
  return u;
}

// workerHref is the URL of the worker for options {workerUrl?, wasmUrl?},
// which connect() and prestart() take alike: undefined for the package's
// own worker.js.
export function workerHref(o) {
  const base = pageBase();
  let url;
  if (o.workerUrl !== undefined) url = checkWorkerUrl(o.workerUrl, base);
  else if (o.wasmUrl !== undefined) url = packageFile('worker.js', new URL('worker.js', moduleUrl), 'options.workerUrl as well as options.wasmUrl');
  if (o.wasmUrl !== undefined) url.searchParams.set('wasm', checkUrl('options.wasmUrl', o.wasmUrl, base).href);
  return url?.href;
}

// pageBase is the URL relative URLs in the options are resolved against.
function pageBase() {
  return globalThis.document?.baseURI ?? globalThis.location?.href;
}

// packageFile checks the URL of a file of the package, which a bundler may
// have rewritten: an inlined or file: URL can't serve as what it is for.
function packageFile(name, u, option) {
  if (u.protocol === 'https:' || u.protocol === 'http:') return u;
  const what = u.protocol === 'data:' || u.protocol === 'blob:' ? `inlined as a ${u.protocol} URL` : `rewritten to ${show(u.href.slice(0, 80))}`;
  throw new ParameterError(`The package's ${name} was ${what}, probably by a bundler (in Vite, build.assetsInlineLimit inlines small files): have it emit ${name} as a file, or serve ${name} from this page's origin and pass its URL as ${option}`);
}

function checkPath(name, v) {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !v.startsWith('/') || v.startsWith('//')) {
    throw new ParameterError(`Invalid ${name} ${show(v)}: want a path on the instance starting with "/", such as "/oauth_token.do"`);
  }
  return v;
}

function checkWindowOptions(v) {
  if (v === undefined || v === null) return { width: 600, height: 700 };
  if (typeof v !== 'object') throw new ParameterError(`Invalid authWindowOptions ${show(v)}: want {width?, height?, left?, top?} in pixels`);
  const out = { width: 600, height: 700 };
  for (const k of ['width', 'height', 'left', 'top']) {
    if (v[k] === undefined) continue;
    if (!Number.isFinite(v[k]) || v[k] < 0) throw new ParameterError(`Invalid authWindowOptions.${k} ${show(v[k])}: want a number of pixels`);
    out[k] = Math.round(v[k]);
  }
  return out;
}

// windowFeatures centres the window on the current one unless placed.
export function windowFeatures({ width, height, left, top }) {
  const x = left ?? Math.max(0, Math.round(window.screenX + (window.outerWidth - width) / 2));
  const y = top ?? Math.max(0, Math.round(window.screenY + (window.outerHeight - height) / 2));
  return `popup=yes,width=${width},height=${height},left=${x},top=${y}`;
}

// optionNames are the keys of connect()'s options (ConnectOptions in
// servicenow.d.ts), refused as authorize URL parameters.
export const optionNames = Object.freeze(['redirectUri', 'workerUrl', 'wasmUrl', 'tokenPath', 'revokePath', 'userInfoPath',
  'endpoints', 'allowedPaths', 'authTimeout', 'tokenTimeout', 'windowOpener', 'onEvent', 'shared', 'gracePeriod']);

// allInOne reads connect(url, clientId, options): an object (not the scope
// array) in scope's place holds scope, authFlowParams, authWindowOptions
// and the options.
function allInOne(args) {
  const [scope, ...rest] = args;
  if (scope === null || typeof scope !== 'object' || Array.isArray(scope)) return args;
  const extra = rest.findIndex((a) => a !== undefined);
  if (extra >= 0) {
    throw new ParameterError(`Invalid connect() argument ${extra + 4} ${show(rest[extra])}: with an options object as the third argument, ` +
      'pass everything in it, as connect(url, clientId, { scope, authFlowParams, authWindowOptions, redirectUri, … })');
  }
  const { scope: s, authFlowParams, authWindowOptions, ...options } = scope;
  return [s, authFlowParams, authWindowOptions, options];
}

// settings checks connect's arguments; every problem is a ParameterError.
export function settings(instanceUrl, clientId, ...args) {
  const [scope, authFlowParams, authWindowOptions, options] = allInOne(args);
  const instance = checkInstanceUrl(instanceUrl);
  checkClientId(clientId);
  const scopes = checkScope(scope ?? []);
  const flowParams = checkAuthFlowParams(authFlowParams ?? {});
  const windowOptions = checkWindowOptions(authWindowOptions);
  const o = options ?? {};
  if (typeof o !== 'object') throw new ParameterError(`Invalid options ${show(options)}: want an object`);

  // In OpenFin, as the anchor: fin.Window.create with authWindowOptions as
  // its options, and the instance's own redirect page, read from the URL.
  const fin = o.windowOpener === undefined ? openFin() : null;
  const redirectUri = checkRedirectUri(o.redirectUri, instance, fin);
  const workerUrl = workerHref(o);
  const paths = checkPaths(o);
  const authTimeout = checkMs('options.authTimeout', o.authTimeout ?? 300000);
  if (o.tokenTimeout !== undefined) checkMs('options.tokenTimeout', o.tokenTimeout);
  checkWindowOpener(o.windowOpener, fin, redirectUri);
  const graceMs = checkSharing(o.shared, o.gracePeriod);
  if (o.onEvent !== undefined && typeof o.onEvent !== 'function') {
    throw new ParameterError(`Invalid options.onEvent ${show(o.onEvent)}: want a function (name, data)`);
  }

  return {
    init: initMessage(instance, clientId, redirectUri, scopes, paths, o.tokenTimeout),
    instanceUrl: instance,
    givenInstanceUrl: instanceUrl instanceof URL ? instanceUrl.href : instanceUrl, // connection.instanceUrl is a string
    clientId,
    authFlowParams: flowParams,
    windowOptions,
    redirectUri: redirectUri.href,
    workerUrl,
    userInfoPath: paths.userInfoPath,
    authTimeout,
    closeTimeout: 2 * (o.tokenTimeout ?? 30000) + 5000, // the worker's wait for an exchange, then its revocations
    windowOpener: o.windowOpener ?? (fin ? openFinWindowOpener(fin, authWindowOptions ?? {}) : popupWindowOpener()),
    onEvent: o.onEvent,
    shared: o.shared === true,
    graceMs,
  };
}

function checkClientId(clientId) {
  if (typeof clientId !== 'string' || clientId.trim() === '' || hasControl(clientId)) {
    throw new ParameterError(`Invalid client ID ${show(clientId)}: want the client ID of the instance's OAuth application registry entry`);
  }
}

function checkScope(scope) {
  if (!Array.isArray(scope) || !scope.every((s) => typeof s === 'string' && /^[^\s"\\]+$/.test(s) && !hasControl(s))) {
    throw new ParameterError(`Invalid scope ${show(scope)}: want an array of scope names without spaces, quotes or backslashes, such as ["useraccount"]`);
  }
  return [...scope];
}

function checkAuthFlowParams(params) {
  if (typeof params !== 'object') throw new ParameterError(`Invalid authFlowParams ${show(params)}: want an object of string values`);
  for (const [k, v] of Object.entries(params)) {
    if (optionNames.includes(k)) {
      throw new ParameterError(`Invalid authFlowParams.${k}: ${k} is an option of connect(), not an authorization URL parameter; ` +
        `pass it in the options, as connect(url, clientId, { ${k} }) or connect(url, clientId, scope, authFlowParams, authWindowOptions, { ${k} })`);
    }
    if (typeof v !== 'string') throw new ParameterError(`Invalid authFlowParams.${k} ${show(v)}: want a string`);
    if (k === '') throw new ParameterError('Invalid authFlowParams key "": want parameter names, such as "prompt"');
    if (ReservedAuthParams.includes(k)) throw new ParameterError(`Invalid authFlowParams.${k}: the library sets ${k} itself`);
  }
  return { ...params };
}

// checkRedirectUri: the given one, in OpenFin the instance's own redirect
// page, else the page's folder.
function checkRedirectUri(given, instance, fin) {
  const base = pageBase();
  if (given !== undefined) return checkUrl('options.redirectUri', given, base);
  if (fin) return checkUrl('options.redirectUri', `${instance}/oauth_redirect.do`, base);
  return checkUrl('options.redirectUri', new URL('./', base ?? 'about:blank').href, base);
}

// checkPaths checks the endpoints and the paths on the instance.
function checkPaths(o) {
  const endpoints = o.endpoints ?? Endpoints.auto;
  if (!Object.values(Endpoints).includes(endpoints)) {
    throw new ParameterError(`Invalid options.endpoints ${show(o.endpoints)}: want "auto" (the default: whichever of the next two this origin can reach), "servicenow" (/oauth_token.do) or "openfin" (the OpenFin Store app's API)`);
  }
  const tokenPath = checkPath('options.tokenPath', o.tokenPath);
  const revokePath = checkPath('options.revokePath', o.revokePath);
  const userInfoPath = checkPath('options.userInfoPath', o.userInfoPath) ?? (endpoints === Endpoints.openfin ? Path.openfinUser : undefined);
  const allowedPaths = checkAllowedPaths(o.allowedPaths, userInfoPath, endpoints);
  return { endpoints, tokenPath, revokePath, userInfoPath, allowedPaths };
}

// checkAllowedPaths refuses allowedPaths that leave out the path connect()
// reads the signed-in user from: with endpoints "auto", one of two.
function checkAllowedPaths(allowed, userInfoPath, endpoints) {
  if (allowed === undefined) return undefined;
  if (!Array.isArray(allowed) || !allowed.every((p) => typeof p === 'string' && p.startsWith('/'))) {
    throw new ParameterError(`Invalid options.allowedPaths ${show(allowed)}: want an array of path prefixes, such as ["/api/now/table/incident"]`);
  }
  const users = userInfoPath ? [userInfoPath] : endpoints === Endpoints.auto ? [userPath, Path.openfinUser] : [userPath];
  const paths = users.map((u) => u.split('?')[0]);
  if (!paths.some((u) => allowed.some((p) => under(u, p)))) {
    throw new ParameterError(`Invalid options.allowedPaths ${show(allowed)}: connect() reads the signed-in user from ${paths.join(' or ')}; add that path`);
  }
  return [...allowed];
}

// checkWindowOpener checks a given opener; without one, a popup can hand
// the code back only from this page's origin.
function checkWindowOpener(opener, fin, redirectUri) {
  if (opener !== undefined && typeof opener?.open !== 'function') {
    throw new ParameterError(`Invalid options.windowOpener ${show(opener)}: want an object with open({name, features, options})`);
  }
  if (opener === undefined && !fin && redirectUri.origin !== globalThis.location?.origin) {
    throw new ParameterError(`Invalid options.redirectUri ${show(redirectUri.href)}: a popup can only hand the code back from this page's origin (${globalThis.location?.origin}); use a page of this origin that imports the module or calls handleRedirect(), or pass a windowOpener that reports URLs (such as openFinWindowOpener)`);
  }
}

// checkSharing checks shared and gracePeriod, and returns the grace in ms.
function checkSharing(shared, g) {
  if (shared !== undefined && typeof shared !== 'boolean') {
    throw new ParameterError(`Invalid options.shared ${show(shared)}: want true (one session for every window of this origin, in a shared worker) or false`);
  }
  if (g !== undefined && !(Number.isFinite(g) && g >= 0 && g <= Limit.maxGraceMs)) {
    throw new ParameterError(`Invalid options.gracePeriod ${show(g)}: want the milliseconds a shared session waits for a window after the app's last one goes, from 0 (off: it ends at once) to ${Limit.maxGraceMs}; the default is ${Limit.defaultGraceMs}`);
  }
  return g === undefined ? Limit.defaultGraceMs : Math.ceil(g);
}

// initMessage is the worker's init message.
function initMessage(instanceUrl, clientId, redirectUri, scopes, paths, tokenTimeout) {
  const init = { instanceUrl, clientId, redirectUri: redirectUri.href, endpoints: paths.endpoints };
  if (scopes.length) init.scopes = scopes;
  if (paths.tokenPath) init.tokenPath = paths.tokenPath;
  if (paths.revokePath) init.revokePath = paths.revokePath;
  if (paths.allowedPaths) init.allowedPaths = paths.allowedPaths;
  if (tokenTimeout !== undefined) init.timeoutMs = Math.ceil(tokenTimeout);
  return init;
}

// @snworker/servicenow: call a ServiceNow instance's REST API through OAuth 2.0
// (authorization code + PKCE) without the page ever holding a token. Tokens,
// and every request that uses them, live in a dedicated Web Worker running Go
// compiled to WebAssembly; this module only exchanges messages with it.

import { ErrorName, EventName, Kind, Limit, Op, Path } from './protocol.js';
import { openFinWindowOpener } from './openfin.js';

export { openFinWindowOpener };

// Logging

let logging = false;

/** Logs what the bridge does to the console. Logs never hold a token or code. */
export function enableLogging() {
  logging = true;
}

export function disableLogging() {
  logging = false;
}

function log(level, ...args) {
  if (logging) console[level]('[snworker]', ...args);
}

// Errors

export class ApiError extends Error {
  constructor(message, data, options) {
    super(message, options);
    if (data !== undefined) this.data = data;
  }
}

export class ApiRequestError extends ApiError {
  constructor(message, status, data, options) {
    super(message, data, options);
    this.status = status;
  }
}

export class AuthorizationError extends ApiError {}
export class AuthTokenExpiredError extends ApiError {}
export class InitializationError extends ApiError {}
export class ParameterError extends ApiError {}

// Names are set on the prototypes, not taken from class names, so that they
// survive minifiers.
const errorClasses = {
  ApiError,
  [ErrorName.apiRequest]: ApiRequestError,
  [ErrorName.authorization]: AuthorizationError,
  [ErrorName.tokenExpired]: AuthTokenExpiredError,
  [ErrorName.initialization]: InitializationError,
  [ErrorName.parameter]: ParameterError,
};
for (const [name, cls] of Object.entries(errorClasses)) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
}

// fromWire rebuilds an error reply's {name, message, status?, data?}.
function fromWire(e) {
  const message = typeof e?.message === 'string' ? e.message : 'the worker sent an error without a message';
  if (e?.name === ErrorName.abort || e?.name === ErrorName.timeout) return new DOMException(message, e.name);
  if (e?.name === ErrorName.apiRequest) return new ApiRequestError(message, e.status, e.data);
  return new (errorClasses[e?.name] ?? ApiError)(message, e?.data);
}

// show renders a bad value for an error message.
function show(v) {
  let s;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : v instanceof URL ? `"${v}"` : String(v);
  } catch {
    s = Object.prototype.toString.call(v);
  }
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function report(err) {
  if (typeof reportError === 'function') reportError(err);
  else setTimeout(() => { throw err; });
}

// The worker

const closedMessage = 'the connection is closed; call connect() again';

// WorkerChannel runs one worker and matches its replies to requests.
class WorkerChannel {
  #worker;
  #pending = new Map(); // id → {resolve, reject}
  #nextId = 1;
  #onEvent;
  #ended = null; // the error pending and later calls get once the worker is gone

  constructor(url, onEvent) {
    this.#onEvent = onEvent;
    try {
      this.#worker = new Worker(url);
    } catch (e) {
      throw new InitializationError(
        `cannot start the worker from ${url}: ${e.message}; options.workerUrl must be a script on this page's origin`,
        undefined, { cause: e });
    }
    this.#worker.addEventListener('message', (e) => this.#receive(e.data));
    this.#worker.addEventListener('error', (e) => {
      e.preventDefault();
      const why = e.message || 'the script could not be loaded or run';
      this.#fail(`the worker ${url} failed: ${why}; check options.workerUrl and options.wasmUrl`);
    });
    this.#worker.addEventListener('messageerror', () => {
      this.#fail('a message from the worker could not be deserialized');
    });
  }

  get ended() {
    return this.#ended;
  }

  // send posts a request and returns its id and a promise of {result, body}.
  send(op, payload, body) {
    if (this.#ended) return { id: 0, promise: Promise.reject(this.#ended) };
    const id = this.#nextId++;
    const promise = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    const message = { json: JSON.stringify({ id, op, payload }) };
    if (body) message.body = body;
    try {
      this.#worker.postMessage(message, body ? [body] : []);
    } catch (e) {
      this.#pending.delete(id);
      return { id, promise: Promise.reject(new InitializationError(`cannot post ${op} to the worker: ${e.message}`, undefined, { cause: e })) };
    }
    return { id, promise };
  }

  async call(op, payload) {
    return (await this.send(op, payload).promise).result;
  }

  // cancel drops a pending request and tells the worker to stop it.
  cancel(id) {
    if (this.#pending.delete(id) && !this.#ended) this.send(Op.cancel, { id }).promise.catch(() => {});
  }

  // end terminates the worker; pending and later calls reject with err.
  end(err) {
    if (this.#ended) return;
    this.#ended = err;
    this.#worker.terminate();
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }

  #fail(message) {
    if (this.#ended) return;
    log('error', `worker stopped: ${message}`);
    this.end(new InitializationError(`${message}; call connect() again`));
    this.#onEvent(EventName.fatal, { name: ErrorName.initialization, message });
  }

  #receive(data) {
    let msg;
    try {
      msg = JSON.parse(data.json);
    } catch {
      log('warn', 'ignored a worker message that is not {json: string, body?}');
      return;
    }
    if (typeof msg?.event === 'string') {
      if (msg.event === EventName.fatal) {
        this.#fail(msg.data?.message ?? 'the worker stopped without saying why');
        return;
      }
      this.#onEvent(msg.event, msg.data);
      return;
    }
    const p = this.#pending.get(msg?.id);
    if (!p) {
      if (msg?.id === 0) log('error', `the worker could not read a request: ${msg.error?.message}`);
      return; // a cancelled request's late reply
    }
    this.#pending.delete(msg.id);
    if (msg.error) p.reject(fromWire(msg.error));
    else p.resolve({ result: msg.result, body: data.body });
  }
}

// Requests

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const bodyMethods = new Set(['POST', 'PUT', 'PATCH']);

function ownBuffer(view) {
  const { buffer, byteOffset, byteLength } = view;
  return byteOffset === 0 && byteLength === buffer.byteLength ? buffer : buffer.slice(byteOffset, byteOffset + byteLength);
}

// encodeBody turns executeApiRequest's data into an ArrayBuffer to transfer.
async function encodeBody(data) {
  let buf;
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string') buf = ownBuffer(encoder.encode(data));
  else if (data instanceof ArrayBuffer) buf = data.slice(0); // a copy: transferring detaches it
  else if (ArrayBuffer.isView(data)) buf = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  else if (typeof Blob !== 'undefined' && data instanceof Blob) buf = await data.arrayBuffer();
  else {
    let json;
    try {
      json = JSON.stringify(data);
    } catch (e) {
      throw new ParameterError(`Invalid request data: it cannot be JSON-encoded (${e.message}); want an object, a string or bytes`);
    }
    if (json === undefined) throw new ParameterError(`Invalid request data ${show(data)}: want an object, a string or bytes`);
    buf = ownBuffer(encoder.encode(json));
  }
  if (buf.byteLength > Limit.maxBody) {
    throw new ParameterError(`Invalid request data: ${buf.byteLength} bytes; the limit is ${Limit.maxBody}`);
  }
  return buf;
}

// toPath checks an API endpoint and returns it as a path on the instance.
function toPath(instanceUrl, endpoint) {
  const want = 'want a path on the instance, such as "/api/now/table/incident"';
  if (typeof endpoint !== 'string' || endpoint.trim() === '') throw new ParameterError(`Invalid API endpoint ${show(endpoint)}: ${want}`);
  if (/^[a-z][a-z0-9+.-]*:/i.test(endpoint)) {
    let u;
    try {
      u = new URL(endpoint);
    } catch {
      throw new ParameterError(`Invalid API endpoint ${show(endpoint)}: ${want}`);
    }
    if (u.origin !== instanceUrl) {
      throw new ParameterError(`Invalid API endpoint ${show(endpoint)}: it is not on the instance ${instanceUrl}, and the token only ever goes there; ${want}`);
    }
    return u.pathname + u.search;
  }
  if (endpoint.startsWith('//') || endpoint.includes('\\')) throw new ParameterError(`Invalid API endpoint ${show(endpoint)}: ${want}`);
  return endpoint.startsWith('/') ? endpoint : `/${endpoint}`;
}

function checkHeaders(headers) {
  if (headers === undefined || headers === null) return {};
  const entries = typeof Headers !== 'undefined' && headers instanceof Headers ? [...headers] : typeof headers === 'object' ? Object.entries(headers) : null;
  if (!entries) throw new ParameterError(`Invalid headers ${show(headers)}: want an object of header names to string values`);
  const out = {};
  for (const [k, v] of entries) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new ParameterError(`Invalid header ${show(k)}: its value is ${show(v)}; want a string`);
    }
    out[k] = String(v);
  }
  return out;
}

function requestParams(instanceUrl, apiEndpoint, httpMethod, suppressResponseBody, headers, timeout) {
  const path = toPath(instanceUrl, apiEndpoint);
  if (typeof httpMethod !== 'string' || !/^[A-Za-z]+$/.test(httpMethod)) {
    throw new ParameterError(`Invalid HTTP method ${show(httpMethod)}: want GET, POST, PUT, PATCH or DELETE`);
  }
  const method = httpMethod.toUpperCase();
  const h = checkHeaders(headers);
  const has = (name) => Object.keys(h).some((k) => k.toLowerCase() === name);
  if (!has('accept')) h.Accept = 'application/json';
  if (bodyMethods.has(method) && !has('content-type')) h['Content-Type'] = 'application/json';
  if (suppressResponseBody) h['X-no-response-body'] = 'true';
  const params = { path, method, headers: h };
  if (suppressResponseBody) params.suppressResponseBody = true;
  if (timeout) params.timeoutMs = Math.ceil(timeout);
  return params;
}

function checkRequestOptions(options) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw new ParameterError(`Invalid request options ${show(options)}: want {signal?, timeout?}`);
  const { signal, timeout } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ParameterError(`Invalid options.signal ${show(signal)}: want an AbortSignal`);
  }
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
    throw new ParameterError(`Invalid options.timeout ${show(timeout)}: want a positive number of milliseconds`);
  }
  return { signal, timeout };
}

function unwrap(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, 'result') ? v.result : v;
}

// readResponse turns an executeApiRequest result and body into {status, data?, type?, headers}.
function readResponse(params, result, body) {
  const headers = {};
  for (const [k, v] of Object.entries(result?.headers ?? {})) headers[k.toLowerCase()] = v;
  const out = { status: result?.status, headers };
  if (result?.type) out.type = result.type;
  switch (result?.kind) {
    case Kind.none:
      break;
    case Kind.json: {
      const text = body ? decoder.decode(body) : '';
      try {
        out.data = unwrap(JSON.parse(text));
      } catch {
        throw new ApiRequestError(`the reply to ${params.method} ${params.path} is not valid JSON (Content-Type ${result.type ?? 'missing'})`, result.status, text);
      }
      break;
    }
    case Kind.text:
      out.data = body ? decoder.decode(body) : '';
      break;
    case Kind.binary:
      out.data = body ?? new ArrayBuffer(0);
      break;
    default:
      throw new InitializationError(`the worker sent a reply of unknown kind ${show(result?.kind)}; the worker and servicenow.js are from different versions`);
  }
  return out;
}

// request runs an API request through the worker, honouring signal and timeout.
function request(channel, params, body, { signal, timeout } = {}) {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const { id, promise } = channel.send(Op.request, params, body);
  return new Promise((resolve, reject) => {
    let timer;
    const settle = () => {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
    };
    const stop = (err) => {
      settle();
      channel.cancel(id);
      reject(err);
    };
    const onAbort = () => stop(signal.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeout) {
      timer = setTimeout(() => stop(new DOMException(`${params.method} ${params.path} did not finish within ${timeout} ms`, ErrorName.timeout)), timeout);
    }
    promise.then(({ result, body: resBody }) => {
      settle();
      const out = readResponse(params, result, resBody);
      log('info', `${params.method} ${params.path} → ${out.status}`);
      resolve(out);
    }).catch((err) => {
      settle();
      log('info', `${params.method} ${params.path} → ${err.name}${err.status ? ` ${err.status}` : ''}`);
      reject(err);
    });
  });
}

// The connection

const userPath = '/api/now/table/sys_user?sysparm_query=sys_id%3Djavascript:gs.getUserID()&sysparm_limit=1';

// workerEvent is the connection's handler for worker events; a symbol keeps
// it off the public surface.
const workerEvent = Symbol('workerEvent');

/**
 * A signed-in session. Listen for 'refreshed', 'expired' and 'disconnected'
 * with addEventListener; events carry no token.
 */
class ServiceNowConnection extends EventTarget {
  #channel;
  #state = 'open'; // open, expired, closed or dead
  #dead = null;
  #closing = null;
  #announced = false;

  constructor(channel, instanceUrl, clientId) {
    super();
    this.#channel = channel;
    this.clientId = clientId;
    this.instanceUrl = instanceUrl;
    this.currentUser = undefined;
    this.executeApiRequest = this.executeApiRequest.bind(this);
    this.disconnect = this.disconnect.bind(this);
  }

  /** Sends a request to the instance through the worker. */
  async executeApiRequest(apiEndpoint, httpMethod = 'GET', data = undefined, suppressResponseBody = false, headers = undefined, options = undefined) {
    const opts = checkRequestOptions(options);
    const params = requestParams(this.instanceUrl, apiEndpoint, httpMethod, suppressResponseBody, headers, opts.timeout);
    this.#checkOpen();
    const body = await encodeBody(data);
    this.#checkOpen();
    return request(this.#channel, params, body, opts);
  }

  /** Revokes the tokens, stops the worker and ends the session. */
  disconnect() {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close() {
    const live = this.#state !== 'dead';
    this.#state = 'closed';
    if (live) {
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no reply within 10 s')), 10000);
      });
      try {
        const res = await Promise.race([this.#channel.call(Op.disconnect, {}), timeout]);
        if (res?.revoked === false) log('warn', 'disconnected, but the instance did not confirm that both tokens are revoked');
        else log('info', 'disconnected; the worker revoked the tokens');
      } catch (e) {
        log('warn', `disconnect: the worker could not revoke the tokens: ${e.message}`);
      } finally {
        clearTimeout(timer);
      }
    }
    this.#channel.end(new InitializationError(closedMessage));
    this.#announce({ reason: 'disconnect' });
  }

  #checkOpen() {
    switch (this.#state) {
      case 'expired':
        throw new AuthTokenExpiredError('the session has expired and could not be renewed; call connect() again');
      case 'closed':
        throw new InitializationError(closedMessage);
      case 'dead':
        throw this.#dead;
    }
  }

  #announce(detail) {
    if (this.#announced) return;
    this.#announced = true;
    this.dispatchEvent(new CustomEvent(EventName.disconnected, { detail }));
  }

  [workerEvent](name, data) {
    switch (name) {
      case EventName.refreshed:
        this.dispatchEvent(new CustomEvent(name, { detail: data }));
        break;
      case EventName.expired:
        if (this.#state === 'open') this.#state = 'expired';
        this.dispatchEvent(new CustomEvent(name, { detail: data }));
        break;
      case EventName.disconnected:
        if (this.#state === 'open' || this.#state === 'expired') this.#state = 'closed';
        this.#announce(data);
        break;
      case EventName.fatal:
        if (this.#state === 'closed') break;
        this.#state = 'dead';
        this.#dead = this.#channel.ended ?? new InitializationError(`${data?.message}; call connect() again`);
        this.#announce({ reason: 'fatal', message: data?.message });
        break;
    }
  }
}

// Settings

const reservedParams = ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'scope'];
const localHosts = ['localhost', '127.0.0.1', '[::1]'];

function checkInstanceUrl(v) {
  let u = null;
  try {
    u = typeof v === 'string' || v instanceof URL ? new URL(v) : null;
  } catch {
    // reported below
  }
  const scheme = u && (u.protocol === 'https:' || (u.protocol === 'http:' && localHosts.includes(u.hostname)));
  if (!scheme || u.username || u.password || u.pathname !== '/' || u.search || u.hash) {
    throw new ParameterError(`Invalid instance URL ${show(v)}: want the instance's https origin, such as "https://name.service-now.com" (http only for localhost)`);
  }
  return u.origin;
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
function windowFeatures({ width, height, left, top }) {
  const x = left ?? Math.max(0, Math.round(window.screenX + (window.outerWidth - width) / 2));
  const y = top ?? Math.max(0, Math.round(window.screenY + (window.outerHeight - height) / 2));
  return `popup=yes,width=${width},height=${height},left=${x},top=${y}`;
}

// settings checks connect's arguments; every problem is a ParameterError.
function settings(instanceUrl, clientId, scope, authFlowParams, authWindowOptions, options) {
  const instance = checkInstanceUrl(instanceUrl);
  if (typeof clientId !== 'string' || clientId.trim() === '') {
    throw new ParameterError(`Invalid client ID ${show(clientId)}: want the client ID of the instance's OAuth application registry entry`);
  }
  scope ??= [];
  if (!Array.isArray(scope) || !scope.every((s) => typeof s === 'string' && /^\S+$/.test(s))) {
    throw new ParameterError(`Invalid scope ${show(scope)}: want an array of scope names, such as ["useraccount"]`);
  }
  authFlowParams ??= {};
  if (typeof authFlowParams !== 'object') throw new ParameterError(`Invalid authFlowParams ${show(authFlowParams)}: want an object of string values`);
  for (const [k, v] of Object.entries(authFlowParams)) {
    if (typeof v !== 'string') throw new ParameterError(`Invalid authFlowParams.${k} ${show(v)}: want a string`);
    if (reservedParams.includes(k)) {
      const hint = k === 'scope' ? "; pass scopes as connect()'s third argument" : '';
      throw new ParameterError(`Invalid authFlowParams.${k}: the library sets ${k} itself${hint}`);
    }
  }
  const windowOptions = checkWindowOptions(authWindowOptions);
  const o = options ?? {};
  if (typeof o !== 'object') throw new ParameterError(`Invalid options ${show(options)}: want an object`);

  const base = globalThis.document?.baseURI ?? globalThis.location?.href;
  const redirectUri = checkUrl('options.redirectUri', o.redirectUri ?? new URL('./redirect.html', import.meta.url), base);
  const workerUrl = checkUrl('options.workerUrl', o.workerUrl ?? new URL('./worker.js', import.meta.url), base);
  if (o.wasmUrl !== undefined) workerUrl.searchParams.set('wasm', checkUrl('options.wasmUrl', o.wasmUrl, base).href);

  if (o.endpoints !== undefined && o.endpoints !== 'openfin' && o.endpoints !== 'servicenow') {
    throw new ParameterError(`Invalid options.endpoints ${show(o.endpoints)}: want "openfin" (the OpenFin Store app's token, revoke and user paths) or "servicenow"`);
  }
  const openfin = o.endpoints === 'openfin';
  const tokenPath = checkPath('options.tokenPath', o.tokenPath) ?? (openfin ? Path.openfinToken : undefined);
  const revokePath = checkPath('options.revokePath', o.revokePath) ?? (openfin ? Path.openfinRevoke : undefined);
  const userInfoPath = checkPath('options.userInfoPath', o.userInfoPath) ?? (openfin ? Path.openfinUser : undefined);

  let allowedPaths;
  if (o.allowedPaths !== undefined) {
    if (!Array.isArray(o.allowedPaths) || !o.allowedPaths.every((p) => typeof p === 'string' && p.startsWith('/'))) {
      throw new ParameterError(`Invalid options.allowedPaths ${show(o.allowedPaths)}: want an array of path prefixes, such as ["/api/now/table/incident"]`);
    }
    const user = (userInfoPath ?? userPath).split('?')[0];
    if (!o.allowedPaths.some((p) => user.startsWith(p))) {
      throw new ParameterError(`Invalid options.allowedPaths ${show(o.allowedPaths)}: connect() reads the signed-in user from ${user}; add that path`);
    }
    allowedPaths = [...o.allowedPaths];
  }

  const authTimeout = o.authTimeout ?? 300000;
  if (!Number.isFinite(authTimeout) || authTimeout <= 0) {
    throw new ParameterError(`Invalid options.authTimeout ${show(o.authTimeout)}: want a positive number of milliseconds`);
  }
  if (o.windowOpener !== undefined && typeof o.windowOpener?.open !== 'function') {
    throw new ParameterError(`Invalid options.windowOpener ${show(o.windowOpener)}: want an object with open({name, features, options})`);
  }
  if (o.windowOpener === undefined && redirectUri.origin !== globalThis.location?.origin) {
    throw new ParameterError(`Invalid options.redirectUri ${show(redirectUri.href)}: a popup can only hand the code back from this page's origin (${globalThis.location?.origin}); serve redirect.html there, or pass a windowOpener that reports URLs (such as openFinWindowOpener)`);
  }
  if (o.onEvent !== undefined && typeof o.onEvent !== 'function') {
    throw new ParameterError(`Invalid options.onEvent ${show(o.onEvent)}: want a function (name, data)`);
  }

  const init = { instanceUrl: instance, clientId, redirectUri: redirectUri.href };
  if (scope.length) init.scopes = [...scope];
  if (tokenPath) init.tokenPath = tokenPath;
  if (revokePath) init.revokePath = revokePath;
  if (allowedPaths) init.allowedPaths = allowedPaths;
  return {
    init,
    instanceUrl: instance,
    clientId,
    authFlowParams: { ...authFlowParams },
    windowOptions,
    redirectUri: redirectUri.href,
    workerUrl: workerUrl.href,
    userInfoPath,
    authTimeout,
    windowOpener: o.windowOpener ?? popupWindowOpener(),
    onEvent: o.onEvent,
  };
}

// The authorization window

/**
 * The default window opener: a browser popup. open() must run synchronously
 * inside a user gesture, so it opens a blank window that is navigated later.
 */
export function popupWindowOpener() {
  return {
    open({ name, features }) {
      const w = window.open('', name, features);
      if (!w) return null;
      try {
        w.document.title = 'Connecting to ServiceNow';
        w.document.body.textContent = 'Connecting to ServiceNow…';
      } catch {
        // not ours to write to; harmless
      }
      return {
        window: w,
        get closed() {
          return w.closed;
        },
        navigate(url) {
          w.location.replace(url);
        },
        close() {
          if (!w.closed) w.close();
        },
      };
    },
  };
}

function randomName() {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return `snworker-auth-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

// watchWindow fails when the window closes or the flow takes too long.
function watchWindow(popup, timeout) {
  let fail;
  const failed = new Promise((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {});
  let closedPolls = 0;
  let watchClose = true;
  // Two polls in a row, so that a redirect page that posts and then closes
  // itself is not mistaken for a user closing the window.
  const poll = setInterval(() => {
    closedPolls = watchClose && popup.closed ? closedPolls + 1 : 0;
    if (closedPolls >= 2) {
      fail(new AuthorizationError('the authorization window was closed before sign-in finished; call connect() again and complete the sign-in'));
    }
  }, 250);
  const timer = setTimeout(() => {
    popup.close();
    fail(new AuthorizationError(`sign-in did not finish within ${timeout} ms (options.authTimeout); call connect() again`));
  }, timeout);
  return {
    failed,
    redirected() {
      watchClose = false;
    },
    stop() {
      clearInterval(poll);
      clearTimeout(timer);
    },
  };
}

const redirectType = 'snworker:redirect';

function isRedirect(data) {
  return data?.type === redirectType && typeof data.query === 'string';
}

function stateOf(query) {
  return new URLSearchParams(query).get('state');
}

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

// redirectQuery returns url's query if url is the redirect URI, else null.
function redirectQuery(url, redirectUri) {
  try {
    const u = new URL(url);
    const r = new URL(redirectUri);
    return u.origin === r.origin && u.pathname === r.pathname ? u.search.slice(1) : null;
  } catch {
    return null;
  }
}

// waitRedirect resolves with the redirect's query string, from the redirect
// page (postMessage, or BroadcastChannel when the opener is lost) or from a
// window opener that reports URLs.
function waitRedirect(popup, redirectUri, state) {
  const origin = new URL(redirectUri).origin;
  let stop;
  const promise = new Promise((resolve) => {
    const channel = new BroadcastChannel(`snworker:${state}`);
    const onMessage = (e) => {
      if (e.origin !== origin || !isRedirect(e.data)) return;
      if (e.source !== popup.window && stateOf(e.data.query) !== state) return; // another flow's
      accept(e.data.query);
    };
    const accept = (query) => {
      stop();
      resolve(query);
    };
    stop = () => {
      window.removeEventListener('message', onMessage);
      channel.close();
    };
    window.addEventListener('message', onMessage);
    channel.onmessage = (e) => {
      if (isRedirect(e.data)) accept(e.data.query);
    };
    popup.onUrl?.((url) => {
      const query = redirectQuery(url, redirectUri);
      if (query !== null) accept(query);
    });
  });
  return { promise, stop: () => stop() };
}

// connect

let authorizing = false;

/**
 * Signs the user in through a popup and returns a connection. Call it from a
 * click handler: it opens the window before its first await.
 */
export async function connect(instanceUrl, clientId, scope = undefined, authFlowParams = undefined, authWindowOptions = undefined, options = undefined) {
  const cfg = settings(instanceUrl, clientId, scope, authFlowParams, authWindowOptions, options);
  if (authorizing) {
    throw new AuthorizationError('an authorization is already in progress; wait for it or close its window, then call connect() again');
  }
  let popup;
  try {
    popup = cfg.windowOpener.open({ name: randomName(), features: windowFeatures(cfg.windowOptions), options: cfg.windowOptions });
  } catch (e) {
    throw new AuthorizationError(`cannot open the authorization window: ${e.message}`, undefined, { cause: e });
  }
  if (!popup) {
    throw new AuthorizationError('the authorization window was blocked: call connect() directly from a click handler (before any await), or allow popups for this site');
  }
  authorizing = true;
  log('info', `connect: ${cfg.instanceUrl}, client ${cfg.clientId}`);

  const watch = watchWindow(popup, cfg.authTimeout);
  const race = (p) => Promise.race([p, watch.failed]);
  let connection = null;
  let channel = null;
  let redirect = null;
  try {
    channel = new WorkerChannel(cfg.workerUrl, (name, data) => {
      if (name === EventName.log) log(data?.level === 'error' ? 'error' : data?.level === 'warn' ? 'warn' : 'info', `worker: ${data?.message}`);
      else log('info', `event: ${name}`);
      connection?.[workerEvent](name, data);
      try {
        cfg.onEvent?.(name, data);
      } catch (e) {
        report(e);
      }
    });
    await race(channel.call(Op.init, cfg.init));
    const begun = await race(channel.call(Op.begin, { params: cfg.authFlowParams }));
    if (originOf(begun?.authorizeUrl) !== cfg.instanceUrl) {
      throw new InitializationError(`the worker returned an authorize URL that is not on ${cfg.instanceUrl}`);
    }
    redirect = waitRedirect(popup, cfg.redirectUri, begun.state);
    try {
      await race(Promise.resolve(popup.navigate(begun.authorizeUrl)));
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new AuthorizationError(`cannot show the sign-in page: ${e.message}`, undefined, { cause: e });
    }
    log('info', 'waiting for sign-in in the authorization window');
    const query = await race(redirect.promise);
    watch.redirected();
    popup.close();
    log('info', 'authorization window returned; completing sign-in');
    await race(channel.call(Op.complete, { query }));

    connection = new ServiceNowConnection(channel, cfg.instanceUrl, cfg.clientId);
    const user = await race(request(channel, requestParams(cfg.instanceUrl, cfg.userInfoPath ?? userPath, 'GET')));
    connection.currentUser = cfg.userInfoPath ? user.data : Array.isArray(user.data) ? user.data[0] : user.data;
    if (!connection.currentUser) log('warn', 'the instance returned no record for the signed-in user');
    log('info', `connected as ${connection.currentUser?.user_name ?? 'an unknown user'}`);
    return connection;
  } catch (e) {
    log('warn', `connect failed: ${e.name}: ${e.message}`);
    if (channel && !channel.ended) {
      // Revoke whatever the worker may hold, then stop it.
      const end = () => channel.end(new InitializationError(closedMessage));
      channel.call(Op.disconnect, {}).then(end, end);
      setTimeout(end, 5000);
    }
    throw e;
  } finally {
    authorizing = false;
    watch.stop();
    redirect?.stop();
    popup.close();
  }
}

// @snworker/servicenow: call a ServiceNow instance's REST API through OAuth 2.0
// (authorization code + PKCE) without the page ever holding a token. Tokens,
// and every request that uses them, live in a Web Worker (dedicated, or shared
// by the origin's windows) running Go compiled to WebAssembly; this module
// only exchanges messages with it.

import { WorkerChannel } from './channel.js';
import { ServiceNowConnection, workerEvent } from './connection.js';
import { forget, recall, remember } from './endpoints.js';
import { ApiError, AuthorizationError, closedMessage, InitializationError } from './errors.js';
import { disableLogging, enableLogging, log } from './log.js';
import { newFlowId, originOf, randomName, waitRedirect, watchWindow } from './popup.js';
import { prestart, respare } from './prestart.js';
import { EventName, Op } from './protocol.js';
import { finishSignIn, signInKey } from './redirect.js';
import { request, requestParams } from './request.js';
import { settings, userPath, windowFeatures } from './settings.js';
import { join, share, sharedWorkers } from './shared.js';

export { ApiError, ApiRequestError, AuthorizationError, AuthTokenExpiredError, InitializationError, ParameterError } from './errors.js';
export { disableLogging, enableLogging } from './log.js';
export { openFinWindowOpener } from './openfin.js';
export { popupWindowOpener } from './popup.js';
export { prestart } from './prestart.js';

// As the anchor does in OpenFin: the logging switch on fin.Integrations.
if (typeof globalThis.fin === 'object' && globalThis.fin !== null) {
  const fin = globalThis.fin;
  fin.Integrations ??= {};
  fin.Integrations.ServiceNow = { enableLogging, disableLogging };
}

// In the sign-in window, back from the instance: hand the code to the app
// window that opened it, and close. Any page that imports the module can
// so be the redirect URL.
if (finishSignIn()) prestart(false);

function report(err) {
  if (typeof reportError === 'function') reportError(err);
  else setTimeout(() => { throw err; });
}

// The sign-in under way in this page: {lost(), end(err)}, or null.
let current = null;

// relay passes the worker's events to the log, to target.connection and to
// options.onEvent.
function relay(cfg, target) {
  return (name, data) => {
    if (name === EventName.log) log(data?.level === 'error' ? 'error' : data?.level === 'warn' ? 'warn' : 'info', `worker: ${data?.message}`);
    else log('info', `event: ${name}`);
    target.connection?.[workerEvent](name, data);
    try {
      cfg.onEvent?.(name, data);
    } catch (e) {
      report(e);
    }
  };
}

/**
 * Signs the user in through a popup and returns a connection. Call it from a
 * click handler: it opens the window before its first await. With
 * options.shared, a window joins a live shared session, closing the window
 * it opened at once (outside a click it opens none unless it must).
 */
export async function connect(instanceUrl, clientId, scope = undefined, authFlowParams = undefined, authWindowOptions = undefined, options = undefined) {
  const cfg = settings(instanceUrl, clientId, scope, authFlowParams, authWindowOptions, options);
  if (current) {
    if (!current.lost()) {
      throw new AuthorizationError('an authorization is already in progress; wait for it or close its window, then call connect() again');
    }
    // Its window is closed, or cut off so that no one can tell: this one takes over.
    current.end(new AuthorizationError('the authorization window was closed or lost, and connect() was called again'));
  }
  const flow = { lost: () => false, end: () => {} };
  current = flow;
  try {
    const shared = cfg.shared && sharedWorkers();
    // The window opens inside the click, before any await: some browsers
    // (Safari) block it after a round trip to a worker.
    const activation = globalThis.navigator?.userActivation;
    let popup = !shared || !activation || activation.isActive ? openWindow(cfg) : null;
    if (!shared) return await signIn(cfg, { connection: null }, null, popup, flow);
    // Until signIn watches it: a blank window the user closed lets a new
    // click take over, rather than wait out the join.
    flow.lost = () => !popup || popup.closed;

    const target = { connection: null };
    let joined;
    try {
      joined = await join(cfg, relay(cfg, target), target);
    } catch (e) {
      popup?.close();
      throw e;
    }
    if (joined.connection) {
      popup?.close();
      return joined.connection;
    }
    popup ??= openWindow(cfg); // outside a click: the browser may block it
    try {
      return await signIn(cfg, target, joined.channel, popup, flow);
    } catch (e) {
      if (!joined.channel.ended) joined.channel.end(new InitializationError(closedMessage));
      throw e;
    }
  } finally {
    if (current === flow) current = null;
  }
}

// openWindow opens the authorization window, blank; null if it was blocked.
function openWindow(cfg) {
  try {
    return cfg.windowOpener.open({ name: randomName(), features: windowFeatures(cfg.windowOptions), options: cfg.windowOptions });
  } catch (e) {
    throw new AuthorizationError(`cannot open the authorization window: ${e.message}`, undefined, { cause: e });
  }
}

/**
 * Resolves to a connection to the live shared session for the instance and
 * client ID, or to null if there is none. It never opens a window.
 */
export async function getConnection(instanceUrl, clientId, options = undefined) {
  const cfg = settings(instanceUrl, clientId, undefined, undefined, undefined, options);
  if (!sharedWorkers()) return null;
  const target = { connection: null };
  const { channel, connection } = await join(cfg, relay(cfg, target), target);
  if (!connection) channel.end(new InitializationError(closedMessage));
  return connection;
}

// signIn runs the authorization flow in popup; a shared channel comes
// attached. flow is this sign-in's entry in current.
async function signIn(cfg, target, sharedChannel, popup, flow) {
  if (!popup) {
    throw new AuthorizationError('the authorization window was blocked: call connect() directly from a click handler (before any await), or allow popups for this site');
  }
  const flowId = markWindow(popup);
  log('info', `connect: ${cfg.instanceUrl}, client ${cfg.clientId}`);
  const recalled = !sharedChannel && recall(cfg);

  const watch = watchWindow(popup, { timeout: cfg.authTimeout, clientId: cfg.clientId, redirectUri: cfg.redirectUri }, () => log('warn',
    'the browser cut this page off from the sign-in window, or the window was closed before the sign-in page appeared, and this page sends Cross-Origin-Opener-Policy, under which the two look alike (WebKit): ' +
    'a sign-in still completes, but a closed window is noticed only at options.authTimeout or the next connect()'));
  flow.lost = watch.lost;
  flow.end = watch.end;
  const race = (p) => Promise.race([p, watch.failed]);
  const redirect = waitRedirect(popup, cfg.redirectUri, flowId);
  popup.onErrorPage?.((page) => {
    if (refusedBy(cfg, page.url)) watch.end(new AuthorizationError(refusedMessage(cfg, page), page.url));
  });
  let connection = null;
  let channel = sharedChannel ?? null;
  try {
    // init and begin go together: the worker answers them in order, so the
    // sign-in page waits for one round trip, not two.
    let inited = null;
    if (!channel) {
      channel = new WorkerChannel(cfg.workerUrl, relay(cfg, target));
      inited = channel.call(Op.init, cfg.init);
    }
    await showSignInPage(cfg, channel, inited, popup, race);
    // The worker finds its endpoints while the sign-in page loads; if it
    // finds none, the window closes before the user types a password.
    const endpoints = channel.call(Op.endpoints, {});
    endpoints.catch(() => {}); // awaited below
    log('info', 'waiting for sign-in in the authorization window');
    const query = await race(Promise.race([redirect.promise, endpoints.then(() => redirect.promise)]));
    const found = await race(endpoints);
    const userInfoPath = cfg.userInfoPath ?? found.userInfoPath;
    watch.redirected();
    popup.close();
    log('info', 'authorization window returned; completing sign-in');
    await race(channel.call(Op.complete, { query }));

    connection = new ServiceNowConnection(channel, cfg.givenInstanceUrl, cfg.instanceUrl, cfg.clientId, cfg.closeTimeout);
    target.connection = connection;
    const user = await race(request(channel, requestParams(cfg.instanceUrl, userInfoPath ?? userPath, 'GET')));
    connection.currentUser = Array.isArray(user.data) ? user.data[0] : user.data;
    if (!connection.currentUser) log('warn', 'the instance returned no record for the signed-in user');
    log('info', `connected as ${connection.currentUser?.user_name ?? 'an unknown user'}`);
    if (sharedChannel) share(channel, connection.currentUser);
    else remember(cfg, found);
    return connection;
  } catch (e) {
    log('warn', `connect failed: ${e.name}: ${e.message}`);
    if (recalled) forget(cfg);
    abandon(cfg, channel, sharedChannel);
    throw e;
  } finally {
    watch.stop();
    redirect.stop();
    popup.close();
  }
}

// refusedBy reports whether an error page at url is the instance refusing
// the sign-in: a page of the instance, not the redirect URL.
function refusedBy(cfg, url) {
  try {
    const u = new URL(url);
    const r = new URL(cfg.redirectUri);
    return u.origin === cfg.instanceUrl && !(u.origin === r.origin && u.pathname === r.pathname);
  } catch {
    return false;
  }
}

// refusedMessage gives the instance's own words, and the two things it can
// refuse in an authorization request.
function refusedMessage(cfg, { url, status, text }) {
  const said = text ? `: "${text}"` : '';
  return `the instance refused the sign-in (HTTP ${status} at ${new URL(url).pathname})${said}. ` +
    `Check the client ID "${cfg.clientId}" against the instance's OAuth application registry, and that ${cfg.redirectUri} is one of that entry's redirect URLs (or pass a registered one as options.redirectUri)`;
}

// markWindow writes a new flow ID in the window's sessionStorage: only this
// window holds it, and its redirect page proves with it where it runs (see
// redirect.js).
function markWindow(popup) {
  const flowId = newFlowId();
  try {
    popup.window?.sessionStorage.setItem(signInKey, flowId);
  } catch {
    // another origin's window, or storage refused: the opener still works
  }
  return flowId;
}

// showSignInPage asks the worker for the authorize URL, once init (inited,
// its pending reply, or null) is done, and sends the window there.
async function showSignInPage(cfg, channel, inited, popup, race) {
  const beginning = channel.call(Op.begin, { authFlowParams: cfg.authFlowParams });
  beginning.catch(() => {}); // when init fails, its error is the one to report
  await race(inited);
  const begun = await race(beginning);
  if (originOf(begun?.authorizeUrl) !== cfg.instanceUrl) {
    throw new InitializationError(`the worker returned an authorize URL that is not on ${cfg.instanceUrl}`);
  }
  try {
    await race(Promise.resolve(popup.navigate(begun.authorizeUrl)));
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new AuthorizationError(`cannot show the sign-in page: ${e.message}`, undefined, { cause: e });
  }
}

// abandon lets go of a failed sign-in's worker.
function abandon(cfg, channel, sharedChannel) {
  if (sharedChannel) {
    // Other windows may use the session: leave it, and only let go of it.
    channel.end(new InitializationError(closedMessage));
  } else if (channel && !channel.ended) {
    // Revoke whatever the worker may hold, then stop it.
    const end = () => channel.end(new InitializationError(closedMessage));
    channel.call(Op.disconnect, {}).then(end, end);
    setTimeout(end, 5000);
    // A fresh worker for the next connect(), so it is as quick as the
    // first; the one that failed, which may hold a token, is not reused.
    respare(cfg.workerUrl);
  }
}

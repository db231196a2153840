// Types for @snworker/servicenow, call-compatible with @openfin/servicenow 1.0.1:
// every name that package's types export is declared here as the same kind.

import { ServiceNowEntities } from './entities.js';

/** Types for records of common tables (see entities.d.ts). */
export { ServiceNowEntities };
/** The same records by name: import type { Incident } from '@snworker/servicenow'. */
export type * from './entities.js';

/** Base class of every error the library throws, except AbortError and TimeoutError (DOMExceptions). */
export declare class ApiError extends Error {
  constructor(message?: string, data?: unknown, options?: ErrorOptions);
  /** The server's JSON error body, or more detail about the failure. */
  data?: unknown;
}

/** The instance answered with a non-2xx status; message is the server's error.message when present. */
export declare class ApiRequestError extends ApiError {
  constructor(message: string | undefined, status: number, data?: unknown, options?: ErrorOptions);
  status: number;
}

/** Sign-in failed: denied, window closed or blocked, state mismatch, no code, code exchange failed, or timeout. */
export declare class AuthorizationError extends ApiError {}

/** The access token could not be refreshed; call connect() again. data is the token endpoint's JSON error body. */
export declare class AuthTokenExpiredError extends ApiError {}

/** The worker could not start or stopped, or the connection is closed. */
export declare class InitializationError extends ApiError {}

/** An argument is invalid; the message names it and the expected form. */
export declare class ParameterError extends ApiError {}

/**
 * Options for the sign-in window. In a browser, width, height, left and top
 * (pixels) set the popup's features; default 600×700, centred. In OpenFin the
 * object is passed to fin.Window.create as window options (defaultWidth,
 * defaultHeight, frame, …; default 550×600), as @openfin/servicenow does.
 */
export interface AuthWindowOptions {
  width?: number;
  height?: number;
  left?: number;
  top?: number;
  // any, not unknown, so that an options interface (such as OpenFin's) is accepted.
  [option: string]: any;
}

/**
 * Extra query parameters for the authorization URL, such as {prompt: 'login'}; `scope`, as with OpenFin's package, replaces connect()'s scopes.
 * connect()'s option names (redirectUri, shared, …) are refused here: they go in its options.
 */
export type AuthFlowParams = Record<string, string> & { [K in keyof ConnectOptions]?: never };

/** Request headers for executeApiRequest, by name. */
export type ApiRequestHeaders = Record<string, string>;

/** A window the sign-in page is shown in, as returned by a WindowOpener. */
export interface AuthWindow {
  /** Shows url in the window. */
  navigate(url: string): void | Promise<void>;
  close(): void;
  /** Polled every 250 ms; true once the user closed the window. */
  readonly closed: boolean;
  /** The browser window: its messages are taken as the redirect page's, and connect() marks it, while still blank, as this sign-in's window (a flow ID in its sessionStorage). */
  readonly window?: Window | null;
  /** For openers that can read the window's URL: report every URL it shows. */
  onUrl?(listener: (url: string) => void): void;
  /** For openers that can tell: report a page shown with an HTTP error status, and its text. */
  onErrorPage?(listener: (page: { url: string; status: number; text: string }) => void): void;
}

export interface WindowOpenRequest {
  /** A fresh, unique window name. */
  name: string;
  /** authWindowOptions as a window.open features string. */
  features: string;
  /** authWindowOptions with defaults filled in. */
  options: AuthWindowOptions & { width: number; height: number };
}

/** Opens the authorization window. open() is called synchronously inside connect(); null means blocked. */
export interface WindowOpener {
  open(request: WindowOpenRequest): AuthWindow | null;
}

export type WorkerEventName = 'ready' | 'log' | 'refreshing' | 'refreshed' | 'expired' | 'disconnected' | 'fatal';

/** connect()'s trailing options object (extensions to @openfin/servicenow). */
export interface ConnectOptions {
  /** Registered redirect URI: a page of the app that imports this module or calls handleRedirect(). Default: the folder of the page, new URL('./', document.baseURI). With the default opener it must share the page's origin. */
  redirectUri?: string | URL;
  /** Worker bootstrap script, same-origin. Default: worker.js beside servicenow.js. */
  workerUrl?: string | URL;
  /**
   * The worker's wasm binary, raw or gzip-compressed (the worker tells by
   * its first bytes). Default: snworker.wasm beside worker.js, or
   * snworker.wasm.gz where the server compresses nothing.
   */
  wasmUrl?: string | URL;
  /** Token endpoint path; not under /api/now/ nor allowedPaths. Default "/oauth_token.do". */
  tokenPath?: string;
  /** Revocation endpoint path; not under /api/now/ nor allowedPaths. Default "/oauth_revoke_token.do". */
  revokePath?: string;
  /** Path whose reply ({"result": <sys_user>}) is currentUser. Default: the sys_user table query for the signed-in user. */
  userInfoPath?: string;
  /**
   * Which token, revoke and user endpoints the worker uses. "auto" (the
   * default): whichever of the next two this origin can read, checked once
   * per browser and instance; "servicenow": /oauth_token.do and
   * /oauth_revoke_token.do (with glide.oauth.cors.allowed.origin set);
   * "openfin": the OpenFin Store app's token, revoke and user_info paths
   * (each overridable above).
   */
  endpoints?: 'auto' | 'servicenow' | 'openfin';
  /** API paths the worker may call, matched by whole segments ("/api/now/table/incident" allows ".../incident/<id>", not ".../incident_task"; one ending in "/" allows what starts with it); must include the path currentUser is read from. Default: all. */
  allowedPaths?: string[];
  /** Milliseconds the sign-in may take. Default 300000. */
  authTimeout?: number;
  /** Milliseconds each call to the token and revoke endpoints may take. Default 30000. */
  tokenTimeout?: number;
  /** Opens the authorization window. Default: a browser popup (see popupWindowOpener, openFinWindowOpener). */
  windowOpener?: WindowOpener;
  /** Called with every worker event; data never holds a token. */
  onEvent?: (name: WorkerEventName | string, data?: unknown) => void;
  /**
   * One session for every window of this origin: the worker runs as a
   * SharedWorker holding one session per instance and client ID, and a window
   * that connects while it is signed in joins it without a popup. Where
   * SharedWorker does not exist, a dedicated worker is used. Default false.
   */
  shared?: boolean;
  /**
   * Shared mode: milliseconds the session waits, once the app's last window
   * goes, for a window to come back (a reload, a navigation to another page
   * of the app) before the worker revokes its tokens and ends. 0 turns it
   * off: the session ends with the last window. At most 20000. Where the
   * browser lacks SharedWorker extendedLifetime (before Chromium 148,
   * Firefox, Safari) the worker ends with the last window whatever this is.
   * The session keeps the value of the window that started it. Default 10000.
   */
  gracePeriod?: number;
}

export interface RequestOptions {
  /** Aborting rejects at once with signal.reason and cancels the request. */
  signal?: AbortSignal;
  /**
   * Milliseconds; then the request rejects with a DOMException named
   * TimeoutError. Default 60000; 0 or Infinity turns it off.
   */
  timeout?: number;
}

/** What executeApiRequest resolves to. */
export interface ServiceNowRestApiResponse<T = unknown> {
  status: number;
  /** The body: JSON without ServiceNow's {"result": …} envelope, text, or an ArrayBuffer. Absent when there is none. */
  data?: T;
  /** The response Content-Type. */
  type?: string;
}

/** A ServiceNowRestApiResponse as executeApiRequest returns it, with the response headers. */
export type ApiResponse<T = unknown> = ServiceNowRestApiResponse<T> & {
  /** Response headers the instance exposes (such as link and x-total-count), names in lower case. */
  headers: Record<string, string>;
};

/** The envelope of a REST API reply: {"result": …}. */
export interface ServiceNowRestApiResult<T> {
  result: T;
}

/** The error body of a failed REST API call: {"error": {message, detail}, "status": "failure"}. */
export interface ServiceNowRestApiErrorResponse {
  error: ServiceNowRestApiError;
  status: 'failure';
}

export interface ServiceNowRestApiError {
  message: string;
  detail: string | null;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | (string & {});

export type RequestData = object | string | ArrayBuffer | ArrayBufferView | Blob;

export interface ConnectionEventMap {
  /** The access token is being renewed (ahead of expiry, or after a 401). */
  refreshing: CustomEvent<unknown>;
  /** The access token was renewed. */
  refreshed: CustomEvent<unknown>;
  /** The refresh failed; further calls reject with AuthTokenExpiredError. */
  expired: CustomEvent<unknown>;
  /**
   * The session ended (disconnect() or the worker stopped). revoked is true
   * only when the instance confirmed that every token was revoked.
   */
  disconnected: CustomEvent<{ reason: 'disconnect' | 'fatal'; revoked?: boolean; message?: string }>;
}

export interface ServiceNowConnection extends EventTarget {
  readonly clientId: string;
  /** The instance URL as given to connect(); requests go to its origin. */
  readonly instanceUrl: string;
  /** The signed-in user's sys_user record. */
  readonly currentUser: ServiceNowEntities.Core.User;
  /**
   * Calls a REST API of the instance through the worker, which adds the
   * access token (renewing it first when due) and sends the request only to
   * the instance's origin. Resolves to {status, data, type, headers} for a
   * 2xx answer; rejects with ApiRequestError for any other status,
   * AuthTokenExpiredError when the token can't be renewed, and a
   * DOMException named AbortError or TimeoutError. With GET, POST, PUT or
   * PATCH and the body not suppressed, data is typed as present.
   *
   * @param apiEndpoint A path on the instance, such as
   *   "/api/now/table/incident?sysparm_limit=10", or a URL on its origin.
   * @param httpMethod GET (the default), POST, PUT, PATCH or DELETE.
   * @param data The request body: an object is sent as JSON; a string,
   *   ArrayBuffer, typed array or Blob as it is.
   * @param suppressResponseBody true sends X-no-response-body: true, so
   *   that the instance answers without a body (data is then absent).
   * @param headers Extra request headers; Authorization, Cookie, Host and
   *   method-override headers are refused.
   * @param options An AbortSignal, and a timeout in ms (default 60000; 0
   *   or Infinity turns it off).
   */
  executeApiRequest<T = unknown>(
    apiEndpoint: string,
    httpMethod?: 'GET' | 'POST' | 'PUT' | 'PATCH',
    data?: RequestData,
    suppressResponseBody?: false,
    headers?: ApiRequestHeaders | Headers,
    options?: RequestOptions,
  ): Promise<ApiResponse<T> & { data: T }>;
  executeApiRequest<T = unknown>(
    apiEndpoint: string,
    httpMethod?: HttpMethod,
    data?: RequestData,
    suppressResponseBody?: boolean,
    headers?: ApiRequestHeaders | Headers,
    options?: RequestOptions,
  ): Promise<ApiResponse<T>>;
  /**
   * Revokes both tokens and stops the worker. revoked is false unless the
   * instance confirmed every revocation: the tokens may then be live until
   * they expire.
   */
  disconnect(): Promise<{ revoked: boolean }>;
  addEventListener<K extends keyof ConnectionEventMap>(type: K, listener: (ev: ConnectionEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ConnectionEventMap>(type: K, listener: (ev: ConnectionEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/**
 * Signs the user in and returns a connection. Call it from a click handler:
 * it opens the authorization window before its first await.
 *
 * @param instanceUrl The instance, such as "https://name.service-now.com"
 *   (https, or http on localhost); requests go to its origin.
 * @param clientId The client ID of the instance's OAuth application
 *   registry entry (a public client, with PKCE).
 * @param scope OAuth scopes to ask for, such as ["useraccount"]. Default none.
 * @param authFlowParams Extra query parameters for the authorization URL,
 *   such as {prompt: 'login'}; not those the library sets (state, scope, …).
 * @param authWindowOptions The sign-in window's width, height, left and
 *   top in pixels (default 600×700, centred); in OpenFin, fin.Window.create
 *   options (default 550×600).
 * @param options This library's extensions: redirectUri, endpoints,
 *   allowedPaths, shared, workerUrl, wasmUrl, timeouts, windowOpener,
 *   onEvent (see ConnectOptions).
 */
export declare function connect(
  instanceUrl: string | URL,
  clientId: string,
  scope?: string[],
  authFlowParams?: AuthFlowParams,
  authWindowOptions?: AuthWindowOptions,
  options?: ConnectOptions,
): Promise<ServiceNowConnection>;

/**
 * connect(instanceUrl, clientId, options): every argument after the client
 * ID in one object, this library's options with scope, authFlowParams and
 * authWindowOptions beside them.
 */
export interface ConnectAllOptions extends ConnectOptions {
  /** OAuth scopes to ask for, such as ["useraccount"]. Default none. */
  scope?: string[];
  /** Extra query parameters for the authorization URL, such as {prompt: 'login'}. */
  authFlowParams?: AuthFlowParams;
  /** The sign-in window's width, height, left and top in pixels; in OpenFin, fin.Window.create options. */
  authWindowOptions?: AuthWindowOptions;
}

/**
 * Signs the user in and returns a connection, with every argument after the
 * client ID in one object: connect(url, clientId, { redirectUri, shared: true }).
 * Call it from a click handler: it opens the authorization window before its
 * first await.
 */
export declare function connect(
  instanceUrl: string | URL,
  clientId: string,
  options: ConnectAllOptions,
): Promise<ServiceNowConnection>;

/**
 * Resolves to a connection to the live shared session for the instance and
 * client ID (see ConnectOptions.shared), or to null if there is none. It
 * never opens a window. Pass the options connect() gets.
 */
export declare function getConnection(
  instanceUrl: string | URL,
  clientId: string,
  options?: ConnectOptions,
): Promise<ServiceNowConnection | null>;

export declare function enableLogging(): void;
export declare function disableLogging(): void;

/** The default opener: a browser popup opened blank, then navigated. */
export declare function popupWindowOpener(): WindowOpener;

/** A rectangle by its edges, as OpenFin gives a monitor's. */
export interface FinRect { left: number; top: number; right: number; bottom: number }

/** A window's bounds, as OpenFin gives them. */
export interface FinBounds { left: number; top: number; width: number; height: number }

/** The part of an OpenFin window the OpenFin opener uses. */
export interface FinWindowLike {
  /** url-changed gets {url, isInPage, httpResponseCode}, as OpenFin's Window events. */
  on(type: 'url-changed' | 'closing', listener: (event: any) => void): Promise<unknown>;
  removeAllListeners(): Promise<unknown>;
  getInfo(): Promise<{ url: string }>;
  navigate(url: string): Promise<unknown>;
  close(force?: boolean): Promise<unknown>;
  isShowing(): Promise<boolean>;
  show(force?: boolean): Promise<unknown>;
  focus(): Promise<unknown>;
  setBounds(bounds: Partial<FinBounds>): Promise<unknown>;
  executeJavaScript(code: string): Promise<unknown>;
}

/** The subset of OpenFin's fin object the OpenFin opener uses (checked against @openfin/core's types). */
export interface FinLike {
  Window: {
    create(options: Record<string, any> & { name: string; url: string }): Promise<FinWindowLike>;
  };
  System: {
    getMonitorInfo(): Promise<{
      primaryMonitor: { availableRect: FinRect; monitorRect: FinRect };
      nonPrimaryMonitors: { availableRect: FinRect; monitorRect: FinRect }[];
    }>;
    getRuntimeInfo(): Promise<{ version: string }>;
  };
  me: {
    isOpenFin: boolean;
    getBounds?(): Promise<FinBounds>;
    getCurrentWindow?(): Promise<{ getBounds(): Promise<FinBounds> }>;
  };
}

/**
 * An opener that shows the sign-in page with fin.Window.create and watches
 * its URL for the redirect URI (which can then be <instance>/oauth_redirect.do),
 * making the window as @openfin/servicenow does (550×600, hidden for 2 s, on
 * the calling window's monitor). windowOptions are fin.Window.create options
 * that go over those.
 */
export declare function openFinWindowOpener(fin: FinLike, windowOptions?: Record<string, unknown>): WindowOpener;

/**
 * Starts the worker ahead of connect(), so that the sign-in window shows the
 * sign-in page without waiting for the wasm to compile; resolves once it is
 * ready. connect() with the same workerUrl and wasmUrl adopts it. The module
 * already starts one from the default URL when the page is first idle;
 * prestart(false), called as the page loads, turns that off (and ends an
 * unused prestarted worker).
 */
export declare function prestart(options?: { workerUrl?: string | URL; wasmUrl?: string | URL } | false): Promise<void>;

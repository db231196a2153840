// Code generated from bridge/ by `go test ./bridge/ -run TestJSModule -update`. DO NOT EDIT.

// Operations the module asks of the worker.
export const Op = Object.freeze({
  init: "init",
  begin: "beginAuthorization",
  endpoints: "findEndpoints",
  complete: "completeAuthorization",
  request: "executeApiRequest",
  cancel: "cancel",
  disconnect: "disconnect",
  ping: "ping",
  attach: "attach",
  setUser: "setUser",
  detach: "detach",
});

// Error names in replies; each is a JS error class, or a DOMException name.
export const ErrorName = Object.freeze({
  apiRequest: "ApiRequestError",
  authorization: "AuthorizationError",
  tokenExpired: "AuthTokenExpiredError",
  initialization: "InitializationError",
  parameter: "ParameterError",
  abort: "AbortError",
  timeout: "TimeoutError",
});

// Events the worker sends unasked.
export const EventName = Object.freeze({
  ready: "ready",
  log: "log",
  refreshing: "refreshing",
  refreshed: "refreshed",
  expired: "expired",
  disconnected: "disconnected",
  fatal: "fatal",
});

// How to read the body of an executeApiRequest reply.
export const Kind = Object.freeze({
  none: "none",
  json: "json",
  text: "text",
  binary: "binary",
});

// Which token, revoke and user endpoints the worker uses.
export const Endpoints = Object.freeze({
  servicenow: "servicenow",
  openfin: "openfin",
  auto: "auto",
});

// Default and OpenFin Store-app endpoint paths.
export const Path = Object.freeze({
  defaultToken: "/oauth_token.do",
  defaultRevoke: "/oauth_revoke_token.do",
  openfinToken: "/api/x_opfi_openfin/v1/integration/request_tokens",
  openfinRevoke: "/api/x_opfi_openfin/v1/integration/revoke_token",
  openfinUser: "/api/x_opfi_openfin/v1/integration/user_info",
});

// Limits on what the worker accepts.
export const Limit = Object.freeze({
  maxEnvelope: 1048576,
  maxBody: 67108864,
  maxId: 9007199254740991,
  maxGraceMs: 20000,
  defaultGraceMs: 10000,
});

// The release the module and the worker belong to.
export const Release = Object.freeze({
  version: "0.1.0",
});

// HTTP methods an API request may use.
export const Methods = Object.freeze(["GET","POST","PUT","PATCH","DELETE"]);

// Request headers the worker refuses (lower case).
export const RefusedHeaders = Object.freeze(["authorization","cookie","host","origin","referer","content-length","connection","transfer-encoding","proxy-authorization","te","upgrade"]);

// Request headers the worker refuses as overrides (lower case).
export const OverrideHeaders = Object.freeze(["x-http-method-override","x-http-method","x-method-override","x-original-url","x-rewrite-url","x-original-method","forwarded","x-host","x-original-host","x-http-host-override","x-real-ip","x-client-ip","true-client-ip"]);

// Prefixes of request headers the worker refuses as overrides.
export const OverrideHeaderPrefixes = Object.freeze(["x-forwarded-"]);

// Authorize URL parameters the worker sets itself.
export const ReservedAuthParams = Object.freeze(["response_type","client_id","redirect_uri","state","code_challenge","code_challenge_method"]);

// Hosts on which an instance may use plain http.
export const LoopbackHosts = Object.freeze(["localhost","127.0.0.1","::1"]);

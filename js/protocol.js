// Code generated from bridge/protocol.go and bridge/errors.go by
// `go test ./bridge/ -run TestJSModule -update`. DO NOT EDIT.

// Operations the bridge asks of the worker.
export const Op = Object.freeze({
  init: "init",
  begin: "beginAuthorization",
  complete: "completeAuthorization",
  request: "executeApiRequest",
  cancel: "cancel",
  disconnect: "disconnect",
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
});

// The release the module and the worker belong to.
export const Release = Object.freeze({
  version: "0.1.0",
});

// The error classes, and rebuilding them from the worker's replies.

import { ErrorName } from './protocol.js';

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

export const closedMessage = 'the connection is closed; call connect() again';

// fromWire rebuilds an error reply's {name, message, status?, data?}.
export function fromWire(e) {
  const message = typeof e?.message === 'string' ? e.message : 'the worker sent an error without a message';
  if (e?.name === ErrorName.abort || e?.name === ErrorName.timeout) return new DOMException(message, e.name);
  if (e?.name === ErrorName.apiRequest) return new ApiRequestError(message, e.status, e.data);
  return new (errorClasses[e?.name] ?? ApiError)(message, e?.data);
}

// show renders a bad value for an error message.
export function show(v) {
  let s;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : v instanceof URL ? `"${v}"` : String(v);
  } catch {
    s = Object.prototype.toString.call(v);
  }
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

// API requests: checking the arguments, encoding the body, sending it
// through the worker and reading the reply.

import { ApiRequestError, InitializationError, ParameterError, show } from './errors.js';
import { log } from './log.js';
import { ErrorName, Kind, Methods, Op } from './protocol.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function ownBuffer(view) {
  const { buffer, byteOffset, byteLength } = view;
  return byteOffset === 0 && byteLength === buffer.byteLength ? buffer : buffer.slice(byteOffset, byteOffset + byteLength);
}

// encodeBody turns executeApiRequest's data into an ArrayBuffer to transfer.
// The worker checks its size.
export async function encodeBody(data) {
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string') return ownBuffer(encoder.encode(data));
  if (data instanceof ArrayBuffer) return data.slice(0); // a copy: transferring detaches it
  if (ArrayBuffer.isView(data)) return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.arrayBuffer();
  let json;
  try {
    json = JSON.stringify(data);
  } catch (e) {
    throw new ParameterError(`Invalid request data: it cannot be JSON-encoded (${e.message}); want an object, a string or bytes`);
  }
  if (json === undefined) throw new ParameterError(`Invalid request data ${show(data)}: want an object, a string or bytes`);
  return ownBuffer(encoder.encode(json));
}

// toPath turns an absolute URL on the instance, such as a Link header's,
// into a path; the worker checks every path.
function toPath(instanceUrl, endpoint) {
  if (typeof endpoint !== 'string') {
    throw new ParameterError(`Invalid API endpoint ${show(endpoint)}: want a path on the instance, such as "/api/now/table/incident"`);
  }
  if (/^https?:/i.test(endpoint) && URL.canParse(endpoint) && new URL(endpoint).origin === instanceUrl) {
    const u = new URL(endpoint);
    return u.pathname + u.search;
  }
  return endpoint;
}

// checkHeaders turns headers into an object of strings; the worker checks
// names and values.
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

export function requestParams(instanceUrl, apiEndpoint, httpMethod, suppressResponseBody, headers) {
  if (typeof httpMethod !== 'string') {
    throw new ParameterError(`Invalid HTTP method ${show(httpMethod)}: want one of ${Methods.join(', ')}`);
  }
  // The worker adds Accept, Content-Type and X-no-response-body as the anchor does.
  const params = { path: toPath(instanceUrl, apiEndpoint), method: httpMethod, headers: checkHeaders(headers) };
  if (suppressResponseBody) params.suppressResponseBody = true;
  return params;
}

// defaultTimeout bounds every request, so that no call can hang forever.
export const defaultTimeout = 60000;

export function checkRequestOptions(options) {
  if (options === undefined || options === null) return { timeout: defaultTimeout };
  if (typeof options !== 'object') throw new ParameterError(`Invalid request options ${show(options)}: want {signal?, timeout?}`);
  const { signal, timeout = defaultTimeout } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ParameterError(`Invalid options.signal ${show(signal)}: want an AbortSignal`);
  }
  if (timeout === 0 || timeout === Infinity) return { signal, timeout: 0 };
  return { signal, timeout: checkMs('options.timeout', timeout, '; or 0 or Infinity for none') };
}

const maxMs = 2 ** 31 - 1; // setTimeout fires at once for longer delays

// checkMs checks a timeout in milliseconds.
export function checkMs(name, v, alternatives = '') {
  if (!(Number.isFinite(v) && v > 0 && v <= maxMs)) {
    throw new ParameterError(`Invalid ${name} ${show(v)}: want a positive number of milliseconds, at most ${maxMs}${alternatives}`);
  }
  return v;
}

function unwrap(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, 'result') ? v.result : v;
}

// readResponse turns an executeApiRequest result and body into {status, data?, type?, headers}.
function readResponse(params, result, body) {
  const out = { status: result?.status, headers: result?.headers ?? {} };
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

// request runs an API request through the worker, honouring signal and
// timeout: the one timer for a request, which also catches a lost reply.
export function request(channel, params, body, { signal, timeout = defaultTimeout } = {}) {
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
      timer = setTimeout(() => stop(new DOMException(`${params.method} ${params.path} did not finish within ${timeout} ms (options.timeout; 0 turns it off)`, ErrorName.timeout)), timeout);
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

// API requests: checking the arguments, encoding the body, sending it
// through the worker and reading the reply.

import { ApiRequestError, InitializationError, ParameterError, show } from './errors.js';
import { log } from './log.js';
import { ErrorName, Kind, Limit, Op } from './protocol.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function ownBuffer(view) {
  const { buffer, byteOffset, byteLength } = view;
  return byteOffset === 0 && byteLength === buffer.byteLength ? buffer : buffer.slice(byteOffset, byteOffset + byteLength);
}

// encodeBody turns executeApiRequest's data into an ArrayBuffer to transfer.
export async function encodeBody(data) {
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
    const s = String(v);
    // fetch refuses other characters, and the worker would fail on them.
    if (!/^[\x00-\xff]*$/.test(s)) {
      throw new ParameterError(`Invalid header ${show(k)}: its value ${show(s)} has characters outside ISO-8859-1; want Latin-1 text (encode the rest, e.g. with encodeURIComponent)`);
    }
    out[k] = s;
  }
  return out;
}

export function requestParams(instanceUrl, apiEndpoint, httpMethod, suppressResponseBody, headers, timeout) {
  const path = toPath(instanceUrl, apiEndpoint);
  if (typeof httpMethod !== 'string' || !/^[A-Za-z]+$/.test(httpMethod)) {
    throw new ParameterError(`Invalid HTTP method ${show(httpMethod)}: want GET, POST, PUT, PATCH or DELETE`);
  }
  const method = httpMethod.toUpperCase();
  // The worker adds Accept, Content-Type and X-no-response-body as the anchor does.
  const params = { path, method, headers: checkHeaders(headers) };
  if (suppressResponseBody) params.suppressResponseBody = true;
  if (timeout) params.timeoutMs = Math.ceil(timeout);
  return params;
}

export function checkRequestOptions(options) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw new ParameterError(`Invalid request options ${show(options)}: want {signal?, timeout?}`);
  const { signal, timeout } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ParameterError(`Invalid options.signal ${show(signal)}: want an AbortSignal`);
  }
  if (timeout !== undefined) checkMs('options.timeout', timeout);
  return { signal, timeout };
}

const maxMs = 2 ** 31 - 1; // setTimeout fires at once for longer delays

// checkMs checks a timeout in milliseconds.
export function checkMs(name, v) {
  if (!(Number.isFinite(v) && v > 0 && v <= maxMs)) {
    throw new ParameterError(`Invalid ${name} ${show(v)}: want a positive number of milliseconds, at most ${maxMs}`);
  }
  return v;
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
export function request(channel, params, body, { signal, timeout } = {}) {
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

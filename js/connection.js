// ServiceNowConnection: a signed-in session over one worker.

import { AuthTokenExpiredError, closedMessage, InitializationError } from './errors.js';
import { log } from './log.js';
import { EventName, Op } from './protocol.js';
import { checkRequestOptions, encodeBody, request, requestParams } from './request.js';

// workerEvent is the connection's handler for worker events; a symbol keeps
// it off the public surface.
export const workerEvent = Symbol('workerEvent');

/**
 * A signed-in session. Listen for 'refreshing', 'refreshed', 'expired' and
 * 'disconnected' with addEventListener; events carry no token.
 */
export class ServiceNowConnection extends EventTarget {
  #channel;
  #origin; // of the instance: where the worker sends requests
  #state = 'open'; // open, expired, closed or dead
  #dead = null;
  #closing = null;
  #announced = false;
  #closeTimeout;

  // instanceUrl is the string connect() was given, as the anchor keeps it.
  // closeTimeout bounds disconnect(): an exchange under way, then the revocations.
  constructor(channel, instanceUrl, origin, clientId, closeTimeout = 65000) {
    super();
    this.#closeTimeout = closeTimeout;
    this.#channel = channel;
    this.#origin = origin;
    this.clientId = clientId;
    this.instanceUrl = instanceUrl;
    this.currentUser = undefined;
    this.executeApiRequest = this.executeApiRequest.bind(this);
    this.disconnect = this.disconnect.bind(this);
  }

  /** Sends a request to the instance through the worker. */
  async executeApiRequest(apiEndpoint, httpMethod = 'GET', data = undefined, suppressResponseBody = false, headers = undefined, options = undefined) {
    const opts = checkRequestOptions(options);
    const params = requestParams(this.#origin, apiEndpoint, httpMethod, suppressResponseBody, headers);
    this.#checkOpen();
    const body = await encodeBody(data);
    this.#checkOpen();
    return request(this.#channel, params, body, opts);
  }

  /**
   * Revokes the tokens, stops the worker and ends the session. Resolves to
   * {revoked}: false unless the instance confirmed every revocation (the
   * tokens may then be live until they expire); the 'disconnected' event's
   * detail says the same.
   */
  disconnect() {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close() {
    const live = this.#state !== 'dead';
    this.#state = 'closed';
    let revoked = false;
    if (live) {
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no reply within ${this.#closeTimeout / 1000} s`)), this.#closeTimeout);
      });
      try {
        const res = await Promise.race([this.#channel.call(Op.disconnect, {}), timeout]);
        revoked = res?.revoked === true;
        if (revoked) log('info', 'disconnected; the worker revoked the tokens');
        else log('warn', 'disconnected, but the instance did not confirm that every token is revoked');
      } catch (e) {
        log('warn', `disconnect: the worker could not revoke the tokens: ${e.message}`);
      } finally {
        clearTimeout(timer);
      }
    }
    this.#channel.end(new InitializationError(closedMessage));
    this.#announce({ reason: 'disconnect', revoked });
    return { revoked };
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
      case EventName.refreshing:
      case EventName.refreshed:
        this.dispatchEvent(new CustomEvent(name, { detail: data }));
        break;
      case EventName.expired:
        if (this.#state === 'open') this.#state = 'expired';
        this.dispatchEvent(new CustomEvent(name, { detail: data }));
        break;
      case EventName.disconnected:
        if (this.#state === 'open' || this.#state === 'expired') this.#state = 'closed';
        // Not asked by disconnect(): nothing will stop the worker otherwise.
        if (!this.#closing) this.#channel.end(new InitializationError(closedMessage));
        this.#announce({ reason: 'disconnect', revoked: data?.revoked === true });
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

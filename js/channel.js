// WorkerChannel: the postMessage RPC with the worker.

import { startWorker } from './assets.js';
import { fromWire, InitializationError } from './errors.js';
import { log } from './log.js';
import { adopt } from './prestart.js';
import { ErrorName, EventName, Op } from './protocol.js';

// A terminated worker sends no event, so while calls are pending the channel
// checks that the worker still answers, pinging it when it has been silent.
const checkEvery = 500; // ms
const silentChecks = 8; // checks in a row without a message: the worker is gone

// dedicatedWorker starts a worker of this page's own. An opener returns
// {port, errors, stop}: where messages go and come from, where load errors
// are reported, and how to let go of the worker.
export function dedicatedWorker(url) {
  const adopted = adopt(url);
  const worker = adopted?.worker ?? (url ? new Worker(url, { type: 'module' }) : startWorker());
  return { port: worker, errors: worker, stop: () => worker.terminate(), early: adopted?.logs ?? [] };
}

// WorkerChannel runs one worker and matches its replies to requests.
export class WorkerChannel {
  #worker;
  #stop;
  #pending = new Map(); // id → {resolve, reject}
  #nextId = 1;
  #onEvent;
  #ended = null; // the error pending and later calls get once the worker is gone
  #serving = false; // the worker has answered; before that it may still be loading
  #heard = false; // a message came since the last check
  #silent = 0;
  #timer = 0;

  // url is options.workerUrl, or undefined for the package's worker.js.
  constructor(url, onEvent, open = dedicatedWorker) {
    this.#onEvent = onEvent;
    let errors;
    let early = []; // messages a prestarted worker sent before it was adopted
    try {
      ({ port: this.#worker, errors, stop: this.#stop, early = [] } = open(url));
    } catch (e) {
      throw new InitializationError(
        `cannot start the worker from ${url ?? "the package's worker.js"}: ${e.message}; options.workerUrl must be a script on this page's origin`,
        undefined, { cause: e });
    }
    this.#worker.addEventListener('message', (e) => this.#receive(e.data));
    errors.addEventListener('error', (e) => {
      e.preventDefault();
      const why = e.message || 'the script could not be loaded or run';
      const hint = url ? 'check options.workerUrl and options.wasmUrl'
        : "serve the package's worker.js, snworker.wasm and snworker.wasm.gz where the bundle refers to them (beside it, for a bundler that leaves new URL('./worker.js', import.meta.url) as it is), or pass options.workerUrl (and options.wasmUrl) naming where you serve them";
      this.#fail(`the worker ${url ?? "(the package's worker.js)"} failed: ${why}; ${hint}`);
    });
    this.#worker.addEventListener('messageerror', () => {
      this.#fail('a message from the worker could not be deserialized');
    });
    this.#worker.start?.(); // a MessagePort delivers nothing until started
    for (const data of early) this.#receive(data);
  }

  get ended() {
    return this.#ended;
  }

  // send posts a request and returns its id and a promise of {result, body}.
  send(op, params, body) {
    if (this.#ended) return { id: 0, promise: Promise.reject(this.#ended) };
    const id = this.#nextId++;
    const promise = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    const message = { json: JSON.stringify({ id, op, params }) };
    if (body) message.body = body;
    try {
      this.#worker.postMessage(message, body ? [body] : []);
    } catch (e) {
      this.#pending.delete(id);
      return { id, promise: Promise.reject(new InitializationError(`cannot post ${op} to the worker: ${e.message}`, undefined, { cause: e })) };
    }
    this.#watch();
    return { id, promise };
  }

  async call(op, params) {
    return (await this.send(op, params).promise).result;
  }

  // cancel drops a pending request and tells the worker to stop it.
  cancel(id) {
    if (this.#pending.delete(id) && !this.#ended) this.send(Op.cancel, { id }).promise.catch(() => {});
  }

  // end terminates the worker; pending and later calls reject with err.
  end(err) {
    if (this.#ended) return;
    this.#ended = err;
    clearInterval(this.#timer);
    this.#stop();
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }

  #fail(message) {
    if (this.#ended) return;
    log('error', `worker stopped: ${message}`);
    this.end(new InitializationError(`${message}; call connect() again`));
    this.#onEvent(EventName.fatal, { name: ErrorName.initialization, message });
  }

  #watch() {
    if (this.#timer || !this.#serving || this.#ended || this.#pending.size === 0) return;
    this.#heard = false;
    this.#silent = 0;
    this.#timer = setInterval(() => this.#check(), checkEvery);
  }

  #check() {
    if (this.#ended || this.#pending.size === 0) {
      clearInterval(this.#timer);
      this.#timer = 0;
    } else if (this.#heard) {
      this.#heard = false;
      this.#silent = 0;
    } else if (++this.#silent >= silentChecks) {
      this.#fail(`the worker stopped answering for ${(checkEvery * silentChecks) / 1000} s: it was terminated or hangs`);
    } else {
      this.#ping();
    }
  }

  // ping asks for an empty reply; any message counts as a sign of life.
  #ping() {
    const id = this.#nextId++;
    try {
      this.#worker.postMessage({ json: JSON.stringify({ id, op: Op.ping }) });
    } catch {
      // the next check pings again
    }
  }

  #receive(data) {
    this.#heard = true;
    let msg;
    try {
      msg = JSON.parse(data.json);
    } catch {
      log('warn', 'ignored a worker message that is not {json: string, body?}');
      return;
    }
    if (!this.#serving && (msg?.event === EventName.ready || msg?.id !== undefined)) {
      this.#serving = true;
      this.#watch();
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

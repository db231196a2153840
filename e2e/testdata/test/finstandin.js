// A stand-in for OpenFin's fin object, as far as the sign-in window uses it,
// type-checked against @openfin/core's types (make typecheck). Window.create
// opens a real popup. OpenFin reads a window's URL on any origin through its
// privileged API; here the test driver, which sees every target's real URL,
// feeds it through finStandIn.__report(url) as the window navigates:
// getInfo() answers with it, and url-changed carries it (runtime 30 on).

/** @import { Fin, FinWindow, UrlChangedEvent, ClosingEvent } from '../../../js/openfin.js' */
/** @import { OpenFin } from '@openfin/core' */
/** @typedef {Extract<OpenFin.WindowEvent, {type: 'closed'}>} ClosedEvent */

/**
 * @typedef {object} Created what the stand-in saw of one window
 * @property {OpenFin.WindowCreationOptions} options
 * @property {string} url the window's URL as the driver last reported it
 * @property {string[]} urls every URL reported, in order
 * @property {string} text the page's text, as the driver read it for an error page
 * @property {string[]} calls the window methods called, in order
 * @property {string[]} events the events emitted, in order
 * @property {(e: UrlChangedEvent | ClosingEvent | ClosedEvent) => void} emit
 */

const uuid = 'snworker-test-app';

/**
 * finStandIn returns a fin stand-in. runtime is the version
 * fin.System.getRuntimeInfo() reports: before 30, no url-changed.
 * @param {{runtime?: string}} [config]
 */
export function finStandIn({ runtime = '43.101.2.0' } = {}) {
  /** @type {Created[]} */
  const created = [];
  const urlEvents = parseInt(runtime, 10) >= 30;

  /** @type {Fin & {__report(url: string, status?: number, text?: string): void, __created(): object[]}} */
  const fin = {
    me: {
      isOpenFin: true,
      async getBounds() {
        return { left: window.screenX, top: window.screenY, width: window.outerWidth, height: window.outerHeight, right: window.screenX + window.outerWidth, bottom: window.screenY + window.outerHeight };
      },
    },
    System: {
      async getMonitorInfo() {
        const rect = { left: 0, top: 0, right: screen.width, bottom: screen.height };
        const available = { left: 0, top: 0, right: screen.availWidth, bottom: screen.availHeight };
        return { primaryMonitor: { monitorRect: rect, availableRect: available }, nonPrimaryMonitors: [] };
      },
      async getRuntimeInfo() {
        return { version: runtime };
      },
    },
    Window: {
      async create(options) {
        const name = options.name ?? '';
        const w = window.open(options.url, name, `popup,width=${options.defaultWidth ?? 800},height=${options.defaultHeight ?? 500}`);
        // The runtime rejects with a plain object, not an Error.
        if (!w) throw { message: 'fin stand-in: the window could not be created', success: false };
        return standIn(options, w, created);
      },
    },
    __report(url, status = 200, text = '') {
      const c = created.at(-1);
      if (!c || url === c.url || c.events.includes('closed')) return;
      c.url = url;
      c.text = text;
      c.urls.push(url);
      if (urlEvents) c.emit({ type: 'url-changed', topic: 'window', uuid, name: c.options.name ?? '', url, isInPage: false, httpResponseCode: status, httpStatusText: '' });
    },
    __created: () => created.map(({ options, calls, events, urls }) => ({ ...options, calls, events, urls })),
  };
  Object.assign(globalThis, { finStandIn: fin });
  return fin;
}

/**
 * @param {OpenFin.WindowCreationOptions} options
 * @param {Window} w
 * @param {Created[]} created
 * @returns {FinWindow}
 */
function standIn(options, w, created) {
  const name = options.name ?? '';
  /** @type {Map<string, Function[]>} */
  let handlers = new Map();
  /** @type {Created} */
  const c = {
    options, url: '', urls: [], text: '', calls: [], events: [],
    emit(e) {
      c.events.push(e.type);
      for (const fn of handlers.get(e.type) ?? []) fn(e);
    },
  };
  created.push(c);
  // closing, then closed: when the user closes the window, or close() does.
  const closing = () => {
    if (c.events.includes('closing')) return;
    clearInterval(closedPoll);
    c.emit({ type: 'closing', topic: 'window', uuid, name });
    c.emit({ type: 'closed', topic: 'window', uuid, name });
  };
  const closedPoll = setInterval(() => w.closed && closing(), 50);
  /** @param {string} method */
  const live = (method) => {
    c.calls.push(method);
    if (w.closed) return Promise.reject(new Error(`fin stand-in: ${method}: the window is closed`));
    return Promise.resolve();
  };
  return {
    /** @param {string} type @param {Function} fn */
    on(type, fn) {
      handlers.set(type, [...(handlers.get(type) ?? []), fn]);
      return live(`on ${type}`);
    },
    async removeAllListeners() {
      c.calls.push('removeAllListeners');
      handlers = new Map();
    },
    async getInfo() {
      await live('getInfo');
      return { url: c.url };
    },
    async navigate(url) {
      await live('navigate');
      w.location.href = url;
    },
    async close(force) {
      await live(`close ${!!force}`);
      closing();
      w.close();
    },
    async isShowing() {
      await live('isShowing');
      return options.autoShow !== false || c.calls.includes('show');
    },
    async show() {
      await live('show');
    },
    async focus() {
      await live('focus');
      w.focus();
    },
    // OpenFin runs the script in the window, on any origin; the stand-in
    // answers the opener's one script, reading an error page's text, with
    // the text the driver read from the window.
    async executeJavaScript(code) {
      await live('executeJavaScript');
      if (!code.includes('innerText')) throw new Error(`fin stand-in: executeJavaScript runs only the opener's page-text script, not ${code}`);
      return c.text;
    },
    async setBounds(bounds) {
      await live(`setBounds ${bounds.left},${bounds.top}`);
      w.moveTo(bounds.left ?? w.screenX, bounds.top ?? w.screenY);
    },
  };
}

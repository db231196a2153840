// An authorization window opener for OpenFin. It shows the sign-in page with
// fin.Window.create and watches the window's URL for the redirect URI, as
// OpenFin's own @openfin/servicenow does, so the redirect URI can be any URL
// registered on the instance (such as <instance>/oauth_redirect.do) and needs
// no redirect page. Its types are checked against @openfin/core's (make
// typecheck); docs/dropin.md lists where it differs from @openfin/servicenow.

/** @import { OpenFin } from '@openfin/core' */

/**
 * The events of a window this opener listens for, as OpenFin sends them.
 * @typedef {Extract<OpenFin.WindowEvent, {type: 'url-changed'}>} UrlChangedEvent
 * @typedef {Extract<OpenFin.WindowEvent, {type: 'closing'}>} ClosingEvent
 */

/**
 * The part of an OpenFin window the opener uses.
 * @typedef {object} FinWindow
 * @property {<T extends 'url-changed' | 'closing'>(type: T, listener: (e: Extract<OpenFin.WindowEvent, {type: T}>) => void) => Promise<unknown>} on
 * @property {() => Promise<unknown>} removeAllListeners
 * @property {() => Promise<Pick<OpenFin.WindowInfo, 'url'>>} getInfo
 * @property {(url: string) => Promise<unknown>} navigate
 * @property {(force?: boolean) => Promise<unknown>} close
 * @property {() => Promise<boolean>} isShowing
 * @property {(force?: boolean) => Promise<unknown>} show
 * @property {() => Promise<unknown>} focus
 * @property {(bounds: Partial<OpenFin.Bounds>) => Promise<unknown>} setBounds
 * @property {(code: string) => Promise<unknown>} executeJavaScript
 */

/**
 * A page the window showed with an HTTP error status, and its text.
 * @typedef {{url: string, status: number, text: string}} ErrorPage
 */

/** @typedef {Pick<OpenFin.MonitorDetails, 'availableRect' | 'monitorRect'>} Monitor */

/**
 * The part of OpenFin's fin the opener uses (fin itself in a window or view).
 * @typedef {object} Fin
 * @property {{create(options: OpenFin.WindowCreationOptions): Promise<FinWindow>}} Window
 * @property {{getMonitorInfo(): Promise<{primaryMonitor: Monitor, nonPrimaryMonitors: Monitor[]}>,
 *   getRuntimeInfo(): Promise<Pick<OpenFin.RuntimeInfo, 'version'>>}} System
 * @property {{isOpenFin: boolean, getBounds?: () => Promise<OpenFin.Bounds>,
 *   getCurrentWindow?: () => Promise<{getBounds(): Promise<OpenFin.Bounds>}>}} me
 */

/** As @openfin/servicenow creates its window; authWindowOptions go over these. */
const defaults = /** @satisfies {Partial<OpenFin.WindowCreationOptions>} */ ({
  defaultWidth: 550,
  defaultHeight: 600,
  alwaysOnTop: true,
  autoShow: false,
  defaultCentered: true,
  includeInSnapshots: false,
  maximizable: false,
  minimizable: false,
  resizable: false,
  saveWindowState: false,
  showTaskbarIcon: false,
});

const showAfterMs = 2000; // a sign-in the instance completes at once (SSO) never shows
const pollMs = 500; // runtimes before 30 send no url-changed
const pageTextMs = 1000; // the wait for an error page's text
const maxTextLength = 300;

/**
 * Returns a windowOpener for connect()'s options that opens the sign-in page
 * with fin.Window.create. windowOptions are fin.Window.create options.
 * @param {Fin} fin
 * @param {OpenFin.WindowCreationOptions | {}} [windowOptions]
 */
export function openFinWindowOpener(fin, windowOptions = {}) {
  if (typeof fin?.Window?.create !== 'function') {
    throw new TypeError(`openFinWindowOpener: fin.Window.create is ${typeof fin?.Window?.create}; pass OpenFin's fin object`);
  }
  return {
    /** @param {{name: string}} o */
    open({ name }) {
      return new FinAuthWindow(fin, { ...defaults, name, ...windowOptions });
    },
  };
}

// FinAuthWindow is created at once; the OpenFin window only when navigate()
// gives it a URL, since fin.Window.create is asynchronous anyway.
class FinAuthWindow {
  #fin;
  #createOptions;
  /** @type {FinWindow | null} */
  #win = null;
  #closed = false;
  /** @type {((url: string) => void)[]} */
  #listeners = [];
  /** @type {((page: ErrorPage) => void)[]} */
  #errorListeners = [];
  #lastUrl = '';
  /** @type {ReturnType<typeof setInterval> | undefined} */
  #poll;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #show;

  /**
   * @param {Fin} fin
   * @param {OpenFin.WindowCreationOptions & {name: string}} createOptions
   */
  constructor(fin, createOptions) {
    this.#fin = fin;
    this.#createOptions = createOptions;
  }

  get closed() {
    return this.#closed;
  }

  /**
   * onUrl registers a listener for every URL the window shows.
   * @param {(url: string) => void} listener
   */
  onUrl(listener) {
    this.#listeners.push(listener);
  }

  /**
   * onErrorPage registers a listener for a page the window shows with an
   * HTTP error status (url-changed tells it, from runtime 30), with the
   * page's text as OpenFin reads it.
   * @param {(page: ErrorPage) => void} listener
   */
  onErrorPage(listener) {
    this.#errorListeners.push(listener);
  }

  /** @param {string} url */
  async navigate(url) {
    if (this.#closed) return;
    if (this.#win) {
      await this.#win.navigate(url);
      return;
    }
    let win;
    try {
      win = await this.#fin.Window.create({ ...this.#createOptions, url });
    } catch (e) {
      // The runtime rejects with a plain object ({message, …}), not an Error.
      const message = /** @type {{message?: unknown}} */ (e)?.message;
      throw e instanceof Error ? e : new Error(typeof message === 'string' ? message : String(e));
    }
    this.#win = win;
    if (this.#closed) {
      this.#closeWindow();
      return;
    }
    win.on('closing', () => this.#markClosed()).catch(() => this.#pollInfo(win));
    this.#show = setTimeout(() => this.#showWindow(win), showAfterMs);
    const { defaultLeft, defaultTop } = this.#createOptions;
    if (defaultLeft === undefined && defaultTop === undefined) this.#place(win); // else the app placed it
    this.#watchUrl(win);
  }

  close() {
    if (this.#closed) return;
    this.#markClosed();
    this.#closeWindow();
  }

  // #watchUrl: url-changed from runtime 30 on, with the URL the window already
  // shows read once after subscribing; before 30, getInfo() every 500 ms.
  /** @param {FinWindow} win */
  async #watchUrl(win) {
    let major = 0;
    try {
      major = parseInt((await this.#fin.System.getRuntimeInfo()).version, 10);
    } catch {
      // unknown: poll
    }
    if (!(major >= 30)) {
      this.#pollInfo(win);
      return;
    }
    try {
      await win.on('url-changed', (e) => {
        this.#report(e.url);
        if (!e.isInPage && e.httpResponseCode >= 400) this.#errorPage(win, e.url, e.httpResponseCode);
      });
    } catch {
      this.#pollInfo(win);
      return;
    }
    win.getInfo().then((info) => this.#report(info.url), () => this.#markClosed());
  }

  /** @param {FinWindow} win */
  #pollInfo(win) {
    if (this.#closed || this.#poll !== undefined) return;
    this.#poll = setInterval(() => {
      win.getInfo().then((info) => this.#report(info.url), () => this.#markClosed());
    }, pollMs);
  }

  // #place centres the window on the monitor of the calling window, as
  // @openfin/servicenow does; where that can't be found, defaultCentered
  // keeps it on the primary monitor.
  /** @param {FinWindow} win */
  async #place(win) {
    try {
      const { defaultWidth: width = defaults.defaultWidth, defaultHeight: height = defaults.defaultHeight } = this.#createOptions;
      const me = this.#fin.me;
      const caller = me.getCurrentWindow ? await (await me.getCurrentWindow()).getBounds() : await me.getBounds?.();
      const monitors = await this.#fin.System.getMonitorInfo();
      const x = caller && caller.left + caller.width / 2;
      const y = caller && caller.top + caller.height / 2;
      const on = x === undefined || y === undefined ? undefined : monitors.nonPrimaryMonitors.find(({ monitorRect: r }) =>
        x >= r.left && x <= r.right && y >= r.top && y <= r.bottom);
      const r = (on ?? monitors.primaryMonitor).availableRect;
      if (this.#closed) return;
      await win.setBounds({ left: Math.round((r.left + r.right - width) / 2), top: Math.round((r.top + r.bottom - height) / 2) });
    } catch {
      // defaultCentered placed it
    }
  }

  /**
   * #errorPage reads the text of a page shown with an error status.
   * @param {FinWindow} win
   * @param {string} url
   * @param {number} status
   */
  async #errorPage(win, url, status) {
    /** @type {unknown} */
    let text = '';
    try {
      text = await Promise.race([
        win.executeJavaScript('document.body ? document.body.innerText : ""'),
        new Promise((resolve) => setTimeout(resolve, pageTextMs, '')),
      ]);
    } catch {
      // no text: the status still says it
    }
    if (this.#closed) return;
    const words = typeof text === 'string' ? text.replace(/\s+/g, ' ').trim().slice(0, maxTextLength) : '';
    for (const listener of this.#errorListeners) listener({ url, status, text: words });
  }

  /** @param {FinWindow} win */
  async #showWindow(win) {
    try {
      if (this.#closed || (await win.isShowing())) return;
      await win.show(true);
      await win.focus();
    } catch {
      // closed meanwhile
    }
  }

  #closeWindow() {
    const win = this.#win;
    if (!win) return;
    Promise.resolve()
      .then(() => win.close(true))
      .catch(() => {});
  }

  #markClosed() {
    this.#closed = true;
    clearInterval(this.#poll);
    clearTimeout(this.#show);
    this.#win?.removeAllListeners().catch(() => {});
  }

  /** @param {string} url */
  #report(url) {
    if (this.#closed || typeof url !== 'string' || url === this.#lastUrl) return;
    this.#lastUrl = url;
    for (const listener of this.#listeners) listener(url);
  }
}

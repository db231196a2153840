// An authorization window opener for OpenFin. It shows the sign-in page with
// fin.Window.create and watches the window's URL for the redirect URI, as
// OpenFin's own @openfin/servicenow does, so the redirect URI can be any URL
// registered on the instance (such as <instance>/oauth_redirect.do) and needs
// no redirect page.

const pollMs = 250;

/**
 * Returns a windowOpener for connect()'s options that opens the sign-in page
 * with fin.Window.create. windowOptions are extra fin.Window.create options.
 */
export function openFinWindowOpener(fin, windowOptions = {}) {
  if (typeof fin?.Window?.create !== 'function') {
    throw new TypeError(`openFinWindowOpener: fin.Window.create is ${typeof fin?.Window?.create}; pass OpenFin's fin object`);
  }
  return {
    open({ name, options }) {
      return new FinAuthWindow(fin, {
        name,
        defaultWidth: options?.width,
        defaultHeight: options?.height,
        defaultLeft: options?.left,
        defaultTop: options?.top,
        defaultCentered: options?.left === undefined && options?.top === undefined,
        autoShow: true,
        saveWindowState: false,
        ...windowOptions,
      });
    },
  };
}

// FinAuthWindow is created at once; the OpenFin window only when navigate()
// gives it a URL, since fin.Window.create is asynchronous anyway.
class FinAuthWindow {
  #fin;
  #createOptions;
  #win = null;
  #closed = false;
  #listeners = [];
  #lastUrl = '';
  #poll = 0;

  constructor(fin, createOptions) {
    this.#fin = fin;
    this.#createOptions = createOptions;
  }

  get closed() {
    return this.#closed;
  }

  // onUrl registers a listener for every URL the window shows.
  onUrl(listener) {
    this.#listeners.push(listener);
  }

  async navigate(url) {
    if (this.#closed) return;
    if (this.#win) {
      await this.#win.navigate(url);
      return;
    }
    const win = await this.#fin.Window.create({ ...this.#createOptions, url });
    this.#win = win;
    if (this.#closed) {
      this.#closeWindow();
      return;
    }
    win.on?.('closed', () => this.#markClosed());
    win.on?.('url-changed', (e) => this.#report(e?.url));
    // Not every runtime sends url-changed for windows; getInfo() has the URL.
    this.#poll = setInterval(() => {
      win.getInfo?.().then((info) => this.#report(info?.url), () => this.#markClosed());
    }, pollMs);
  }

  close() {
    if (this.#closed) return;
    this.#markClosed();
    this.#closeWindow();
  }

  #closeWindow() {
    Promise.resolve()
      .then(() => this.#win?.close(true))
      .catch(() => {});
  }

  #markClosed() {
    this.#closed = true;
    clearInterval(this.#poll);
  }

  #report(url) {
    if (this.#closed || typeof url !== 'string' || url === this.#lastUrl) return;
    this.#lastUrl = url;
    for (const listener of this.#listeners) listener(url);
  }
}

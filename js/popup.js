// The authorization window: the default popup opener, watching the window,
// and waiting for the redirect.

import { AuthorizationError } from './errors.js';
import { isRedirect, taken } from './redirect.js';

// A property this opener sets on the blank window it opens. A handle that
// reads closed and still sees it holds the blank page: the window was closed
// before the instance's page appeared, or (in WebKit) Cross-Origin-Opener-Policy
// moved the window to another browsing context group as that page appeared.
// Nothing on the handle tells the two apart (docs/engines.md), so the page's
// own COOP header decides.
const blankMark = 'snworkerBlank';

/**
 * The default window opener: a browser popup. open() must run synchronously
 * inside a user gesture, so it opens a blank window that is navigated later.
 */
export function popupWindowOpener() {
  return {
    open({ name, features }) {
      const w = window.open('', name, features);
      if (!w) return null;
      try {
        w.document.title = 'Connecting to ServiceNow';
        w.document.body.textContent = 'Connecting to ServiceNow…';
        w[blankMark] = true;
      } catch {
        // not ours to write to; harmless
      }
      let poll = 0;
      let sent = false;
      let away = false; // seen on another origin since it was sent
      return {
        window: w,
        get closed() {
          if (sent && !away && !w.closed) {
            try {
              void w[blankMark];
            } catch {
              away = true; // on the instance's origin, seen through this handle
            }
          }
          return w.closed;
        },
        // cutOff tells a handle the browser cut off from a window still open
        // from one the user closed: true, false, or null while the page's own
        // headers are fetched to decide. Only a window sent to the instance,
        // never seen there, that reads closed and still shows the blank page
        // is in doubt; without COOP on this page it was closed.
        get cutOff() {
          if (!sent || away || !w.closed || !showsBlank(w)) return false;
          return pageSendsCoop();
        },
        navigate(url) {
          sent = true;
          w.location.replace(url);
        },
        // Back on this origin, the window's URL can be read: so the code
        // arrives even from a redirect page that runs no script of ours.
        onUrl(listener) {
          poll = setInterval(() => {
            let href = '';
            try {
              if (w.document.readyState === 'complete' && w.location.search) href = w.location.href;
            } catch {
              // still on the instance's origin
            }
            if (href) listener(href);
          }, 100);
        },
        close() {
          clearInterval(poll);
          if (!w.closed) w.close();
        },
      };
    },
  };
}

function showsBlank(w) {
  try {
    return w[blankMark] === true;
  } catch {
    return false;
  }
}

let coop; // undefined until asked, then the pending answer, then true or false

// pageSendsCoop tells whether this page is served with a
// Cross-Origin-Opener-Policy other than unsafe-none, from a HEAD request for
// it, made once and only when a closed window is in doubt: true, false, or
// null until the answer is in. A page whose headers can't be read counts as
// sending it, so that an open window is never taken for closed.
function pageSendsCoop() {
  if (coop === undefined) {
    coop = fetch(location.href, { method: 'HEAD', cache: 'no-store' })
      .then((r) => sendsCoop(r.ok ? r.headers.get('cross-origin-opener-policy') : 'unknown'), () => true)
      .then((v) => {
        coop = v;
      });
  }
  return typeof coop === 'boolean' ? coop : null;
}

// sendsCoop reads a Cross-Origin-Opener-Policy header value.
export function sendsCoop(value) {
  const policy = (value ?? '').split(';')[0].trim();
  return policy !== '' && policy !== 'unsafe-none';
}

export function randomHex() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (x) => x.toString(16).padStart(2, '0')).join('');
}

export function randomName() {
  return `snworker-auth-${randomHex().slice(0, 24)}`;
}

// newFlowId names one sign-in: the redirect page proves with it that the
// window it runs in is the one this flow opened.
export const newFlowId = randomHex;

// refusals names what the instance checks before it shows its sign-in page,
// since an instance that refuses either shows its error in the window, where
// this page can't read it.
function refusals(clientId, redirectUri) {
  return `If the window showed an error, the instance refused the client ID or the redirect URL: for "Invalid client_id", check that ${clientId} is the Client ID of an OAuth application under System OAuth > Application Registry on the instance; for "Invalid redirect_uri", add ${redirectUri} to that entry's Redirect URL, or pass a registered one as options.redirectUri`;
}

// watchWindow fails when the window closes or the sign-in takes longer than
// timeout; its errors name clientId and redirectUri. A handle the browser cut off
// reads closed while the window is still open (WebKit, under
// Cross-Origin-Opener-Policy): the flow then waits for the redirect until
// the timeout, or until connect() is called again (lost()).
export function watchWindow(popup, { timeout, clientId, redirectUri }, onCutOff) {
  let fail;
  const failed = new Promise((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {});
  let closedPolls = 0;
  let cut = false;
  let watchClose = true;
  // Three polls in a row (half a second), so that a redirect page that
  // posts and then closes itself is not mistaken for a user closing the
  // window before its message is in.
  const poll = setInterval(() => {
    if (!watchClose || !popup.closed) {
      closedPolls = 0;
      return;
    }
    const cutOff = popup.cutOff; // null: not known yet
    if (cutOff) {
      if (!cut) onCutOff?.();
      cut = true;
    } else if (++closedPolls >= 3 && cutOff !== null) {
      fail(new AuthorizationError(`the authorization window was closed before sign-in finished; call connect() again and complete the sign-in. ${refusals(clientId, redirectUri)}`, redirectUri));
    }
  }, 250);
  const timer = setTimeout(() => {
    popup.close();
    fail(new AuthorizationError(`sign-in did not finish within ${timeout} ms (options.authTimeout); call connect() again. ${refusals(clientId, redirectUri)}`, redirectUri));
  }, timeout);
  return {
    failed,
    // lost tells a flow whose window is closed, or can't be watched.
    lost: () => cut || closedPolls > 0,
    end: (err) => fail(err),
    redirected() {
      watchClose = false;
    },
    stop() {
      clearInterval(poll);
      clearTimeout(timer);
    },
  };
}

export function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

// redirectQuery returns url's query if url is the redirect URI, else null.
function redirectQuery(url, redirectUri) {
  try {
    const u = new URL(url);
    const r = new URL(redirectUri);
    return u.origin === r.origin && u.pathname === r.pathname ? u.search.slice(1) : null;
  } catch {
    return null;
  }
}

// waitRedirect resolves with the redirect's query string: from the flow's
// own window (postMessage), from a page that proves it runs in that window
// (the flow ID, which only that window holds, over postMessage or the
// BroadcastChannel named after it), or from a window opener that reports
// URLs. Messages from any other window, even of this origin, are ignored.
export function waitRedirect(popup, redirectUri, flow) {
  const origin = new URL(redirectUri).origin;
  let stop;
  const promise = new Promise((resolve) => {
    const channel = new BroadcastChannel(`snworker:${flow}`);
    const onMessage = (e) => {
      if (e.origin !== origin || !isRedirect(e.data)) return;
      if (e.source !== popup.window && e.data.flow !== flow) return;
      accept(e.data.query);
    };
    const accept = (query) => {
      channel.postMessage(taken);
      stop();
      resolve(query);
    };
    stop = () => {
      window.removeEventListener('message', onMessage);
      channel.close();
    };
    window.addEventListener('message', onMessage);
    channel.onmessage = (e) => {
      if (isRedirect(e.data) && e.data.flow === flow) accept(e.data.query);
    };
    popup.onUrl?.((url) => {
      const query = redirectQuery(url, redirectUri);
      if (query !== null) accept(query);
    });
  });
  return { promise, stop: () => stop() };
}

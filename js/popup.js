// The authorization window: the default popup opener, watching the window,
// and waiting for the redirect.

import { AuthorizationError } from './errors.js';
import { isRedirect } from './redirect.js';

// A property this opener sets on the blank window it opens: once the window
// has gone to the instance, only a handle left on that blank page still
// sees it (WebKit leaves it so when COOP moves the window away).
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
        // cutOff tells a handle the browser cut off from a window still
        // open from one the user closed: it reads closed, yet still shows
        // the blank page after the window was sent to the instance, without
        // ever having shown another origin's page. (So does a window closed
        // before the instance's page appeared: that one is noticed only at
        // the timeout or the next connect().)
        get cutOff() {
          if (!sent || away || !w.closed) return false;
          try {
            return w[blankMark] === true;
          } catch {
            return false;
          }
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

export function randomHex() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (x) => x.toString(16).padStart(2, '0')).join('');
}

export function randomName() {
  return `snworker-auth-${randomHex().slice(0, 24)}`;
}

// newFlowId names one sign-in: the redirect page proves with it that the
// window it runs in is the one this flow opened.
export const newFlowId = randomHex;

// closedWindowMessage explains a window closed before the redirect, naming the
// redirect URL, since an instance that refuses it shows its error there.
function closedWindowMessage(redirectUri) {
  return 'the authorization window was closed before sign-in finished; call connect() again and complete the sign-in. ' +
    `If the window showed an error such as "Invalid redirect_uri", add ${redirectUri} to the redirect URLs of the instance's OAuth application registry entry for this client ID, or pass a registered one as options.redirectUri`;
}

// watchWindow fails when the window closes or the flow takes too long. A
// handle the browser cut off reads closed while the window is still open
// (WebKit, when the page sends Cross-Origin-Opener-Policy): the flow then
// waits for the redirect until the timeout, or until connect() is called
// again (lost()).
export function watchWindow(popup, timeout, redirectUri, onCutOff) {
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
    } else if (popup.cutOff) {
      if (!cut) onCutOff?.();
      cut = true;
    } else if (++closedPolls >= 3) {
      fail(new AuthorizationError(closedWindowMessage(redirectUri), redirectUri));
    }
  }, 250);
  const timer = setTimeout(() => {
    popup.close();
    fail(new AuthorizationError(`sign-in did not finish within ${timeout} ms (options.authTimeout); call connect() again. If the window showed an error such as "Invalid redirect_uri", add ${redirectUri} to the redirect URLs of the instance's OAuth application registry entry, or pass a registered one as options.redirectUri`, redirectUri));
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

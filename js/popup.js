// The authorization window: the default popup opener, watching the window,
// and waiting for the redirect.

import { AuthorizationError } from './errors.js';

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
      } catch {
        // not ours to write to; harmless
      }
      let poll = 0;
      return {
        window: w,
        get closed() {
          return w.closed;
        },
        navigate(url) {
          w.location.replace(url);
        },
        // Back on this origin, the window's URL can be read: so the code
        // arrives even where a bundler emitted redirect.html without its
        // script. A page whose script handled it has cleared the query by the
        // time it has loaded.
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

export function randomName() {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return `snworker-auth-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

// watchWindow fails when the window closes or the flow takes too long.
export function watchWindow(popup, timeout) {
  let fail;
  const failed = new Promise((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {});
  let closedPolls = 0;
  let watchClose = true;
  // Two polls in a row, so that a redirect page that posts and then closes
  // itself is not mistaken for a user closing the window.
  const poll = setInterval(() => {
    closedPolls = watchClose && popup.closed ? closedPolls + 1 : 0;
    if (closedPolls >= 2) {
      fail(new AuthorizationError('the authorization window was closed before sign-in finished; call connect() again and complete the sign-in'));
    }
  }, 250);
  const timer = setTimeout(() => {
    popup.close();
    fail(new AuthorizationError(`sign-in did not finish within ${timeout} ms (options.authTimeout); call connect() again`));
  }, timeout);
  return {
    failed,
    redirected() {
      watchClose = false;
    },
    stop() {
      clearInterval(poll);
      clearTimeout(timer);
    },
  };
}

const redirectType = 'snworker:redirect';

function isRedirect(data) {
  return data?.type === redirectType && typeof data.query === 'string';
}

function stateOf(query) {
  return new URLSearchParams(query).get('state');
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

// waitRedirect resolves with the redirect's query string, from the redirect
// page (postMessage, or BroadcastChannel when the opener is lost) or from a
// window opener that reports URLs.
export function waitRedirect(popup, redirectUri, state) {
  const origin = new URL(redirectUri).origin;
  let stop;
  const promise = new Promise((resolve) => {
    const channel = new BroadcastChannel(`snworker:${state}`);
    const onMessage = (e) => {
      if (e.origin !== origin || !isRedirect(e.data)) return;
      if (e.source !== popup.window && stateOf(e.data.query) !== state) return; // another flow's
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
      if (isRedirect(e.data)) accept(e.data.query);
    };
    popup.onUrl?.((url) => {
      const query = redirectQuery(url, redirectUri);
      if (query !== null) accept(query);
    });
  });
  return { promise, stop: () => stop() };
}

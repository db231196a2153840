// handleRedirect, for the page the instance redirects to after sign-in:
// redirect.html calls it, and so can a page or route of the app's own.

/**
 * Hands this page's query (the code and state, or an error) to the app
 * window that opened it, removes it from the address bar, and closes the
 * window. Returns {handled: false} on a page that has no sign-in to finish.
 */
export function handleRedirect({ close = true } = {}) {
  const query = location.search.slice(1);
  const params = new URLSearchParams(query);
  const state = params.get('state');
  const message = { type: 'snworker:redirect', query };
  let sent = false;

  if (query) {
    // The app and this page share an origin, so the target is our own origin.
    try {
      if (window.opener && !window.opener.closed) {
        window.opener.postMessage(message, location.origin);
        sent = true;
      }
    } catch {
      // the opener is gone or unreachable; the BroadcastChannel still works
    }
    // A channel named after the state works when the opener was lost (COOP).
    if (state && typeof BroadcastChannel === 'function') {
      const channel = new BroadcastChannel(`snworker:${state}`);
      channel.postMessage(message);
      channel.close();
      sent = true;
    }
  }
  history.replaceState(null, '', location.pathname);
  if (sent && close) window.close();
  return { handled: sent, error: sent ? params.get('error') : null };
}

// The page the instance redirects to after sign-in. It hands the query (code
// and state, or error) to the page that opened it, then forgets it.

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

const status = document.getElementById('status');
if (!sent) status.textContent = 'Nothing to do here: this page finishes a sign-in started by the app.';
else if (params.has('error')) status.textContent = 'Sign-in was not completed. You can close this window.';
else status.textContent = 'Signed in. You can close this window.';
if (sent) window.close();

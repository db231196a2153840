// Finishing a sign-in in the sign-in window. The module calls
// finishSignIn() as it loads, so any page of the app that imports it can be
// the redirect URL; a page of the app's own can call handleRedirect().
//
// Only the window a flow opened delivers: connect() writes the flow's ID in
// that window's sessionStorage while it is still blank, and the app takes a
// redirect only from that window or with that ID. A page that another site
// opens at the redirect URL, with a stolen code and state, has neither.

// signInKey is the sessionStorage entry that marks a sign-in window.
export const signInKey = 'snworker:signin';

const redirectType = 'snworker:redirect';
// takenType is the app window's answer on the flow's channel: it has the
// query, so the sign-in window may close.
export const taken = { type: 'snworker:redirect-taken' };
// closeAfter is how long a sign-in window that delivered its query waits for
// that answer before it closes anyway.
const closeAfter = 3000;

export function isRedirect(data) {
  return data?.type === redirectType && typeof data.query === 'string';
}

function isRedirectQuery(params) {
  return params.has('state') && (params.has('code') || params.has('error'));
}

// flowId reads the mark, and with take removes it, so a reload does nothing.
function flowId(take) {
  try {
    const id = sessionStorage.getItem(signInKey);
    if (id && take) sessionStorage.removeItem(signInKey);
    return id;
  } catch {
    return null; // storage refused (sandboxed, or turned off)
  }
}

// sameOriginOpener is the window that opened this one, if it is of this
// origin: a message to it can reach only this origin's window.
function sameOriginOpener() {
  try {
    const o = window.opener;
    return o && !o.closed && o.location.origin === location.origin ? o : null;
  } catch {
    return null; // of another origin
  }
}

/**
 * Hands this page's query (the code and state, or an error) to the app
 * window whose sign-in opened this window, removes it from the address bar,
 * and closes the window. Returns {handled: false} on a page that is no
 * sign-in window, or that was not opened by the app's own connect().
 */
export function handleRedirect({ close = true } = {}) {
  const query = location.search.slice(1);
  const params = new URLSearchParams(query);
  if (!isRedirectQuery(params)) return { handled: false, error: null };
  const flow = flowId(true);
  const opener = sameOriginOpener();
  const message = { type: redirectType, query };
  if (flow) message.flow = flow;
  let sent = false;
  if (opener) {
    try {
      opener.postMessage(message, location.origin);
      sent = true;
    } catch {
      // the opener went meanwhile; the channel may still work
    }
  }
  // A channel named after the flow works when the opener was cut off (COOP).
  let channel = null;
  if (flow && typeof BroadcastChannel === 'function') {
    channel = new BroadcastChannel(`snworker:${flow}`);
    channel.postMessage(message);
    sent = true;
  }
  history.replaceState(history.state, '', location.pathname + location.hash);
  if (sent && close) closeWhenTaken(channel);
  else channel?.close();
  return { handled: sent, error: sent ? params.get('error') : null };
}

// closeWhenTaken closes the window once the app window says it has the
// query (it closes the window itself when it can), or after closeAfter: a
// window closed before its message is in would look closed by the user.
function closeWhenTaken(channel) {
  const w = window;
  if (!channel) {
    w.close();
    return;
  }
  const done = () => {
    clearTimeout(timer);
    channel.close();
    w.close();
  };
  const timer = setTimeout(done, closeAfter);
  channel.onmessage = (e) => {
    if (e.data?.type === taken.type) done();
  };
}

// finishSignIn runs handleRedirect() in a window that connect() opened for
// a sign-in and that is now back with the redirect's query; anywhere else it
// does nothing and returns false.
export function finishSignIn() {
  if (typeof window !== 'object' || typeof location !== 'object') return false;
  if (!flowId(false) || !isRedirectQuery(new URLSearchParams(location.search))) return false;
  return handleRedirect().handled;
}

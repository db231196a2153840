// An app written against @openfin/servicenow 1.0.1's API only: connect()
// with two arguments, no options object, no snworker-only names. Only the
// import path differs from the anchor's.
import { connect, ApiError, ApiRequestError, AuthorizationError, AuthTokenExpiredError, InitializationError } from '/js/servicenow.js';

const classes = { ApiError, ApiRequestError, AuthorizationError, AuthTokenExpiredError, InitializationError };

// outcome settles a promise into something the test driver can read.
async function outcome(promise) {
  try {
    const value = await promise;
    return { ok: true, value: value ?? null };
  } catch (e) {
    const is = Object.fromEntries(Object.entries(classes).map(([name, cls]) => [name, e instanceof cls]));
    return { ok: false, error: { name: e?.name, message: e?.message, status: e?.status, data: e?.data, is } };
  }
}

const app = {
  instanceUrl: '',
  clientId: '',
  extra: [], // scope, authFlowParams, authWindowOptions, when a test sets them
  sn: null,
  pending: null,
  request: (...args) => outcome(app.sn.executeApiRequest(...args)),
  disconnect: () => outcome(app.sn.disconnect()),
};

document.querySelector('#connect').addEventListener('click', () => {
  app.pending = outcome(connect(app.instanceUrl, app.clientId, ...app.extra).then((sn) => {
    app.sn = sn;
    return { instanceUrl: sn.instanceUrl, clientId: sn.clientId, currentUser: sn.currentUser };
  }));
});

window.app = app;

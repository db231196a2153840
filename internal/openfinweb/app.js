// The app: @openfin/servicenow's two-argument connect() from a click, with
// OpenFin Web's fin on window.fin.
import { connect } from '/js/servicenow.js';

// settle turns a promise into something the test driver can read.
async function settle(promise) {
  try {
    return { ok: true, value: (await promise) ?? null };
  } catch (e) {
    return { ok: false, error: { name: e?.name, message: e?.message } };
  }
}

const app = { instanceUrl: '', clientId: '', sn: null, pending: null };
app.request = (path) => settle(app.sn.executeApiRequest(path));
document.querySelector('#connect').addEventListener('click', () => {
  app.pending = settle(connect(app.instanceUrl, app.clientId).then((sn) => {
    app.sn = sn;
    return { user: sn.currentUser?.user_name };
  }));
});
window.app = app;

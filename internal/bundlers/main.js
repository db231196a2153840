// The app: the package by name, and no option but the instance and the
// client ID, which the test passes in the page's query (and a redirectUri
// for the test of a redirect page of the app's own).
import { connect, enableLogging } from '@snworker/servicenow';

enableLogging();
const params = new URLSearchParams(location.search);
const out = document.getElementById('out');

document.getElementById('connect').addEventListener('click', async () => {
  try {
    const redirectUri = params.get('redirect');
    const options = redirectUri ? { redirectUri } : undefined;
    const sn = await connect(params.get('instance'), params.get('client'), undefined, undefined, undefined, options);
    const res = await sn.executeApiRequest('/api/now/table/incident?sysparm_limit=1');
    out.textContent = JSON.stringify({ ok: true, user: sn.currentUser?.user_name, status: res.status, records: res.data.length });
  } catch (e) {
    out.textContent = JSON.stringify({ ok: false, error: `${e.name}: ${e.message}` });
  }
});

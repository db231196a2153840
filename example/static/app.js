// The snworker demo page: sign in, page through incidents, create one,
// and upload and download attachments (binary bodies both ways).
// Every request goes through the worker; this page never sees a token.
import {
  connect,
  getConnection,
  ApiRequestError,
  AuthorizationError,
  AuthTokenExpiredError,
} from '/js/servicenow.js';

const pageSize = 10;
const fields = 'sys_id,number,short_description,state,priority,opened_at';
const firstPage = '/api/now/table/incident?' + new URLSearchParams({
  sysparm_query: 'ORDERBYDESCnumber',
  sysparm_fields: fields,
  sysparm_display_value: 'true',
  sysparm_exclude_reference_link: 'true',
  sysparm_limit: String(pageSize),
  sysparm_offset: '0',
});

const $ = (id) => document.getElementById(id);

let config = null;
let connection = null;
let shown = firstPage; // the incident page on screen
let links = {};
let created = ''; // sys_id of the incident just created, to highlight
let selected = null; // the incident whose attachments are shown
let signingOut = false; // this window's Disconnect was clicked

// Log panel

const maxLog = 200;

function log(level, text) {
  const item = document.createElement('li');
  item.className = level;
  const time = document.createElement('time');
  time.textContent = clock();
  item.append(time, ' ', text);
  const list = $('log');
  list.prepend(item);
  while (list.children.length > maxLog) list.lastElementChild.remove();
}

function clock() {
  return new Date().toLocaleTimeString([], { hour12: false });
}

// describe renders an error for the log and the notice line.
function describe(err) {
  if (err instanceof ApiRequestError) return `${err.status} ${err.message}`;
  return `${err?.name ?? 'Error'}: ${err?.message ?? err}`;
}

// Status line

const labels = {
  loading: 'Loading…',
  idle: 'Not connected.',
  connecting: 'Signing in: finish in the window that opened…',
  connected: 'Connected.',
  expired: 'Your session has ended: sign in again to continue.',
  error: 'Something went wrong.',
};

function setStatus(state, text = labels[state]) {
  const status = $('status');
  status.dataset.state = state;
  status.textContent = text;
  const live = state === 'connected';
  $('connect').hidden = live || state === 'expired' || state === 'connecting';
  $('connect').disabled = state === 'loading' || !config;
  $('reconnect').hidden = state !== 'expired';
  $('disconnect').hidden = !live;
  $('open-window').hidden = !live;
  $('reload').disabled = !live;
  $('create-button').disabled = !live;
  $('upload-button').disabled = !live || !selected;
  if (!live) {
    $('prev').disabled = true;
    $('next').disabled = true;
  }
}

function live() {
  return $('status').dataset.state === 'connected';
}

function notice(text) {
  $('notice').textContent = text;
  $('notice').hidden = !text;
}

// handleError is the documented pattern: an expired session offers to
// reconnect; an API error shows the instance's status. The user reads plain
// words; the log keeps the library's message, which is for developers.
function handleError(err, what) {
  if (err instanceof AuthTokenExpiredError) {
    expired();
  } else if (err instanceof AuthorizationError) {
    setStatus('idle', 'Not connected: sign-in did not complete.');
    notice(/blocked/.test(err.message)
      ? 'Your browser blocked the sign-in window. Allow pop-ups for this site, then click Connect again.'
      : 'Sign-in did not complete. Click Connect to try again, and finish signing in in the window that opens.');
  } else if (err instanceof ApiRequestError) {
    const why = { 401: 'you are not signed in', 403: 'you may not have access to this', 404: 'it was not found' }[err.status];
    notice(`${what} failed: ServiceNow answered ${err.status}${why ? ` (${why})` : ''}.`);
  } else if (err?.name === 'TimeoutError') {
    notice(`${what} failed: ServiceNow did not answer in time. Try again.`);
  } else if (!connection) {
    notice(`${what} failed: you are signed out. Click Connect to sign in.`);
  } else {
    notice(`${what} failed: the connection to ServiceNow stopped. Sign in again to continue.`);
  }
}

function expired() {
  if ($('status').dataset.state === 'expired') return;
  setStatus('expired');
  notice('');
  log('warn', 'Session expired: reconnect to continue.');
}

// Connecting

// startConnect runs in a click handler: connect() must open its window
// before anything else awaits.
// shared: one session for every window of the app, in a shared worker.
// /?dedicated gives this window a worker and a sign-in of its own.
const shared = !new URLSearchParams(location.search).has('dedicated');

// options are connect()'s.
function options() {
  return { endpoints: config.endpoints, allowedPaths: config.allowedPaths, onEvent: workerEvent, shared };
}

function startConnect() {
  const pending = connect(config.instanceUrl, config.clientId, undefined, undefined, undefined, options());
  // An expired shared connection is just dropped: disconnecting it would
  // end the session that this connect() may join or sign in again.
  connection = null;
  notice('');
  setStatus('connecting');
  log('info', `Connecting to ${config.instanceUrl} as client ${config.clientId}`);
  pending.then(connected, (err) => {
    log('error', `Connect: ${describe(err)}`);
    setStatus('idle');
    handleError(err, 'Connect');
  });
}

function connected(conn) {
  connection = conn;
  conn.addEventListener('refreshing', () => {
    if (conn === connection) setStatus('connected', 'Connected. Renewing the access token…');
  });
  conn.addEventListener('refreshed', () => {
    if (conn !== connection) return;
    log('info', 'Access token renewed');
    setStatus('connected', `Connected. Token renewed at ${clock()}.`);
  });
  conn.addEventListener('expired', () => {
    if (conn === connection) expired();
  });
  conn.addEventListener('disconnected', (e) => {
    if (conn !== connection) return;
    connection = null;
    log('info', `Disconnected (${e.detail?.reason ?? 'session ended'})`);
    if (e.detail?.reason === 'disconnect' && !e.detail.revoked) log('warn', 'The instance did not confirm that the tokens are revoked: they may work until they expire');
    signedOut(signingOut ? 'Signed out.' : 'Signed out: the session ended, in this window or another.');
  });

  const user = conn.currentUser ?? {};
  $('user-name').textContent = user.name || user.user_name || 'unknown user';
  $('user-detail').textContent = [user.user_name && `(${user.user_name})`, user.email].filter(Boolean).join(' · ');
  $('user').hidden = false;
  log('info', `Connected as ${user.user_name ?? 'an unknown user'}`);
  setStatus('connected');
  loadPage(firstPage);
}

// workerEvent shows the worker's own log lines; they never hold a token.
function workerEvent(name, data) {
  if (name === 'log' && data?.message) {
    log(data.level === 'error' || data.level === 'warn' ? data.level : 'worker', `worker: ${data.message}`);
  } else if (name === 'fatal') {
    log('error', `worker stopped: ${data?.message ?? 'no reason given'}`);
  }
}

// signedOut clears what belonged to the session: the user and the incidents.
function signedOut(text) {
  setStatus('idle', text);
  $('user').hidden = true;
  $('user-name').textContent = '';
  $('user-detail').textContent = '';
  const tr = document.createElement('tr');
  tr.className = 'empty';
  const td = document.createElement('td');
  td.colSpan = 6;
  td.textContent = "Connect to see the instance's incidents.";
  tr.append(td);
  $('rows').replaceChildren(tr);
  $('range').textContent = '';
  links = {};
  created = '';
  shown = firstPage;
}

async function disconnect() {
  const conn = connection;
  if (!conn) return;
  $('disconnect').disabled = true;
  signingOut = true;
  try {
    await conn.disconnect();
  } finally {
    signingOut = false;
    $('disconnect').disabled = false;
  }
}

// openWindow opens the app again: the new window joins this session.
function openWindow() {
  window.open(location.href, '_blank');
}

// Requests

// api sends one request through the worker and logs it.
async function api(method, path, data, headers) {
  if (!connection) throw new Error('not connected: click Connect');
  const started = performance.now();
  const short = path.split('?')[0];
  try {
    const res = await connection.executeApiRequest(path, method, data, false, headers, { timeout: 30000 });
    log('info', `${method} ${short} → ${res.status} (${Math.round(performance.now() - started)} ms)`);
    return res;
  } catch (err) {
    log('error', `${method} ${short} → ${describe(err)}`);
    throw err;
  }
}

async function loadPage(path) {
  $('reload').disabled = true;
  try {
    const res = await api('GET', path);
    shown = path;
    showIncidents(res);
    notice('');
  } catch (err) {
    handleError(err, 'Loading incidents');
  } finally {
    $('reload').disabled = !live();
  }
}

function showIncidents(res) {
  const records = Array.isArray(res.data) ? res.data : [];
  const rows = records.map((inc) => {
    const tr = document.createElement('tr');
    if (inc.sys_id && inc.sys_id === created) tr.className = 'new';
    if (inc.sys_id === selected?.sys_id) tr.classList.add('selected');
    for (const f of ['number', 'short_description', 'state', 'priority', 'opened_at']) {
      const td = document.createElement('td');
      td.textContent = text(inc[f]);
      tr.append(td);
    }
    const files = document.createElement('td');
    files.className = 'files';
    tr.append(files);
    if (inc.sys_id) {
      tr.dataset.id = inc.sys_id;
      tr.tabIndex = 0;
      tr.addEventListener('click', () => selectIncident(inc));
      tr.addEventListener('keydown', (e) => e.key === 'Enter' && selectIncident(inc));
    }
    return tr;
  });
  if (!rows.length) {
    const tr = document.createElement('tr');
    tr.className = 'empty';
    const td = document.createElement('td');
    td.colSpan = 6;
    td.textContent = 'No incidents.';
    tr.append(td);
    rows.push(tr);
  }
  $('rows').replaceChildren(...rows);

  links = parseLinks(res.headers.link ?? '');
  const total = Number.parseInt(res.headers['x-total-count'] ?? '', 10);
  const offset = Number.parseInt(new URLSearchParams(shown.split('?')[1]).get('sysparm_offset') ?? '0', 10) || 0;
  const last = offset + records.length;
  $('range').textContent = records.length === 0 ? '' : Number.isFinite(total) ? `${offset + 1}–${last} of ${total}` : `${offset + 1}–${last}`;
  $('prev').disabled = !links.prev;
  $('next').disabled = !links.next;
  if (!res.headers.link) {
    log('warn', 'No Link header in the reply: add Link and X-Total-Count to the CORS rule\'s exposed headers to page through incidents');
  }
  countFiles(records.map((inc) => inc.sys_id).filter(Boolean));
}

// text renders a field: a display string, or a reference's value.
function text(v) {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return String(v.display_value ?? v.value ?? '');
  return String(v);
}

// parseLinks reads a Link header into {rel: path on the instance}.
function parseLinks(header) {
  const out = {};
  for (const m of header.matchAll(/<([^>]*)>\s*;\s*rel="?([^",;]+)"?/g)) {
    const path = instancePath(m[1]);
    if (path) out[m[2]] = path;
  }
  return out;
}

// instancePath turns a link into a path on the instance; null elsewhere.
function instancePath(link) {
  try {
    const u = new URL(link, config.instanceUrl);
    return u.origin === config.instanceUrl ? u.pathname + u.search : null;
  } catch {
    return null;
  }
}

async function createIncident(e) {
  e.preventDefault();
  const form = e.target;
  const shortDescription = form.short_description.value.trim();
  if (!shortDescription) return;
  $('create-button').disabled = true;
  try {
    const res = await api('POST', '/api/now/table/incident', {
      short_description: shortDescription,
      urgency: form.urgency.value,
      impact: form.urgency.value,
    });
    created = res.data?.sys_id ?? '';
    log('info', `Created ${res.data?.number ?? 'an incident'}`);
    form.reset();
    await loadPage(firstPage);
  } catch (err) {
    handleError(err, 'Creating the incident');
  } finally {
    $('create-button').disabled = !live();
  }
}

// Attachments

// attachmentsOf lists the attachments of incidents, one request for all.
async function attachmentsOf(ids) {
  const query = `table_name=incident^table_sys_idIN${ids.join(',')}^ORDERBYfile_name`;
  const res = await api('GET', '/api/now/attachment?' + new URLSearchParams({ sysparm_query: query }));
  return Array.isArray(res.data) ? res.data : [];
}

// countFiles fills the Files column of the incidents on screen.
async function countFiles(ids) {
  if (!ids.length) return;
  try {
    const counts = {};
    for (const a of await attachmentsOf(ids)) counts[a.table_sys_id] = (counts[a.table_sys_id] ?? 0) + 1;
    for (const tr of $('rows').querySelectorAll('tr[data-id]')) {
      tr.querySelector('td.files').textContent = counts[tr.dataset.id] ? `${counts[tr.dataset.id]} file${counts[tr.dataset.id] === 1 ? '' : 's'}` : '';
    }
  } catch (err) {
    handleError(err, 'Counting attachments');
  }
}

async function selectIncident(inc) {
  selected = inc;
  for (const tr of $('rows').querySelectorAll('tr[data-id]')) tr.classList.toggle('selected', tr.dataset.id === inc.sys_id);
  $('files-for').textContent = `${text(inc.number)}: ${text(inc.short_description)}`;
  $('upload-button').disabled = !live();
  await showFiles();
}

async function showFiles() {
  if (!selected) return;
  const id = selected.sys_id;
  try {
    const files = await attachmentsOf([id]);
    if (selected?.sys_id !== id) return;
    const items = files.map((a) => {
      const li = document.createElement('li');
      const name = document.createElement('span');
      name.textContent = `${a.file_name} (${a.size_bytes} bytes, ${a.content_type})`;
      const get = document.createElement('button');
      get.type = 'button';
      get.className = 'secondary';
      get.textContent = 'Download';
      get.addEventListener('click', () => download(a));
      li.append(name, get);
      return li;
    });
    if (!items.length) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = 'No attachments yet.';
      items.push(li);
    }
    $('files').replaceChildren(...items);
  } catch (err) {
    handleError(err, 'Listing attachments');
  }
}

// download fetches the file's bytes through the worker (an ArrayBuffer, or
// text for text types) and saves them from a Blob.
async function download(a) {
  try {
    const res = await api('GET', `/api/now/attachment/${encodeURIComponent(a.sys_id)}/file`, undefined, { Accept: '*/*' });
    // A JSON file comes back parsed, a text file as a string, the rest as bytes.
    const data = res.data ?? new ArrayBuffer(0);
    const part = data instanceof ArrayBuffer || typeof data === 'string' ? data : JSON.stringify(data);
    const blob = new Blob([part], { type: res.type || a.content_type });
    log('info', `Downloaded ${a.file_name}: ${blob.size} bytes as ${res.data instanceof ArrayBuffer ? 'an ArrayBuffer' : 'text'}`);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = a.file_name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (err) {
    handleError(err, `Downloading ${a.file_name}`);
  }
}

// upload sends the chosen file, a Blob, as the raw body of
// POST /api/now/attachment/file, with the file's own Content-Type.
async function upload(e) {
  e.preventDefault();
  const file = $('file').files[0];
  if (!file || !selected) return;
  $('upload-button').disabled = true;
  try {
    const query = new URLSearchParams({ table_name: 'incident', table_sys_id: selected.sys_id, file_name: file.name });
    const res = await api('POST', '/api/now/attachment/file?' + query, file, { 'Content-Type': file.type || 'application/octet-stream' });
    log('info', `Uploaded ${res.data?.file_name ?? file.name}: ${res.data?.size_bytes ?? file.size} bytes`);
    e.target.reset();
    await showFiles();
    countFiles([...$('rows').querySelectorAll('tr[data-id]')].map((tr) => tr.dataset.id));
  } catch (err) {
    handleError(err, `Uploading ${file.name}`);
  } finally {
    $('upload-button').disabled = !live() || !selected;
  }
}

// Start

function wire() {
  $('connect').addEventListener('click', startConnect);
  $('reconnect').addEventListener('click', startConnect);
  $('disconnect').addEventListener('click', disconnect);
  $('open-window').addEventListener('click', openWindow);
  $('reload').addEventListener('click', () => loadPage(shown));
  $('prev').addEventListener('click', () => links.prev && loadPage(links.prev));
  $('next').addEventListener('click', () => links.next && loadPage(links.next));
  $('create').addEventListener('submit', createIncident);
  $('upload').addEventListener('submit', upload);
  $('clear-log').addEventListener('click', () => $('log').replaceChildren());
}

async function loadConfig() {
  const res = await fetch('/config.json', { cache: 'no-cache' });
  if (!res.ok) throw new Error(`/config.json answered ${res.status}`);
  return res.json();
}

wire();
try {
  config = await loadConfig();
  $('instance').textContent = `${config.instanceUrl}${config.emulated ? ' (emulated)' : ''}`;
  if (config.emulated) {
    $('hint').textContent = 'This instance is the emulator: log in as admin / admin, or abel.tuter / abel.tuter (role itil).';
    $('hint').hidden = false;
  }
  log('info', `Ready: instance ${config.instanceUrl}, ${config.endpoints} token endpoints`);
  // Another window of the app may be signed in, or this one before a
  // reload: join its session. In dedicated mode there is none to join, and
  // asking would start the shared worker and end the worker prestarted for
  // this window's connect().
  const conn = !shared ? null : await getConnection(config.instanceUrl, config.clientId, options()).catch((err) => {
    log('warn', `getConnection: ${describe(err)}`);
    return null;
  });
  if (conn) {
    log('info', 'Joined the live session (of another window, or of this one before a reload)');
    connected(conn);
  } else {
    setStatus('idle');
  }
} catch (err) {
  setStatus('error', 'The app could not load its settings.');
  notice(`Loading /config.json failed: ${err.message}`);
}

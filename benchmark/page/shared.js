// The shared-mode benchmark page. The Go driver (benchmark/shared.go)
// evaluates window.sharedBench's functions in up to three windows of one
// browser context: a request through the shared worker against one through
// a dedicated worker, a second window's connect(), and a storm from every
// window as the token expires.

import * as sn from '/js/servicenow.js';

const state = { cfg: null, shared: null, dedicated: null, connecting: {} };

function start(name, shared) {
  const { instanceUrl, clientId } = state.cfg;
  state.connecting[name] = sn.connect(instanceUrl, clientId, undefined, undefined, undefined, { shared }).then((conn) => {
    state[name] = conn;
    return conn.currentUser?.user_name ?? null;
  });
  state.connecting[name].catch(() => {});
}
document.getElementById('connect-shared').addEventListener('click', () => start('shared', true));
document.getElementById('connect-dedicated').addEventListener('click', () => start('dedicated', false));

async function sequential(conn, path, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const res = await conn.executeApiRequest(path);
    if (res.status !== 200) throw new Error(`${path}: status ${res.status}`);
  }
  return (performance.now() - t0) / n;
}

window.sharedBench = {
  configure(cfg) {
    state.cfg = cfg;
    return true;
  },

  async connected(name) {
    try {
      return { ok: true, user: await state.connecting[name] };
    } catch (e) {
      return { ok: false, error: `${e.name}: ${e.message}` };
    }
  },

  // join connects outside a click with an opener that opens nothing, so it
  // succeeds only by joining the live session.
  async join() {
    const { instanceUrl, clientId } = state.cfg;
    const t0 = performance.now();
    try {
      const conn = await sn.connect(instanceUrl, clientId, undefined, undefined, undefined, { shared: true, windowOpener: { open: () => null } });
      const ms = performance.now() - t0;
      state.shared = conn;
      return { ok: true, ms, user: conn.currentUser?.user_name ?? null };
    } catch (e) {
      return { ok: false, error: `${e.name}: ${e.message}` };
    }
  },

  // cell times sequential requests through each connection in interleaved
  // batches; which goes first alternates. ms per request, per round.
  async cell({ path, n, rounds }) {
    const out = { shared: [], dedicated: [] };
    for (let r = -1; r < rounds; r++) {
      const order = r & 1 ? ['dedicated', 'shared'] : ['shared', 'dedicated'];
      const got = {};
      for (const name of order) got[name] = await sequential(state[name], path, n);
      if (r >= 0) for (const name of order) out[name].push(got[name]);
    }
    return out;
  },

  // storm sends n requests at once through the shared connection.
  async storm({ path, n }) {
    const settled = await Promise.allSettled(Array.from({ length: n }, () => state.shared.executeApiRequest(path)));
    const failed = settled.filter((s) => s.status === 'rejected' || s.value.status !== 200);
    const why = failed[0]?.reason ?? failed[0]?.value;
    return { ok: n - failed.length, firstError: why ? `${why.name ?? 'status'}: ${why.message ?? why.status}` : '' };
  },
};

//go:build !js

package e2e

// Script in one tab of the app's origin tries to steer, spoof or stall the
// shared session, and to make tokens outlive disconnect(). Each
// test drives the attack as it was found: a raw port to the shared worker,
// a second tab, or options changed before the module runs.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/engines"
)

// rawReply is the worker's reply to a message on a raw port.
type rawReply struct {
	ID     int             `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Name    string `json:"name"`
		Message string `json:"message"`
	} `json:"error"`
}

// rawCall sends op with params on the page's raw port t[port] and returns
// the reply to id.
func (p *ewin) rawCall(port string, id int, op string, params any) rawReply {
	p.t.Helper()
	msg, err := json.Marshal(map[string]any{"id": id, "op": op, "params": params})
	require.NoError(p.t, err)
	lit, _ := json.Marshal(string(msg))
	var r *rawReply
	// Within the module's own bound on the shared worker's first answer
	// (20 s): the first message may start the worker.
	p.ok(fmt.Sprintf("t.raw(t[%q], {json: %s}, %d, 20000)", port, lit, id), &r)
	require.NotNil(p.t, r, "no reply to %s on the raw port", op)
	return *r
}

// appParams are the attach params the test app's windows send, with the
// Web Lock a page holds once it has opened a raw port (t.rawPort()).
func appParams(in *instance) map[string]any {
	return map[string]any{"instanceUrl": in.URL, "clientId": clientID, "redirectUri": appURL + "/test/", "endpoints": "servicenow", // the default: the page's folder
		"lock": "snworker-raw-port"}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// A tab that attaches, sends a completion that fails and then
// setUser does not become the signer: windows that join later see the
// user who signed in.
func TestTakeoverSpoofedUser(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	a := signedIn(t, in, 1)[0]
	evil := a.sibling("/test/shared.html")
	evil.eval("(t.evil = t.rawPort(), true)", nil)
	r := evil.rawCall("evil", 1, "attach", appParams(in))
	require.Nil(t, r.Error)
	r = evil.rawCall("evil", 2, "completeAuthorization", map[string]any{"query": "code=x&state=y"})
	require.NotNil(t, r.Error, "a forged completion fails")
	r = evil.rawCall("evil", 3, "setUser", map[string]any{"user": map[string]any{"name": "Mallory (spoofed)", "user_name": "mallory"}})
	require.NotNil(t, r.Error, "setUser from a tab that did not sign in was accepted")
	assert.Contains(t, r.Error.Message, "only the window that signed in")

	b := a.sibling("/test/shared.html")
	b.configure(in, sharedOptions)
	var j joined
	b.ok("t.join()", &j)
	assert.Equal(t, "admin", j.CurrentUser["user_name"], "a joining window gets the user who signed in")
}

// Ports that attach with other allowedPaths, then with the app's
// rules plus their own scopes, a 1 ms timeout and other endpoints, neither
// drop nor steer the app's sign-in: it runs with the app's own settings.
func TestTakeoverPoisonedSession(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	pages := openWindows(t, 2, "")
	a, evil := pages[0], pages[1]
	evil.eval("(t.evil = t.rawPort(), t.evil2 = t.rawPort(), true)", nil)
	r := evil.rawCall("evil", 1, "attach", with(appParams(in), "allowedPaths", []string{"/api/now/"}))
	require.Nil(t, r.Error)
	poisoned := with(appParams(in), "scopes", []string{"useraccount", "admin", "attacker_scope"}, "timeoutMs", 1, "endpoints", "openfin")
	r = evil.rawCall("evil2", 1, "attach", poisoned)
	require.Nil(t, r.Error)

	a.connect(in, sharedOptions, 0)
	var authorize string
	a.eval(`JSON.parse(t.record.fromWorker.map((m) => m.json).find((j) => j.includes('authorizeUrl'))).result.authorizeUrl`, &authorize)
	u, err := url.Parse(authorize)
	require.NoError(t, err)
	assert.NotContains(t, u.Query().Get("scope"), "attacker_scope", "the app's sign-in carried the attacker's scope")
	assert.Equal(t, 200, a.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
	assert.Zero(t, in.Calls("openfin:request_tokens"), "the attacker's endpoints were not used")
}

// The wasm answers 503 once. The first window gets a clear
// error; the failed worker ends, so the next window, and the first one's
// next connect(), start a new one and sign in.
func TestTakeoverStalledOrigin(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	pages := openWindows(t, 2, "")
	a, b := pages[0], pages[1]
	// A path of its own, which fails the first time it is asked for.
	opts := map[string]any{"shared": true, "wasmUrl": fmt.Sprintf("/flaky/%s-%d/snworker.wasm", t.Name(), time.Now().UnixNano())}
	a.configure(in, opts)
	e := a.fails("t.get()", "InitializationError")
	assert.Contains(t, e.Message, "503")

	b.configure(in, opts)
	started := time.Now()
	o := b.settle(`Promise.race([t.get(), new Promise((r) => setTimeout(() => r({ok: false, error: {name: 'none', message: 'no answer within 10 s', is: {}}}), 10000))])`)
	require.True(t, o.OK, "a second window after the failure: %+v", o.Error)
	assert.Equal(t, "null", string(o.Value), "nothing is signed in")
	t.Logf("the next window's getConnection() after the failed start answered in %v", time.Since(started).Round(time.Millisecond))

	a.connect(in, opts, 0)
	var j joined
	b.ok("t.join()", &j)
	assert.Equal(t, "admin", j.CurrentUser["user_name"])
}

// Two windows sign in at once; neither spoils the other's flow.
// The later one signs in, and so does the earlier.
func TestTakeoverTwoSignInsAtOnce(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	pages := openWindows(t, 2, "")
	a, b := pages[0], pages[1]
	a.configure(in, sharedOptions)
	b.configure(in, sharedOptions)
	first := a.clickForPopup("#connect")
	first.awaitSignInPage()
	second := b.clickForPopup("#connect")
	second.signIn(engines.Allow, 0)
	b.ok("t.last", nil)
	first.signIn(engines.Allow, 0)
	a.ok("t.last", nil)
	for i, p := range pages {
		assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status, "window %d", i+1)
	}
}

// A tab steals every window's Web Lock. The window whose lock
// was taken learns of it at once: its calls fail straight away with an
// error that says so, rather than after the worker stops answering.
func TestTakeoverStolenLock(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	pages := signedIn(t, in, 2)
	a, evil := pages[0], pages[1]
	var n int
	evil.eval(`(async () => {
		const { held } = await navigator.locks.query();
		for (const l of held) await navigator.locks.request(l.name, { steal: true }, () => {});
		return held.length;
	})()`, &n)
	require.Equal(t, 2, n, "both windows held a lock")
	a.waitFor("t.record.workerEvents.some((e) => e.name === 'fatal')", 2*time.Second)
	var o struct {
		outcome
		MS float64 `json:"ms"`
	}
	a.eval(`(async () => { const s = performance.now(); const r = await t.request('/api/now/table/incident?sysparm_limit=1'); return { ...r, ms: performance.now() - s }; })()`, &o)
	require.False(t, o.OK, "a window whose lock was stolen still works: %s", o.Value)
	assert.Equal(t, "InitializationError", o.Error.Name)
	assert.Contains(t, o.Error.Message, "Web Lock")
	assert.Less(t, o.MS, 500.0, "the call fails at once")
	t.Logf("the call after the steal failed in %.1f ms", o.MS)

	// The session itself is untouched: a window that connects again joins it.
	a.configure(in, sharedOptions)
	var j joined
	a.ok("t.join()", &j)
	assert.Equal(t, "admin", j.CurrentUser["user_name"])
}

// Script that runs before the module sets revokePath '/': the
// worker refuses it. A revocation endpoint that answers with a page counts
// as a failed revocation, which disconnect() and the event report.
func TestTakeoverRevocationNotFaked(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	pages := openWindows(t, 2, "")
	a, b := pages[0], pages[1]
	a.configure(in, map[string]any{"shared": true, "revokePath": "/"})
	a.click("#connect")
	e := a.fails("t.last", "ParameterError")
	assert.Contains(t, e.Message, `revokePath "/" cannot be a revocation endpoint`)

	a.connect(in, sharedOptions, 0)
	b.configure(in, sharedOptions)
	b.ok("t.join()", nil)
	issued := in.IssuedTokens()
	in.InjectFault("/oauth_revoke_token.do", emulator.Fault{HTML: true, Status: 200})
	var res struct {
		Revoked *bool `json:"revoked"`
	}
	a.ok("t.disconnect()", &res)
	require.NotNil(t, res.Revoked, "disconnect() says whether the tokens were revoked")
	assert.False(t, *res.Revoked, "a page's 200 reported as a revocation")
	for _, p := range pages {
		p.waitFor("t.record.connEvents.some((e) => e.name === 'disconnected' && e.detail.revoked === false)", 5*time.Second)
	}
	live := 0
	for _, tok := range issued {
		if in.bearerWorks(t, tok) {
			live++
		}
	}
	assert.NotZero(t, live, "the access token still works, as the app was told")
}

// An API and a token endpoint that echo the secrets they were
// sent, in every escape form JSON allows: the error's data, as the page
// reads it, holds none of them.
func TestTakeoverEscapedTokenInErrorData(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, nil, 0)
	in.InjectFault("/api/now/table/incident", emulator.Fault{Echo: true, Times: 1})
	e := p.fails("t.request('/api/now/table/incident?sysparm_limit=1')", "ApiRequestError")
	noToken(t, in, e.Data)

	in.ExpireAccessTokens()
	in.InjectFault("/oauth_token.do", emulator.Fault{Echo: true, Times: 1})
	e = p.fails("t.request('/api/now/table/incident?sysparm_limit=1')", "AuthTokenExpiredError")
	noToken(t, in, e.Data)
}

// noToken checks that data, parsed, holds no token the instance issued, and
// that the echo was there to be redacted.
func noToken(t *testing.T, in *instance, data json.RawMessage) {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(data, &v), "%s", data)
	parsed, _ := json.Marshal(v)
	for i, tok := range in.IssuedTokens() {
		assert.NotContains(t, string(parsed), tok, "issued token #%d is in error.data", i)
	}
	assert.GreaterOrEqual(t, strings.Count(string(parsed), "[redacted]"), 7, "%s", parsed)
}

// As the README says: any same-origin window that holds a port, and a Web
// Lock while it lives, keeps the session alive, not only the app's own. Here
// a tab whose script opened a port and holds a lock of its own joins the
// session after the app's last window went, within the grace period.
func TestTakeoverAnyPortKeepsSession(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	a := signedIn(t, in, 1)[0]
	evil := a.sibling("/test/shared.html")
	evil.eval("(t.evil = t.rawPort(), navigator.locks.request('evil', () => new Promise(() => {})), true)", nil)
	require.Nil(t, evil.rawCall("evil", 1, "ping", nil).Error, "the port is open")
	a.close()
	a.gone(10 * time.Second)
	evil.eval("(t.evil2 = t.rawPort(), true)", nil)
	r := evil.rawCall("evil2", 1, "attach", with(appParams(in), "lock", "evil"))
	require.Nil(t, r.Error)
	assert.JSONEq(t, `true`, string(jsonField(t, r.Result, "connected")), "the session outlived the app's windows")
}

// Script in the app's page attaches a port of its own
// with no Web Lock, then the user closes the app's only window. The worker
// refuses that port, so it keeps nothing alive: the grace period runs from
// the window's close and ends with both tokens refused by the instance. A
// port that names the window's own lock goes with the window.
func TestTakeoverLocklessPortKeepsNothing(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	a := signedInWith(t, in, 1, map[string]any{"shared": true, "gracePeriod": 1000})[0]
	issued := in.IssuedTokens()
	a.x.openURL(in.URL+"/api/now/table/incident", "true") // a window on another origin keeps the profile, not the worker

	a.eval("(t.evil = t.rawPort(), t.evil2 = t.rawPort(), true)", nil)
	r := a.rawCall("evil", 1, "attach", with(appParams(in), "lock", ""))
	require.NotNil(t, r.Error, "a port with no Web Lock joined the session")
	assert.Equal(t, "InitializationError", r.Error.Name)
	assert.Contains(t, r.Error.Message, "params.lock")
	var lock string
	a.eval("navigator.locks.query().then((q) => q.held.find((l) => l.name.startsWith('snworker-window-'))?.name ?? '')", &lock)
	require.NotEmpty(t, lock, "the app's window holds its lock")
	r = a.rawCall("evil2", 1, "attach", with(appParams(in), "lock", lock))
	require.Nil(t, r.Error, "a port that names the window's lock")

	in.Reset()
	closed := time.Now()
	a.close()
	waitCalls(t, in, "revoke", 2)
	t.Logf("both tokens revoked %v after the window closed", time.Since(closed).Round(time.Millisecond))
	for i, tok := range issued {
		assert.False(t, in.bearerWorks(t, tok), "token #%d works as an access token", i)
		assert.False(t, in.refreshWorks(t, tok), "token #%d works as a refresh token", i)
	}
}

// The next try, still open: a port that names a Web Lock held by a shared
// worker that page script starts, with extendedLifetime, from a script of
// the origin's own that holds a lock on request (lockholder.js here; the
// CSP's worker-src 'self' refuses one page script brings in a Blob). In
// headless Chromium 156 the worker and that holder both lived on, and the
// tokens stayed unrevoked, 3 minutes after the app's last window closed.
// What it expects once fixed: the grace period ends the session soon after
// the last window goes, or the worker ends with it.
func TestTakeoverLockHeldByAWorker(t *testing.T) {
	t.Skip("open: a Web Lock held by a shared worker of page script's own keeps the session alive past the app's last window (docs/shared-mode.md)")
	t.Parallel()
	in := newInstance(t, true)
	a := signedInWith(t, in, 1, map[string]any{"shared": true, "gracePeriod": 1000})[0]
	// A window on another origin keeps the profile, not the worker; its
	// DevTools page lists the shared workers.
	keep := a.x.openURL(in.URL+"/api/now/table/incident", "true").devtools("listing shared workers").Ctx

	var held string
	a.ok(`new Promise((resolve) => {
		const w = new SharedWorker('/test/lockholder.js', {name: 'holder', extendedLifetime: true});
		w.port.onmessage = (m) => resolve({ok: true, value: m.data});
		w.port.postMessage('held-by-a-worker');
	})`, &held)
	require.Equal(t, "held", held)
	a.eval("(t.evil = t.rawPort(), true)", nil)
	r := a.rawCall("evil", 1, "attach", with(appParams(in), "lock", "held-by-a-worker"))
	require.Nil(t, r.Error)
	require.Equal(t, []string{"/js/worker.js", "/test/lockholder.js"}, workerPaths(t, keep))

	in.Reset()
	closed := time.Now()
	a.close()
	var left []string
	require.Eventually(t, func() bool {
		left = workerPaths(t, keep)
		return in.Calls("revoke") >= 2 || len(left) < 2
	}, 3*time.Minute, 100*time.Millisecond, "3 minutes after the app's last window closed, the worker and the holder both live, and the tokens are not revoked")
	t.Logf("%v after the close: %d revocations; shared workers left: %v", time.Since(closed).Round(100*time.Millisecond), in.Calls("revoke"), left)
	if !slices.Contains(left, "/js/worker.js") {
		return // the worker ended first, its tokens with it
	}
	waitCalls(t, in, "revoke", 2)
	t.Logf("both tokens revoked %v after the close", time.Since(closed).Round(100*time.Millisecond))
}

// workerPaths lists the paths of the shared workers of ctx's browser context.
func workerPaths(t *testing.T, ctx context.Context) []string {
	targets, err := chromedp.Targets(ctx)
	require.NoError(t, err)
	var paths []string
	for _, ti := range targets {
		if ti.Type == "shared_worker" && ti.BrowserContextID == chromedp.FromContext(ctx).BrowserContextID {
			u, err := url.Parse(ti.URL)
			require.NoError(t, err)
			paths = append(paths, u.Path)
		}
	}
	slices.Sort(paths)
	return paths
}

func jsonField(t *testing.T, raw json.RawMessage, name string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw, &m), "%s", raw)
	return m[name]
}

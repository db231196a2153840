//go:build !js

package e2e

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/engines"
)

var sharedOptions = map[string]any{"shared": true}

// sharedReady is true once the shared test page is ready.
const sharedReady = "window.t?.ready === true"

// openWindows opens n windows of /test/shared.html+query in one profile of
// oneEngine: one origin's windows, which share one SharedWorker.
func openWindows(t *testing.T, n int, query string) []*ewin {
	t.Helper()
	x := inOneEngine(t)
	var pages []*ewin
	for range n {
		pages = append(pages, x.open("/test/shared.html"+query, sharedReady))
	}
	return pages
}

// sibling opens path in a new window of w's profile.
func (w *ewin) sibling(path string) *ewin {
	w.t.Helper()
	return w.x.open(path, sharedReady)
}

// joined is what t.join() and t.get() resolve to.
type joined struct {
	CurrentUser map[string]any `json:"currentUser"`
	MS          float64        `json:"ms"`
}

// signedIn opens n windows: the first signs in through the popup, the
// others join its session.
func signedIn(t *testing.T, in *instance, n int) []*ewin {
	t.Helper()
	return signedInWith(t, in, n, sharedOptions)
}

// signedInWith is signedIn with connect() options of the test's own.
func signedInWith(t *testing.T, in *instance, n int, options map[string]any) []*ewin {
	t.Helper()
	pages := openWindows(t, n, "")
	pages[0].connect(in, options, 0)
	for _, p := range pages[1:] {
		p.configure(in, options)
		var j joined
		p.ok("t.join()", &j)
		require.Equal(t, "admin", j.CurrentUser["user_name"], "a joining window gets the signed-in user")
	}
	return pages
}

// A storm of requests from 3 windows as the access token expires gives one
// refresh, and every window hears of it. No message to any window holds a
// token, before or after disconnect.
func TestSharedRefreshStorm(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	pages := signedIn(t, in, 3)
	in.ExpireAccessTokens()
	in.Reset()

	var wg sync.WaitGroup
	results := make([][]any, len(pages))
	for i, p := range pages {
		wg.Go(func() {
			var o outcome
			if err := p.w.Eval(evalTimeout, "t.parallel(20, '/api/now/table/incident?sysparm_limit=1')", &o); err != nil || !o.OK {
				t.Errorf("window %d: %v %s", i+1, err, o.Value)
				return
			}
			assert.NoError(t, json.Unmarshal(o.Value, &results[i]))
		})
	}
	wg.Wait()
	for i, r := range results {
		assert.Len(t, r, 20, "window %d", i+1)
	}
	assert.Equal(t, 1, in.Calls("token:refresh_token"), "one refresh for all windows")
	for _, p := range pages {
		p.waitFor("t.hasEvent('refreshed')", 5*time.Second)
	}
	pages[1].ok("t.disconnect()", nil)
	auditTokens(t, in, pages)
}

// auditTokens checks every message to and from every window's worker, and
// what else its page holds, for the tokens the instance issued. Only the
// window that signed in sent the code, once.
func auditTokens(t *testing.T, in *instance, pages []*ewin) {
	t.Helper()
	var codes []string
	snaps := make([]map[string]string, len(pages))
	for i, p := range pages {
		p.ok("t.snapshot()", &snaps[i])
		require.NotEmpty(t, snaps[i]["fromWorker"], "window %d recorded messages", i+1)
		codes = append(codes, sentCodes(t, snaps[i]["toWorker"])...)
	}
	require.Len(t, codes, 1, "one code went to the worker")
	var tokens []string
	for _, tok := range in.IssuedTokens() {
		if tok != codes[0] {
			tokens = append(tokens, tok)
		}
	}
	require.GreaterOrEqual(t, len(tokens), 3, "a refresh token and two access tokens")
	for i, snap := range snaps {
		for where, text := range snap {
			for k, tok := range tokens {
				assert.NotContains(t, text, tok, "token #%d is in window %d's %s", k, i+1, where)
			}
			if where != "toWorker" {
				assert.NotContains(t, text, codes[0], "the code is in window %d's %s", i+1, where)
			}
		}
	}
}

// disconnect() in one window revokes the tokens and ends the session for
// every window; their requests then fail as after a disconnect of their own.
func TestSharedDisconnect(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	pages := signedIn(t, in, 3)
	issued := in.IssuedTokens()
	in.Reset()
	pages[1].ok("t.disconnect()", nil)
	assert.Equal(t, 2, in.Calls("revoke"), "the refresh and the access token are revoked")
	for i, tok := range issued {
		assert.False(t, in.bearerWorks(t, tok), "token #%d still works", i)
	}
	in.Reset()
	for i, p := range pages {
		p.waitFor("t.hasEvent('disconnected')", 5*time.Second)
		e := p.fails("t.request('/api/now/table/incident')", "InitializationError")
		assert.Contains(t, e.Message, "closed", "window %d", i+1)
	}
	assert.Zero(t, in.Calls("api"))

	// The next connect() starts a new session, through the popup.
	var none *joined
	pages[2].ok("t.get()", &none)
	assert.Nil(t, none, "no session after disconnect")
	pages[2].connect(in, sharedOptions, 0)
	assert.Equal(t, 200, pages[2].request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
}

// Closing one window leaves the others working; its pending requests are
// dropped, and another window's pending request is not. The closing window
// says no goodbye on pagehide: the worker learns of it from its Web Lock.
func TestSharedWindowCloses(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	pages := signedIn(t, in, 2)
	a, b := pages[0], pages[1]
	c := a.sibling("/test/shared.html?nobye")
	c.configure(in, sharedOptions)
	c.ok("t.join()", nil)
	in.Reset()
	in.InjectFault("/api/now/table/sys_user", emulator.Fault{Delay: 2 * time.Second, Times: 1})
	in.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 30 * time.Second, Times: 1})
	b.eval("t.abortable('/api/now/table/sys_user')", nil)
	c.eval("t.abortable('/api/now/table/incident')", nil)
	waitCalls(t, in, "api", 2)

	c.close()
	a.waitFor(`t.record.workerEvents.some(e => e.name === 'log' && /1 of its pending requests dropped/.test(e.data.message))`, 10*time.Second)
	var r response
	b.ok("t.pending", &r)
	assert.Equal(t, 200, r.Status, "the other window's pending request completes")
	assert.Equal(t, 200, a.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
	assert.Equal(t, 200, b.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
	assert.False(t, a.eval1("t.hasEvent('disconnected')"), "the session lives on")
}

// Where SharedWorker does not exist, shared mode falls back to a dedicated
// worker, says so, and getConnection() finds nothing.
func TestSharedFallback(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	pages := openWindows(t, 2, "?noshared")
	a, b := pages[0], pages[1]
	a.connect(in, sharedOptions, 0)
	var workers int
	a.eval("t.record.workers", &workers)
	assert.Equal(t, 1, workers, "a dedicated worker, as SharedWorker is gone")
	assert.Equal(t, 200, a.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
	assert.True(t, a.eval1("t.warnings.some(w => /no SharedWorker/.test(w))"), "a log line says so")

	b.configure(in, sharedOptions)
	var none *joined
	b.ok("t.get()", &none)
	assert.Nil(t, none)
	e := b.fails("t.join()", "AuthorizationError")
	assert.Contains(t, e.Message, "blocked", "a window of its own must sign in through a window")
	a.ok("t.disconnect()", nil)
}

// Messages to the shared worker that are not requests it can serve, from a
// port of their own, get clear errors; the worker keeps serving every
// window, and such a port reaches no session it has not attached to.
func TestSharedHostileMessages(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	pages := signedIn(t, in, 1)
	a := pages[0]
	a.eval("(t.evil = t.rawPort(), true)", nil)
	cases := []struct {
		message string
		id      int
		name    string
		want    string
	}{
		{`'not an object'`, 0, "ParameterError", "want an object"},
		{`{json: 5}`, 0, "ParameterError", "message.json is number"},
		{`{json: '{"id":1,"op":"attach","params":{"instanceUrl":5}}'}`, 1, "ParameterError", "params.instanceUrl is a number"},
		{`{json: '{"id":2,"op":"executeApiRequest","params":{"path":"/api/now/table/incident"}}'}`, 2, "InitializationError", "not attached"},
		{`{json: '{"id":3,"op":"cancel","params":{"id":1}}'}`, 3, "InitializationError", "not attached"},
		{`{json: '{"id":4,"op":"disconnect"}'}`, 4, "InitializationError", "not attached"},
		{`{json: '{"id":5,"op":"init","params":{"instanceUrl":"https://x.service-now.com","clientId":"c","redirectUri":"https://app/r"}}'}`, 5, "InitializationError", "send attach"},
		{`{json: '{"id":6,"op":"setUser","params":{"user":{"name":"Mallory"}}}'}`, 6, "InitializationError", "not attached"},
		{`{json: '{"id":7,"op":"attach","params":{"instanceUrl":"` + in.URL + `","clientId":"` + clientID + `","redirectUri":"` + appURL + `/test/","allowedPaths":["/api/now/"],"lock":"snworker-raw-port"}}'}`, 7, "InitializationError", "allowedPaths"},
		{`{json: '{"id":8,"op":"attach","params":{"instanceUrl":"` + in.URL + `","clientId":"` + clientID + `","redirectUri":"` + appURL + `/test/"}}'}`, 8, "InitializationError", "params.lock"},
	}
	for _, c := range cases {
		var reply struct {
			ID    int `json:"id"`
			Error *struct {
				Name    string `json:"name"`
				Message string `json:"message"`
			} `json:"error"`
		}
		a.ok(fmt.Sprintf("t.raw(t.evil, %s, %d)", c.message, c.id), &reply)
		require.NotNil(t, reply.Error, "%s: no error reply", c.message)
		assert.Equal(t, c.name, reply.Error.Name, c.message)
		assert.Contains(t, reply.Error.Message, c.want, c.message)
	}
	assert.Zero(t, in.Calls("revoke"), "no session was ended")
	assert.Equal(t, 200, a.request(`'/api/now/table/incident?sysparm_limit=1'`).Status, "the worker still serves the window")
	assert.False(t, a.eval1("t.hasEvent('disconnected')"))
}

// With the grace period off, when the last window of the origin goes, the
// worker revokes the tokens and ends the session: the window that comes back
// finds none. (reload_test.go has the grace period on.)
func TestSharedLastWindowGoes(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	pages := signedInWith(t, in, 2, graceOff)
	a, b := pages[0], pages[1]
	b.close()
	b.gone(10 * time.Second)
	assert.Equal(t, 200, a.request(`'/api/now/table/incident?sysparm_limit=1'`).Status, "the session outlives window 2")

	a.load("/test/shared.html", sharedReady) // the origin's last window reloads
	a.configure(in, graceOff)
	var none *joined
	a.ok("t.get()", &none)
	assert.Nil(t, none, "the session went with the last window")
	waitCalls(t, in, "revoke", 2)
}

// connect() in shared mode opens its window within the click, before its
// first await (Safari blocks a window opened after a round trip to the
// worker): the first window signs in through it; in a second window, whose
// session is live, the window opened by the click closes at once and
// connect() joins without a sign-in. Chromium only: a window that closes at
// once is seen go among DevTools' targets.
func TestSharedWindowOpensInClick(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	pages := openWindows(t, 2, "")
	a, b := pages[0], pages[1]
	a.configure(in, sharedOptions)
	a.clickForPopup("#connect").signIn(engines.Allow, 0)
	var opened int
	a.eval("t.opensInClick", &opened)
	assert.Equal(t, 1, opened, "the sign-in window opened within the click")
	a.ok("t.last", nil)

	in.Reset()
	b.configure(in, sharedOptions)
	b.click("#connect")
	b.eval("t.opensInClick", &opened)
	assert.Equal(t, 1, opened, "the window opened within the click, before the join")
	var v struct {
		CurrentUser map[string]any `json:"currentUser"`
	}
	b.ok("t.last", &v)
	assert.Equal(t, "admin", v.CurrentUser["user_name"], "joined the live session")
	assert.Eventually(t, func() bool { return b.openedWindows() == 0 }, 5*time.Second, 20*time.Millisecond, "the window closed")
	assert.Zero(t, in.Calls("authorize")+in.Calls("token"), "no sign-in")
}

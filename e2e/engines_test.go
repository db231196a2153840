//go:build !js

package e2e

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/internal/engines"
)

// The scenarios users depend on, each in every engine (see inEngines):
// the real module, worker and emulator, the app on one origin under the
// README's headers, the instance on another.

// thinkTime is how long a person looks at the sign-in page before
// answering. Fast automated sign-ins hide what a window the opener loses
// track of does: in WebKit under COOP, its opener reads it closed within
// about a second.
const thinkTime = 3 * time.Second

// Sign in as a person would, call the Table API, create and delete a
// record, and sign out. The worker script is served only to requests with
// Sec-Fetch-Dest worker or sharedworker, so a worker that starts shows the
// engine sends it; the page's own fetch of it is refused.
func TestEnginesSignIn(t *testing.T) {
	t.Parallel()
	inEngines(t, func(t *testing.T, x *engineTest) {
		in := newInstance(t, true)
		p := x.open("/test/index.html", "window.t !== undefined")
		p.configure(in, nil)
		w := p.clickForPopup("#connect")
		w.signIn(engines.Allow, thinkTime)
		var v struct {
			CurrentUser map[string]any `json:"currentUser"`
		}
		p.ok("t.last", &v)
		assert.Equal(t, "admin", v.CurrentUser["user_name"])
		w.gone(5 * time.Second)

		var status int
		p.eval("fetch('/js/worker.js').then((r) => r.status)", &status)
		assert.Equal(t, 403, status, "the worker script is refused to a fetch (Sec-Fetch-Dest: empty)")

		list := p.request(`'/api/now/table/incident?sysparm_limit=3'`)
		assert.Equal(t, 200, list.Status)
		var incidents []map[string]any
		require.NoError(t, json.Unmarshal(list.Data, &incidents))
		assert.Len(t, incidents, 3)

		created := p.request(`'/api/now/table/incident', 'POST', {short_description: 'from every engine'}`)
		assert.Equal(t, 201, created.Status)
		var inc map[string]any
		require.NoError(t, json.Unmarshal(created.Data, &inc))
		id, _ := inc["sys_id"].(string)
		require.Len(t, id, 32)
		assert.Equal(t, 204, p.request(`'/api/now/table/incident/`+id+`', 'DELETE'`).Status)
		e := p.fails(`t.request('/api/now/table/incident/`+id+`')`, "ApiRequestError")
		assert.Equal(t, 404, e.Status)

		p.ok("t.disconnect()", nil)
		assert.Equal(t, 2, in.Calls("revoke"))
	})
}

// Deny on the consent page rejects with AuthorizationError, and the window goes.
func TestEnginesDeny(t *testing.T) {
	t.Parallel()
	inEngines(t, func(t *testing.T, x *engineTest) {
		in := newInstance(t, true)
		p := x.open("/test/index.html", "window.t !== undefined")
		p.configure(in, nil)
		w := p.clickForPopup("#connect")
		w.signIn(engines.Deny, 0)
		e := p.fails("t.last", "AuthorizationError")
		assert.Contains(t, e.Message, "access_denied")
		assert.Zero(t, in.Calls("token"), "no code exchange after a denial")
		w.gone(5 * time.Second)
	})
}

// connect() outside a click is refused by the popup blocker, before the
// instance hears of it; a click then signs in. The headless shell has no
// popup blocker, so there the window opens: that is the shell, not what
// users' browsers do.
func TestEnginesPopupBlocked(t *testing.T) {
	t.Parallel()
	inEngines(t, func(t *testing.T, x *engineTest) {
		in := newInstance(t, true)
		p := x.open("/test/index.html", "window.t !== undefined")
		p.configure(in, nil)
		p.eval("(t.last = t.connect(), true)", nil)
		if x.name == "headless-shell" {
			waitCalls(t, in, "authorize", 1) // the window opened and went to the instance
			return
		}
		e := p.fails("t.last", "AuthorizationError")
		assert.Contains(t, e.Message, "blocked")
		assert.Contains(t, e.Message, "click handler")
		assert.Zero(t, in.Calls("authorize"))

		user := p.connect(in, nil, 0)
		assert.Equal(t, "admin", user["user_name"])
	})
}

// An expired access token is renewed unseen; a refused refresh ends the
// session with AuthTokenExpiredError, and later calls fail the same way
// without reaching the instance.
func TestEnginesRefresh(t *testing.T) {
	t.Parallel()
	inEngines(t, func(t *testing.T, x *engineTest) {
		in := newInstance(t, true)
		p := x.open("/test/index.html", "window.t !== undefined")
		p.connect(in, nil, 0)

		in.Reset()
		in.ExpireAccessTokens()
		assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
		assert.Equal(t, 1, in.Calls("token:refresh_token"))
		p.waitFor("t.record.connEvents.some((e) => e.name === 'refreshed')", 5*time.Second)

		in.RevokeRefreshTokens()
		in.ExpireAccessTokens()
		e := p.fails("t.request('/api/now/table/incident')", "AuthTokenExpiredError")
		assert.True(t, e.Is["ApiError"])
		p.waitFor("t.record.connEvents.some((e) => e.name === 'expired')", 5*time.Second)
		in.Reset()
		p.fails("t.request('/api/now/table/incident')", "AuthTokenExpiredError")
		assert.Zero(t, in.Calls("api"))
	})
}

// Shared mode: the first window signs in from a click; a second window of
// the same browser finds the session with getConnection() and joins it
// without a popup or a request to the instance.
func TestEnginesSharedWindows(t *testing.T) {
	t.Parallel()
	inEngines(t, func(t *testing.T, x *engineTest) {
		in := newInstance(t, true)
		a := x.open("/test/shared.html", "window.t?.ready === true")
		b := x.open("/test/shared.html", "window.t?.ready === true")
		user := a.connect(in, sharedOptions, 0)
		assert.Equal(t, "admin", user["user_name"])

		b.configure(in, sharedOptions)
		var none *joined
		b.eval("(t.config = {...t.config, clientId: 'another-client'}, true)", nil)
		b.ok("t.get()", &none)
		assert.Nil(t, none, "no session for another client ID")

		in.Reset()
		b.configure(in, sharedOptions)
		var got joined
		b.ok("t.get()", &got)
		assert.Equal(t, "admin", got.CurrentUser["user_name"], "getConnection() finds the session")
		var j joined
		b.ok("t.join()", &j)
		assert.Equal(t, "admin", j.CurrentUser["user_name"])
		assert.Empty(t, in.Requests(), "finding and joining send nothing to the instance")
		assert.Equal(t, 200, b.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
		assert.Equal(t, 200, a.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
	})
}

// disconnect() revokes both tokens at the instance, which then refuses
// them, and the connection says it is closed.
func TestEnginesDisconnect(t *testing.T) {
	t.Parallel()
	inEngines(t, func(t *testing.T, x *engineTest) {
		in := newInstance(t, true)
		p := x.open("/test/index.html", "window.t !== undefined")
		p.connect(in, nil, 0)
		issued := in.IssuedTokens()
		require.NotEmpty(t, issued)
		in.Reset()
		p.ok("t.disconnect()", nil)
		assert.Equal(t, 2, in.Calls("revoke"), "the refresh and the access token are revoked")
		for i, tok := range issued {
			assert.False(t, in.bearerWorks(t, tok) || in.refreshWorks(t, tok), "issued token #%d still works", i)
		}
		p.waitFor("t.record.connEvents.some((e) => e.name === 'disconnected')", 5*time.Second)
		in.Reset()
		e := p.fails("t.request('/api/now/table/incident')", "InitializationError")
		assert.Contains(t, e.Message, "closed")
		assert.Zero(t, in.Calls("api"))
	})
}

// The app written against @openfin/servicenow's API, unchanged, against an
// instance set up for it: sign in, call, renew, disconnect with revocation
// through the Store app.
func TestEnginesDropIn(t *testing.T) {
	t.Parallel()
	inEngines(t, func(t *testing.T, x *engineTest) {
		in := newStockInstance(t, true)
		a := x.open("/test/anchor.html", "window.app !== undefined")
		a.eval(fmt.Sprintf("(app.instanceUrl = %q, app.clientId = %q, true)", in.URL+"/", clientID), nil)
		w := a.clickForPopup("#connect")
		w.signIn(engines.Allow, 0)
		var v map[string]any
		a.ok("app.pending", &v)
		assert.Equal(t, "admin", v["currentUser"].(map[string]any)["user_name"])
		w.gone(5 * time.Second)

		var list struct {
			Status int              `json:"status"`
			Data   []map[string]any `json:"data"`
		}
		a.ok(`app.request('/api/now/table/incident?sysparm_limit=2')`, &list)
		assert.Equal(t, 200, list.Status)
		assert.Len(t, list.Data, 2)
		var created struct {
			Status int            `json:"status"`
			Data   map[string]any `json:"data"`
		}
		a.ok(`app.request('/api/now/table/incident', 'POST', {short_description: 'from an anchor app'})`, &created)
		assert.Equal(t, 201, created.Status)

		in.Reset()
		in.ExpireAccessTokens()
		a.ok(`app.request('/api/now/table/incident?sysparm_limit=1')`, &list)
		assert.Equal(t, 200, list.Status, "an expired access token is renewed unseen")
		assert.Equal(t, 1, in.Calls("openfin:request_tokens:refresh_token"))

		issued := in.IssuedTokens()
		a.ok("app.disconnect()", nil)
		assert.Equal(t, 3, in.Calls("openfin:revoke_token"), "the refresh token, the access token and the one it replaced")
		for i, tok := range issued {
			assert.False(t, in.bearerWorks(t, tok) || in.refreshWorks(t, tok), "issued token #%d still works", i)
		}
	})
}

// connect(url, id, undefined, {scope}) works as with @openfin/servicenow:
// the scope in authFlowParams reaches the instance.
func TestEnginesAuthFlowScope(t *testing.T) {
	t.Parallel()
	inEngines(t, func(t *testing.T, x *engineTest) {
		in := newStockInstance(t, true)
		a := x.open("/test/anchor.html", "window.app !== undefined")
		a.eval(fmt.Sprintf("(app.instanceUrl = %q, app.clientId = %q, app.extra = [undefined, {scope: 'useraccount'}], true)", in.URL+"/", clientID), nil)
		w := a.clickForPopup("#connect")
		w.awaitSignInPage()
		var scope string
		w.eval("document.querySelector('input[name=scope]')?.value ?? ''", &scope)
		assert.Equal(t, "useraccount", scope, "the scope the instance was asked for")
		w.signIn(engines.Allow, 0)
		var v map[string]any
		a.ok("app.pending", &v)
		assert.Equal(t, "admin", v["currentUser"].(map[string]any)["user_name"])
	})
}

// Shared mode across a reload of the app's only window. Chromium keeps the
// session (extendedLifetime; TestReloadKeepsSession shows it without
// DevTools holding the worker). Firefox and WebKit have no extendedLifetime:
// the worker ends with the page, and the fallback is a clean sign-in.
func TestEnginesReload(t *testing.T) {
	t.Parallel()
	inEngines(t, func(t *testing.T, x *engineTest) {
		in := newInstance(t, true)
		p := x.open("/test/shared.html", "window.t?.ready === true")
		p.connect(in, sharedOptions, 0)
		in.Reset()
		require.NoError(t, p.w.Navigate(10*time.Second, appURL+"/test/shared.html"), "reloading in %s", x.name)
		require.NoError(t, engines.WaitFor(p.w, 10*time.Second, "window.t?.ready === true"), "the reloaded page in %s", x.name)
		p.configure(in, sharedOptions)
		var got *joined
		p.ok("t.get()", &got)

		if x.name == "firefox" || x.name == "webkit" {
			assert.Nil(t, got, "%s has no extendedLifetime: the session ends with the page", x.name)
			user := p.connect(in, sharedOptions, 0)
			assert.Equal(t, "admin", user["user_name"], "a click after the reload signs in")
			assert.Equal(t, 1, in.Calls("authorize"), "one new sign-in")
			assert.Equal(t, 1, in.Calls("token:authorization_code"), "one new code exchange")
		} else {
			require.NotNil(t, got, "%s keeps the session across a reload", x.name)
			assert.Equal(t, "admin", got.CurrentUser["user_name"])
			assert.Zero(t, in.Calls("authorize")+in.Calls("token"), "no sign-in and no token request")
		}
		assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status, "calls work after the reload")
	})
}

// Issue 28, finding 1, in each engine: script in the app's page attaches a
// port of its own with no Web Lock; the worker refuses it. Then the app's
// only window closes. Where the module keeps the session past the last
// window (extendedLifetime), the grace period runs from the close and ends
// with both tokens refused by the instance; elsewhere the worker ends with
// the window. The log gives the time from the close to the revocation.
func TestEnginesLocklessPort(t *testing.T) {
	t.Parallel()
	inEngines(t, func(t *testing.T, x *engineTest) {
		in := newInstance(t, true)
		// A window on another origin keeps the browser, not the worker.
		_, err := x.profile.Open(in.URL + "/api/now/table/incident?sysparm_limit=1")
		require.NoError(t, err)
		a := x.open("/test/shared.html", "window.t?.ready === true")
		a.connect(in, sharedOptions, 0)
		var outlives bool
		a.eval("t.infos.some((m) => /outlives a reload/.test(m))", &outlives)
		issued := in.IssuedTokens()

		var r struct {
			Value *rawReply `json:"value"`
		}
		attach, err := json.Marshal(map[string]any{"id": 1, "op": "attach", "params": with(appParams(in), "lock", "")})
		require.NoError(t, err)
		lit, _ := json.Marshal(string(attach))
		a.eval(fmt.Sprintf("t.raw(t.evil = t.rawPort(), {json: %s}, 1)", lit), &r)
		require.NotNil(t, r.Value, "no answer to the lock-less attach in %s", x.name)
		require.NotNil(t, r.Value.Error, "%s: a port with no Web Lock joined the session", x.name)
		assert.Contains(t, r.Value.Error.Message, "params.lock")

		// A second page of the app, open before the close (WebKit's driver
		// opens no window from a closed one), that has not started the worker.
		b := x.open("/test/shared.html", "window.t?.ready === true")
		in.Reset()
		closed := time.Now()
		a.close()
		refused := func() bool {
			for _, tok := range issued {
				if in.bearerWorks(t, tok) || in.refreshWorks(t, tok) {
					return false
				}
			}
			return true
		}
		if outlives {
			require.Eventually(t, refused, 30*time.Second, 100*time.Millisecond, "%s: both tokens still work 30 s after the app's last window closed", x.name)
			t.Logf("%s: both tokens refused %v after the app's last window closed", x.name, time.Since(closed).Round(100*time.Millisecond))
			return
		}
		// The worker ends with the window; its tokens go with its memory,
		// unrevoked: the other page finds no session.
		b.configure(in, sharedOptions)
		var none *joined
		b.ok("t.get()", &none)
		assert.Nil(t, none, "%s: the session outlived the app's last window", x.name)
		t.Logf("%s (no extendedLifetime): the session ended with the window; %d revocations, tokens refused: %v, %v after the close",
			x.name, in.Calls("revoke"), refused(), time.Since(closed).Round(100*time.Millisecond))
	})
}

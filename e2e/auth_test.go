//go:build !js

package e2e

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/engines"
)

// A sign-in that takes longer than authTimeout rejects and closes its window.
func TestAuthorizationTimeout(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p, w := inOneEngine(t).startSignIn(in, map[string]any{"authTimeout": 1500}) // and do nothing in it
	e := p.fails("t.last", "AuthorizationError")
	assert.Contains(t, e.Message, "1500 ms")
	w.gone(5 * time.Second)
}

// A second connect() while one is pending is refused at once; the first
// still completes. Chromium only: the windows the page has open are
// counted among DevTools' targets.
func TestSecondConnectWhilePending(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p, w := inOneEngine(t).startSignIn(in, nil)
	w.awaitSignInPage()
	p.click("#connect2")
	e := p.fails("t.second", "AuthorizationError")
	assert.Contains(t, e.Message, "already in progress")
	var workers int
	p.eval("t.record.workers", &workers)
	assert.Equal(t, 1, workers, "the refused connect() starts no worker")

	w.signIn(engines.Allow, 0)
	var v struct {
		CurrentUser map[string]any `json:"currentUser"`
	}
	p.ok("t.last", &v)
	assert.Equal(t, "admin", v.CurrentUser["user_name"])

	// Two connect() calls in the same task: the second is refused before it
	// opens a window or starts a worker.
	w.gone(5 * time.Second)
	w = p.clickForPopup("#connect-twice")
	e = p.fails("t.second", "AuthorizationError")
	assert.Contains(t, e.Message, "already in progress")
	assert.Equal(t, 1, p.openedWindows())
	w.signIn(engines.Allow, 0)
	p.ok("t.last", nil)
	p.eval("t.record.workers", &workers)
	assert.Equal(t, 2, workers, "one worker per connect() that ran")
}

// window.open returning null (a blocked popup) rejects with AuthorizationError
// before any worker starts: in a frame sandboxed without allow-popups, where
// the real window.open returns null, and with a windowOpener that says so.
func TestPopupBlocked(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	const frame = "document.getElementById('frame').contentWindow"
	p := openPage(t, "/test/sandbox.html", frame+".t !== undefined")
	cfg, err := json.Marshal(map[string]any{"instanceUrl": in.URL, "clientId": clientID})
	require.NoError(t, err)
	p.eval(frame+".t.config = "+string(cfg), nil)
	e := p.fails(frame+".t.connect()", "AuthorizationError")
	assert.Contains(t, e.Message, "blocked")
	assert.Contains(t, e.Message, "click handler")
	var workers int
	p.eval(frame+".t.record.workers", &workers)
	assert.Zero(t, workers)

	p = newPage(t)
	p.configure(in, nil)
	p.eval("t.config.opener = 'null'", nil)
	e = p.fails("t.connect()", "AuthorizationError")
	assert.Contains(t, e.Message, "blocked")
	assert.Zero(t, in.Calls("authorize"))
}

// The OpenFin opener, driven by a fake fin whose Window.create opens a real
// popup and reports its URL, against an instance whose token endpoint has no
// CORS (so the OpenFin Store-app endpoints are used).
func TestOpenFinWindowOpener(t *testing.T) {
	t.Parallel()
	in := newInstance(t, false)
	p := newPage(t)
	p.configure(in, map[string]any{"endpoints": "openfin", "redirectUri": appURL + "/test/landing.html"})
	p.eval("t.config.opener = 'fin'", nil)
	w := p.clickForFinWindow("#connect")
	w.signIn(engines.Allow, 0)
	var v struct {
		CurrentUser map[string]any `json:"currentUser"`
	}
	p.ok("t.last", &v)
	assert.Equal(t, "admin", v.CurrentUser["user_name"])
	assert.Equal(t, 1, in.Calls("openfin:request_tokens:authorization_code"))
	assert.Equal(t, 1, in.Calls("openfin:user_info"), "currentUser comes from user_info")
	assert.Zero(t, in.Calls("token"), "the CORS-less /oauth_token.do is not used")

	var created []struct {
		DefaultWidth int      `json:"defaultWidth"`
		URLs         []string `json:"urls"`
	}
	p.eval("finStandIn.__created()", &created)
	require.Len(t, created, 1)
	assert.EqualValues(t, 550, created[0].DefaultWidth, "@openfin/servicenow's width")
	require.NotEmpty(t, created[0].URLs)
	assert.True(t, strings.HasPrefix(created[0].URLs[len(created[0].URLs)-1], appURL+"/test/landing.html?"), "the opener saw the redirect URL: %v", created[0].URLs)
	w.gone(5 * time.Second)

	in.Reset()
	in.ExpireAccessTokens()
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
	assert.Equal(t, 1, in.Calls("openfin:request_tokens:refresh_token"))

	p.ok("t.disconnect()", nil)
	assert.Equal(t, 3, in.Calls("openfin:revoke_token"), "the refresh token, the access token and the one it replaced revoked")
}

// Against an instance whose /oauth_token.do has no CORS headers (as a real
// one), the default endpoints fail the code exchange with AuthorizationError.
func TestTokenEndpointWithoutCORS(t *testing.T) {
	t.Parallel()
	in := newInstance(t, false)
	p := newPage(t)
	p.configure(in, nil)
	p.clickForPopup("#connect").signIn(engines.Allow, 0)
	e := p.fails("t.last", "AuthorizationError")
	assert.Contains(t, e.Message, "code exchange")
	t.Logf("the message a user sees: %s", e.Message)
}

// A redirect URL the instance does not list: its sign-in window shows the
// instance's error, and connect() ends, when the window is closed or the
// flow times out, with an error that names the URL to register.
func TestRefusedRedirectURL(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	unlisted := appURL + "/test/elsewhere/"
	for _, opts := range []map[string]any{{"redirectUri": unlisted}, {"redirectUri": unlisted, "authTimeout": 1500}} {
		p.configure(in, opts)
		w := p.clickForPopup("#connect")
		w.waitFor("document.body?.textContent.includes('Invalid redirect_uri')", 10*time.Second) // across the window's navigation
		if opts["authTimeout"] == nil {
			w.close()
		}
		e := p.fails("t.last", "AuthorizationError")
		assert.Contains(t, e.Message, "add "+unlisted+" to that entry's Redirect URL", "%v", opts)
		assert.JSONEq(t, `"`+unlisted+`"`, string(e.Data))
	}
}

// A sign-in through the default redirect URL (the page's folder, whose page
// imports the module) leaves the console of the page and of its sign-in
// window free of errors: no 404, no CSP report, no exception. Chromium
// only: the console is read over DevTools.
func TestSignInConsoleIsClean(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	x := inOneEngine(t)
	var mu sync.Mutex
	var errs []string
	x.watchOutput(func(o browsertest.Output) {
		// enableLogging() (the test pages call it) tries a blob: worker
		// to warn of a CSP that allows one; its refusal is logged.
		if (o.Kind == browsertest.Exception || o.Level == "error") && !strings.HasSuffix(o.URL, "/js/log.js") {
			mu.Lock()
			errs = append(errs, o.String())
			mu.Unlock()
		}
	})
	p := x.open("/test/index.html", "window.t !== undefined")
	p.connect(in, nil, 0)
	var redirects []string
	p.eval(`t.record.toWorker.map(m => JSON.parse(m.json)).filter(r => r.op === 'init').map(r => r.params.redirectUri)`, &redirects)
	assert.Equal(t, []string{appURL + "/test/"}, redirects, "the default redirect URL is the page's folder")
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, errs)
}

// With Cross-Origin-Opener-Policy on the app's pages, Chromium cuts the page
// off from its sign-in window when the window comes back to the redirect
// URL (a page with that policy): the handle then reads closed. The code
// still arrives, over the flow's BroadcastChannel, before the window is
// taken for closed.
func TestSignInUnderCOOP(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := openPage(t, "/coop/test/index.html", "window.t !== undefined")
	for range 3 {
		user := p.connect(in, nil, 0)
		assert.Equal(t, "admin", user["user_name"])
		p.ok("t.disconnect()", nil)
	}
	var opener []bool
	p.eval(`t.record.windowMessages.map(m => m.data?.type === 'snworker:redirect')`, &opener)
	assert.NotContains(t, opener, true, "no redirect came by postMessage: the window was cut off")
}

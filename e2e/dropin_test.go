//go:build !js

package e2e

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/engines"
)

// newStockInstance is an instance as one set up for @openfin/servicenow:
// no CORS on /oauth_token.do, the Store app with a CORS rule for the app,
// and both the app's redirect page and <instance>/oauth_redirect.do
// registered. cors false drops the CORS rule too.
func newStockInstance(t *testing.T, cors bool) *instance {
	srv := httptest.NewUnstartedServer(nil)
	url := "http://" + srv.Listener.Addr().String()
	cfg := emulator.Config{
		Clients: []emulator.Client{{ID: clientID,
			RedirectURIs: []string{appURL + "/test/", appURL + "/js/redirect.html", url + "/oauth_redirect.do"}}},
		TestControls: true,
	}
	if cors {
		cfg.AllowedOrigins = []string{appURL}
	}
	em := emulator.New(cfg)
	srv.Config.Handler = em
	srv.Start()
	t.Cleanup(srv.Close)
	return &instance{Server: em, URL: url}
}

// anchorApp is the page of an app written for @openfin/servicenow.
type anchorApp struct {
	*ewin
	in  *instance
	fin bool
}

func openAnchorApp(x *engineTest, in *instance, fin bool) *anchorApp {
	path := "/test/anchor.html"
	if fin {
		path = "/test/anchor-fin.html"
	}
	return openAnchorAppAt(x, in, path, fin)
}

func openAnchorAppAt(x *engineTest, in *instance, path string, fin bool) *anchorApp {
	p := x.open(path, "window.app !== undefined")
	// The instance URL as users write it, with a trailing slash.
	p.eval(fmt.Sprintf("(app.instanceUrl = %q, app.clientId = %q, true)", in.URL+"/", clientID), nil)
	return &anchorApp{ewin: p, in: in, fin: fin}
}

// signInWindow clicks Connect and returns the sign-in window. In OpenFin
// mode the driver reports the window's URLs to the fin stand-in, as
// OpenFin's window API would: it hears of each navigation over DevTools.
func (a *anchorApp) signInWindow() *ewin {
	a.t.Helper()
	if !a.fin {
		return a.clickForPopup("#connect")
	}
	return a.clickForFinWindow("#connect")
}

// connected signs in as admin and returns the connection's fields.
func (a *anchorApp) connected() map[string]any {
	a.t.Helper()
	w := a.signInWindow()
	w.signIn(engines.Allow, 0)
	var v map[string]any
	a.ok("app.pending", &v)
	w.gone(5 * time.Second) // before another window opens
	return v
}

// In OpenFin, with fin.Window.create for the sign-in window. Chromium only:
// the stand-in for OpenFin's window API hears of the window's navigations
// over DevTools.
func TestDropInOpenFin(t *testing.T) {
	t.Parallel()
	in := newStockInstance(t, true)
	a := openAnchorApp(inOneEngine(t), in, true)
	a.devtools("the fin stand-in")
	dropIn(t, a)
}

// dropIn is the anchor's own usage, unchanged, against an instance set up
// for it: sign in, call, renew, disconnect with revocation through the Store
// app; a refused refresh, a denial and a closed window.
func dropIn(t *testing.T, a *anchorApp) {
	t.Helper()
	in, fin := a.in, a.fin
	v := a.connected()
	assert.Equal(t, in.URL+"/", v["instanceUrl"], "instanceUrl is the string given")
	assert.Equal(t, "admin", v["currentUser"].(map[string]any)["user_name"])
	assert.Equal(t, 1, in.Calls("openfin:request_tokens:authorization_code"), "the code went to the Store app")
	assert.Zero(t, in.Calls("token:authorization_code"))
	if fin {
		var created []map[string]any
		a.eval("fin.__created()", &created)
		require.Len(t, created, 1, "one fin.Window.create")
		var u string
		a.eval("new URL(app.sn.instanceUrl).origin", &u)
		assert.Equal(t, in.URL, u)
		var switches bool
		a.eval("typeof fin.Integrations.ServiceNow.enableLogging === 'function' && typeof fin.Integrations.ServiceNow.disableLogging === 'function'", &switches)
		assert.True(t, switches, "the logging switch is on fin.Integrations.ServiceNow, as the anchor puts it")
	}

	var list struct {
		Status int              `json:"status"`
		Data   []map[string]any `json:"data"`
		Type   string           `json:"type"`
	}
	a.ok(`app.request('/api/now/table/incident?sysparm_limit=2')`, &list)
	assert.Equal(t, 200, list.Status)
	assert.Len(t, list.Data, 2)
	assert.Contains(t, list.Type, "application/json")

	e := a.fails(`app.request('/api/now/table/incident/00000000000000000000000000000000')`, "ApiRequestError")
	assert.Equal(t, 404, e.Status)
	assert.Equal(t, "No Record found", e.Message)

	var created struct {
		Status int            `json:"status"`
		Data   map[string]any `json:"data"`
	}
	a.ok(`app.request('/api/now/table/incident', 'POST', {short_description: 'from an anchor app'})`, &created)
	assert.Equal(t, 201, created.Status)
	id, _ := created.Data["sys_id"].(string)
	require.NotEmpty(t, id)
	var deleted struct{ Status int }
	a.ok(fmt.Sprintf(`app.request('/api/now/table/incident/%s', 'DELETE')`, id), &deleted)
	assert.Equal(t, 204, deleted.Status)

	in.Reset()
	in.ExpireAccessTokens()
	a.ok(`app.request('/api/now/table/incident?sysparm_limit=1')`, &list)
	assert.Equal(t, 200, list.Status, "an expired access token is renewed unseen")
	assert.Equal(t, 1, in.Calls("openfin:request_tokens:refresh_token"))

	issued := in.IssuedTokens()
	a.ok("app.disconnect()", nil)
	assert.Equal(t, 3, in.Calls("openfin:revoke_token"), "the refresh token, the access token and the one it replaced, revoked through the Store app")
	for i, tok := range issued {
		assert.False(t, in.bearerWorks(t, tok) || in.refreshWorks(t, tok), "issued token #%d still works", i)
	}

	// A refused refresh: AuthTokenExpiredError with the token endpoint's body.
	a.connected()
	in.RevokeRefreshTokens()
	in.ExpireAccessTokens()
	e = a.fails(`app.request('/api/now/table/incident')`, "AuthTokenExpiredError")
	assert.True(t, e.Is["ApiError"])
	var data map[string]string
	require.NoError(t, json.Unmarshal(e.Data, &data), "data: %s", e.Data)
	assert.Equal(t, "server_error", data["error"])
	for _, tok := range in.IssuedTokens() {
		assert.NotContains(t, string(e.Data), tok)
	}

	// Deny, and a closed window.
	w := a.signInWindow()
	w.signIn(engines.Deny, 0)
	e = a.fails("app.pending", "AuthorizationError")
	assert.Contains(t, e.Message, "access_denied")
	w.gone(5 * time.Second)
	w = a.signInWindow()
	w.awaitSignInPage()
	w.close()
	e = a.fails("app.pending", "AuthorizationError")
	assert.Contains(t, e.Message, "closed")
	a.assertNoTokenInPage(in)
}

// In OpenFin, authWindowOptions are fin.Window.create options. (Chromium
// only, as TestDropInOpenFin.)
func TestDropInOpenFinWindowOptions(t *testing.T) {
	t.Parallel()
	in := newStockInstance(t, true)
	a := openAnchorApp(inOneEngine(t), in, true)
	a.eval("(app.extra = [undefined, undefined, {defaultWidth: 480, frame: false}], true)", nil)
	a.connected()
	var created []map[string]any
	a.eval("fin.__created()", &created)
	require.Len(t, created, 1)
	assert.EqualValues(t, 480, created[0]["defaultWidth"])
	assert.Equal(t, false, created[0]["frame"])
}

// With neither token endpoint readable from the app's origin, connect()
// fails, naming both fixes, before the user can sign in.
func TestDropInNoReadableTokenEndpoint(t *testing.T) {
	t.Parallel()
	in := newStockInstance(t, false)
	a := openAnchorApp(inOneEngine(t), in, false)
	w := a.signInWindow()
	e := a.fails("app.pending", "InitializationError")
	for _, want := range []string{appURL, "glide.oauth.cors.allowed.origin", "OpenFin Store app", "CORS rule"} {
		assert.Contains(t, e.Message, want)
	}
	w.gone(5 * time.Second)
	for _, r := range in.Requests() {
		assert.NotEqual(t, "/login.do", r.Path, "the sign-in page was submitted")
	}
	assert.Zero(t, in.Calls("token:authorization_code")+in.Calls("openfin:request_tokens:authorization_code"))
}

// finWindow is what the fin stand-in saw of one window.
type finWindow struct {
	Name               string   `json:"name"`
	DefaultWidth       int      `json:"defaultWidth"`
	DefaultHeight      int      `json:"defaultHeight"`
	AutoShow           *bool    `json:"autoShow"`
	AlwaysOnTop        *bool    `json:"alwaysOnTop"`
	Resizable          *bool    `json:"resizable"`
	ShowTaskbarIcon    *bool    `json:"showTaskbarIcon"`
	IncludeInSnapshots *bool    `json:"includeInSnapshots"`
	Calls              []string `json:"calls"`
	Events             []string `json:"events"`
	URLs               []string `json:"urls"`
}

func (a *anchorApp) finWindows() []finWindow {
	var created []finWindow
	a.eval("fin.__created()", &created)
	return created
}

func has(list []string, prefix string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return strings.HasPrefix(s, prefix) })
}

// In OpenFin, the window is made as @openfin/servicenow makes it: hidden
// until 2 s have passed without the redirect, placed on the caller's
// monitor, and the sign-in ends on the instance's own /oauth_redirect.do,
// read from the window's URL; then the opener stops listening and closes
// it. A window the user closes sends closing, then closed, and connect()
// fails.
func TestDropInOpenFinWindow(t *testing.T) {
	t.Parallel()
	in := newStockInstance(t, true)
	a := openAnchorApp(inOneEngine(t), in, true)
	w := a.signInWindow()
	w.awaitSignInPage()
	var calls []string
	a.waitFor("fin.__created()[0]?.calls.includes('focus')", 10*time.Second)
	a.eval("fin.__created()[0].calls", &calls)
	assert.Less(t, slices.Index(calls, "isShowing"), slices.Index(calls, "show"), "shown after 2 s: %v", calls)
	w.signIn(engines.Allow, 0)
	var v map[string]any
	a.ok("app.pending", &v)
	w.gone(5 * time.Second)

	created := a.finWindows()
	require.Len(t, created, 1)
	c := created[0]
	assert.Equal(t, 550, c.DefaultWidth)
	assert.Equal(t, 600, c.DefaultHeight)
	for name, want := range map[string]struct {
		got  *bool
		want bool
	}{"autoShow": {c.AutoShow, false}, "alwaysOnTop": {c.AlwaysOnTop, true}, "resizable": {c.Resizable, false},
		"showTaskbarIcon": {c.ShowTaskbarIcon, false}, "includeInSnapshots": {c.IncludeInSnapshots, false}} {
		if assert.NotNil(t, want.got, name) {
			assert.Equal(t, want.want, *want.got, name)
		}
	}
	require.NotEmpty(t, c.URLs)
	assert.True(t, strings.HasPrefix(c.URLs[len(c.URLs)-1], in.URL+"/oauth_redirect.do?code="), "the redirect: %v", c.URLs)
	assert.True(t, slices.ContainsFunc(in.Requests(), func(r emulator.RequestRecord) bool { return r.Path == "/oauth_redirect.do" }), "the window loaded the instance's redirect page")
	for _, call := range []string{"setBounds", "on closing", "on url-changed", "getInfo", "removeAllListeners", "close true"} {
		assert.True(t, has(c.Calls, call), "%s in %v", call, c.Calls)
	}
	assert.Less(t, slices.Index(c.Calls, "removeAllListeners"), slices.Index(c.Calls, "close true"))
	assert.Equal(t, []string{"closing", "closed"}, c.Events[len(c.Events)-2:])

	w = a.signInWindow()
	w.awaitSignInPage()
	w.close()
	e := a.fails("app.pending", "AuthorizationError")
	assert.Contains(t, e.Message, "closed")
	created = a.finWindows()
	require.Len(t, created, 2)
	assert.Equal(t, []string{"closing", "closed"}, created[1].Events[len(created[1].Events)-2:])
}

// Before runtime 30 OpenFin sends no url-changed: the opener reads the
// window's URL with getInfo() alone.
func TestDropInOpenFinRuntime29(t *testing.T) {
	t.Parallel()
	in := newStockInstance(t, true)
	a := openAnchorAppAt(inOneEngine(t), in, "/test/anchor-fin.html?runtime=29", true)
	v := a.connected()
	assert.Equal(t, "admin", v["currentUser"].(map[string]any)["user_name"])
	c := a.finWindows()[0]
	assert.False(t, has(c.Calls, "on url-changed"), "%v", c.Calls)
	assert.NotContains(t, c.Events, "url-changed")
	assert.GreaterOrEqual(t, slices.Index(c.Calls, "getInfo"), 0)
	assert.True(t, strings.HasPrefix(c.URLs[len(c.URLs)-1], in.URL+"/oauth_redirect.do?code="), "%v", c.URLs)
}

// In OpenFin the window's URL and status can be read: the instance's error
// page for an unknown client ID ends connect() at once, in the instance's
// words, naming the client ID and the redirect URL.
func TestDropInOpenFinRefusedClient(t *testing.T) {
	t.Parallel()
	in := newStockInstance(t, true)
	a := openAnchorApp(inOneEngine(t), in, true)
	a.eval(`(app.clientId = 'no-such-client', true)`, nil)
	start := time.Now()
	w := a.signInWindow()
	e := a.fails("app.pending", "AuthorizationError")
	t.Logf("click to error: %v; the message: %s", time.Since(start).Round(time.Millisecond), e.Message)
	for _, want := range []string{"Invalid client_id", "HTTP 400", `"no-such-client"`, in.URL + "/oauth_redirect.do"} {
		assert.Contains(t, e.Message, want)
	}
	w.gone(5 * time.Second)
}

// clickForFinWindow clicks selector on a page whose fin stand-in
// (testdata/test/finstandin.js) opens the window, and returns the window.
// The driver, which sees the window's real URL on any origin, reports each
// one the window commits to finStandIn, with the HTTP status of its
// document, as OpenFin's window API would; for an error status, with the
// page's text once loaded, which OpenFin's executeJavaScript would read.
// Chromium only: the window's navigations are heard over DevTools.
func (w *ewin) clickForFinWindow(selector string) *ewin {
	w.t.Helper()
	page := w.devtools("hearing the fin window's navigations")
	target := make(chan *browsertest.Target, 1)
	var win *browsertest.Target
	report := func(url string) {
		if win == nil {
			select {
			case win = <-target:
			case <-page.Ctx.Done():
				return
			}
		}
		// The status of the document the window shows, if it is still url.
		var doc struct {
			Status int    `json:"status"`
			Text   string `json:"text"`
		}
		err := win.Eval(testTimeout, fmt.Sprintf(`(async (url) => {
			const status = location.href === url ? performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0 : 0;
			if (status < 400) return {status, text: ''};
			await new Promise((r) => document.readyState === 'complete' ? r() : addEventListener('load', r));
			return {status, text: document.body ? document.body.innerText : ''};
		})(%q)`, url), &doc)
		if err != nil && page.Ctx.Err() == nil {
			w.x.log.logf("reading the window at %s: %v", url, err)
		}
		if doc.Status == 0 {
			doc.Status = 200
		}
		expr := fmt.Sprintf("finStandIn.__report(%q, %d, %q)", url, doc.Status, doc.Text)
		if err := page.Eval(testTimeout, expr, nil); err != nil && page.Ctx.Err() == nil {
			w.x.log.logf("reporting %s to the fin stand-in: %v", url, err)
		}
	}
	urls := make(chan string, 100) // reported in the order the window went
	go func() {
		for {
			select {
			case url := <-urls:
				report(url)
			case <-page.Ctx.Done():
				return
			}
		}
	}()
	next := page.Next(browsertest.Popup, func(ev any) {
		if ev, ok := ev.(*cdppage.EventFrameNavigated); ok && ev.Frame.ParentID == "" {
			urls <- ev.Frame.URL + ev.Frame.URLFragment
		}
	})
	w.click(selector)
	// fin.Window.create comes only once the worker has answered (the browser
	// popup opens inside the click): the wait is the worker's start, testTimeout.
	t, err := next(testTimeout)
	require.NoError(w.t, err, "waiting for the fin window")
	target <- t
	// A first page committed before the attach sent no event: report it.
	var first string
	if err := t.Eval(testTimeout, "location.href", &first); err == nil && first != "about:blank" {
		urls <- first
	}
	return &ewin{t: w.t, w: engines.DevToolsWindow(page, t), x: w.x}
}

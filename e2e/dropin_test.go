//go:build !js

package e2e

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
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
	page := a.devtools("following the sign-in window's navigations")
	report := func(url string) {
		expr := fmt.Sprintf("fin.__report(%q)", url)
		if err := page.Eval(5*time.Second, expr, nil); err != nil && page.Ctx.Err() == nil {
			a.x.log.logf("reporting %s to the fin stand-in: %v", url, err)
		}
	}
	next := page.Next(browsertest.Popup, func(ev any) {
		if ev, ok := ev.(*cdppage.EventFrameNavigated); ok && ev.Frame.ParentID == "" {
			go report(ev.Frame.URL + ev.Frame.URLFragment)
		}
	})
	a.click("#connect")
	w, err := next(10 * time.Second)
	require.NoError(a.t, err, "waiting for the sign-in window")
	return &ewin{t: a.t, w: engines.DevToolsWindow(page, w), x: a.x}
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

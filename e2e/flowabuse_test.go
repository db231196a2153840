//go:build !js

package e2e

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/engines"
	"github.com/snworker/snworker/pkce"
)

// asPage waits until a window the page opened shows a test page.
func (w *ewin) asPage() *ewin {
	w.t.Helper()
	w.waitFor("window.t !== undefined", 10*time.Second)
	return w
}

// openWindow clicks the page's Open button for url and returns the window.
func (w *ewin) openWindow(url string) *ewin {
	w.t.Helper()
	w.eval(fmt.Sprintf("(t.openUrl = %q, true)", url), nil)
	return w.clickForPopup("#open")
}

// redirect sends the authorization window to the redirect page with query,
// as the instance does after sign-in: the window its flow opened, so the
// query reaches the worker, whose checks then apply. (Not Navigate, which
// waits for a load the page's close cuts short.)
func (w *ewin) redirect(query string) {
	w.t.Helper()
	w.eval(fmt.Sprintf("(setTimeout(() => location.assign(%q)), true)", appURL+"/js/redirect.html?"+query), nil)
}

// completedQueries are the queries of the page's completeAuthorization requests.
func (p *ewin) completedQueries() []string {
	p.t.Helper()
	var qs []string
	p.eval(`t.record.toWorker.map(m => JSON.parse(m.json)).filter(r => r.op === 'completeAuthorization').map(r => r.params.query)`, &qs)
	return qs
}

// anotherFlowCode signs in on the instance for a flow of the same client
// that is not the page's (its own state and PKCE verifier), and returns its
// unused code.
func anotherFlowCode(t *testing.T, in *instance) string {
	t.Helper()
	challenge := oauth2.S256ChallengeFromVerifier(pkce.Verifier())
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {appURL + "/js/redirect.html"},
		"state": {"another-flow"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	u, err := emulator.Authorize(in.URL+"/oauth_auth.do?"+q.Encode(), "admin", "admin", true)
	require.NoError(t, err)
	require.NotEmpty(t, u.Query().Get("code"))
	return u.Query().Get("code")
}

// A page on the attacker's origin that gets a handle on the app's window
// posts a fake redirect, even with the real state: the module ignores it,
// and the flow fails only when the user closes the window, leaving no token.
func TestRedirectFromOtherOrigin(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	atk := newAttacker(t)
	p, w := inOneEngine(t).startSignIn(in, nil)
	w.awaitSignInPage()
	state := p.pendingState()

	p.openWindow(atk.URL + "/evil.html#" + url.QueryEscape("code=forged&state="+state))
	p.waitFor(fmt.Sprintf("t.record.windowMessages.some(m => m.origin === %q)", atk.URL), 10*time.Second)
	assert.Empty(t, p.completedQueries(), "the attacker's redirect reached the worker")

	w.close()
	e := p.fails("t.last", "AuthorizationError")
	assert.Contains(t, e.Message, "closed")
	assert.Empty(t, in.IssuedTokens(), "no code and no token")
	assert.Zero(t, in.Calls("token"))
}

// Another window of the same app posts a redirect to this one, a real,
// unused code of another flow, with that flow's state and then with this
// flow's: both are ignored, as they come neither from this flow's window
// nor with its ID. Then both windows connect at once, and each gets its
// own code.
func TestCodeFromAnotherFlow(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	a, w := inOneEngine(t).startSignIn(in, nil)
	w.awaitSignInPage()
	stateA := a.pendingState()
	code := anotherFlowCode(t, in)
	b := a.openWindow("/test/index.html").asPage()

	b.eval(fmt.Sprintf("t.postToOpener(%q)", "code="+code+"&state=another-flow"), nil)
	b.eval(fmt.Sprintf("t.postToOpener(%q)", "code="+code+"&state="+url.QueryEscape(stateA)), nil)
	a.waitFor("t.record.windowMessages.filter(m => m.data?.query?.includes('code=')).length === 2", 5*time.Second)
	assert.Empty(t, a.completedQueries(), "another window's redirect reached the worker")
	assert.Zero(t, in.Calls("token"), "no code exchange")
	w.close()
	e := a.fails("t.last", "AuthorizationError")
	assert.Contains(t, e.Message, "closed")

	// Both windows connect at once; each completes with its own state.
	in.Reset()
	b.configure(in, nil)
	wa := a.clickForPopup("#connect")
	wb := b.clickForPopup("#connect")
	wb.signIn(engines.Allow, 0)
	wa.signIn(engines.Allow, 0)
	for name, p := range map[string]*ewin{"a": a, "b": b} {
		p.ok("t.last", nil)
		qs := p.completedQueries()
		require.NotEmpty(t, qs, name)
		q, err := url.ParseQuery(qs[len(qs)-1])
		require.NoError(t, err)
		assert.Equal(t, p.pendingState(), q.Get("state"), "window %s completed another flow's redirect", name)
		assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status, name)
	}
	assert.Equal(t, 2, in.Calls("token:authorization_code"))
}

// A redirect replayed into a later flow: with its own (old) state it fails
// the state check and the old session lives on; its used code with the new
// flow's state fails the exchange, and the instance then revokes the tokens
// that code gave (RFC 6749 §4.1.2), so no token is left. connect() still works.
func TestReplayedRedirect(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, nil, 0)
	old := p.completedQueries()[0]
	oldQuery, err := url.ParseQuery(old)
	require.NoError(t, err)

	w := p.clickForPopup("#connect")
	w.awaitSignInPage()
	w.redirect(old)
	e := p.fails("t.last", "AuthorizationError")
	assert.Contains(t, e.Message, "state does not match")
	w.gone(5 * time.Second)
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status, "the first session lives on")

	w = p.clickForPopup("#connect")
	w.awaitSignInPage()
	state := p.pendingState()
	w.redirect("code=" + oldQuery.Get("code") + "&state=" + url.QueryEscape(state))
	e = p.fails("t.last", "AuthorizationError")
	assert.Contains(t, e.Message, "refused the code")
	w.gone(5 * time.Second)
	p.fails("t.request('/api/now/table/incident?sysparm_limit=1')", "AuthTokenExpiredError")
	assert.Zero(t, liveTokens(t, in), "a token survived the replay")

	p.connect(in, nil, 0)
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
}

// A page on another origin that knows the flow's state opens the redirect
// URL with a code, in a window of its own: the package's redirect page and
// the app's page that imports the module (the default redirect URL) both
// deliver nothing, since that window is not the one the flow opened. The
// real sign-in then completes.
func TestRedirectOpenedByAnotherSite(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	atk := newAttacker(t)
	p, w := inOneEngine(t).startSignIn(in, nil)
	w.awaitSignInPage()
	query := "code=" + anotherFlowCode(t, in) + "&state=" + url.QueryEscape(p.pendingState())

	// The attacker's tab, in the user's browser beside the app.
	for _, tc := range []struct{ path, loaded string }{
		{"/js/redirect.html", "document.getElementById('status')?.textContent.includes('Nothing to do')"},
		{"/test/", "window.t !== undefined"},
	} {
		target := appURL + tc.path + "?" + query
		tab := p.x.openURL(atk.URL+"/launch.html#"+url.QueryEscape(target), "document.getElementById('go')")
		tab.clickForPopup("#go").waitFor(tc.loaded, 10*time.Second)
	}
	// Had either page delivered, the flow would have taken its code first
	// and failed the exchange (the verifier is not that code's).
	w.signIn(engines.Allow, 0)
	p.ok("t.last", nil)
	require.Len(t, p.completedQueries(), 1, "one redirect reached the worker")
	assert.NotEqual(t, query, p.completedQueries()[0], "the completed code is the flow's own")
	assert.Equal(t, 1, in.Calls("token:authorization_code"))
}

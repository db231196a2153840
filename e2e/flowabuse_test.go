//go:build !js

package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/pkce"
)

// asPage drives a window the page opened that shows a test page.
func (w *popup) asPage() *page {
	bp := w.p.bp.Window(w.w)
	q := &page{t: w.p.t, ctx: bp.Ctx, id: bp.ID, bp: bp, log: w.p.log}
	q.waitFor("window.t !== undefined", 10*time.Second)
	return q
}

// openWindow clicks the page's Open button for url and returns the window.
func (p *page) openWindow(url string) *popup {
	p.t.Helper()
	p.eval(fmt.Sprintf("(t.openUrl = %q, true)", url), nil)
	return p.clickForPopup("#open")
}

// broadcast posts a redirect message on the channel of the flow with state,
// as the redirect page does when its opener is lost.
func (p *page) broadcast(state, query string) {
	p.t.Helper()
	p.eval(fmt.Sprintf(`(() => {
		const c = new BroadcastChannel('snworker:' + %q);
		c.postMessage({type: 'snworker:redirect', query: %q});
		c.close();
		return true;
	})()`, state, query), nil)
}

// completedQueries are the queries of the page's completeAuthorization requests.
func (p *page) completedQueries() []string {
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
// posts a fake redirect, even with the real state: the bridge ignores it,
// and the flow fails only when the user closes the window, leaving no token.
func TestRedirectFromOtherOrigin(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	atk := newAttacker(t)
	p := newPage(t)
	p.configure(in, nil)
	w := p.clickForPopup("#connect")
	w.waitSignInPage()
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

// Another window of the same app posts a redirect to this one: a real,
// unused code of another flow with that flow's state is ignored; with this
// flow's state it reaches the worker, whose PKCE verifier does not fit it,
// so the exchange fails with AuthorizationError and leaves no token. Then
// both windows connect at once, and each gets its own code.
func TestCodeFromAnotherFlow(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	a := newPage(t)
	a.configure(in, nil)
	a.clickForPopup("#connect").waitSignInPage()
	stateA := a.pendingState()
	code := anotherFlowCode(t, in)
	b := a.openWindow("/test/index.html").asPage()

	b.eval(fmt.Sprintf("t.postToOpener(%q)", "code="+code+"&state=another-flow"), nil)
	a.waitFor("t.record.windowMessages.some(m => m.data?.query?.includes('another-flow'))", 5*time.Second)
	assert.Empty(t, a.completedQueries(), "another flow's redirect reached the worker")

	b.eval(fmt.Sprintf("t.postToOpener(%q)", "code="+code+"&state="+url.QueryEscape(stateA)), nil)
	e := a.fails("t.last", "AuthorizationError")
	assert.Contains(t, e.Message, "refused the code")
	assert.Zero(t, liveTokens(t, in), "a token was issued")

	// Both windows connect at once; each completes with its own state.
	in.Reset()
	b.configure(in, nil)
	wa := a.clickForPopup("#connect")
	wb := b.clickForPopup("#connect")
	wb.signIn("allow")
	wa.signIn("allow")
	for name, p := range map[string]*page{"a": a, "b": b} {
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
	p.connect(in, nil)
	old := p.completedQueries()[0]
	oldQuery, err := url.ParseQuery(old)
	require.NoError(t, err)

	w := p.clickForPopup("#connect")
	w.waitSignInPage()
	p.broadcast(p.pendingState(), old)
	e := p.fails("t.last", "AuthorizationError")
	assert.Contains(t, e.Message, "state does not match")
	w.gone(5 * time.Second)
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status, "the first session lives on")

	w = p.clickForPopup("#connect")
	w.waitSignInPage()
	state := p.pendingState()
	p.broadcast(state, "code="+oldQuery.Get("code")+"&state="+url.QueryEscape(state))
	e = p.fails("t.last", "AuthorizationError")
	assert.Contains(t, e.Message, "refused the code")
	w.gone(5 * time.Second)
	p.fails("t.request('/api/now/table/incident?sysparm_limit=1')", "AuthTokenExpiredError")
	assert.Zero(t, liveTokens(t, in), "a token survived the replay")

	p.connect(in, nil)
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
}

// openedWindows counts the windows the page has open.
func (p *page) openedWindows() int {
	p.t.Helper()
	targets, err := chromedp.Targets(p.ctx)
	require.NoError(p.t, err)
	n := 0
	for _, ti := range targets {
		if ti.Type == "page" && ti.OpenerID == p.id && !strings.HasPrefix(ti.URL, "devtools:") {
			n++
		}
	}
	return n
}

//go:build !js

package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/browsertest"
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

// redirect sends the authorization window to the redirect page with query,
// as the instance does after sign-in: the window its flow opened, so the
// query reaches the worker, whose checks then apply.
func (w *popup) redirect(query string) {
	w.p.t.Helper()
	// Not chromedp.Navigate, which waits for a load the page's close cuts short.
	require.NoError(w.p.t, w.w.Run(testTimeout, "sending the window to the redirect page",
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, _, _, _, err := cdppage.Navigate(appURL + "/js/redirect.html?" + query).Do(ctx)
			return err
		})))
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

// Another window of the same app posts a redirect to this one, a real,
// unused code of another flow, with that flow's state and then with this
// flow's: both are ignored, as they come neither from this flow's window
// nor with its ID. Then both windows connect at once, and each gets its
// own code.
func TestCodeFromAnotherFlow(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	a := newPage(t)
	a.configure(in, nil)
	w := a.clickForPopup("#connect")
	w.waitSignInPage()
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
	w.redirect(old)
	e := p.fails("t.last", "AuthorizationError")
	assert.Contains(t, e.Message, "state does not match")
	w.gone(5 * time.Second)
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status, "the first session lives on")

	w = p.clickForPopup("#connect")
	w.waitSignInPage()
	state := p.pendingState()
	w.redirect("code=" + oldQuery.Get("code") + "&state=" + url.QueryEscape(state))
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

// A page on another origin that knows the flow's state opens the redirect
// URL with a code, in a window of its own: the package's redirect page and
// the app's page that imports the module (the default redirect URL) both
// deliver nothing, since that window is not the one the flow opened. The
// real sign-in then completes.
func TestRedirectOpenedByAnotherSite(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	atk := newAttacker(t)
	p := newPage(t)
	p.configure(in, nil)
	w := p.clickForPopup("#connect")
	w.waitSignInPage()
	query := "code=" + anotherFlowCode(t, in) + "&state=" + url.QueryEscape(p.pendingState())

	// The attacker's tab, in the user's browser beside the app.
	tctx, cancel := chromedp.NewContext(p.ctx)
	defer cancel()
	browsertest.Capture(tctx, "attacker", p.log.output)
	require.NoError(t, chromedp.Run(tctx))
	tab := p.bp.Window(&browsertest.Target{Ctx: tctx, ID: chromedp.FromContext(tctx).Target.TargetID})
	for _, tc := range []struct{ path, loaded string }{
		{"/js/redirect.html", "document.getElementById('status')?.textContent.includes('Nothing to do')"},
		{"/test/", "window.t !== undefined"},
	} {
		target := appURL + tc.path + "?" + query
		require.NoError(t, chromedp.Run(tctx, chromedp.Navigate(atk.URL+"/launch.html#"+url.QueryEscape(target))))
		next := tab.Next(browsertest.Popup)
		require.NoError(t, chromedp.Run(tctx, chromedp.Click("#go", chromedp.ByQuery)))
		forged, err := next(10 * time.Second)
		require.NoError(t, err, "the attacker's window for %s", tc.path)
		var loaded bool
		require.NoError(t, forged.Run(10*time.Second, "waiting for "+tc.path,
			chromedp.Poll(tc.loaded, &loaded, chromedp.WithPollingTimeout(10*time.Second))), tc.path)
	}
	// Had either page delivered, the flow would have taken its code first
	// and failed the exchange (the verifier is not that code's).
	w.signIn(browsertest.Allow)
	p.ok("t.last", nil)
	require.Len(t, p.completedQueries(), 1, "one redirect reached the worker")
	assert.NotEqual(t, query, p.completedQueries()[0], "the completed code is the flow's own")
	assert.Equal(t, 1, in.Calls("token:authorization_code"))
}

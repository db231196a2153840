//go:build !js

package e2e

import (
	"context"
	"slices"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/internal/browsertest"
)

var graceOff = map[string]any{"shared": true, "gracePeriod": 0}

// rejoined is what t.get() resolves to after a reload.
type rejoined struct {
	CurrentUser map[string]any `json:"currentUser"`
	At          float64        `json:"at"` // ms from the navigation's start
	MS          float64        `json:"ms"` // of getConnection() itself
}

// rejoin loads path in p, the origin's only window, and requires
// getConnection() to find the session; it returns the time from the start
// of the navigation to the connection, and getConnection()'s own.
func (p *page) rejoin(in *instance, path string) (float64, float64) {
	p.t.Helper()
	p.load(path)
	p.configure(in, sharedOptions)
	var j *rejoined
	p.ok("t.get()", &j)
	require.NotNil(p.t, j, "getConnection() after loading %s finds the session", path)
	require.Equal(p.t, "admin", j.CurrentUser["user_name"])
	return j.At, j.MS
}

// A reload of the app's only window, and a navigation to another page of
// the app, keep the session: getConnection() and connect() find it with no
// window and no request to the instance, and calls work. After a reload,
// concurrent calls with an expired token share one refresh. No token is in
// anything the page can see, before or after.
func TestReloadKeepsSession(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	a := signedIn(t, in, 1)[0]
	assert.True(t, a.eval1("t.infos.some(m => /outlives a reload/.test(m))"), "the log says that the session outlives a reload")
	var before map[string]string
	a.ok("t.snapshot()", &before)
	in.Reset()

	a.run("reloading", chromedp.Reload())
	a.waitFor("window.t?.ready === true", 10*time.Second)
	a.configure(in, sharedOptions)
	var j joined
	a.ok("t.join()", &j) // connect() with a window opener that opens nothing
	assert.Equal(t, "admin", j.CurrentUser["user_name"], "connect() after the reload joins the session")
	assert.Empty(t, in.Requests(), "joining sends no request to the instance")
	assert.Equal(t, 200, a.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)

	a.rejoin(in, "/test/shared.html?another-page")
	assert.Equal(t, 200, a.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
	assert.Zero(t, in.Calls("authorize")+in.Calls("token")+in.Calls("revoke"), "no sign-in, no refresh, no revocation")

	in.ExpireAccessTokens()
	var o outcome
	require.NoError(t, chromedp.Run(a.ctx, browsertest.Evaluate("t.parallel(20, '/api/now/table/incident?sysparm_limit=1')", &o)))
	require.True(t, o.OK, "%s", o.Value)
	assert.Equal(t, 1, in.Calls("token:refresh_token"), "one refresh for concurrent calls")
	a.waitFor("t.hasEvent('refreshed')", 5*time.Second)

	var after map[string]string
	a.ok("t.snapshot()", &after)
	auditSnapshots(t, in, before, after)
}

// auditSnapshots checks what a page held before and after a reload for the
// tokens the instance issued: the code went to the worker once, before.
func auditSnapshots(t *testing.T, in *instance, before, after map[string]string) {
	t.Helper()
	codes := sentCodes(t, before["toWorker"])
	require.Len(t, codes, 1, "one code went to the worker")
	assert.Empty(t, sentCodes(t, after["toWorker"]), "none after the reload")
	var tokens []string
	for _, tok := range in.IssuedTokens() {
		if tok != codes[0] {
			tokens = append(tokens, tok)
		}
	}
	require.GreaterOrEqual(t, len(tokens), 3, "a refresh token and two access tokens")
	for name, snap := range map[string]map[string]string{"before the reload": before, "after it": after} {
		require.NotEmpty(t, snap["fromWorker"], "messages recorded %s", name)
		for where, text := range snap {
			for k, tok := range tokens {
				assert.NotContains(t, text, tok, "token #%d is in the page's %s %s", k, where, name)
			}
			if where != "toWorker" {
				assert.NotContains(t, text, codes[0], "the code is in the page's %s %s", where, name)
			}
		}
	}
}

// The time from a page's navigation to getConnection()'s connection, over
// a few reloads of the only window.
func TestReloadRejoinTime(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	a := signedIn(t, in, 1)[0]
	in.Reset()
	var times, own []float64
	for range 5 {
		at, ms := a.rejoin(in, "/test/shared.html")
		times, own = append(times, at), append(own, ms)
	}
	slices.Sort(times)
	slices.Sort(own)
	t.Logf("page load to rejoined connection: median %.0f ms (of %.0f); getConnection() itself: median %.1f ms", times[2], times, own[2])
	assert.Zero(t, in.Calls("token")+in.Calls("authorize"))
}

// A window closed for longer than the grace period leaves no live token:
// the worker revoked both, which the instance confirms, and the next window
// finds no session.
func TestReloadGraceEnds(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	short := map[string]any{"shared": true, "gracePeriod": 1000}
	a := signedInWith(t, in, 1, short)[0]
	issued := in.IssuedTokens()
	in.Reset()
	// A tab on another origin keeps the browser context, not the worker.
	keep, cancel := chromedp.NewContext(a.ctx)
	defer cancel()
	require.NoError(t, chromedp.Run(keep, chromedp.Navigate(in.URL+"/api/now/table/incident")))

	require.Equal(t, 1, sharedWorkers(t, keep), "one shared worker")
	closed := time.Now()
	a.run("closing the only window", cdppage.Close())
	waitCalls(t, in, "revoke", 2)
	t.Logf("revoked %v after the window closed", time.Since(closed).Round(time.Millisecond))
	assert.GreaterOrEqual(t, time.Since(closed), time.Second, "not before the grace period")
	for i, tok := range issued {
		assert.False(t, in.bearerWorks(t, tok), "token #%d works as an access token", i)
		assert.False(t, in.refreshWorks(t, tok), "token #%d works as a refresh token", i)
	}
	assert.Eventually(t, func() bool { return sharedWorkers(t, keep) == 0 }, 5*time.Second, 20*time.Millisecond, "the worker ends")

	b := a.sibling("/test/shared.html", "window 2") // in the same browser context
	b.configure(in, short)
	var none *joined
	b.ok("t.get()", &none)
	assert.Nil(t, none, "no session")
}

// With the grace period off, a reload ends the session: its tokens are
// revoked, and the reloaded window must sign in again.
func TestReloadGraceOff(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	a := signedInWith(t, in, 1, graceOff)[0]
	assert.True(t, a.eval1("t.infos.some(m => /gracePeriod is 0/.test(m))"), "the log says so")
	in.Reset()
	a.load("/test/shared.html")
	a.configure(in, graceOff)
	e := a.fails("t.join()", "AuthorizationError")
	assert.Contains(t, e.Message, "blocked", "connect() needs the sign-in window")
	waitCalls(t, in, "revoke", 2)
}

// sharedWorkers counts the shared workers of ctx's browser context.
func sharedWorkers(t *testing.T, ctx context.Context) int {
	targets, err := chromedp.Targets(ctx)
	require.NoError(t, err)
	n := 0
	for _, ti := range targets {
		if ti.Type == "shared_worker" && ti.BrowserContextID == chromedp.FromContext(ctx).BrowserContextID {
			n++
		}
	}
	return n
}

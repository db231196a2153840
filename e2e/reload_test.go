//go:build !js

package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
func (p *ewin) rejoin(in *instance, path string) (float64, float64) {
	p.t.Helper()
	p.load(path, sharedReady)
	p.configure(in, sharedOptions)
	var j *rejoined
	p.ok("t.get()", &j)
	require.NotNil(p.t, j, "getConnection() after loading %s finds the session", path)
	require.Equal(p.t, "admin", j.CurrentUser["user_name"])
	return j.At, j.MS
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
// finds no session. Chromium only: the worker's end is seen among DevTools'
// targets.
func TestReloadGraceEnds(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	short := map[string]any{"shared": true, "gracePeriod": 1000}
	a := signedInWith(t, in, 1, short)[0]
	issued := in.IssuedTokens()
	in.Reset()
	// A window on another origin keeps the profile, not the worker.
	keep := a.x.openURL(in.URL+"/api/now/table/incident", "true")
	require.Equal(t, 1, keep.targets("shared_worker", nil), "one shared worker")
	closed := time.Now()
	a.close()
	waitCalls(t, in, "revoke", 2)
	t.Logf("revoked %v after the window closed", time.Since(closed).Round(time.Millisecond))
	assert.GreaterOrEqual(t, time.Since(closed), time.Second, "not before the grace period")
	for i, tok := range issued {
		assert.False(t, in.bearerWorks(t, tok), "token #%d works as an access token", i)
		assert.False(t, in.refreshWorks(t, tok), "token #%d works as a refresh token", i)
	}
	assert.Eventually(t, func() bool { return keep.targets("shared_worker", nil) == 0 }, 5*time.Second, 20*time.Millisecond, "the worker ends")

	b := a.sibling("/test/shared.html") // in the same browser context
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
	a.load("/test/shared.html", sharedReady)
	a.configure(in, graceOff)
	e := a.fails("t.join()", "AuthorizationError")
	assert.Contains(t, e.Message, "blocked", "connect() needs the sign-in window")
	waitCalls(t, in, "revoke", 2)
}

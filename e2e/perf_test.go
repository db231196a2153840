//go:build !js

package e2e

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/engines"
)

// newInstanceMaxAge starts an instance whose CORS rule lets browsers cache
// a preflight for maxAge seconds.
func newInstanceMaxAge(t *testing.T, maxAge int) *instance {
	em := emulator.New(emulator.Config{
		Clients:        []emulator.Client{{ID: clientID, RedirectURIs: []string{appURL + "/test/", appURL + "/js/redirect.html"}}},
		AllowedOrigins: []string{appURL},
		TokenCORS:      true,
		TestControls:   true,
		CORSMaxAge:     maxAge,
	})
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	return &instance{Server: em, URL: srv.URL}
}

// preflights counts the CORS preflights for path.
func (in *instance) preflights(path string) int {
	n := 0
	for _, r := range in.Requests() {
		if r.Method == "OPTIONS" && r.Path == path {
			n++
		}
	}
	return n
}

// With a CORS max age, the worker's fetches reuse the browser's preflight
// cache: one preflight per URL and method, not one per call. Without one,
// every call is preflighted, as the instance asks.
func TestPreflightsAsTheInstanceAllows(t *testing.T) {
	t.Parallel()
	const path = "/api/now/table/incident"
	for _, c := range []struct {
		maxAge  int
		atMost  int
		atLeast int
	}{{maxAge: 600, atMost: 2}, {maxAge: 0, atLeast: 100}} {
		in := newInstanceMaxAge(t, c.maxAge)
		p := newPage(t)
		p.connect(in, nil, 0)
		in.Reset()
		// One call first, then 99 with up to 33 in flight.
		statuses := []int{p.request("'" + path + "?sysparm_limit=1'").Status}
		for range 3 {
			var got []int
			p.ok("t.parallel(33, '"+path+"?sysparm_limit=1')", &got)
			statuses = append(statuses, got...)
		}
		require.Len(t, statuses, 100)
		for _, s := range statuses {
			require.Equal(t, 200, s)
		}
		assert.Equal(t, 100, in.Calls("api"))
		n := in.preflights(path)
		if c.atMost > 0 {
			assert.LessOrEqual(t, n, c.atMost, "preflights with max age %d", c.maxAge)
		} else {
			assert.GreaterOrEqual(t, n, c.atLeast, "preflights with max age %d", c.maxAge)
		}
	}
}

// The module starts a worker when the page is first idle; connect() adopts
// it instead of starting its own, and a later connect() starts a new one.
// prestart(false) ends an unused one.
func TestPrestartedWorkerIsAdopted(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := openPage(t, "/test/index.html?prestart", "window.t !== undefined")
	p.ok("t.sn.prestart().then(() => ({ok: true, value: t.record.workers}), (e) => ({ok: false, error: {message: e.message}}))", nil)
	var workers int
	p.eval("t.record.workers", &workers)
	require.Equal(t, 1, workers, "one worker started ahead of connect()")

	user := p.connect(in, nil, 0)
	assert.Equal(t, "admin", user["user_name"])
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1', 'GET', ''`).Status, "a GET with an empty body")
	p.eval("t.record.workers", &workers)
	assert.Equal(t, 1, workers, "connect() adopted the prestarted worker")

	p.ok("t.disconnect()", nil)
	p.connect(in, nil, 0)
	p.eval("t.record.workers", &workers)
	assert.Equal(t, 2, workers, "the next connect() starts its own")

	// Turned off: the unused worker ends, and connect() starts its own.
	q := openPage(t, "/test/index.html?prestart", "window.t !== undefined")
	q.ok("t.sn.prestart().then(() => t.sn.prestart(false)).then(() => ({ok: true}))", nil)
	q.connect(in, nil, 0)
	q.eval("t.record.workers", &workers)
	assert.Equal(t, 2, workers, "connect() did not adopt a worker prestart(false) ended")
}

// After a sign-in fails (here the user closes the window), a fresh worker
// is started for the next connect(), which adopts it: the failed flow's
// worker, which could have held a token, is ended, not reused. Chromium
// only: which workers run is seen among DevTools' targets.
func TestFailedSignInLeavesAReadyWorker(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := openPage(t, "/test/index.html?prestart", "window.t !== undefined")
	p.ok("t.sn.prestart().then(() => ({ok: true}))", nil)
	p.configure(in, nil)

	start := time.Now()
	w := p.clickForPopup("#connect")
	w.awaitSignInPage()
	first := time.Since(start)
	w.close()
	p.fails("t.last", "AuthorizationError")
	p.waitFor("t.record.workers === 2", 5*time.Second)
	p.ok("t.sn.prestart().then(() => ({ok: true}))", nil) // the spare is ready
	require.Eventually(t, func() bool { return p.workerTargets() == 1 }, 5*time.Second, 50*time.Millisecond,
		"the failed sign-in's worker ended; only the spare is left")

	start = time.Now()
	w = p.clickForPopup("#connect")
	w.awaitSignInPage()
	again := time.Since(start)
	w.signIn(engines.Allow, 0)
	p.ok("t.last", nil)
	var workers int
	p.eval("t.record.workers", &workers)
	assert.Equal(t, 2, workers, "the next connect() adopted the spare")
	t.Logf("click to sign-in page: %v the first time, %v after a closed window", first.Round(time.Millisecond), again.Round(time.Millisecond))
}

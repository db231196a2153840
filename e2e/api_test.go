//go:build !js

package e2e

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
)

// After ExpireAccessTokens, 50 requests at once share one refresh.
func TestConcurrentRefresh(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, nil, 0)
	in.Reset()
	in.ExpireAccessTokens()
	var statuses []int
	p.ok("t.parallel(50, '/api/now/table/incident?sysparm_limit=1')", &statuses)
	assert.Len(t, statuses, 50)
	for _, s := range statuses {
		assert.Equal(t, 200, s)
	}
	assert.Equal(t, 1, in.Calls("token:refresh_token"), "one refresh for 50 requests")
}

// An AbortSignal rejects at once with its reason and cancels the request; a
// timeout rejects with a TimeoutError DOMException.
func TestAbortAndTimeout(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, nil, 0)

	in.Reset()
	in.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 20 * time.Second}) // until Reset
	p.eval("t.abortable('/api/now/table/incident')", nil)
	waitCalls(t, in, "api", 1)
	start := time.Now()
	e := p.fails("t.abort()", "DOMException")
	assert.Equal(t, "AbortError", e.Name)
	assert.Less(t, time.Since(start), 2*time.Second)
	// A custom reason is what rejects.
	p.eval("t.abortable('/api/now/table/incident')", nil)
	waitCalls(t, in, "api", 2)
	o := p.settle("t.abort(new t.sn.ParameterError('stop'))")
	require.False(t, o.OK)
	assert.Equal(t, "stop", o.Error.Message)
	// An already aborted signal never reaches the instance.
	in.Reset()
	o = p.settle("(() => { const c = new AbortController(); c.abort(); return t.request('/api/now/table/incident', 'GET', undefined, false, undefined, {signal: c.signal}); })()")
	require.False(t, o.OK)
	assert.Equal(t, "AbortError", o.Error.Name)
	assert.Zero(t, in.Calls("api"))

	in.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 20 * time.Second, Times: 1})
	start = time.Now()
	e = p.fails("t.request('/api/now/table/incident', 'GET', undefined, false, undefined, {timeout: 300})", "DOMException")
	assert.Equal(t, "TimeoutError", e.Name)
	assert.Less(t, time.Since(start), 5*time.Second)

	// The worker is still fine.
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
}

// waitCalls waits until the instance has counted n calls to endpoint.
func waitCalls(t *testing.T, in *instance, endpoint string, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return in.Calls(endpoint) >= n }, 10*time.Second, 10*time.Millisecond,
		"the instance never saw %d %s calls", n, endpoint)
}

// Bad requests are refused before anything reaches the instance: by the
// bridge (other origins, bad methods) or the worker (paths outside
// allowedPaths, headers it sets itself). Text replies come back as strings.
func TestRequestChecks(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, map[string]any{"allowedPaths": []string{"/api/now/table/"}}, 0)
	in.Reset()
	for _, args := range []string{
		`'https://evil.example/api/now/table/incident'`,
		`'//evil.example/api/now/table/incident'`,
		`'/api/now/stats/incident'`,
		`'/api/now/table/incident', 'GE T'`,
		`'/api/now/table/incident', 'GET', undefined, false, {Authorization: 'Bearer stolen'}`,
		`'/api/now/table/incident', 'GET', undefined, false, undefined, {timeout: -5}`,
		`''`,
	} {
		e := p.fails("t.request("+args+")", "ParameterError")
		assert.NotEmpty(t, e.Message, args)
	}
	assert.Zero(t, in.Calls("api"), "no refused request reaches the instance")

	abs := p.request(`'` + in.URL + `/api/now/table/incident?sysparm_limit=1'`)
	assert.Equal(t, 200, abs.Status, "an absolute URL on the instance is accepted")

	in.InjectFault("/api/now/table/problem", emulator.Fault{HTML: true, Status: 200, Times: 1})
	html := p.request(`'/api/now/table/problem'`)
	assert.Equal(t, 200, html.Status)
	assert.Contains(t, html.Type, "text/html")
	var s string
	require.NoError(t, json.Unmarshal(html.Data, &s))
	assert.Contains(t, s, "<html>")
}

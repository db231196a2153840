//go:build !js

package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
)

// response is an executeApiRequest result.
type response struct {
	Status  int               `json:"status"`
	Data    json.RawMessage   `json:"data"`
	Type    string            `json:"type"`
	Headers map[string]string `json:"headers"`
}

func (p *page) request(args string) response {
	p.t.Helper()
	var r response
	p.ok("t.request("+args+")", &r)
	return r
}

// Connect with a click, sign in, then list, create, update and delete
// incidents; an expired access token is renewed without the caller noticing.
func TestConnectAndTableAPI(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	user := p.connect(in, nil)
	assert.Equal(t, "admin", user["user_name"])
	assert.Equal(t, "6816f79cc0a8016401c5a33be04be441", user["sys_id"])

	var conn struct{ ClientID, InstanceURL string }
	p.eval("({clientId: t.conn.clientId, instanceUrl: t.conn.instanceUrl})", &conn)
	assert.Equal(t, clientID, conn.ClientID)
	assert.Equal(t, in.URL, conn.InstanceURL)

	list := p.request(`'/api/now/table/incident?sysparm_limit=3&sysparm_fields=number,short_description'`)
	assert.Equal(t, 200, list.Status)
	var incidents []map[string]any
	require.NoError(t, json.Unmarshal(list.Data, &incidents))
	assert.Len(t, incidents, 3, "the {result} envelope is removed")
	assert.Contains(t, incidents[0], "number")
	assert.NotEmpty(t, list.Headers["x-total-count"])
	assert.Contains(t, list.Headers["link"], `rel="next"`)
	assert.Contains(t, list.Type, "application/json")

	created := p.request(`'api/now/table/incident', 'POST', {short_description: 'Printer on fire', urgency: '1'}`)
	assert.Equal(t, 201, created.Status)
	var inc map[string]any
	require.NoError(t, json.Unmarshal(created.Data, &inc))
	id, _ := inc["sys_id"].(string)
	require.Len(t, id, 32)
	assert.Equal(t, "Printer on fire", inc["short_description"])
	assert.True(t, strings.HasPrefix(inc["number"].(string), "INC"))

	updated := p.request(`'/api/now/table/incident/` + id + `', 'PATCH', {short_description: 'Printer extinguished'}`)
	assert.Equal(t, 200, updated.Status)
	require.NoError(t, json.Unmarshal(updated.Data, &inc))
	assert.Equal(t, "Printer extinguished", inc["short_description"])

	// A string body goes as is, with the caller's Content-Type.
	put := p.request(`'/api/now/table/incident/` + id + `', 'PUT', '{"state":"2"}', false, {'content-type': 'application/json'}`)
	assert.Equal(t, 200, put.Status)

	deleted := p.request(`'/api/now/table/incident/` + id + `', 'DELETE'`)
	assert.Equal(t, 204, deleted.Status)
	assert.Empty(t, deleted.Data, "no data for 204")

	e := p.fails(`t.request('/api/now/table/incident/`+id+`')`, "ApiRequestError")
	assert.Equal(t, 404, e.Status)
	assert.Equal(t, "No Record found", e.Message)
	assert.Contains(t, string(e.Data), `"status":"failure"`)

	// suppressResponseBody: no data, X-no-response-body sent.
	quiet := p.request(`'/api/now/table/incident', 'POST', {short_description: 'quiet'}, true`)
	assert.Equal(t, 201, quiet.Status)
	assert.Empty(t, quiet.Data)

	// Refresh: the next request is answered 401, renewed once, and retried.
	in.Reset()
	in.ExpireAccessTokens()
	again := p.request(`'/api/now/table/incident?sysparm_limit=1'`)
	assert.Equal(t, 200, again.Status)
	assert.Equal(t, 1, in.Calls("token:refresh_token"))
	p.waitFor("t.record.connEvents.some(e => e.name === 'refreshed')", 5*time.Second)
	var names []string
	p.eval("t.record.connEvents.map(e => e.name)", &names)
	assert.Equal(t, []string{"refreshing", "refreshed"}, names, "the connection announces the renewal as it starts and ends")

	// A write answered 401 is sent again, body and all, with the renewed
	// token: its body, the page's buffer, is the worker's to send twice.
	in.Reset()
	in.ExpireAccessTokens()
	renewed := p.request(`'/api/now/table/incident', 'POST', {short_description: 'after a 401'}`)
	require.Equal(t, 201, renewed.Status, "a POST answered 401 is renewed and sent again")
	assert.Contains(t, string(renewed.Data), `"short_description":"after a 401"`)
	assert.Equal(t, 1, in.Calls("token:refresh_token"))

	// The one violation is enableLogging()'s check that blob: workers are
	// refused: had the CSP allowed one, it would have warned instead.
	var violations []string
	p.eval("t.record.violations", &violations)
	assert.Equal(t, []string{"worker-src blob"}, violations, "the page runs under a strict CSP without other violations")
}

// After ExpireAccessTokens, 50 requests at once share one refresh.
func TestConcurrentRefresh(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, nil)
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

// A refresh that fails ends the session with AuthTokenExpiredError; a new
// connect() (a new click) works.
func TestExpiredRefreshToken(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, nil)
	in.RevokeRefreshTokens()
	in.ExpireAccessTokens()
	e := p.fails("t.request('/api/now/table/incident')", "AuthTokenExpiredError")
	assert.True(t, e.Is["ApiError"])
	p.waitFor("t.record.connEvents.some(e => e.name === 'expired')", 5*time.Second)
	// Later calls fail the same way, without reaching the instance.
	in.Reset()
	p.fails("t.request('/api/now/table/incident')", "AuthTokenExpiredError")
	assert.Zero(t, in.Calls("api"))

	// The instance remembers the browser's login, so the popup shows consent only.
	user := p.connect(in, nil)
	assert.Equal(t, "admin", user["user_name"])
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
}

// An AbortSignal rejects at once with its reason and cancels the request; a
// timeout rejects with a TimeoutError DOMException.
func TestAbortAndTimeout(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, nil)

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
	p.connect(in, map[string]any{"allowedPaths": []string{"/api/now/table/"}})
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

//go:build !js

package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
)

// Through the public API: URLs off the instance, path tricks, header
// injection, credentials of the caller's own, and oversized or unencodable
// data are refused with a ParameterError naming the value, before anything
// reaches the instance; legitimate calls still work, and no token leaves.
func TestHostileRequests(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	atk := newAttacker(t)
	host := strings.TrimPrefix(atk.URL, "http://")
	instHost := strings.TrimPrefix(in.URL, "http://")
	p := newPage(t)
	p.connect(in, nil, 0)
	in.Reset()

	for _, c := range []struct{ args, want string }{
		// Off the instance.
		{`'` + atk.URL + `/api/now/table/incident'`, host},
		{`'` + atk.URL + `'`, host},
		{`'//` + host + `/api/now/table/incident'`, host},
		{`'///` + host + `/api'`, host},
		{`'/\\` + host + `/api'`, host},
		{`'\\\\` + host + `\\api'`, host},
		{`'http:` + host + `/api'`, host},
		{`'HTTP://` + strings.ToUpper(host) + `/api'`, host},
		{`'http://` + instHost + `@` + host + `/api'`, host},
		{`' //` + host + `/api'`, host},
		{`'javascript:alert(1)'`, "javascript:alert(1)"},
		{`'data:text/html,hi'`, "data:text/html"},
		// Off the path.
		{`'/api/now/table/incident%2f..%2f..%2foauth_token.do'`, "%2f"},
		{`'/api/now/table/%2e%2e/%2e%2e/oauth_token.do'`, "%2e%2e"},
		{`'/api/now/table/../../oauth_token.do'`, "../../oauth_token.do"},
		{`'/api/now/table/incident\\..\\..\\oauth_token.do'`, "oauth_token.do"},
		{`'/api/now/%5c%5c` + host + `'`, "%5c"},
		{`'/api/now/table/incident#@` + host + `'`, host},
		{`'/api/now/table/incident\r\nHost: ` + host + `'`, host},
		{`'/api/now/table/incident\u0000'`, "incident"},
		// Headers.
		{`'/api/now/table/incident', 'GET', undefined, false, {'X-A': 'v\r\nAuthorization: Bearer x'}`, `"X-A"`},
		{`'/api/now/table/incident', 'GET', undefined, false, {'X-A\r\nAuthorization': 'Bearer x'}`, "X-A"},
		{`'/api/now/table/incident', 'GET', undefined, false, {'X-A': 'v\u0000'}`, `"X-A"`},
		{`'/api/now/table/incident', 'GET', undefined, false, {Authorization: 'Bearer mine'}`, `"Authorization"`},
		{`'/api/now/table/incident', 'GET', undefined, false, {authorization: 'Basic YTpi'}`, `"authorization"`},
		{`'/api/now/table/incident', 'GET', undefined, false, {'Proxy-Authorization': 'Basic YTpi'}`, `"Proxy-Authorization"`},
		{`'/api/now/table/incident', 'GET', undefined, false, {Cookie: 'JSESSIONID=x'}`, `"Cookie"`},
		{`'/api/now/table/incident', 'GET', undefined, false, {Host: '` + host + `'}`, `"Host"`},
		{`'/api/now/table/incident', 'GET', undefined, false, {Origin: '` + atk.URL + `'}`, `"Origin"`},
		{`'/api/now/table/incident', 'GET', undefined, false, {'X-Note': 'price in \u20ac'}`, `"X-Note"`},
		{`'/api/now/table/incident', 'GET', undefined, false, {'X-A': {}}`, `"X-A"`},
		{`'/api/now/table/incident', 'GET', undefined, false, 'Authorization: Bearer x'`, "Invalid headers"},
		// Methods and data.
		{`'/api/now/table/incident', 'GET\r\nX-A: b'`, "httpMethod"},
		{`'/api/now/table/incident', 'TRACE'`, `"TRACE"`},
		{`'/api/now/table/incident', 'POST', new Uint8Array(64 * 1024 * 1024 + 1)`, "67108865 bytes; the limit is 67108864"},
		{`'/api/now/table/incident', 'POST', (() => { const o = {}; o.self = o; return o; })()`, "cannot be JSON-encoded"},
		{`'/api/now/table/incident', 'POST', () => 1`, "Invalid request data"},
		{`'/api/now/table/incident', 'GET', undefined, false, undefined, {timeout: 3e9}`, "options.timeout 3000000000"},
		{`'/api/now/table/incident', 'GET', undefined, false, undefined, {timeout: NaN}`, "options.timeout NaN"},
		{`'/api/now/table/incident', 'GET', undefined, false, undefined, {timeout: -1}`, "or 0 or Infinity for none"},
	} {
		e := p.fails("t.request("+c.args+")", "ParameterError")
		assert.Contains(t, e.Message, c.want, c.args)
		says := strings.Contains(e.Message, "want") || strings.Contains(e.Message, "leave it out") || strings.Contains(e.Message, "the limit is")
		assert.True(t, says, "%s: the message says what is expected: %s", c.args, e.Message)
	}
	assert.Zero(t, in.Calls("api"), "no refused request reaches the instance")

	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status, "the connection still works")
	p.assertNoTokenInPage(in)
	atk.assertNoToken(t, in)
	assert.Empty(t, atk.requests(), "nothing reached the attacker")
}

// disconnect() with 20 requests pending: each rejects at once, the tokens
// are revoked, and the worker stops. Chromium only: that the worker ends is
// seen among DevTools' targets.
func TestDisconnectMidFlight(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, nil, 0)
	issued := in.IssuedTokens()
	in.Reset()
	in.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 20 * time.Second})
	// Distinct URLs: the browser's HTTP cache would queue identical GETs.
	p.eval("(t.all = Promise.all(Array.from({length: 20}, (_, i) => t.request('/api/now/table/incident?sysparm_offset=' + i))), true)", nil)
	waitCalls(t, in, "api", 6) // the browser's connection limit per host; the rest wait in the browser

	start := time.Now()
	p.ok("t.disconnect()", nil)
	var all []outcome
	p.eval("t.all", &all)
	assert.Less(t, time.Since(start), 3*time.Second, "disconnect() and the 20 rejections took too long")
	require.Len(t, all, 20)
	for i, o := range all {
		require.False(t, o.OK, "request %d succeeded", i)
		e := o.Error
		assert.True(t, e.Is["InitializationError"] || e.Name == "AbortError", "request %d: %s %q", i, e.Name, e.Message)
		assert.Contains(t, e.Message, "closed", "request %d", i)
	}
	assert.Equal(t, 2, in.Calls("revoke"))
	for i, tok := range issued {
		assert.False(t, in.bearerWorks(t, tok) || in.refreshWorks(t, tok), "issued token #%d still works", i)
	}
	assert.Eventually(t, func() bool { return p.workerTargets() == 0 }, 5*time.Second, 20*time.Millisecond, "the worker is terminated")
}

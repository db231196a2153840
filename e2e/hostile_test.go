//go:build !js

package e2e

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
)

// The live connection's worker, captured by the test page's Worker wrapper
// as a script that ran before the module could.
const liveWorker = "t.workers[0]"

func request(id int64, params string) string { return envelope(id, "executeApiRequest", params) }

// Script in the page posts malformed, oversized, wrong-typed, unknown and
// out-of-order messages straight to the live connection's worker. Each gets
// a ParameterError (or the error its op calls for) naming the field, the
// worker keeps serving, and no token reaches the page or the attacker.
// Chromium only: that the worker ends is seen among DevTools' targets.
func TestHostileMessages(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	atk := newAttacker(t)
	atkHost := strings.TrimPrefix(atk.URL, "http://")
	p := newPage(t)
	p.connect(in, nil, 0)
	var query string // the redirect query the module sent, to replay
	p.eval(`JSON.parse(t.record.toWorker.find(m => m.json.includes('completeAuthorization')).json).params.query`, &query)
	require.Contains(t, query, "code=")
	in.Reset()

	big := `'a'.repeat(1 << 20)`
	p.check(liveWorker, []rawCase{
		{"a string", `'hello'`, 0, "ParameterError", []string{"message is string", "want an object {json"}},
		{"null", `null`, 0, "ParameterError", []string{"message is null"}},
		{"an array", `[1, 2]`, 0, "ParameterError", []string{"message.json is undefined", "want a string"}},
		{"json a number", `{json: 42}`, 0, "ParameterError", []string{"message.json is number"}},
		{"json not JSON", `{json: 'not json'}`, 0, "ParameterError", []string{"not a JSON object"}},
		{"json an array", `{json: '[]'}`, 0, "ParameterError", []string{"not a JSON object"}},
		{"json nested 100000 deep", `{json: '['.repeat(100000)}`, 0, "ParameterError", []string{"not a JSON object"}},
		{"envelope over 1 MiB", request(900001, `{path: '/api/now/table/incident', headers: {'X-Pad': `+big+`}}`), 0,
			"ParameterError", []string{"characters; the limit is 1048576"}},
		{"an unknown envelope field", `{json: JSON.stringify({id: 900002, op: 'executeApiRequest', params: {path: '/x'}, token: 'give'})}`, 0,
			"ParameterError", []string{`unknown field "token"`, "want only id, op and params"}},
		{"id a string", `{json: JSON.stringify({id: '7', op: 'cancel', params: {id: 7}})}`, 0, "ParameterError", []string{`id is "7"`, "want an integer"}},
		{"id 0", `{json: JSON.stringify({id: 0, op: 'cancel', params: {id: 7}})}`, 0, "ParameterError", []string{"id is 0"}},
		{"id negative", `{json: JSON.stringify({id: -5, op: 'cancel', params: {id: 7}})}`, 0, "ParameterError", []string{"id is -5"}},
		{"id a fraction", `{json: JSON.stringify({id: 1.5, op: 'cancel', params: {id: 7}})}`, 0, "ParameterError", []string{"id is 1.5"}},
		{"id over 2^53-1", `{json: '{"id": 9007199254740993, "op": "cancel", "params": {"id": 7}}'}`, 0, "ParameterError", []string{"id is 9007199254740993"}},
		{"id missing", `{json: JSON.stringify({op: 'cancel', params: {id: 7}})}`, 0, "ParameterError", []string{"id is missing"}},
		{"op a number", `{json: JSON.stringify({id: 900003, op: 5, params: {}})}`, 900003, "ParameterError", []string{"op is 5", "want one of"}},
		{"op getToken", envelope(900004, "getToken", `{}`), 900004, "ParameterError", []string{`op "getToken" is unknown`}},
		{"op __proto__", envelope(900005, "__proto__", `{}`), 900005, "ParameterError", []string{`op "__proto__" is unknown`}},
		{"params a string", request(900006, `'/api/now/table/incident'`), 900006, "ParameterError", []string{"params is a string", "want an object"}},
		{"path a number", request(900007, `{path: 5}`), 900007, "ParameterError", []string{"params.path is a number", "want a string"}},
		{"path missing", request(900008, `{method: 'GET'}`), 900008, "ParameterError", []string{"params.path is missing"}},
		{"headers an array", request(900009, `{path: '/x', headers: ['Authorization: x']}`), 900009, "ParameterError", []string{"params.headers has an array value", "want an object"}},
		{"a header value a number", request(900010, `{path: '/x', headers: {'X-A': 5}}`), 900010, "ParameterError", []string{"params.headers has a number value", "values are strings"}},
		{"params field url", request(900011, `{path: '/x', url: '`+atk.URL+`'}`), 900011, "ParameterError", []string{`unknown field "url"`}},
		{"timeoutMs, which the page owns", request(900012, `{path: '/x', timeoutMs: 5}`), 900012, "ParameterError", []string{`unknown field "timeoutMs"`}},
		{"body a string", `{json: JSON.stringify({id: 900013, op: 'executeApiRequest', params: {path: '/x', method: 'POST'}}), body: 'text'}`, 0,
			"ParameterError", []string{"message.body is string", "want an ArrayBuffer"}},
		{"a body for cancel", `{json: JSON.stringify({id: 900014, op: 'cancel', params: {id: 7}}), body: new ArrayBuffer(4)}`, 900014,
			"ParameterError", []string{`op "cancel" takes no body`}},
		{"path on the attacker", request(900015, `{path: '`+atk.URL+`/api/now/table/incident'}`), 900015, "ParameterError", []string{atk.URL, "is an absolute URL"}},
		{"path protocol-relative", request(900016, `{path: '//`+atkHost+`/api'}`), 900016, "ParameterError", []string{atkHost, "protocol-relative"}},
		{"path with encoded dots", request(900017, `{path: '/api/now/table/%2e%2e/%2e%2e/oauth_token.do'}`), 900017, "ParameterError", []string{"%2e%2e", "encoded"}},
		{"path with backslashes", request(900018, `{path: '/api/now/table/..\\..\\oauth_token.do'}`), 900018, "ParameterError", []string{"oauth_token.do", "backslash"}},
		{"path with dot segments", request(900019, `{path: '/api/now/table/../../oauth_token.do'}`), 900019, "ParameterError", []string{"'..' segment"}},
		{"CR LF in a header value", request(900020, `{path: '/api/now/table/incident', headers: {'X-A': 'v\r\nAuthorization: Bearer x'}}`), 900020,
			"ParameterError", []string{`header "X-A" has a value`, "want one line"}},
		{"a header value beyond Latin-1", request(900034, `{path: '/api/now/table/incident', headers: {'X-Note': 'price in \u20ac'}}`), 900034,
			"ParameterError", []string{`header "X-Note" has a value`, "want one line"}},
		{"CR LF in a header name", request(900021, `{path: '/api/now/table/incident', headers: {'X-A\r\nAuthorization': 'Bearer x'}}`), 900021,
			"ParameterError", []string{"is not a header name"}},
		{"its own Authorization", request(900022, `{path: '/api/now/table/incident', headers: {Authorization: 'Bearer attacker'}}`), 900022,
			"ParameterError", []string{`header "Authorization" is set by the worker`}},
		{"a Cookie header", request(900023, `{path: '/api/now/table/incident', headers: {Cookie: 'JSESSIONID=x'}}`), 900023, "ParameterError", []string{`header "Cookie"`}},
		{"a Host header", request(900024, `{path: '/api/now/table/incident', headers: {Host: '`+atkHost+`'}}`), 900024, "ParameterError", []string{`header "Host"`}},
		{"an Origin header", request(900025, `{path: '/api/now/table/incident', headers: {Origin: '`+atk.URL+`'}}`), 900025, "ParameterError", []string{`header "Origin"`}},
		{"method TRACE", request(900026, `{path: '/api/now/table/incident', method: 'TRACE'}`), 900026, "ParameterError", []string{`httpMethod "TRACE"`, "want one of GET, POST, PUT, PATCH, DELETE"}},
		{"a second init, on the attacker", envelope(900027, "init", `{instanceUrl: '`+atk.URL+`', clientId: 'evil', redirectUri: '`+atk.URL+`/cb'}`), 900027,
			"InitializationError", []string{"already initialised"}},
		{"completeAuthorization with no flow", envelope(900028, "completeAuthorization", `{query: 'code=forged&state=forged'}`), 900028,
			"AuthorizationError", []string{"no authorization is in progress"}},
		{"the redirect query replayed", envelope(900029, "completeAuthorization", `{query: `+strconv.Quote(query)+`}`), 900029,
			"AuthorizationError", []string{"no authorization is in progress"}},
		{"cancel id 0", envelope(900030, "cancel", `{id: 0}`), 900030, "ParameterError", []string{"params.id is 0"}},
	})
	var cancelled struct{ Cancelled bool }
	r := p.raw(liveWorker, envelope(900032, "cancel", `{id: 123457}`), 900032)
	require.NoError(t, json.Unmarshal(r.Result, &cancelled))
	assert.False(t, cancelled.Cancelled, "nothing to cancel")

	// A body over 64 MiB, transferred.
	p.check(liveWorker, []rawCase{{"a body over 64 MiB",
		`(() => { const b = new ArrayBuffer(64 * 1024 * 1024 + 1); return {json: JSON.stringify({id: 900033, op: 'executeApiRequest', params: {path: '/api/now/table/incident', method: 'POST'}}), body: b}; })()`,
		900033, "ParameterError", []string{"body is 67108865 bytes; the limit is 67108864"}}})

	// Duplicate ids: the second use of a pending request's id is refused.
	in.InjectFault("/api/now/table/problem", emulator.Fault{Delay: 20 * time.Second})
	slow := request(900040, `{path: '/api/now/table/problem'}`)
	p.eval(fmt.Sprintf("(t.dup = t.raw(%s, %s, {id: 900040, count: 2, timeout: 15000}), true)", liveWorker, slow), nil)
	waitCalls(t, in, "api", 1)
	p.check(liveWorker, []rawCase{{"a duplicate id", slow, 900040, "ParameterError", []string{"id 900040 is already in use"}}})
	r = p.raw(liveWorker, envelope(900041, "cancel", `{id: 900040}`), 900041)
	require.NoError(t, json.Unmarshal(r.Result, &cancelled))
	assert.True(t, cancelled.Cancelled, "the pending request is cancelled")
	var dup []wireReply
	p.ok("t.dup", &dup)
	require.Len(t, dup, 2, "the refusal, then the cancelled request's reply")
	assert.Equal(t, "AbortError", dup[1].Error.Name)

	// No second authorization on a connected worker: it would replace the
	// session's tokens.
	p.check(liveWorker, []rawCase{
		{"beginAuthorization while connected", envelope(900042, "beginAuthorization", `{}`), 900042, "AuthorizationError", []string{"already connected"}},
		{"completeAuthorization after it", envelope(900043, "completeAuthorization", `{query: 'code=forged&state=forged'}`), 900043,
			"AuthorizationError", []string{"no authorization is in progress"}},
	})

	// The worker still serves the page, and nothing leaked.
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
	assert.Zero(t, in.Calls("token"), "nothing reached the token endpoint")
	p.assertNoTokenInPage(in)
	atk.assertNoToken(t, in)

	// Last: the attacker can end the session; the module says so, and stops
	// the worker once it has revoked the tokens.
	p.eval(fmt.Sprintf("(%s.postMessage(%s), true)", liveWorker, envelope(900050, "disconnect", `{}`)), nil)
	p.waitFor("t.record.connEvents.some(e => e.name === 'disconnected')", 5*time.Second)
	e := p.fails("t.request('/api/now/table/incident')", "InitializationError")
	assert.Contains(t, e.Message, "connect() again")
	assert.Equal(t, 2, in.Calls("revoke"), "both tokens revoked")
	assert.Eventually(t, func() bool { return p.workerTargets() == 0 }, 5*time.Second, 20*time.Millisecond, "the worker is terminated")
}

// A worker the attacker starts itself from /js/worker.js, with no bridge:
// requests before init, bad inits, and ops out of order all fail clearly,
// and nothing reaches the token endpoint.
func TestHostileFreshWorker(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	atk := newAttacker(t)
	p := newPage(t)
	p.eval("(t.fresh = t.spawn(), true)", nil)
	const w = "t.fresh"
	notInit := []string{"not initialised", "send init first"}
	init := func(id int64, fields string) string {
		// Endpoints named, as the module always names them: "auto" (the
		// default) would send the token endpoint its probe once the flow begins.
		return envelope(id, "init", `{instanceUrl: '`+in.URL+`', clientId: 'e2e-client', redirectUri: '`+appURL+`/js/redirect.html', endpoints: 'servicenow'`+fields+`}`)
	}
	p.check(w, []rawCase{
		{"a request before init", request(1, `{path: '/api/now/table/incident'}`), 1, "InitializationError", notInit},
		{"beginAuthorization before init", envelope(2, "beginAuthorization", `{}`), 2, "InitializationError", notInit},
		{"completeAuthorization before init", envelope(3, "completeAuthorization", `{query: 'code=c&state=s'}`), 3, "InitializationError", notInit},
		{"cancel before init", envelope(4, "cancel", `{id: 1}`), 4, "InitializationError", notInit},
		{"disconnect before init", envelope(5, "disconnect", `{}`), 5, "InitializationError", notInit},
		{"init with nothing", envelope(6, "init", `{}`), 6, "ParameterError", []string{"params.instanceUrl is missing"}},
		{"init with a javascript: instance", envelope(7, "init", `{instanceUrl: 'javascript:alert(1)', clientId: 'x', redirectUri: '`+atk.URL+`/cb'}`), 7,
			"ParameterError", []string{`instanceUrl "javascript:alert(1)"`, "want https://"}},
		{"init with plain http off localhost", envelope(8, "init", `{instanceUrl: 'http://evil.example', clientId: 'x', redirectUri: '`+atk.URL+`/cb'}`), 8,
			"ParameterError", []string{`instanceUrl "http://evil.example"`}},
		{"init with an instance path", envelope(9, "init", `{instanceUrl: '`+in.URL+`/evil', clientId: 'x', redirectUri: '`+atk.URL+`/cb'}`), 9,
			"ParameterError", []string{"instanceUrl", "/evil"}},
		{"init with a negative timeout", init(10, `, timeoutMs: -1`), 10, "ParameterError", []string{"params.timeoutMs is -1"}},
		{"init with a string timeout", init(11, `, timeoutMs: '5'`), 11, "ParameterError", []string{"params.timeoutMs is a string", "want an integer"}},
		{"init with scopes a string", init(12, `, scopes: 'useraccount'`), 12, "ParameterError", []string{"params.scopes is a string"}},
		{"init with a token path on the attacker", init(13, `, tokenPath: '//`+strings.TrimPrefix(atk.URL, "http://")+`/token'`), 13,
			"ParameterError", []string{"tokenPath", "not a path on the instance"}},
		{"init with an allowed path on the attacker", init(14, `, allowedPaths: ['`+atk.URL+`/']`), 14, "ParameterError", []string{"allowedPaths entry", atk.URL}},
		{"init with a client ID on two lines", envelope(15, "init", `{instanceUrl: '`+in.URL+`', clientId: 'a\nb', redirectUri: '`+atk.URL+`/cb'}`), 15,
			"ParameterError", []string{"clientId"}},
		{"init with a javascript: redirect", envelope(16, "init", `{instanceUrl: '`+in.URL+`', clientId: 'x', redirectUri: 'javascript:alert(1)'}`), 16,
			"ParameterError", []string{`redirectUri "javascript:alert(1)"`}},
		{"init", init(17, ""), 17, "", nil},
		{"completeAuthorization with no flow", envelope(18, "completeAuthorization", `{query: 'code=c&state=s'}`), 18, "AuthorizationError", []string{"no authorization is in progress"}},
		{"a request with no token", request(19, `{path: '/api/now/table/incident'}`), 19, "AuthTokenExpiredError", []string{"there is no token"}},
		{"a second init", init(20, ""), 20, "InitializationError", []string{"already initialised"}},
		{"beginAuthorization setting state", envelope(21, "beginAuthorization", `{authFlowParams: {state: 'mine'}}`), 21, "ParameterError", []string{`authFlowParams key "state"`}},
		{"beginAuthorization", envelope(22, "beginAuthorization", `{}`), 22, "", nil},
		{"a redirect with another state", envelope(23, "completeAuthorization", `{query: 'code=c&state=another'}`), 23, "AuthorizationError", []string{"state does not match"}},
		{"the flow completed twice", envelope(24, "completeAuthorization", `{query: 'code=c&state=another'}`), 24, "AuthorizationError", []string{"no authorization is in progress"}},
	})
	assert.Zero(t, in.Calls("token"), "nothing reached the token endpoint")
	assert.Empty(t, atk.requests(), "nothing reached the attacker")
	p.eval("(t.fresh.terminate(), true)", nil)
}

//go:build !js

package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/engines"
)

// tokenFault is something a token endpoint may do wrong.
type tokenFault struct {
	what  string
	fault emulator.Fault
}

// tokenFaults apply until Reset: the browser may resend a request whose
// connection dropped.
func tokenFaults(atk *attacker) []tokenFault {
	return []tokenFault{
		{"500", emulator.Fault{Status: 500}},
		{"an HTML page", emulator.Fault{HTML: true, Status: 200}},
		{"a truncated body", emulator.Fault{Truncate: true}},
		{"a stall past tokenTimeout", emulator.Fault{Delay: 20 * time.Second}},
		{"a dropped connection", emulator.Fault{Drop: true}},
		{"a 307 to the attacker", emulator.Fault{Redirect: atk.URL + "/oauth_token.do", Status: 307}},
	}
}

const tokenTimeout = 500 // ms, for the stalled token endpoint

// A token endpoint that fails during the code exchange fails connect()
// with AuthorizationError within a bounded time and leaves no token; a new
// connect() then works.
func TestTokenFaultsOnConnect(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	atk := newAttacker(t)
	p := newPage(t)
	opts := map[string]any{"tokenTimeout": tokenTimeout}
	p.configure(in, opts)
	for _, c := range tokenFaults(atk) {
		in.Reset()
		in.InjectFault("/oauth_token.do", c.fault)
		p.clickForPopup("#connect").signIn(engines.Allow, 0)
		start := time.Now()
		e := p.fails("t.last", "AuthorizationError")
		assert.Less(t, time.Since(start), 5*time.Second, "%s: connect() took too long to fail", c.what)
		assert.Contains(t, e.Message, "code", "%s: %s", c.what, e.Message)
		assert.Contains(t, e.Message, "connect() again", c.what)
		in.Reset() // so that the fault does not answer liveTokens' calls
		assert.Zero(t, liveTokens(t, in), "%s left a token", c.what)
	}
	assert.Empty(t, atk.requests(), "the code and verifier never went to the attacker")
	var timeouts []int
	p.eval(`t.record.toWorker.map(m => JSON.parse(m.json)).filter(r => r.op === 'init').map(r => r.params.timeoutMs)`, &timeouts)
	assert.Equal(t, []int{500, 500, 500, 500, 500, 500}, timeouts, "options.tokenTimeout is init's timeoutMs")

	in.Reset()
	p.connect(in, opts, 0)
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
	atk.assertNoToken(t, in)
}

// A token endpoint that fails a refresh fails the request with
// ApiRequestError within a bounded time, and keeps the session: once the
// endpoint recovers, the next request refreshes and succeeds.
func TestTokenFaultsOnRefresh(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	atk := newAttacker(t)
	p := newPage(t)
	p.connect(in, map[string]any{"tokenTimeout": tokenTimeout}, 0)
	for _, c := range tokenFaults(atk) {
		in.Reset()
		in.InjectFault("/oauth_token.do", c.fault)
		in.ExpireAccessTokens()
		start := time.Now()
		e := p.fails("t.request('/api/now/table/incident?sysparm_limit=1')", "ApiRequestError")
		assert.Less(t, time.Since(start), 5*time.Second, "%s: the request took too long to fail", c.what)
		assert.Contains(t, e.Message, "refresh", "%s: %s", c.what, e.Message)
		// The browser itself may resend a request whose reused connection closed.
		assert.LessOrEqual(t, in.Calls("token:refresh_token"), 2, "%s: one refresh, not retried", c.what)

		in.Reset()
		assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status, "after %s", c.what)
		assert.Equal(t, 1, in.Calls("token:refresh_token"), "after %s", c.what)
	}
	p.assertNoTokenInPage(in)
	atk.assertNoToken(t, in)
}

// Faults on an API path: a redirect to another origin is not followed (the
// token stays on the instance), and a response that breaks off or never
// comes fails with ApiRequestError; the connection keeps working. A revoke
// endpoint that redirects gets no token either.
func TestAPIFaults(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	atk := newAttacker(t)
	p := newPage(t)
	p.connect(in, nil, 0)
	for _, c := range []struct {
		what   string
		fault  emulator.Fault
		status int
		want   string
	}{
		{"a 302 to the attacker", emulator.Fault{Redirect: atk.URL + "/steal"}, 0, "redirect"},
		{"a 307 to the attacker", emulator.Fault{Redirect: atk.URL + "/steal", Status: 307}, 0, "redirect"},
		{"a truncated body", emulator.Fault{Truncate: true}, 0, "failed"},
		{"a dropped connection", emulator.Fault{Drop: true}, 0, "failed"},
		{"an HTML 503", emulator.Fault{HTML: true, Status: 503}, 503, "503"},
	} {
		in.Reset()
		in.InjectFault("/api/now/table/incident", c.fault)
		e := p.fails("t.request('/api/now/table/incident', 'POST', {short_description: 'x'})", "ApiRequestError")
		assert.Equal(t, c.status, e.Status, c.what)
		assert.Contains(t, e.Message, c.want, "%s: %s", c.what, e.Message)
		assert.Equal(t, 200, p.request(`'/api/now/table/sys_user?sysparm_limit=1'`).Status, "after %s", c.what)
	}

	in.InjectFault("/oauth_revoke_token.do", emulator.Fault{Redirect: atk.URL + "/oauth_revoke_token.do", Status: 307})
	p.ok("t.disconnect()", nil)
	assert.Equal(t, 2, in.Calls("revoke"), "both revocations were tried")
	assert.Empty(t, atk.requests(), "nothing followed a redirect to the attacker")
	atk.assertNoToken(t, in)
}

// A worker terminated by script in the page sends no event: pending calls,
// and calls made later, reject with InitializationError within a few
// seconds (the module checks the worker still answers), the connection
// announces it, and connect() works again.
func TestWorkerTerminated(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, nil, 0)
	in.Reset()
	in.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 20 * time.Second})
	p.eval("t.abortable('/api/now/table/incident')", nil)
	waitCalls(t, in, "api", 1)

	p.eval("(t.workers[0].terminate(), true)", nil)
	start := time.Now()
	e := p.fails("t.pending", "InitializationError")
	assert.Less(t, time.Since(start), 6*time.Second)
	assert.Contains(t, e.Message, "stopped answering")
	assert.Contains(t, e.Message, "connect() again")
	p.waitFor("t.record.connEvents.some(e => e.name === 'disconnected' && e.detail.reason === 'fatal')", 5*time.Second)
	p.fails("t.request('/api/now/table/incident')", "InitializationError")

	// Terminating the worker revokes nothing: the tokens lapse when they expire.
	assert.Zero(t, in.Calls("revoke"), "a terminated worker revoked something")
	live := 0
	for _, tok := range in.IssuedTokens() {
		if in.bearerWorks(t, tok) {
			live++
		}
	}
	assert.Equal(t, 1, live, "the access token still works after the worker was terminated")

	// Terminated while idle: the next call finds out.
	in.Reset()
	p.connect(in, nil, 0)
	p.eval("(t.workers[1].terminate(), true)", nil)
	start = time.Now()
	e = p.fails("t.request('/api/now/table/incident?sysparm_limit=1')", "InitializationError")
	assert.Less(t, time.Since(start), 6*time.Second)
	assert.Contains(t, e.Message, "stopped answering")

	p.connect(in, nil, 0)
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
}

// A real Go panic in the worker (panic.wasm panics when told to) rejects
// pending calls with InitializationError carrying the panic, and
// connect() works again.
func TestWorkerPanics(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, map[string]any{"wasmUrl": appURL + "/js/panic.wasm"}, 0)
	in.Reset()
	in.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 20 * time.Second})
	p.eval("t.abortable('/api/now/table/incident')", nil)
	waitCalls(t, in, "api", 1)

	p.eval("(t.workers[0].postMessage({panic: 'test panic: boom'}), true)", nil)
	start := time.Now()
	e := p.fails("t.pending", "InitializationError")
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.Contains(t, e.Message, "exit code 2")
	assert.Contains(t, e.Message, "panicworker/main.go", "the panic's trace")
	assert.Contains(t, e.Message, "panic: test panic: boom", "the panic's own line")
	assert.Contains(t, e.Message, "connect() again")
	p.waitFor("t.record.connEvents.some(e => e.name === 'disconnected' && e.detail.reason === 'fatal')", 5*time.Second)

	in.Reset()
	p.connect(in, nil, 0)
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
}

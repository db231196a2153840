//go:build !js

package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/snworker/snworker/emulator"
)

// A worker that cannot start rejects connect() with InitializationError.
// connect() is called from a click, as users do: outside one, a browser's
// popup blocker refuses the sign-in window first.
func TestWorkerStartFailure(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)

	p.configure(in, map[string]any{"wasmUrl": appURL + "/js/missing.wasm"})
	p.click("#connect")
	e := p.fails("t.last", "InitializationError")
	assert.Contains(t, e.Message, "missing.wasm")

	p.configure(in, map[string]any{"workerUrl": appURL + "/js/missing.js"})
	p.click("#connect")
	e = p.fails("t.last", "InitializationError")
	assert.Contains(t, e.Message, "workerUrl")
	assert.Zero(t, in.Calls("authorize"))
}

// When the worker dies (its bootstrap reports a fatal event: a Go panic or
// exit), pending and later calls reject with InitializationError and the
// connection announces 'disconnected'. Chromium only: that the worker ends
// is seen among DevTools' targets.
func TestWorkerFatal(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, nil, 0)
	in.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 20 * time.Second})
	p.eval("t.abortable('/api/now/table/incident')", nil)
	waitCalls(t, in, "api", 2) // the user, then this

	p.eval(`(t.workers[0].dispatchEvent(new MessageEvent('message', {data: {json: JSON.stringify(
		{event: 'fatal', data: {name: 'InitializationError', message: 'Go panicked'}})}})), true)`, nil)
	e := p.fails("t.pending", "InitializationError")
	assert.Contains(t, e.Message, "Go panicked")
	e = p.fails("t.request('/api/now/table/incident')", "InitializationError")
	assert.Contains(t, e.Message, "connect() again")
	p.waitFor("t.record.connEvents.some(e => e.name === 'disconnected' && e.detail.reason === 'fatal')", 5*time.Second)
	assert.Eventually(t, func() bool { return p.workerTargets() == 0 }, 5*time.Second, 20*time.Millisecond, "the worker is terminated")
	p.ok("t.disconnect()", nil)
}

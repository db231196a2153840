//go:build !js

package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Bad arguments reject with ParameterError before any window opens.
func TestConnectParameterErrors(t *testing.T) {
	t.Parallel()
	p := newPage(t)
	for _, tc := range []struct{ args, want string }{
		{`'ftp://x.service-now.com', 'id'`, "Invalid instance URL"},
		{`'http://x.service-now.com', 'id'`, "unencrypted, so it is allowed only for localhost"},
		{`'not a url', 'id'`, "Invalid instance URL"},
		{`undefined, 'id'`, "Invalid instance URL"},
		{`'https://x.service-now.com', ''`, "Invalid client ID"},
		{`'https://x.service-now.com', '  '`, "Invalid client ID"},
		{`'https://x.service-now.com', 42`, "Invalid client ID"},
		{`'https://x.service-now.com', 'id', 'useraccount'`, "Invalid scope"},
		{`'https://x.service-now.com', 'id', [], {state: 'x'}`, "authFlowParams.state"},
		{`'https://x.service-now.com', 'id', [], {}, {width: 'wide'}`, "authWindowOptions.width"},
		{`'https://x.service-now.com', 'id', [], {}, {}, {authTimeout: -1}`, "options.authTimeout"},
		{`'https://x.service-now.com', 'id', [], {}, {}, {authTimeout: 3e9}`, "options.authTimeout 3000000000"},
		{`'https://x.service-now.com', 'id', [], {}, {}, {tokenTimeout: 0}`, "options.tokenTimeout 0"},
		{`'https://x.service-now.com', 'id', [], {}, {}, {tokenTimeout: '500'}`, `options.tokenTimeout "500"`},
		{`'https://x.service-now.com', 'id', [], {}, {}, {tokenTimeout: 1e20}`, "options.tokenTimeout 100000000000000000000"},
		{`'https://x.service-now.com', 'id', [], {}, {}, {endpoints: 'nope'}`, "options.endpoints"},
		{`'https://x.service-now.com', 'id', [], {}, {}, {shared: true, gracePeriod: 20001}`, "Invalid options.gracePeriod 20001: want the milliseconds a shared session waits"},
		{`'https://x.service-now.com', 'id', [], {}, {}, {shared: true, gracePeriod: -1}`, "from 0 (off: it ends at once) to 20000; the default is 10000"},
		{`'https://x.service-now.com', 'id', [], {}, {}, {gracePeriod: '10s'}`, `options.gracePeriod "10s"`},
		{`'https://x.service-now.com', 'id', [], {}, {}, {redirectUri: 'https://elsewhere.example/cb'}`, "options.redirectUri"},
		{`'https://x.service-now.com', 'id', [], {}, {}, {allowedPaths: ['/api/now/table/incident']}`, "options.allowedPaths"},
		{`'https://x.service-now.com', 'id', [], {}, {}, {workerUrl: 'data:text/javascript,postMessage(1)'}`, `options.workerUrl "data:text/javascript,postMessage(1)": a worker from a data: or blob: URL is refused`},
		{`'https://x.service-now.com', 'id', [], {}, {}, {workerUrl: URL.createObjectURL(new Blob(['']))}`, "options.workerUrl \"blob:"},
	} {
		e := p.fails("t.call("+tc.args+")", "ParameterError")
		assert.Equal(t, "ParameterError", e.Name, tc.args)
		assert.True(t, e.Is["ApiError"] && e.Is["Error"], "%s: ParameterError must extend ApiError and Error", tc.args)
		assert.Contains(t, e.Message, tc.want, tc.args)
	}
	var workers int
	p.eval("t.record.workers", &workers)
	assert.Zero(t, workers, "no worker starts for bad arguments")
	// The localhost exceptions are valid instance URLs, and so is any URL of
	// the instance, as the anchor takes: these fail later, not with ParameterError.
	for _, u := range []string{"http://localhost:1", "http://127.0.0.1:1", "http://[::1]:1", "https://x.service-now.com/now/nav?x=1#top"} {
		o := p.settle("t.call('" + u + "', 'id', [], {}, {}, {windowOpener: {open: () => null}})")
		assert.False(t, o.OK)
		assert.True(t, o.Error.Is["AuthorizationError"], "%s: %+v", u, o.Error)
	}
}

// With enableLogging(), a page whose CSP would let a blob: worker start is
// told so: that is what lets page script swap the worker.
func TestLoggingWarnsOfBlobWorkers(t *testing.T) {
	t.Parallel()
	p := openPage(t, "/nocsp/test/logging.html", "window.ready === true")
	p.waitFor("window.warnings.some(w => w.includes('lets blob: workers start'))", 5*time.Second)
}

//go:build !js

package e2e

import (
	"net"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/engines"
)

// With endpoints: 'auto', what an earlier sign-in found is kept in
// localStorage, where page script can write too. Written wrong (/oauth_token.do
// on an instance whose token endpoint has no CORS, only the OpenFin Store
// app's API), the worker checks it before the code is spent, finds the
// Store app's, and the sign-in works the first time: no code reaches the
// endpoint the worker cannot read, and the kept value is mended.
func TestEnginesEndpointHint(t *testing.T) {
	t.Parallel()
	inEngines(t, func(t *testing.T, x *engineTest) {
		in := newInstance(t, false)
		p := x.open("/test/index.html", "window.t !== undefined")
		key := "snworker.endpoints " + in.URL
		p.eval("(localStorage.setItem('"+key+"', 'servicenow'), true)", nil)
		p.configure(in, map[string]any{"endpoints": "auto"})
		p.clickForPopup("#connect").signIn(engines.Allow, 0)
		var v struct {
			CurrentUser map[string]any `json:"currentUser"`
		}
		p.ok("t.last", &v)
		assert.Equal(t, "admin", v.CurrentUser["user_name"])
		assert.Zero(t, in.Calls("token:authorization_code"), "a code was spent at /oauth_token.do, which this origin cannot read")
		assert.Equal(t, 1, in.Calls("openfin:request_tokens:authorization_code"))
		var kept string
		p.eval("localStorage.getItem('"+key+"')", &kept)
		assert.Equal(t, "openfin", kept)
	})
}

// connect() against an instance the browser cannot reach (a closed port)
// says so, naming the URL; against one that answers without CORS, it says
// how to set CORS up. The worker tells them apart by a request in no-cors
// mode, which gets an opaque answer from any host that answers. (A host
// name that does not resolve fails the same way in every engine, but the
// worker's CSP here names only 127.0.0.1: see TestUnreachableInstance.)
func TestEnginesUnreachableInstance(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := "http://" + l.Addr().String()
	require.NoError(t, l.Close())
	em := emulator.New(emulator.Config{Clients: []emulator.Client{{ID: clientID, RedirectURIs: []string{appURL + "/test/"}}}})
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	noCORS := &instance{Server: em, URL: srv.URL}
	inEngines(t, func(t *testing.T, x *engineTest) {
		p := x.open("/test/index.html", "window.t !== undefined")
		for _, c := range []struct {
			url  string
			want []string
		}{
			{dead, []string{"cannot reach the instance at " + dead, "spelling", "network"}},
			{noCORS.URL, []string{"through CORS", "glide.oauth.cors.allowed.origin", "OpenFin Store app"}},
		} {
			p.configure(&instance{URL: c.url}, map[string]any{"endpoints": "auto"})
			p.clickForPopup("#connect")
			e := p.fails("t.last", "InitializationError")
			for _, want := range c.want {
				assert.Contains(t, e.Message, want, c.url)
			}
			if c.url != noCORS.URL {
				assert.NotContains(t, e.Message, "CORS", c.url)
			}
		}
		assert.Zero(t, noCORS.Calls("token:authorization_code")+noCORS.Calls("openfin:request_tokens:authorization_code"))
	})
}

//go:build !js

package e2e

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// attacker is a server on its own origin that records every request. It
// answers CORS for anyone and any header, so that a token sent its way
// would arrive rather than be stopped by the browser.
type attacker struct {
	URL string
	mu  sync.Mutex
	log []seen
}

// seen is one request the attacker received.
type seen struct {
	Method, Path string
	Bearer       bool   // it carried an Authorization header
	AsksAuth     bool   // a preflight asking to send Authorization
	Dump         string // request line, headers and body
}

// evilJS is the attacker's page script: it posts a fake redirect message,
// with the query from its URL's fragment, to the window that opened it.
const evilJS = `const query = decodeURIComponent(location.hash.slice(1));
window.opener.postMessage({type: 'snworker:redirect', query}, '*');
document.title = 'posted';
`

// launchJS opens the URL in its page's fragment when #go is clicked.
const launchJS = `document.getElementById('go').addEventListener('click', () => {
  window.open(decodeURIComponent(location.hash.slice(1)));
});
`

func newAttacker(t *testing.T) *attacker {
	a := &attacker{}
	srv := httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(srv.Close)
	a.URL = srv.URL
	return a
}

func (a *attacker) serve(w http.ResponseWriter, r *http.Request) {
	dump, _ := httputil.DumpRequest(r, true)
	a.mu.Lock()
	a.log = append(a.log, seen{
		Method:   r.Method,
		Path:     r.URL.Path,
		Bearer:   r.Header.Get("Authorization") != "",
		AsksAuth: strings.Contains(strings.ToLower(r.Header.Get("Access-Control-Request-Headers")), "authorization"),
		Dump:     string(dump),
	})
	a.mu.Unlock()

	h := w.Header()
	h.Set("Access-Control-Allow-Origin", orDefault(r.Header.Get("Origin"), "*"))
	h.Set("Access-Control-Allow-Credentials", "true")
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
	if asked := r.Header.Get("Access-Control-Request-Headers"); asked != "" {
		h.Set("Access-Control-Allow-Headers", asked)
	}
	switch {
	case r.Method == http.MethodOptions:
		w.WriteHeader(http.StatusNoContent)
	case r.URL.Path == "/evil.html":
		h.Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!DOCTYPE html><title>evil</title><script src="/evil.js"></script>`))
	case r.URL.Path == "/evil.js":
		h.Set("Content-Type", "text/javascript")
		_, _ = w.Write([]byte(evilJS))
	case r.URL.Path == "/launch.html":
		h.Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!DOCTYPE html><title>launch</title><button id="go">Go</button><script src="/launch.js"></script>`))
	case r.URL.Path == "/launch.js":
		h.Set("Content-Type", "text/javascript")
		_, _ = w.Write([]byte(launchJS))
	default:
		h.Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"result":[]}`))
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// requests returns what the attacker has received so far.
func (a *attacker) requests() []seen {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]seen(nil), a.log...)
}

// assertNoToken checks that no request to the attacker carried a bearer
// token, asked to send one, or held any token the instance issued; and
// that bearer tokens did reach the instance (so the check means something).
func (a *attacker) assertNoToken(t *testing.T, in *instance) {
	t.Helper()
	issued := in.IssuedTokens()
	for _, s := range a.requests() {
		assert.False(t, s.Bearer, "the attacker got an Authorization header: %s %s", s.Method, s.Path)
		assert.False(t, s.AsksAuth, "a preflight to the attacker asked to send Authorization: %s", s.Path)
		for i, tok := range issued {
			assert.NotContains(t, s.Dump, tok, "issued token #%d reached the attacker in %s %s", i, s.Method, s.Path)
		}
	}
	bearer := 0
	for _, r := range in.Requests() {
		if r.Bearer {
			bearer++
			assert.Equal(t, appURL, r.Origin, "a bearer request to the instance came from %q", r.Origin)
		}
	}
	assert.NotZero(t, bearer, "the instance saw no bearer request: nothing was tested")
}

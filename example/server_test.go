package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/snworker/snworker/deployment"
	"github.com/stretchr/testify/require"
)

// fakeDist writes a dist folder with small stand-ins for every file, and
// precompressed wasm variants newer than the wasm.
func fakeDist(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	for _, name := range distFiles {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte("contents of "+name), 0o644))
		require.NoError(t, os.Chtimes(p, old, old))
	}
	for _, name := range []string{"snworker.wasm.br", "snworker.wasm.gz"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("compressed "+name), 0o644))
	}
	return dir
}

func newServer(t *testing.T, dist string) *Server {
	t.Helper()
	s, err := New(Config{Dist: dist, InstanceURL: "https://acme.service-now.com", ClientID: "abc", Endpoints: "openfin"})
	require.NoError(t, err)
	return s
}

func get(h http.Handler, path string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestConfigJSON(t *testing.T) {
	for _, tc := range []struct {
		endpoints string
		userPath  string
	}{
		{"openfin", "/api/x_opfi_openfin/v1/integration/user_info"},
		{"servicenow", "/api/now/table/sys_user"},
	} {
		s, err := New(Config{Dist: fakeDist(t), InstanceURL: "http://127.0.0.1:8081", ClientID: "snworker-demo", Endpoints: tc.endpoints, Emulated: true})
		require.NoError(t, err)
		w := get(s, "/config.json")
		require.Equal(t, http.StatusOK, w.Code)
		assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
		var got pageConfig
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got))
		assert.Equal(t, pageConfig{
			InstanceURL:  "http://127.0.0.1:8081",
			ClientID:     "snworker-demo",
			Endpoints:    tc.endpoints,
			AllowedPaths: []string{"/api/now/table/incident", "/api/now/attachment", tc.userPath},
			Emulated:     true,
		}, got)
	}
}

func TestPolicies(t *testing.T) {
	s := newServer(t, fakeDist(t))
	csp := func(path string) string {
		w := get(s, path)
		require.Equal(t, http.StatusOK, w.Code, path)
		assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"), path)
		assert.Equal(t, "no-referrer", w.Header().Get("Referrer-Policy"), path)
		return w.Header().Get("Content-Security-Policy")
	}
	page := csp("/")
	assert.Contains(t, page, "script-src 'self';")
	assert.Contains(t, page, "worker-src 'self'")
	assert.Contains(t, page, "connect-src 'self';")
	assert.Contains(t, page, "frame-ancestors 'none'")
	assert.NotContains(t, page, "unsafe")

	w := get(s, "/js/worker.js", "Sec-Fetch-Dest", "worker")
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' https://acme.service-now.com", w.Header().Get("Content-Security-Policy"))
	assert.Equal(t, deployment.RedirectPolicy, csp("/js/redirect.html"))
	assert.Equal(t, deployment.BasePolicy, csp("/js/servicenow.js"))
	assert.Equal(t, deployment.BasePolicy, csp("/app.js"))

	w = get(s, "/")
	assert.Equal(t, "DENY", w.Header().Get("X-Frame-Options"))
	assert.Empty(t, w.Header().Get("Cross-Origin-Opener-Policy"), "WebKit would cut the page off from its sign-in window")
	assert.Equal(t, "text/html; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Contains(t, w.Body.String(), `<script type="module" src="/app.js">`)
}

// worker.js, whose response carries the worker's policy, is served only
// to a worker; as a page it is refused and keeps the base policy.
func TestWorkerScriptOnlyForWorkers(t *testing.T) {
	s := newServer(t, fakeDist(t))
	for _, dest := range []string{"worker", "sharedworker"} {
		w := get(s, "/js/worker.js", "Sec-Fetch-Dest", dest)
		assert.Equal(t, http.StatusOK, w.Code, dest)
		assert.Equal(t, "contents of worker.js", w.Body.String(), dest)
		assert.Contains(t, w.Header().Get("Content-Security-Policy"), "wasm-unsafe-eval", dest)
		assert.Equal(t, "Sec-Fetch-Dest", w.Header().Get("Vary"), dest)
	}
	for _, dest := range []string{"", "document", "iframe", "frame", "embed", "object", "script", "empty", "serviceworker"} {
		w := get(s, "/js/worker.js", "Sec-Fetch-Dest", dest)
		assert.Equal(t, http.StatusForbidden, w.Code, "Sec-Fetch-Dest %q", dest)
		assert.Contains(t, w.Body.String(), "served only to new Worker()", dest)
		assert.NotContains(t, w.Body.String(), "contents of worker.js", dest)
		assert.Equal(t, deployment.BasePolicy, w.Header().Get("Content-Security-Policy"), dest)
		assert.Equal(t, "Sec-Fetch-Dest", w.Header().Get("Vary"), dest)
	}
}

func TestTypesAndNotFound(t *testing.T) {
	s := newServer(t, fakeDist(t))
	for path, want := range map[string]string{
		"/app.js":           "text/javascript; charset=utf-8",
		"/app.css":          "text/css; charset=utf-8",
		"/favicon.svg":      "image/svg+xml",
		"/js/servicenow.js": "text/javascript; charset=utf-8",
		"/js/redirect.html": "text/html; charset=utf-8",
		"/js/snworker.wasm": "application/wasm",
		"/js/wasm_exec.js":  "text/javascript; charset=utf-8",
		"/js/worker.js":     "text/javascript; charset=utf-8",
		"/config.json":      "application/json",
		"/":                 "text/html; charset=utf-8",
	} {
		w := get(s, path, "Sec-Fetch-Dest", "worker") // as worker.js needs; ignored elsewhere
		assert.Equal(t, http.StatusOK, w.Code, path)
		assert.Equal(t, want, w.Header().Get("Content-Type"), path)
		assert.Equal(t, "no-cache", w.Header().Get("Cache-Control"), path)
		assert.NotEmpty(t, w.Header().Get("ETag"), path)
	}
	for _, path := range []string{"/index.html", "/js/", "/js/snworker.wasm.br", "/js/snworker.wasm.gz", "/js/../app.js", "/static/app.js", "/nope", "/js/nope.js"} {
		assert.Equal(t, http.StatusNotFound, get(s, path).Code, path)
	}
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
	assert.Equal(t, "GET, HEAD", w.Header().Get("Allow"))
}

func TestPrecompressed(t *testing.T) {
	s := newServer(t, fakeDist(t))
	for accept, want := range map[string]string{
		"gzip, deflate, br, zstd": "br",
		"br;q=0.5, gzip":          "gzip",
		"gzip":                    "gzip",
		"br;q=0, gzip;q=0":        "",
		"*":                       "br",
		"*;q=0.1, gzip;q=0.9":     "gzip",
		"":                        "",
		"identity":                "",
		"deflate":                 "",
	} {
		w := get(s, "/js/snworker.wasm", "Accept-Encoding", accept)
		require.Equal(t, http.StatusOK, w.Code, accept)
		h := w.Header()
		assert.Equal(t, want, h.Get("Content-Encoding"), accept)
		assert.Equal(t, "Accept-Encoding", h.Get("Vary"), accept)
		assert.Equal(t, "application/wasm", h.Get("Content-Type"), accept)
		body := "contents of snworker.wasm"
		if want == "br" {
			body = "compressed snworker.wasm.br"
		} else if want == "gzip" {
			body = "compressed snworker.wasm.gz"
		}
		assert.Equal(t, body, w.Body.String(), accept)
		assert.Equal(t, len(body), w.Body.Len())
		if want != "" {
			assert.Equal(t, `-`+want+`"`, h.Get("ETag")[len(h.Get("ETag"))-len(want)-2:], accept)
			assert.Equal(t, w.Body.Len(), mustAtoi(t, h.Get("Content-Length")), accept)
		}
	}

	// A variant revalidates against its own ETag.
	w := get(s, "/js/snworker.wasm", "Accept-Encoding", "br")
	tag := w.Header().Get("ETag")
	w = get(s, "/js/snworker.wasm", "Accept-Encoding", "br", "If-None-Match", tag)
	assert.Equal(t, http.StatusNotModified, w.Code)
	assert.Empty(t, w.Body.String())
	w = get(s, "/js/snworker.wasm", "Accept-Encoding", "gzip", "If-None-Match", tag)
	assert.Equal(t, http.StatusOK, w.Code)

	// Files without variants carry no Vary.
	assert.Empty(t, get(s, "/js/servicenow.js", "Accept-Encoding", "br").Header().Get("Vary"))
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	for _, c := range s {
		require.True(t, c >= '0' && c <= '9', "not a number: %q", s)
		n = n*10 + int(c-'0')
	}
	return n
}

func TestStaleVariantIgnored(t *testing.T) {
	dist := fakeDist(t)
	older := time.Now().Add(-2 * time.Hour)
	require.NoError(t, os.Chtimes(filepath.Join(dist, "snworker.wasm.br"), older, older))
	s := newServer(t, dist)
	assert.Equal(t, []string{"snworker.wasm.br"}, s.Stale)
	w := get(s, "/js/snworker.wasm", "Accept-Encoding", "gzip, br")
	assert.Equal(t, "gzip", w.Header().Get("Content-Encoding"))
}

func TestNewErrors(t *testing.T) {
	dist := fakeDist(t)
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Dist: dist, InstanceURL: "acme.service-now.com", ClientID: "a", Endpoints: "openfin"}, `instance URL "acme.service-now.com": want an origin`},
		{Config{Dist: dist, InstanceURL: "https://acme.service-now.com/now", ClientID: "a", Endpoints: "openfin"}, "want an origin"},
		{Config{Dist: dist, InstanceURL: "https://acme.service-now.com", ClientID: " ", Endpoints: "openfin"}, `client ID " "`},
		{Config{Dist: dist, InstanceURL: "https://acme.service-now.com", ClientID: "a", Endpoints: "azure"}, `endpoints "azure": want openfin or servicenow`},
		{Config{Dist: filepath.Join(dist, "missing"), InstanceURL: "https://acme.service-now.com", ClientID: "a", Endpoints: "openfin"}, "run make build"},
	} {
		_, err := New(tc.cfg)
		require.Error(t, err, tc.want)
		assert.Contains(t, err.Error(), tc.want)
	}
	require.NoError(t, os.Remove(filepath.Join(dist, "snworker.wasm")))
	_, err := New(Config{Dist: dist, InstanceURL: "https://acme.service-now.com", ClientID: "a", Endpoints: "openfin"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "has no snworker.wasm")
}

func TestAcceptQ(t *testing.T) {
	for _, tc := range []struct {
		header, coding string
		want           float64
	}{
		{"gzip, br", "br", 1},
		{"gzip;q=0.8, br;q=0.4", "br", 0.4},
		{"GZIP", "gzip", 1},
		{"br ; q=0", "br", 0},
		{"*;q=0.3", "br", 0.3},
		{"*;q=0.3, br;q=0.9", "br", 0.9},
		{"gzip;q=2", "gzip", 0},
		{"gzip;q=x", "gzip", 0},
		{"", "br", 0},
	} {
		assert.Equal(t, tc.want, acceptQ(tc.header, tc.coding), "%q %s", tc.header, tc.coding)
	}
}

func TestPageHasNoInlineCode(t *testing.T) {
	body, err := static.ReadFile("static/index.html")
	require.NoError(t, err)
	page := string(body)
	assert.NotContains(t, page, "style=")
	assert.NotContains(t, page, "<style")
	assert.NotRegexp(t, `<script(?:\s[^>]*)?>[^<]`, page)
	assert.NotRegexp(t, `\son[a-z]+=`, page)
	assert.False(t, strings.Contains(page, "javascript:"))
}

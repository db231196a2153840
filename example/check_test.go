//go:build !js

package main

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/deployment"
	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/wasmbuild"
)

// runCheck runs `snworker check` (js/check.js) with node and returns its
// exit code and output.
func runCheck(t *testing.T, args ...string) (int, string) {
	t.Helper()
	node, err := exec.LookPath("node")
	require.NoError(t, err, "snworker check runs with node: install Node.js")
	root, err := wasmbuild.Root()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{filepath.Join(root, "js", "check.js"), "check"}, args...)...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, ctx.Err(), "snworker check did not finish within 90 s:\n%s", out)
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), string(out)
	}
	require.NoError(t, err, "running snworker check:\n%s", out)
	return 0, string(out)
}

// failLine returns the FAIL line of check name with its fix, or "".
func failLine(out, name string) string {
	_, rest, ok := strings.Cut(out, "FAIL  "+name+":")
	if !ok {
		return ""
	}
	if i := strings.Index(rest, "\n      see "); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

func TestCheckPassesTheDemo(t *testing.T) {
	d, _ := startDemo(t, "openfin")
	code, out := runCheck(t, d.appURL+"/", "--instance", d.instanceURL)
	t.Log("\n" + out)
	assert.Equal(t, 0, code, "snworker check fails the demo:\n%s", out)
	assert.NotContains(t, out, "FAIL")
	for _, name := range []string{"app page CSP", "worker.js CSP", "worker.js refused as a page", "worker.js to a worker", "wasm type",
		"compressed wasm", "first visit", "redirect URL", "instance answers", "instance CORS for the API", "instance CORS for the token endpoint"} {
		assert.Contains(t, out, "ok    "+name+":", "no passing %q line", name)
	}
}

// checkedApp serves the demo's app through wrap, against an emulated
// instance that allows the given origins, and returns both URLs.
func checkedApp(t *testing.T, origins []string, workerInstance string, wrap func(http.Handler) http.Handler) (app, instance string) {
	t.Helper()
	em := httptest.NewServer(emulator.New(emulator.Config{AllowedOrigins: origins}))
	t.Cleanup(em.Close)
	if workerInstance == "" {
		workerInstance = em.URL
	}
	s, err := New(Config{Dist: testDist(t), InstanceURL: workerInstance, ClientID: demoClient, Endpoints: "openfin"})
	require.NoError(t, err)
	srv := httptest.NewServer(wrap(s))
	t.Cleanup(srv.Close)
	return srv.URL + "/", em.URL
}

var anyLocalOrigin = []string{"http://127.0.0.1:*"}

func same(h http.Handler) http.Handler { return h }

func TestCheckFailsAStaticServer(t *testing.T) {
	sub, err := fs.Sub(static, "static")
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("/js/", http.StripPrefix("/js/", http.FileServer(http.Dir(testDist(t)))))
	mux.Handle("/", http.FileServer(http.FS(sub)))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	code, out := runCheck(t, srv.URL+"/")
	assert.Equal(t, 1, code, out)
	assert.Contains(t, failLine(out, "app page CSP"), "no Content-Security-Policy header", out)
	assert.Contains(t, failLine(out, "app page CSP"), "fix: send Content-Security-Policy: "+deployment.PagePolicy, out)
	assert.Contains(t, failLine(out, "worker.js CSP"), "fix: send Content-Security-Policy: default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' https://<your instance> on worker.js", out)
	assert.Contains(t, failLine(out, "worker.js refused as a page"), "answered 200 to Sec-Fetch-Dest: document", out)
	assert.Contains(t, failLine(out, "worker.js refused as a page"), "fix: answer 403 unless Sec-Fetch-Dest is worker or sharedworker", out)
	assert.Contains(t, out, "\n      see "+deployment.Docs["serving"], out)
}

func TestCheckFailsWorkerScriptServedAsAPage(t *testing.T) {
	app, instance := checkedApp(t, anyLocalOrigin, "", func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Header.Set("Sec-Fetch-Dest", "worker") // the serving rule undone
			h.ServeHTTP(w, r)
		})
	})
	code, out := runCheck(t, app, "--instance", instance)
	assert.Equal(t, 1, code, out)
	assert.Contains(t, failLine(out, "worker.js refused as a page"), "fix: answer 403 unless Sec-Fetch-Dest is worker or sharedworker, with Vary: Sec-Fetch-Dest", out)
	assert.Equal(t, 1, strings.Count(out, "FAIL"), "only the serving rule fails:\n%s", out)
}

func TestCheckFailsWorkerPolicyWithoutTheInstance(t *testing.T) {
	app, instance := checkedApp(t, anyLocalOrigin, "https://elsewhere.service-now.com", same)
	code, out := runCheck(t, app, "--instance", instance)
	assert.Equal(t, 1, code, out)
	line := failLine(out, "worker.js CSP")
	assert.Contains(t, line, "does not name the instance "+instance, out)
	assert.Contains(t, line, "fix: send Content-Security-Policy: "+deployment.WorkerPolicy(instance)+" on worker.js", out)
	assert.Equal(t, 1, strings.Count(out, "FAIL"), "only the worker's policy fails:\n%s", out)
}

func TestCheckFailsAnInstanceWithoutCORS(t *testing.T) {
	app, instance := checkedApp(t, []string{"https://another.example"}, "", same)
	code, out := runCheck(t, app, "--instance", instance)
	assert.Equal(t, 1, code, out)
	origin := strings.TrimSuffix(app, "/")
	assert.Contains(t, out, "ok    instance answers:", "a CORS failure is not an unreachable instance:\n%s", out)
	assert.Contains(t, failLine(out, "instance CORS for the API"), "fix: add a CORS rule on the instance for "+origin, out)
	assert.Contains(t, failLine(out, "instance CORS for the token endpoint"), "glide.oauth.cors.allowed.origin to "+origin, out)
	assert.Contains(t, out, "see "+deployment.Docs["cors"], out)
}

func TestCheckTellsAnUnreachableInstance(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	gone := closed.URL
	closed.Close()
	app, _ := checkedApp(t, anyLocalOrigin, gone, same)
	code, out := runCheck(t, app, "--instance", gone)
	assert.Equal(t, 1, code, out)
	assert.Contains(t, failLine(out, "instance answers"), "unreachable (ECONNREFUSED), before any CORS", out)
	assert.NotContains(t, out, "instance CORS", out)
}

// typed sets the Content-Type of .wasm answers, whatever the server said.
type typed struct {
	http.ResponseWriter
	contentType string
}

func (w typed) WriteHeader(code int) {
	w.Header().Set("Content-Type", w.contentType)
	w.ResponseWriter.WriteHeader(code)
}

func (w typed) Write(b []byte) (int, error) {
	w.Header().Set("Content-Type", w.contentType)
	return w.ResponseWriter.Write(b)
}

func TestCheckFailsAWrongWasmType(t *testing.T) {
	app, instance := checkedApp(t, anyLocalOrigin, "", func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, ".wasm") {
				w = typed{w, "application/octet-stream"}
			}
			h.ServeHTTP(w, r)
		})
	})
	code, out := runCheck(t, app, "--instance", instance)
	assert.Equal(t, 1, code, out)
	line := failLine(out, "wasm type")
	assert.Contains(t, line, "/js/snworker.wasm is application/octet-stream", out)
	assert.Contains(t, line, "fix: serve .wasm files as Content-Type: application/wasm", out)
	assert.Equal(t, 1, strings.Count(out, "FAIL"), "only the type fails:\n%s", out)
}

func TestCheckCouldNotCheck(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	gone := closed.URL
	closed.Close()
	code, out := runCheck(t, gone+"/")
	assert.Equal(t, 2, code, out)
	assert.Contains(t, out, "could not check", out)
	code, out = runCheck(t, "not a URL")
	assert.Equal(t, 2, code, out)
	assert.Contains(t, out, "want an absolute http or https URL", out)
}

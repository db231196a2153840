//go:build !js

package bundlers

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// npmBin runs a tool from node_modules/.bin in this folder.
func npmBin(t *testing.T, tool string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, filepath.Join("node_modules", ".bin", tool), args...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %s:\n%s", tool, strings.Join(args, " "), out)
	t.Logf("%s built in %v", tool, time.Since(start).Round(time.Millisecond))
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, b, 0o644))
}

// The builds, each as the README's Install section says.
var builds = []struct {
	name  string
	build func(t *testing.T, out string)
}{
	{"vite", func(t *testing.T, out string) {
		npmBin(t, "vite", "build", "--outDir", out, "--emptyOutDir", "--logLevel", "warn")
	}},
	{"webpack", func(t *testing.T, out string) {
		npmBin(t, "webpack", "--mode", "production", "--entry", "./main.js", "--output-path", out, "--no-stats")
		copyFile(t, "index.html", filepath.Join(out, "index.html"))
	}},
	{"esbuild", func(t *testing.T, out string) {
		npmBin(t, "esbuild", "main.js", "--bundle", "--format=esm", "--outdir="+out, "--log-level=warning")
		copyFile(t, "index.html", filepath.Join(out, "index.html"))
		// esbuild leaves new URL('./…', import.meta.url) as it is: the
		// package's files go beside the bundle.
		for _, f := range []string{"worker.js", "snworker.wasm", "snworker.wasm.br", "snworker.wasm.gz"} {
			copyFile(t, filepath.Join(installed, f), filepath.Join(out, f))
		}
	}},
}

// TestBuilds builds the app with each bundler and signs in through it.
func TestBuilds(t *testing.T) {
	for _, bb := range builds {
		t.Run(bb.name, func(t *testing.T) {
			out := t.TempDir()
			bb.build(t, out)
			b := scan(t, out)
			assert.Empty(t, b.redirect, "the default redirect URL needs no page from the package")
			t.Logf("worker %v", b.workers)
			s := serve(t, b, "")
			for w := range b.workers {
				res, err := http.Get(s.appURL + w)
				require.NoError(t, err)
				res.Body.Close()
				assert.Equal(t, http.StatusForbidden, res.StatusCode, "%s served to a request that is not a worker's", w)
			}
			res, logs := signIn(t, s.appURL, s.instanceURL, "")
			requireSignedIn(t, res)
			assert.NotContains(t, logs, "application/wasm", "a wasm served as application/wasm drew a warning")
			// No 404, no exception, in the page or its sign-in window. (With
			// enableLogging(), log.js tries a blob: worker to warn of a CSP
			// that allows one; the CSP's refusal of it is left out here.)
			for _, line := range strings.Split(logs, "\n") {
				if !strings.Contains(line, "Creating a worker from 'blob:") {
					assert.NotRegexp(t, `console\.error|exception:|log [a-z]+/error`, line)
				}
			}
		})
	}
}

// TestWasmTypeWarning serves the wasm as application/octet-stream: the
// worker still starts, and the page's log (enableLogging) names the fix.
func TestWasmTypeWarning(t *testing.T) {
	out := t.TempDir()
	builds[2].build(t, out) // esbuild: the quickest
	s := serve(t, scan(t, out), "application/octet-stream")
	res, logs := signIn(t, s.appURL, s.instanceURL, "")
	requireSignedIn(t, res)
	assert.Regexp(t, `console.warning: \[snworker\] worker: .*snworker.wasm came as "application/octet-stream".*serve .wasm files as application/wasm`, logs)
}

// TestViteDevServer signs in through `vite` serving the app from source.
// ansi matches a terminal's colour and style codes.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestViteDevServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	ctx, cancel := context.WithCancel(context.Background())
	// --force: the package changes without the lockfile changing, so the
	// dependency cache must be rebuilt.
	cmd := exec.CommandContext(ctx, filepath.Join("node_modules", ".bin", "vite"),
		"--host", "127.0.0.1", "--port", strconv.Itoa(port), "--strictPort", "--force", "--clearScreen", "false")
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "FORCE_COLOR=0") // the URL it prints, plain
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = cmd.Stdout
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})

	appURL := "http://127.0.0.1:" + strconv.Itoa(port)
	ready := make(chan struct{})
	var mu sync.Mutex
	var printed []string
	go func() {
		sc := bufio.NewScanner(stdout)
		closed := false
		for sc.Scan() {
			line := ansi.ReplaceAllString(sc.Text(), "")
			mu.Lock()
			printed = append(printed, line)
			mu.Unlock()
			if !closed && strings.Contains(line, appURL) {
				close(ready)
				closed = true
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(90 * time.Second): // it optimizes the package's dependencies first
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("vite did not print %s within 90 s; it printed:\n%s", appURL, strings.Join(printed, "\n"))
	}

	// The dev server serves the installed package's files where they are.
	instanceURL := newInstance(t, appURL, appURL+"/")
	res, logs := signIn(t, appURL, instanceURL, "")
	requireSignedIn(t, res)
	assert.NotRegexp(t, regexp.MustCompile(`worker: .*came as`), logs)
}

// TestOwnRedirectPage signs in through a redirect page of the app's own
// that calls handleRedirect() from @snworker/servicenow/redirect.
func TestOwnRedirectPage(t *testing.T) {
	out := t.TempDir()
	npmBin(t, "esbuild", "main.js", "own-redirect.js", "--bundle", "--format=esm", "--outdir="+out, "--log-level=warning")
	for _, f := range []string{"index.html", "own-redirect.html"} {
		copyFile(t, f, filepath.Join(out, f))
	}
	for _, f := range []string{"worker.js", "snworker.wasm"} {
		copyFile(t, filepath.Join(installed, f), filepath.Join(out, f))
	}
	b := scan(t, out)
	require.Equal(t, "/own-redirect.html", b.redirect)
	s := serve(t, b, "")
	res, _ := signIn(t, s.appURL, s.instanceURL, s.appURL+b.redirect)
	requireSignedIn(t, res)
	assert.JSONEq(t, `{"handled": true, "error": null}`, res.Stored, "what handleRedirect() returned in the app's own page")
}

// TestWorkerMissing builds with esbuild but copies no package file: connect()
// fails, saying where the worker must be served and which option to pass.
func TestWorkerMissing(t *testing.T) {
	out := t.TempDir()
	npmBin(t, "esbuild", "main.js", "--bundle", "--format=esm", "--outdir="+out, "--log-level=warning")
	copyFile(t, "index.html", filepath.Join(out, "index.html"))
	copyFile(t, filepath.Join(installed, "redirect.html"), filepath.Join(out, "redirect.html"))
	s := serve(t, build{dir: out, redirect: "/redirect.html", workers: map[string]bool{"/worker.js": true}}, "")
	res, _ := connect(t, s.appURL, s.instanceURL, "", false)
	require.False(t, res.OK, "connect() succeeded without a worker")
	assert.Contains(t, res.Error, "InitializationError: the worker (the package's worker.js) failed")
	assert.Contains(t, res.Error, "copy worker.js and snworker.wasm beside the bundle), or pass options.workerUrl")
}

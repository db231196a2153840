//go:build !js

package bundlers

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/engines"
	"github.com/snworker/snworker/internal/wasmbuild"
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

// packageFiles are the files that esbuild and Rollup need copied beside
// the bundle, as docs/deployment.md's Bundlers section lists them.
var packageFiles = []string{"worker.js", "snworker.wasm", "snworker.wasm.gz", "compression-probe.wasm"}

func copyPackage(t *testing.T, out string) {
	t.Helper()
	copyFile(t, "index.html", filepath.Join(out, "index.html"))
	for _, f := range packageFiles {
		copyFile(t, filepath.Join(installed, f), filepath.Join(out, f))
	}
}

// The builds, each as docs/deployment.md's Bundlers section says.
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
		// esbuild leaves new URL('./…', import.meta.url) as it is: the
		// package's files go beside the bundle.
		npmBin(t, "esbuild", "main.js", "--bundle", "--format=esm", "--outdir="+out, "--log-level=warning")
		copyPackage(t, out)
	}},
	{"rollup", func(t *testing.T, out string) {
		// Rollup too, with node-resolve to find the package by name.
		npmBin(t, "rollup", "main.js", "--format", "es", "--dir", out, "--plugin", "node-resolve", "--silent")
		copyPackage(t, out)
	}},
	{"parcel", func(t *testing.T, out string) {
		// Parcel puts an inline importmap in index.html: scan() finds it,
		// and serve() adds its hash to the page's script-src.
		npmBin(t, "parcel", "build", "index.html", "--dist-dir", out, "--no-cache", "--no-source-maps", "--log-level", "warn")
	}},
}

// built builds the app with the named bundler once per run, for the tests
// that only read the build (they may add .br files beside its wasm).
var built sync.Map // name → func() (string, error)

func buildOnce(t *testing.T, name string, build func(t *testing.T, out string)) string {
	t.Helper()
	f, _ := built.LoadOrStore(name, sync.OnceValues(func() (string, error) {
		out, err := os.MkdirTemp("", "snworker-"+name+"-")
		if err != nil {
			return "", err
		}
		ok := t.Run("build", func(t *testing.T) { build(t, out) })
		if !ok {
			return "", fmt.Errorf("%s: the build failed", name)
		}
		return out, nil
	}))
	out, err := f.(func() (string, error))()
	require.NoError(t, err)
	return out
}

// TestBuilds builds the app with each bundler and signs in through it.
func TestBuilds(t *testing.T) {
	for _, bb := range builds {
		t.Run(bb.name, func(t *testing.T) {
			out := buildOnce(t, bb.name, bb.build)
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
			assert.Empty(t, errorLines(logs), "errors in the console of the app, its worker or the sign-in window")
		})
	}
}

// TestWasmTypeWarning serves the wasm as application/octet-stream: the
// worker still starts, and the page's log (enableLogging) names the fix.
func TestWasmTypeWarning(t *testing.T) {
	out := t.TempDir()
	builds[2].build(t, out) // esbuild: the quickest
	s := serve(t, scan(t, out), "application/octet-stream")
	s.compress("gzip") // the worker then takes snworker.wasm as it comes
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
	instanceURL := newInstance(t, appURL, true, appURL+"/")
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
	for _, f := range []string{"worker.js", "snworker.wasm", "snworker.wasm.gz"} {
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
	assert.Contains(t, res.Error, "or pass options.workerUrl (and options.wasmUrl)")
	assert.NotContains(t, res.Error, "esbuild", "the hint names one bundler")
}

// TestColdVisitBytes counts the wasm bytes a first visit downloads from a
// server that compresses nothing (the worker fetches snworker.wasm.gz and
// decompresses it), from one that gzips application/wasm as it sends it,
// and from one that sends it brotli-compressed from a .br file (for these
// two the worker takes snworker.wasm as the server sends it).
func TestColdVisitBytes(t *testing.T) {
	size := func(p string) int64 {
		info, err := os.Stat(p)
		require.NoError(t, err)
		return info.Size()
	}
	gz := size(filepath.Join(installed, "snworker.wasm.gz"))
	probe := size(filepath.Join(installed, "compression-probe.wasm"))
	table := []string{"| bundler | build, all files | of which wasm | cold visit: no compression | gzip as it sends | brotli .br |", "| --- | --- | --- | --- | --- | --- |"}
	for _, bb := range builds {
		t.Run(bb.name, func(t *testing.T) {
			out := buildOnce(t, bb.name, bb.build)
			var total, wasm int64
			var wasms []string
			require.NoError(t, filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				total += size(p)
				if wasmFile.MatchString(filepath.ToSlash(p)) {
					wasm += size(p)
				}
				if strings.HasSuffix(p, ".wasm") {
					wasms = append(wasms, p)
				}
				return nil
			}))
			require.NotEmpty(t, wasms, "no .wasm in the build")
			for _, w := range wasms {
				brotli(t, w)
			}
			brSize := int64(0)
			for _, w := range wasms {
				brSize = max(brSize, size(w+".br"))
			}
			row := fmt.Sprintf("| %s | %s | %s |", bb.name, mb(total), mb(wasm))
			for _, c := range []struct {
				encoding string
				max      int64
			}{
				{"", gz + probe},         // the gzip file, and the probe uncompressed
				{"gzip", gz * 103 / 100}, // the server's gzip -6 of the raw file, about as large
				{"br", brSize + 1024},
			} {
				s := serve(t, scan(t, out), "")
				s.compress(c.encoding)
				res, _ := signIn(t, s.appURL, s.instanceURL, "")
				requireSignedIn(t, res)
				n := s.wasmBytes.Load()
				t.Logf("server compression %q: a cold visit's wasm bytes: %d (%.2f MB)", c.encoding, n, float64(n)/1e6)
				assert.LessOrEqual(t, n, c.max, "server compression %q: a cold visit downloaded more wasm than it should", c.encoding)
				assert.Greater(t, n, c.max*7/10, "server compression %q: too few bytes: did the worker load the wasm?", c.encoding)
				row += " " + mb(n) + " |"
			}
			table = append(table, row)
		})
	}
	t.Logf("bundle size and a cold visit's wasm bytes (MB):\n%s", strings.Join(table, "\n"))
}

func mb(n int64) string { return fmt.Sprintf("%.2f", float64(n)/1e6) }

// brotli writes path.br beside path with Debian's brotli (which `make
// precompress` installs), as docs/deployment.md's precompress step does; or copies
// dist/'s, when `make precompress` made it from the same file.
func brotli(t *testing.T, path string) {
	t.Helper()
	if root, err := wasmbuild.Root(); err == nil {
		for _, name := range []string{"snworker.wasm", "compression-probe.wasm"} {
			dist := filepath.Join(root, "dist", name)
			raw, err1 := os.ReadFile(dist)
			own, err2 := os.ReadFile(path)
			raw2, err3 := os.Stat(dist)
			br, err4 := os.Stat(dist + ".br")
			if err1 == nil && err2 == nil && err3 == nil && err4 == nil && bytes.Equal(raw, own) && !br.ModTime().Before(raw2.ModTime()) {
				copyFile(t, dist+".br", path+".br")
				return
			}
		}
	}
	bin, err := exec.LookPath("brotli")
	require.NoError(t, err, "no brotli: install Debian's brotli (make precompress does)")
	out, err := exec.Command(bin, "-q", "10", "-f", "-o", path+".br", path).CombinedOutput()
	require.NoError(t, err, "brotli %s: %s", path, out)
}

// TestEndpointsCheckedOnce signs in twice on one page against an instance
// whose /oauth_token.do sends no CORS headers: the first connect() checks
// which token endpoint this origin can read, and the browser logs the
// refused probe; the second uses what the first found, with no probe.
func TestEndpointsCheckedOnce(t *testing.T) {
	out := t.TempDir()
	builds[2].build(t, out) // esbuild: the quickest
	s := serveWith(t, scan(t, out), "", false)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var con console
	defer func() {
		if t.Failed() {
			t.Logf("the browser's console:\n%s", con.text())
		}
	}()
	q := url.Values{"instance": {s.instanceURL}, "client": {clientID}}
	page, err := browser.Open(ctx, s.appURL+"/?"+q.Encode(), browsertest.PageOptions{
		Ready: "document.querySelector('#connect') !== null", Output: con.add,
		Follow: []browsertest.Kind{browsertest.Worker}})
	require.NoError(t, err)
	defer page.Close()
	probes := func() (n int) { // as the worker's own console shows them (the page's repeats them)
		for _, l := range strings.Split(con.text(), "\n") {
			if strings.HasPrefix(l, "worker ") && strings.Contains(l, "/oauth_token.do' from origin") {
				n++
			}
		}
		return n
	}
	for i := range 2 {
		require.NoError(t, page.Eval(5*time.Second, `document.getElementById('out').textContent = ''`, nil))
		next := page.Next(browsertest.Popup)
		require.NoError(t, page.Run(10*time.Second, "clicking Connect", chromedp.Click("#connect", chromedp.ByQuery)))
		w, err := next(15 * time.Second)
		require.NoError(t, err, "sign-in %d: the window", i+1)
		require.NoError(t, engines.SignIn(engines.DevToolsWindow(page, w), engines.Allow, 0), "sign-in %d", i+1)
		var text string
		require.NoError(t, page.Run(30*time.Second, "waiting for the app's result",
			chromedp.WaitVisible("#out:not(:empty)", chromedp.ByQuery), chromedp.Text("#out", &text, chromedp.ByQuery)))
		var res result
		require.NoError(t, json.Unmarshal([]byte(text), &res))
		requireSignedIn(t, res)
		if i == 0 {
			assert.Contains(t, con.text(), "checking which token endpoint answers this origin", "the log says what the probe is")
		}
	}
	assert.Equal(t, 1, probes(), "refused probes of /oauth_token.do in the console over two sign-ins")
	assert.Contains(t, con.text(), "endpoints: checking openfin first, as found for "+s.instanceURL)
}

// TestWorkerPolicyNamed serves the worker with a connect-src that names
// another instance than the app's: connect() fails saying that the
// worker's own policy refused the request, naming the directive, rather
// than blaming the instance's CORS.
func TestWorkerPolicyNamed(t *testing.T) {
	out := t.TempDir()
	builds[2].build(t, out)
	b := scan(t, out)
	s := serve(t, b, "")
	other := newInstance(t, s.appURL, true, s.appURL+"/") // not in the worker's connect-src
	res, _ := connect(t, s.appURL, other, "", false)
	require.False(t, res.OK, "connect() succeeded through a policy that refuses the instance")
	assert.Contains(t, res.Error, "InitializationError")
	assert.Contains(t, res.Error, "the worker's own Content-Security-Policy refused "+other)
	assert.Contains(t, res.Error, "(directive connect-src): add "+other+" to connect-src")
	assert.NotContains(t, res.Error, "CORS")
}

//go:build !js

package bundlers

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/deployment"
	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/engines"
	"github.com/snworker/snworker/internal/workerscript"
)

const clientID = "bundler-app"

// wasmExecMark is a string of Go's wasm_exec.js that minifiers keep: the
// file holding it is the worker script.
const wasmExecMark = "Go program has already exited"

// build is a bundler's output folder, with what the server must know of it.
type build struct {
	dir      string
	redirect string          // a redirect page of the app's own, such as /own-redirect.html; "" for none
	workers  map[string]bool // paths of worker scripts
	hashes   []string        // 'sha256-…' of index.html's inline scripts (Parcel's importmap)
}

// inlineScript matches a script element with no src and its text.
var inlineScript = regexp.MustCompile(`(?s)<script\b([^>]*)>(.*?)</script>`)

// scriptHashes are the CSP sources that allow the inline scripts of page,
// as docs/deployment.md says to add them for Parcel.
func scriptHashes(page []byte) []string {
	var out []string
	for _, m := range inlineScript.FindAllSubmatch(page, -1) {
		if regexp.MustCompile(`\bsrc=`).Match(m[1]) {
			continue
		}
		sum := sha256.Sum256(m[2])
		out = append(out, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	return out
}

// scan finds the redirect page of the app's own, if any (an HTML file but
// index.html), and the worker script in a build.
func scan(t *testing.T, dir string) build {
	t.Helper()
	b := build{dir: dir, workers: map[string]bool{}}
	var pages []string
	require.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		urlPath := "/" + filepath.ToSlash(rel)
		switch filepath.Ext(p) {
		case ".html":
			if rel != "index.html" {
				pages = append(pages, urlPath)
			}
		case ".js":
			text, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if strings.Contains(string(text), wasmExecMark) {
				b.workers[urlPath] = true
			}
		}
		return nil
	}))
	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	require.NoError(t, err)
	b.hashes = scriptHashes(index)
	require.LessOrEqual(t, len(pages), 1, "want at most one redirect page in %s besides index.html: %v", dir, pages)
	require.Len(t, b.workers, 1, "want one worker script (holding Go's wasm_exec.js) in %s", dir)
	if len(pages) == 1 {
		b.redirect = pages[0]
	}
	return b
}

// site is an app served from one origin and an instance on another.
type site struct {
	appURL, instanceURL string
	*counter
}

// counter counts the wasm bytes the app's server sends, as sent (after any
// compression), and can turn compression on.
type counter struct {
	wasmBytes atomic.Int64
	encoding  atomic.Value // "", "gzip" or "br"
}

// compress makes the server send application/wasm gzipped as it goes
// ("gzip", as nginx's gzip does), or brotli-compressed from a .br file
// beside it ("br", as nginx's brotli_static does), to browsers that accept
// it; "" turns compression off.
func (c *counter) compress(encoding string) { c.encoding.Store(encoding) }

// countingWriter counts what goes through it.
type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n.Add(int64(n))
	return n, err
}

// gzipWriter compresses a response, dropping the length and ranges.
type gzipWriter struct {
	http.ResponseWriter
	zw *gzip.Writer
}

func (w gzipWriter) WriteHeader(code int) {
	h := w.Header()
	h.Del("Content-Length")
	h.Del("Accept-Ranges")
	h.Set("Content-Encoding", "gzip")
	w.ResponseWriter.WriteHeader(code)
}

func (w gzipWriter) Write(b []byte) (int, error) { return w.zw.Write(b) }

// wasmFile is a path of the wasm or of its gzip, as any bundler names them.
var wasmFile = regexp.MustCompile(`\.wasm$|wasm[.-].*\.gz$|\.gz$`)

// serve serves a build with docs/deployment.md's headers: the worker script only to
// worker requests (the serving rule), and each response its policy.
// wasmType, if set, replaces the wasm's Content-Type.
func serve(t *testing.T, b build, wasmType string) site {
	t.Helper()
	return serveWith(t, b, wasmType, true)
}

// serveWith is serve, with an instance whose /oauth_token.do sends CORS
// headers only if tokenCORS is set.
func serveWith(t *testing.T, b build, wasmType string, tokenCORS bool) site {
	t.Helper()
	files := http.FileServer(http.Dir(b.dir))
	var instanceURL string
	count := &counter{}
	app := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		p := r.URL.Path
		if p == "/favicon.ico" { // the browser's own request, not the app's
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if wasmFile.MatchString(p) {
			w = countingWriter{w, &count.wasmBytes}
			enc, _ := count.encoding.Load().(string)
			accepted := enc != "" && strings.HasSuffix(p, ".wasm") && strings.Contains(r.Header.Get("Accept-Encoding"), enc)
			switch {
			case accepted && enc == "gzip":
				r.Header.Del("Range") // such a server answers whole
				// zlib's default level, as express's compression and most
				// servers that compress as they send (-9 is 3 times slower,
				// 12 s for the wasm under -race).
				zw, _ := gzip.NewWriterLevel(w, gzip.DefaultCompression)
				defer zw.Close()
				w = gzipWriter{w, zw}
			case accepted && enc == "br":
				f, err := os.Open(filepath.Join(b.dir, filepath.FromSlash(p)) + ".br")
				if err != nil {
					break
				}
				defer f.Close()
				h.Set("Content-Type", "application/wasm")
				h.Set("Content-Encoding", "br")
				h.Set("Vary", "Accept-Encoding")
				h.Set("Content-Security-Policy", deployment.BasePolicy)
				r.Header.Del("Range")
				http.ServeContent(w, r, "", time.Time{}, f)
				return
			}
		}
		if wasmType != "" && strings.HasSuffix(p, ".wasm") {
			h.Set("Content-Type", wasmType)
		}
		switch {
		case b.workers[p]:
			h.Set("Content-Security-Policy", deployment.BasePolicy)
			if workerscript.Allowed(r) {
				h.Set("Content-Security-Policy", deployment.WorkerPolicy(instanceURL))
			}
			workerscript.Serve(w, r, files)
			return
		case p == b.redirect && p != "":
			h.Set("Content-Security-Policy", deployment.RedirectPolicy)
		case p == "/" || p == "/index.html":
			h.Set("Content-Security-Policy", strings.Replace(deployment.PagePolicy, "script-src 'self'", strings.Join(append([]string{"script-src 'self'"}, b.hashes...), " "), 1))
		default:
			h.Set("Content-Security-Policy", deployment.BasePolicy)
		}
		files.ServeHTTP(w, r)
	}))
	appURL := "http://" + app.Listener.Addr().String()
	// The default redirect URL is the page's folder, where index.html is.
	redirects := []string{appURL + "/"}
	if b.redirect != "" {
		redirects = append(redirects, appURL+b.redirect)
	}
	instanceURL = newInstance(t, appURL, tokenCORS, redirects...)
	app.Start()
	t.Cleanup(app.Close)
	return site{appURL: appURL, instanceURL: instanceURL, counter: count}
}

// newInstance starts an emulated instance whose client has the redirect
// URLs given, allowing CORS from app; it answers /oauth_token.do with CORS
// headers, as an instance with glide.oauth.cors.allowed.origin set does.
func newInstance(t *testing.T, app string, tokenCORS bool, redirects ...string) string {
	em := emulator.New(emulator.Config{
		Clients:        []emulator.Client{{ID: clientID, RedirectURIs: redirects}},
		AllowedOrigins: []string{app},
		TokenCORS:      tokenCORS,
	})
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	return srv.URL
}

// console collects what a page and its targets print or throw.
type console struct {
	mu    sync.Mutex
	lines []string
}

func (c *console) add(o browsertest.Output) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lines = append(c.lines, o.String())
}

func (c *console) text() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.lines, "\n")
}

// result is what the app shows once done.
type result struct {
	OK      bool   `json:"ok"`
	Error   string `json:"error"`
	User    string `json:"user"`
	Status  int    `json:"status"`
	Records int    `json:"records"`

	Stored string `json:"-"` // localStorage's handleRedirect, where a page of the app's own recorded it
}

// signIn opens the app at appURL, clicks Connect, logs in as admin in the
// window that opens, and returns what the app shows and its console. With
// redirect, the app passes it as options.redirectUri.
func signIn(t *testing.T, appURL, instanceURL, redirect string) (result, string) {
	t.Helper()
	return connect(t, appURL, instanceURL, redirect, true)
}

// connect is signIn, logging in only if login is set.
func connect(t *testing.T, appURL, instanceURL, redirect string, login bool) (result, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	var con console
	defer func() {
		if t.Failed() {
			t.Logf("the browser's console:\n%s", con.text())
		}
	}()
	q := url.Values{"instance": {instanceURL}, "client": {clientID}}
	if redirect != "" {
		q.Set("redirect", redirect)
	}
	// Without login, connect() is to fail: a worker or window that ends at
	// once would hold page.Close until its attach times out, so neither is
	// followed.
	o := browsertest.PageOptions{Ready: "document.querySelector('#connect') !== null", Output: con.add}
	if login {
		o.Follow = []browsertest.Kind{browsertest.Worker, browsertest.SharedWorker}
	}
	page, err := browser.Open(ctx, appURL+"/?"+q.Encode(), o)
	require.NoError(t, err, "loading the app")
	defer page.Close()

	var next func(time.Duration) (*browsertest.Target, error)
	if login {
		next = page.Next(browsertest.Popup)
	}
	require.NoError(t, page.Run(10*time.Second, "clicking Connect", chromedp.Click("#connect", chromedp.ByQuery)))
	if login {
		w, err := next(15 * time.Second)
		require.NoError(t, err, "the sign-in window")
		require.NoError(t, engines.SignIn(engines.DevToolsWindow(page, w), engines.Allow, 0), "signing in on the instance's page")
	}

	var out string
	require.NoError(t, page.Run(30*time.Second, "waiting for the app's result",
		chromedp.WaitVisible("#out:not(:empty)", chromedp.ByQuery),
		chromedp.Text("#out", &out, chromedp.ByQuery)))
	var res result
	require.NoError(t, json.Unmarshal([]byte(out), &res), "the app showed %q", out)
	require.NoError(t, page.Eval(5*time.Second, `localStorage.getItem('handleRedirect') ?? ''`, &res.Stored))
	return res, con.text()
}

// requireSignedIn requires the app to have signed in and read one incident.
func requireSignedIn(t *testing.T, res result) {
	t.Helper()
	require.True(t, res.OK, "the app failed: %s", res.Error)
	require.Equal(t, "admin", res.User)
	require.Equal(t, http.StatusOK, res.Status)
	require.Equal(t, 1, res.Records, "want one incident from the Table API")
}

// errorLines are the console's errors, exceptions and failed loads, but
// for the one that enableLogging() causes on purpose: it starts a blob:
// worker to warn when the page's CSP lets one start.
func errorLines(logs string) []string {
	var out []string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "Creating a worker from 'blob:") && strings.Contains(l, `directive: "worker-src 'self'"`) {
			continue
		}
		if strings.Contains(l, " console.error: ") || strings.Contains(l, " exception: ") || strings.Contains(l, "/error: ") {
			out = append(out, l)
		}
	}
	return out
}

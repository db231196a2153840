//go:build !js

package bundlers

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/workerscript"
)

const clientID = "bundler-app"

// The README's policies ("Serving the module"), with the emulated instance.
const (
	pagePolicy     = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	strictPolicy   = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	workerPolicy   = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' "
	redirectPolicy = "default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

// wasmExecMark is a string of Go's wasm_exec.js that minifiers keep: the
// file holding it is the worker script.
const wasmExecMark = "Go program has already exited"

// build is a bundler's output folder, with what the server must know of it.
type build struct {
	dir      string
	redirect string          // a redirect page of the app's own, such as /own-redirect.html; "" for none
	workers  map[string]bool // paths of worker scripts
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
}

// serve serves a build with the README's headers: the worker script only to
// worker requests (the serving rule), and each response its policy.
// wasmType, if set, replaces the wasm's Content-Type.
func serve(t *testing.T, b build, wasmType string) site {
	t.Helper()
	files := http.FileServer(http.Dir(b.dir))
	var instanceURL string
	app := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		p := r.URL.Path
		if wasmType != "" && strings.HasSuffix(p, ".wasm") {
			h.Set("Content-Type", wasmType)
		}
		switch {
		case b.workers[p]:
			h.Set("Content-Security-Policy", strictPolicy)
			if workerscript.Allowed(r) {
				h.Set("Content-Security-Policy", workerPolicy+instanceURL)
			}
			workerscript.Serve(w, r, files)
			return
		case p == b.redirect && p != "":
			h.Set("Content-Security-Policy", redirectPolicy)
		case p == "/" || p == "/index.html":
			h.Set("Content-Security-Policy", pagePolicy)
		default:
			h.Set("Content-Security-Policy", strictPolicy)
		}
		files.ServeHTTP(w, r)
	}))
	appURL := "http://" + app.Listener.Addr().String()
	// The default redirect URL is the page's folder, where index.html is.
	redirects := []string{appURL + "/"}
	if b.redirect != "" {
		redirects = append(redirects, appURL+b.redirect)
	}
	instanceURL = newInstance(t, appURL, redirects...)
	app.Start()
	t.Cleanup(app.Close)
	return site{appURL: appURL, instanceURL: instanceURL}
}

// newInstance starts an emulated instance whose client has the redirect
// URLs given, allowing CORS from app; it answers /oauth_token.do with CORS
// headers, as an instance with glide.oauth.cors.allowed.origin set does.
func newInstance(t *testing.T, app string, redirects ...string) string {
	em := emulator.New(emulator.Config{
		Clients:        []emulator.Client{{ID: clientID, RedirectURIs: redirects}},
		AllowedOrigins: []string{app},
		TokenCORS:      true,
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
	page, err := browser.Open(ctx, appURL+"/?"+q.Encode(), browsertest.PageOptions{
		Ready: "document.querySelector('#connect') !== null", Output: con.add,
		Follow: []browsertest.Kind{browsertest.Worker, browsertest.SharedWorker}})
	require.NoError(t, err, "loading the app")
	defer page.Close()

	next := page.Next(browsertest.Popup)
	require.NoError(t, page.Run(10*time.Second, "clicking Connect", chromedp.Click("#connect", chromedp.ByQuery)))
	if login {
		w, err := next(15 * time.Second)
		require.NoError(t, err, "the sign-in window")
		require.NoError(t, browsertest.SignIn(w, browsertest.Allow), "signing in on the instance's page")
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

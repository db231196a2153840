//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/browsertest"
)

const (
	clientID    = "e2e-client"
	testTimeout = 60 * time.Second
)

// instance is an emulated ServiceNow instance on its own origin.
type instance struct {
	*emulator.Server
	URL string
}

// newInstance starts an instance whose client accepts the package's redirect
// page and the OpenFin test's landing page.
func newInstance(t *testing.T, tokenCORS bool) *instance {
	return serveInstance(t, tokenCORS, nil)
}

// serveInstance is newInstance with wrap, if not nil, in front of the
// emulator: to hold or change what it answers.
func serveInstance(t *testing.T, tokenCORS bool, wrap func(http.Handler) http.Handler) *instance {
	em := emulator.New(emulator.Config{
		Clients: []emulator.Client{{
			ID:           clientID,
			RedirectURIs: []string{appURL + "/test/", appURL + "/coop/test/", appURL + "/js/redirect.html", appURL + "/test/landing.html"},
		}},
		AllowedOrigins: []string{appURL},
		TokenCORS:      tokenCORS,
		TestControls:   true,
	})
	var h http.Handler = em
	if wrap != nil {
		h = wrap(em)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &instance{Server: em, URL: srv.URL}
}

// bearerWorks reports whether tok is accepted as an access token.
func (in *instance) bearerWorks(t *testing.T, tok string) bool {
	req, err := http.NewRequest(http.MethodGet, in.URL+"/api/now/table/sys_user?sysparm_limit=1", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// refreshWorks reports whether tok is accepted as a refresh token.
func (in *instance) refreshWorks(t *testing.T, tok string) bool {
	form := "grant_type=refresh_token&client_id=" + clientID + "&refresh_token=" + tok
	res, err := http.Post(in.URL+"/oauth_token.do", "application/x-www-form-urlencoded", strings.NewReader(form))
	require.NoError(t, err)
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// logger forwards browser output to the test log until the test ends.
type logger struct {
	mu   sync.Mutex
	t    *testing.T
	done bool
}

func newLogger(t *testing.T) *logger {
	l := &logger{t: t}
	t.Cleanup(func() {
		l.mu.Lock()
		l.done = true
		l.mu.Unlock()
	})
	return l
}

func (l *logger) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done {
		l.t.Logf(format, args...)
	}
}

func (l *logger) output(o browsertest.Output) { l.logf("%s", o) }

// page is a test page, or a window one opened, that follows the windows
// and workers it opens and logs their output.
type page struct {
	t   *testing.T
	ctx context.Context
	id  target.ID
	bp  *browsertest.Page
	log *logger
}

// newPage opens /test/index.html in a new browser context (own cookies and
// storage) with the test's deadline, logging the page's and its workers' output.
func newPage(t *testing.T) *page {
	return openPage(t, "/test/index.html", "window.t !== undefined")
}

// openPage opens path and waits until the expression ready is true.
func openPage(t *testing.T, path, ready string) *page {
	return openPageIn(t, browser, path, ready)
}

// openPageIn is openPage in another browser than the package's.
func openPageIn(t *testing.T, b *browsertest.Browser, path, ready string) *page {
	return openPageFollowing(t, b, path, ready, browsertest.Worker, browsertest.SharedWorker)
}

// openPageFollowing is openPageIn, capturing the output of the kinds of
// target given.
func openPageFollowing(t *testing.T, b *browsertest.Browser, path, ready string, follow ...browsertest.Kind) *page {
	t.Helper()
	l := newLogger(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	bp, err := b.Open(ctx, appURL+path, browsertest.PageOptions{
		Ready: ready, Output: l.output, Follow: follow,
	})
	require.NoError(t, err)
	t.Cleanup(bp.Close)
	return &page{t: t, ctx: bp.Ctx, id: bp.ID, bp: bp, log: l}
}

// run runs chromedp actions on the page and fails the test on error.
func (p *page) run(what string, actions ...chromedp.Action) {
	p.t.Helper()
	require.NoError(p.t, chromedp.Run(p.ctx, actions...), what)
}

// eval evaluates expr, awaiting a promise, into out.
func (p *page) eval(expr string, out any) {
	p.t.Helper()
	require.NoError(p.t, p.bp.Eval(testTimeout, expr, out))
}

// waitFor polls expr in the page until it is truthy. (chromedp.Poll
// evaluates with a user gesture.)
func (p *page) waitFor(expr string, timeout time.Duration) {
	p.t.Helper()
	p.run(fmt.Sprintf("waiting %v for %s", timeout, expr),
		chromedp.Poll(expr, nil, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
}

// jsError is an error as the test page describes it.
type jsError struct {
	Name    string          `json:"name"`
	Message string          `json:"message"`
	Status  int             `json:"status"`
	Data    json.RawMessage `json:"data"`
	Is      map[string]bool `json:"is"` // instanceof ApiError, AuthorizationError, DOMException, …
}

// outcome is a settled promise as the test page describes it.
type outcome struct {
	OK    bool            `json:"ok"`
	Value json.RawMessage `json:"value"`
	Error *jsError        `json:"error"`
}

// evaluator is a window a test evaluates in: a page driven over DevTools
// here, or a window of any engine (engines_harness_test.go).
type evaluator interface {
	eval(expr string, out any)
}

// settle evaluates expr, a promise from the page's t helpers, to an outcome.
func settle(t *testing.T, w evaluator, expr string) outcome {
	t.Helper()
	var o outcome
	w.eval(expr, &o)
	return o
}

// ok settles expr, requires success and decodes the value into out.
func ok(t *testing.T, w evaluator, expr string, out any) {
	t.Helper()
	o := settle(t, w, expr)
	require.True(t, o.OK, "%s failed: %+v", expr, o.Error)
	if out != nil {
		require.NoError(t, json.Unmarshal(o.Value, out), "decoding the value of %s: %s", expr, o.Value)
	}
}

// fails settles expr and requires it to fail with an instance of class.
func fails(t *testing.T, w evaluator, expr, class string) *jsError {
	t.Helper()
	o := settle(t, w, expr)
	require.False(t, o.OK, "%s succeeded with %s; want %s", expr, o.Value, class)
	require.True(t, o.Error.Is[class], "%s failed with %s (%q); want instanceof %s", expr, o.Error.Name, o.Error.Message, class)
	return o.Error
}

// configure sets the arguments the Connect buttons pass to connect().
func configure(t *testing.T, w evaluator, in *instance, options map[string]any) {
	t.Helper()
	b, err := json.Marshal(map[string]any{"instanceUrl": in.URL, "clientId": clientID, "options": options})
	require.NoError(t, err)
	w.eval(fmt.Sprintf("(t.config = %s, true)", b), nil)
}

func (p *page) settle(expr string) outcome { p.t.Helper(); return settle(p.t, p, expr) }
func (p *page) ok(expr string, out any)    { p.t.Helper(); ok(p.t, p, expr, out) }
func (p *page) fails(expr, class string) *jsError {
	p.t.Helper()
	return fails(p.t, p, expr, class)
}
func (p *page) configure(in *instance, options map[string]any) {
	p.t.Helper()
	configure(p.t, p, in, options)
}

// popup is an authorization window opened by the page.
type popup struct {
	p *page
	w *browsertest.Target
}

// clickForPopup clicks selector (a real user gesture) and returns the
// window the page opens; listeners get its events from its start.
func (p *page) clickForPopup(selector string, listeners ...func(ev any)) *popup {
	p.t.Helper()
	return p.clickForPopupWithin(selector, 10*time.Second, listeners...)
}

// clickForPopupWithin is clickForPopup, waiting up to timeout for the window.
func (p *page) clickForPopupWithin(selector string, timeout time.Duration, listeners ...func(ev any)) *popup {
	p.t.Helper()
	next := p.bp.Next(browsertest.Popup, listeners...)
	p.run("clicking "+selector, chromedp.Click(selector, chromedp.ByQuery))
	w, err := next(timeout)
	require.NoError(p.t, err, "waiting for the authorization window")
	return &popup{p: p, w: w}
}

// clickForFinWindow is clickForPopup for a page whose fin stand-in
// (testdata/test/finstandin.js) opened the window: the driver, which sees
// the window's real URL on any origin, reports each one the window commits
// to finStandIn, with the HTTP status of its document, as OpenFin's window
// API would; for an error status, with the page's text once loaded, which
// OpenFin's executeJavaScript would read.
func (p *page) clickForFinWindow(selector string) *popup {
	p.t.Helper()
	target := make(chan *browsertest.Target, 1)
	var w *browsertest.Target
	report := func(url string) {
		if w == nil {
			select {
			case w = <-target:
			case <-p.ctx.Done():
				return
			}
		}
		// The status of the document the window shows, if it is still url.
		var page struct {
			Status int    `json:"status"`
			Text   string `json:"text"`
		}
		err := w.Run(testTimeout, "reading the window's document", browsertest.Evaluate(fmt.Sprintf(`(async (url) => {
			const status = location.href === url ? performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0 : 0;
			if (status < 400) return {status, text: ''};
			await new Promise((r) => document.readyState === 'complete' ? r() : addEventListener('load', r));
			return {status, text: document.body ? document.body.innerText : ''};
		})(%q)`, url), &page))
		if err != nil && p.ctx.Err() == nil {
			p.log.logf("reading the window at %s: %v", url, err)
		}
		if page.Status == 0 {
			page.Status = 200
		}
		expr := fmt.Sprintf("finStandIn.__report(%q, %d, %q)", url, page.Status, page.Text)
		if err := chromedp.Run(p.ctx, chromedp.Evaluate(expr, nil)); err != nil && p.ctx.Err() == nil {
			p.log.logf("reporting %s to the fin stand-in: %v", url, err)
		}
	}
	urls := make(chan string, 100) // reported in the order the window went
	go func() {
		for {
			select {
			case url := <-urls:
				report(url)
			case <-p.ctx.Done():
				return
			}
		}
	}()
	// fin.Window.create comes only once the worker has answered (the browser
	// popup opens inside the click): the wait is the worker's start, testTimeout.
	win := p.clickForPopupWithin(selector, testTimeout, func(ev any) {
		if ev, ok := ev.(*cdppage.EventFrameNavigated); ok && ev.Frame.ParentID == "" {
			urls <- ev.Frame.URL + ev.Frame.URLFragment
		}
	})
	target <- win.w
	// A first page committed before the attach sent no event: report it.
	var first string
	if err := win.w.Run(testTimeout, "reading the window's URL", chromedp.Evaluate("location.href", &first)); err == nil && first != "about:blank" {
		urls <- first
	}
	return win
}

// signIn logs in as admin if asked to, then presses Allow or Deny.
func (w *popup) signIn(answer browsertest.Answer) {
	w.p.t.Helper()
	require.NoError(w.p.t, browsertest.SignIn(w.w, answer))
}

// waitSignInPage waits until the window shows the instance's sign-in page.
func (w *popup) waitSignInPage() {
	w.p.t.Helper()
	_, err := browsertest.AwaitSignIn(w.w)
	require.NoError(w.p.t, err)
}

// close closes the window as a user would.
func (w *popup) close() {
	w.p.t.Helper()
	require.NoError(w.p.t, w.w.Run(testTimeout, "closing the authorization window", cdppage.Close()))
}

// gone waits until the window no longer exists.
func (w *popup) gone(timeout time.Duration) {
	w.p.t.Helper()
	destroyed := make(chan struct{})
	var once sync.Once
	lctx, cancel := context.WithCancel(w.p.ctx)
	defer cancel()
	chromedp.ListenTarget(lctx, func(ev any) {
		if ev, ok := ev.(*target.EventTargetDestroyed); ok && ev.TargetID == w.w.ID {
			once.Do(func() { close(destroyed) })
		}
	})
	targets, err := chromedp.Targets(w.p.ctx)
	require.NoError(w.p.t, err)
	open := false
	for _, ti := range targets {
		open = open || ti.TargetID == w.w.ID
	}
	if !open {
		return
	}
	select {
	case <-destroyed:
	case <-time.After(timeout):
		w.p.t.Fatalf("the authorization window is still open after %v", timeout)
	}
}

// connect clicks Connect, signs in with Allow and requires success.
func (p *page) connect(in *instance, options map[string]any) map[string]any {
	p.t.Helper()
	p.configure(in, options)
	p.clickForPopup("#connect").signIn(browsertest.Allow)
	var v struct {
		CurrentUser map[string]any `json:"currentUser"`
	}
	p.ok("t.last", &v)
	return v.CurrentUser
}

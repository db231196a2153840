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
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
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
	em := emulator.New(emulator.Config{
		Clients: []emulator.Client{{
			ID:           clientID,
			RedirectURIs: []string{appURL + "/js/redirect.html", appURL + "/test/landing.html"},
		}},
		AllowedOrigins: []string{appURL},
		TokenCORS:      tokenCORS,
		TestControls:   true,
	})
	srv := httptest.NewServer(em)
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

// listen logs a target's console and uncaught exceptions, prefixed by who.
func (l *logger) listen(ctx context.Context, who string) {
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var parts []string
			for _, a := range ev.Args {
				switch {
				case a.Value != nil:
					var s string
					if json.Unmarshal(a.Value, &s) != nil {
						s = string(a.Value)
					}
					parts = append(parts, s)
				case a.UnserializableValue != "":
					parts = append(parts, string(a.UnserializableValue))
				default:
					parts = append(parts, a.Description)
				}
			}
			l.logf("%s console.%s: %s", who, ev.Type, strings.Join(parts, " "))
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg = d.Exception.Description
			}
			l.logf("%s exception: %s (%s:%d)", who, msg, d.URL, d.LineNumber)
		}
	})
}

// page is a test page in a fresh browser context.
type page struct {
	t   *testing.T
	ctx context.Context
	log *logger
	id  target.ID
}

// newPage opens /test/index.html in a new browser context (own cookies and
// storage) with the test's deadline, logging the page's and its workers' output.
func newPage(t *testing.T) *page {
	return openPage(t, "/test/index.html", "window.t !== undefined")
}

// openPage opens path and waits until the expression ready is truthy.
func openPage(t *testing.T, path, ready string) *page {
	l := newLogger(t)
	dctx, cancelDeadline := context.WithTimeout(browserCtx, testTimeout)
	ctx, cancel := chromedp.NewContext(dctx, chromedp.WithNewBrowserContext())
	t.Cleanup(func() {
		cancel()
		cancelDeadline()
	})
	l.listen(ctx, "page")
	p := &page{t: t, ctx: ctx, log: l}
	chromedp.ListenTarget(ctx, func(ev any) {
		if ev, ok := ev.(*target.EventAttachedToTarget); ok && ev.TargetInfo.Type == "worker" {
			go p.attachWorker(ev.TargetInfo.TargetID)
		}
	})
	// Navigate waits for the load event, by which module scripts have run.
	// (Not chromedp.Poll: it evaluates with a user gesture, which would let
	// the page open popups.)
	var loaded bool
	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(appURL+path), chromedp.Evaluate(ready, &loaded)), "loading %s", path)
	require.True(t, loaded, "%s loaded, but %s is false; see the page's console above", path, ready)
	p.id = chromedp.FromContext(ctx).Target.TargetID
	return p
}

// attachWorker logs a worker's console (messages logged before attaching
// are replayed when the Runtime domain is enabled).
func (p *page) attachWorker(id target.ID) {
	wctx, cancel := chromedp.NewContext(p.ctx, chromedp.WithTargetID(id))
	p.log.listen(wctx, "worker")
	if err := chromedp.Run(wctx); err != nil && p.ctx.Err() == nil {
		p.log.logf("cannot attach to worker %s: %v", id, err)
	}
	<-p.ctx.Done()
	cancel()
}

// run runs chromedp actions on the page and fails the test on error.
func (p *page) run(what string, actions ...chromedp.Action) {
	p.t.Helper()
	require.NoError(p.t, chromedp.Run(p.ctx, actions...), what)
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

// eval evaluates expr, awaiting a promise, into out.
func (p *page) eval(expr string, out any) {
	p.t.Helper()
	p.run("evaluating "+expr, chromedp.Evaluate(expr, out, awaitPromise))
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

// settle evaluates expr, a promise from the page's t helpers, to an outcome.
func (p *page) settle(expr string) outcome {
	p.t.Helper()
	var o outcome
	p.eval(expr, &o)
	return o
}

// ok settles expr, requires success and decodes the value into out.
func (p *page) ok(expr string, out any) {
	p.t.Helper()
	o := p.settle(expr)
	require.True(p.t, o.OK, "%s failed: %+v", expr, o.Error)
	if out != nil {
		require.NoError(p.t, json.Unmarshal(o.Value, out), "decoding the value of %s: %s", expr, o.Value)
	}
}

// fails settles expr and requires it to fail with an instance of class.
func (p *page) fails(expr, class string) *jsError {
	p.t.Helper()
	o := p.settle(expr)
	require.False(p.t, o.OK, "%s succeeded with %s; want %s", expr, o.Value, class)
	require.True(p.t, o.Error.Is[class], "%s failed with %s (%q); want instanceof %s", expr, o.Error.Name, o.Error.Message, class)
	return o.Error
}

// configure sets the arguments the Connect buttons pass to connect().
func (p *page) configure(in *instance, options map[string]any) {
	p.t.Helper()
	cfg := map[string]any{"instanceUrl": in.URL, "clientId": clientID, "options": options}
	b, err := json.Marshal(cfg)
	require.NoError(p.t, err)
	p.eval(fmt.Sprintf("(t.config = %s, true)", b), nil)
}

// popup is an authorization window opened by the page.
type popup struct {
	p   *page
	ctx context.Context
	id  target.ID
}

// clickForPopup clicks selector (a real user gesture) and returns the
// window the page opens.
func (p *page) clickForPopup(selector string) *popup {
	p.t.Helper()
	ch := chromedp.WaitNewTarget(p.ctx, func(info *target.Info) bool {
		return info.Type == "page" && info.OpenerID == p.id
	})
	p.run("clicking "+selector, chromedp.Click(selector, chromedp.ByQuery))
	return p.nextPopup(ch)
}

func (p *page) nextPopup(ch <-chan target.ID) *popup {
	p.t.Helper()
	select {
	case id := <-ch:
		ctx, cancel := chromedp.NewContext(p.ctx, chromedp.WithTargetID(id))
		p.t.Cleanup(cancel)
		p.log.listen(ctx, "popup")
		return &popup{p: p, ctx: ctx, id: id}
	case <-time.After(10 * time.Second):
		p.t.Fatal("no authorization window opened within 10 s")
	case <-p.ctx.Done():
		p.t.Fatalf("no authorization window opened: %v", p.ctx.Err())
	}
	return nil
}

// signIn logs in as admin if asked to, then presses Allow or Deny.
func (w *popup) signIn(button string) {
	t := w.p.t
	t.Helper()
	var login bool
	require.NoError(t, chromedp.Run(w.ctx,
		chromedp.WaitVisible("#user_name, #allow", chromedp.ByQuery),
		chromedp.Evaluate("!!document.querySelector('#user_name')", &login),
	), "waiting for the sign-in page")
	if login {
		require.NoError(t, chromedp.Run(w.ctx,
			chromedp.SendKeys("#user_name", "admin", chromedp.ByQuery),
			chromedp.SendKeys("#user_password", "admin", chromedp.ByQuery),
			chromedp.Click("#sysverb_login", chromedp.ByQuery),
			chromedp.WaitVisible("#allow", chromedp.ByQuery),
		), "logging in")
	}
	require.NoError(t, chromedp.Run(w.ctx, chromedp.Click("#"+button, chromedp.ByQuery)), "pressing %s", button)
}

// waitSignInPage waits until the window shows the instance's sign-in page.
func (w *popup) waitSignInPage() {
	w.p.t.Helper()
	require.NoError(w.p.t, chromedp.Run(w.ctx, chromedp.WaitVisible("#user_name, #allow", chromedp.ByQuery)), "waiting for the sign-in page")
}

// close closes the window as a user would.
func (w *popup) close() {
	w.p.t.Helper()
	require.NoError(w.p.t, chromedp.Run(w.ctx, cdppage.Close()), "closing the authorization window")
}

// gone waits until the window no longer exists.
func (w *popup) gone(timeout time.Duration) {
	w.p.t.Helper()
	destroyed := make(chan struct{})
	var once sync.Once
	lctx, cancel := context.WithCancel(w.p.ctx)
	defer cancel()
	chromedp.ListenTarget(lctx, func(ev any) {
		if ev, ok := ev.(*target.EventTargetDestroyed); ok && ev.TargetID == w.id {
			once.Do(func() { close(destroyed) })
		}
	})
	targets, err := chromedp.Targets(w.p.ctx)
	require.NoError(w.p.t, err)
	open := false
	for _, ti := range targets {
		open = open || ti.TargetID == w.id
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
	p.clickForPopup("#connect").signIn("allow")
	var v struct {
		CurrentUser map[string]any `json:"currentUser"`
	}
	p.ok("t.last", &v)
	return v.CurrentUser
}

//go:build !js

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/engines"
	"github.com/stretchr/testify/require"
)

// browser drives the app's page in headless Chromium and collects console
// errors, exceptions and CSP violations from the page, its workers and its
// popups.
type browser struct {
	t    *testing.T
	tab  *browsertest.Page
	page context.Context // the app's tab

	mu       sync.Mutex
	problems []string
	console  []string // every console and log line, to look for tokens in
}

func newBrowser(t *testing.T, ctx context.Context) *browser {
	t.Helper()
	bw, err := browsertest.Start(ctx, browsertest.Options{Flags: []chromedp.ExecAllocatorOption{chromedp.WindowSize(1280, 1000)}})
	require.NoError(t, err)
	t.Cleanup(bw.Close)
	b := &browser{t: t}
	b.tab, err = bw.Open(ctx, "", browsertest.PageOptions{
		Output: b.output, Follow: []browsertest.Kind{browsertest.Worker, browsertest.SharedWorker}})
	require.NoError(t, err)
	t.Cleanup(b.tab.Close)
	b.page = b.tab.Ctx
	chromedp.ListenTarget(b.page, func(ev any) {
		if ev, ok := ev.(*runtime.EventBindingCalled); ok && ev.Name == "reportViolation" {
			b.problem("page: CSP violation: %s", ev.Payload)
		}
	})
	b.step(b.page, "watching for CSP violations", 5*time.Second, reportViolations())
	return b
}

// step runs actions within d. On failure it names what it waited for and
// shows the app's status line, log and the problems seen so far.
func (b *browser) step(ctx context.Context, what string, d time.Duration, actions ...chromedp.Action) {
	b.t.Helper()
	sctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	if err := chromedp.Run(sctx, actions...); err != nil {
		b.fail(fmt.Errorf("%s: no success within %v: %w", what, d, err))
	}
}

// fail ends the test with err, the app's status line, log and the problems
// seen so far.
func (b *browser) fail(err error) {
	b.t.Helper()
	var status, notice, logText string
	rctx, cancel := context.WithTimeout(b.page, 2*time.Second)
	defer cancel()
	_ = chromedp.Run(rctx, chromedp.Text("#status", &status, chromedp.ByID),
		chromedp.Text("#notice", &notice, chromedp.ByID), chromedp.Text("#log", &logText, chromedp.ByID))
	problems, _ := b.seen()
	b.t.Fatalf("%v\napp status: %s\napp notice: %s\napp log:\n%s\nproblems: %q", err, status, notice, logText, problems)
}

// clickAndSignIn clicks the button with id, which opens the authorization window,
// and signs in there: the login form when the browser has no session on
// the instance, then Allow on the consent page.
func (b *browser) clickAndSignIn(id string) {
	b.t.Helper()
	next := b.tab.Next(browsertest.Popup)
	b.step(b.page, "clicking "+id, 5*time.Second, chromedp.Click("#"+id, chromedp.ByID))
	w, err := next(15 * time.Second)
	if err == nil {
		err = engines.SignIn(engines.DevToolsWindow(b.tab, w), engines.Allow, 0)
	}
	if err != nil {
		b.fail(fmt.Errorf("signing in after clicking %s: %w", id, err))
	}
}

// screenshot saves the page under out/ at the repository root.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	var png []byte
	b.step(b.page, "taking a screenshot", 10*time.Second, chromedp.FullScreenshot(&png, 100))
	dir := filepath.Join("..", "out")
	require.NoError(b.t, os.MkdirAll(dir, 0o755))
	require.NoError(b.t, os.WriteFile(filepath.Join(dir, name), png, 0o644))
	b.t.Logf("screenshot: out/%s", name)
}

func (b *browser) problem(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

func (b *browser) line(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.console = append(b.console, s)
}

// seen returns the problems and console lines so far.
func (b *browser) seen() (problems, console []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.problems...), append([]string(nil), b.console...)
}

// output keeps every console and log line, and counts console errors,
// exceptions, error log entries and CSP reports as problems.
func (b *browser) output(o browsertest.Output) {
	switch o.Kind {
	case browsertest.Console:
		b.line(o.Text)
		if o.Level == string(runtime.APITypeError) || o.Level == string(runtime.APITypeAssert) {
			b.problem("%s", o)
		}
	case browsertest.Exception:
		b.problem("%s", o)
	case browsertest.LogEntry:
		b.line(o.Text)
		if o.Level == string(log.LevelError) || strings.Contains(o.Text, "Content Security Policy") {
			if o.From == "worker" && o.Source == string(log.SourceNetwork) && strings.Contains(o.Text, "status of 401") {
				return // the instance refusing an expired token, as the test makes it
			}
			b.problem("%s", o)
		}
	}
}

// reportViolations makes every document of the target report
// securitypolicyviolation events through a binding.
func reportViolations() chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		if err := runtime.AddBinding("reportViolation").Do(ctx); err != nil {
			return err
		}
		_, err := page.AddScriptToEvaluateOnNewDocument(`document.addEventListener('securitypolicyviolation', (e) =>
  reportViolation(JSON.stringify({directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber})));`).Do(ctx)
		return err
	})
}

// waitJS polls a page expression until it is true.
func waitJS(expr string) chromedp.Action {
	return chromedp.Poll(expr, nil, chromedp.WithPollingInterval(50*time.Millisecond))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}

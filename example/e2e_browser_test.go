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
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/snworker/snworker/internal/chromium"
	"github.com/stretchr/testify/require"
)

// browser drives the app's page in headless Chromium and collects console
// errors, exceptions and CSP violations from the page, its workers and its
// popups.
type browser struct {
	t    *testing.T
	page context.Context // the app's tab

	mu       sync.Mutex
	problems []string
	console  []string // every console and log line, to look for tokens in
}

func newBrowser(t *testing.T, ctx context.Context, execPath string) *browser {
	opts := chromium.Options(execPath, chromedp.WindowSize(1280, 1000), chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	pctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	b := &browser{t: t, page: pctx}
	chromedp.ListenTarget(pctx, b.listen("page"))
	chromedp.ListenTarget(pctx, func(ev any) {
		if ev, ok := ev.(*target.EventAttachedToTarget); ok && ev.TargetInfo.Type == "worker" {
			go b.watchWorker(ev.TargetInfo.TargetID)
		}
	})
	b.attach(pctx, execPath)
	b.step(pctx, "watching for CSP violations", 5*time.Second, reportViolations())
	return b
}

// attach runs a context's first Run, which starts the browser or attaches
// to the target for as long as that Run's context lives: ctx itself, not
// one of the steps' shorter ones.
func (b *browser) attach(ctx context.Context, what string) {
	b.t.Helper()
	if err := chromedp.Run(ctx); err != nil {
		b.t.Fatalf("attaching to %s: %v", what, err)
	}
}

func (b *browser) watchWorker(id target.ID) {
	wctx, cancel := chromedp.NewContext(b.page, chromedp.WithTargetID(id))
	b.t.Cleanup(cancel)
	chromedp.ListenTarget(wctx, b.listen("worker"))
	_ = chromedp.Run(wctx) // a worker that has already stopped cannot be watched
}

// step runs actions within d. On failure it names what it waited for and
// shows the app's status line, log and the problems seen so far.
func (b *browser) step(ctx context.Context, what string, d time.Duration, actions ...chromedp.Action) {
	b.t.Helper()
	sctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	if err := chromedp.Run(sctx, actions...); err != nil {
		var status, notice, logText string
		rctx, cancel := context.WithTimeout(b.page, 2*time.Second)
		defer cancel()
		_ = chromedp.Run(rctx, chromedp.Text("#status", &status, chromedp.ByID),
			chromedp.Text("#notice", &notice, chromedp.ByID), chromedp.Text("#log", &logText, chromedp.ByID))
		problems, _ := b.seen()
		b.t.Fatalf("%s: no success within %v: %v\napp status: %s\napp notice: %s\napp log:\n%s\nproblems: %q",
			what, d, err, status, notice, logText, problems)
	}
}

// popups returns a channel that gets the next window the page opens.
func (b *browser) popups() <-chan target.ID {
	return chromedp.WaitNewTarget(b.page, func(i *target.Info) bool { return i.Type == "page" })
}

// signIn completes the emulator's sign-in in the popup: the login form when
// the browser has no session on the instance, then the consent page. The
// redirect page then closes the popup; release detaches from it (and would
// close it, so call it only once the page is connected).
func (b *browser) signIn(popups <-chan target.ID) (release func()) {
	b.t.Helper()
	var id target.ID
	select {
	case id = <-popups:
	case <-time.After(15 * time.Second):
		b.t.Fatal("connect opened no authorization window within 15 s")
	}
	pctx, cancel := chromedp.NewContext(b.page, chromedp.WithTargetID(id))
	b.t.Cleanup(cancel)
	chromedp.ListenTarget(pctx, b.listen("popup"))
	b.attach(pctx, "the authorization window")
	var form string
	b.step(pctx, "waiting for the instance's login or consent page in the popup", 20*time.Second,
		chromedp.WaitVisible("#allow, #user_name", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('#allow') ? 'consent' : 'login'`, &form))
	if form == "login" {
		b.step(pctx, "logging in as admin", 20*time.Second,
			chromedp.SendKeys("#user_name", "admin", chromedp.ByID),
			chromedp.SendKeys("#user_password", "admin", chromedp.ByID),
			chromedp.Click("#sysverb_login", chromedp.ByID),
			chromedp.WaitVisible("#allow", chromedp.ByID))
	}
	b.step(pctx, "allowing access", 10*time.Second, chromedp.Click("#allow", chromedp.ByID))
	return cancel
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

func (b *browser) problem(where, format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, where+": "+fmt.Sprintf(format, args...))
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

// listen returns a listener for one target's events.
func (b *browser) listen(where string) func(any) {
	return func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var args []string
			for _, a := range ev.Args {
				if a.Value != nil {
					args = append(args, string(a.Value))
				} else {
					args = append(args, a.Description)
				}
			}
			text := strings.Join(args, " ")
			b.line(text)
			if ev.Type == runtime.APITypeError || ev.Type == runtime.APITypeAssert {
				b.problem(where, "console.%s: %s", ev.Type, text)
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			b.problem(where, "exception: %s (%s:%d)", msg, d.URL, d.LineNumber)
		case *log.EventEntryAdded:
			e := ev.Entry
			b.line(e.Text)
			if e.Level == log.LevelError || strings.Contains(e.Text, "Content Security Policy") {
				if where == "worker" && e.Source == log.SourceNetwork && strings.Contains(e.Text, "status of 401") {
					return // the instance refusing an expired token, as the test makes it
				}
				b.problem(where, "log %s/%s: %s %s", e.Source, e.Level, e.Text, e.URL)
			}
		case *runtime.EventBindingCalled:
			if ev.Name == "reportViolation" {
				b.problem(where, "CSP violation: %s", ev.Payload)
			}
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

//go:build !js

package engines

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sync"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/snworker/snworker/internal/browsertest"
)

// Chromium's two builds: the headless shell (no popup blocker) and the
// full browser users run, in its new headless mode with its popup blocker.
const (
	headlessShellPath = "/usr/lib/chromium/chromium-headless-shell"
	chromiumPath      = "/usr/bin/chromium"
)

type chromium struct {
	name string
	b    *browsertest.Browser
}

func startChromium(ctx context.Context, name string) (Engine, error) {
	o := browsertest.Options{}
	if name == "headless-shell" {
		path, err := findExec("the Chromium headless shell", "chromium-headless-shell", headlessShellPath, "headless_shell")
		if err != nil {
			return nil, err
		}
		o.ExecPath = path
	} else {
		path, err := findExec("Chromium", "chromium", chromiumPath, "chromium")
		if err != nil {
			return nil, err
		}
		o.ExecPath = path
		o.PopupBlocking = true
		o.Flags = []chromedp.ExecAllocatorOption{chromedp.Flag("headless", "new")}
	}
	b, err := browsertest.Start(ctx, o)
	if err != nil {
		return nil, err
	}
	return &chromium{name: name, b: b}, nil
}

// findExec is path if it exists, or the first of names on PATH.
func findExec(what, pkg, path string, names ...string) (string, error) {
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s is not installed (no %s, none of %v on PATH): run `make tools`, which installs Debian's %s", what, path, names, pkg)
}

func (c *chromium) Name() string    { return c.name }
func (c *chromium) Version() string { return c.b.Name() }
func (c *chromium) Close()          { c.b.Close() }

func (c *chromium) NewProfile(ctx context.Context) (Profile, error) {
	return &chromiumProfile{b: c.b, ctx: ctx}, nil
}

// chromiumProfile is a browser context, made with its first window.
type chromiumProfile struct {
	b   *browsertest.Browser
	ctx context.Context

	mu     sync.Mutex
	first  *browsertest.Page
	output func(browsertest.Output)
	opened int
}

// Capture sends what the profile's windows, their popups and their
// dedicated workers print or throw to fn. Call it before the first Open.
// (Shared workers are not followed: DevTools attached to one keeps it alive.)
func (p *chromiumProfile) Capture(fn func(browsertest.Output)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.output = fn
}

func (p *chromiumProfile) Open(url string) (Window, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.opened++
	if p.first == nil {
		o := browsertest.PageOptions{Output: p.output}
		if p.output != nil {
			o.Follow = []browsertest.Kind{browsertest.Worker}
		}
		bp, err := p.b.Open(p.ctx, url, o)
		if err != nil {
			return nil, err
		}
		p.first = bp
		return &chromiumWindow{page: bp, t: &bp.Target, home: bp}, nil
	}
	// A tab made from the first page's context opens in its browser context.
	tctx, _ := chromedp.NewContext(p.first.Ctx) // ends with the first page
	browsertest.Capture(tctx, fmt.Sprintf("window %d", p.opened), p.output)
	// Its first Run binds the tab to the context it gets: tctx itself.
	opened := make(chan error, 1)
	go func() { opened <- chromedp.Run(tctx) }()
	select {
	case err := <-opened:
		if err != nil {
			return nil, fmt.Errorf("opening a window beside the first: %w", err)
		}
	case <-time.After(step):
		return nil, fmt.Errorf("opening a window beside the first: no answer within %v", step)
	}
	w := &chromiumWindow{t: &browsertest.Target{Ctx: tctx}, home: p.first}
	if err := w.Navigate(step, url); err != nil {
		return nil, err
	}
	w.t.ID = chromedp.FromContext(tctx).Target.TargetID
	w.page = p.first.Window(w.t)
	return w, nil
}

func (p *chromiumProfile) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.first != nil {
		p.first.Close()
	}
}

type chromiumWindow struct {
	page *browsertest.Page // follows the popups the window opens
	t    *browsertest.Target
	home *browsertest.Page // the profile's first window, which hears of every target
}

// DevToolsWindow is t, a window of page (page itself, or a popup it
// opened), as a Window: for code that drives Chromium over DevTools and
// shares a step with the engines' tests, such as signing in.
func DevToolsWindow(page *browsertest.Page, t *browsertest.Target) Window {
	if t.ID != page.ID {
		return &chromiumWindow{page: page.Window(t), t: t, home: page}
	}
	return &chromiumWindow{page: page, t: t, home: page}
}

// DevTools is the DevTools page behind the window, for what only DevTools
// can see or do: its targets, network responses, console.
func (w *chromiumWindow) DevTools() *browsertest.Page { return w.page }

func (w *chromiumWindow) Eval(timeout time.Duration, expr string, out any) error {
	var text string
	if err := w.t.Run(timeout, "evaluating "+short(expr), browsertest.Evaluate(wrap(expr), &text)); err != nil {
		return err
	}
	return decode(expr, text, out)
}

func (w *chromiumWindow) Click(timeout time.Duration, selector string) error {
	return w.t.Run(timeout, "clicking "+selector, chromedp.Click(selector, chromedp.ByQuery))
}

func (w *chromiumWindow) ClickForPopup(timeout time.Duration, selector string) (Window, error) {
	next := w.page.Next(browsertest.Popup)
	if err := w.Click(timeout, selector); err != nil {
		return nil, err
	}
	t, err := next(timeout)
	if err != nil {
		return nil, fmt.Errorf("after clicking %s: %w", selector, err)
	}
	return &chromiumWindow{page: w.page.Window(t), t: t, home: w.home}, nil
}

func (w *chromiumWindow) Navigate(timeout time.Duration, url string) error {
	return w.t.Run(timeout, "loading "+url, chromedp.Navigate(url))
}

func (w *chromiumWindow) Close(timeout time.Duration) error {
	return w.t.Run(timeout, "closing the window", cdppage.Close())
}

func (w *chromiumWindow) Gone(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		targets, err := chromedp.Targets(w.home.Ctx)
		if err != nil {
			return fmt.Errorf("listing windows: %w", err)
		}
		if !slices.ContainsFunc(targets, func(t *target.Info) bool { return t.TargetID == w.t.ID }) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the window is still open after %v", timeout)
		}
		// The browser's target list, polled: when the window is the
		// profile's first, whose session hears of targets, no event of its
		// going arrives.
		time.Sleep(50 * time.Millisecond)
	}
}

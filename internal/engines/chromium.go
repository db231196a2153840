//go:build !js

package engines

import (
	"context"
	"fmt"
	"os"
	"os/exec"
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

	mu    sync.Mutex
	first *browsertest.Page
}

func (p *chromiumProfile) Open(url string) (Window, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.first == nil {
		bp, err := p.b.Open(p.ctx, url, browsertest.PageOptions{})
		if err != nil {
			return nil, err
		}
		p.first = bp
		return &chromiumWindow{page: bp, t: &bp.Target, home: bp}, nil
	}
	// A tab made from the first page's context opens in its browser context.
	tctx, _ := chromedp.NewContext(p.first.Ctx) // ends with the first page
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
	destroyed := make(chan struct{})
	var once sync.Once
	lctx, cancel := context.WithCancel(w.home.Ctx)
	defer cancel()
	chromedp.ListenTarget(lctx, func(ev any) {
		if ev, ok := ev.(*target.EventTargetDestroyed); ok && ev.TargetID == w.t.ID {
			once.Do(func() { close(destroyed) })
		}
	})
	targets, err := chromedp.Targets(lctx)
	if err != nil {
		return fmt.Errorf("listing windows: %w", err)
	}
	open := false
	for _, t := range targets {
		open = open || t.TargetID == w.t.ID
	}
	if !open {
		return nil
	}
	select {
	case <-destroyed:
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("the window is still open after %v", timeout)
	}
}

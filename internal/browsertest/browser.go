//go:build !js

// Package browsertest drives headless Chromium for the end-to-end tests, the
// demo's test and the benchmark: it starts the browser, opens pages in their
// own browser contexts, follows the popups and workers they open, captures
// what they print, and evaluates promises with deadlines. (Signing in on the
// emulator's pages is internal/engines' SignIn, for every engine.)
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// CSP is the policy the test pages and the benchmark page are served
// under, as strict as an app should be: no inline script anywhere,
// 'wasm-unsafe-eval' to compile the worker's wasm, the worker from the
// page's origin, and fetches to instances on loopback.
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
	"connect-src 'self' http://127.0.0.1:*; style-src 'self'; img-src 'self'; frame-src 'self'; " +
	"frame-ancestors 'self'; base-uri 'none'; form-action 'none'"

// Options configure Start. The zero value is headless_shell (or the first
// Chromium on PATH) with no popup blocker.
type Options struct {
	ExecPath      string        // default: Find()
	PopupBlocking bool          // keep Chromium's popup blocker (headless_shell has none)
	StartTimeout  time.Duration // default 30 s
	Flags         []chromedp.ExecAllocatorOption
}

// Browser is a running Chromium with its own user-data folder.
type Browser struct {
	Path    string // the executable
	Product string // e.g. "HeadlessChrome/156.0.7700.0"

	ctx    context.Context // the first tab's chromedp context
	cancel func()
}

// Find returns the first Chrome or Chromium on PATH. `make tools` links
// bin/headless_shell, which starts fastest.
func Find() (string, error) {
	for _, name := range []string{"headless_shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no headless_shell, chromium or google-chrome on PATH: run `make tools`, then put bin/ first on PATH")
}

// Start starts a browser that lives until ctx ends or Close is called:
// chromedp's defaults (headless, no background networking, no sync) with no
// GPU or component updates, no sandbox as root, a fixed window and a fresh
// user-data folder; o.Flags come last and win.
func Start(ctx context.Context, o Options) (*Browser, error) {
	path := o.ExecPath
	if path == "" {
		var err error
		if path, err = Find(); err != nil {
			return nil, err
		}
	}
	dir, err := os.MkdirTemp("", "snworker-chromium-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 900),
	)
	if o.PopupBlocking {
		opts = append(opts, chromedp.Flag("disable-popup-blocking", false))
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	opts = append(opts, o.Flags...)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelTab := chromedp.NewContext(actx)
	b := &Browser{Path: path, ctx: bctx, cancel: func() {
		cancelTab()
		cancelAlloc() // waits for the browser to exit
		os.RemoveAll(dir)
	}}
	err = attach(bctx, withDefault(o.StartTimeout, 30*time.Second), "starting "+path,
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			_, b.Product, _, _, _, err = browser.GetVersion().Do(ctx)
			return err
		}))
	if err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// Close stops the browser and removes its user-data folder.
func (b *Browser) Close() { b.cancel() }

// Name is the product and the executable, e.g. "Chromium 156.0 (headless_shell)".
func (b *Browser) Name() string {
	return strings.Replace(b.Product, "HeadlessChrome/", "Chromium ", 1) + " (" + filepath.Base(b.Path) + ")"
}

// attach runs tctx's first chromedp.Run, which attaches to the target for
// as long as tctx lives (the first Run binds the target to the context it
// gets, so it must be tctx itself); a watchdog bounds the wait.
func attach(tctx context.Context, timeout time.Duration, what string, actions ...chromedp.Action) error {
	done := make(chan error, 1)
	go func() { done <- chromedp.Run(tctx, actions...) }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("%s: no answer within %v", what, timeout)
	case <-tctx.Done():
		return fmt.Errorf("%s: %w", what, tctx.Err())
	}
}

// browserRun runs fn on the browser's own DevTools session (not a tab's)
// within timeout.
func (b *Browser) browserRun(timeout time.Duration, fn func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		return fn(cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Browser))
	}))
}

func withDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

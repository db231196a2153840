//go:build !js

// Package engines drives the browser engines the library supports through
// one small interface, so that a test meant to hold in every engine runs in
// each: Chromium (the headless shell, and the full browser with its popup
// blocker) over DevTools, Firefox over WebDriver BiDi, and WebKitGTK over
// W3C WebDriver classic. Clicks are real user gestures; evaluating script
// is not.
package engines

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/snworker/snworker/internal/browsertest"
)

// Engine is a running browser.
type Engine interface {
	Name() string    // as tests name it: "headless-shell", "chromium", "firefox", "webkit"
	Version() string // the product and version the browser reports
	// NewProfile starts a fresh profile: its own cookies, storage and
	// workers, ending with ctx or Close.
	NewProfile(ctx context.Context) (Profile, error)
	Close()
}

// Profile is a fresh set of cookies, storage and workers, as a new
// browser user has.
type Profile interface {
	// Open opens url in a new top-level window of the profile and waits
	// for its load event.
	Open(url string) (Window, error)
	Close()
}

// Window is a top-level window: a page, or a popup a page opened.
type Window interface {
	// Eval evaluates expr in the window within timeout, awaiting it if it
	// is a promise, and decodes its JSON value into out (if not nil). It
	// gives no user gesture.
	Eval(timeout time.Duration, expr string, out any) error
	// Click clicks the element selector (a CSS selector) as a user would:
	// a trusted click that gives the page a user gesture.
	Click(timeout time.Duration, selector string) error
	// ClickForPopup clicks selector and waits up to timeout for the window
	// the click opens.
	ClickForPopup(timeout time.Duration, selector string) (Window, error)
	// Navigate loads url in the window and waits for its load event.
	Navigate(timeout time.Duration, url string) error
	// Close closes the window as a user would.
	Close(timeout time.Duration) error
	// Gone waits up to timeout until the window no longer exists.
	Gone(timeout time.Duration) error
}

// Names are the engines the package drives.
var Names = []string{"headless-shell", "chromium", "firefox", "webkit"}

// Distinct are the engines the cross-engine scenarios run in: one of each
// engine users have. Chromium is the full browser, with its popup blocker;
// the headless shell is the same engine without one, and starts faster.
var Distinct = []string{"chromium", "firefox", "webkit"}

// DevTools is a Window driven over DevTools (Chromium's), which gives what
// only DevTools can see or do: the browser's targets, network responses,
// console output.
type DevTools interface {
	DevTools() *browsertest.Page
}

// Capturer is a Profile that can send what its windows and their dedicated
// workers print or throw to fn (Chromium's). Call Capture before Open.
type Capturer interface {
	Capture(fn func(browsertest.Output))
}

// Start starts the engine called name (one of Names). A missing browser is
// an error that says how to install it.
func Start(ctx context.Context, name string) (Engine, error) {
	switch name {
	case "headless-shell", "chromium":
		return startChromium(ctx, name)
	case "firefox":
		return startFirefox(ctx)
	case "webkit":
		return startWebKit(ctx)
	}
	return nil, fmt.Errorf("no engine %q: want one of %s", name, strings.Join(Names, ", "))
}

// Selected is Distinct, or the engines listed in SNWORKER_ENGINES
// (comma-separated): fewer while working on one, or the headless shell too.
func Selected() []string {
	v := os.Getenv("SNWORKER_ENGINES")
	if v == "" {
		return Distinct
	}
	return strings.Split(v, ",")
}

// step bounds each step of a wait that has no deadline of its own.
const step = 20 * time.Second

// wrap makes expr's value a JSON string in the page, so that every engine
// returns it the same way; undefined becomes null.
func wrap(expr string) string {
	return "Promise.resolve((" + expr + ")).then((v) => JSON.stringify(v) ?? 'null')"
}

// decode decodes the JSON text that a wrapped expression gave into out.
func decode(expr, text string, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal([]byte(text), out); err != nil {
		return fmt.Errorf("decoding the value of %s (%.200s): %w", short(expr), text, err)
	}
	return nil
}

// short is expr cut for error messages.
func short(expr string) string {
	if len(expr) > 200 {
		return expr[:200] + "…"
	}
	return expr
}

// WaitFor evaluates expr in w until it is true, for up to timeout. Errors
// on the way (a page between two documents) are retried; the last one is
// in the failure.
func WaitFor(w Window, timeout time.Duration, expr string) error {
	deadline := time.Now().Add(timeout)
	var last error
	for {
		left := time.Until(deadline)
		if left <= 0 {
			if last != nil {
				return fmt.Errorf("%s was not true within %v; last error: %w", short(expr), timeout, last)
			}
			return fmt.Errorf("%s was not true within %v", short(expr), timeout)
		}
		var ok bool
		err := w.Eval(min(left, 5*time.Second), "!!("+expr+")", &ok)
		if err == nil && ok {
			return nil
		}
		last = err
		// A condition, polled: the page has no event for it that all
		// engines can deliver to a driver.
		time.Sleep(min(50*time.Millisecond, max(left, 0)))
	}
}

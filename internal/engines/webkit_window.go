//go:build !js

package engines

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// webkitWindow is a window handle of a profile's session.
type webkitWindow struct {
	p      *webkitProfile
	handle string
}

// do runs fn with the window as the session's current one.
func (w *webkitWindow) do(timeout time.Duration, fn func() error) error {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	if w.p.current != w.handle {
		if err := w.p.d.call(timeout, http.MethodPost, "/window", map[string]any{"handle": w.handle}, nil); err != nil {
			return fmt.Errorf("switching to the window: %w", err)
		}
		w.p.current = w.handle
	}
	return fn()
}

// evalScript settles the wrapped expression for Execute Async Script,
// rejecting in the page when it takes longer than the deadline.
const evalScript = `const done = arguments[arguments.length - 1];
const timer = setTimeout(() => done({ok: false, error: 'no answer within ' + arguments[0] + ' ms'}), arguments[0]);
Promise.resolve().then(() => %s).then(
  (value) => { clearTimeout(timer); done({ok: true, value}); },
  (e) => { clearTimeout(timer); done({ok: false, error: String(e && e.message !== undefined ? e.name + ': ' + e.message : e)}); });`

func (w *webkitWindow) Eval(timeout time.Duration, expr string, out any) error {
	var r struct {
		OK    bool   `json:"ok"`
		Value string `json:"value"`
		Error string `json:"error"`
	}
	ms := timeout.Milliseconds()
	body := map[string]any{"script": fmt.Sprintf(evalScript, wrap(expr)), "args": []any{ms}}
	err := w.do(timeout, func() error {
		return w.p.d.call(timeout+5*time.Second, http.MethodPost, "/execute/async", body, &r)
	})
	switch {
	case err != nil:
		return fmt.Errorf("evaluating %s: %w", short(expr), err)
	case !r.OK && r.Error == "no answer within "+strconv.FormatInt(ms, 10)+" ms":
		return fmt.Errorf("evaluating %s: no answer within %v", short(expr), timeout)
	case !r.OK:
		return fmt.Errorf("evaluating %s: %s", short(expr), r.Error)
	}
	return decode(expr, r.Value, out)
}

// Click is WebDriver's element click: a real user gesture in WebKit.
func (w *webkitWindow) Click(timeout time.Duration, selector string) error {
	return w.do(timeout, func() error {
		var el map[string]string
		if err := w.p.d.call(timeout, http.MethodPost, "/element", map[string]any{"using": "css selector", "value": selector}, &el); err != nil {
			return fmt.Errorf("finding %s: %w", selector, err)
		}
		id := el["element-6066-11e4-a52e-4f735466cecf"]
		if err := w.p.d.call(timeout, http.MethodPost, "/element/"+id+"/click", map[string]any{}, nil); err != nil {
			return fmt.Errorf("clicking %s: %w", selector, err)
		}
		return nil
	})
}

func (w *webkitWindow) handles(timeout time.Duration) ([]string, error) {
	var hs []string
	err := w.p.d.call(timeout, http.MethodGet, "/window/handles", nil, &hs)
	return hs, err
}

func (w *webkitWindow) ClickForPopup(timeout time.Duration, selector string) (Window, error) {
	before, err := w.handles(timeout)
	if err != nil {
		return nil, fmt.Errorf("listing windows: %w", err)
	}
	if err := w.Click(timeout, selector); err != nil {
		return nil, err
	}
	var handle string
	err = poll(timeout, func() (bool, error) {
		hs, err := w.handles(timeout)
		for _, h := range hs {
			if !slices.Contains(before, h) {
				handle = h
			}
		}
		return handle != "", err
	})
	if err != nil {
		return nil, fmt.Errorf("after clicking %s: %w", selector, err)
	}
	if handle == "" {
		return nil, fmt.Errorf("after clicking %s: no popup appeared within %v", selector, timeout)
	}
	return &webkitWindow{p: w.p, handle: handle}, nil
}

func (w *webkitWindow) Navigate(timeout time.Duration, url string) error {
	return w.do(timeout, func() error {
		if err := w.p.d.call(timeout, http.MethodPost, "/url", map[string]any{"url": url}, nil); err != nil {
			return fmt.Errorf("loading %s: %w", url, err)
		}
		return nil
	})
}

func (w *webkitWindow) Close(timeout time.Duration) error {
	return w.do(timeout, func() error {
		if err := w.p.d.call(timeout, http.MethodDelete, "/window", nil, nil); err != nil {
			return fmt.Errorf("closing the window: %w", err)
		}
		w.p.current = ""
		return nil
	})
}

func (w *webkitWindow) Gone(timeout time.Duration) error {
	open := true
	err := poll(timeout, func() (bool, error) {
		hs, err := w.handles(timeout)
		open = slices.Contains(hs, w.handle)
		return !open, err
	})
	if err != nil {
		return fmt.Errorf("listing windows: %w", err)
	}
	if open {
		return fmt.Errorf("the window is still open after %v", timeout)
	}
	return nil
}

// poll calls done until it is true or fails, for up to timeout: WebDriver
// classic has no events, so a new or closed window is seen by asking.
func poll(timeout time.Duration, done func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := done()
		if err != nil || ok || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

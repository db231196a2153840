//go:build !js

package engines

import (
	"encoding/json"
	"fmt"
	"time"
)

// firefoxWindow is a top-level browsing context.
type firefoxWindow struct {
	f  *firefox
	id string
}

// evaluate runs expr in the window without a user gesture.
func (w *firefoxWindow) evaluate(timeout time.Duration, expr string, await bool) (remoteValue, error) {
	var r struct {
		Type             string      `json:"type"` // success or exception
		Result           remoteValue `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	err := w.f.bidi.call(timeout, "script.evaluate", map[string]any{
		"expression": expr, "target": map[string]any{"context": w.id}, "awaitPromise": await,
		"resultOwnership": "none", "userActivation": false,
	}, &r)
	if err != nil {
		return remoteValue{}, err
	}
	if r.Type == "exception" {
		return remoteValue{}, fmt.Errorf("%s", r.ExceptionDetails.Text)
	}
	return r.Result, nil
}

func (w *firefoxWindow) Eval(timeout time.Duration, expr string, out any) error {
	v, err := w.evaluate(timeout, wrap(expr), true)
	if err != nil {
		return fmt.Errorf("evaluating %s: %w", short(expr), err)
	}
	var text string
	if v.Type != "string" || json.Unmarshal(v.Value, &text) != nil {
		return fmt.Errorf("evaluating %s: got a %s, want a string", short(expr), v.Type)
	}
	return decode(expr, text, out)
}

// Click moves the pointer to the element's centre and presses the left
// button: input.performActions gives a trusted click.
func (w *firefoxWindow) Click(timeout time.Duration, selector string) error {
	q, err := json.Marshal(selector)
	if err != nil {
		return err
	}
	el, err := w.evaluate(timeout, "document.querySelector("+string(q)+")", false)
	if err != nil {
		return fmt.Errorf("clicking %s: %w", selector, err)
	}
	if el.Type != "node" || el.SharedID == "" {
		return fmt.Errorf("clicking %s: no such element", selector)
	}
	origin := map[string]any{"type": "element", "element": map[string]any{"sharedId": el.SharedID}}
	actions := []any{map[string]any{
		"type": "pointer", "id": "mouse", "parameters": map[string]any{"pointerType": "mouse"},
		"actions": []any{
			map[string]any{"type": "pointerMove", "x": 0, "y": 0, "origin": origin},
			map[string]any{"type": "pointerDown", "button": 0},
			map[string]any{"type": "pointerUp", "button": 0},
		},
	}}
	if err := w.f.bidi.call(timeout, "input.performActions", map[string]any{"context": w.id, "actions": actions}, nil); err != nil {
		return fmt.Errorf("clicking %s: %w", selector, err)
	}
	return nil
}

// contextInfo is browsingContext.contextCreated's and Destroyed's params.
type contextInfo struct {
	Context        string `json:"context"`
	Parent         string `json:"parent"`
	OriginalOpener string `json:"originalOpener"`
	URL            string `json:"url"`
}

func (w *firefoxWindow) ClickForPopup(timeout time.Duration, selector string) (Window, error) {
	created := make(chan string, 1)
	stop := w.f.bidi.listen(func(method string, params json.RawMessage) {
		var c contextInfo
		if method != "browsingContext.contextCreated" || json.Unmarshal(params, &c) != nil {
			return
		}
		if c.Parent == "" && c.OriginalOpener == w.id {
			select {
			case created <- c.Context:
			default:
			}
		}
	})
	defer stop()
	if err := w.Click(timeout, selector); err != nil {
		return nil, err
	}
	select {
	case id := <-created:
		return &firefoxWindow{f: w.f, id: id}, nil
	case <-time.After(timeout):
		return nil, fmt.Errorf("after clicking %s: no popup appeared within %v", selector, timeout)
	}
}

func (w *firefoxWindow) Navigate(timeout time.Duration, url string) error {
	err := w.f.bidi.call(timeout, "browsingContext.navigate", map[string]any{"context": w.id, "url": url, "wait": "complete"}, nil)
	if err != nil {
		return fmt.Errorf("loading %s: %w", url, err)
	}
	return nil
}

func (w *firefoxWindow) Close(timeout time.Duration) error {
	if err := w.f.bidi.call(timeout, "browsingContext.close", map[string]any{"context": w.id}, nil); err != nil {
		return fmt.Errorf("closing the window: %w", err)
	}
	return nil
}

func (w *firefoxWindow) Gone(timeout time.Duration) error {
	destroyed := make(chan struct{}, 1)
	stop := w.f.bidi.listen(func(method string, params json.RawMessage) {
		var c contextInfo
		if method == "browsingContext.contextDestroyed" && json.Unmarshal(params, &c) == nil && c.Context == w.id {
			select {
			case destroyed <- struct{}{}:
			default:
			}
		}
	})
	defer stop()
	var tree struct {
		Contexts []contextInfo `json:"contexts"`
	}
	if err := w.f.bidi.call(timeout, "browsingContext.getTree", map[string]any{"maxDepth": 0}, &tree); err != nil {
		return fmt.Errorf("listing windows: %w", err)
	}
	open := false
	for _, c := range tree.Contexts {
		open = open || c.Context == w.id
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

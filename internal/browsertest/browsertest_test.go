//go:build !js

package browsertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A page follows its popup, dedicated and shared workers, captures what
// each prints or throws, and evaluates promises with clear failures.
func TestPageFollowsTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("starts headless Chromium")
	}
	srv := httptest.NewServer(http.FileServer(http.Dir("testdata")))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := Start(ctx, Options{})
	require.NoError(t, err)
	defer b.Close()
	assert.NotEmpty(t, b.Product)

	out := make(chan Output, 64)
	p, err := b.Open(ctx, srv.URL+"/index.html", PageOptions{Ready: "window.ready === true", Follow: []Kind{Worker}, Output: func(o Output) {
		select {
		case out <- o:
		default:
		}
	}})
	require.NoError(t, err)
	defer p.Close()
	var seen []string
	await := func(line string) { // the first line of the output is line
		t.Helper()
		timer := time.NewTimer(10 * time.Second)
		defer timer.Stop()
		for {
			select {
			case o := <-out:
				seen = append(seen, o.String())
				if first, _, _ := strings.Cut(o.String(), "\n"); first == line {
					return
				}
			case <-timer.C:
				t.Fatalf("no %q within 10 s; saw %q", line, seen)
			}
		}
	}
	await("page console.log: page says 1")

	shared := p.Next(SharedWorker)
	require.NoError(t, p.Eval(5*time.Second, "startShared()", nil))
	s, err := shared(10 * time.Second)
	require.NoError(t, err)
	assert.Equal(t, SharedWorker, s.Kind)
	assert.Equal(t, srv.URL+"/shared.js", s.URL)
	await("shared worker console.log: shared says hi")

	require.NoError(t, p.Eval(5*time.Second, "startWorker(), true", nil))
	await("worker console.log: dedicated says hi")

	popup := p.Next(Popup)
	require.NoError(t, p.Run(5*time.Second, "clicking Open", chromedp.Click("#open", chromedp.ByQuery)))
	w, err := popup(10 * time.Second)
	require.NoError(t, err)
	await("popup console.error: popup says hi")
	var title string
	require.NoError(t, w.Eval(5*time.Second, "document.title", &title))
	assert.Equal(t, "popup", title)

	var n int
	require.NoError(t, p.Eval(5*time.Second, "new Promise((resolve) => setTimeout(() => resolve(42), 10))", &n))
	assert.Equal(t, 42, n)
	err = p.Eval(5*time.Second, "Promise.reject(new Error('nope'))", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "evaluating Promise.reject")
	assert.Contains(t, err.Error(), "nope")
	err = p.Eval(200*time.Millisecond, "new Promise(() => {})", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no answer within 200ms")

	require.NoError(t, p.Eval(5*time.Second, "setTimeout(() => { throw new Error('thrown later'); }), true", nil))
	await("page exception: Error: thrown later")

	_, err = p.Next(Popup)(100 * time.Millisecond)
	assert.EqualError(t, err, "no popup appeared within 100ms")
}

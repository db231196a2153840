//go:build !js

package main

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
)

// TestEndToEndDedicatedKeepsPrestart: the demo in dedicated mode
// (/?dedicated) asks no shared worker for a session at load, which would
// end the worker prestarted for its connect(); it signs in on that worker.
func TestEndToEndDedicatedKeepsPrestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts headless Chromium")
	}
	d, _ := startDemo(t, "openfin")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	b := newBrowser(t, ctx)
	b.step(b.page, "opening the app in dedicated mode", 20*time.Second,
		chromedp.Navigate(d.appURL+"/?dedicated"),
		chromedp.WaitEnabled("#connect", chromedp.ByID),
		statusIs("idle"))
	counts := func() (workers, shared int) {
		targets, err := chromedp.Targets(b.page)
		if err != nil {
			t.Fatalf("listing targets: %v", err)
		}
		for _, ti := range targets {
			switch ti.Type {
			case "worker":
				workers++
			case "shared_worker":
				shared++
			}
		}
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	workers, shared := counts()
	for workers == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond) // polling the browser's target list, which has no event to wait on here
		workers, shared = counts()
	}
	assert.Equal(t, 1, workers, "the worker prestarted when the page was idle")
	assert.Zero(t, shared, "no shared worker in dedicated mode")

	b.clickAndSignIn("connect")
	b.step(b.page, "signed in", 20*time.Second, statusIs("connected"))
	workers, shared = counts()
	assert.Equal(t, 1, workers, "connect() adopted the prestarted worker")
	assert.Zero(t, shared)
}

//go:build !js

package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/snworker/snworker/internal/browsertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEndToEndSecondWindow: "Open another window" shows a second window
// signed in without a popup; at 400 px wide nothing overflows; Disconnect in
// the second window signs both out and clears the user and the incidents.
func TestEndToEndSecondWindow(t *testing.T) {
	d, b := connectedDemo(t)
	authorizations := d.emulator.Calls("authorize")

	next := b.tab.Next(browsertest.Popup)
	b.step(b.page, "clicking Open another window", 5*time.Second, chromedp.Click("#open-window", chromedp.ByID))
	w, err := next(15 * time.Second)
	require.NoError(t, err, "Open another window")
	second := b.tab.Window(w).Ctx
	b.step(second, "the second window signed in, at 400 px wide", 20*time.Second,
		emulation.SetDeviceMetricsOverride(400, 800, 1, false),
		statusIs("connected"),
		chromedp.WaitVisible("#user", chromedp.ByID),
		waitJS(`document.querySelectorAll('#rows tr:not(.empty)').length === 10`))
	assert.Equal(t, authorizations, d.emulator.Calls("authorize"), "no second sign-in")
	var name string
	var fits bool
	b.step(second, "measuring the page at 400 px", 5*time.Second,
		chromedp.Text("#user-name", &name, chromedp.ByID),
		chromedp.Evaluate(`(() => {
			const table = document.querySelector('.incidents table');
			return document.documentElement.scrollWidth <= innerWidth && table.getBoundingClientRect().right <= innerWidth &&
				table.scrollWidth <= table.parentElement.clientWidth;
		})()`, &fits))
	assert.Equal(t, "System Administrator", name)
	assert.True(t, fits, "at 400 px wide, the page and the incident table fit")
	b.screenshotOf(second, "example-400px.png")

	revokes := d.emulator.Calls("openfin:revoke_token")
	b.step(second, "disconnecting in the second window", 15*time.Second,
		chromedp.Click("#disconnect", chromedp.ByID),
		statusIs("idle"))
	assert.Greater(t, d.emulator.Calls("openfin:revoke_token"), revokes, "disconnect revokes the tokens")
	for _, w := range []struct {
		name string
		ctx  context.Context
	}{{"the first window", b.page}, {"the second window", second}} {
		var status string
		b.step(w.ctx, "checking that "+w.name+" is signed out and cleared", 15*time.Second,
			statusIs("idle"),
			waitJS(`document.querySelector('#user').hidden && document.querySelectorAll('#rows tr:not(.empty)').length === 0 && document.querySelector('#range').textContent === ''`),
			chromedp.Text("#status", &status, chromedp.ByID))
		assert.Contains(t, status, "Signed out", w.name)
		assert.NotContains(t, strings.ToLower(status), "connect()", w.name)
	}
	noTokensOrProblems(b, d)
}

// screenshotOf saves a window's page under out/.
func (b *browser) screenshotOf(ctx context.Context, name string) {
	b.t.Helper()
	page := b.page
	b.page = ctx
	defer func() { b.page = page }()
	b.screenshot(name)
}

// TestEndToEndReload: after a reload the demo shows "Signed in as …" and the
// incidents without a popup, a sign-in or a token request. (DevTools follows
// the shared worker here, which keeps it alive by itself; e2e's
// TestEnginesReload shows that the browser keeps it without DevTools.)
func TestEndToEndReload(t *testing.T) {
	d, b := connectedDemo(t)
	authorizations, tokens := d.emulator.Calls("authorize"), d.emulator.Calls("openfin:request_tokens")
	b.step(b.page, "reloading: signed in again without a popup", 20*time.Second,
		chromedp.Reload(),
		statusIs("connected"),
		chromedp.WaitVisible("#user", chromedp.ByID),
		waitJS(`document.querySelectorAll('#rows tr:not(.empty)').length === 10`))
	assert.Contains(t, b.text("user"), "Signed in as System Administrator")
	assert.Equal(t, authorizations, d.emulator.Calls("authorize"), "no sign-in")
	assert.Equal(t, tokens, d.emulator.Calls("openfin:request_tokens"), "no token request")
	noTokensOrProblems(b, d)
}

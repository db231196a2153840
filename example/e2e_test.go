//go:build !js

package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEndToEnd drives the demo as `make run` starts it, in headless
// Chromium: sign in through the emulator's pages, page through incidents,
// create one, renew the token, let the session expire, reconnect and
// disconnect, with no console error, no CSP violation and no token in sight.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts headless Chromium")
	}
	d, access := startDemo(t, "openfin")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b := newBrowser(t, ctx)
	connectAndList(b, d)

	// Page with the Link header, and back.
	b.step(b.page, "paging forward and back", 15*time.Second,
		chromedp.Click("#next", chromedp.ByID),
		rangeIs("11–20 of 300"),
		chromedp.Click("#prev", chromedp.ByID),
		rangeIs("1–10 of 300"))

	// Create an incident; the list, newest first, shows it on top.
	const summary = "Printer on the 4th floor is on fire (e2e)"
	b.step(b.page, "creating an incident", 20*time.Second,
		chromedp.SendKeys("#short-description", summary, chromedp.ByID),
		chromedp.SetValue("#urgency", "1", chromedp.ByID),
		chromedp.Click("#create-button", chromedp.ByID),
		waitJS(`document.querySelector('#rows tr.new td:nth-child(2)')?.textContent === `+jsString(summary)),
		rangeIs("1–10 of 301"))
	var first string
	b.step(b.page, "reading the first row", 5*time.Second,
		chromedp.Text("#rows tr:first-child td:first-child", &first, chromedp.ByQuery))
	assert.Equal(t, "INC0010301", first)
	b.screenshot("example.png")

	// The instance refuses the access token: the worker renews it.
	d.emulator.ExpireAccessTokens()
	b.step(b.page, "reloading after the access token expired", 20*time.Second,
		chromedp.Click("#reload", chromedp.ByID),
		waitJS(`document.querySelector('#status').textContent.includes('renewed')`),
		statusIs("connected"))

	// The refresh token is revoked too: the session expires; reconnect.
	d.emulator.RevokeRefreshTokens()
	d.emulator.ExpireAccessTokens()
	b.step(b.page, "reloading after the session ended", 20*time.Second,
		chromedp.Click("#reload", chromedp.ByID),
		statusIs("expired"),
		chromedp.WaitVisible("#reconnect", chromedp.ByID))
	b.screenshot("example-expired.png")
	b.clickAndSignIn("reconnect")
	b.step(b.page, "waiting to be connected again", 20*time.Second,
		statusIs("connected"),
		rangeIs("1–10 of 301"))

	// Disconnect revokes the tokens.
	revokes := d.emulator.Calls("openfin:revoke_token")
	b.step(b.page, "disconnecting", 15*time.Second,
		chromedp.Click("#disconnect", chromedp.ByID),
		statusIs("idle"))
	assert.Greater(t, d.emulator.Calls("openfin:revoke_token"), revokes, "disconnect revokes the tokens")

	noTokensOrProblems(b, d)

	// The worker's wasm went out precompressed.
	assert.Regexp(t, `GET /js/snworker.wasm 200 (br|gzip)\n`, access.String())
	if t.Failed() {
		t.Logf("requests served:\n%s", access.String())
	}
}

// TestEndToEndServiceNowEndpoints signs in through /oauth_token.do, which
// the emulator then answers with CORS headers, as an instance does whose
// glide.oauth.cors.allowed.origin names the app.
func TestEndToEndServiceNowEndpoints(t *testing.T) {
	if testing.Short() {
		t.Skip("starts headless Chromium")
	}
	d, _ := startDemo(t, "servicenow")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b := newBrowser(t, ctx)
	connectAndList(b, d)
	assert.Equal(t, 1, d.emulator.Calls("token:authorization_code"))
	assert.Zero(t, d.emulator.Calls("openfin:request_tokens"))
	b.step(b.page, "disconnecting", 15*time.Second,
		chromedp.Click("#disconnect", chromedp.ByID),
		statusIs("idle"))
	assert.Positive(t, d.emulator.Calls("revoke"), "disconnect revokes the tokens")
	noTokensOrProblems(b, d)
}

// startDemo starts the app and the emulator as `make run` does, on free ports.
func startDemo(t *testing.T, endpoints string) (*demo, *syncBuffer) {
	t.Helper()
	access := &syncBuffer{}
	o := options{addr: "127.0.0.1:0", instanceAddr: "127.0.0.1:0", clientID: demoClient, endpoints: endpoints, dist: testDist(t), verbose: true}
	d, err := start(o, access)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = d.Close(ctx)
	})
	return d, access
}

func statusIs(state string) chromedp.Action {
	return waitJS(`document.querySelector('#status').dataset.state === ` + jsString(state))
}

func rangeIs(r string) chromedp.Action {
	return waitJS(`document.querySelector('#range').textContent === ` + jsString(r))
}

func (b *browser) text(id string) string {
	b.t.Helper()
	var s string
	b.step(b.page, "reading #"+id, 5*time.Second, chromedp.Text("#"+id, &s, chromedp.ByID))
	return s
}

// connectedDemo starts the demo with the OpenFin endpoints and a browser
// (skipping under -short), and connects in it.
func connectedDemo(t *testing.T) (*demo, *browser) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts headless Chromium")
	}
	d, _ := startDemo(t, "openfin")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	b := newBrowser(t, ctx)
	connectAndList(b, d)
	return d, b
}

// connectAndList opens the app, connects, signs in and waits for the first
// page of incidents.
func connectAndList(b *browser, d *demo) {
	b.t.Helper()
	b.step(b.page, "opening the app", 20*time.Second,
		chromedp.Navigate(d.appURL),
		chromedp.WaitEnabled("#connect", chromedp.ByID))
	b.clickAndSignIn("connect")
	b.step(b.page, "waiting for the signed-in user and the first page of incidents", 20*time.Second,
		statusIs("connected"),
		chromedp.WaitVisible("#user", chromedp.ByID),
		waitJS(`document.querySelectorAll('#rows tr:not(.empty)').length === 10`))
	assert.Equal(b.t, "System Administrator", b.text("user-name"))
	assert.Equal(b.t, "1–10 of 300", b.text("range"))
}

// noTokensOrProblems checks that no token or code the instance issued
// reached the page, its log or any console, and that no target logged an
// error, threw or violated its CSP.
func noTokensOrProblems(b *browser, d *demo) {
	b.t.Helper()
	t := b.t
	var html string
	b.step(b.page, "reading the page", 5*time.Second, chromedp.OuterHTML("html", &html, chromedp.ByQuery))
	problems, console := b.seen()
	seen := html + "\n" + strings.Join(console, "\n")
	tokens := d.emulator.IssuedTokens()
	require.NotEmpty(t, tokens)
	for _, tok := range tokens {
		if strings.Contains(seen, tok) {
			t.Errorf("a token or code the instance issued appears in the page or a console")
		}
	}
	assert.Empty(t, problems, "console errors, exceptions or CSP violations")
}

//go:build !js

package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/internal/browsertest"
)

// workerTargets counts the worker targets in the page's browser context.
func (p *page) workerTargets() int {
	p.t.Helper()
	targets, err := chromedp.Targets(p.ctx)
	require.NoError(p.t, err)
	bc := chromedp.FromContext(p.ctx).BrowserContextID
	n := 0
	for _, ti := range targets {
		if ti.Type == "worker" && ti.BrowserContextID == bc {
			n++
		}
	}
	return n
}

// disconnect() revokes both tokens, stops the worker, and later calls
// reject clearly.
func TestDisconnect(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, nil)
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
	issued := in.IssuedTokens()
	require.GreaterOrEqual(t, len(issued), 3, "a code, a refresh token and an access token")
	require.Equal(t, 1, p.workerTargets())

	in.Reset()
	p.ok("t.disconnect()", nil)
	assert.Equal(t, 2, in.Calls("revoke"), "the refresh and the access token are revoked")
	for i, tok := range issued {
		assert.False(t, in.bearerWorks(t, tok), "issued token #%d still works as a bearer token", i)
		assert.False(t, in.refreshWorks(t, tok), "issued token #%d still works as a refresh token", i)
	}
	p.waitFor("t.record.connEvents.some(e => e.name === 'disconnected')", 5*time.Second)
	assert.Eventually(t, func() bool { return p.workerTargets() == 0 }, 5*time.Second, 20*time.Millisecond, "the worker is terminated")

	in.Reset()
	e := p.fails("t.request('/api/now/table/incident')", "InitializationError")
	assert.Contains(t, e.Message, "closed")
	assert.Contains(t, e.Message, "connect()")
	assert.Zero(t, in.Calls("api"))
	p.ok("t.disconnect()", nil) // again: nothing to do
}

// No access or refresh token ever reaches the page: not in a message from
// the worker, storage, cookies, the DOM, the URL or history. The code passes
// through the redirect page and the bridge (as it must), but is kept nowhere.
func TestNoTokenInPage(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, nil)
	p.request(`'/api/now/table/incident', 'POST', {short_description: 'leak check'}`)
	p.request(`'/api/now/table/incident?sysparm_limit=2'`)
	in.ExpireAccessTokens()
	p.request(`'/api/now/table/incident?sysparm_limit=2'`)
	p.waitFor("t.record.connEvents.some(e => e.name === 'refreshed')", 5*time.Second)

	var before map[string]string
	p.ok("t.snapshot()", &before)
	p.ok("t.disconnect()", nil)
	var after map[string]string
	p.ok("t.snapshot()", &after)

	issued := in.IssuedTokens()
	codes := sentCodes(t, after["toWorker"])
	require.Len(t, codes, 1, "one code went to the worker")
	var tokens []string
	for _, tok := range issued {
		if !slices.Contains(codes, tok) {
			tokens = append(tokens, tok)
		}
	}
	require.GreaterOrEqual(t, len(tokens), 3, "a refresh token and two access tokens")
	for _, snap := range []map[string]string{before, after} {
		require.NotEmpty(t, snap["fromWorker"])
		for where, text := range snap {
			for i, tok := range tokens {
				assert.NotContains(t, text, tok, "access or refresh token #%d is in the page's %s", i, where)
			}
			if where == "toWorker" {
				continue // the code goes to the worker, once
			}
			for _, code := range codes {
				assert.NotContains(t, text, code, "the code is in the page's %s", where)
			}
		}
	}
	assert.Equal(t, appURL+"/test/", after["href"])
}

// sentCodes returns the codes in the completeAuthorization requests.
func sentCodes(t *testing.T, toWorker string) []string {
	var msgs []struct{ JSON string }
	require.NoError(t, json.Unmarshal([]byte(toWorker), &msgs))
	var codes []string
	for _, m := range msgs {
		var req struct {
			Op     string
			Params struct{ Query string }
		}
		require.NoError(t, json.Unmarshal([]byte(m.JSON), &req))
		if req.Op == "completeAuthorization" {
			q, err := url.ParseQuery(req.Params.Query)
			require.NoError(t, err)
			codes = append(codes, q.Get("code"))
		}
	}
	return codes
}

// The redirect page, opened at a redirect URL in a tab that no sign-in of
// the app opened, delivers nothing, says so, and removes the code from its URL.
func TestRedirectPage(t *testing.T) {
	t.Parallel()
	p := newPage(t)
	tab, cancel := chromedp.NewContext(p.ctx) // same browser context, no opener
	defer cancel()
	browsertest.Capture(tab, "redirect", p.log.output)
	var href, status string
	require.NoError(t, chromedp.Run(tab,
		chromedp.Navigate(appURL+"/js/redirect.html?code=c0de&state=s123"),
		chromedp.Evaluate("location.href", &href),
		chromedp.Text("#status", &status, chromedp.ByID),
	))
	assert.Equal(t, appURL+"/js/redirect.html", href, "the code is gone from the URL")
	assert.Contains(t, status, "Nothing to do here")
}

// Redirect messages that are not from this flow's window are ignored; the
// flow's own window with a wrong state, or a forged code, fails.
func TestForgedRedirect(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.configure(in, nil)

	// Another window's message (here the page's own), with the right state
	// or on the channel the redirect page once used, is ignored: the real
	// sign-in still completes.
	w := p.clickForPopup("#connect")
	w.waitSignInPage()
	state := p.pendingState()
	p.eval(fmt.Sprintf(`(() => {
		const m = {type: 'snworker:redirect', query: 'code=forged&state=' + %q};
		window.postMessage(m, location.origin);
		const c = new BroadcastChannel('snworker:' + %q);
		c.postMessage(m);
		c.close();
		return true;
	})()`, url.QueryEscape(state), state), nil)
	p.waitFor("t.record.windowMessages.length === 1", 5*time.Second)
	w.signIn("allow")
	p.ok("t.last", nil)
	assert.NotContains(t, p.completedQueries()[0], "forged")
	p.ok("t.disconnect()", nil)

	for _, tc := range []struct{ query, want string }{
		{"code=forged&state=wrong", "state does not match"},
		{"code=forged&state=%s", "refused the code"},
	} {
		w := p.clickForPopup("#connect")
		w.waitSignInPage()
		query := tc.query
		if strings.Contains(query, "%s") {
			query = fmt.Sprintf(query, url.QueryEscape(p.pendingState()))
		}
		w.redirect(query)
		e := p.fails("t.last", "AuthorizationError")
		assert.Contains(t, e.Message, tc.want, tc.query)
		w.gone(5 * time.Second)
	}
}

// pendingState is the state of the last beginAuthorization reply.
func (p *page) pendingState() string {
	p.t.Helper()
	var state string
	p.eval(`(() => {
		for (const m of t.record.fromWorker.slice().reverse()) {
			const r = JSON.parse(m.json).result;
			if (r && r.state) return r.state;
		}
		return '';
	})()`, &state)
	require.NotEmpty(p.t, state)
	return state
}

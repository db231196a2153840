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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/internal/engines"
)

// No access or refresh token ever reaches the page: not in a message from
// the worker, storage, cookies, the DOM, the URL or history. The code passes
// through the redirect page and the module (as it must), but is kept nowhere.
func TestNoTokenInPage(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)
	p.connect(in, nil, 0)
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
	tab := inOneEngine(t).open("/js/redirect.html?code=c0de&state=s123", "document.getElementById('status')?.textContent") // no opener
	var href, status string
	tab.eval("location.href", &href)
	tab.eval("document.getElementById('status').textContent", &status)
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
	w.awaitSignInPage()
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
	w.signIn(engines.Allow, 0)
	p.ok("t.last", nil)
	assert.NotContains(t, p.completedQueries()[0], "forged")
	p.ok("t.disconnect()", nil)

	for _, tc := range []struct{ query, want string }{
		{"code=forged&state=wrong", "state does not match"},
		{"code=forged&state=%s", "refused the code"},
	} {
		w := p.clickForPopup("#connect")
		w.awaitSignInPage()
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
func (p *ewin) pendingState() string {
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

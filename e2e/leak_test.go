//go:build !js

package e2e

// Issue 28, finding 3: a script of the app page that is the redirect URL
// reports the page's URL, code and all, and a server of the attacker's
// redeems that code with a verifier of its own. It gets no token, but it
// costs the user: replayed after the app's exchange, the instance revokes
// the session (RFC 6749 §4.1.2); spent first, the user's sign-in fails.

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/engines"
)

// leakyPath is an app page that loads a script reporting its URL before
// the module (e2e/testdata/test/leaky.html).
const leakyPath = "/test/leaky.html"

// leakyInstance is an instance whose client lists the leaky page. Until
// hold is closed (if it is not nil), the app's own token requests wait.
func leakyInstance(t *testing.T, hold chan struct{}) *instance {
	em := emulator.New(emulator.Config{
		Clients:        []emulator.Client{{ID: clientID, RedirectURIs: []string{appURL + leakyPath}}},
		AllowedOrigins: []string{appURL},
		TokenCORS:      true,
		TestControls:   true,
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hold != nil && r.URL.Path == "/oauth_token.do" && r.Header.Get("Origin") == appURL {
			select {
			case <-hold:
			case <-time.After(20 * time.Second):
			}
		}
		em.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &instance{Server: em, URL: srv.URL}
}

func leakyOptions() map[string]any {
	return map[string]any{"redirectUri": appURL + leakyPath}
}

// leakedCode waits for the code the page's script reported.
func leakedCode(t *testing.T, p *ewin) string {
	t.Helper()
	p.waitFor("localStorage.getItem('leaked')?.includes('code=') === true", 20*time.Second)
	var href string
	p.eval("localStorage.getItem('leaked')", &href)
	u, err := url.Parse(href)
	require.NoError(t, err)
	return u.Query().Get("code")
}

// replay redeems code as the attacker's server does, with a verifier of
// its own, and returns the instance's status.
func replay(t *testing.T, in *instance, code string) int {
	t.Helper()
	res, err := http.PostForm(in.URL+"/oauth_token.do", url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "client_id": {clientID},
		"redirect_uri": {appURL + leakyPath}, "code_verifier": {strings.Repeat("a", 43)},
	})
	require.NoError(t, err)
	res.Body.Close()
	return res.StatusCode
}

// Replayed after the app's exchange, the code brings no token, and the
// instance revokes both tokens it issued: the user is signed out.
func TestLeakedCodeReplayEndsSession(t *testing.T) {
	t.Parallel()
	in := leakyInstance(t, nil)
	p := newPage(t)
	p.connect(in, leakyOptions(), 0)
	issued := in.IssuedTokens()
	require.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status)
	code := leakedCode(t, p)
	require.NotEmpty(t, code, "the page's script read the code from its URL")

	assert.Equal(t, http.StatusUnauthorized, replay(t, in, code), "the replay gets no token")
	for i, tok := range issued {
		if tok == code {
			continue
		}
		assert.False(t, in.bearerWorks(t, tok) || in.refreshWorks(t, tok), "token #%d outlived the replay", i)
	}
	p.fails("t.request('/api/now/table/incident?sysparm_limit=1')", "AuthTokenExpiredError")
}

// Spent first (here the app's exchange waits until it is), the
// code brings the attacker no token, and the user's sign-in fails.
func TestLeakedCodeSpentFirst(t *testing.T) {
	t.Parallel()
	hold := make(chan struct{})
	in := leakyInstance(t, hold)
	p := newPage(t)
	p.configure(in, leakyOptions())
	p.clickForPopup("#connect").signIn(engines.Allow, 0)
	assert.Equal(t, http.StatusUnauthorized, replay(t, in, leakedCode(t, p)), "the attacker gets no token")
	close(hold)
	e := p.fails("t.last", "AuthorizationError")
	t.Logf("the user's sign-in: %s", e.Message)
	assert.Equal(t, 2, in.Calls("token:authorization_code"), "the attacker's exchange and the app's")
}

// The module takes the code out of the address bar as it runs, so script
// that runs after it (here a pagehide listener) reads none in location; the
// page's navigation entry (Performance API) still holds the URL it was
// loaded with.
func TestLeakedCodeAfterTheModule(t *testing.T) {
	t.Parallel()
	in := leakyInstance(t, nil)
	p := newPage(t)
	p.connect(in, leakyOptions(), 0)
	p.waitFor("localStorage.getItem('afterModule') !== null", 10*time.Second)
	var after struct {
		Href       string `json:"href"`
		Navigation string `json:"navigation"`
	}
	p.eval("JSON.parse(localStorage.getItem('afterModule'))", &after)
	assert.NotContains(t, after.Href, "code=", "location after the module")
	assert.Contains(t, after.Navigation, "code=", "the navigation entry after the module (docs/deployment.md says it keeps the code)")
}

//go:build !js

package worker

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/emulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// begin attaches port with p and starts its sign-in; it returns the
// authorize URL.
func (sh *shared) begin(port int, p *bridge.AttachParams) string {
	sh.t.Helper()
	require.False(sh.t, result[bridge.AttachResult](sh.t, sh.call(port, 1, bridge.OpAttach, p)).Connected)
	return result[bridge.BeginResult](sh.t, sh.call(port, 2, bridge.OpBegin, &bridge.BeginParams{})).AuthorizeURL
}

// allow signs in at the authorize URL and returns the redirect's query.
func (sh *shared) allow(authorizeURL string) string {
	sh.t.Helper()
	loc, err := emulator.Authorize(authorizeURL, "admin", "admin", true)
	require.NoError(sh.t, err)
	return loc.RawQuery
}

// Settings belong to the window whose click starts the sign-in: ports
// that attach with other scopes, timeouts, endpoints or allowedPaths, before
// or during it, change nothing and end nothing.
func TestSessionsSettingsBelongToSigner(t *testing.T) {
	sh := newShared(t)
	other := sh.attachParams()
	other.AllowedPaths = []string{"/api/now/table/incident"}
	require.Nil(t, sh.call(8, 1, bridge.OpAttach, other).Error)
	hostile := sh.attachParams()
	hostile.Scopes, hostile.TimeoutMS, hostile.Endpoints = []string{"useraccount", "admin", "attacker_scope"}, 1, bridge.EndpointsOpenFin
	require.Nil(t, sh.call(9, 1, bridge.OpAttach, hostile).Error)
	assert.Empty(t, sh.s.live, "attaching creates no session")

	app := sh.attachParams()
	app.Scopes = []string{"useraccount"}
	authorize := sh.begin(1, app)
	// Attaching and signing in elsewhere meanwhile leaves this sign-in alone.
	require.Nil(t, sh.call(9, 2, bridge.OpBegin, &bridge.BeginParams{}).Error, "the other port's sign-in is its own")
	require.Nil(t, sh.call(10, 1, bridge.OpAttach, other).Error)

	u, err := url.Parse(authorize)
	require.NoError(t, err)
	assert.Equal(t, "useraccount", u.Query().Get("scope"), "the scope is the signing window's")
	r := sh.call(1, 3, bridge.OpComplete, &bridge.CompleteParams{Query: sh.allow(authorize)})
	require.Nil(t, r.Error, "the app signs in with its own timeout and endpoints")
	assert.True(t, sh.s.ports[1].s.w.connected())
	assert.Equal(t, 200, result[bridge.APIResult](t, sh.wait(sh.get(1, 4, "/api/now/table/incident?sysparm_limit=1"), "a request")).Status)

	joined := sh.attachParams()
	joined.Scopes = []string{"other"} // the signer's scopes hold for everyone
	assert.True(t, result[bridge.AttachResult](t, sh.call(11, 1, bridge.OpAttach, joined)).Connected)
	r = sh.call(12, 1, bridge.OpAttach, other)
	require.NotNil(t, r.Error)
	assert.Contains(t, r.Error.Message, "signed in with another allowedPaths")
}

// Only the port whose code exchange succeeded sets the user: a port that
// sends a completion that fails, then setUser, is refused.
func TestSessionsSignerRecordedAfterExchange(t *testing.T) {
	sh := newShared(t)
	sh.signIn(1)
	sh.attach(2)
	r := sh.call(2, 2, bridge.OpComplete, &bridge.CompleteParams{Query: "code=x&state=y"})
	require.NotNil(t, r.Error)
	assert.Contains(t, r.Error.Message, "no authorization is in progress")
	r = sh.call(2, 3, bridge.OpSetUser, &bridge.SetUserParams{User: json.RawMessage(`{"name":"Mallory (spoofed)"}`)})
	require.NotNil(t, r.Error)
	assert.Contains(t, r.Error.Message, "only the window that signed in")
	assert.JSONEq(t, `{"user_name":"admin"}`, string(sh.attach(3).User))

	// Before anyone signs in, a port that starts nothing reaches nothing.
	sh2 := newShared(t)
	authorize := sh2.begin(1, sh2.attachParams())
	sh2.attach(2)
	r = sh2.call(2, 2, bridge.OpComplete, &bridge.CompleteParams{Query: sh2.allow(authorize)})
	require.NotNil(t, r.Error, "another port's redirect does not complete this sign-in")
	assert.Equal(t, bridge.NameTokenExpired, r.Error.Name)
	assert.Contains(t, r.Error.Message, "has not started a sign-in")
	r = sh2.call(2, 3, bridge.OpSetUser, &bridge.SetUserParams{User: json.RawMessage(`{}`)})
	require.NotNil(t, r.Error)
	assert.Contains(t, r.Error.Message, "not signed in")
}

// Two windows that sign in at once do not spoil each other's flow: the
// later one signs in, and so does the earlier; windows that come later join
// the last to complete.
func TestSessionsTwoSignInsAtOnce(t *testing.T) {
	sh := newShared(t)
	first := sh.begin(1, sh.attachParams())
	second := sh.begin(2, sh.attachParams())
	require.Nil(t, sh.call(2, 3, bridge.OpComplete, &bridge.CompleteParams{Query: sh.allow(second)}).Error, "the later one signs in")
	require.Nil(t, sh.call(1, 3, bridge.OpComplete, &bridge.CompleteParams{Query: sh.allow(first)}).Error, "the earlier one too")
	require.Nil(t, sh.call(1, 4, bridge.OpSetUser, &bridge.SetUserParams{User: json.RawMessage(`{"user_name":"first"}`)}).Error)
	require.Nil(t, sh.call(2, 4, bridge.OpSetUser, &bridge.SetUserParams{User: json.RawMessage(`{"user_name":"second"}`)}).Error)
	assert.JSONEq(t, `{"user_name":"first"}`, string(sh.attach(3).User), "the last to complete is the one new windows join")
	for _, port := range []int{1, 2, 3} {
		assert.Equal(t, 200, result[bridge.APIResult](t, sh.wait(sh.get(port, 9, "/api/now/table/incident?sysparm_limit=1"), "a request")).Status, "port %d", port)
	}
}

// A sign-in whose window goes ends: its flow is gone, and what an exchange
// under way brings is revoked, since no port can use it.
func TestSessionsSignInWindowGone(t *testing.T) {
	sh := newShared(t)
	sh.begin(1, sh.attachParams())
	sess := sh.s.ports[1].s
	sh.s.Gone(1)
	require.Eventually(t, func() bool {
		sess.w.mu.Lock()
		defer sess.w.mu.Unlock()
		return sess.w.closed
	}, 5*time.Second, 5*time.Millisecond, "the sign-in ends with its window")

	// Gone in the middle of the code exchange.
	query := sh.allow(sh.begin(2, sh.attachParams()))
	sh.instance.Reset()
	sh.instance.InjectFault("/oauth_token.do", emulator.Fault{Delay: 300 * time.Millisecond, Times: 1})
	done := sh.start(2, 3, bridge.OpComplete, &bridge.CompleteParams{Query: query})
	require.Eventually(t, func() bool { return sh.instance.Calls("token") == 1 }, 5*time.Second, 5*time.Millisecond)
	sh.s.Gone(2)
	require.Eventually(t, func() bool { return sh.instance.Calls("revoke") == 2 }, 5*time.Second, 5*time.Millisecond,
		"the tokens the exchange brought are revoked")
	select {
	case r := <-done:
		t.Fatalf("the gone port got a reply: %+v", r)
	case <-time.After(50 * time.Millisecond):
	}
	assert.Empty(t, sh.s.live, "nothing is signed in")
	assert.False(t, sh.attach(3).Connected)
}

//go:build !js

package worker

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/emulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// disconnect() revokes every access token the session received that may
// still be live, not just the current one: here one replaced after a 401
// and one renewed ahead of expiry, both still accepted by the instance.
func TestDisconnectRevokesSupersededAccessTokens(t *testing.T) {
	c := &clock{}
	c.ns.Store(time.Now().UnixNano())
	e := newEnvConfig(t, emulator.Config{Clients: []emulator.Client{{ID: testClient, RedirectURIs: []string{testRedirect}}}, Now: c.now})
	e.w.now = c.now
	var mu sync.Mutex
	var bearers []string // each access token the worker sent, in order
	inner := e.srv.Config.Handler
	e.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && strings.HasPrefix(r.URL.Path, "/api/now/table/incident") {
			mu.Lock()
			if !slices.Contains(bearers, tok) {
				bearers = append(bearers, tok)
			}
			mu.Unlock()
		}
		inner.ServeHTTP(w, r)
	})
	e.connect()
	require.Nil(t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil).Error)

	e.instance.InjectFault("/api/now/table/incident", emulator.Fault{Status: 401, Times: 1})
	require.Nil(t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil).Error, "renewed after a 401")
	c.advance(1800*time.Second - 30*time.Second)
	require.Nil(t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil).Error, "renewed ahead of expiry")
	require.Equal(t, 2, e.instance.Calls("token:refresh_token"))

	mu.Lock()
	sent := slices.Clone(bearers)
	mu.Unlock()
	require.Len(t, sent, 3, "the first access token, the one after the 401, the one renewed early")
	for i, tok := range sent {
		require.True(t, e.bearerWorks(tok), "access token #%d should still be live before disconnect", i)
	}

	r := e.call(bridge.OpDisconnect, &bridge.DisconnectParams{}, nil)
	require.Nil(t, r.Error)
	assert.Equal(t, bridge.DisconnectResult{Revoked: true}, result[bridge.DisconnectResult](t, r))
	assert.Equal(t, 4, e.instance.Calls("revoke"), "the refresh token and three access tokens")
	for i, tok := range sent {
		assert.False(t, e.bearerWorks(tok), "access token #%d still works after disconnect", i)
	}
	assert.Empty(t, e.w.tokens.superseded, "nothing left in memory")
}

// Access tokens past their expiry are not kept for revocation.
func TestExpiredSupersededTokensAreDropped(t *testing.T) {
	c := &clock{}
	c.ns.Store(time.Now().UnixNano())
	e := newEnvConfig(t, emulator.Config{Clients: []emulator.Client{{ID: testClient, RedirectURIs: []string{testRedirect}}}, Now: c.now})
	e.w.now = c.now
	e.connect()
	e.instance.InjectFault("/api/now/table/incident", emulator.Fault{Status: 401, Times: 1})
	require.Nil(t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil).Error, "renewed after a 401")
	c.advance(1830 * time.Second) // both access tokens so far have expired
	require.Nil(t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil).Error, "renewed as expired")
	require.Equal(t, 2, e.instance.Calls("token:refresh_token"))
	e.w.tokens.mu.Lock()
	kept := len(e.w.tokens.superseded)
	e.w.tokens.mu.Unlock()
	assert.LessOrEqual(t, kept, 1, "the first access token, expired, is dropped")
	require.Nil(t, e.call(bridge.OpDisconnect, &bridge.DisconnectParams{}, nil).Error)
	assert.Equal(t, 2, e.instance.Calls("revoke"), "the refresh token and the current access token; the expired ones are not sent")
}

//go:build !js

package worker

import (
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/emulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// disconnect() revokes every access token the session received that may
// still be live, not just the current one: here one replaced after a 401
// and one renewed ahead of expiry, both still accepted by the instance.
func TestDisconnectRevokesSupersededAccessTokens(t *testing.T) {
	c := &clock{}
	c.ns.Store(time.Now().UnixNano())
	e := newEnvConfig(t, emulator.Config{Clients: []emulator.Client{{ID: testClient, RedirectURIs: []string{testRedirect}}}, Now: c.now})
	e.w.now = c.now
	bearers := recordBearers(e)
	e.connect()
	require.Nil(t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil).Error)

	e.instance.InjectFault("/api/now/table/incident", emulator.Fault{Status: 401, Times: 1})
	require.Nil(t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil).Error, "renewed after a 401")
	c.advance(1800*time.Second - 30*time.Second)
	require.Nil(t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil).Error, "renewed ahead of expiry")
	require.Equal(t, 2, e.instance.Calls("token:refresh_token"))

	sent := bearers()
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

// recordBearers records each access token the worker sends to the Table
// API's incident table; the function returns them, in order.
func recordBearers(e *env) func() []string {
	var mu sync.Mutex
	var bearers []string
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
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(bearers)
	}
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

// More than 16 refreshes, each forced by a 401, then disconnect(): every
// access token the session held is refused afterwards, by an instance that
// does not revoke a refresh token's access tokens with it.
func TestDisconnectRevokesEveryReplacedAccessToken(t *testing.T) {
	e := newEnvConfig(t, emulator.Config{Clients: []emulator.Client{{ID: testClient, RedirectURIs: []string{testRedirect}}}, NoRevokeCascade: true})
	bearers := recordBearers(e)
	e.connect()
	const refreshes = 20
	for i := range refreshes {
		path := fmt.Sprintf("/api/now/table/incident/%d", i)
		e.instance.InjectFault(path, emulator.Fault{Status: 401, Times: 1})
		e.api("GET", path, nil) // a 404 after the renewal: the record does not exist
	}
	require.Equal(t, refreshes, e.instance.Calls("token:refresh_token"))
	sent := bearers()
	require.Len(t, sent, refreshes+1, "one access token per refresh, and the first")

	r := e.call(bridge.OpDisconnect, &bridge.DisconnectParams{}, nil)
	require.Nil(t, r.Error)
	assert.Equal(t, bridge.DisconnectResult{Revoked: true}, result[bridge.DisconnectResult](t, r))
	assert.Equal(t, refreshes+2, e.instance.Calls("revoke"), "the refresh token and every access token")
	for i, tok := range sent {
		assert.False(t, e.bearerWorks(tok), "access token #%d still works after disconnect", i)
	}
}

// What keeping every replaced access token costs: heap bytes per token
// kept (make bench reports it as B/token).
func BenchmarkSupersededMemory(b *testing.B) {
	const n = 1000
	var before, after runtime.MemStats
	for b.Loop() {
		tk := &tokens{now: time.Now}
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range n {
			// As decoded from the token endpoint: a fresh ~80-character string.
			tk.tok = &oauth2.Token{AccessToken: fmt.Sprintf("%080d", i), RefreshToken: "r", Expiry: time.Now().Add(time.Hour)}
			tk.retire()
		}
		tk.tok = nil
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/token")
		runtime.KeepAlive(tk)
	}
}

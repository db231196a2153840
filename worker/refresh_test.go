//go:build !js

package worker

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/emulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReactiveRefresh(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.instance.ExpireAccessTokens()
	r := e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)
	require.Nil(t, r.Error)
	assert.Equal(t, 1, e.instance.Calls("token:refresh_token"))
	assert.Equal(t, []string{bridge.EventRefreshing, bridge.EventRefreshed}, e.events)

	r = e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)
	require.Nil(t, r.Error)
	assert.Equal(t, 1, e.instance.Calls("token:refresh_token"), "the renewed token is reused")
}

// A clock shared by the worker and the instance makes time pass at once.
type clock struct{ ns atomic.Int64 }

func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }

func TestProactiveRefresh(t *testing.T) {
	c := &clock{}
	c.ns.Store(time.Now().UnixNano())
	e := newEnvConfig(t, emulator.Config{Clients: []emulator.Client{{ID: testClient, RedirectURIs: []string{testRedirect}}}, Now: c.now})
	e.w.now = c.now
	e.connect()

	c.advance(1800*time.Second - 30*time.Second) // inside the renewal margin, not yet expired
	r := e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)
	require.Nil(t, r.Error)
	assert.Equal(t, 1, e.instance.Calls("token:refresh_token"), "renewed ahead of expiry")
	assert.Equal(t, 1, e.instance.Calls("api"), "no request was refused first")
}

func TestRotatedRefreshTokenIsKept(t *testing.T) {
	e := newEnv(t, emulator.Client{ID: testClient, RedirectURIs: []string{testRedirect}, Rotate: true})
	e.connect()
	for i := 1; i <= 3; i++ {
		e.instance.ExpireAccessTokens()
		r := e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)
		require.Nil(t, r.Error, "refresh %d", i)
		assert.Equal(t, i, e.instance.Calls("token:refresh_token"))
	}
}

func TestRefreshRefusedEndsSession(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.instance.RevokeRefreshTokens()
	e.instance.ExpireAccessTokens()
	r := e.api("GET", "/api/now/table/incident", nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameTokenExpired, r.Error.Name)
	assert.Contains(t, r.Error.Message, "call connect() again")
	assert.JSONEq(t, `{"error_description":"access_denied","error":"server_error"}`, string(r.Error.Data),
		"data is the token endpoint's error body, as the anchor's")
	assert.Contains(t, e.events, bridge.EventExpired)

	calls := e.instance.Calls("token") + e.instance.Calls("api")
	r = e.api("GET", "/api/now/table/incident", nil)
	assert.Equal(t, bridge.NameTokenExpired, r.Error.Name)
	assert.Equal(t, calls, e.instance.Calls("token")+e.instance.Calls("api"), "no request without tokens")
}

func TestRefreshServerFaultKeepsSession(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.instance.ExpireAccessTokens()
	e.instance.InjectFault("/oauth_token.do", emulator.Fault{Status: 500, Times: 1})
	r := e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameAPIRequest, r.Error.Name)
	assert.Equal(t, 500, r.Error.Status)
	assert.Contains(t, r.Error.Message, "try again")

	r = e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)
	require.Nil(t, r.Error, "the next try refreshes")
}

func TestRenewedTokenRefused(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.instance.InjectFault("/api/now/table/incident", emulator.Fault{Status: 401, Times: 2})
	r := e.api("GET", "/api/now/table/incident", nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameTokenExpired, r.Error.Name)
	assert.Equal(t, 1, e.instance.Calls("token:refresh_token"))
	assert.Contains(t, e.events, bridge.EventExpired)
}

func TestOneRefreshForConcurrentRequests(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.instance.ExpireAccessTokens()
	var wg sync.WaitGroup
	errs := make(chan *bridge.Error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.callID(int64(5000+i), bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident?sysparm_limit=1"}, nil)
			errs <- r.Error
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.Nil(t, err)
	}
	assert.Equal(t, 1, e.instance.Calls("token:refresh_token"))
}

func TestDisconnectRevokes(t *testing.T) {
	e := newEnv(t)
	e.connect()
	tokens := e.instance.IssuedTokens()
	r := e.call(bridge.OpDisconnect, &bridge.DisconnectParams{}, nil)
	require.Nil(t, r.Error)
	assert.Equal(t, bridge.DisconnectResult{Revoked: true}, result[bridge.DisconnectResult](t, r))
	assert.Equal(t, 2, e.instance.Calls("revoke"))
	e.mu.Lock()
	assert.Equal(t, bridge.EventDisconnected, e.events[len(e.events)-1], "the event comes before the reply, after which the page may end the worker")
	e.mu.Unlock()

	r = e.api("GET", "/api/now/table/incident", nil)
	require.NotNil(t, r.Error)
	assert.Contains(t, r.Error.Message, "disconnected")
	assert.Nil(t, e.w.tokens.tok, "no token left in memory")
	for _, tok := range tokens {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/now/table/incident", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, 401, res.StatusCode, "an issued token still works after disconnect")
	}
}

func TestRefreshAfterDisconnectIsRevoked(t *testing.T) {
	e := newEnv(t)
	inner := e.srv.Config.Handler
	issued, release := make(chan struct{}), make(chan struct{})
	e.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth_token.do" || e.instance.Calls("token") == 0 {
			inner.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder() // the refresh: issue the token, answer later
		inner.ServeHTTP(rec, r)
		close(issued)
		<-release
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
	e.connect()
	e.instance.ExpireAccessTokens()
	done := e.start(99, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}, nil)
	<-issued
	require.Nil(t, e.call(bridge.OpDisconnect, &bridge.DisconnectParams{}, nil).Error)
	close(release)
	r := <-done
	require.NotNil(t, r.Error)
	// Disconnect revokes two tokens; the late refresh's two are revoked too.
	require.Eventually(t, func() bool { return e.instance.Calls("revoke") == 4 }, 5*time.Second, 5*time.Millisecond, "revocations: %d", e.instance.Calls("revoke"))
	for _, tok := range e.instance.IssuedTokens() {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/now/table/incident", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, 401, res.StatusCode)
	}
}

func TestTokenEndpointStall(t *testing.T) {
	e := newEnv(t)
	r := e.call(bridge.OpInit, &bridge.InitParams{InstanceURL: e.srv.URL, ClientID: testClient, RedirectURI: testRedirect, TimeoutMS: 200}, nil)
	require.Nil(t, r.Error)
	require.Nil(t, e.call(bridge.OpComplete, &bridge.CompleteParams{Query: e.authorize("admin", "allow")}, nil).Error)
	e.instance.ExpireAccessTokens()
	e.instance.InjectFault("/oauth_token.do", emulator.Fault{Delay: 10 * time.Second, Times: 1})
	start := time.Now()
	r = e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameAPIRequest, r.Error.Name)
	assert.Contains(t, r.Error.Message, "did not answer the refresh in time")
	assert.Less(t, time.Since(start), 5*time.Second, "bounded by the init timeout")
	assert.Nil(t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil).Error, "the session survives a stalled refresh")
}

func TestRefreshAnswerUnreadable(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.instance.ExpireAccessTokens()
	e.instance.InjectFault("/oauth_token.do", emulator.Fault{HTML: true, Status: 200, Times: 1})
	r := e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameAPIRequest, r.Error.Name)
	assert.Contains(t, r.Error.Message, "answer could not be read")
	assert.NotContains(t, r.Error.Message, "CORS", "not a network failure")
	assert.Nil(t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil).Error, "the session survives")
}

// A disconnect that comes while the code exchange is under way lets it
// finish, then revokes what it brought: the instance has issued the tokens
// whether or not the worker reads its answer.
func TestDisconnectDuringExchange(t *testing.T) {
	e := newEnv(t)
	inner := e.srv.Config.Handler
	issued, release := make(chan struct{}), make(chan struct{})
	e.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth_token.do" {
			inner.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder() // issue the tokens, answer after the disconnect
		inner.ServeHTTP(rec, r)
		close(issued)
		<-release
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
	e.init(nil)
	query := e.authorize("admin", "allow")
	complete := e.start(42, bridge.OpComplete, &bridge.CompleteParams{Query: query}, nil)
	<-issued
	disconnect := e.start(43, bridge.OpDisconnect, &bridge.DisconnectParams{}, nil)
	close(release)

	r := e.wait(42, bridge.OpComplete, complete)
	require.NotNil(t, r.Error)
	assert.Contains(t, r.Error.Message, "disconnected")
	r = e.wait(43, bridge.OpDisconnect, disconnect)
	require.Nil(t, r.Error)
	assert.Equal(t, bridge.DisconnectResult{Revoked: true}, result[bridge.DisconnectResult](t, r), "the exchange's tokens were revoked")
	assert.Nil(t, e.w.tokens.tok, "no token kept in a closed worker")
	assert.Equal(t, 2, e.instance.Calls("revoke"), "both new tokens revoked")
	tokens := e.instance.IssuedTokens()
	require.Len(t, tokens, 3, "a code, an access and a refresh token")
	for i, tok := range tokens {
		assert.False(t, e.bearerWorks(tok), "issued token #%d still works after disconnect", i)
	}
}

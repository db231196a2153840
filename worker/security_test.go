//go:build !js

package worker

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/emulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var hostilePaths = []string{
	"https://evil.example/api/now/table/incident",
	"http://evil.example",
	"HTTPS://evil.example/x",
	"//evil.example/api",
	"///evil.example/api",
	"/\\evil.example/api",
	"\\\\evil.example\\api",
	"/api/now/table/incident\\..\\..\\oauth_token.do",
	"/api/%2F%2Fevil.example",
	"/api/now/table/%2e%2e/%2e%2e/oauth_token.do",
	"/api/now/table/%2E%2E/x",
	"/api/now/%5c%5cevil.example",
	"/api/now/table/../../oauth_token.do",
	"/api/now/./table/incident",
	"/api/now/table/incident/..",
	"javascript:alert(1)",
	"data:text/html,hi",
	"evil.example:443/api",
	"/api/now/table/incident#@evil.example",
	"/api/now/table/incident\r\nHost: evil.example",
	"/api/now/table/incident\x00",
	"/api/now/table/incident\t",
	"/api/now/table/inc ident",
	"/api/now/table/%00",
	"/api/now/table/%zz",
	"/api/now/table/..;/oauth_token.do",
	"/api/now/table/%09../oauth_token.do",
	"/api/now/table/%252e%252e/oauth_token.do",
	"/api/now/table/%c0%ae%c0%ae/oauth_token.do",
	"/api/now/table/\uff0e\uff0e/oauth_token.do",
}

func TestOriginLockRefusesHostilePaths(t *testing.T) {
	e := newEnv(t)
	e.connect()
	before := len(e.instance.Requests())
	for _, p := range hostilePaths {
		r := e.call(bridge.OpRequest, &bridge.RequestParams{Path: p}, nil)
		if !assert.NotNil(t, r.Error, "path %q was sent", p) {
			continue
		}
		assert.Equal(t, bridge.NameParameter, r.Error.Name, p)
		assert.Contains(t, r.Error.Message, "want a path on the instance", p)
	}
	after := e.instance.Requests()
	for _, rec := range after[before:] {
		t.Errorf("a hostile path reached the instance: %s %s", rec.Method, rec.Path)
	}
	assert.GreaterOrEqual(t, len(hostilePaths), 30)
}

func TestResolveKeepsPathsOnTheInstance(t *testing.T) {
	c, err := newConfig(&bridge.InitParams{InstanceURL: "https://dev1.service-now.com", ClientID: "c", RedirectURI: "https://app/r"})
	require.Nil(t, err)
	for in, want := range map[string]string{
		"/api/now/table/incident":                         "https://dev1.service-now.com/api/now/table/incident",
		"api/now/table/incident":                          "https://dev1.service-now.com/api/now/table/incident",
		"evil.example/api":                                "https://dev1.service-now.com/evil.example/api",
		"/api/now/table/incident?sysparm_query=a=b^ORc=d": "https://dev1.service-now.com/api/now/table/incident?sysparm_query=a=b^ORc=d",
		"/api/now/table/incident?sysparm_query=x LIKE y":  "https://dev1.service-now.com/api/now/table/incident?sysparm_query=x%20LIKE%20y",
		"/api/now/table/sys_user?q=https://evil.example":  "https://dev1.service-now.com/api/now/table/sys_user?q=https://evil.example",
		"/api/now/table/x%20y":                            "https://dev1.service-now.com/api/now/table/x%20y",
		"@evil.example/api":                               "https://dev1.service-now.com/@evil.example/api",
	} {
		u, err := c.resolve(in)
		require.Nil(t, err, in)
		assert.Equal(t, want, u.String(), in)
	}
}

func TestAllowedPaths(t *testing.T) {
	e := newEnv(t)
	e.init(&bridge.InitParams{AllowedPaths: []string{"/api/now/table/incident"}})
	require.Nil(t, e.call(bridge.OpComplete, &bridge.CompleteParams{Query: e.authorize("admin", "allow")}, nil).Error)
	assert.Nil(t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil).Error)
	r := e.api("GET", "/api/now/table/sys_user", nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameParameter, r.Error.Name)
	assert.Contains(t, r.Error.Message, "outside the allowed paths")
}

func TestHeadersAndMethodsRefused(t *testing.T) {
	e := newEnv(t)
	e.connect()
	before := e.instance.Calls("api")
	cases := []struct {
		method  string
		headers map[string]string
		want    string
	}{
		{"GET", map[string]string{"Authorization": "Bearer mine"}, `"Authorization" is set by the worker`},
		{"GET", map[string]string{"authorization": "Basic x"}, "is set by the worker"},
		{"GET", map[string]string{"Cookie": "a=b"}, "is set by the worker"},
		{"GET", map[string]string{"Host": "evil.example"}, "is set by the worker"},
		{"GET", map[string]string{"X-A": "b\r\nAuthorization: Bearer x"}, "control character"},
		{"GET", map[string]string{"X-A": "b\nc"}, "control character"},
		{"GET", map[string]string{"X-A": "b\x00"}, "control character"},
		{"GET", map[string]string{"X-Note": "price in \u20ac"}, "beyond ISO-8859-1"},
		{"GET", map[string]string{"X-Note": "emoji \U0001F600"}, "beyond ISO-8859-1"},
		{"GET", map[string]string{"X-A\r\nX-B": "c"}, "is not a header name"},
		{"GET", map[string]string{"X A": "c"}, "is not a header name"},
		{"GET", map[string]string{"js.fetch:redirect": "follow"}, "is not a header name"},
		{"GET", map[string]string{"js.fetch:credentials": "include"}, "is not a header name"},
		{"GET", map[string]string{"": "x"}, "is not a header name"},
		{"GET", map[string]string{"X-Big": strings.Repeat("a", 9<<10)}, "over 8 KiB"},
		{"GET", map[string]string{"X-HTTP-Method-Override": "DELETE"}, `"X-HTTP-Method-Override" could override the method`},
		{"POST", map[string]string{"X-HTTP-Method": "DELETE"}, "could override"},
		{"POST", map[string]string{"x-method-override": "PUT"}, "could override"},
		{"GET", map[string]string{"X-Original-URL": "/oauth_token.do"}, "could override"},
		{"GET", map[string]string{"X-Rewrite-URL": "/api/now/table/sys_user"}, "could override"},
		{"GET", map[string]string{"X-Forwarded-For": "127.0.0.1"}, `"X-Forwarded-For" could override`},
		{"GET", map[string]string{"X-Forwarded-Host": "evil.example"}, "could override"},
		{"GET", map[string]string{"x-forwarded-proto": "http"}, "could override"},
		{"GET", map[string]string{"X-Forwarded-Prefix": "/api/now/table/sys_user"}, "could override"},
		{"GET", map[string]string{"Forwarded": "for=127.0.0.1;host=evil.example"}, "could override"},
		{"GET", map[string]string{"X-Host": "evil.example"}, "could override"},
		{"GET", map[string]string{"X-Real-IP": "10.0.0.1"}, "could override"},
		{"TRACE", nil, `"TRACE" is not supported`},
		{"CONNECT", nil, "is not supported"},
		{"G ET", nil, "is not supported"},
	}
	for _, c := range cases {
		r := e.call(bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident", Method: c.method, Headers: c.headers}, nil)
		require.NotNil(t, r.Error, "%s %v", c.method, c.headers)
		assert.Equal(t, bridge.NameParameter, r.Error.Name)
		assert.Contains(t, r.Error.Message, c.want)
	}
	assert.Equal(t, before, e.instance.Calls("api"), "no refused request was sent")
	r := e.call(bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident?sysparm_limit=1",
		Headers: map[string]string{"X-Note": "caf\u00e9\tok"}}, nil)
	assert.Nil(t, r.Error, "Latin-1 and tabs are fine")
	assert.Nil(t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil).Error, "the worker still serves")
}

func TestRedirectToAnotherOriginIsNotFollowed(t *testing.T) {
	var attacker atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attacker.Add(1)
		if r.Header.Get("Authorization") != "" {
			t.Error("the attacker received an Authorization header")
		}
	}))
	defer evil.Close()
	e := newEnv(t)
	inner := e.srv.Config.Handler
	e.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/now/table/moved" {
			http.Redirect(w, r, evil.URL+"/steal", http.StatusFound)
			return
		}
		inner.ServeHTTP(w, r)
	})
	e.connect()
	r := e.api("GET", "/api/now/table/moved", nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameAPIRequest, r.Error.Name)
	assert.Contains(t, r.Error.Message, "redirect")
	assert.Zero(t, attacker.Load(), "the redirect was followed")
}

func TestCancel(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.instance.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 10 * time.Second})

	done := e.start(77, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}, nil)
	c := e.call(bridge.OpCancel, &bridge.CancelParams{ID: 77}, nil)
	assert.Equal(t, bridge.CancelResult{Cancelled: true}, result[bridge.CancelResult](t, c))
	select {
	case r := <-done:
		require.NotNil(t, r.Error)
		assert.Equal(t, bridge.NameAbort, r.Error.Name)
	case <-time.After(5 * time.Second):
		t.Fatal("the cancelled request did not end within 5s")
	}
	c = e.call(bridge.OpCancel, &bridge.CancelParams{ID: 77}, nil)
	assert.Equal(t, bridge.CancelResult{Cancelled: false}, result[bridge.CancelResult](t, c))
}

func TestDisconnectEndsPendingRequests(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.instance.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 10 * time.Second})
	done := e.start(88, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}, nil)
	require.Nil(t, e.call(bridge.OpDisconnect, &bridge.DisconnectParams{}, nil).Error)
	select {
	case r := <-done:
		require.NotNil(t, r.Error)
		assert.Equal(t, bridge.NameAbort, r.Error.Name)
		assert.Contains(t, r.Error.Message, "connection was closed")
	case <-time.After(5 * time.Second):
		t.Fatal("the pending request did not end within 5s of disconnect")
	}
}

// Nothing the worker sends ever holds a token, code or verifier.
func TestNoTokenInAnyMessage(t *testing.T) {
	e := newEnv(t, emulator.Client{ID: testClient, RedirectURIs: []string{testRedirect}, Rotate: true})
	e.connect()
	verifierSeen := e.w.flow == nil
	for range 2 {
		e.api("GET", "/api/now/table/incident?sysparm_limit=2", nil)
		e.api("POST", "/api/now/table/incident", []byte(`{"short_description":"x"}`))
		e.instance.ExpireAccessTokens()
	}
	e.api("GET", "/api/now/table/nope", nil)
	e.instance.RevokeRefreshTokens()
	e.instance.ExpireAccessTokens()
	e.api("GET", "/api/now/table/incident", nil)
	e.call(bridge.OpDisconnect, &bridge.DisconnectParams{}, nil)

	sent := e.sent()
	issued := e.instance.IssuedTokens()
	require.GreaterOrEqual(t, len(issued), 5, "code, access and rotated refresh tokens")
	for _, tok := range issued {
		assert.NotContains(t, sent, tok)
	}
	assert.True(t, verifierSeen, "the flow (and its verifier) is gone once used")
	assert.Contains(t, e.events, bridge.EventRefreshed)
	assert.Contains(t, e.events, bridge.EventExpired)
}

// The worker adds the anchor's default headers; a caller's own win.
func TestDefaultHeadersReachTheInstance(t *testing.T) {
	e := newEnv(t)
	inner := e.srv.Config.Handler
	seen := make(chan http.Header, 4)
	e.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/now/table/incident") {
			seen <- r.Header.Clone()
		}
		inner.ServeHTTP(w, r)
	})
	e.connect()

	require.Nil(t, e.call(bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident", Method: "POST", SuppressResponseBody: true}, []byte(`{}`)).Error)
	h := <-seen
	assert.Equal(t, "application/json", h.Get("Accept"))
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	assert.Equal(t, "true", h.Get("X-no-response-body"))
	assert.True(t, strings.HasPrefix(h.Get("Authorization"), "Bearer "))

	r := e.call(bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident?sysparm_limit=1",
		Headers: map[string]string{"accept": "text/csv"}}, nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, 406, r.Error.Status, "the instance answers JSON only")
	h = <-seen
	assert.Equal(t, "text/csv", h.Get("Accept"), "the caller's Accept wins")
	assert.Empty(t, h.Get("Content-Type"), "no Content-Type on a GET")
	assert.Empty(t, h.Get("X-no-response-body"))
}

// The module's liveness check is answered before init, while connected and
// after disconnect, and changes nothing.
func TestPingInAnyState(t *testing.T) {
	e := newEnv(t)
	ping := func() { require.Nil(t, e.call(bridge.OpPing, &bridge.PingParams{}, nil).Error) }
	ping()
	e.connect()
	ping()
	assert.Equal(t, 200, result[bridge.APIResult](t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)).Status)
	require.Nil(t, e.call(bridge.OpDisconnect, &bridge.DisconnectParams{}, nil).Error)
	ping()
}

// Every op refuses an id that a pending request holds, the exchange too.
func TestPendingIDRefusedForEveryOp(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.instance.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 10 * time.Second})
	done := e.start(70, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}, nil)
	for op, params := range map[bridge.Op]any{
		bridge.OpRequest:  &bridge.RequestParams{Path: "/api/now/table/problem"},
		bridge.OpComplete: &bridge.CompleteParams{Query: "code=c&state=s"},
		bridge.OpBegin:    &bridge.BeginParams{},
		bridge.OpCancel:   &bridge.CancelParams{ID: 70},
	} {
		r := e.callID(70, op, params, nil)
		require.NotNil(t, r.Error, "%s", op)
		assert.Contains(t, r.Error.Message, "id 70 is already in use", "%s", op)
	}
	require.Nil(t, e.call(bridge.OpCancel, &bridge.CancelParams{ID: 70}, nil).Error)
	r := e.wait(70, bridge.OpRequest, done)
	assert.Equal(t, bridge.NameAbort, r.Error.Name)
}

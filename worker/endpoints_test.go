//go:build !js

package worker

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/emulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const appOrigin = "https://app.example"

// corsTransport reads an answer only when it allows appOrigin, as a
// browser's fetch does; in no-cors mode, any answer is opaque.
type corsTransport struct{}

func (corsTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	noCORS := r.Header.Get(bridge.FetchModeHeader) == "no-cors"
	r.Header.Del(bridge.FetchModeHeader)
	r.Header.Set("Origin", appOrigin)
	res, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, errors.New("TypeError: Failed to fetch")
	}
	if noCORS {
		res.Body.Close()
		return &http.Response{StatusCode: 0, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	}
	if a := res.Header.Get("Access-Control-Allow-Origin"); a != appOrigin && a != "*" {
		res.Body.Close()
		return nil, errors.New("TypeError: Failed to fetch")
	}
	return res, nil
}

func newCORSEnv(t *testing.T, tokenCORS bool, origins ...string) *env {
	e := newEnvConfig(t, emulator.Config{
		Clients:        []emulator.Client{{ID: testClient, RedirectURIs: []string{testRedirect}}},
		AllowedOrigins: origins,
		TokenCORS:      tokenCORS,
	})
	e.w.client.Transport = corsTransport{}
	e.w.Origin = appOrigin
	return e
}

func (e *env) initAuto() {
	e.t.Helper()
	r := e.call(bridge.OpInit, &bridge.InitParams{InstanceURL: e.srv.URL, ClientID: testClient, RedirectURI: testRedirect,
		Endpoints: bridge.EndpointsAuto}, nil)
	require.Nil(e.t, r.Error)
}

func TestEndpointsFoundByCORS(t *testing.T) {
	for name, c := range map[string]struct {
		tokenCORS bool
		origins   []string
		want      bridge.EndpointsResult
		refresh   string // the emulator's counter of the refresh grant it serves
	}{
		"the instance's own, with glide.oauth.cors.allowed.origin": {true, []string{appOrigin}, servicenowEndpoints, "token:refresh_token"},
		"the Store app's, out of the box":                          {false, []string{appOrigin}, openFinEndpoints, "openfin:request_tokens:refresh_token"},
	} {
		t.Run(name, func(t *testing.T) {
			e := newCORSEnv(t, c.tokenCORS, c.origins...)
			e.initAuto()
			assert.Equal(t, c.want, result[bridge.EndpointsResult](t, e.call(bridge.OpEndpoints, &bridge.EndpointsParams{}, nil)))
			require.Nil(t, e.call(bridge.OpComplete, &bridge.CompleteParams{Query: e.authorize("admin", "allow")}, nil).Error)
			e.instance.Reset()
			e.instance.ExpireAccessTokens()
			assert.Equal(t, 200, result[bridge.APIResult](t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)).Status)
			assert.Equal(t, 1, e.instance.Calls(c.refresh), "the refresh goes to the endpoint found")
		})
	}
}

// With neither endpoint readable, the worker says how to fix the instance,
// and the code is never spent.
func TestNoEndpointReadable(t *testing.T) {
	e := newCORSEnv(t, false)
	e.initAuto()
	r := e.call(bridge.OpEndpoints, &bridge.EndpointsParams{}, nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameInitialization, r.Error.Name)
	for _, want := range []string{appOrigin, "glide.oauth.cors.allowed.origin", "OpenFin Store app", "CORS rule"} {
		assert.Contains(t, r.Error.Message, want)
	}
	r = e.call(bridge.OpComplete, &bridge.CompleteParams{Query: e.authorize("admin", "allow")}, nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameInitialization, r.Error.Name)
	assert.Zero(t, e.instance.Calls("token:authorization_code")+e.instance.Calls("openfin:request_tokens:authorization_code"), "the code was spent")
}

// An explicit choice skips the check: no probe reaches the instance.
func TestExplicitEndpointsSkipTheCheck(t *testing.T) {
	for _, p := range []bridge.InitParams{
		{Endpoints: bridge.EndpointsOpenFin},
		{Endpoints: bridge.EndpointsAuto, TokenPath: bridge.OpenFinTokenPath, RevokePath: bridge.OpenFinRevokePath},
	} {
		e := newCORSEnv(t, false, appOrigin)
		p.InstanceURL, p.ClientID, p.RedirectURI = e.srv.URL, testClient, testRedirect
		require.Nil(t, e.call(bridge.OpInit, &p, nil).Error)
		res := result[bridge.EndpointsResult](t, e.call(bridge.OpEndpoints, &bridge.EndpointsParams{}, nil))
		assert.Equal(t, bridge.OpenFinTokenPath, res.TokenPath)
		assert.Zero(t, e.instance.Calls("token")+e.instance.Calls("openfin:request_tokens:refresh_token"), "a probe was sent")
	}
}

// An instance the browser cannot reach (here a closed port) is named as
// such, not taken for one without CORS; one that answers without CORS is
// told apart by a request in no-cors mode, which gets an opaque answer.
func TestUnreachableInstance(t *testing.T) {
	for name, closed := range map[string]bool{"a closed port": true, "a host name that does not resolve": false} {
		t.Run(name, func(t *testing.T) {
			e := newCORSEnv(t, false)
			instance := "https://acme.service-now.invalid" // .invalid never resolves (RFC 6761)
			if closed {
				instance = e.srv.URL
				e.srv.Close()
			}
			require.Nil(t, e.call(bridge.OpInit, &bridge.InitParams{InstanceURL: instance, ClientID: testClient, RedirectURI: testRedirect,
				Endpoints: bridge.EndpointsAuto}, nil).Error)
			r := e.call(bridge.OpEndpoints, &bridge.EndpointsParams{}, nil)
			require.NotNil(t, r.Error)
			assert.Equal(t, bridge.NameInitialization, r.Error.Name)
			for _, want := range []string{"cannot reach the instance at " + instance, "instance URL given to connect()", "spelling", "network"} {
				assert.Contains(t, r.Error.Message, want)
			}
			assert.NotContains(t, r.Error.Message, "CORS")
		})
	}
}

// A hint (what an earlier sign-in found, as the page remembers it) is
// checked alone first: when it still answers, the other endpoint gets no
// probe; when it does not (the instance changed, or page script wrote a
// wrong one into localStorage), the other is found before the code is
// spent, and no code reaches the endpoint the worker cannot read.
func TestEndpointsHint(t *testing.T) {
	for name, c := range map[string]struct {
		tokenCORS  bool
		hint       string
		want       bridge.EndpointsResult
		exchange   string // the emulator's counter of the code exchange
		unprobed   string // an endpoint that gets no request at all
		wrongSpent string // the code exchange that must not happen
	}{
		"right": {true, bridge.EndpointsServiceNow, servicenowEndpoints, "token:authorization_code", "openfin:request_tokens", "openfin:request_tokens:authorization_code"},
		"wrong": {false, bridge.EndpointsServiceNow, openFinEndpoints, "openfin:request_tokens:authorization_code", "", "token:authorization_code"},
	} {
		t.Run(name, func(t *testing.T) {
			e := newCORSEnv(t, c.tokenCORS, appOrigin)
			require.Nil(t, e.call(bridge.OpInit, &bridge.InitParams{InstanceURL: e.srv.URL, ClientID: testClient, RedirectURI: testRedirect,
				Endpoints: bridge.EndpointsAuto, Hint: c.hint}, nil).Error)
			assert.Equal(t, c.want, result[bridge.EndpointsResult](t, e.call(bridge.OpEndpoints, &bridge.EndpointsParams{}, nil)))
			require.Nil(t, e.call(bridge.OpComplete, &bridge.CompleteParams{Query: e.authorize("admin", "allow")}, nil).Error)
			assert.Equal(t, 1, e.instance.Calls(c.exchange), "the code is exchanged where the worker can read the answer")
			assert.Zero(t, e.instance.Calls(c.wrongSpent), "a code was spent at an endpoint the worker cannot read")
			if c.unprobed != "" {
				assert.Zero(t, e.instance.Calls(c.unprobed), "a hint that still holds needs no other probe")
			}
		})
	}
}

func TestEndpointsHintChecked(t *testing.T) {
	e := newCORSEnv(t, false, appOrigin)
	r := e.call(bridge.OpInit, &bridge.InitParams{InstanceURL: e.srv.URL, ClientID: testClient, RedirectURI: testRedirect,
		Endpoints: bridge.EndpointsAuto, Hint: "https://evil.example"}, nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameParameter, r.Error.Name)
	assert.Contains(t, r.Error.Message, `hint "https://evil.example"`)
}

// Before the probe's first request, the log says what its 401s are.
func TestProbeSaysWhatItsRequestsAre(t *testing.T) {
	e := newCORSEnv(t, true, appOrigin)
	var early []string
	var mu sync.Mutex
	e.w.client.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !e.logged("refuses with HTTP 401") {
			mu.Lock()
			early = append(early, r.URL.Path)
			mu.Unlock()
		}
		return corsTransport{}.RoundTrip(r)
	})
	e.initAuto()
	result[bridge.EndpointsResult](t, e.call(bridge.OpEndpoints, &bridge.EndpointsParams{}, nil))
	assert.True(t, e.logged("not a failed sign-in"))
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, early, "requests sent before the log said what they are")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// logged reports whether the worker has logged a message holding s.
func (e *env) logged(s string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, m := range e.messages {
		if strings.Contains(string(m), `"event":"`+bridge.EventLog+`"`) && strings.Contains(string(m), s) {
			return true
		}
	}
	return false
}

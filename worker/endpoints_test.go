//go:build !js

package worker

import (
	"errors"
	"net/http"
	"testing"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/emulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const appOrigin = "https://app.example"

// corsTransport reads an answer only when it allows appOrigin, as a
// browser's fetch does.
type corsTransport struct{}

func (corsTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r.Header.Set("Origin", appOrigin)
	res, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
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

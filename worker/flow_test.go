//go:build !js

package worker

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/emulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBeginAuthorizeURL(t *testing.T) {
	e := newEnv(t)
	e.init(&bridge.InitParams{Scopes: []string{"useraccount"}})
	r := e.call(bridge.OpBegin, &bridge.BeginParams{AuthFlowParams: map[string]string{"prompt": "login"}}, nil)
	require.Nil(t, r.Error)
	res := result[bridge.BeginResult](t, r)
	u, err := url.Parse(res.AuthorizeURL)
	require.NoError(t, err)
	q := u.Query()
	assert.Equal(t, e.srv.URL+"/oauth_auth.do", u.Scheme+"://"+u.Host+u.Path)
	assert.Equal(t, "code", q.Get("response_type"))
	assert.Equal(t, testClient, q.Get("client_id"))
	assert.Equal(t, testRedirect, q.Get("redirect_uri"))
	assert.Equal(t, "S256", q.Get("code_challenge_method"))
	assert.Len(t, q.Get("code_challenge"), 43)
	assert.Equal(t, res.State, q.Get("state"))
	assert.Equal(t, "useraccount", q.Get("scope"))
	assert.Equal(t, "login", q.Get("prompt"))
	assert.NotContains(t, res.AuthorizeURL, e.w.flow.verifier, "the verifier stays in the worker")

	r = e.call(bridge.OpBegin, &bridge.BeginParams{AuthFlowParams: map[string]string{"code_challenge": "x"}}, nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameParameter, r.Error.Name)
	assert.Contains(t, r.Error.Message, `"code_challenge" is set by the worker`)

	// As in OpenFin's package, authFlowParams.scope replaces the scopes.
	r = e.call(bridge.OpBegin, &bridge.BeginParams{AuthFlowParams: map[string]string{"scope": "useraccount admin"}}, nil)
	require.Nil(t, r.Error)
	u, err = url.Parse(result[bridge.BeginResult](t, r).AuthorizeURL)
	require.NoError(t, err)
	assert.Equal(t, []string{"useraccount admin"}, u.Query()["scope"], "one scope parameter, authFlowParams'")
}

func TestConnectAndTableRoundTrips(t *testing.T) {
	e := newEnv(t)
	e.connect()

	r := e.api("GET", "/api/now/table/incident?sysparm_limit=5&sysparm_fields=number,short_description", nil)
	require.Nil(t, r.Error)
	res := result[bridge.APIResult](t, r)
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, bridge.KindJSON, res.Kind)
	assert.Contains(t, res.Type, "application/json")
	assert.NotEmpty(t, res.Headers["x-total-count"])
	assert.Contains(t, res.Headers["link"], `rel="next"`)
	var list struct{ Result []map[string]string }
	require.NoError(t, json.Unmarshal(r.Body, &list))
	assert.Len(t, list.Result, 5)

	r = e.api("POST", "api/now/table/incident", []byte(`{"short_description":"printer on fire"}`))
	require.Nil(t, r.Error)
	assert.Equal(t, 201, result[bridge.APIResult](t, r).Status)
	var created struct{ Result map[string]any }
	require.NoError(t, json.Unmarshal(r.Body, &created))
	id := created.Result["sys_id"].(string)
	assert.Equal(t, "printer on fire", created.Result["short_description"])

	r = e.call(bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident/" + id, Method: "patch",
		Headers: map[string]string{"X-Custom": "1"}}, []byte(`{"state":"2"}`))
	require.Nil(t, r.Error)
	assert.Equal(t, 200, result[bridge.APIResult](t, r).Status)
	assert.Contains(t, string(r.Body), `"state":"2"`)

	r = e.call(bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident/" + id, Method: "PUT", SuppressResponseBody: true}, []byte(`{"state":"3"}`))
	require.Nil(t, r.Error)
	assert.Equal(t, bridge.KindNone, result[bridge.APIResult](t, r).Kind)
	assert.Nil(t, r.Body)

	r = e.api("DELETE", "/api/now/table/incident/"+id, nil)
	require.Nil(t, r.Error)
	assert.Equal(t, 204, result[bridge.APIResult](t, r).Status)
	assert.Equal(t, bridge.KindNone, result[bridge.APIResult](t, r).Kind)

	r = e.api("GET", "/api/now/table/incident/"+id, nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameAPIRequest, r.Error.Name)
	assert.Equal(t, 404, r.Error.Status)
	assert.Equal(t, "No Record found", r.Error.Message)
	assert.Contains(t, string(r.Error.Data), `"status":"failure"`)
}

func TestCurrentUser(t *testing.T) {
	e := newEnv(t)
	e.connect()
	r := e.api("GET", "/api/now/table/sys_user?sysparm_query=sys_id%3Djavascript:gs.getUserID()&sysparm_limit=1", nil)
	require.Nil(t, r.Error)
	assert.Contains(t, string(r.Body), `"user_name":"admin"`)
}

func TestOpenFinEndpoints(t *testing.T) {
	e := newEnv(t)
	e.init(&bridge.InitParams{TokenPath: bridge.OpenFinTokenPath, RevokePath: bridge.OpenFinRevokePath})
	require.Nil(t, e.call(bridge.OpComplete, &bridge.CompleteParams{Query: e.authorize("admin", "allow")}, nil).Error)
	assert.Equal(t, 1, e.instance.Calls("openfin:request_tokens"))
	assert.Equal(t, 0, e.instance.Calls("token"))

	r := e.api("GET", bridge.OpenFinUserPath, nil)
	require.Nil(t, r.Error)
	assert.Contains(t, string(r.Body), `"user_name":"admin"`)

	r = e.call(bridge.OpDisconnect, &bridge.DisconnectParams{}, nil)
	require.Nil(t, r.Error)
	assert.Equal(t, bridge.DisconnectResult{Revoked: true}, result[bridge.DisconnectResult](t, r))
	assert.Equal(t, 2, e.instance.Calls("openfin:revoke_token"))
}

func TestAuthorizationFailures(t *testing.T) {
	t.Run("deny", func(t *testing.T) {
		e := newEnv(t)
		e.init(nil)
		query := e.authorize("admin", "deny")
		r := e.call(bridge.OpComplete, &bridge.CompleteParams{Query: query}, nil)
		require.NotNil(t, r.Error)
		assert.Equal(t, bridge.NameAuthorization, r.Error.Name)
		assert.Contains(t, r.Error.Message, "access_denied")
		assert.Contains(t, string(r.Error.Data), testRedirect+"?")
	})
	t.Run("state from another flow", func(t *testing.T) {
		e := newEnv(t)
		e.init(nil)
		query := e.authorize("admin", "allow")
		e.call(bridge.OpBegin, &bridge.BeginParams{}, nil) // a newer flow replaces it
		r := e.call(bridge.OpComplete, &bridge.CompleteParams{Query: query}, nil)
		require.NotNil(t, r.Error)
		assert.Equal(t, bridge.NameAuthorization, r.Error.Name)
		assert.Contains(t, r.Error.Message, "state does not match")
		assert.Equal(t, 0, e.instance.Calls("token"), "no exchange was tried")
	})
	t.Run("replayed redirect", func(t *testing.T) {
		e := newEnv(t)
		e.init(nil)
		query := e.authorize("admin", "allow")
		require.Nil(t, e.call(bridge.OpComplete, &bridge.CompleteParams{Query: query}, nil).Error)
		r := e.call(bridge.OpComplete, &bridge.CompleteParams{Query: query}, nil)
		require.NotNil(t, r.Error)
		assert.Contains(t, r.Error.Message, "no authorization is in progress")
	})
	t.Run("code refused", func(t *testing.T) {
		e := newEnv(t)
		e.init(nil)
		query := e.authorize("admin", "allow")
		q, _ := url.ParseQuery(query)
		q.Set("code", "forged")
		r := e.call(bridge.OpComplete, &bridge.CompleteParams{Query: q.Encode()}, nil)
		require.NotNil(t, r.Error)
		assert.Equal(t, bridge.NameAuthorization, r.Error.Name)
		assert.Contains(t, r.Error.Message, "status 401")
		r = e.api("GET", "/api/now/table/incident", nil)
		assert.Equal(t, bridge.NameTokenExpired, r.Error.Name, "no tokens after a failed exchange")
	})
	t.Run("no code", func(t *testing.T) {
		e := newEnv(t)
		e.init(nil)
		r := e.call(bridge.OpBegin, &bridge.BeginParams{}, nil)
		state := result[bridge.BeginResult](t, r).State
		r = e.call(bridge.OpComplete, &bridge.CompleteParams{Query: "state=" + state}, nil)
		require.NotNil(t, r.Error)
		assert.Contains(t, r.Error.Message, "holds no code")
	})
}

func TestOrderOfOperations(t *testing.T) {
	e := newEnv(t)
	for _, op := range []bridge.Op{bridge.OpBegin, bridge.OpDisconnect} {
		r := e.call(op, nil, nil)
		require.NotNil(t, r.Error, op)
		assert.Equal(t, bridge.NameInitialization, r.Error.Name)
		assert.Contains(t, r.Error.Message, "send init first")
	}
	r := e.api("GET", "/api/now/table/incident", nil)
	assert.Equal(t, bridge.NameInitialization, r.Error.Name)

	e.init(nil)
	r = e.call(bridge.OpInit, &bridge.InitParams{InstanceURL: e.srv.URL, ClientID: "c", RedirectURI: testRedirect}, nil)
	require.NotNil(t, r.Error)
	assert.Contains(t, r.Error.Message, "already initialised")

	r = e.api("GET", "/api/now/table/incident", nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameTokenExpired, r.Error.Name, "before the authorization completes")
	assert.Equal(t, 0, e.instance.Calls("api"))

	r = e.call(bridge.OpComplete, &bridge.CompleteParams{Query: "code=a&state=b"}, nil)
	assert.Contains(t, r.Error.Message, "no authorization is in progress")

	e.w.mu.Lock()
	e.w.flow = nil
	e.w.mu.Unlock()
	r = e.call(bridge.OpComplete, &bridge.CompleteParams{Query: e.authorize("admin", "allow")}, nil)
	require.Nil(t, r.Error, "the worker still serves after bad requests")
}

func TestInitValidation(t *testing.T) {
	good := bridge.InitParams{InstanceURL: "https://dev1.service-now.com", ClientID: "c", RedirectURI: "https://app/r"}
	cases := map[string]func(p *bridge.InitParams){
		"http instance":       func(p *bridge.InitParams) { p.InstanceURL = "http://dev1.service-now.com" },
		"instance path":       func(p *bridge.InitParams) { p.InstanceURL = "https://dev1.service-now.com/now" },
		"instance query":      func(p *bridge.InitParams) { p.InstanceURL = "https://dev1.service-now.com?a=b" },
		"instance user":       func(p *bridge.InitParams) { p.InstanceURL = "https://u:p@dev1.service-now.com" },
		"instance scheme":     func(p *bridge.InitParams) { p.InstanceURL = "javascript:alert(1)" },
		"instance relative":   func(p *bridge.InitParams) { p.InstanceURL = "dev1.service-now.com" },
		"client spaces":       func(p *bridge.InitParams) { p.ClientID = "   " },
		"client newline":      func(p *bridge.InitParams) { p.ClientID = "a\nb" },
		"redirect relative":   func(p *bridge.InitParams) { p.RedirectURI = "/redirect.html" },
		"redirect fragment":   func(p *bridge.InitParams) { p.RedirectURI = "https://app/r#x" },
		"scope with space":    func(p *bridge.InitParams) { p.Scopes = []string{"a b"} },
		"token path absolute": func(p *bridge.InitParams) { p.TokenPath = "https://evil.example/token" },
		"revoke path dots":    func(p *bridge.InitParams) { p.RevokePath = "/api/../x" },
		"allowed no slash":    func(p *bridge.InitParams) { p.AllowedPaths = []string{"api/now"} },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			p := good
			mutate(&p)
			_, err := newConfig(&p)
			require.NotNil(t, err)
			assert.Equal(t, bridge.NameParameter, err.Name)
			assert.Contains(t, err.Message, "want ")
		})
	}
	for _, ok := range []string{"https://dev1.service-now.com", "https://DEV1.service-now.com/", "http://localhost:8081", "http://127.0.0.1:9", "http://[::1]:80"} {
		p := good
		p.InstanceURL = ok
		_, err := newConfig(&p)
		assert.Nil(t, err, ok)
	}
}

func TestTokenEndpointUnreachable(t *testing.T) {
	e := newEnv(t)
	e.init(nil)
	query := e.authorize("admin", "allow")
	e.instance.InjectFault("/oauth_token.do", emulator.Fault{Drop: true})
	r := e.call(bridge.OpComplete, &bridge.CompleteParams{Query: query}, nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameAuthorization, r.Error.Name)
	assert.Contains(t, r.Error.Message, "/oauth_token.do sends no CORS headers")
	assert.Contains(t, r.Error.Message, "endpoints: 'openfin'")
}

func TestOpenFinTokenEndpointUnreachable(t *testing.T) {
	e := newEnv(t)
	e.init(&bridge.InitParams{TokenPath: bridge.OpenFinTokenPath, RevokePath: bridge.OpenFinRevokePath})
	query := e.authorize("admin", "allow")
	e.instance.InjectFault(bridge.OpenFinTokenPath, emulator.Fault{Drop: true})
	r := e.call(bridge.OpComplete, &bridge.CompleteParams{Query: query}, nil)
	require.NotNil(t, r.Error)
	assert.Contains(t, r.Error.Message, "CORS rule for this origin")
	assert.NotContains(t, r.Error.Message, "endpoints: 'openfin'", "already in use")
}

// A second authorization on a connected worker would replace tokens that
// stay valid on the instance; it is refused.
func TestNoSecondAuthorizationWhileConnected(t *testing.T) {
	e := newEnv(t)
	e.connect()
	r := e.call(bridge.OpBegin, &bridge.BeginParams{}, nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameAuthorization, r.Error.Name)
	assert.Contains(t, r.Error.Message, "already connected")
	assert.Nil(t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil).Error, "the session goes on")
}

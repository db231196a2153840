package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (e *env) control(method, name, contentType, body string) (*http.Response, string) {
	req, err := http.NewRequest(method, e.ts.URL+"/__emulator/"+name, strings.NewReader(body))
	require.NoError(e.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Origin", appOrigin)
	return send(e.t, http.DefaultClient, req)
}

func TestControlsOffAre404(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.TestControls = false })
	for _, name := range []string{"calls", "tokens", "requests"} {
		resp, _ := e.control("GET", name, "", "")
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, name)
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	for _, name := range []string{"expire", "revoke", "lifetimes", "fault", "reset"} {
		resp, _ := e.control("POST", name, "", "")
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, name)
	}
}

func TestHTTPControls(t *testing.T) {
	e := newEnv(t)
	tr := e.tokens()
	path := "/api/now/table/incident?sysparm_limit=1"

	resp, body := e.control("GET", "calls", "", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, appOrigin, resp.Header.Get("Access-Control-Allow-Origin"))
	var calls map[string]int
	require.NoError(t, json.Unmarshal([]byte(body), &calls))
	assert.Equal(t, map[string]int{"authorize": 1, "token": 1, "token:authorization_code": 1}, calls)

	resp, body = e.control("GET", "tokens", "", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var tokens []string
	require.NoError(t, json.Unmarshal([]byte(body), &tokens))
	assert.Len(t, tokens, 3, "code, refresh and access token")
	assert.Contains(t, tokens, tr.AccessToken)

	resp, _ = e.control("POST", "expire", "", "")
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	resp, _ = e.api("GET", path, tr.AccessToken, "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	resp, _ = e.control("POST", "lifetimes", "application/x-www-form-urlencoded",
		url.Values{"client_id": {testClient}, "access_seconds": {"120"}, "refresh_seconds": {"600"}}.Encode())
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	resp, body = e.tokenCall("/oauth_token.do", refreshForm(testClient, tr.RefreshToken))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.EqualValues(t, 119, jsonMap(t, body)["expires_in"])
	resp, _ = e.control("POST", "lifetimes", "application/x-www-form-urlencoded", "client_id=nobody&access_seconds=1")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	resp, _ = e.control("POST", "lifetimes", "application/x-www-form-urlencoded", "client_id="+testClient+"&access_seconds=soon")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)

	resp, _ = e.control("POST", "revoke", "", "")
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	resp, _ = e.tokenCall("/oauth_token.do", refreshForm(testClient, tr.RefreshToken))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	resp, _ = e.control("POST", "fault", "application/json", `{"path":"/api/now/table/incident","status":503,"times":1}`)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	resp, _ = e.api("GET", path, "", "")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	resp, _ = e.control("POST", "fault", "application/json", `{"path":"/api/now/table/incident","delay_ms":20,"html":true,"times":1}`)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	start := time.Now()
	resp, _ = e.api("GET", path, "", "")
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
	resp, _ = e.control("POST", "fault", "application/json", `{"status":503}`)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "path is required")

	resp, body = e.control("GET", "requests", "", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var reqs []RequestRecord
	require.NoError(t, json.Unmarshal([]byte(body), &reqs))
	require.NotEmpty(t, reqs)
	for _, r := range reqs {
		assert.NotContains(t, r.Path, "/__emulator/", "control requests are not logged")
	}
	assert.Contains(t, body, `"method":"GET","path":"/api/now/table/incident","origin":"","bearer":true`)

	resp, _ = e.control("POST", "reset", "", "")
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	_, body = e.control("GET", "calls", "", "")
	assert.JSONEq(t, `{}`, body)
	_, body = e.control("GET", "requests", "", "")
	assert.JSONEq(t, `[]`, body)
	_, body = e.control("GET", "tokens", "", "")
	assert.NotEqual(t, "[]\n", body, "Reset keeps data")

	resp, _ = e.control("GET", "reset", "", "")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	resp, _ = e.control("POST", "calls", "", "")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	resp, _ = e.control("GET", "nope", "", "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	resp = e.preflight("/__emulator/fault", appOrigin, "POST", "content-type")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, appOrigin, resp.Header.Get("Access-Control-Allow-Origin"))
}

func TestRequestLogAndCounters(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	e.api("GET", "/api/now/table/incident?sysparm_limit=1", tok, "", "Origin", appOrigin)
	e.api("GET", "/api/now/table/incident?sysparm_limit=1", "", "")
	e.tokenCall("/oauth_revoke_token.do", url.Values{"token": {tok}})
	e.get(http.DefaultClient, e.ts.URL+"/oauth_auth.do")
	assert.Equal(t, []RequestRecord{
		{Method: "GET", Path: "/api/now/table/incident", Origin: appOrigin, Bearer: true},
		{Method: "GET", Path: "/api/now/table/incident"},
		{Method: "POST", Path: "/oauth_revoke_token.do"},
		{Method: "GET", Path: "/oauth_auth.do"},
	}, e.s.Requests())
	assert.Equal(t, 2, e.s.Calls("api"))
	assert.Equal(t, 1, e.s.Calls("revoke"))
	assert.Equal(t, 1, e.s.Calls("authorize"))
	assert.Equal(t, 0, e.s.Calls("token"))
}

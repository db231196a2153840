package emulator

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const openfin = "/api/x_opfi_openfin/v1/integration/"

func TestOpenfinRequestTokens(t *testing.T) {
	e := newEnv(t)
	form := codeForm(e.code(validAuthParams()))
	resp, body := e.tokenCall(openfin+"request_tokens", form)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	tr := jsonMap(t, body)
	assert.NotContains(t, tr, "result", "token JSON is not wrapped")
	assert.Equal(t, "Bearer", tr["token_type"])
	assert.EqualValues(t, 1799, tr["expires_in"])
	assert.Equal(t, 1, e.s.Calls("openfin:request_tokens"))
	assert.Equal(t, 1, e.s.Calls("openfin:request_tokens:authorization_code"))
	assert.Equal(t, 0, e.s.Calls("token"))

	resp, body = e.tokenCall(openfin+"request_tokens", form)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "replayed code")
	assert.JSONEq(t, tokenFailure, body)

	resp, _ = e.tokenCall(openfin+"request_tokens", refreshForm(testClient, tr["refresh_token"].(string)))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the replay revoked the first tokens")

	rt := e.tokens().RefreshToken
	resp, body = e.tokenCall(openfin+"request_tokens", refreshForm(testClient, rt))
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Equal(t, rt, jsonMap(t, body)["refresh_token"])
	assert.Equal(t, 2, e.s.Calls("openfin:request_tokens:refresh_token"))
}

func TestOpenfinUserInfo(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(seedID("sys_user", "fred.luddy"))
	resp, body := e.api("GET", openfin+"user_info", tok, "", "Origin", appOrigin)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, appOrigin, resp.Header.Get("Access-Control-Allow-Origin"))
	user := result(t, body)
	assert.Equal(t, "fred.luddy", user["user_name"])
	assert.Equal(t, "Fred Luddy", user["name"])
	assert.Equal(t, seedID("sys_user", "fred.luddy"), user["sys_id"])
	assert.Equal(t, 1, e.s.Calls("openfin:user_info"))

	resp, body = e.api("GET", openfin+"user_info", "", "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, body, "User Not Authenticated")
	resp, _ = e.api("POST", openfin+"user_info", tok, "{}")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

func TestOpenfinRevokeToken(t *testing.T) {
	e := newEnv(t)
	tr := e.tokens()
	revoke := func(form url.Values) (*http.Response, string) { return e.tokenCall(openfin+"revoke_token", form) }

	resp, _ := revoke(url.Values{"client_id": {"other-client"}, "token": {tr.RefreshToken}, "token_type_hint": {"refresh_token"}})
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = e.tokenCall("/oauth_token.do", refreshForm(testClient, tr.RefreshToken))
	assert.Equal(t, http.StatusOK, resp.StatusCode, "another client cannot revoke the token")

	resp, body := revoke(url.Values{"client_id": {testClient}, "token": {tr.RefreshToken}, "token_type_hint": {"refresh_token"}})
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, `{"result":{"status":"success"}}`, body)
	resp, _ = e.tokenCall("/oauth_token.do", refreshForm(testClient, tr.RefreshToken))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, _ = e.api("GET", "/api/now/table/incident?sysparm_limit=1", tr.AccessToken, "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	resp, _ = revoke(url.Values{"client_id": {"nobody"}, "token": {tr.AccessToken}})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	resp, _ = revoke(url.Values{"client_id": {testClient}})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	resp, _ = e.get(http.DefaultClient, e.ts.URL+openfin+"revoke_token?client_id="+testClient+"&token=x")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Equal(t, 5, e.s.Calls("openfin:revoke_token"))
}

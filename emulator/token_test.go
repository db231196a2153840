package emulator

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCodeExchange(t *testing.T) {
	e := newEnv(t)
	resp, body := e.tokenCall("/oauth_token.do", codeForm(e.code(validAuthParams())))
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Equal(t, "application/json;charset=UTF-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Regexp(t, `^\{"access_token":"[\w-]{86}","refresh_token":"[\w-]{86}","scope":"useraccount","token_type":"Bearer","expires_in":1799\}\n$`, body)

	tr := e.tokens()
	assert.NotEqual(t, tr.AccessToken, tr.RefreshToken)
	issued := e.s.IssuedTokens()
	assert.Contains(t, issued, tr.AccessToken)
	assert.Contains(t, issued, tr.RefreshToken)
	assert.Equal(t, 2, e.s.Calls("token:authorization_code"))

	resp, body = e.api("GET", "/api/now/table/sys_user?sysparm_query=sys_id=javascript:gs.getUserID()", tr.AccessToken, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "admin", results(t, body)[0]["user_name"])
}

func TestCodeExchangeFailures(t *testing.T) {
	cases := map[string]func(e *env, f url.Values){
		"wrong verifier":   func(_ *env, f url.Values) { f.Set("code_verifier", strings.Repeat("a", 43)) },
		"missing verifier": func(_ *env, f url.Values) { f.Del("code_verifier") },
		"short verifier":   func(_ *env, f url.Values) { f.Set("code_verifier", "abc") },
		"other client":     func(_ *env, f url.Values) { f.Set("client_id", "other-client") },
		"unknown client":   func(_ *env, f url.Values) { f.Set("client_id", "nobody") },
		"no client":        func(_ *env, f url.Values) { f.Del("client_id") },
		"other redirect":   func(_ *env, f url.Values) { f.Set("redirect_uri", "http://127.0.0.1:9999/cb?app=1") },
		"missing redirect": func(_ *env, f url.Values) { f.Del("redirect_uri") },
		"unknown code":     func(_ *env, f url.Values) { f.Set("code", "nope") },
		"bad grant type":   func(_ *env, f url.Values) { f.Set("grant_type", "password") },
		"expired code":     func(e *env, _ url.Values) { e.clock.Advance(61 * time.Second) },
		"refresh as code":  func(e *env, f url.Values) { f.Set("code", e.tokens().RefreshToken) },
		"access token as rt": func(e *env, f url.Values) {
			f.Set("grant_type", "refresh_token")
			f.Set("refresh_token", e.tokens().AccessToken)
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			form := codeForm(e.code(validAuthParams()))
			mutate(e, form)
			resp, body := e.tokenCall("/oauth_token.do", form)
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
			assert.JSONEq(t, tokenFailure, body)
		})
	}
}

func TestCodeIsSingleUseAndReplayRevokes(t *testing.T) {
	e := newEnv(t)
	form := codeForm(e.code(validAuthParams()))
	resp, body := e.tokenCall("/oauth_token.do", form)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	first := jsonMap(t, body)

	resp, body = e.tokenCall("/oauth_token.do", form)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.JSONEq(t, tokenFailure, body)

	resp, _ = e.api("GET", "/api/now/table/incident?sysparm_limit=1", first["access_token"].(string), "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "tokens from a replayed code are revoked")
	resp, _ = e.tokenCall("/oauth_token.do", url.Values{"grant_type": {"refresh_token"}, "client_id": {testClient}, "refresh_token": {first["refresh_token"].(string)}})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestFailedExchangeBurnsCode(t *testing.T) {
	e := newEnv(t)
	form := codeForm(e.code(validAuthParams()))
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("code_verifier", strings.Repeat("b", 43))
	resp, _ := e.tokenCall("/oauth_token.do", bad)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, _ = e.tokenCall("/oauth_token.do", form)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestTokenEndpointRejectsGETAndOtherMethods(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get(http.DefaultClient, e.ts.URL+"/oauth_token.do?"+codeForm(e.code(validAuthParams())).Encode())
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.JSONEq(t, tokenFailure, body)
	assert.Equal(t, 1, e.s.Calls("token"))
}

func TestConfidentialClient(t *testing.T) {
	e := newEnv(t)
	params := validAuthParams()
	params.Set("client_id", "confidential")
	form := codeForm(e.code(params))
	form.Set("client_id", "confidential")

	wrong := url.Values{}
	for k, v := range form {
		wrong[k] = v
	}
	wrong.Set("client_secret", "guess")
	resp, _ := e.tokenCall("/oauth_token.do", wrong)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	// The failed try burnt that code; get another and use HTTP Basic.
	form = codeForm(e.code(params))
	form.Del("client_id")
	req, err := http.NewRequest(http.MethodPost, e.ts.URL+"/oauth_token.do", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("confidential", "s3cret")
	resp, body := send(t, http.DefaultClient, req)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	rt := jsonMap(t, body)["refresh_token"].(string)

	// Refresh with the secret in the form, then without it.
	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {"confidential"}, "client_secret": {"s3cret"}}
	resp, _ = e.tokenCall("/oauth_token.do", refresh)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	refresh.Del("client_secret")
	resp, _ = e.tokenCall("/oauth_token.do", refresh)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestBasicAndFormClientMustAgree(t *testing.T) {
	e := newEnv(t)
	form := codeForm(e.code(validAuthParams()))
	req, err := http.NewRequest(http.MethodPost, e.ts.URL+"/oauth_token.do", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("other-client:")))
	resp, _ := send(t, http.DefaultClient, req)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func refreshForm(client, rt string) url.Values {
	return url.Values{"grant_type": {"refresh_token"}, "client_id": {client}, "refresh_token": {rt}}
}

func TestRefreshKeepsSameRefreshTokenAndLifetime(t *testing.T) {
	e := newEnv(t)
	tr := e.tokens()
	e.clock.Advance(99 * 24 * time.Hour)
	resp, body := e.tokenCall("/oauth_token.do", refreshForm(testClient, tr.RefreshToken))
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	got := jsonMap(t, body)
	assert.Equal(t, tr.RefreshToken, got["refresh_token"])
	assert.NotEqual(t, tr.AccessToken, got["access_token"])
	assert.EqualValues(t, 1799, got["expires_in"])
	assert.Equal(t, 1, e.s.Calls("token:refresh_token"))

	// The refresh did not extend the refresh token's 100 days.
	e.clock.Advance(24*time.Hour + time.Second)
	resp, body = e.tokenCall("/oauth_token.do", refreshForm(testClient, tr.RefreshToken))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.JSONEq(t, tokenFailure, body)
}

func TestRefreshFailures(t *testing.T) {
	e := newEnv(t)
	tr := e.tokens()
	resp, _ := e.tokenCall("/oauth_token.do", refreshForm("other-client", tr.RefreshToken))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "refresh token of another client")
	resp, _ = e.tokenCall("/oauth_token.do", refreshForm(testClient, "unknown"))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	e.s.RevokeRefreshTokens()
	resp, _ = e.tokenCall("/oauth_token.do", refreshForm(testClient, tr.RefreshToken))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "revoked")
	resp, _ = e.api("GET", "/api/now/table/incident?sysparm_limit=1", tr.AccessToken, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "access tokens outlive a refresh-token revocation")
}

func TestAccessTokenExpiry(t *testing.T) {
	e := newEnv(t)
	tr := e.tokens()
	path := "/api/now/table/incident?sysparm_limit=1"
	e.clock.Advance(1799 * time.Second)
	resp, _ := e.api("GET", path, tr.AccessToken, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	e.clock.Advance(time.Second)
	resp, body := e.api("GET", path, tr.AccessToken, "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.JSONEq(t, `{"error":{"message":"User Not Authenticated","detail":"Required to provide Auth information"},"status":"failure"}`, body)

	resp, body = e.tokenCall("/oauth_token.do", refreshForm(testClient, tr.RefreshToken))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	fresh := jsonMap(t, body)["access_token"].(string)
	resp, _ = e.api("GET", path, fresh, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	e.s.ExpireAccessTokens()
	resp, _ = e.api("GET", path, fresh, "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestRotation(t *testing.T) {
	e := newEnv(t)
	params := validAuthParams()
	params.Set("client_id", "rotating")
	form := codeForm(e.code(params))
	form.Set("client_id", "rotating")
	resp, body := e.tokenCall("/oauth_token.do", form)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	rt1 := jsonMap(t, body)["refresh_token"].(string)

	resp, body = e.tokenCall("/oauth_token.do", refreshForm("rotating", rt1))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	rt2 := jsonMap(t, body)["refresh_token"].(string)
	assert.NotEqual(t, rt1, rt2)
	assert.Len(t, rt2, 86)

	resp, _ = e.tokenCall("/oauth_token.do", refreshForm("rotating", rt1))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "old refresh token is revoked")
	resp, _ = e.tokenCall("/oauth_token.do", refreshForm("rotating", rt2))
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestSetLifetimes(t *testing.T) {
	e := newEnv(t)
	e.s.SetLifetimes(testClient, 60*time.Second, 2*time.Minute)
	tr := e.tokens()
	assert.EqualValues(t, 59, tr.ExpiresIn)
	e.clock.Advance(2 * time.Minute)
	resp, _ := e.tokenCall("/oauth_token.do", refreshForm(testClient, tr.RefreshToken))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	e.s.SetLifetimes(testClient, 0, 0) // unchanged
	assert.EqualValues(t, 59, e.tokens().ExpiresIn)
	e.s.SetLifetimes("nobody", time.Second, time.Second) // no panic, no effect
}

func TestRevokeEndpoint(t *testing.T) {
	e := newEnv(t)
	path := "/api/now/table/incident?sysparm_limit=1"

	tr := e.tokens()
	resp, _ := e.get(http.DefaultClient, e.ts.URL+"/oauth_revoke_token.do?token="+tr.AccessToken)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = e.api("GET", path, tr.AccessToken, "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, _ = e.tokenCall("/oauth_token.do", refreshForm(testClient, tr.RefreshToken))
	assert.Equal(t, http.StatusOK, resp.StatusCode, "revoking an access token leaves the refresh token")

	tr = e.tokens()
	resp, _ = e.tokenCall("/oauth_revoke_token.do", url.Values{"token": {tr.RefreshToken}})
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = e.api("GET", path, tr.AccessToken, "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "revoking a refresh token revokes its access tokens")
	resp, _ = e.tokenCall("/oauth_token.do", refreshForm(testClient, tr.RefreshToken))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	resp, _ = e.tokenCall("/oauth_revoke_token.do", url.Values{"token": {"unknown"}})
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp, body := e.tokenCall("/oauth_revoke_token.do", url.Values{})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.JSONEq(t, tokenFailure, body)
	assert.Equal(t, 4, e.s.Calls("revoke"))
}

// With NoRevokeCascade, revoking a refresh token leaves the access tokens
// issued with it live: only revoking each of them ends it.
func TestRevokeWithoutCascade(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.NoRevokeCascade = true })
	path := "/api/now/table/incident?sysparm_limit=1"
	tr := e.tokens()
	resp, _ := e.tokenCall("/oauth_revoke_token.do", url.Values{"token": {tr.RefreshToken}})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = e.tokenCall("/oauth_token.do", refreshForm(testClient, tr.RefreshToken))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the refresh token is revoked")
	resp, _ = e.api("GET", path, tr.AccessToken, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "its access token lives on")
	resp, _ = e.tokenCall("/oauth_revoke_token.do", url.Values{"token": {tr.AccessToken}})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = e.api("GET", path, tr.AccessToken, "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "until it is revoked itself")
}

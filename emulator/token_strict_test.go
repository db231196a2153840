package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With StrictPublicClients the emulator follows ServiceNow's authorization
// code grant workflow: a public (PKCE) client gets no refresh token, and
// "refresh the access token (private clients only)".
func TestStrictPublicClients(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.StrictPublicClients = true })
	resp, body := e.tokenCall("/oauth_token.do", codeForm(e.code(validAuthParams())))
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	var tr map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &tr))
	assert.NotEmpty(t, tr["access_token"])
	assert.NotContains(t, tr, "refresh_token")
	assert.Equal(t, "Bearer", tr["token_type"])
	assert.EqualValues(t, 1799, tr["expires_in"])

	resp, body = e.tokenCall("/oauth_token.do", url.Values{"grant_type": {"refresh_token"}, "client_id": {testClient}, "refresh_token": {"anything"}})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.JSONEq(t, tokenFailure, body)

	// A confidential client still gets and uses a refresh token.
	p := validAuthParams()
	p.Set("client_id", "confidential")
	form := codeForm(e.code(p))
	form.Set("client_id", "confidential")
	form.Set("client_secret", "s3cret")
	resp, body = e.tokenCall("/oauth_token.do", form)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.NoError(t, json.Unmarshal([]byte(body), &tr))
	rt := tr["refresh_token"].(string)
	resp, body = e.tokenCall("/oauth_token.do", url.Values{"grant_type": {"refresh_token"}, "client_id": {"confidential"}, "client_secret": {"s3cret"}, "refresh_token": {rt}})
	assert.Equal(t, http.StatusOK, resp.StatusCode, body)
}

// By default a public client refreshes without a secret, which the
// product's worker relies on.
func TestPublicClientRefreshByDefault(t *testing.T) {
	e := newEnv(t)
	tr := e.tokens()
	require.NotEmpty(t, tr.RefreshToken)
	resp, body := e.tokenCall("/oauth_token.do", url.Values{"grant_type": {"refresh_token"}, "client_id": {testClient}, "refresh_token": {tr.RefreshToken}})
	assert.Equal(t, http.StatusOK, resp.StatusCode, body)
}

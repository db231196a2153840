package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (e *env) preflight(path, origin, method, headers string) *http.Response {
	req, err := http.NewRequest(http.MethodOptions, e.ts.URL+path, nil)
	require.NoError(e.t, err)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", method)
	if headers != "" {
		req.Header.Set("Access-Control-Request-Headers", headers)
	}
	resp, _ := send(e.t, http.DefaultClient, req)
	return resp
}

func TestPreflightAllowed(t *testing.T) {
	e := newEnv(t)
	for _, origin := range []string{appOrigin, "http://127.0.0.1:5173", "http://127.0.0.1"} {
		resp := e.preflight("/api/now/table/incident", origin, "PATCH", "authorization,content-type,x-no-response-body")
		assert.Equal(t, http.StatusOK, resp.StatusCode, origin)
		h := resp.Header
		assert.Equal(t, origin, h.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "GET, POST, PUT, PATCH, DELETE", h.Get("Access-Control-Allow-Methods"))
		assert.Equal(t, "Authorization, Content-Type, Accept, X-no-response-body", h.Get("Access-Control-Allow-Headers"))
		assert.Equal(t, "0", h.Get("Access-Control-Max-Age"))
		assert.Equal(t, "Origin", h.Get("Vary"))
	}
	assert.Zero(t, e.s.Calls("api"), "preflights are not API calls")
	reqs := e.s.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, RequestRecord{Method: "OPTIONS", Path: "/api/now/table/incident", Origin: appOrigin}, reqs[0])
}

func TestPreflightMaxAge(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.CORSMaxAge = 600 })
	resp := e.preflight("/api/now/table/incident", appOrigin, "GET", "authorization")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "600", resp.Header.Get("Access-Control-Max-Age"))
}

func TestPreflightRefused(t *testing.T) {
	e := newEnv(t)
	cases := map[string][3]string{
		"other origin":      {"http://evil.example", "GET", "authorization"},
		"port not wildcard": {"http://app.example:8080", "GET", ""},
		"bad port":          {"http://127.0.0.1:80x", "GET", ""},
		"other host":        {"http://127.0.0.10:80", "GET", ""},
		"method":            {appOrigin, "TRACE", ""},
		"header":            {appOrigin, "GET", "authorization,x-custom"},
		"no origin":         {"", "GET", ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			resp := e.preflight("/api/now/table/incident", c[0], c[1], c[2])
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
			for k := range resp.Header {
				assert.False(t, strings.HasPrefix(k, "Access-Control-"), k)
			}
		})
	}
}

func TestCORSOnActualRequests(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	resp, _ := e.api("GET", "/api/now/table/incident?sysparm_limit=1", tok, "", "Origin", appOrigin)
	assert.Equal(t, appOrigin, resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "Link, X-Total-Count, Location", resp.Header.Get("Access-Control-Expose-Headers"))
	assert.Equal(t, "Origin", resp.Header.Get("Vary"))

	resp, _ = e.api("GET", "/api/now/table/incident", "", "", "Origin", appOrigin)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, appOrigin, resp.Header.Get("Access-Control-Allow-Origin"), "errors are readable cross-origin")

	resp, _ = e.api("GET", "/api/now/table/incident?sysparm_limit=1", tok, "", "Origin", "http://evil.example")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the server still answers; the browser blocks")
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))

	wild := newEnv(t, func(c *Config) { c.AllowedOrigins = []string{"*"} })
	resp = wild.preflight("/api/now/table/incident", "http://any.example", "GET", "authorization")
	assert.Equal(t, "http://any.example", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "Authorization, Content-Type, Accept, X-no-response-body", resp.Header.Get("Access-Control-Allow-Headers"), "Authorization named, not *")

	none := newEnv(t, func(c *Config) { c.AllowedOrigins = nil })
	resp = none.preflight("/api/now/table/incident", appOrigin, "GET", "")
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
}

func TestTokenCORS(t *testing.T) {
	off := newEnv(t)
	for _, path := range []string{"/oauth_token.do", "/oauth_revoke_token.do"} {
		resp := off.preflight(path, appOrigin, "POST", "content-type")
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"), path)
		req, err := http.NewRequest(http.MethodPost, off.ts.URL+path, strings.NewReader(url.Values{"token": {"x"}}.Encode()))
		require.NoError(t, err)
		req.Header.Set("Origin", appOrigin)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, _ = send(t, http.DefaultClient, req)
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"), path)
	}
	resp := off.preflight("/api/x_opfi_openfin/v1/integration/request_tokens", appOrigin, "POST", "content-type")
	assert.Equal(t, appOrigin, resp.Header.Get("Access-Control-Allow-Origin"), "OpenFin's endpoint is under /api")

	on := newEnv(t, func(c *Config) { c.TokenCORS = true })
	resp = on.preflight("/oauth_token.do", appOrigin, "POST", "content-type")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, appOrigin, resp.Header.Get("Access-Control-Allow-Origin"))
	form := codeForm(on.code(validAuthParams()))
	req, err := http.NewRequest(http.MethodPost, on.ts.URL+"/oauth_token.do", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Origin", appOrigin)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body := send(t, http.DefaultClient, req)
	assert.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Equal(t, appOrigin, resp.Header.Get("Access-Control-Allow-Origin"))
	resp = on.preflight("/oauth_token.do", "http://evil.example", "POST", "content-type")
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
}

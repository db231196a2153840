package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthorizeRejectsBadRequestsWithoutRedirect(t *testing.T) {
	e := newEnv(t)
	cases := map[string]func(url.Values){
		"unknown client":        func(v url.Values) { v.Set("client_id", "nobody") },
		"unregistered redirect": func(v url.Values) { v.Set("redirect_uri", "http://evil.example/cb") },
		"redirect prefix only":  func(v url.Values) { v.Set("redirect_uri", testRedirect+"/x") },
		"other client's redirect": func(v url.Values) {
			v.Set("redirect_uri", "http://127.0.0.1:9999/cb?app=1")
			v.Set("client_id", "other-client")
		},
		"missing state":       func(v url.Values) { v.Del("state") },
		"plain method":        func(v url.Values) { v.Set("code_challenge_method", "plain") },
		"missing method":      func(v url.Values) { v.Del("code_challenge_method") },
		"missing challenge":   func(v url.Values) { v.Del("code_challenge") },
		"short challenge":     func(v url.Values) { v.Set("code_challenge", "abc") },
		"token response type": func(v url.Values) { v.Set("response_type", "token") },
		"repeated redirect":   func(v url.Values) { v.Add("redirect_uri", "http://evil.example/cb") },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			v := validAuthParams()
			mutate(v)
			resp, body := e.get(e.browser(), e.ts.URL+"/oauth_auth.do?"+v.Encode())
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Empty(t, resp.Header.Get("Location"))
			assert.Contains(t, resp.Header.Get("Content-Type"), "text/html")
			assert.Contains(t, body, "Invalid request")
			assert.NotContains(t, body, "user_password")
		})
	}
}

func TestLoginPageShape(t *testing.T) {
	e := newEnv(t)
	resp, page := e.get(e.browser(), e.ts.URL+"/oauth_auth.do?"+validAuthParams().Encode())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	for _, want := range []string{`id="user_name" name="user_name"`, `id="user_password" name="user_password"`, `id="sysverb_login"`, `href="/styles/emulator.css"`} {
		assert.Contains(t, page, want)
	}
	assert.NotContains(t, page, "<script")
	assert.NotContains(t, page, "style=")
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'none'")
	assert.Equal(t, validAuthParams(), hiddenInputs(page))
	assert.Equal(t, 1, e.s.Calls("authorize"))

	resp, css := e.get(http.DefaultClient, e.ts.URL+"/styles/emulator.css")
	assert.Equal(t, "text/css;charset=UTF-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, css, "button")
}

func TestWrongPasswordShowsLoginAgain(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	_, page := e.get(b, e.ts.URL+"/oauth_auth.do?"+validAuthParams().Encode())
	form := hiddenInputs(page)
	form.Set("user_name", "admin")
	form.Set("user_password", "wrong")
	resp, page := e.postForm(b, e.ts.URL+"/login.do", form)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, page, "User name or password invalid")
	assert.Contains(t, page, `id="sysverb_login"`)
	assert.NotContains(t, page, `id="allow"`)
	assert.Empty(t, resp.Cookies())
	assert.Equal(t, validAuthParams(), hiddenInputs(page), "authorize parameters survive a failed login")
}

func TestLoginRevalidatesHiddenParameters(t *testing.T) {
	e := newEnv(t)
	form := validAuthParams()
	form.Set("redirect_uri", "http://evil.example/cb")
	form.Set("user_name", "admin")
	form.Set("user_password", "admin")
	resp, _ := e.postForm(e.browser(), e.ts.URL+"/login.do", form)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Location"))
}

func TestConsentPageAndAllow(t *testing.T) {
	e := newEnv(t)
	b, page := e.consent(validAuthParams(), "beth.anglin", "beth.anglin")
	assert.Contains(t, page, `id="allow" name="action" value="allow">Allow</button>`)
	assert.Contains(t, page, `id="deny" name="action" value="deny" class="secondary">Deny</button>`)
	assert.Contains(t, page, testClient)
	assert.Contains(t, page, "Beth Anglin")

	u := e.decide(b, page, "allow")
	assert.Equal(t, "127.0.0.1:9999", u.Host)
	assert.Equal(t, "/callback", u.Path)
	assert.Equal(t, "st-123", u.Query().Get("state"))
	code := u.Query().Get("code")
	assert.Len(t, code, 86)
	assert.Contains(t, e.s.IssuedTokens(), code)

	// A second flow in the same browser skips the login.
	resp, page := e.get(b, e.ts.URL+"/oauth_auth.do?"+validAuthParams().Encode())
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, page, `id="allow"`)
	assert.NotContains(t, page, `id="user_password"`)
}

func TestAllowKeepsRedirectQueryAndScope(t *testing.T) {
	e := newEnv(t)
	v := validAuthParams()
	v.Set("redirect_uri", "http://127.0.0.1:9999/cb?app=1")
	v.Set("scope", "openid useraccount")
	v.Set("extra", "kept")
	b, page := e.consent(v, "admin", "admin")
	assert.Equal(t, "kept", hiddenInputs(page).Get("extra"))
	u := e.decide(b, page, "allow")
	assert.Equal(t, "1", u.Query().Get("app"))
	assert.True(t, strings.HasPrefix(u.String(), "http://127.0.0.1:9999/cb?app=1&"), u.String())

	form := codeForm(u.Query().Get("code"))
	form.Set("redirect_uri", "http://127.0.0.1:9999/cb?app=1")
	resp, body := e.tokenCall("/oauth_token.do", form)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Equal(t, "openid useraccount", jsonMap(t, body)["scope"])
}

func TestDenyRedirectsWithError(t *testing.T) {
	e := newEnv(t)
	b, page := e.consent(validAuthParams(), "admin", "admin")
	u := e.decide(b, page, "deny")
	assert.Equal(t, "access_denied", u.Query().Get("error"))
	assert.NotEmpty(t, u.Query().Get("error_description"))
	assert.Equal(t, "st-123", u.Query().Get("state"))
	assert.Empty(t, u.Query().Get("code"))
	assert.Empty(t, e.s.IssuedTokens())
}

func TestConsentNeedsSessionAndFormToken(t *testing.T) {
	e := newEnv(t)
	b, page := e.consent(validAuthParams(), "admin", "admin")

	forged := hiddenInputs(page)
	forged.Set("sysparm_ck", "forged")
	forged.Set("action", "allow")
	resp, _ := e.postForm(b, e.ts.URL+"/oauth_auth.do", forged)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Location"))

	noSession := hiddenInputs(page)
	noSession.Set("action", "allow")
	resp, body := e.postForm(e.browser(), e.ts.URL+"/oauth_auth.do", noSession)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, `id="user_password"`)

	odd := hiddenInputs(page)
	odd.Set("action", "maybe")
	resp, _ = e.postForm(b, e.ts.URL+"/oauth_auth.do", odd)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Empty(t, e.s.IssuedTokens())
}

func TestPlainLoginAndLogout(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	resp, page := e.get(b, e.ts.URL+"/login.do")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, hiddenInputs(page))

	resp, _ = e.postForm(b, e.ts.URL+"/login.do", url.Values{"user_name": {"abel.tuter"}, "user_password": {"abel.tuter"}})
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	_, page = e.get(b, e.ts.URL+"/")
	assert.Contains(t, page, "Signed in as Abel Tuter")

	resp, _ = e.get(b, e.ts.URL+"/logout.do")
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	_, page = e.get(b, e.ts.URL+"/")
	assert.NotContains(t, page, "Signed in")
	resp, _ = e.get(b, e.ts.URL+"/oauth_auth.do?"+validAuthParams().Encode())
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	resp, _ = e.get(b, e.ts.URL+"/nothing-here")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestAuthorizeDropsFormFieldNamesFromURL(t *testing.T) {
	e := newEnv(t)
	v := validAuthParams()
	v.Set("user_name", "mallory")
	v.Set("sysparm_ck", "x")
	_, page := e.get(e.browser(), e.ts.URL+"/oauth_auth.do?"+v.Encode())
	assert.Equal(t, validAuthParams(), hiddenInputs(page))
}

// The instance's own redirect URL answers with a page, code and state in its
// URL untouched, as OpenFin's apps expect of /oauth_redirect.do.
func TestRedirectPage(t *testing.T) {
	e := newEnv(t)
	res, page := e.get(e.browser(), e.ts.URL+"/oauth_redirect.do?code=abc&state=xyz")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, res.Header.Get("Content-Type"), "text/html")
	assert.Contains(t, page, "OAuth redirect")
	assert.Equal(t, "/oauth_redirect.do?code=abc&state=xyz", res.Request.URL.RequestURI(), "not redirected")
}

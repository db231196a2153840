package emulator

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// browserCode plays the user: opens authURL, logs in, presses Allow, and
// returns the redirect's query.
func (e *env) browserCode(authURL, user string) url.Values {
	b := e.browser()
	resp, page := e.get(b, authURL)
	require.Equal(e.t, http.StatusOK, resp.StatusCode, page)
	form := hiddenInputs(page)
	form.Set("user_name", user)
	form.Set("user_password", user)
	resp, page = e.postForm(b, e.ts.URL+"/login.do", form)
	require.Equal(e.t, http.StatusOK, resp.StatusCode, page)
	return e.decide(b, page, "allow").Query()
}

func TestOAuth2LibraryPublicClientFlow(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Now = nil }) // the library uses the real clock
	conf := &oauth2.Config{
		ClientID:    testClient,
		RedirectURL: testRedirect,
		Endpoint: oauth2.Endpoint{
			AuthURL: e.ts.URL + "/oauth_auth.do", TokenURL: e.ts.URL + "/oauth_token.do",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, e.ts.Client())
	verifier := oauth2.GenerateVerifier()
	q := e.browserCode(conf.AuthCodeURL("state-1", oauth2.S256ChallengeOption(verifier)), "abel.tuter")
	require.Equal(t, "state-1", q.Get("state"))
	code := q.Get("code")

	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	require.NoError(t, err)
	assert.Equal(t, "Bearer", tok.TokenType)
	assert.NotEmpty(t, tok.RefreshToken)
	assert.WithinDuration(t, time.Now().Add(1799*time.Second), tok.Expiry, 5*time.Second)
	assert.Equal(t, "useraccount", tok.Extra("scope"))

	me := func(c *http.Client) (int, string) {
		resp, body := send(t, c, mustRequest(t, e.ts.URL+"/api/now/table/sys_user?sysparm_query="+url.QueryEscape("sys_id=javascript:gs.getUserID()")))
		if resp.StatusCode != http.StatusOK {
			return resp.StatusCode, ""
		}
		return resp.StatusCode, results(t, body)[0]["user_name"].(string)
	}
	status, name := me(conf.Client(ctx, tok))
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "abel.tuter", name)

	// The server expires the token; the client notices and refreshes.
	e.s.ExpireAccessTokens()
	status, _ = me(conf.Client(ctx, tok))
	assert.Equal(t, http.StatusUnauthorized, status)
	stale := *tok
	stale.Expiry = time.Now().Add(-time.Minute)
	fresh, err := conf.TokenSource(ctx, &stale).Token()
	require.NoError(t, err)
	assert.NotEqual(t, tok.AccessToken, fresh.AccessToken)
	assert.Equal(t, tok.RefreshToken, fresh.RefreshToken)
	assert.Equal(t, 1, e.s.Calls("token:refresh_token"))
	status, name = me(conf.Client(ctx, fresh))
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "abel.tuter", name)

	// Replaying the code fails as ServiceNow fails.
	_, err = conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	var re *oauth2.RetrieveError
	require.True(t, errors.As(err, &re), "%v", err)
	assert.Equal(t, http.StatusUnauthorized, re.Response.StatusCode)
	assert.Equal(t, "server_error", re.ErrorCode)
	assert.Equal(t, "access_denied", re.ErrorDescription)

	// A wrong verifier fails too.
	q = e.browserCode(conf.AuthCodeURL("state-2", oauth2.S256ChallengeOption(verifier)), "abel.tuter")
	_, err = conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier()))
	require.True(t, errors.As(err, &re), "%v", err)
}

func TestOAuth2LibraryConfidentialClientInHeader(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Now = nil })
	conf := &oauth2.Config{
		ClientID: "confidential", ClientSecret: "s3cret", RedirectURL: testRedirect, Scopes: []string{"useraccount"},
		Endpoint: oauth2.Endpoint{
			AuthURL: e.ts.URL + "/oauth_auth.do", TokenURL: e.ts.URL + "/oauth_token.do",
			AuthStyle: oauth2.AuthStyleInHeader,
		},
	}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, e.ts.Client())
	verifier := oauth2.GenerateVerifier()
	q := e.browserCode(conf.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), "admin")
	tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	require.NoError(t, err)
	assert.NotEmpty(t, tok.AccessToken)

	conf.ClientSecret = "wrong"
	stale := *tok
	stale.Expiry = time.Now().Add(-time.Minute)
	_, err = conf.TokenSource(ctx, &stale).Token()
	assert.Error(t, err)
}

func mustRequest(t *testing.T, u string) *http.Request {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(t, err)
	return req
}

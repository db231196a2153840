package emulator

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultStatus(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	e.s.InjectFault("/api/now/table/incident", Fault{Status: http.StatusServiceUnavailable, Times: 2})
	for range 2 {
		resp, body := e.api("GET", "/api/now/table/incident", tok, "", "Origin", appOrigin)
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		assert.JSONEq(t, `{"error":{"message":"Service Unavailable","detail":"Injected fault"},"status":"failure"}`, body)
		assert.Equal(t, appOrigin, resp.Header.Get("Access-Control-Allow-Origin"), "a browser can read the fault")
	}
	resp, _ := e.api("GET", "/api/now/table/incident?sysparm_limit=1", tok, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "Times used up")
	assert.Equal(t, 3, e.s.Calls("api"), "faulted requests are counted")

	resp, _ = e.api("GET", "/api/now/table/sys_user?sysparm_limit=1", tok, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "other paths unaffected")

	e.s.InjectFault("/oauth_token.do", Fault{Status: http.StatusInternalServerError})
	for range 3 {
		resp, body := e.tokenCall("/oauth_token.do", refreshForm(testClient, "x"))
		assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
		assert.JSONEq(t, tokenFailure, body)
	}
	assert.Equal(t, 3, e.s.Calls("token:refresh_token"))
	e.s.Reset()
	resp, _ = e.tokenCall("/oauth_token.do", refreshForm(testClient, "x"))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "Reset clears faults")
	assert.Equal(t, 1, e.s.Calls("token"), "Reset clears counters")
}

func TestFaultPrefixAndPreflight(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	e.s.InjectFault("/api/now/*", Fault{Status: http.StatusBadGateway})
	e.s.InjectFault("/api/now/table/sys_user*", Fault{Status: http.StatusGatewayTimeout})
	resp, _ := e.api("GET", "/api/now/v2/table/incident", tok, "")
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	resp, _ = e.api("GET", "/api/now/table/sys_user/"+adminID, tok, "")
	assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode, "longest prefix wins")
	resp = e.preflight("/api/now/table/incident", appOrigin, "GET", "authorization")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "preflights are not faulted")
}

func TestFaultDelay(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	e.s.InjectFault("/api/now/table/incident", Fault{Delay: 30 * time.Millisecond, Times: 1})
	start := time.Now()
	resp, _ := e.api("GET", "/api/now/table/incident?sysparm_limit=1", tok, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "a pure delay lets the request through")
	assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond)

	e.s.InjectFault("/api/now/table/incident", Fault{Delay: 10 * time.Second, Status: 500})
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.ts.URL+"/api/now/table/incident", nil)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	require.Eventually(t, func() bool { return e.s.Calls("api") == 2 }, 5*time.Second, time.Millisecond)
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
	// The handler gave up on the cancelled request, so the server can close
	// promptly (httptest.Server.Close waits for handlers).
	closed := make(chan struct{})
	go func() { e.ts.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("delayed handler ignored the cancelled request")
	}
}

func TestFaultDrop(t *testing.T) {
	e := newEnv(t)
	e.s.InjectFault("/oauth_token.do", Fault{Drop: true, Times: 1})
	req, err := http.NewRequest(http.MethodPost, e.ts.URL+"/oauth_token.do", nil)
	require.NoError(t, err)
	_, err = http.DefaultClient.Do(req)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "EOF")
	resp, _ := e.tokenCall("/oauth_token.do", nil)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestFaultHTML(t *testing.T) {
	e := newEnv(t)
	e.s.InjectFault("/api/now/table/incident", Fault{HTML: true, Times: 1})
	resp, body := e.api("GET", "/api/now/table/incident", "", "")
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	assert.Equal(t, "text/html;charset=UTF-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, body, "<html>")

	e.s.InjectFault("/api/now/table/incident", Fault{HTML: true, Status: 502, Times: 1})
	resp, body = e.api("GET", "/api/now/table/incident", "", "")
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Contains(t, body, "502 Bad Gateway")
}

func TestFaultTruncate(t *testing.T) {
	e := newEnv(t)
	e.s.InjectFault("/api/now/table/incident", Fault{Truncate: true, Times: 1})
	resp, err := http.Get(e.ts.URL + "/api/now/table/incident")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Greater(t, resp.ContentLength, int64(4096))
	b, err := io.ReadAll(resp.Body)
	assert.True(t, errors.Is(err, io.ErrUnexpectedEOF), "got %v", err)
	assert.Equal(t, `{"result":[{"sys_id":"`, string(b))
}

func TestFaultRedirect(t *testing.T) {
	e := newEnv(t)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	call := func(method, path string) *http.Response {
		req, err := http.NewRequest(method, e.ts.URL+path, nil)
		require.NoError(t, err)
		req.Header.Set("Origin", appOrigin)
		resp, _ := send(t, noFollow, req)
		return resp
	}
	e.s.InjectFault("/api/now/table/incident", Fault{Redirect: "http://elsewhere.example/steal", Times: 1})
	resp := call("GET", "/api/now/table/incident")
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.Equal(t, "http://elsewhere.example/steal", resp.Header.Get("Location"))
	assert.Equal(t, appOrigin, resp.Header.Get("Access-Control-Allow-Origin"), "a browser sees the redirect")

	e.s.InjectFault("/oauth_token.do", Fault{Redirect: "http://elsewhere.example/oauth_token.do", Status: http.StatusTemporaryRedirect, Times: 1})
	resp = call("POST", "/oauth_token.do")
	assert.Equal(t, http.StatusTemporaryRedirect, resp.StatusCode, "a 3xx Status is kept")
	assert.Equal(t, "http://elsewhere.example/oauth_token.do", resp.Header.Get("Location"))

	resp = call("GET", "/api/now/table/incident")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "Times used up: the request is handled (no token)")
}

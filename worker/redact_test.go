//go:build !js

package worker

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/emulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An instance that echoes what it was sent, in every error it gives, puts
// tokens and the verifier into the worker's replies and logs: the worker
// redacts them where it posts.
func TestEchoedSecretsAreRedacted(t *testing.T) {
	e := newEnv(t)
	inner := e.srv.Config.Handler
	echo := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	e.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/oauth_token.do" && e.instance.Calls("token") > 0:
			body, _ := io.ReadAll(r.Body) // a refresh: echo the form, refresh token and all
			echo(w, http.StatusBadRequest, map[string]string{"error": string(body), "error_description": string(body)})
		case r.URL.Path == "/api/now/table/echo":
			echo(w, http.StatusBadRequest, map[string]any{"error": map[string]string{
				"message": r.Header.Get("Authorization"), "detail": r.Header.Get("Authorization")}})
		default:
			inner.ServeHTTP(w, r)
		}
	})
	e.connect()

	r := e.api("GET", "/api/now/table/echo", nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, "Bearer "+redacted, r.Error.Message)
	assert.Contains(t, string(r.Error.Data), "Bearer "+redacted)

	e.instance.ExpireAccessTokens()
	r = e.api("GET", "/api/now/table/incident", nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameTokenExpired, r.Error.Name)
	assert.Contains(t, r.Error.Message, "refresh_token="+redacted)
	assert.Contains(t, string(r.Error.Data), "refresh_token="+redacted, "AuthTokenExpiredError.data is the token endpoint's body, redacted")

	sent := e.sent()
	issued := e.instance.IssuedTokens()
	require.GreaterOrEqual(t, len(issued), 3, "a code, an access and a refresh token")
	for _, tok := range issued {
		assert.NotContains(t, sent, tok)
	}
}

// An exchange refused with the request echoed puts the verifier in the
// error: it is redacted too.
func TestEchoedVerifierIsRedacted(t *testing.T) {
	e := newEnv(t)
	e.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth_token.do" {
			e.instance.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]string{"error": string(body)})
	})
	e.init(nil)
	query := e.authorize("admin", "allow")
	verifier := e.w.flow.verifier
	r := e.call(bridge.OpComplete, &bridge.CompleteParams{Query: query}, nil)
	require.NotNil(t, r.Error)
	assert.Contains(t, r.Error.Message, "code_verifier="+redacted)
	assert.NotContains(t, e.sent(), verifier)
}

func TestRedactForms(t *testing.T) {
	var s secrets
	s.add("abc+/=def~ghi<j>")
	for _, in := range []string{
		`{"m":"abc+/=def~ghi<j>"}`,                         // as it is
		`{"m":"abc+/=def~ghi\u003cj\u003e"}`,               // JSON-escaped, as Marshal writes it
		`{"m":"refresh_token=abc%2B%2F%3Ddef~ghi%3Cj%3E"}`, // form-encoded
	} {
		out := string(s.redact([]byte(in)))
		assert.NotContains(t, out, "def~ghi", in)
		assert.Contains(t, out, redacted, in)
	}
	s.add("short")
	assert.Equal(t, "a short word", string(s.redact([]byte("a short word"))), "values under 8 bytes are no secrets")
	assert.Equal(t, "untouched", string(s.redact([]byte("untouched"))))
}

// An instance endpoint that echoes the request's headers, in its body,
// its error and its response headers, does not hand the access token to
// the page: every copy that passes through Go is redacted.
func TestEchoedTokenIsRedacted(t *testing.T) {
	e := newEnv(t)
	inner := e.srv.Config.Handler
	var sent []string
	e.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if !strings.HasPrefix(r.URL.Path, "/api/x_echo/") {
			inner.ServeHTTP(w, r)
			return
		}
		sent = append(sent, strings.TrimPrefix(auth, "Bearer "))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo-Authorization", auth)
		echo, _ := json.Marshal(map[string]any{"headers": r.Header})
		switch r.URL.Path {
		case "/api/x_echo/ok":
			w.Write([]byte(`{"result":` + string(echo) + `}`))
		case "/api/x_echo/fail":
			msg, _ := json.Marshal("cannot use " + auth)
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":{"message":` + string(msg) + `,"detail":` + string(echo) + `},"status":"failure"}`))
		}
	})
	e.connect()

	ok := e.api("GET", "/api/x_echo/ok", nil)
	require.Nil(t, ok.Error)
	res := result[bridge.APIResult](t, ok)
	assert.Equal(t, "Bearer "+redacted, res.Headers["x-echo-authorization"])
	assert.Contains(t, string(ok.Body), redacted)

	fail := e.api("GET", "/api/x_echo/fail", nil)
	require.NotNil(t, fail.Error)
	assert.Equal(t, 400, fail.Error.Status)
	assert.Equal(t, "cannot use Bearer "+redacted, fail.Error.Message)
	assert.True(t, json.Valid(fail.Error.Data), "the error's data is still JSON")
	assert.Contains(t, string(fail.Error.Data), redacted)

	require.Len(t, sent, 2)
	require.NotEmpty(t, sent[0])
	all := e.sent()
	for _, tok := range append(sent, e.instance.IssuedTokens()...) {
		assert.NotContains(t, all, tok, "a token the instance echoed reached a message")
	}
}

// A token endpoint and an API that echo the secrets they were sent in every
// escape form JSON allows (\uXXXX in any case, \/, as keys) put none of them
// in the error's data as the page would parse it.
func TestEscapedSecretsAreRedacted(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.instance.InjectFault("/api/now/table/incident", emulator.Fault{Echo: true, Times: 1})
	r := e.api("GET", "/api/now/table/incident", nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, "Injected fault: echo", r.Error.Message)
	assertNoSecret(t, e, r.Error.Data, 7)

	e.instance.InjectFault("/oauth_token.do", emulator.Fault{Echo: true, Times: 1})
	e.instance.ExpireAccessTokens()
	r = e.api("GET", "/api/now/table/incident", nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameTokenExpired, r.Error.Name)
	assertNoSecret(t, e, r.Error.Data, 7)
}

// assertNoSecret parses data as the page does and checks that no issued
// token is in it, and that at least n strings were redacted.
func assertNoSecret(t *testing.T, e *env, data json.RawMessage, n int) {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(data, &v), "%s", data)
	parsed, _ := json.Marshal(v)
	for i, tok := range e.instance.IssuedTokens() {
		assert.NotContains(t, string(parsed), tok, "issued token #%d", i)
	}
	assert.GreaterOrEqual(t, strings.Count(string(parsed), redacted), n, "%s", parsed)
}

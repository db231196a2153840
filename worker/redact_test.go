//go:build !js

package worker

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/snworker/snworker/bridge"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	res := ok.Result.(*bridge.Response)
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

package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An echo fault repeats each secret in every escape form, each of which a
// JSON parser reads as the secret, and none of which holds it as it is.
func TestEchoFault(t *testing.T) {
	s := New(Config{TestControls: true})
	srv := httptest.NewServer(s)
	defer srv.Close()
	secret := "abc/DEF-ghi_0123456789.xyz"
	s.InjectFault("/oauth_token.do", Fault{Echo: true})
	res, err := http.Post(srv.URL+"/oauth_token.do", "application/x-www-form-urlencoded", strings.NewReader("grant_type=refresh_token&refresh_token="+secret))
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, 400, res.StatusCode)
	var v struct {
		Echo map[string]string `json:"echo"`
	}
	require.NoError(t, json.Unmarshal(body, &v), "%s", body)
	forms := 0
	for k, x := range v.Echo {
		if strings.HasPrefix(k, "refresh_token.") {
			assert.Equal(t, secret, x, k)
			forms++
		}
	}
	assert.Equal(t, 6, forms)
	assert.Equal(t, "refresh_token.as key", v.Echo[secret])
	assert.Equal(t, 1, strings.Count(string(body), secret), "only the plain form holds it as it is")
}

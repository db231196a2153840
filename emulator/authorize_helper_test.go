package emulator

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Authorize (user.go) is what other packages' tests use to play the user.
func TestAuthorizeHelper(t *testing.T) {
	e := newEnv(t)
	authURL := e.ts.URL + "/oauth_auth.do?" + validAuthParams().Encode()
	u, err := Authorize(authURL, "admin", "admin", true)
	require.NoError(t, err)
	assert.NotEmpty(t, u.Query().Get("code"))
	assert.Equal(t, "st-123", u.Query().Get("state"))

	u, err = Authorize(authURL, "admin", "admin", false)
	require.NoError(t, err)
	assert.Equal(t, "access_denied", u.Query().Get("error"))

	_, err = Authorize(authURL, "admin", "wrong", true)
	assert.Error(t, err)
	_, err = Authorize(e.ts.URL+"/oauth_auth.do?client_id=nobody", "admin", "admin", true)
	assert.Error(t, err)
}

package main

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFlagsDefaults(t *testing.T) {
	addr, cfg, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:8081", addr)
	require.Len(t, cfg.Clients, 1)
	c := cfg.Clients[0]
	assert.Equal(t, "snworker-demo", c.ID)
	assert.Empty(t, c.Secret)
	assert.Empty(t, c.RedirectURIs)
	assert.Equal(t, 1800*time.Second, c.AccessTTL)
	assert.Equal(t, 100*24*time.Hour, c.RefreshTTL)
	assert.False(t, c.Rotate)
	assert.Equal(t, []string{"http://127.0.0.1:*", "http://localhost:*"}, cfg.AllowedOrigins)
	assert.False(t, cfg.TokenCORS)
	assert.False(t, cfg.TestControls)
	assert.False(t, cfg.StrictPublicClients, "the product refreshes as a public client")
}

func TestParseFlags(t *testing.T) {
	addr, cfg, err := parseFlags(strings.Fields(
		"-addr :9000 -client-id app -redirect-uri http://a/cb,http://b/cb -redirect-uri http://c/cb "+
			"-allow-origin http://x,http://y:* -token-cors -test-controls -access-ttl 1m -refresh-ttl 2h -rotate -strict-public-clients"), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, ":9000", addr)
	c := cfg.Clients[0]
	assert.Equal(t, "app", c.ID)
	assert.Equal(t, []string{"http://a/cb", "http://b/cb", "http://c/cb"}, c.RedirectURIs)
	assert.Equal(t, time.Minute, c.AccessTTL)
	assert.Equal(t, 2*time.Hour, c.RefreshTTL)
	assert.True(t, c.Rotate)
	assert.Equal(t, []string{"http://x", "http://y:*"}, cfg.AllowedOrigins)
	assert.True(t, cfg.TokenCORS)
	assert.True(t, cfg.TestControls)
	assert.True(t, cfg.StrictPublicClients)

	_, _, err = parseFlags([]string{"-access-ttl", "soon"}, io.Discard)
	assert.Error(t, err)
	_, _, err = parseFlags([]string{"stray"}, io.Discard)
	assert.Error(t, err)
}

func TestRunFailsOnBadAddress(t *testing.T) {
	var out strings.Builder
	assert.Error(t, run([]string{"-addr", "256.0.0.1:x"}, &out))
	assert.NoError(t, run([]string{"-h"}, &out))
	assert.Contains(t, out.String(), "-redirect-uri")
}

package pkce

import (
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// RFC 7636 §4.1: 43 to 128 unreserved characters.
var verifierForm = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

func TestVerifierIsValidAndFresh(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		v := Verifier()
		require.Regexp(t, verifierForm, v)
		b, err := base64.RawURLEncoding.DecodeString(v)
		require.NoError(t, err)
		assert.Len(t, b, 32, "256 bits")
		assert.False(t, seen[v], "verifier repeated")
		seen[v] = true
	}
}

// The challenge the worker sends is oauth2's S256 of a Verifier: check that
// pairing against the RFC's definition, with its Appendix B vector.
func TestChallengeOfVerifier(t *testing.T) {
	assert.Equal(t, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
		oauth2.S256ChallengeFromVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
	v := Verifier()
	sum := sha256.Sum256([]byte(v))
	assert.Equal(t, base64.RawURLEncoding.EncodeToString(sum[:]), oauth2.S256ChallengeFromVerifier(v))
}

func TestStateIsRandom(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		s := State()
		b, err := base64.RawURLEncoding.DecodeString(s)
		require.NoError(t, err)
		assert.Len(t, b, 32, "256 bits")
		assert.False(t, seen[s], "state repeated")
		seen[s] = true
	}
}

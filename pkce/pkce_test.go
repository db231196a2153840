package pkce

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RFC 7636 Appendix B.
func TestChallengeRFC7636AppendixB(t *testing.T) {
	c, err := Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
	require.NoError(t, err)
	assert.Equal(t, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", c)
}

func TestVerifierIsValidAndFresh(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		v := Verifier()
		require.NoError(t, Validate(v))
		assert.Len(t, v, 43)
		b, err := base64.RawURLEncoding.DecodeString(v)
		require.NoError(t, err)
		assert.Len(t, b, 32, "256 bits")
		assert.False(t, seen[v], "verifier repeated")
		seen[v] = true
	}
}

func TestStateIsRandom(t *testing.T) {
	a, b := State(), State()
	assert.Len(t, a, 43)
	assert.NotEqual(t, a, b)
	_, err := base64.RawURLEncoding.DecodeString(a)
	assert.NoError(t, err)
}

func TestValidateRejects(t *testing.T) {
	for name, v := range map[string]string{
		"empty":     "",
		"too short": strings.Repeat("a", 42),
		"too long":  strings.Repeat("a", 129),
		"space":     strings.Repeat("a", 42) + " ",
		"plus":      strings.Repeat("a", 42) + "+",
		"slash":     "/" + strings.Repeat("a", 42),
		"non-ascii": strings.Repeat("a", 42) + "é",
	} {
		t.Run(name, func(t *testing.T) {
			err := Validate(v)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "code verifier")
			_, err = Challenge(v)
			assert.Error(t, err)
		})
	}
	assert.NoError(t, Validate(strings.Repeat("~", 43)))
	assert.NoError(t, Validate(strings.Repeat("Z", 128)))
}

func FuzzChallenge(f *testing.F) {
	f.Add("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
	f.Add(strings.Repeat("a", 42))
	f.Add("")
	f.Fuzz(func(t *testing.T, v string) {
		c, err := Challenge(v)
		if err != nil {
			return
		}
		sum := sha256.Sum256([]byte(v))
		if want := base64.RawURLEncoding.EncodeToString(sum[:]); c != want {
			t.Fatalf("Challenge(%q) = %q, want %q", v, c, want)
		}
		if len(v) < 43 || len(v) > 128 {
			t.Fatalf("accepted verifier of length %d", len(v))
		}
	})
}

// Package pkce makes the values of an OAuth 2.0 authorization request with
// Proof Key for Code Exchange (RFC 7636): the code verifier, its S256
// challenge and a random state.
package pkce

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"golang.org/x/oauth2"
)

// Method is the only challenge method this package makes.
const Method = "S256"

// Verifier returns a new code verifier: 43 characters of base64url text
// holding 256 random bits.
func Verifier() string {
	return oauth2.GenerateVerifier()
}

// Challenge returns the S256 challenge of a verifier, or an error if the
// verifier is not of the form RFC 7636 requires.
func Challenge(verifier string) (string, error) {
	if err := Validate(verifier); err != nil {
		return "", err
	}
	return oauth2.S256ChallengeFromVerifier(verifier), nil
}

// State returns a new random state value: 43 characters of base64url text
// holding 256 random bits.
func State() string {
	b := make([]byte, 32)
	rand.Read(b) // never returns an error (crypto/rand, Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Validate reports whether v is a code verifier as RFC 7636 §4.1 defines
// one: 43 to 128 characters from [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
func Validate(v string) error {
	if n := len(v); n < 43 || n > 128 {
		return fmt.Errorf("pkce: code verifier has %d characters; want 43 to 128", n)
	}
	for i := 0; i < len(v); i++ {
		if !unreserved(v[i]) {
			return fmt.Errorf("pkce: code verifier has %q at position %d; want only A-Z, a-z, 0-9, '-', '.', '_' or '~'", v[i], i)
		}
	}
	return nil
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

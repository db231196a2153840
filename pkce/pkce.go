// Package pkce makes the random values of an OAuth 2.0 authorization
// request with Proof Key for Code Exchange (RFC 7636): the code verifier
// and the state. golang.org/x/oauth2 derives the S256 challenge.
package pkce

import (
	"crypto/rand"
	"encoding/base64"

	"golang.org/x/oauth2"
)

// Verifier returns a new code verifier: 43 characters of base64url text
// holding 256 random bits.
func Verifier() string {
	return oauth2.GenerateVerifier()
}

// State returns a new random state value: 43 characters of base64url text
// holding 256 random bits.
func State() string {
	b := make([]byte, 32)
	rand.Read(b) // never returns an error (crypto/rand, Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

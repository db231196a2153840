package worker

import (
	"bytes"
	"encoding/json"
	"net/url"
	"slices"
	"sync"

	"golang.org/x/oauth2"
)

// redacted stands in for a secret in a message.
const redacted = "[redacted]"

// secrets are the values no message may carry: every token the session
// received and every code verifier it made. They are kept for the life of
// the worker, so that a superseded token is redacted too.
type secrets struct {
	mu     sync.Mutex
	values [][]byte // each secret as it is, JSON-escaped and URL-encoded
}

func (s *secrets) add(v string) {
	if len(v) < 8 { // nothing real is this short, and short values would redact words
		return
	}
	q, _ := json.Marshal(v)
	forms := [][]byte{[]byte(v), q[1 : len(q)-1], []byte(url.QueryEscape(v))}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range forms {
		if !slices.ContainsFunc(s.values, func(x []byte) bool { return bytes.Equal(x, f) }) {
			s.values = append(s.values, f)
		}
	}
}

func (s *secrets) addToken(tok *oauth2.Token) {
	if tok != nil {
		s.add(tok.AccessToken)
		s.add(tok.RefreshToken)
	}
}

// redact replaces every secret in b. It returns b itself when there is none.
func (s *secrets) redact(b []byte) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.values {
		if bytes.Contains(b, v) {
			b = bytes.ReplaceAll(b, v, []byte(redacted))
		}
	}
	return b
}

package worker

import (
	"bytes"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
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

// redactJSON replaces every secret in each string of the JSON value raw,
// keys too, as read with every escape JSON allows decoded (\uXXXX in any
// case, \/ and the rest): what the page's JSON.parse would see. It returns
// raw itself when no string holds one, or when raw is not JSON.
func (s *secrets) redactJSON(raw json.RawMessage) json.RawMessage {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return raw
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	found := false
	v = s.walk(v, &found)
	if !found {
		return raw
	}
	out, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(`"` + redacted + `"`)
	}
	return out
}

// walk returns v with every secret in its strings replaced; s.mu is held.
func (s *secrets) walk(v any, found *bool) any {
	switch v := v.(type) {
	case string:
		return s.replace(v, found)
	case []any:
		for i, x := range v {
			v[i] = s.walk(x, found)
		}
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[s.replace(k, found)] = s.walk(x, found)
		}
		return out
	}
	return v
}

func (s *secrets) replace(str string, found *bool) string {
	for _, f := range s.values {
		if strings.Contains(str, string(f)) {
			*found = true
			str = strings.ReplaceAll(str, string(f), redacted)
		}
	}
	return str
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

package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
	"time"
)

const (
	kindCode    = "code"
	kindAccess  = "access"
	kindRefresh = "refresh"
	codeTTL     = 60 * time.Second
)

// grant is an authorization code, access token or refresh token.
type grant struct {
	kind    string
	client  string
	user    string // sys_user sys_id
	scope   string
	expires time.Time
	revoked bool
	code    string // the code this token descends from
	refresh string // access tokens: the refresh token issued alongside
	// codes only
	redirect  string
	challenge string
	used      bool
}

// randomToken is an opaque 86-character string (64 random bytes).
func randomToken() string {
	b := make([]byte, 64)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// issue stores a new grant built from g and returns its value. Caller holds s.mu.
func (s *Server) issue(g grant, ttl time.Duration) string {
	v := randomToken()
	g.expires = s.now().Add(ttl)
	s.grants[v] = &g
	s.issued = append(s.issued, v)
	return v
}

// live returns the grant if it is of kind, unrevoked and unexpired. Caller holds s.mu.
func (s *Server) live(value, kind string) *grant {
	g := s.grants[value]
	if g == nil || g.kind != kind || g.revoked || !s.now().Before(g.expires) {
		return nil
	}
	return g
}

// revoke revokes an access or refresh token; a refresh token takes its
// access tokens with it. Caller holds s.mu.
func (s *Server) revoke(value string) bool {
	g := s.grants[value]
	if g == nil || g.kind == kindCode {
		return false
	}
	g.revoked = true
	if g.kind == kindRefresh && !s.cfg.NoRevokeCascade {
		for _, a := range s.grants {
			if a.kind == kindAccess && a.refresh == value {
				a.revoked = true
			}
		}
	}
	return true
}

// revokeFromCode revokes every token descended from a code. Caller holds s.mu.
func (s *Server) revokeFromCode(code string) {
	for _, g := range s.grants {
		if g.code == code && g.kind != kindCode {
			g.revoked = true
		}
	}
}

// bearerUser returns the sys_id of the user whose live access token r carries.
func (s *Server) bearerUser(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.live(strings.TrimSpace(tok), kindAccess)
	if g == nil {
		return "", false
	}
	return g.user, true
}

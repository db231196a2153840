package emulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
)

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
}

// handleToken serves POST /oauth_token.do.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	resp, ok := s.tokenGrant(r)
	if !ok {
		tokenError(w)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, resp)
}

// tokenGrant runs an authorization_code or refresh_token grant.
func (s *Server) tokenGrant(r *http.Request) (*tokenResponse, bool) {
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		return nil, false
	}
	form := r.PostForm
	id, secret, ok := clientCredentials(r)
	if !ok {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[id]
	if c == nil || !c.public() && subtle.ConstantTimeCompare([]byte(secret), []byte(c.Secret)) != 1 {
		return nil, false
	}
	switch form.Get("grant_type") {
	case "authorization_code":
		return s.exchangeCode(c, form)
	case "refresh_token":
		return s.refresh(c, form)
	}
	return nil, false
}

// clientCredentials reads the client from HTTP Basic or the form.
func clientCredentials(r *http.Request) (id, secret string, ok bool) {
	id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if user, pass, basic := r.BasicAuth(); basic {
		bid, err1 := url.QueryUnescape(user)
		bsecret, err2 := url.QueryUnescape(pass)
		if err1 != nil || err2 != nil || id != "" && id != bid {
			return "", "", false
		}
		id, secret = bid, bsecret
	}
	return id, secret, id != ""
}

// exchangeCode redeems a code. A code works once: a second use fails and
// revokes the tokens the first use issued. Caller holds s.mu.
func (s *Server) exchangeCode(c *Client, form url.Values) (*tokenResponse, bool) {
	code := form.Get("code")
	g := s.grants[code]
	if g == nil || g.kind != kindCode {
		return nil, false
	}
	if g.used {
		s.revokeFromCode(code)
		return nil, false
	}
	g.used = true
	if !s.now().Before(g.expires) || g.client != c.ID || g.redirect != form.Get("redirect_uri") ||
		!verifierMatches(form.Get("code_verifier"), g.challenge) {
		return nil, false
	}
	if s.cfg.StrictPublicClients && c.public() {
		// ServiceNow documents a refresh token for private clients only.
		at := s.issue(grant{kind: kindAccess, client: c.ID, user: g.user, scope: g.scope, code: code}, c.AccessTTL)
		return &tokenResponse{AccessToken: at, Scope: g.scope, TokenType: "Bearer", ExpiresIn: expiresIn(c)}, true
	}
	rt := s.issue(grant{kind: kindRefresh, client: c.ID, user: g.user, scope: g.scope, code: code}, c.RefreshTTL)
	return s.accessFor(c, rt), true
}

// expiresIn is the expires_in ServiceNow reports: one second short.
func expiresIn(c *Client) int64 { return max(int64(c.AccessTTL.Seconds())-1, 0) }

// refresh issues a new access token; with rotation also a new refresh token.
// Caller holds s.mu.
func (s *Server) refresh(c *Client, form url.Values) (*tokenResponse, bool) {
	if s.cfg.StrictPublicClients && c.public() {
		return nil, false // "refresh the access token (private clients only)"
	}
	rt := form.Get("refresh_token")
	g := s.live(rt, kindRefresh)
	if g == nil || g.client != c.ID {
		return nil, false
	}
	if c.Rotate {
		g.revoked = true
		next := *g
		next.revoked = false
		rt = s.issue(next, c.RefreshTTL)
	}
	return s.accessFor(c, rt), true
}

// accessFor issues an access token alongside refresh token rt. Caller holds s.mu.
func (s *Server) accessFor(c *Client, rt string) *tokenResponse {
	g := s.grants[rt]
	at := s.issue(grant{kind: kindAccess, client: c.ID, user: g.user, scope: g.scope, code: g.code, refresh: rt}, c.AccessTTL)
	return &tokenResponse{
		AccessToken:  at,
		RefreshToken: rt,
		Scope:        g.scope,
		TokenType:    "Bearer",
		ExpiresIn:    expiresIn(c),
	}
}

// verifierMatches checks an RFC 7636 verifier against an S256 challenge.
func verifierMatches(verifier, challenge string) bool {
	if !pkceString(verifier) {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}

// pkceString reports whether v is 43–128 unreserved characters (RFC 7636).
func pkceString(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for _, c := range []byte(v) {
		ok := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~'
		if !ok {
			return false
		}
	}
	return true
}

// handleRevoke serves /oauth_revoke_token.do (GET or POST, token=…).
// Unknown tokens also get 200, as RFC 7009 asks.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost || r.ParseForm() != nil {
		tokenError(w)
		return
	}
	tok := r.Form.Get("token")
	if tok == "" {
		tokenError(w)
		return
	}
	s.mu.Lock()
	s.revoke(tok)
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

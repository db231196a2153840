package emulator

import "net/http"

// OpenFin Store app scripted REST endpoints (under /api/, so /api CORS rules).

// handleOpenfinTokens is /oauth_token.do behind a CORS-enabled REST path.
func (s *Server) handleOpenfinTokens(w http.ResponseWriter, r *http.Request) {
	s.handleToken(w, r)
}

// handleOpenfinRevoke revokes a token of the named client (form: client_id,
// token, token_type_hint).
func (s *Server) handleOpenfinRevoke(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		methodNotAllowed(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		apiError(w, nil, http.StatusBadRequest, "Bad request", err.Error())
		return
	}
	id, tok := r.PostForm.Get("client_id"), r.PostForm.Get("token")
	s.mu.Lock()
	known := s.clients[id] != nil
	if g := s.grants[tok]; known && g != nil && g.client == id {
		s.revoke(tok)
	}
	s.mu.Unlock()
	switch {
	case !known:
		apiError(w, nil, http.StatusBadRequest, "Invalid client_id", nil)
	case tok == "":
		apiError(w, nil, http.StatusBadRequest, "Missing token", nil)
	default:
		writeResult(w, r, http.StatusOK, map[string]string{"status": "success"})
	}
}

// handleOpenfinUserInfo returns the token user's sys_user record.
func (s *Server) handleOpenfinUserInfo(w http.ResponseWriter, r *http.Request) {
	user, ok := s.bearerUser(r)
	if !ok {
		unauthenticated(w, nil)
		return
	}
	if r.Method != http.MethodGet {
		methodNotAllowed(w, r)
		return
	}
	s.get(w, r, s.tables["sys_user"], user, user)
}

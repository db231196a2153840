package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RequestRecord is one logged request.
type RequestRecord struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Origin string `json:"origin"`
	Bearer bool   `json:"bearer"`
}

const maxRequestLog = 10000

// record logs r and counts it per endpoint (preflights are logged, not counted).
func (s *Server) record(r *http.Request) {
	rec := RequestRecord{
		Method: r.Method,
		Path:   r.URL.Path,
		Origin: r.Header.Get("Origin"),
		Bearer: hasBearer(r),
	}
	var names []string
	if r.Method != http.MethodOptions {
		names = endpointNames(r)
	}
	s.ctl.Lock()
	defer s.ctl.Unlock()
	if len(s.requests) >= maxRequestLog {
		s.requests = s.requests[1:]
	}
	s.requests = append(s.requests, rec)
	for _, n := range names {
		s.calls[n]++
	}
}

// endpointNames are the counters a request increments.
func endpointNames(r *http.Request) []string {
	p := r.URL.Path
	grant := func(base string) []string {
		names := []string{base}
		if r.Method == http.MethodPost && r.ParseForm() == nil {
			if g := r.PostForm.Get("grant_type"); g != "" {
				names = append(names, base+":"+g)
			}
		}
		return names
	}
	switch {
	case p == authPath && r.Method == http.MethodGet:
		return []string{"authorize"}
	case p == tokenPath:
		return grant("token")
	case p == revokePath:
		return []string{"revoke"}
	case p == openfinTokensPath:
		return grant("openfin:request_tokens")
	case p == openfinRevokePath:
		return []string{"openfin:revoke_token"}
	case p == openfinUserInfoPath:
		return []string{"openfin:user_info"}
	case strings.HasPrefix(p, "/api/now/"):
		return []string{"api"}
	}
	return nil
}

func hasBearer(r *http.Request) bool {
	scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	return strings.EqualFold(scheme, "Bearer")
}

// ExpireAccessTokens makes every issued access token expired now.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, g := range s.grants {
		if g.kind == kindAccess && g.expires.After(now) {
			g.expires = now
		}
	}
}

// RevokeRefreshTokens revokes every refresh token (access tokens live on).
func (s *Server) RevokeRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.grants {
		if g.kind == kindRefresh {
			g.revoked = true
		}
	}
}

// SetLifetimes changes a client's token lifetimes for tokens issued from now
// on. A zero duration leaves that lifetime unchanged.
func (s *Server) SetLifetimes(clientID string, access, refresh time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[clientID]
	if c == nil {
		return
	}
	if access > 0 {
		c.AccessTTL = access
	}
	if refresh > 0 {
		c.RefreshTTL = refresh
	}
}

// Calls is how many requests reached an endpoint: "authorize", "token",
// "token:<grant_type>", "revoke", "api", "openfin:request_tokens",
// "openfin:request_tokens:<grant_type>", "openfin:revoke_token",
// "openfin:user_info". Faulted requests count; CORS preflights do not.
func (s *Server) Calls(endpoint string) int {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	return s.calls[endpoint]
}

// IssuedTokens returns every access token, refresh token and code ever issued.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

// Requests returns the request log (control requests excluded).
func (s *Server) Requests() []RequestRecord {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	return append([]RequestRecord(nil), s.requests...)
}

// Reset clears faults, counters and the request log; data and tokens stay.
func (s *Server) Reset() {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.calls = map[string]int{}
	s.requests = nil
	s.faults = map[string]*faultState{}
}

// faultJSON is the body of POST /__emulator/fault.
type faultJSON struct {
	Path     string `json:"path"`
	Status   int    `json:"status"`
	DelayMS  int64  `json:"delay_ms"`
	Drop     bool   `json:"drop"`
	HTML     bool   `json:"html"`
	Truncate bool   `json:"truncate"`
	Times    int    `json:"times"`
}

// handleControl serves /__emulator/*.
func (s *Server) handleControl(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, controlPrefix)
	method := http.MethodPost
	switch name {
	case "calls", "tokens", "requests":
		method = http.MethodGet
	case "expire", "revoke", "lifetimes", "fault", "reset":
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method != method {
		w.Header().Set("Allow", method)
		controlError(w, http.StatusMethodNotAllowed, "use "+method)
		return
	}
	switch name {
	case "calls":
		s.ctl.Lock()
		calls := make(map[string]int, len(s.calls))
		for k, v := range s.calls {
			calls[k] = v
		}
		s.ctl.Unlock()
		writeJSON(w, http.StatusOK, calls)
	case "tokens":
		writeJSON(w, http.StatusOK, nonNil(s.IssuedTokens()))
	case "requests":
		writeJSON(w, http.StatusOK, nonNil(s.Requests()))
	case "expire":
		s.ExpireAccessTokens()
		w.WriteHeader(http.StatusNoContent)
	case "revoke":
		s.RevokeRefreshTokens()
		w.WriteHeader(http.StatusNoContent)
	case "reset":
		s.Reset()
		w.WriteHeader(http.StatusNoContent)
	case "lifetimes":
		s.controlLifetimes(w, r)
	case "fault":
		var f faultJSON
		if err := json.NewDecoder(r.Body).Decode(&f); err != nil || f.Path == "" {
			controlError(w, http.StatusBadRequest, "body must be JSON with a path")
			return
		}
		s.InjectFault(f.Path, Fault{
			Status: f.Status, Delay: time.Duration(f.DelayMS) * time.Millisecond,
			Drop: f.Drop, HTML: f.HTML, Truncate: f.Truncate, Times: f.Times,
		})
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) controlLifetimes(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		controlError(w, http.StatusBadRequest, "bad form")
		return
	}
	seconds := func(k string) (time.Duration, bool) {
		v := r.PostForm.Get(k)
		if v == "" {
			return 0, true
		}
		n, err := strconv.ParseInt(v, 10, 64)
		return time.Duration(n) * time.Second, err == nil && n >= 0
	}
	access, ok1 := seconds("access_seconds")
	refresh, ok2 := seconds("refresh_seconds")
	id := r.PostForm.Get("client_id")
	s.mu.Lock()
	known := s.clients[id] != nil
	s.mu.Unlock()
	if !ok1 || !ok2 || !known {
		controlError(w, http.StatusBadRequest, "need a known client_id and whole seconds")
		return
	}
	s.SetLifetimes(id, access, refresh)
	w.WriteHeader(http.StatusNoContent)
}

func controlError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// AttachmentFile returns the content type and bytes of the newest
// attachment named fileName, for tests.
func (s *Server) AttachmentFile(fileName string) (contentType string, content []byte, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := s.tables[attachmentTable].rows
	for i := len(rows) - 1; i >= 0; i-- {
		if a := rows[i]; a["file_name"] == fileName {
			return a["content_type"], append([]byte(nil), s.files[a["sys_id"]]...), true
		}
	}
	return "", nil, false
}

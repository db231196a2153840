package emulator

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

const sessionCookie = "JSESSIONID"

// session is a logged-in browser; ck guards its forms (ServiceNow's sysparm_ck).
type session struct {
	user string
	ck   string
}

func (s *Server) session(r *http.Request) (session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[c.Value]
	if !ok {
		return session{}, false
	}
	return *sess, true
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, user string) session {
	id, sess := randomToken(), session{user: user, ck: randomToken()[:32]}
	s.mu.Lock()
	s.sessions[id] = &sess
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: id, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	return sess
}

// checkPassword returns the sys_id of an active user with that password.
func (s *Server) checkPassword(name, password string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.tables["sys_user"].rows {
		if strings.EqualFold(u["user_name"], name) && u["active"] == "true" {
			want, ok := s.passwords[u["user_name"]]
			if ok && subtle.ConstantTimeCompare([]byte(password), []byte(want)) == 1 {
				return u["sys_id"], true
			}
			return "", false
		}
	}
	return "", false
}

// handleLogin serves /login.do. A login carrying authorization parameters
// continues to the consent page.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		loginPage(w, nil, "")
		return
	case http.MethodPost:
	default:
		errorPage(w, http.StatusMethodNotAllowed, "Method not allowed")
		return
	}
	if err := r.ParseForm(); err != nil {
		errorPage(w, http.StatusBadRequest, "Bad form")
		return
	}
	params := authParams(r.PostForm)
	var req *authRequest
	if params.Has("client_id") {
		var msg string
		if req, msg = s.parseAuthRequest(params); msg != "" {
			errorPage(w, http.StatusBadRequest, msg)
			return
		}
	}
	user, ok := s.checkPassword(r.PostForm.Get("user_name"), r.PostForm.Get("user_password"))
	if !ok {
		loginPage(w, params, "User name or password invalid")
		return
	}
	sess := s.startSession(w, r, user)
	if req == nil {
		w.Header().Set("Location", "/")
		w.WriteHeader(http.StatusFound)
		return
	}
	s.consentPage(w, req, sess)
}

// handleLogout ends the session.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.mu.Lock()
		delete(s.sessions, c.Value)
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	w.Header().Set("Location", localPath(r.URL.Query().Get("sysparm_goto_url")))
	w.WriteHeader(http.StatusFound)
}

// localPath returns p if it is a path on this server, else "/", so that
// logout cannot redirect elsewhere.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.Contains(p, "\\") {
		return "/"
	}
	return p
}

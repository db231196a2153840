package emulator

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// authRequest is a validated authorization request.
type authRequest struct {
	client      string
	redirectURI string
	state       string
	challenge   string
	scope       string
	params      url.Values // every original parameter, carried through the forms
}

// formFields are the login and consent form fields; everything else in
// those forms is an authorization parameter.
var formFields = []string{"user_name", "user_password", "sysparm_ck", "action"}

func authParams(form url.Values) url.Values {
	v := url.Values{}
	for k, vals := range form {
		if !slices.Contains(formFields, k) {
			v[k] = vals
		}
	}
	return v
}

// parseAuthRequest validates authorization parameters; a non-empty message
// means the request is refused with an error page (never a redirect).
func (s *Server) parseAuthRequest(v url.Values) (*authRequest, string) {
	for _, k := range []string{"response_type", "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "scope"} {
		if len(v[k]) > 1 {
			return nil, "Parameter " + k + " is repeated"
		}
	}
	s.mu.Lock()
	c := s.clients[v.Get("client_id")]
	registered := c != nil && c.registered(v.Get("redirect_uri"))
	s.mu.Unlock()
	switch {
	case c == nil:
		return nil, "Invalid client_id"
	case !registered:
		return nil, "Invalid redirect_uri: it is not registered for this application"
	case v.Get("response_type") != "code":
		return nil, "Unsupported response_type: only code is allowed"
	case v.Get("state") == "":
		return nil, "Missing state parameter"
	case v.Get("code_challenge_method") != "S256":
		return nil, "code_challenge_method must be S256"
	case !pkceString(v.Get("code_challenge")):
		return nil, "Missing or invalid code_challenge"
	}
	scope := v.Get("scope")
	if scope == "" {
		scope = "useraccount"
	}
	return &authRequest{
		client: c.ID, redirectURI: v.Get("redirect_uri"), state: v.Get("state"),
		challenge: v.Get("code_challenge"), scope: scope, params: v,
	}, ""
}

// handleAuthorize serves /oauth_auth.do: GET starts the flow (login, then
// consent); POST is the consent form's Allow or Deny.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	var params url.Values
	switch r.Method {
	case http.MethodGet:
		params = authParams(r.URL.Query())
	case http.MethodPost:
		if err := r.ParseForm(); err != nil {
			errorPage(w, http.StatusBadRequest, "Bad form")
			return
		}
		params = authParams(r.PostForm)
	default:
		errorPage(w, http.StatusMethodNotAllowed, "Method not allowed")
		return
	}
	req, msg := s.parseAuthRequest(params)
	if msg != "" {
		errorPage(w, http.StatusBadRequest, msg)
		return
	}
	sess, ok := s.session(r)
	if !ok {
		loginPage(w, req.params, "")
		return
	}
	if r.Method == http.MethodGet {
		s.consentPage(w, req, sess)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("sysparm_ck")), []byte(sess.ck)) != 1 {
		errorPage(w, http.StatusForbidden, "Invalid or expired form token; start again")
		return
	}
	switch r.PostForm.Get("action") {
	case "allow":
		s.mu.Lock()
		code := s.issue(grant{
			kind: kindCode, client: req.client, user: sess.user, scope: req.scope,
			redirect: req.redirectURI, challenge: req.challenge,
		}, codeTTL)
		s.mu.Unlock()
		redirect(w, req.redirectURI, url.Values{"code": {code}, "state": {req.state}})
	case "deny":
		redirect(w, req.redirectURI, url.Values{
			"error": {"access_denied"}, "error_description": {"The user denied access"}, "state": {req.state},
		})
	default:
		errorPage(w, http.StatusBadRequest, "Choose Allow or Deny")
	}
}

// redirect sends a 302 to base with q added to its existing query.
func redirect(w http.ResponseWriter, base string, q url.Values) {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
		if strings.HasSuffix(base, "?") || strings.HasSuffix(base, "&") {
			sep = ""
		}
	}
	w.Header().Set("Location", base+sep+q.Encode())
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusFound)
}

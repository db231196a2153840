package emulator

import (
	"net/http"
	"strings"
)

// nowPath splits /api/now[/v1|/v2]/{api}/{rest…} into the version ("" when
// absent), the API name and the remaining segments.
func nowPath(p string) (version, api string, segs []string, ok bool) {
	rest, ok := strings.CutPrefix(p, "/api/now/")
	if !ok {
		return "", "", nil, false
	}
	if v, after, found := strings.Cut(rest, "/"); found && (v == "v1" || v == "v2") {
		version, rest = v, after
	}
	parts := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	if parts[0] == "" {
		return "", "", nil, false
	}
	return version, parts[0], parts[1:], true
}

// handleNow serves /api/now/*: it authenticates the caller, then hands the
// request to the API its path names.
func (s *Server) handleNow(w http.ResponseWriter, r *http.Request) {
	version, api, segs, ok := nowPath(r.URL.Path)
	known := ok && (api == "table" || api == "attachment" || api == "stats" || api == "batch")
	if !known {
		apiError(w, r, http.StatusBadRequest, "Requested URI does not represent any resource", nil)
		return
	}
	user, ok := s.apiUser(r)
	if !ok {
		unauthenticated(w, r)
		return
	}
	switch api {
	case "attachment":
		s.handleAttachment(w, r, segs, user)
		return
	case "batch":
		s.handleBatch(w, r, segs)
		return
	}
	if negotiate(r.Header.Get("Accept")) == formatNone {
		apiError(w, nil, http.StatusNotAcceptable, "Not Acceptable", "Only application/json and application/xml responses are supported")
		return
	}
	switch api {
	case "table":
		s.handleTable(w, r, segs, version, user)
	case "stats":
		s.handleStats(w, r, segs, user)
	}
}

// apiUser is the caller of a REST API: a bearer token's user, or with
// Config.BasicAuth a user name and password.
func (s *Server) apiUser(r *http.Request) (string, bool) {
	if name, password, ok := r.BasicAuth(); ok && s.cfg.BasicAuth {
		return s.checkPassword(name, password)
	}
	return s.bearerUser(r)
}

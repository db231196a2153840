package emulator

import (
	"net/http"
	"strconv"
	"strings"
)

const (
	corsMethods = "GET, POST, PUT, PATCH, DELETE"
	corsHeaders = "Authorization, Content-Type, Accept, X-no-response-body"
	corsExpose  = "Link, X-Total-Count, Location"
)

// corsApplies reports whether the CORS rules cover path p.
func (s *Server) corsApplies(p string) bool {
	switch {
	case strings.HasPrefix(p, "/api/"), strings.HasPrefix(p, controlPrefix):
		return true
	case p == tokenPath, p == revokePath:
		return s.cfg.TokenCORS
	}
	return false
}

// cors adds CORS headers for an allowed origin. It answers a preflight
// itself and then reports true. A refused preflight gets no CORS headers.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	h := w.Header()
	h.Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	allowed := origin != "" && s.originAllowed(origin)
	method := r.Header.Get("Access-Control-Request-Method")
	if r.Method == http.MethodOptions && method != "" {
		if !allowed || !listed(corsMethods, method, false) || !headersAllowed(r.Header.Get("Access-Control-Request-Headers")) {
			w.WriteHeader(http.StatusForbidden)
			return true
		}
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Methods", corsMethods)
		h.Set("Access-Control-Allow-Headers", corsHeaders)
		h.Set("Access-Control-Max-Age", strconv.Itoa(s.cfg.CORSMaxAge))
		w.WriteHeader(http.StatusOK)
		return true
	}
	if allowed {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", corsExpose)
	}
	return false
}

// originAllowed matches exact origins, "scheme://host:*" port wildcards and "*".
func (s *Server) originAllowed(origin string) bool {
	for _, p := range s.cfg.AllowedOrigins {
		switch {
		case p == "*", p == origin:
			return true
		case strings.HasSuffix(p, ":*"):
			base := strings.TrimSuffix(p, ":*")
			if origin == base {
				return true
			}
			port, ok := strings.CutPrefix(origin, base+":")
			if ok && port != "" && strings.Trim(port, "0123456789") == "" {
				return true
			}
		}
	}
	return false
}

// headersAllowed reports whether every requested header is in corsHeaders.
func headersAllowed(requested string) bool {
	for _, h := range strings.Split(requested, ",") {
		if h = strings.TrimSpace(h); h != "" && !listed(corsHeaders, h, true) {
			return false
		}
	}
	return true
}

// listed reports whether v is in the comma list.
func listed(list, v string, fold bool) bool {
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == v || fold && strings.EqualFold(item, v) {
			return true
		}
	}
	return false
}

// Package emulator is a local stand-in for a ServiceNow instance: OAuth 2.0
// authorization code + PKCE, the Table API, OpenFin's token endpoints, CORS
// rules, and test controls for expiry, revocation and faults.
package emulator

import (
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

// URL paths served.
const (
	authPath            = "/oauth_auth.do"
	loginPath           = "/login.do"
	logoutPath          = "/logout.do"
	redirectPath        = "/oauth_redirect.do"
	tokenPath           = "/oauth_token.do"
	revokePath          = "/oauth_revoke_token.do"
	stylePath           = "/styles/emulator.css"
	openfinPrefix       = "/api/x_opfi_openfin/v1/integration/"
	openfinTokensPath   = openfinPrefix + "request_tokens"
	openfinRevokePath   = openfinPrefix + "revoke_token"
	openfinUserInfoPath = openfinPrefix + "user_info"
	controlPrefix       = "/__emulator/"
)

const (
	maxBody   = 1 << 20
	maxUpload = 32 << 20 // attachments and batches
)

// Server is an in-memory ServiceNow instance. It is safe for concurrent use.
type Server struct {
	cfg Config
	now func() time.Time

	// mu guards the data: clients, records, grants and sessions.
	mu        sync.Mutex
	clients   map[string]*Client
	tables    map[string]*table // fixed after New; records guarded by mu
	passwords map[string]string // user_name → password
	grants    map[string]*grant // codes and tokens by value
	issued    []string
	sessions  map[string]*session
	roles     map[string][]string // sys_id → roles; fixed after New
	files     map[string][]byte   // attachment sys_id → content

	// ctl guards the test instrumentation.
	ctl      sync.Mutex
	calls    map[string]int
	requests []RequestRecord
	faults   map[string]*faultState
}

// New returns a server seeded with demo data.
func New(cfg Config) *Server {
	s := &Server{
		cfg:       cfg,
		now:       cfg.Now,
		clients:   map[string]*Client{},
		grants:    map[string]*grant{},
		sessions:  map[string]*session{},
		passwords: map[string]string{},
		roles:     map[string][]string{},
		files:     map[string][]byte{},
		calls:     map[string]int{},
		faults:    map[string]*faultState{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	for _, c := range cfg.Clients {
		c := withDefaults(c)
		s.clients[c.ID] = &c
	}
	s.seed()
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if r.Body != nil {
		limit := int64(maxBody)
		if strings.HasPrefix(p, "/api/now/") && (strings.Contains(p, "/attachment") || strings.Contains(p, "/batch")) {
			limit = maxUpload
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
	}
	control := strings.HasPrefix(p, controlPrefix)
	if control && !s.cfg.TestControls {
		http.NotFound(w, r)
		return
	}
	if !control {
		s.record(r)
	}
	if s.corsApplies(p) && s.cors(w, r) {
		return
	}
	if !control && r.Method != http.MethodOptions && s.applyFault(w, r) {
		return
	}
	switch {
	case p == authPath:
		s.handleAuthorize(w, r)
	case p == loginPath:
		s.handleLogin(w, r)
	case p == logoutPath:
		s.handleLogout(w, r)
	case p == tokenPath:
		s.handleToken(w, r)
	case p == revokePath:
		s.handleRevoke(w, r)
	case p == redirectPath:
		writePage(w, http.StatusOK, "redirect", nil)
	case p == stylePath:
		serveStyle(w)
	case p == "/":
		s.handleIndex(w, r)
	case control:
		s.handleControl(w, r)
	case p == openfinTokensPath:
		s.handleOpenfinTokens(w, r)
	case p == openfinRevokePath:
		s.handleOpenfinRevoke(w, r)
	case p == openfinUserInfoPath:
		s.handleOpenfinUserInfo(w, r)
	case strings.HasPrefix(p, "/api/"):
		s.handleNow(w, r)
	default:
		http.NotFound(w, r)
	}
}

// instanceURL is the instance's base URL as the request reached it.
func instanceURL(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Logf != nil {
		s.cfg.Logf(format, args...)
		return
	}
	log.Printf(format, args...)
}

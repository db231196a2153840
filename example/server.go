package main

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/deployment"
	"github.com/snworker/snworker/internal/workerscript"
)

//go:embed static
var static embed.FS

// Config configures the app server.
type Config struct {
	// Dist is the folder `make build` fills: servicenow.js, worker.js,
	// snworker.wasm and compression-probe.wasm (with .br and .gz beside
	// them when precompressed), ….
	Dist string
	// InstanceURL is the instance origin, such as https://name.service-now.com.
	InstanceURL string
	ClientID    string
	// Endpoints is "openfin" (the OpenFin Store app's token endpoints) or
	// "servicenow" (/oauth_token.do, which needs CORS on the instance).
	Endpoints string
	// Emulated tells the page the instance is the emulator, so that it
	// shows the demo login.
	Emulated bool
}

// pageConfig is /config.json, what the page passes to connect().
type pageConfig struct {
	InstanceURL  string   `json:"instanceUrl"`
	ClientID     string   `json:"clientId"`
	Endpoints    string   `json:"endpoints"`
	AllowedPaths []string `json:"allowedPaths"`
	Emulated     bool     `json:"emulated"`
}

// Dist files the app needs.
var distFiles = []string{"servicenow.js", "worker.js", "wasm_exec.js", "snworker.wasm", "compression-probe.wasm", "redirect.html"}

type Server struct {
	page      map[string]*asset // the app: index.html, app.js, …, config.json
	dist      map[string]*asset // the module, under /js/
	workerCSP string
	Stale     []string // precompressed files ignored as older than their file
}

// New returns the app's handler: the page at /, its config at
// /config.json, and the module folder at /js/.
func New(cfg Config) (*Server, error) {
	inst, err := url.Parse(cfg.InstanceURL)
	if err != nil || (inst.Scheme != "https" && inst.Scheme != "http") || inst.Host == "" || inst.Path != "" || inst.RawQuery != "" {
		return nil, fmt.Errorf("instance URL %q: want an origin such as https://name.service-now.com", cfg.InstanceURL)
	}
	if strings.TrimSpace(cfg.ClientID) == "" {
		return nil, fmt.Errorf("client ID %q: want the OAuth application's client ID", cfg.ClientID)
	}
	userPath := "/api/now/table/sys_user"
	switch cfg.Endpoints {
	case "openfin":
		userPath = bridge.OpenFinUserPath
	case "servicenow":
	default:
		return nil, fmt.Errorf("endpoints %q: want openfin or servicenow", cfg.Endpoints)
	}

	sub, err := fs.Sub(static, "static")
	if err != nil {
		return nil, err
	}
	page, _, err := loadAssets(sub)
	if err != nil {
		return nil, err
	}
	conf, err := json.Marshal(pageConfig{
		InstanceURL:  cfg.InstanceURL,
		ClientID:     cfg.ClientID,
		Endpoints:    cfg.Endpoints,
		AllowedPaths: []string{"/api/now/table/incident", "/api/now/attachment", userPath},
		Emulated:     cfg.Emulated,
	})
	if err != nil {
		return nil, err
	}
	page["config.json"] = newAsset(conf, "config.json", time.Time{})

	if _, err := os.Stat(cfg.Dist); err != nil {
		return nil, fmt.Errorf("dist folder: %w; want the folder `make build` fills (run make build)", err)
	}
	dist, stale, err := loadAssets(os.DirFS(cfg.Dist))
	if err != nil {
		return nil, fmt.Errorf("dist folder %s: %w", cfg.Dist, err)
	}
	if err := requireAll(dist, cfg.Dist, distFiles...); err != nil {
		return nil, err
	}
	return &Server{page: page, dist: dist, workerCSP: deployment.WorkerPolicy(cfg.InstanceURL), Stale: stale}, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	secure(h)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed: want GET or HEAD", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	var a *asset
	switch {
	case p == "/":
		a = s.page["index.html"]
		// The page is also the redirect URL. No Cross-Origin-Opener-Policy:
		// WebKit cuts a page that sends one off from the sign-in window it
		// opens, whose close it then can't see (see the README).
		document(h, deployment.PagePolicy)
	case strings.HasPrefix(p, "/js/"):
		name := strings.TrimPrefix(p, "/js/")
		a = s.dist[name]
		switch {
		case name == "worker.js" && a != nil:
			// The worker's policy goes only to a worker: as a page, the
			// script is refused and keeps the base policy.
			workerscript.Serve(w, r, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.Set("Content-Security-Policy", s.workerCSP)
				a.serve(w, r)
			}))
			return
		case strings.HasSuffix(name, ".html"):
			document(h, deployment.RedirectPolicy)
		}
	case p != "/index.html":
		a = s.page[strings.TrimPrefix(p, "/")]
	}
	if a == nil {
		http.NotFound(w, r)
		return
	}
	a.serve(w, r)
}

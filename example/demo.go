package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/snworker/snworker/emulator"
)

// demo is the running app server and, unless a real instance was given,
// the emulated instance.
type demo struct {
	appURL      string
	instanceURL string
	redirectURI string
	emulator    *emulator.Server // nil with a real instance
	stale       []string         // precompressed files ignored as out of date
	servers     []*http.Server
	errc        chan error
}

// start listens on both addresses (port 0 picks one) and serves.
func start(o options, logw io.Writer) (*demo, error) {
	appLn, err := net.Listen("tcp", o.addr)
	if err != nil {
		return nil, fmt.Errorf("app: %w; pick another -addr", err)
	}
	d := &demo{appURL: baseURL(appLn.Addr()), instanceURL: o.instance, errc: make(chan error, 2)}
	d.redirectURI = d.appURL + "/"
	var instLn net.Listener
	if o.instance == "" {
		if instLn, err = net.Listen("tcp", o.instanceAddr); err != nil {
			appLn.Close()
			return nil, fmt.Errorf("emulated instance: %w; pick another -instance-addr", err)
		}
		d.instanceURL = baseURL(instLn.Addr())
		d.emulator = emulator.New(emulatorConfig(d.appURL, o))
	}
	app, err := New(Config{
		Dist:        o.dist,
		InstanceURL: d.instanceURL,
		ClientID:    o.clientID,
		Endpoints:   o.endpoints,
		Emulated:    d.emulator != nil,
	})
	if err != nil {
		appLn.Close()
		if instLn != nil {
			instLn.Close()
		}
		return nil, err
	}
	d.stale = app.Stale
	var h http.Handler = app
	if o.verbose {
		h = logRequests(h, logw)
	}
	d.serve(appLn, h)
	if instLn != nil {
		d.serve(instLn, d.emulator)
	}
	return d, nil
}

// emulatorConfig registers the demo client for the app's redirect page and
// lets the app's origin call /api/*. A real instance sends no CORS headers
// from /oauth_token.do; with -endpoints servicenow the emulator does, as an
// instance does whose glide.oauth.cors.allowed.origin names the app.
func emulatorConfig(appURL string, o options) emulator.Config {
	origins := []string{appURL}
	if alias, ok := strings.CutPrefix(appURL, "http://127.0.0.1:"); ok {
		origins = append(origins, "http://localhost:"+alias)
	}
	var redirects []string
	for _, origin := range origins {
		redirects = append(redirects, origin+"/")
	}
	return emulator.Config{
		Clients:        []emulator.Client{{ID: o.clientID, RedirectURIs: redirects}},
		AllowedOrigins: origins,
		TokenCORS:      o.endpoints == "servicenow",
	}
}

// baseURL is the http URL of a listener; an unspecified host becomes 127.0.0.1.
func baseURL(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String()
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func (d *demo) serve(ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	d.servers = append(d.servers, srv)
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			d.errc <- err
		}
	}()
}

// Done reports a server's failure.
func (d *demo) Done() <-chan error { return d.errc }

// Close stops both servers, waiting for requests under way until ctx ends.
func (d *demo) Close(ctx context.Context) error {
	var errs []error
	for _, s := range d.servers {
		errs = append(errs, s.Shutdown(ctx))
	}
	return errors.Join(errs...)
}

// banner tells the user where everything is.
func (d *demo) banner(w io.Writer, o options) {
	fmt.Fprintln(w, "snworker demo")
	fmt.Fprintf(w, "  app:       %s\n", d.appURL)
	if d.emulator != nil {
		fmt.Fprintf(w, "  instance:  %s (emulated; client %s, %s endpoints)\n", d.instanceURL, o.clientID, o.endpoints)
		fmt.Fprintln(w, "  log in as: admin / admin")
	} else {
		fmt.Fprintf(w, "  instance:  %s (client %s, %s endpoints)\n", d.instanceURL, o.clientID, o.endpoints)
		fmt.Fprintf(w, "  The instance's OAuth application must list the redirect URL %s,\n", d.redirectURI)
		fmt.Fprintf(w, "  and a CORS rule must allow %s (see README).\n", d.appURL)
	}
	for _, s := range d.stale {
		fmt.Fprintf(w, "  note: %s is older than the file it compresses, so it is not served; run make precompress\n", s)
	}
	fmt.Fprintln(w, "Open the app and click Connect. Ctrl-C stops.")
}

// logRequests writes one line per request: method, path, status, encoding.
func logRequests(h http.Handler, w io.Writer) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: rw, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		enc := rec.Header().Get("Content-Encoding")
		if enc == "" {
			enc = "-"
		}
		fmt.Fprintf(w, "%s %s %s %d %s\n", time.Now().Format("15:04:05"), r.Method, r.URL.Path, rec.status, enc)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Command emulator serves a local ServiceNow instance emulator, for
// building an app against it. Register the app's redirect page and origin:
//
//	go run ./emulator/cmd/emulator -client-id my-app \
//	  -redirect-uri http://localhost:5173/signed-in.html \
//	  -allow-origin http://localhost:5173 -token-cors
//
// then connect('http://127.0.0.1:8081', 'my-app', …, {redirectUri:
// 'http://localhost:5173/signed-in.html'}) and log in as admin / admin.
// Without -redirect-uri every sign-in fails with "Invalid redirect_uri".
// -h lists every flag; docs/emulator.md describes them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/snworker/snworker/emulator"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(1)
	}
}

// list is a flag that may be repeated and takes comma lists.
type list []string

func (l *list) String() string { return strings.Join(*l, ",") }

func (l *list) Set(v string) error {
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*l = append(*l, x)
		}
	}
	return nil
}

// parseFlags turns the command line into a listen address and a config.
func parseFlags(args []string, out io.Writer) (string, emulator.Config, error) {
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintln(out, "Usage: emulator [flags]: a ServiceNow instance emulator. For your own app, for example:")
		fmt.Fprintln(out, "  emulator -client-id my-app -redirect-uri http://localhost:5173/signed-in.html -allow-origin http://localhost:5173 -token-cors")
		fs.PrintDefaults()
	}
	addr := fs.String("addr", "127.0.0.1:8081", "listen address")
	clientID := fs.String("client-id", "snworker-demo", "OAuth client ID (a public PKCE client)")
	var redirects list
	fs.Var(&redirects, "redirect-uri", "registered redirect URI (repeatable or comma list)")
	origins := list{"http://127.0.0.1:*", "http://localhost:*"}
	fs.Func("allow-origin", "CORS origins for /api/* (comma list; default http://127.0.0.1:*,http://localhost:*)", func(v string) error {
		origins = nil
		return origins.Set(v)
	})
	tokenCORS := fs.Bool("token-cors", false, "send CORS headers from /oauth_token.do and /oauth_revoke_token.do")
	controls := fs.Bool("test-controls", false, "enable /__emulator/* test controls")
	accessTTL := fs.Duration("access-ttl", 1800*time.Second, "access token lifetime")
	refreshTTL := fs.Duration("refresh-ttl", 100*24*time.Hour, "refresh token lifetime")
	rotate := fs.Bool("rotate", false, "rotate refresh tokens")
	basic := fs.Bool("basic-auth", false, "let the REST APIs take HTTP Basic credentials too")
	strict := fs.Bool("strict-public-clients", false, "as ServiceNow documents: no refresh token for a public (PKCE) client")
	noCascade := fs.Bool("no-revoke-cascade", false, "revoking a refresh token leaves the access tokens issued with it live")
	if err := fs.Parse(args); err != nil {
		return "", emulator.Config{}, err
	}
	if fs.NArg() > 0 {
		return "", emulator.Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return *addr, emulator.Config{
		Clients: []emulator.Client{{
			ID: *clientID, RedirectURIs: redirects,
			AccessTTL: *accessTTL, RefreshTTL: *refreshTTL, Rotate: *rotate,
		}},
		AllowedOrigins:      origins,
		TokenCORS:           *tokenCORS,
		TestControls:        *controls,
		StrictPublicClients: *strict,
		BasicAuth:           *basic,
		NoRevokeCascade:     *noCascade,
	}, nil
}

func run(args []string, out io.Writer) error {
	addr, cfg, err := parseFlags(args, out)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	c := cfg.Clients[0]
	fmt.Fprintf(out, "ServiceNow emulator at http://%s\n", ln.Addr())
	fmt.Fprintf(out, "client_id %s, redirect URIs: %s\n", c.ID, strings.Join(c.RedirectURIs, ", "))
	if len(c.RedirectURIs) == 0 {
		fmt.Fprintln(out, "warning: no redirect URI registered; pass -redirect-uri")
	}
	fmt.Fprintf(out, "CORS origins: %s; token CORS %v; test controls %v\n",
		strings.Join(cfg.AllowedOrigins, ", "), cfg.TokenCORS, cfg.TestControls)
	fmt.Fprintln(out, "demo logins (password = user name): admin (admin), abel.tuter (itil), fred.luddy (no roles)")

	srv := &http.Server{Handler: emulator.New(cfg), ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

//go:build !js

package worker

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/snworker/snworker/bridge"
	"golang.org/x/oauth2"
)

func fuzzConfig(t testing.TB, instance string) *config {
	c, err := newConfig(&bridge.InitParams{InstanceURL: instance, ClientID: "c", RedirectURI: "https://app.example/r"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Whatever the path, an accepted one stays on the instance, under no dot
// segment, and keeps its query.
func FuzzResolve(f *testing.F) {
	for _, p := range hostilePaths {
		f.Add(p)
	}
	for _, c := range oddPaths {
		f.Add(c.path)
	}
	f.Add("/api/now/table/incident?sysparm_limit=1")
	f.Add("api/now/table/x%41y")
	c := fuzzConfig(f, "https://dev1.service-now.com")
	f.Fuzz(func(t *testing.T, p string) {
		u, err := c.resolve(p)
		if err != nil {
			if err.Name != bridge.NameParameter || !strings.Contains(err.Message, "want ") {
				t.Fatalf("bad error %+v", err)
			}
			return
		}
		again, perr := url.Parse(u.String())
		if perr != nil {
			t.Fatalf("resolve(%q) = %q, which does not parse: %v", p, u, perr)
		}
		if again.Scheme != "https" || again.Host != "dev1.service-now.com" || again.User != nil {
			t.Fatalf("resolve(%q) left the instance: %q", p, u)
		}
		for _, seg := range strings.Split(again.Path, "/") {
			if seg == ".." || seg == "." {
				t.Fatalf("resolve(%q) = %q has a dot segment", p, u)
			}
		}
		if !strings.HasPrefix(again.EscapedPath(), "/") || strings.HasPrefix(again.EscapedPath(), "//") || strings.Contains(u.String(), "\\") {
			t.Fatalf("resolve(%q) = %q", p, u)
		}
		// Nothing another server could read otherwise: no ';', no double
		// encoding, only valid UTF-8 without controls or look-alikes.
		raw := strings.ToLower(again.EscapedPath())
		if strings.Contains(raw, ";") || strings.Contains(raw, "%3b") || strings.Contains(raw, "%25") {
			t.Fatalf("resolve(%q) = %q has ';' or '%%25'", p, u)
		}
		if !utf8.ValidString(again.Path) {
			t.Fatalf("resolve(%q) = %q decodes to invalid UTF-8", p, u)
		}
		for _, r := range again.Path {
			if r < 0x20 || r >= 0x7f && r < 0xa0 || r == utf8.RuneError || lookalike(r) {
				t.Fatalf("resolve(%q) = %q decodes to %U", p, u, r)
			}
		}
		if strings.Contains(again.RawQuery, "#") {
			t.Fatalf("resolve(%q) = %q has a fragment in its query", p, u)
		}
	})
}

// A redirect query yields a code only with the flow's state and no error.
func FuzzRedirectCode(f *testing.F) {
	f.Add("code=abc&state=S")
	f.Add("error=access_denied&error_description=no&state=S")
	f.Add("state=S&state=T&code=1")
	f.Add("%zz")
	f.Add("?code=x&state=S")
	c := fuzzConfig(f, "https://dev1.service-now.com")
	f.Fuzz(func(t *testing.T, query string) {
		code, err := c.redirectCode(query, "S")
		if err != nil {
			if err.Name != bridge.NameAuthorization {
				t.Fatalf("bad error %+v", err)
			}
			return
		}
		q, perr := url.ParseQuery(strings.TrimPrefix(query, "?"))
		if perr != nil || q.Get("state") != "S" || q.Get("error") != "" || code == "" || code != q.Get("code") {
			t.Fatalf("redirectCode(%q) accepted code %q", query, code)
		}
	})
}

// Whatever the token endpoint answers, the exchange gives tokens or an
// AuthorizationError, and the refresh a token or a mapped error; never a
// panic or another error class.
func FuzzTokenResponse(f *testing.F) {
	f.Add(200, "application/json", `{"access_token":"a","refresh_token":"r","token_type":"Bearer","expires_in":1799}`)
	f.Add(401, "application/json", `{"error_description":"access_denied","error":"server_error"}`)
	f.Add(200, "application/json", `{"access_token":"a","expires_in":"soon"}`)
	f.Add(200, "text/html", `<html>`)
	f.Add(200, "application/x-www-form-urlencoded", `access_token=a&expires_in=1`)
	f.Add(500, "application/json", `{"access_token":`)
	type answer struct {
		status      int
		ctype, body string
	}
	var next atomic.Pointer[answer]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := next.Load()
		w.Header().Set("Content-Type", a.ctype)
		w.WriteHeader(a.status)
		w.Write([]byte(a.body))
	}))
	defer srv.Close()
	c := fuzzConfig(f, srv.URL)
	f.Fuzz(func(t *testing.T, status int, ctype, body string) {
		if status < 200 || status > 599 {
			return
		}
		next.Store(&answer{status, ctype, body})
		tok, err := c.complete(context.Background(), srv.Client(), &flow{verifier: strings.Repeat("v", 43), state: "S"}, "code=x&state=S")
		if err != nil && err.Name != bridge.NameAuthorization {
			t.Fatalf("exchange gave %+v", err)
		}
		if err == nil && tok.AccessToken == "" {
			t.Fatal("exchange gave no access token and no error")
		}
		if err != nil && tok != nil {
			t.Fatal("exchange gave a token and an error")
		}

		tk := &tokens{oauth: c.oauth, client: srv.Client(), now: time.Now, timeout: 5 * time.Second,
			event: func(string) {}, received: func(*oauth2.Token) {}, discard: func(*oauth2.Token) {}}
		tk.set(&oauth2.Token{AccessToken: "old", RefreshToken: "r"})
		access, rerr := tk.access(context.Background(), "old")
		if rerr != nil && rerr.Name != bridge.NameTokenExpired && rerr.Name != bridge.NameAPIRequest {
			t.Fatalf("refresh gave %+v", rerr)
		}
		if rerr == nil && access == "" {
			t.Fatal("refresh gave no access token and no error")
		}
	})
}

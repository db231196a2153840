//go:build !js

package e2e

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/browsertest"
)

const (
	clientID    = "e2e-client"
	testTimeout = 60 * time.Second
)

// instance is an emulated ServiceNow instance on its own origin.
type instance struct {
	*emulator.Server
	URL string
}

// newInstance starts an instance whose client accepts the package's redirect
// page and the OpenFin test's landing page.
func newInstance(t *testing.T, tokenCORS bool) *instance {
	return serveInstance(t, tokenCORS, nil)
}

// serveInstance is newInstance with wrap, if not nil, in front of the
// emulator: to hold or change what it answers.
func serveInstance(t *testing.T, tokenCORS bool, wrap func(http.Handler) http.Handler) *instance {
	em := emulator.New(emulator.Config{
		Clients: []emulator.Client{{
			ID:           clientID,
			RedirectURIs: []string{appURL + "/test/", appURL + "/coop/test/", appURL + "/js/redirect.html", appURL + "/test/landing.html"},
		}},
		AllowedOrigins: []string{appURL},
		TokenCORS:      tokenCORS,
		TestControls:   true,
	})
	var h http.Handler = em
	if wrap != nil {
		h = wrap(em)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &instance{Server: em, URL: srv.URL}
}

// bearerWorks reports whether tok is accepted as an access token.
func (in *instance) bearerWorks(t *testing.T, tok string) bool {
	req, err := http.NewRequest(http.MethodGet, in.URL+"/api/now/table/sys_user?sysparm_limit=1", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// refreshWorks reports whether tok is accepted as a refresh token.
func (in *instance) refreshWorks(t *testing.T, tok string) bool {
	form := "grant_type=refresh_token&client_id=" + clientID + "&refresh_token=" + tok
	res, err := http.Post(in.URL+"/oauth_token.do", "application/x-www-form-urlencoded", strings.NewReader(form))
	require.NoError(t, err)
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// logger forwards browser output to the test log until the test ends.
type logger struct {
	mu   sync.Mutex
	t    *testing.T
	done bool
}

func newLogger(t *testing.T) *logger {
	l := &logger{t: t}
	t.Cleanup(func() {
		l.mu.Lock()
		l.done = true
		l.mu.Unlock()
	})
	return l
}

func (l *logger) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done {
		l.t.Logf(format, args...)
	}
}

func (l *logger) output(o browsertest.Output) { l.logf("%s", o) }

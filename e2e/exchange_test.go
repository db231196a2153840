//go:build !js

package e2e

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/internal/engines"
)

// holdExchange makes the instance's token endpoint issue the tokens for a
// code, then hold its answer until release is called.
func holdExchange(t *testing.T, in *instance) (issued <-chan struct{}, release func()) {
	done, hold := make(chan struct{}), make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth_token.do" || r.Method != http.MethodPost {
			in.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		in.ServeHTTP(rec, r)
		once.Do(func() { close(done) })
		select {
		case <-hold:
		case <-time.After(20 * time.Second):
		}
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	in.URL = srv.URL
	var rel sync.Once
	return done, func() { rel.Do(func() { close(hold) }) }
}

// Script in the page posts disconnect while the code exchange is under
// way. The exchange finishes, and the tokens the instance issued for it are
// revoked: none works afterwards.
func TestDisconnectDuringExchange(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	issued, release := holdExchange(t, in)
	defer release()
	p := newPage(t)
	p.configure(in, nil)
	p.clickForPopup("#connect").signIn(engines.Allow, 0)
	select {
	case <-issued:
	case <-time.After(15 * time.Second):
		t.Fatal("the code exchange did not reach the token endpoint within 15 s")
	}
	p.eval(`(t.raw(t.workers[0], `+envelope(900001, "disconnect", `{}`)+`, {id: 900001}), true)`, nil)
	p.raw(liveWorker, envelope(900002, "cancel", `{id: 1}`), 900002) // the worker has read the disconnect
	release()

	// The exchange's tokens are revoked before its reply, after which
	// connect() fails and ends the worker.
	e := p.fails("t.last", "ApiError")
	assert.Contains(t, e.Message, "disconnected")
	tokens := in.IssuedTokens()
	require.Len(t, tokens, 3, "a code, an access and a refresh token")
	assert.Equal(t, 2, in.Calls("revoke"))
	for i, tok := range tokens {
		assert.False(t, in.bearerWorks(t, tok), "issued token #%d still works as a bearer token", i)
		assert.False(t, in.refreshWorks(t, tok), "issued token #%d still works as a refresh token", i)
	}
}

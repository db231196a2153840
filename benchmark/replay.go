//go:build !js

package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
)

// replay sits in front of the emulator and answers a Table API GET it has
// answered before (same URL, token, origin and Accept) with the recorded
// reply, so that the emulator's rendering (about 30 ms for 2 MB) neither
// dilutes the ratios nor takes CPU from the browser. Only 200 replies are
// recorded, so a refused token always reaches the emulator; flush after
// expiring tokens.
type replay struct {
	next http.Handler
	on   bool
	seen atomic.Int64 // requests that reached the instance, replayed or not

	mu    sync.Mutex
	cache map[string]*recorded
}

type recorded struct {
	header http.Header
	body   []byte
}

func (rp *replay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rp.seen.Add(1)
	if !rp.on || r.Method != http.MethodGet || !strings.HasPrefix(r.URL.Path, "/api/now/table/") {
		rp.next.ServeHTTP(w, r)
		return
	}
	key := strings.Join([]string{r.URL.RequestURI(), r.Header.Get("Authorization"), r.Header.Get("Origin"),
		r.Header.Get("Accept"), r.Header.Get("X-no-response-body")}, "\x00")
	rp.mu.Lock()
	rec := rp.cache[key]
	rp.mu.Unlock()
	if rec == nil {
		rr := httptest.NewRecorder()
		rp.next.ServeHTTP(rr, r)
		if rr.Code != http.StatusOK {
			copyReply(w, rr.Header(), rr.Code, rr.Body.Bytes())
			return
		}
		rec = &recorded{header: rr.Header().Clone(), body: rr.Body.Bytes()}
		rp.mu.Lock()
		rp.cache[key] = rec
		rp.mu.Unlock()
	}
	copyReply(w, rec.header, http.StatusOK, rec.body)
}

func copyReply(w http.ResponseWriter, h http.Header, code int, body []byte) {
	for k, v := range h {
		w.Header()[k] = v
	}
	w.WriteHeader(code)
	_, _ = w.Write(body)
}

// flush forgets every recorded reply.
func (rp *replay) flush() {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	clear(rp.cache)
}

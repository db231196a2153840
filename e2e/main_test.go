//go:build !js

// Package e2e drives js/servicenow.js, the worker and the emulator in real
// browsers (internal/engines): the app is served from one origin, the
// instance from another, and every test gets its own browser profile and
// instance. engines_harness_test.go is the harness.
package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/wasmbuild"
	"github.com/snworker/snworker/internal/workerscript"
)

var appURL string // origin A: /js/ (the package) and /test/ (test pages)

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		code = 1
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	tmp, err := os.MkdirTemp("", "snworker-e2e-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)

	pkg := filepath.Join(tmp, "js")
	if err := assemble(pkg); err != nil {
		return 0, err
	}

	mux := http.NewServeMux()
	mux.Handle("/js/", http.StripPrefix("/js/", http.FileServer(http.Dir(pkg))))
	mux.Handle("/test/", http.StripPrefix("/test/", http.FileServer(http.Dir(filepath.Join("testdata", "test")))))
	mux.Handle("/flaky/", flaky(filepath.Join(pkg, "snworker.wasm")))
	// The same pages without the CSP, for what a deployment without it allows.
	guarded := workerscript.Guard("/js/worker.js", mux)
	noCSP := http.StripPrefix("/nocsp", guarded)
	// And with Cross-Origin-Opener-Policy, which the README advises against.
	coop := http.StripPrefix("/coop", withCSP(guarded))
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/nocsp/") {
			noCSP.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/coop/") {
			w.Header().Set("Cross-Origin-Opener-Policy", "same-origin-allow-popups")
			coop.ServeHTTP(w, r)
			return
		}
		withCSP(guarded).ServeHTTP(w, r)
	}))
	defer app.Close()
	appURL = app.URL

	defer closeEngines()
	return m.Run(), nil
}

// flaky serves the worker's wasm at /flaky/<key>, except the first request
// for each key, which gets a 503: a wasm that failed to load once.
func flaky(wasm string) http.Handler {
	var mu sync.Mutex
	seen := map[string]bool{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		first := !seen[r.URL.Path]
		seen[r.URL.Path] = true
		mu.Unlock()
		if first {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/wasm")
		http.ServeFile(w, r, wasm)
	})
}

func withCSP(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", browsertest.CSP)
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// assemble lays out the module as `make build` does, with panic.wasm
// beside it for TestWorkerPanics: the worker with a trapdoor that panics.
func assemble(dir string) error {
	root, err := filepath.Abs("..")
	if err != nil {
		return err
	}
	start := time.Now()
	ctx := context.Background()
	panicked := make(chan error, 1)
	go func() {
		panicked <- wasmbuild.Build(ctx, root, "./webworker/testdata/panicworker", filepath.Join(dir, "panic.wasm"), false)
	}()
	if err := wasmbuild.Module(ctx, root, dir); err != nil {
		<-panicked
		return err
	}
	if err := <-panicked; err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "e2e: built the worker wasm in %v\n", time.Since(start).Round(time.Millisecond))
	return nil
}

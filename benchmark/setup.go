//go:build !js

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/wasmbuild"
	"github.com/snworker/snworker/internal/workerscript"
)

// setup finds the package, starts the instance and the app server, and the browser.
func (b *bench) setup(ctx context.Context) error {
	dist, err := findDist(b.o.Dist)
	if err != nil {
		return err
	}
	b.dist = dist
	b.res.Machine = machine()

	appLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	instLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		appLn.Close()
		return err
	}
	b.appURL = "http://" + appLn.Addr().String()
	b.instURL = "http://" + instLn.Addr().String()

	b.em = emulator.New(emulator.Config{
		Clients:        []emulator.Client{{ID: clientID, RedirectURIs: []string{b.appURL + "/bench/", b.appURL + "/js/redirect.html"}}},
		AllowedOrigins: []string{b.appURL},
		TokenCORS:      true,
		Incidents:      2500,
	})
	b.replay = &replay{next: b.em, on: b.o.Replay, cache: map[string]*recorded{}}
	b.maxAge = &maxAge{next: b.replay}
	serve(ctx, instLn, b.maxAge)

	pages, err := fs.Sub(pageFiles, "page")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/js/", http.StripPrefix("/js/", http.FileServer(http.Dir(dist))))
	mux.Handle("/bench/", http.StripPrefix("/bench/", http.FileServer(http.FS(pages))))
	serve(ctx, appLn, withHeaders(workerscript.Guard("/js/worker.js", mux)))

	br, err := browsertest.Start(ctx, browsertest.Options{StartTimeout: time.Minute}) // ends with ctx
	if err != nil {
		return err
	}
	b.browser = br
	b.res.Machine.Browser = br.Name()
	return nil
}

// serve serves h on ln until ctx ends.
func serve(ctx context.Context, ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	context.AfterFunc(ctx, func() { srv.Close() })
}

// withHeaders adds the CSP, and lets the browser cache the package with
// revalidation (as a deployed app would), so that repeated worker starts
// can use the HTTP cache and V8's code cache.
func withHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", browsertest.CSP)
		w.Header().Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}

// findDist returns the built package: dir, or dist/ at the module root.
func findDist(dir string) (string, error) {
	if dir == "" {
		root, err := wasmbuild.Root()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(root, "dist")
	}
	for _, f := range []string{"servicenow.js", "worker.js", "redirect.html", "wasm_exec.js", "snworker.wasm"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return "", fmt.Errorf("%s is not a built package (%v); run `make build` first, or pass -dist", dir, err)
		}
	}
	return filepath.Abs(dir)
}

// openPage opens the benchmark page in a new browser context (its own HTTP
// cache) and waits until it is ready. It prints the page's console and any
// target's exceptions. DevTools' network instrumentation is off: it would
// slow the fetches it watches.
func (b *bench) openPage(ctx context.Context) (*browsertest.Page, error) {
	return b.browser.Open(ctx, b.appURL+"/bench/bench.html", browsertest.PageOptions{
		Ready:  "window.bench !== undefined",
		Quiet:  true,
		Output: b.pageOutput,
	})
}

// pageOutput prints a page's console and any target's exceptions.
func (b *bench) pageOutput(o browsertest.Output) {
	if o.From == "page" || o.Kind == browsertest.Exception {
		b.logf("%s", o)
	}
}

// eval calls window.bench.fn(arg) in the page and decodes what its promise
// resolves to into out.
func (b *bench) eval(timeout time.Duration, fn string, arg, out any) error {
	a, err := json.Marshal(arg)
	if err != nil {
		return err
	}
	// Named by fn alone: the arguments hold the bearer token.
	return b.page.Run(timeout, "bench."+fn, browsertest.Evaluate(fmt.Sprintf("window.bench.%s(%s)", fn, a), out))
}

// machine describes where the run happens.
func machine() machineInfo {
	m := machineInfo{CPUs: runtime.NumCPU(), Go: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH, CPU: "unknown CPU"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	m.BrowsersAtStart = otherBrowsers()
	return m
}

// otherBrowsers counts Chromium processes that are not ours: other
// people's runs add noise.
func otherBrowsers() int {
	parent := map[int]int{}
	var chromium []int
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		comm := string(stat[bytes.IndexByte(stat, '(')+1 : i])
		if f := strings.Fields(string(stat[i+1:])); len(f) > 1 {
			parent[pid], _ = strconv.Atoi(f[1])
		}
		if strings.Contains(comm, "chrom") || strings.Contains(comm, "headless") {
			chromium = append(chromium, pid)
		}
	}
	self, n := os.Getpid(), 0
	for _, pid := range chromium {
		ours := false
		for p, hops := pid, 0; p > 1 && hops < 64; p, hops = parent[p], hops+1 {
			if p == self {
				ours = true
				break
			}
		}
		if !ours {
			n++
		}
	}
	return n
}

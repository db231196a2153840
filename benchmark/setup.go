//go:build !js

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/chromium"
	"github.com/snworker/snworker/internal/wasmbuild"
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
		Clients:        []emulator.Client{{ID: clientID, RedirectURIs: []string{b.appURL + "/js/redirect.html"}}},
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
	serve(ctx, appLn, withHeaders(mux))

	exe, err := chromium.Find()
	if err != nil {
		return err
	}
	allocCtx, _ := chromedp.NewExecAllocator(ctx, chromium.Options(exe)...) // ends with ctx
	bctx, _ := chromedp.NewContext(allocCtx)
	var product string
	err = b.open(ctx, bctx, time.Minute, "starting "+exe, chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		_, product, _, _, _, err = browser.GetVersion().Do(ctx)
		return err
	}))
	if err != nil {
		return err
	}
	b.browserCtx = bctx
	b.res.Machine.Browser = strings.Replace(product, "HeadlessChrome/", "Chromium ", 1) + " (" + filepath.Base(exe) + ")"
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
		w.Header().Set("Content-Security-Policy", csp)
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
// cache) and waits until it is ready. onWorker, if set, gets the ID of each
// worker the page starts.
func (b *bench) openPage(ctx context.Context, onWorker func(target.ID)) (context.Context, context.CancelFunc, error) {
	pctx, cancel := chromedp.NewContext(b.browserCtx, chromedp.WithNewBrowserContext())
	context.AfterFunc(ctx, cancel)
	chromedp.ListenTarget(pctx, func(ev any) {
		switch ev := ev.(type) {
		case *target.EventAttachedToTarget:
			if ev.TargetInfo.Type == "worker" && onWorker != nil {
				onWorker(ev.TargetInfo.TargetID)
			}
		case *cdpruntime.EventConsoleAPICalled:
			var parts []string
			for _, a := range ev.Args {
				if a.Value != nil {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			b.logf("page console.%s: %s", ev.Type, strings.Join(parts, " "))
		case *cdpruntime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg = d.Exception.Description
			}
			b.logf("page exception: %s (%s:%d)", msg, d.URL, d.LineNumber)
		}
	})
	var ready bool
	err := b.open(ctx, pctx, 30*time.Second, "loading the benchmark page",
		chromedp.Navigate(b.appURL+"/bench/bench.html"),
		chromedp.Evaluate("window.bench !== undefined", &ready),
		// DevTools' network instrumentation would slow the fetches it watches.
		network.Disable(),
	)
	if err == nil && !ready {
		err = errors.New("the benchmark page loaded without window.bench; see the page exceptions above")
	}
	if err != nil {
		cancel()
		return nil, nil, err
	}
	return pctx, cancel, nil
}

// open makes chromedp attach to tctx's target. The first Run on a chromedp
// context binds the target to the context it is given, so it gets tctx
// itself, which lives as long as the run; a watchdog bounds the wait.
func (b *bench) open(ctx, tctx context.Context, timeout time.Duration, what string, actions ...chromedp.Action) error {
	done := make(chan error, 1)
	go func() { done <- chromedp.Run(tctx, actions...) }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("%s: no answer within %v", what, timeout)
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
}

// runIn runs actions in tctx (a target's context) within timeout, and ends
// early if ctx (the run) ends.
func (b *bench) runIn(ctx, tctx context.Context, timeout time.Duration, what string, actions ...chromedp.Action) error {
	tctx, cancel := context.WithTimeout(tctx, timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	if err := chromedp.Run(tctx, actions...); err != nil {
		if errors.Is(tctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
			return fmt.Errorf("%s: no answer within %v", what, timeout)
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func awaitPromise(p *cdpruntime.EvaluateParams) *cdpruntime.EvaluateParams {
	return p.WithAwaitPromise(true)
}

// eval calls window.bench.fn(arg) in the page and decodes what its promise
// resolves to into out.
func (b *bench) eval(ctx context.Context, timeout time.Duration, fn string, arg, out any) error {
	a, err := json.Marshal(arg)
	if err != nil {
		return err
	}
	expr := fmt.Sprintf("window.bench.%s(%s)", fn, a)
	return b.runIn(ctx, b.page, timeout, "bench."+fn, chromedp.Evaluate(expr, out, awaitPromise))
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

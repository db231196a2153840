//go:build !js

// Command benchmark measures what snworker costs in a real browser, side by
// side with what an app would do without it: executeApiRequest through the
// Go/wasm worker against a direct fetch with the same bearer token from the
// page, interleaved in one run so that machine noise hits both. It also
// times the worker's cold start against a bare JS worker, reads the heaps
// before and after many requests, and sends a burst of requests just after
// the access token expires (which must make exactly one refresh).
//
// It serves the built package (make build's dist/) and its page
// (benchmark/page) on one loopback origin, the emulator on another, drives
// headless Chromium with chromedp (and, for the per-request figures, Firefox
// and WebKit through internal/engines), and prints a table. Run it with `make
// bench` (flags through BENCHFLAGS) or `go run ./benchmark -h`.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"
)

func main() {
	o := options{}
	flag.BoolVar(&o.Quick, "quick", false, "tiny counts: checks that every figure is produced; the numbers mean nothing")
	flag.IntVar(&o.Runs, "runs", 0, "interleaved pairs of batches per request figure (default 12 to 30 by body size)")
	flag.BoolVar(&o.Markdown, "markdown", false, "print markdown tables (for docs/benchmarks.md)")
	flag.StringVar(&o.Dist, "dist", "", "the built package (default: dist/ at the module root; `make build` makes it)")
	flag.BoolVar(&o.Replay, "replay", true, "replay the emulator's recorded replies instead of rendering each one")
	flag.IntVar(&o.MemRequests, "mem-requests", 10000, "requests between the two memory readings")
	flag.IntVar(&o.Storms, "storms", 0, "refresh storms to run (default 5; -quick 1)")
	flag.IntVar(&o.BrotliQuality, "brotli-quality", 11, "brotli quality for the wasm's size (-quick: 5)")
	flag.DurationVar(&o.Timeout, "timeout", 15*time.Minute, "give up after this long")
	flag.StringVar(&o.Only, "only", "", "run only these phases, comma-separated: cold, requests, engines, memory, storm, shared, signin, repeat, preflights (connecting always runs)")
	flag.IntVar(&o.Bodies, "bodies", 0, "time only the first n body sizes per request (1: 1 KB, 2: and 100 KB); 0: all three")
	profile := flag.Bool("profile", false, "instead of the table: CPU profiles of the Go worker, a plain JS worker and the page during sequential requests, per request (builds a worker wasm with symbols)")
	flag.Parse()
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.Quick {
		if !set["mem-requests"] {
			o.MemRequests = 50
		}
		if !set["brotli-quality"] {
			o.BrotliQuality = 5
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *profile {
		if err := profileRun(ctx, o, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "benchmark:", err)
			os.Exit(1)
		}
		return
	}
	res, err := run(ctx, o, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchmark:", err)
		os.Exit(1)
	}
	res.write(os.Stdout, o.Markdown)
}

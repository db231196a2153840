//go:build !js

package main

import (
	"context"
	"embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/browsertest"
)

//go:embed page
var pageFiles embed.FS

const clientID = "bench-client"

// options are the command's flags.
type options struct {
	Quick         bool
	Runs          int // interleaved pairs per request figure; 0: by body size
	Markdown      bool
	Dist          string
	Replay        bool
	MemRequests   int
	Storms        int
	BrotliQuality int
	Timeout       time.Duration
	Only          string // the phases to run, by key, comma-separated; "": all
	Bodies        int    // how many of sizes the per-request figures time; 0: all
}

// sizes are the nominal response bodies: name, target bytes.
var sizes = []struct {
	name  string
	bytes int
}{{"1 KB", 1 << 10}, {"100 KB", 100 << 10}, {"2 MB", 2 << 20}}

// plan is how many requests a figure takes: rounds of one batch of n
// requests per side, after warmup rounds that are not counted.
type plan struct {
	rounds, n, warmup int
}

// planFor gives the counts for body size i with inflight requests in flight.
func (o options) planFor(i, inflight int) plan {
	var p plan
	if inflight == 1 {
		p = [...]plan{{30, 20, 1}, {24, 8, 1}, {21, 4, 1}}[i]
	} else {
		p = [...]plan{{21, 96, 1}, {18, 64, 1}, {12, 32, 1}}[i]
	}
	if o.Quick {
		p = plan{rounds: 3, n: 2, warmup: 0}
		if inflight > 1 {
			p.n = inflight
		}
	}
	if o.Runs > 0 {
		p.rounds = o.Runs
	}
	return p
}

func (o options) coldStarts() int  { return pick(o.Quick, 2, 20) }
func (o options) memWarmup() int   { return pick(o.Quick, 10, 1000) }
func (o options) stormSize() int   { return 200 }
func (o options) stormCount() int  { return pick(o.Storms > 0, o.Storms, pick(o.Quick, 1, 5)) }
func (o options) memInflight() int { return 32 }

func pick(cond bool, a, b int) int {
	if cond {
		return a
	}
	return b
}

// bench is one run: the servers, the browser and what was measured.
type bench struct {
	o        options
	progress io.Writer
	res      *results

	dist    string
	appURL  string
	instURL string
	em      *emulator.Server
	replay  *replay
	maxAge  *maxAge // in front of replay

	browser *browsertest.Browser
	page    *browsertest.Page   // the connected page
	worker  *browsertest.Target // its worker
	token   string
	paths   []string
}

// run runs the whole benchmark.
func run(ctx context.Context, o options, progress io.Writer) (*results, error) {
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	b := &bench{o: o, progress: progress, res: &results{Quick: o.Quick, Replay: o.Replay}}
	if err := b.setup(ctx); err != nil {
		return nil, err
	}
	phases := []struct {
		key, name string
		fn        func(context.Context) error
	}{
		{"cold", "cold start", b.coldStart},
		{"", "connect", b.connect},
		{"", "body sizes", b.sizeBodies},
		{"requests", "per-request cost", b.perRequest},
		{"engines", "other engines", b.enginesPhase},
		{"memory", "memory", b.memory},
		{"storm", "refresh storm", b.storm},
		{"shared", "shared mode", b.sharedPhase},
		{"signin", "sign-in start", b.signInStart},
		{"repeat", "repeat visit", b.repeatVisit},
		{"preflights", "preflights", b.preflightCount}, // last: it leaves preflights cached
	}
	for _, ph := range phases {
		if o.Only != "" && ph.key != "" && !slices.Contains(strings.Split(o.Only, ","), ph.key) {
			continue
		}
		start := time.Now()
		b.logf("%s …", ph.name)
		if err := ph.fn(ctx); err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%s: the run took longer than -timeout %v: %w", ph.name, o.Timeout, err)
			}
			return nil, fmt.Errorf("%s: %w", ph.name, err)
		}
		b.logf("%s done in %v", ph.name, time.Since(start).Round(time.Millisecond))
	}
	b.res.Machine.BrowsersAtEnd = otherBrowsers()
	b.logf("wasm sizes …")
	if err := b.wasmSizes(ctx); err != nil {
		return nil, fmt.Errorf("wasm sizes: %w", err)
	}
	return b.res, nil
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.progress, "benchmark: "+format+"\n", args...)
}

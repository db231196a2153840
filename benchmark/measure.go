//go:build !js

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/heapprofiler"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/snworker/snworker/internal/browsertest"
)

// coldStart starts workers in a fresh browser context (empty HTTP cache).
func (b *bench) coldStart(ctx context.Context) error {
	p, err := b.openPage(ctx)
	if err != nil {
		return err
	}
	defer p.Close()
	var got struct {
		First    float64   `json:"first"`
		Snworker []float64 `json:"snworker"`
		Bare     []float64 `json:"bare"`
	}
	if err := p.Run(3*time.Minute, "bench.coldStart", browsertest.Evaluate(fmt.Sprintf("window.bench.coldStart({n: %d})", b.o.coldStarts()), &got)); err != nil {
		return err
	}
	c := &b.res.Cold
	c.First = got.First
	c.Worker = summarize(got.Snworker)
	c.Bare = summarize(got.Bare)
	diffs := make([]float64, min(len(got.Snworker), len(got.Bare)))
	for i := range diffs {
		diffs[i] = got.Snworker[i] - got.Bare[i]
	}
	c.Diff = summarize(diffs)
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// perRequest compares executeApiRequest with a direct fetch, and with the
// same fetch in a plain JS worker, for each body size, one request in
// flight and 32.
func (b *bench) perRequest(ctx context.Context) error {
	for _, inflight := range []int{1, 32} {
		for i, bd := range b.res.Bodies {
			if b.o.Bodies > 0 && i >= b.o.Bodies {
				break
			}
			p := b.o.planFor(i, inflight)
			var got cellRounds
			if err := b.eval(5*time.Minute, "cell", b.cellArg(bd, inflight, p), &got); err != nil {
				return fmt.Errorf("%s, %d in flight: %w", bd.Name, inflight, err)
			}
			c := got.cell(bd, inflight, p)
			b.logf("  %-6s %2d in flight: direct %.2f ms, JS worker %.2f ms, executeApiRequest %.2f ms, ratio %.2f×",
				bd.Name, inflight, c.Direct.Median, c.JSWorker.Median, c.Bridge.Median, c.Ratio.Median)
			b.res.Cells = append(b.res.Cells, c)
		}
	}
	return nil
}

// cellArg is bench.cell's argument for body bd.
func (b *bench) cellArg(bd body, inflight int, p plan) map[string]any {
	return map[string]any{"path": bd.Path, "token": b.token, "inflight": inflight, "n": p.n, "rounds": p.rounds, "warmup": p.warmup}
}

// cellRounds is what bench.cell resolves to.
type cellRounds struct {
	Rounds []struct{ Bridge, Direct, JSWorker side } `json:"rounds"`
}

type side struct{ MS, A, B []float64 }

// cell summarizes the rounds.
func (got cellRounds) cell(bd body, inflight int, p plan) cell {
	c := cell{Body: bd, Inflight: inflight, Rounds: len(got.Rounds), PerBatch: p.n}
	var bridge, direct, jsw, ratios, jsRatios []float64
	var sp struct{ ba, bb, da, db, ja, jb []float64 }
	for _, r := range got.Rounds {
		bridge = append(bridge, r.Bridge.MS...)
		direct = append(direct, r.Direct.MS...)
		jsw = append(jsw, r.JSWorker.MS...)
		ratios = append(ratios, median(r.Bridge.MS)/median(r.Direct.MS))
		jsRatios = append(jsRatios, median(r.JSWorker.MS)/median(r.Direct.MS))
		sp.ba, sp.bb = append(sp.ba, r.Bridge.A...), append(sp.bb, r.Bridge.B...)
		sp.da, sp.db = append(sp.da, r.Direct.A...), append(sp.db, r.Direct.B...)
		sp.ja, sp.jb = append(sp.ja, r.JSWorker.A...), append(sp.jb, r.JSWorker.B...)
	}
	c.Bridge, c.Direct, c.JSWorker = summarize(bridge), summarize(direct), summarize(jsw)
	c.Ratio, c.JSRatio = summarize(ratios), summarize(jsRatios)
	if inflight == 1 {
		c.Split = &split{Fetch: median(sp.da), JSON: median(sp.db), JSTrip: median(sp.ja), JSPage: median(sp.jb),
			WorkerTrip: median(sp.ba), PageAfter: median(sp.bb)}
	}
	return c
}

// memory reads the heaps before and after o.MemRequests requests.
func (b *bench) memory(ctx context.Context) error {
	m := &b.res.Memory
	m.Requests = b.o.MemRequests
	m.Inflight = b.o.memInflight()
	m.Body = b.res.Bodies[0].Name
	load := func(n int) error {
		var took float64
		arg := map[string]any{"path": b.paths[0], "n": n, "inflight": m.Inflight}
		return b.eval(5*time.Minute, "load", arg, &took)
	}
	if err := load(b.o.memWarmup()); err != nil {
		return err
	}
	var err error
	if m.Before, err = b.readMemory(); err != nil {
		return err
	}
	start := time.Now()
	if err := load(m.Requests); err != nil {
		return err
	}
	m.LoadMS = ms(time.Since(start))
	m.After, err = b.readMemory()
	return err
}

// readMemory forces garbage collection in the page and the worker, then
// reads their JS heaps and the worker's wasm linear memory.
func (b *bench) readMemory() (memReading, error) {
	var r memReading
	used := func(out *float64) chromedp.ActionFunc {
		return func(ctx context.Context) error {
			for range 2 {
				if err := heapprofiler.CollectGarbage().Do(ctx); err != nil {
					return err
				}
			}
			var err error
			*out, _, _, _, err = cdpruntime.GetHeapUsage().Do(ctx)
			return err
		}
	}
	if err := b.page.Run(30*time.Second, "reading the page's heap", used(&r.PageJS)); err != nil {
		return r, err
	}
	err := b.worker.Run(30*time.Second, "reading the worker's heap", used(&r.WorkerJS),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			r.WorkerWasm, r.Memories, err = wasmMemory(ctx)
			return err
		}))
	return r, err
}

// wasmMemory sums the sizes of every WebAssembly.Memory in the target (the
// worker has one, Go's), found through the heap: no hook in worker.js needed.
func wasmMemory(ctx context.Context) (bytes float64, count int, err error) {
	const group = "snworker-bench"
	defer func() { _ = cdpruntime.ReleaseObjectGroup(group).Do(ctx) }()
	proto, exc, err := cdpruntime.Evaluate("WebAssembly.Memory.prototype").WithObjectGroup(group).Do(ctx)
	if err == nil && exc != nil {
		err = exc
	}
	if err != nil {
		return 0, 0, err
	}
	objs, err := cdpruntime.QueryObjects(proto.ObjectID).WithObjectGroup(group).Do(ctx)
	if err != nil {
		return 0, 0, err
	}
	res, exc, err := cdpruntime.CallFunctionOn("function() { return [this.length, this.reduce((n, m) => n + m.buffer.byteLength, 0)]; }").
		WithObjectID(objs.ObjectID).WithReturnByValue(true).Do(ctx)
	if err == nil && exc != nil {
		err = exc
	}
	if err != nil {
		return 0, 0, err
	}
	var v [2]float64
	if err := json.Unmarshal(res.Value, &v); err != nil {
		return 0, 0, err
	}
	return v[1], int(v[0]), nil
}

// storm expires the access token and sends stormSize requests at once, a
// few times; each storm must make exactly one refresh. Before each, the same
// burst with a live token is the reference.
func (b *bench) storm(ctx context.Context) error {
	s := &b.res.Storm
	s.Requests = b.o.stormSize()
	var walls, refs []float64
	burst := func() (float64, error) {
		var got struct {
			MS         float64 `json:"ms"`
			OK         int     `json:"ok"`
			FirstError string  `json:"firstError"`
		}
		arg := map[string]any{"path": b.paths[0], "n": s.Requests}
		if err := b.eval(2*time.Minute, "storm", arg, &got); err != nil {
			return 0, err
		}
		s.Failed += s.Requests - got.OK
		if got.FirstError != "" && s.FirstError == "" {
			s.FirstError = got.FirstError
		}
		return got.MS, nil
	}
	for range b.o.stormCount() {
		before := b.em.Calls("token:refresh_token")
		ref, err := burst()
		if err != nil {
			return err
		}
		if n := b.em.Calls("token:refresh_token") - before; n != 0 {
			return fmt.Errorf("%d refreshes in a burst with a live access token", n)
		}
		before = b.em.Calls("token:refresh_token")
		b.em.ExpireAccessTokens()
		b.replay.flush() // a replayed reply would hide the expiry
		wall, err := burst()
		if err != nil {
			return err
		}
		s.Refreshes = append(s.Refreshes, b.em.Calls("token:refresh_token")-before)
		walls, refs = append(walls, wall), append(refs, ref)
	}
	s.Wall, s.Reference = summarize(walls), summarize(refs)
	return nil
}

//go:build !js

package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/wasmbuild"
)

// profileRun samples the CPU of the Go worker, the yardstick JS worker and
// the page while they serve sequential requests, with a worker wasm built
// with symbols, and prints where each spends its time per request. The
// profiler slows everything down: compare the sides, not the absolutes.
func profileRun(ctx context.Context, o options, w, progress io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	src, err := findDist(o.Dist)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "snworker-profile-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dist := filepath.Join(tmp, "dist")
	if err := os.CopyFS(dist, os.DirFS(src)); err != nil {
		return err
	}
	root, err := wasmbuild.Root()
	if err != nil {
		return err
	}
	if err := wasmbuild.Build(ctx, root, "./webworker/cmd/snworker", filepath.Join(dist, "snworker.wasm"), true); err != nil {
		return err
	}

	o.Dist = dist
	b := &bench{o: o, progress: progress, res: &results{Replay: o.Replay}}
	if err := b.setup(ctx); err != nil {
		return err
	}
	if err := b.connect(ctx); err != nil {
		return err
	}
	if err := b.sizeBodies(ctx); err != nil {
		return err
	}

	// The page starts the yardstick worker with its first cell.
	jsWorker := b.page.Next(browsertest.Worker)
	cell := func(path string, n int) error {
		var got any
		arg := map[string]any{"path": path, "token": b.token, "inflight": 1, "n": n, "rounds": 1, "warmup": 0}
		return b.eval(5*time.Minute, "cell", arg, &got)
	}
	if err := cell(b.paths[0], 20); err != nil {
		return err
	}
	js, err := jsWorker(10 * time.Second)
	if err != nil {
		return fmt.Errorf("the yardstick worker: %w", err)
	}

	const interval = 500 // µs
	targets := []struct {
		name string
		*browsertest.Target
	}{{"Go worker", b.worker}, {"JS worker", js}, {"page", &b.page.Target}}
	fmt.Fprintf(w, "CPU profiles, sampled every %d µs, while the page sends sequential requests through each side in turn\n", interval)
	fmt.Fprintf(w, "(a worker wasm with symbols; the profiler slows everything down, so compare the sides, not the absolutes)\n")
	for _, i := range []int{0, 2} {
		bd := b.res.Bodies[i]
		n := pick(o.Quick, 5, pick(i == 0, 1000, 60))
		for _, t := range targets {
			if err := t.Run(10*time.Second, "starting the profiler in the "+t.name,
				profiler.Enable(), profiler.SetSamplingInterval(interval), profiler.Start()); err != nil {
				return err
			}
		}
		if err := cell(bd.Path, n); err != nil {
			return err
		}
		fmt.Fprintf(w, "\n%s (%d bytes), %d requests per side\n", bd.Name, bd.Bytes, n)
		for _, t := range targets {
			var p *profiler.Profile
			err := t.Run(time.Minute, "stopping the profiler in the "+t.name, chromedp.ActionFunc(func(ctx context.Context) error {
				var err error
				p, err = profiler.Stop().Do(ctx)
				return err
			}))
			if err != nil {
				return err
			}
			file := filepath.Join(os.TempDir(), fmt.Sprintf("snworker-%s-%s.cpuprofile", strings.ReplaceAll(bd.Name, " ", ""), strings.ReplaceAll(strings.ToLower(t.name), " ", "-")))
			if js, err := json.Marshal(p); err == nil && os.WriteFile(file, js, 0o644) == nil {
				fmt.Fprintf(w, "  %s: %s (open in Chrome DevTools' Performance panel)\n", t.name, file)
			}
			summarizeProfile(w, t.name, p, float64(n))
		}
	}
	return nil
}

// summarizeProfile prints a profile's busy time and its heaviest functions,
// self and inclusive, in ms per request.
func summarizeProfile(w io.Writer, name string, p *profiler.Profile, per float64) {
	nodes := map[int64]*profiler.ProfileNode{}
	for _, nd := range p.Nodes {
		nodes[nd.ID] = nd
	}
	selfMS := map[int64]float64{}
	for k, id := range p.Samples {
		if k < len(p.TimeDeltas) {
			selfMS[id] += float64(p.TimeDeltas[k]) / 1000
		}
	}
	fn := func(nd *profiler.ProfileNode) string {
		if nd.CallFrame.FunctionName != "" {
			return nd.CallFrame.FunctionName
		}
		if nd.CallFrame.URL != "" {
			return "(anonymous " + filepath.Base(nd.CallFrame.URL) + ")"
		}
		return "(anonymous)"
	}
	self := map[string]float64{}
	var busy float64
	for _, nd := range p.Nodes {
		self[fn(nd)] += selfMS[nd.ID]
		if fn(nd) != "(idle)" {
			busy += selfMS[nd.ID]
		}
	}
	// Inclusive time, counting a function once per stack (recursion).
	total := map[int64]float64{}
	var sum func(id int64) float64
	sum = func(id int64) float64 {
		v := selfMS[id]
		for _, c := range nodes[id].Children {
			v += sum(c)
		}
		total[id] = v
		return v
	}
	incl := map[string]float64{}
	var walk func(id int64, on map[string]bool)
	walk = func(id int64, on map[string]bool) {
		f := fn(nodes[id])
		if !on[f] {
			incl[f] += total[id]
			on[f] = true
			defer delete(on, f)
		}
		for _, c := range nodes[id].Children {
			walk(c, on)
		}
	}
	if len(p.Nodes) > 0 {
		sum(p.Nodes[0].ID)
		walk(p.Nodes[0].ID, map[string]bool{})
	}
	// Glue every stack passes through says nothing about the cost.
	skip := map[string]bool{"(root)": true, "(idle)": true, "_resume": true, "wasm_export_resume": true,
		"wasm_pc_f_loop": true, "js-to-wasm::": true, "js-to-wasm::i": true, "(anonymous wasm_exec.js)": true,
		"batch": true, "cell": true, "(anonymous bench.js)": true, "sides": true}
	top := func(m map[string]float64, k int, keep func(string) bool) []string {
		var names []string
		for f := range m {
			if !skip[f] && keep(f) {
				names = append(names, f)
			}
		}
		slices.SortFunc(names, func(a, b string) int { return cmp.Compare(m[b], m[a]) })
		return names[:min(k, len(names))]
	}
	fmt.Fprintf(w, "  %s: busy %.3f ms per request\n", name, busy/per)
	var parts []string
	for _, f := range top(self, 12, func(string) bool { return true }) {
		parts = append(parts, fmt.Sprintf("%s %.3f", f, self[f]/per))
	}
	fmt.Fprintf(w, "    self:      %s\n", strings.Join(parts, ", "))
	parts = parts[:0]
	for _, f := range top(incl, 16, func(f string) bool { return self[f] != incl[f] }) {
		parts = append(parts, fmt.Sprintf("%s %.3f", shortName(f), incl[f]/per))
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "    inclusive: %s\n", strings.Join(parts, ", "))
	}
}

// shortName trims the module path from a Go function's wasm name.
func shortName(f string) string {
	return strings.TrimPrefix(f, "github.com_snworker_snworker_")
}

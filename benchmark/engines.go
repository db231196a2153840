//go:build !js

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/snworker/snworker/internal/engines"
)

// otherEngines are measured beside Chromium, in the same run.
var otherEngines = []string{"firefox", "webkit"}

// engineRun is the per-request comparison in another engine.
type engineRun struct {
	Engine string // product and version
	Cells  []cell
}

// enginesPhase compares executeApiRequest with a direct fetch in Firefox
// and WebKit as perRequest does in Chromium: the same page, instance,
// bodies and token, one engine at a time.
func (b *bench) enginesPhase(ctx context.Context) error {
	for _, name := range otherEngines {
		run, err := b.inEngine(ctx, name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, b.redact(err))
		}
		b.res.Engines = append(b.res.Engines, run)
	}
	return nil
}

func (b *bench) inEngine(ctx context.Context, name string) (engineRun, error) {
	e, err := engines.Start(ctx, name)
	if err != nil {
		return engineRun{}, err
	}
	defer e.Close()
	run := engineRun{Engine: e.Version()}
	prof, err := e.NewProfile(ctx)
	if err != nil {
		return run, err
	}
	defer prof.Close()
	w, err := prof.Open(b.appURL + "/bench/bench.html")
	if err != nil {
		return run, err
	}
	if err := engines.WaitFor(w, 10*time.Second, "window.bench !== undefined"); err != nil {
		return run, err
	}
	cfg := fmt.Sprintf("window.bench.configure({instanceUrl: %q, clientId: %q})", b.instURL, clientID)
	if err := w.Eval(10*time.Second, cfg, nil); err != nil {
		return run, err
	}
	popup, err := w.ClickForPopup(15*time.Second, "#connect")
	if err != nil {
		return run, err
	}
	if err := engines.SignIn(popup, engines.Allow, 0); err != nil && popup.Gone(2*time.Second) != nil {
		return run, err
	}
	var conn struct {
		OK    bool   `json:"ok"`
		User  string `json:"user"`
		Error string `json:"error"`
	}
	if err := w.Eval(30*time.Second, "window.bench.connected()", &conn); err != nil {
		return run, err
	}
	if !conn.OK {
		return run, fmt.Errorf("connect() failed: %s", conn.Error)
	}
	b.logf("  %s: connected as %s", run.Engine, conn.User)
	for _, inflight := range []int{1, 32} {
		for i, bd := range b.res.Bodies {
			p := b.o.planFor(i, inflight)
			var got cellRounds
			if err := w.Eval(5*time.Minute, "window.bench.cell("+jsonOf(b.cellArg(bd, inflight, p))+")", &got); err != nil {
				return run, fmt.Errorf("%s, %d in flight: %w", bd.Name, inflight, err)
			}
			c := got.cell(bd, inflight, p)
			b.logf("  %s %-6s %2d in flight: direct %.2f ms, executeApiRequest %.2f ms, ratio %.2f×",
				name, bd.Name, inflight, c.Direct.Median, c.Bridge.Median, c.Ratio.Median)
			run.Cells = append(run.Cells, c)
		}
	}
	return run, nil
}

// redact takes the bearer token out of an error, which may quote the
// expression that carried it.
func (b *bench) redact(err error) error {
	if b.token == "" || !strings.Contains(err.Error(), b.token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), b.token, "<token>"))
}

// enginesTable sets each engine's figures beside Chromium's from the same run.
func (r *results) enginesTable() table {
	t := table{
		title: "Per engine: ms per request, median [p25–p75]; ratio = executeApiRequest / direct fetch in the same engine",
		notes: []string{
			"the same page, instance, bodies and token in each engine, one engine at a time; the direct fetch is each engine's baseline",
			"Firefox and WebKit give performance.now() in whole ms here (no cross-origin isolation): their sequential figures move in 1 ms steps; with 32 in flight they are batch time / requests, finer",
		},
		header: []string{"engine", "body", "in flight", "direct fetch", "JS worker", "executeApiRequest", "ratio", "runs"},
	}
	add := func(engine string, cells []cell) {
		for _, c := range cells {
			t.rows = append(t.rows, []string{engine, c.Body.Name, fmt.Sprint(c.Inflight),
				spread(c.Direct, 2, ""), spread(c.JSWorker, 2, ""), spread(c.Bridge, 2, ""), spread(c.Ratio, 2, "×"),
				fmt.Sprintf("%d × %d", c.Rounds, c.PerBatch)})
		}
	}
	add(r.Machine.Browser, r.Cells)
	for _, e := range r.Engines {
		add(e.Engine, e.Cells)
	}
	return t
}

// jsonOf is v as JSON, for an argument in an evaluated expression.
func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // maps of strings and numbers
	}
	return string(b)
}

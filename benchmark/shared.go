//go:build !js

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/engines"
)

// sharedMode is what the shared-mode phase measured.
type sharedMode struct {
	Rounds, PerBatch  int
	Shared, Dedicated stat // ms per sequential request
	Ratio             stat // Shared/Dedicated per round
	Join              stat // a second window's connect(), ms
	Joins             int
	JoinRequests      int64 // requests the instance got during the joins
	Windows           int
	StormRequests     int   // per storm, across the windows
	Refreshes         []int // per storm
	Failed            int
	FirstError        string
}

func (o options) sharedRounds() int { return pick(o.Quick, 3, pick(o.Runs > 0, o.Runs, 30)) }
func (o options) sharedBatch() int  { return pick(o.Quick, 2, 20) }
func (o options) joins() int        { return pick(o.Quick, 2, 15) }

// sharedPhase signs in twice in one window, shared and dedicated, and
// compares requests through each; then two more windows of the same browser
// context join the shared session, and all three storm it as the token
// expires.
func (b *bench) sharedPhase(ctx context.Context) error {
	s := &b.res.Shared
	first, err := b.openShared(ctx, nil)
	if err != nil {
		return err
	}
	defer first.Close()
	for _, name := range []string{"shared", "dedicated"} {
		if err := b.clickSignIn(first, name); err != nil {
			return err
		}
	}

	s.Rounds, s.PerBatch = b.o.sharedRounds(), b.o.sharedBatch()
	var cell struct{ Shared, Dedicated []float64 }
	arg := map[string]any{"path": b.paths[0], "n": s.PerBatch, "rounds": s.Rounds}
	if err := b.evalIn(first, 5*time.Minute, "cell", arg, &cell); err != nil {
		return err
	}
	ratios := make([]float64, len(cell.Shared))
	for i := range ratios {
		ratios[i] = cell.Shared[i] / cell.Dedicated[i]
	}
	s.Shared, s.Dedicated, s.Ratio = summarize(cell.Shared), summarize(cell.Dedicated), summarize(ratios)

	windows := []*browsertest.Page{first}
	var joins []float64
	before := b.replay.seen.Load()
	for i := range 2 {
		w, err := b.openShared(ctx, first)
		if err != nil {
			return err
		}
		windows = append(windows, w)
		n := 1
		if i == 0 {
			n = b.o.joins()
		}
		for range n {
			var j struct {
				OK    bool    `json:"ok"`
				MS    float64 `json:"ms"`
				Error string  `json:"error"`
			}
			if err := b.evalIn(w, 10*time.Second, "join", nil, &j); err != nil {
				return err
			}
			if !j.OK {
				return fmt.Errorf("a second window's connect() failed: %s", j.Error)
			}
			joins = append(joins, j.MS)
		}
	}
	s.JoinRequests = b.replay.seen.Load() - before
	s.Join, s.Joins, s.Windows = summarize(joins), len(joins), len(windows)

	per := b.o.stormSize() / len(windows)
	s.StormRequests = per * len(windows)
	for range b.o.stormCount() {
		before := b.em.Calls("token:refresh_token")
		b.em.ExpireAccessTokens()
		b.replay.flush()
		var wg sync.WaitGroup
		var mu sync.Mutex
		var firstErr error
		for _, w := range windows {
			wg.Go(func() {
				var got struct {
					OK         int    `json:"ok"`
					FirstError string `json:"firstError"`
				}
				err := b.evalIn(w, 2*time.Minute, "storm", map[string]any{"path": b.paths[0], "n": per}, &got)
				mu.Lock()
				defer mu.Unlock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				s.Failed += per - got.OK
				if got.FirstError != "" && s.FirstError == "" {
					s.FirstError = got.FirstError
				}
			})
		}
		wg.Wait()
		if firstErr != nil {
			return firstErr
		}
		s.Refreshes = append(s.Refreshes, b.em.Calls("token:refresh_token")-before)
	}
	return nil
}

// openShared opens the shared-mode page: in a new browser context, or in a
// new tab of parent's.
func (b *bench) openShared(ctx context.Context, parent *browsertest.Page) (*browsertest.Page, error) {
	const url, ready = "/bench/shared.html", "window.sharedBench !== undefined"
	var p *browsertest.Page
	if parent == nil {
		var err error
		if p, err = b.browser.Open(ctx, b.appURL+url, browsertest.PageOptions{Ready: ready, Quiet: true, Output: b.pageOutput}); err != nil {
			return nil, err
		}
	} else {
		tab, cancel := chromedp.NewContext(parent.Ctx)
		context.AfterFunc(ctx, cancel)
		browsertest.Capture(tab, "shared page", b.pageOutput)
		if err := chromedp.Run(tab); err != nil {
			return nil, fmt.Errorf("opening a tab beside the shared-mode page: %w", err)
		}
		p = parent.Window(&browsertest.Target{Ctx: tab, ID: chromedp.FromContext(tab).Target.TargetID})
		var ok bool
		if err := p.Run(30*time.Second, "loading the shared-mode page", chromedp.Navigate(b.appURL+url), network.Disable(),
			chromedp.Evaluate(ready, &ok)); err != nil {
			return nil, err
		}
		if !ok {
			return nil, errors.New("the shared-mode page loaded without window.sharedBench")
		}
	}
	var ok bool
	cfg := map[string]string{"instanceUrl": b.instURL, "clientId": clientID}
	if err := b.evalIn(p, 10*time.Second, "configure", cfg, &ok); err != nil {
		return nil, err
	}
	return p, nil
}

// clickSignIn clicks the Connect button for name (shared or dedicated),
// signs in in the window it opens and waits for connect() to resolve.
func (b *bench) clickSignIn(p *browsertest.Page, name string) error {
	selector := "#connect-" + name
	next := p.Next(browsertest.Popup)
	if err := p.Run(10*time.Second, "clicking "+selector, chromedp.Click(selector, chromedp.ByQuery)); err != nil {
		return err
	}
	w, err := next(15 * time.Second)
	if err == nil {
		err = engines.SignIn(engines.DevToolsWindow(p, w), engines.Allow, 0)
	}
	if err != nil {
		return fmt.Errorf("signing in after clicking %s: %w", selector, err)
	}
	var conn struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := b.evalIn(p, 30*time.Second, "connected", name, &conn); err != nil {
		return err
	}
	if !conn.OK {
		return fmt.Errorf("connect() (%s) failed: %s", name, conn.Error)
	}
	return nil
}

// evalIn calls window.sharedBench.fn(arg) in p.
func (b *bench) evalIn(p *browsertest.Page, timeout time.Duration, fn string, arg, out any) error {
	a, err := json.Marshal(arg)
	if err != nil {
		return err
	}
	return p.Run(timeout, "sharedBench."+fn, browsertest.Evaluate(fmt.Sprintf("window.sharedBench.%s(%s)", fn, a), out))
}

// sharedTable and sharedTargets report the phase.
func (r *results) sharedTable() table {
	s := r.Shared
	failed := fmt.Sprint(s.Failed)
	if s.FirstError != "" {
		failed += " (" + s.FirstError + ")"
	}
	return table{
		title: fmt.Sprintf("Shared mode: %d windows of one browser context; %d rounds of %d sequential requests (%s) per side",
			s.Windows, s.Rounds, s.PerBatch, r.Bodies[0].Name),
		header: []string{"figure", "value"},
		rows: [][]string{
			{"through the shared worker, ms per request", spread(s.Shared, 2, "")},
			{"through a dedicated worker, ms per request", spread(s.Dedicated, 2, "")},
			{"ratio shared / dedicated", spread(s.Ratio, 2, "×")},
			{fmt.Sprintf("a second window's connect(), ms (%d joins)", s.Joins), spread(s.Join, 1, "")},
			{"requests to the instance during those joins", fmt.Sprint(s.JoinRequests)},
			{fmt.Sprintf("refresh_token grants per %d-request storm from %d windows", s.StormRequests, s.Windows), joinInts(s.Refreshes)},
			{"failed storm requests", failed},
		},
	}
}

func (r *results) sharedTargets() []goal {
	s := r.Shared
	one := len(s.Refreshes) > 0
	for _, n := range s.Refreshes {
		one = one && n == 1
	}
	return []goal{
		{"request ratio, shared / dedicated worker", "≤ 1.05×", ratio(s.Ratio.Median), s.Ratio.Median <= 1.05},
		{"a second window's connect(), median", "≤ 50 ms, no request", fmt.Sprintf("%.1f ms, %d requests", s.Join.Median, s.JoinRequests), s.Join.Median <= 50 && s.JoinRequests == 0},
		{fmt.Sprintf("refreshes in a %d-window storm", s.Windows), "exactly 1", joinInts(s.Refreshes), one},
	}
}

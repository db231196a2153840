//go:build !js

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/snworker/snworker/internal/browsertest"
)

// Start-up and preflight figures: connect() until the sign-in window is
// sent to the authorize URL, with the worker prestarted and without; a
// repeat visit's worker start in headless_shell and in full Chromium; and
// the preflights 100 calls make when the instance lets browsers cache them.

type signInStart struct {
	Prestarted, Cold stat // ms from the click until popup.navigate(authorizeUrl)
	Opened           stat // of which window.open, ms
}

type preflights struct {
	Calls, MaxAgeSecs int
	MaxAge0, MaxAge   [2]int // with Access-Control-Max-Age 0 and MaxAgeSecs: preflights, and calls that reached the instance
}

type repeatVisit struct {
	Browser string
	First   float64 // the first visit: empty HTTP cache
	Repeat  stat    // later visits in the same profile, each in a new tab
}

func (o options) signInSamples() int { return pick(o.Quick, 1, 10) }
func (o options) repeatVisits() int  { return pick(o.Quick, 1, 6) }

// keepMS is how long each visit keeps its worker, so that the browser may
// tier up the wasm and write its code cache before the next visit.
func (o options) keepMS() int { return pick(o.Quick, 0, 3000) }

// signInStart times connect() until the sign-in window is navigated, in a fresh
// page, alternating a worker prestarted with prestart() and none.
func (b *bench) signInStart(ctx context.Context) error {
	p, err := b.openPage(ctx)
	if err != nil {
		return err
	}
	defer p.Close()
	var ok bool
	if err := b.benchIn(&p.Target, 10*time.Second, "configure", map[string]string{"instanceUrl": b.instURL, "clientId": clientID}, &ok); err != nil {
		return err
	}
	var warm, cold, opened []float64
	for i := range 2 * b.o.signInSamples() {
		prestarted := i%2 == 0
		if err := b.benchIn(&p.Target, time.Minute, "armSignIn", map[string]bool{"prestarted": prestarted}, &ok); err != nil {
			return err
		}
		if err := p.Run(10*time.Second, "clicking Sign in", chromedp.Click("#signin", chromedp.ByQuery)); err != nil {
			return err
		}
		var got struct{ MS, Opened float64 }
		if err := b.benchIn(&p.Target, 30*time.Second, "signInStarted", nil, &got); err != nil {
			return err
		}
		opened = append(opened, got.Opened)
		if prestarted {
			warm = append(warm, got.MS)
		} else {
			cold = append(cold, got.MS)
		}
	}
	b.res.SignIn = signInStart{Prestarted: summarize(warm), Cold: summarize(cold), Opened: summarize(opened)}
	return nil
}

// preflightCount sends 100 calls through the connected worker with the
// instance's preflight max age 0, then 600 s, and counts the preflights.
func (b *bench) preflightCount(ctx context.Context) error {
	p := &b.res.Preflights
	p.Calls, p.MaxAgeSecs = 100, 600
	path := b.paths[0]
	count := func(age int) ([2]int, error) {
		b.maxAge.set(int32(age))
		var took float64
		// One call alone, then the rest 32 at a time.
		for _, n := range []int{1, p.Calls - 1} {
			if err := b.eval(time.Minute, "load", map[string]any{"path": path, "n": n, "inflight": 32}, &took); err != nil {
				return [2]int{}, err
			}
		}
		return [2]int{int(b.maxAge.preflights.Swap(0)), int(b.maxAge.calls.Swap(0))}, nil
	}
	var err error
	if p.MaxAge0, err = count(0); err != nil {
		return err
	}
	p.MaxAge, err = count(p.MaxAgeSecs)
	return err
}

// repeatVisit starts the worker on a first and on later visits to the
// page, each in a new tab of one browser context (one HTTP cache), in the
// benchmark's browser and in full Chromium (new headless mode) when it is
// installed.
func (b *bench) repeatVisit(ctx context.Context) error {
	one := func(name string, bw *browsertest.Browser) error {
		// Following workers: a worker of an attached tab waits for DevTools.
		home, err := bw.Open(ctx, "", browsertest.PageOptions{Quiet: true, Output: b.pageOutput, Follow: []browsertest.Kind{browsertest.Worker}})
		if err != nil {
			return err
		}
		defer home.Close()
		v := repeatVisit{Browser: name}
		var times []float64
		for i := range 1 + b.o.repeatVisits() {
			ms, err := b.visit(home)
			if err != nil {
				return fmt.Errorf("%s, visit %d: %w", name, i+1, err)
			}
			if i == 0 {
				v.First = ms
			} else {
				times = append(times, ms)
			}
		}
		v.Repeat = summarize(times)
		b.res.Repeat = append(b.res.Repeat, v)
		return nil
	}
	exe, _ := browsertest.Find()
	if err := one(filepath.Base(exe), b.browser); err != nil {
		return err
	}
	full, err := exec.LookPath("chromium")
	if err != nil || full == exe || b.o.Quick {
		return nil
	}
	bw, err := browsertest.Start(ctx, browsertest.Options{ExecPath: full, Flags: []chromedp.ExecAllocatorOption{chromedp.Flag("headless", "new")}})
	if err != nil {
		return err
	}
	defer bw.Close()
	return one("chromium --headless=new", bw)
}

// visit opens the page in a new tab of home's browser context and starts
// the worker once.
func (b *bench) visit(home *browsertest.Page) (float64, error) {
	tab, cancel := chromedp.NewContext(home.Ctx)
	defer cancel()
	if err := chromedp.Run(tab); err != nil {
		return 0, fmt.Errorf("opening a tab: %w", err)
	}
	t := &home.Window(&browsertest.Target{Ctx: tab, ID: chromedp.FromContext(tab).Target.TargetID}).Target
	var ready bool
	if err := t.Run(30*time.Second, "loading the benchmark page", chromedp.Navigate(b.appURL+"/bench/bench.html"),
		chromedp.Evaluate("window.bench !== undefined", &ready)); err != nil {
		return 0, err
	}
	var ms float64
	err := b.benchIn(t, time.Minute, "visitStart", map[string]int{"keep": b.o.keepMS()}, &ms)
	return ms, err
}

// benchIn calls window.bench.fn(arg) in the page t.
func (b *bench) benchIn(t *browsertest.Target, timeout time.Duration, fn string, arg, out any) error {
	a, err := json.Marshal(arg)
	if err != nil {
		return err
	}
	return t.Run(timeout, "bench."+fn, browsertest.Evaluate(fmt.Sprintf("window.bench.%s(%s)", fn, a), out))
}

// maxAge sets Access-Control-Max-Age on the instance's preflight answers,
// as an instance whose CORS rule has a max age does (0 leaves them as they
// are), and counts the preflights and other requests that reach it.
type maxAge struct {
	next              http.Handler
	secs              atomic.Int32
	preflights, calls atomic.Int64
}

func (m *maxAge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		m.preflights.Add(1)
		if s := m.secs.Load(); s > 0 {
			w = &ageWriter{ResponseWriter: w, age: strconv.Itoa(int(s))}
		}
	} else {
		m.calls.Add(1)
	}
	m.next.ServeHTTP(w, r)
}

// set sets the max age and zeroes the counts.
func (m *maxAge) set(secs int32) {
	m.secs.Store(secs)
	m.preflights.Store(0)
	m.calls.Store(0)
}

type ageWriter struct {
	http.ResponseWriter
	age string
}

func (a *ageWriter) WriteHeader(code int) {
	if h := a.Header(); h.Get("Access-Control-Max-Age") != "" {
		h.Set("Access-Control-Max-Age", a.age)
	}
	a.ResponseWriter.WriteHeader(code)
}

// startupTables are the tables of these figures.
func (r *results) startupTables() []table {
	s := r.SignIn
	out := []table{{
		title:  "connect() until the sign-in window is sent to the authorize URL: ms, median [p25–p75]; the two alternate in one page",
		notes:  []string{"prestarted: prestart() resolved (the worker is ready) before the click; cold: prestart(false), so connect() starts the worker"},
		header: []string{"worker", "ms", "samples"},
		rows: [][]string{
			{"prestarted", spread(s.Prestarted, 1, ""), fmt.Sprint(s.Prestarted.N)},
			{"cold (connect() starts it)", spread(s.Cold, 1, ""), fmt.Sprint(s.Cold.N)},
			{"of either: window.open() opening the blank window", spread(s.Opened, 1, ""), fmt.Sprint(s.Opened.N)},
		},
	}}
	t := table{
		title:  "A repeat visit: ms from new Worker() to ready on each visit to the page, each in a new tab of one profile",
		notes:  []string{fmt.Sprintf("wasm served uncompressed with Cache-Control: no-cache (revalidated); each visit keeps its worker %d ms before the tab closes", pick(r.Quick, 0, 3000))},
		header: []string{"browser", "first visit (empty cache)", "repeat visits", "visits"},
	}
	for _, v := range r.Repeat {
		t.rows = append(t.rows, []string{v.Browser, num(v.First, 0), spread(v.Repeat, 1, ""), fmt.Sprint(v.Repeat.N)})
	}
	out = append(out, t)
	p := r.Preflights
	out = append(out, table{
		title:  fmt.Sprintf("CORS preflights for %d calls through the worker (1, then 32 in flight), same URL and method", p.Calls),
		notes:  []string{"every call must reach the instance: the worker's fetches keep responses in the HTTP cache only as the instance's Cache-Control allows (the emulator sends none)"},
		header: []string{"instance's Access-Control-Max-Age", "preflights", "calls that reached the instance"},
		rows: [][]string{
			{"0 (ServiceNow's default)", fmt.Sprint(p.MaxAge0[0]), fmt.Sprint(p.MaxAge0[1])},
			{fmt.Sprintf("%d s", p.MaxAgeSecs), fmt.Sprint(p.MaxAge[0]), fmt.Sprint(p.MaxAge[1])},
		},
	})
	return out
}

//go:build !js

package main

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/chromium"
	"github.com/snworker/snworker/internal/wasmbuild"
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

	browserCtx context.Context
	page       context.Context // the connected page
	worker     context.Context // its worker's target
	token      string
	paths      []string
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
		name string
		fn   func(context.Context) error
	}{
		{"cold start", b.coldStart},
		{"connect", b.connect},
		{"body sizes", b.sizeBodies},
		{"per-request cost", b.perRequest},
		{"memory", b.memory},
		{"refresh storm", b.storm},
	}
	for _, ph := range phases {
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
	serve(ctx, instLn, b.replay)

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

// csp is as strict as an app should be: no inline script, the worker from
// this origin, fetches to the instance.
const csp = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
	"connect-src 'self' http://127.0.0.1:*; style-src 'self'; img-src 'self'; frame-src 'self'; " +
	"frame-ancestors 'self'; base-uri 'none'; form-action 'none'"

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

// coldStart starts workers in a fresh browser context (empty HTTP cache).
func (b *bench) coldStart(ctx context.Context) error {
	pctx, cancel, err := b.openPage(ctx, nil)
	if err != nil {
		return err
	}
	defer cancel()
	var got struct {
		First    float64   `json:"first"`
		Snworker []float64 `json:"snworker"`
		Bare     []float64 `json:"bare"`
	}
	err = b.runIn(ctx, pctx, 3*time.Minute, "bench.coldStart",
		chromedp.Evaluate(fmt.Sprintf("window.bench.coldStart({n: %d})", b.o.coldStarts()), &got, awaitPromise))
	if err != nil {
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

// connect signs in through the real popup flow and attaches to the worker.
func (b *bench) connect(ctx context.Context) error {
	workers := make(chan target.ID, 8)
	pctx, _, err := b.openPage(ctx, func(id target.ID) {
		select {
		case workers <- id:
		default:
		}
	})
	if err != nil {
		return err
	}
	b.page = pctx
	var ok bool
	if err := b.eval(ctx, 10*time.Second, "configure", map[string]string{"instanceUrl": b.instURL, "clientId": clientID}, &ok); err != nil {
		return err
	}
	pageID := chromedp.FromContext(pctx).Target.TargetID
	popups := chromedp.WaitNewTarget(pctx, func(info *target.Info) bool {
		return info.Type == "page" && info.OpenerID == pageID
	})
	if err := b.runIn(ctx, pctx, 10*time.Second, "clicking Connect", chromedp.Click("#connect", chromedp.ByQuery)); err != nil {
		return err
	}
	var popupID target.ID
	select {
	case popupID = <-popups:
	case <-time.After(15 * time.Second):
		return errors.New("no authorization window opened within 15 s of clicking Connect")
	case <-ctx.Done():
		return ctx.Err()
	}
	popup, cancelPopup := chromedp.NewContext(pctx, chromedp.WithTargetID(popupID))
	defer cancelPopup()
	if err := b.open(ctx, popup, 10*time.Second, "attaching to the authorization window"); err != nil {
		return err
	}
	if err := b.signIn(ctx, popup); err != nil {
		return err
	}
	var conn struct {
		OK    bool   `json:"ok"`
		User  string `json:"user"`
		Error string `json:"error"`
	}
	if err := b.eval(ctx, 30*time.Second, "connected", nil, &conn); err != nil {
		return err
	}
	if !conn.OK {
		return fmt.Errorf("connect() failed: %s", conn.Error)
	}
	b.logf("connected as %s", conn.User)

	var wid target.ID
	select {
	case wid = <-workers:
	case <-time.After(10 * time.Second):
		return errors.New("the page's worker target did not show up within 10 s")
	}
	wctx, _ := chromedp.NewContext(pctx, chromedp.WithTargetID(wid))
	if err := b.open(ctx, wctx, 10*time.Second, "attaching to the worker", network.Disable(), log.Disable()); err != nil {
		return err
	}
	b.worker = wctx

	for _, tok := range b.em.IssuedTokens() {
		if b.bearerWorks(tok) {
			b.token = tok
			return nil
		}
	}
	return errors.New("none of the emulator's issued tokens works as a bearer token")
}

// signIn logs in as admin in the authorization window and presses Allow.
func (b *bench) signIn(ctx, popup context.Context) error {
	var login bool
	err := b.runIn(ctx, popup, 20*time.Second, "waiting for the sign-in page",
		chromedp.WaitVisible("#user_name, #allow", chromedp.ByQuery),
		chromedp.Evaluate("!!document.querySelector('#user_name')", &login))
	if err != nil {
		return err
	}
	if login {
		err = b.runIn(ctx, popup, 20*time.Second, "logging in",
			chromedp.SendKeys("#user_name", "admin", chromedp.ByQuery),
			chromedp.SendKeys("#user_password", "admin", chromedp.ByQuery),
			chromedp.Click("#sysverb_login", chromedp.ByQuery),
			chromedp.WaitVisible("#allow", chromedp.ByQuery))
		if err != nil {
			return err
		}
	}
	return b.runIn(ctx, popup, 10*time.Second, "pressing Allow", chromedp.Click("#allow", chromedp.ByQuery))
}

// get sends a GET to the emulator itself (never replayed) with tok.
func (b *bench) get(path, tok string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, b.instURL+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	rec := httptest.NewRecorder()
	b.em.ServeHTTP(rec, req)
	return rec
}

func (b *bench) bearerWorks(tok string) bool {
	return b.get("/api/now/table/sys_user?sysparm_limit=1", tok).Code == http.StatusOK
}

// sizeBodies picks Table API queries whose bodies are about each size, and
// times the emulator rendering them.
func (b *bench) sizeBodies(ctx context.Context) error {
	probe := b.get("/api/now/table/incident?sysparm_limit=20&sysparm_display_value=all", b.token)
	if probe.Code != http.StatusOK {
		return fmt.Errorf("probing the incident table: status %d", probe.Code)
	}
	perRecord := float64(probe.Body.Len()) / 20
	for _, s := range sizes {
		path := "/api/now/table/incident?sysparm_limit=1"
		if float64(s.bytes) > 4*perRecord {
			limit := int(float64(s.bytes)/perRecord + 0.5)
			path = fmt.Sprintf("/api/now/table/incident?sysparm_limit=%d&sysparm_display_value=all", limit)
		}
		var times []float64
		n := 0
		for range 5 {
			start := time.Now()
			rec := b.get(path, b.token)
			times = append(times, ms(time.Since(start)))
			if rec.Code != http.StatusOK {
				return fmt.Errorf("GET %s: status %d", path, rec.Code)
			}
			n = rec.Body.Len()
		}
		b.paths = append(b.paths, path)
		b.res.Bodies = append(b.res.Bodies, body{Name: s.name, Path: path, Bytes: n, ServerMS: median(times)})
	}
	return ctx.Err()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// perRequest compares executeApiRequest with a direct fetch, and with the
// same fetch in a plain JS worker, for each body size, one request in
// flight and 32.
func (b *bench) perRequest(ctx context.Context) error {
	for _, inflight := range []int{1, 32} {
		for i, bd := range b.res.Bodies {
			p := b.o.planFor(i, inflight)
			type side struct{ MS, A, B []float64 }
			var got struct {
				Rounds []struct{ Bridge, Direct, JSWorker side } `json:"rounds"`
			}
			arg := map[string]any{"path": bd.Path, "token": b.token, "inflight": inflight, "n": p.n, "rounds": p.rounds, "warmup": p.warmup}
			if err := b.eval(ctx, 5*time.Minute, "cell", arg, &got); err != nil {
				return fmt.Errorf("%s, %d in flight: %w", bd.Name, inflight, err)
			}
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
			b.logf("  %-6s %2d in flight: direct %.2f ms, JS worker %.2f ms, executeApiRequest %.2f ms, ratio %.2f×",
				bd.Name, inflight, c.Direct.Median, c.JSWorker.Median, c.Bridge.Median, c.Ratio.Median)
			b.res.Cells = append(b.res.Cells, c)
		}
	}
	return nil
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
		return b.eval(ctx, 5*time.Minute, "load", arg, &took)
	}
	if err := load(b.o.memWarmup()); err != nil {
		return err
	}
	var err error
	if m.Before, err = b.readMemory(ctx); err != nil {
		return err
	}
	start := time.Now()
	if err := load(m.Requests); err != nil {
		return err
	}
	m.LoadMS = ms(time.Since(start))
	m.After, err = b.readMemory(ctx)
	return err
}

// readMemory forces garbage collection in the page and the worker, then
// reads their JS heaps and the worker's wasm linear memory.
func (b *bench) readMemory(ctx context.Context) (memReading, error) {
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
	if err := b.runIn(ctx, b.page, 30*time.Second, "reading the page's heap", used(&r.PageJS)); err != nil {
		return r, err
	}
	err := b.runIn(ctx, b.worker, 30*time.Second, "reading the worker's heap", used(&r.WorkerJS),
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
		if err := b.eval(ctx, 2*time.Minute, "storm", arg, &got); err != nil {
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

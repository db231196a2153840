//go:build !js

package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

// results is everything a run measured.
type results struct {
	Quick   bool
	Replay  bool
	Machine machineInfo
	Bodies  []body
	Cells   []cell
	Engines []engineRun // Firefox and WebKit beside Cells' Chromium
	Cold    coldStart
	Wasm    wasmSizes
	Memory  memoryUse
	Storm   storm
	Shared  sharedMode

	SignIn     signInStart
	Repeat     []repeatVisit
	Preflights preflights
}

type machineInfo struct {
	CPUs            int
	CPU, Go         string
	Browser         string
	BrowsersAtStart int // other people's Chromium processes
	BrowsersAtEnd   int
}

// body is a response body size and the query that gives it.
type body struct {
	Name     string
	Path     string
	Bytes    int
	ServerMS float64 // the emulator's time to render it (median of 5, in Go)
}

// cell compares the sides for one body and concurrency.
type cell struct {
	Body                     body
	Inflight                 int
	Rounds                   int  // interleaved rounds, one batch per side
	PerBatch                 int  // requests per batch
	Direct, JSWorker, Bridge stat // ms per request
	Ratio                    stat // Bridge/Direct per round
	JSRatio                  stat // JSWorker/Direct per round
	Split                    *split
}

// split is where a sequential request's time goes (medians, ms).
type split struct {
	Fetch, JSON           float64 // direct: fetch() until headers; .json()
	JSTrip, JSPage        float64 // JS worker: post until the reply reaches the page; then until data
	WorkerTrip, PageAfter float64 // the same for executeApiRequest
}

type coldStart struct {
	First              float64 // the first snworker start in a fresh context
	Worker, Bare, Diff stat
}

type wasmSizes struct {
	Raw, Gzip, Brotli int64
	GzipHow           string
	BrotliHow         string // "" when brotli is unavailable
	Served            int64  // dist/snworker.wasm.br when fresh, else 0
}

type memReading struct {
	PageJS, WorkerJS, WorkerWasm float64
	Memories                     int
}

type memoryUse struct {
	Requests, Inflight int
	Body               string
	LoadMS             float64
	Before, After      memReading
}

// Growth is what the heaps grew by, in bytes.
func (m memoryUse) Growth() float64 {
	return (m.After.PageJS - m.Before.PageJS) + (m.After.WorkerJS - m.Before.WorkerJS) + (m.After.WorkerWasm - m.Before.WorkerWasm)
}

type storm struct {
	Requests   int
	Wall       stat
	Reference  stat  // the same burst with a live token
	Refreshes  []int // per storm
	Failed     int
	FirstError string
}

// goal is a target and how the run did against it.
type goal struct {
	Name, Want, Got string
	Pass            bool
}

// Targets are the goals from the issues (14: performance). A miss is
// information, not failure.
func (r *results) Targets() []goal {
	var ts []goal
	for _, c := range r.Cells {
		what := fmt.Sprintf("%s, %d in flight, against a direct fetch", c.Body.Name, c.Inflight)
		if c.Body.Name == "1 KB" {
			if c.Inflight == 1 {
				ts = append(ts, goal{what, "≤ 1.10×", ratio(c.Ratio.Median), c.Ratio.Median <= 1.10})
				js := c.Ratio.Median / c.JSRatio.Median
				ts = append(ts, goal{"1 KB, 1 in flight, against the JS worker", "≤ 1.05×", ratio(js), js <= 1.05})
			}
			continue
		}
		ts = append(ts, goal{what, "≤ 1.03×", ratio(c.Ratio.Median), c.Ratio.Median <= 1.03})
	}
	s := r.SignIn.Prestarted
	ts = append(ts, goal{"connect() until the authorize URL, worker prestarted", "≤ 20 ms", fmt.Sprintf("%.1f ms", s.Median), s.ok() && s.Median <= 20})
	ts = append(ts, goal{"cold start to ready, not prestarted", "≤ 100 ms", fmt.Sprintf("%.0f ms", r.Cold.Worker.Median), r.Cold.Worker.Median <= 100})
	p := r.Preflights
	ts = append(ts, goal{fmt.Sprintf("preflights for %d calls, max age %d s", p.Calls, p.MaxAgeSecs), "≤ 2", fmt.Sprint(p.MaxAge[0]), p.Calls > 0 && p.MaxAge[0] <= 2})
	if r.Wasm.BrotliHow != "" {
		ts = append(ts, goal{"wasm transfer size, " + r.Wasm.BrotliHow, "≤ 2.0 MB", mb(float64(r.Wasm.Brotli)), float64(r.Wasm.Brotli) <= 2.0e6})
	} else {
		ts = append(ts, goal{"wasm transfer size, brotli", "≤ 2.0 MB", "n/a", false})
	}
	if r.Wasm.Served > 0 {
		ts = append(ts, goal{"wasm transfer size, dist/snworker.wasm.br", "≤ 2.0 MB", mb(float64(r.Wasm.Served)), float64(r.Wasm.Served) <= 2.0e6})
	}
	g := r.Memory.Growth()
	ts = append(ts, goal{fmt.Sprintf("memory growth over %d requests", r.Memory.Requests), "< 1 MB", signedMB(g), g < 1e6})
	all := len(r.Storm.Refreshes) > 0
	for _, n := range r.Storm.Refreshes {
		all = all && n == 1
	}
	ts = append(ts, goal{fmt.Sprintf("refreshes in a %d-request storm", r.Storm.Requests), "exactly 1", joinInts(r.Storm.Refreshes), all})
	ts = append(ts, r.sharedTargets()...)
	return ts
}

// table is a titled table, printed aligned or as markdown.
type table struct {
	title  string
	notes  []string
	header []string
	rows   [][]string
}

func (r *results) tables() []table {
	out := []table{r.headTable(), r.requestTable(), r.enginesTable(), r.splitTable(), r.coldTable(), r.sizeTable(), r.memoryTable(), r.stormTable(), r.sharedTable()}
	out = append(out, r.startupTables()...)
	return append(out, r.targetTable())
}

func (r *results) headTable() table {
	m := r.Machine
	title := "snworker benchmark: executeApiRequest through the worker against a direct fetch from the page"
	if r.Quick {
		title += " (-quick: tiny counts, the figures mean nothing)"
	}
	sizes := make([]string, len(r.Bodies))
	for i, b := range r.Bodies {
		sizes[i] = fmt.Sprintf("%s %.1f ms", b.Name, b.ServerMS)
	}
	serverNote := "every request reaches the emulator (-replay=false); its rendering is in both sides' figures: "
	if r.Replay {
		serverNote = "the emulator's replies are recorded once and replayed (-replay=false renders every one), so its rendering is in neither side's figures; it takes "
	}
	return table{title: title, notes: []string{
		fmt.Sprintf("machine: %d × %s; %s; %s", m.CPUs, m.CPU, m.Browser, m.Go),
		fmt.Sprintf("other Chromium processes running: %d at start, %d at end (each adds noise)", m.BrowsersAtStart, m.BrowsersAtEnd),
		"instance: the emulator on a second loopback origin (CORS preflight on every request, as with ServiceNow's default max age 0)",
		serverNote + strings.Join(sizes, ", "),
	}}
}

func (r *results) requestTable() table {
	t := table{
		title: "Per request: ms, median [p25–p75]; ratio = executeApiRequest / direct fetch, per interleaved round",
		notes: []string{
			"direct fetch: await (await fetch(url, {headers: {Authorization, Accept}})).json() then .result, from the page, with the same token",
			"JS worker: the same fetch in a plain JS worker, body transferred, decoded and parsed in the page: what any worker costs (yardstick)",
			"executeApiRequest: (await conn.executeApiRequest(path)).data, through the Go/wasm worker",
			"sequential figures are per request; with 32 in flight, batch time / requests; Chromium opens at most 6 HTTP/1.1 connections to the instance",
		},
		header: []string{"body", "bytes", "in flight", "direct fetch", "JS worker", "executeApiRequest", "ratio", "JS worker ratio", "runs"},
	}
	for _, c := range r.Cells {
		t.rows = append(t.rows, []string{c.Body.Name, fmt.Sprint(c.Body.Bytes), fmt.Sprint(c.Inflight),
			spread(c.Direct, 2, ""), spread(c.JSWorker, 2, ""), spread(c.Bridge, 2, ""), spread(c.Ratio, 2, "×"), spread(c.JSRatio, 2, "×"),
			fmt.Sprintf("%d × %d", c.Rounds, c.PerBatch)})
	}
	return t
}

func (r *results) splitTable() table {
	t := table{
		title: "Where a sequential request's time goes: ms, medians",
		notes: []string{"round trip: from the call until the worker's reply reaches the page; page: from then until the data is there (TextDecoder + JSON.parse + unwrap)"},
		header: []string{"body", "direct: until headers", "direct: .json()", "JS worker: round trip", "JS worker: page",
			"executeApiRequest: round trip", "executeApiRequest: page"},
	}
	for _, c := range r.Cells {
		if s := c.Split; s != nil {
			t.rows = append(t.rows, []string{c.Body.Name, num(s.Fetch, 2), num(s.JSON, 2), num(s.JSTrip, 2), num(s.JSPage, 2),
				num(s.WorkerTrip, 2), num(s.PageAfter, 2)})
		}
	}
	return t
}

func (r *results) coldTable() table {
	c := r.Cold
	return table{
		title:  "Cold start: ms from new Worker() to ready, median [p25–p75]; the two alternate",
		notes:  []string{"wasm served uncompressed over loopback, HTTP cache warm (revalidated) after the first start"},
		header: []string{"worker", "ms", "starts"},
		rows: [][]string{
			{"snworker (Go wasm): first start, empty HTTP cache", num(c.First, 0), "1"},
			{"snworker (Go wasm)", spread(c.Worker, 1, ""), fmt.Sprint(c.Worker.N)},
			{"bare JS worker (posts at once)", spread(c.Bare, 1, ""), fmt.Sprint(c.Bare.N)},
			{"difference, per pair", spread(c.Diff, 1, ""), fmt.Sprint(c.Diff.N)},
		},
	}
}

func (r *results) sizeTable() table {
	w := r.Wasm
	brotli := "n/a (no brotli on PATH)"
	if w.BrotliHow != "" {
		brotli = bytesMB(w.Brotli)
	}
	rows := [][]string{
		{"raw", bytesMB(w.Raw)},
		{w.GzipHow, bytesMB(w.Gzip)},
		{orDefault(w.BrotliHow, "brotli"), brotli},
	}
	if w.Served > 0 {
		rows = append(rows, []string{"dist/snworker.wasm.br (make precompress)", bytesMB(w.Served)})
	}
	return table{title: "snworker.wasm size (MB = 10^6 bytes)", header: []string{"encoding", "bytes"}, rows: rows}
}

func (r *results) memoryTable() table {
	mm := r.Memory
	row := func(name string, before, after float64) []string {
		return []string{name, mb(before), mb(after), signedMB(after - before)}
	}
	return table{
		title: fmt.Sprintf("Memory after forced GC, before and after %d requests (%s, %d in flight, %.1f s)", mm.Requests, mm.Body, mm.Inflight, mm.LoadMS/1000),
		notes: []string{
			"wasm memory never shrinks: it is Go's heap high-water mark; Go's own GC is not forced, so JS values Go holds are freed when Go collects",
		},
		header: []string{"heap", "before", "after", "growth"},
		rows: [][]string{
			row("worker: wasm linear memory", mm.Before.WorkerWasm, mm.After.WorkerWasm),
			row("worker: JS heap", mm.Before.WorkerJS, mm.After.WorkerJS),
			row("page: JS heap", mm.Before.PageJS, mm.After.PageJS),
			{"total", "", "", signedMB(mm.Growth())},
		},
	}
}

func (r *results) stormTable() table {
	s := r.Storm
	failed := fmt.Sprint(s.Failed)
	if s.FirstError != "" {
		failed += " (" + s.FirstError + ")"
	}
	return table{
		title:  fmt.Sprintf("Refresh storm: %d requests at once just after ExpireAccessTokens(), %d storms", s.Requests, len(s.Refreshes)),
		header: []string{"figure", "value"},
		rows: [][]string{
			{"wall time, ms, median [p25–p75]", spread(s.Wall, 0, "")},
			{"the same burst with a live token (just before each storm)", spread(s.Reference, 0, "")},
			{"refresh_token grants per storm", joinInts(s.Refreshes)},
			{"failed requests", failed},
		},
	}
}

func (r *results) targetTable() table {
	t := table{title: "Targets (information, not a pass/fail exit code)", header: []string{"target", "want", "measured", ""}}
	for _, g := range r.Targets() {
		verdict := "MISS"
		if g.Pass {
			verdict = "PASS"
		}
		t.rows = append(t.rows, []string{g.Name, g.Want, g.Got, verdict})
	}
	return t
}

// write prints every table, aligned or as markdown.
func (r *results) write(w io.Writer, markdown bool) {
	for i, t := range r.tables() {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if markdown {
			t.markdown(w)
		} else {
			t.plain(w)
		}
	}
}

func (t table) plain(w io.Writer) {
	fmt.Fprintln(w, t.title)
	for _, n := range t.notes {
		fmt.Fprintln(w, "  "+n)
	}
	if len(t.header) == 0 {
		return
	}
	widths := make([]int, len(t.header))
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	line := func(row []string) {
		var b strings.Builder
		for i, c := range row {
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
			}
		}
		fmt.Fprintln(w, "  "+strings.TrimRight(b.String(), " "))
	}
	line(t.header)
	for _, row := range t.rows {
		line(row)
	}
}

func (t table) markdown(w io.Writer) {
	fmt.Fprintf(w, "**%s**\n\n", t.title)
	for _, n := range t.notes {
		fmt.Fprintf(w, "- %s\n", n)
	}
	if len(t.header) == 0 {
		return
	}
	if len(t.notes) > 0 {
		fmt.Fprintln(w)
	}
	cells := func(row []string) string {
		esc := make([]string, len(row))
		for i, c := range row {
			esc[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		return "| " + strings.Join(esc, " | ") + " |"
	}
	fmt.Fprintln(w, cells(t.header))
	seps := make([]string, len(t.header))
	for i := range seps {
		seps[i] = "---"
	}
	fmt.Fprintln(w, cells(seps))
	for _, row := range t.rows {
		fmt.Fprintln(w, cells(row))
	}
}

func num(v float64, prec int) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.*f", prec, v)
}

func spread(s stat, prec int, unit string) string {
	if s.N == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%s%s [%s–%s]", num(s.Median, prec), unit, num(s.P25, prec), num(s.P75, prec))
}

func ratio(v float64) string { return num(v, 2) + "×" }

func mb(b float64) string { return fmt.Sprintf("%.2f MB", b/1e6) }

func signedMB(b float64) string { return fmt.Sprintf("%+.3f MB", b/1e6) }

func bytesMB(b int64) string { return fmt.Sprintf("%d (%.2f MB)", b, float64(b)/1e6) }

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

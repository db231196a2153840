//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/engines"
)

// The package's one harness. A test gets an engineTest (a fresh profile of
// one engine) from inEngines, which runs it in every engine, or from
// inOneEngine, which runs it once; it drives windows (ewin) through
// engines.Window. What only DevTools can see (targets, network responses,
// console output) is reached through ewin.devtools, which ties a test to
// Chromium, and such a test says why.

// The engines the tests run in, each started once, by the first test that
// needs it, and closed when the package's tests end.
var (
	enginesMu sync.Mutex
	started   = map[string]*startedEngine{}
)

type startedEngine struct {
	once sync.Once
	e    engines.Engine
	err  error
}

func engine(t *testing.T, name string) engines.Engine {
	t.Helper()
	enginesMu.Lock()
	s := started[name]
	if s == nil {
		s = &startedEngine{}
		started[name] = s
	}
	enginesMu.Unlock()
	s.once.Do(func() {
		begin := time.Now()
		s.e, s.err = engines.Start(context.Background(), name)
		if s.err == nil {
			t.Logf("started %s in %v", s.e.Version(), time.Since(begin).Round(time.Millisecond))
		}
	})
	require.NoError(t, s.err, "starting %s", name)
	return s.e
}

// closeEngines stops the engines the tests started.
func closeEngines() {
	enginesMu.Lock()
	defer enginesMu.Unlock()
	for _, s := range started {
		if s.e != nil {
			s.e.Close()
		}
	}
}

// inEngines runs fn as a parallel subtest per engine (engines.Selected),
// named by the engine, so that a failure says which one.
func inEngines(t *testing.T, fn func(t *testing.T, x *engineTest)) {
	for _, name := range engines.Selected() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, newEngineTest(t, name))
		})
	}
}

// oneEngine is where a test that runs once runs: the headless shell, which
// starts fastest, or SNWORKER_ONE_ENGINE. Such tests check the library's
// own logic, which no engine changes; those that need DevTools skip in
// other engines.
func oneEngine() string {
	if v := os.Getenv("SNWORKER_ONE_ENGINE"); v != "" {
		return v
	}
	return "headless-shell"
}

// inOneEngine is a fresh profile in oneEngine for the test t.
func inOneEngine(t *testing.T) *engineTest {
	t.Helper()
	return newEngineTest(t, oneEngine())
}

func newEngineTest(t *testing.T, name string) *engineTest {
	t.Helper()
	e := engine(t, name)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	prof, err := e.NewProfile(ctx)
	require.NoError(t, err, "a new %s profile", name)
	t.Cleanup(prof.Close)
	x := &engineTest{t: t, name: name, profile: prof, log: newLogger(t)}
	if c, ok := prof.(engines.Capturer); ok {
		c.Capture(x.output)
	}
	return x
}

// engineTest is one scenario in one engine, with a fresh profile.
type engineTest struct {
	t       *testing.T
	name    string
	profile engines.Profile
	log     *logger

	mu       sync.Mutex
	watchers []func(browsertest.Output)
}

// output logs what the profile's windows and workers print (where the
// engine can capture it) and hands it to the watchers.
func (x *engineTest) output(o browsertest.Output) {
	x.log.logf("%s", o)
	x.mu.Lock()
	ws := x.watchers
	x.mu.Unlock()
	for _, w := range ws {
		w(o)
	}
}

// watchOutput hands fn what the profile's windows and dedicated workers
// print or throw. Only Chromium captures it (over DevTools): elsewhere the
// test is skipped.
func (x *engineTest) watchOutput(fn func(browsertest.Output)) {
	x.t.Helper()
	if _, ok := x.profile.(engines.Capturer); !ok {
		x.t.Skipf("%s: watching console output needs DevTools (Chromium)", x.name)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.watchers = append(x.watchers, fn)
}

// open opens path on the app's origin in a new window of the profile and
// waits until ready is true.
func (x *engineTest) open(path, ready string) *ewin {
	x.t.Helper()
	return x.openURL(appURL+path, ready)
}

// openURL is open for a URL on any origin.
func (x *engineTest) openURL(url, ready string) *ewin {
	x.t.Helper()
	w, err := x.profile.Open(url)
	require.NoError(x.t, err, "opening %s in %s", url, x.name)
	e := &ewin{t: x.t, w: w, x: x}
	require.NoError(x.t, engines.WaitFor(w, 10*time.Second, ready), "%s in %s", url, x.name)
	return e
}

// startSignIn opens the test page in a new window, sets connect()'s
// arguments for in with options, clicks Connect and returns the page and
// the sign-in window.
func (x *engineTest) startSignIn(in *instance, options map[string]any) (page, signIn *ewin) {
	x.t.Helper()
	page = x.open("/test/index.html", "window.t !== undefined")
	page.configure(in, options)
	return page, page.clickForPopup("#connect")
}

// newPage opens the test page in a fresh profile of oneEngine.
func newPage(t *testing.T) *ewin {
	t.Helper()
	return inOneEngine(t).open("/test/index.html", "window.t !== undefined")
}

// openPage opens path in a fresh profile of oneEngine and waits until
// ready is true.
func openPage(t *testing.T, path, ready string) *ewin {
	t.Helper()
	return inOneEngine(t).open(path, ready)
}

// ewin is a window in an engine: a test page, or the sign-in window it opened.
type ewin struct {
	t *testing.T
	w engines.Window
	x *engineTest
}

// evalTimeout bounds an evaluation, which may await a sign-in.
const evalTimeout = 30 * time.Second

func (w *ewin) eval(expr string, out any) {
	w.t.Helper()
	require.NoError(w.t, w.w.Eval(evalTimeout, expr, out))
}

// eval1 evaluates a boolean expression.
func (w *ewin) eval1(expr string) bool {
	w.t.Helper()
	var v bool
	w.eval(expr, &v)
	return v
}

func (w *ewin) waitFor(expr string, timeout time.Duration) {
	w.t.Helper()
	require.NoError(w.t, engines.WaitFor(w.w, timeout, expr))
}

// jsError is an error as the test page describes it.
type jsError struct {
	Name    string          `json:"name"`
	Message string          `json:"message"`
	Status  int             `json:"status"`
	Data    json.RawMessage `json:"data"`
	Is      map[string]bool `json:"is"` // instanceof ApiError, AuthorizationError, DOMException, …
}

// outcome is a settled promise as the test page describes it.
type outcome struct {
	OK    bool            `json:"ok"`
	Value json.RawMessage `json:"value"`
	Error *jsError        `json:"error"`
}

// settle evaluates expr, a promise from the page's t helpers, to an outcome.
func (w *ewin) settle(expr string) outcome {
	w.t.Helper()
	var o outcome
	w.eval(expr, &o)
	return o
}

// ok settles expr, requires success and decodes the value into out.
func (w *ewin) ok(expr string, out any) {
	w.t.Helper()
	o := w.settle(expr)
	require.True(w.t, o.OK, "%s failed: %+v", expr, o.Error)
	if out != nil {
		require.NoError(w.t, json.Unmarshal(o.Value, out), "decoding the value of %s: %s", expr, o.Value)
	}
}

// fails settles expr and requires it to fail with an instance of class.
func (w *ewin) fails(expr, class string) *jsError {
	w.t.Helper()
	o := w.settle(expr)
	require.False(w.t, o.OK, "%s succeeded with %s; want %s", expr, o.Value, class)
	require.True(w.t, o.Error.Is[class], "%s failed with %s (%q); want instanceof %s", expr, o.Error.Name, o.Error.Message, class)
	return o.Error
}

// response is an executeApiRequest result.
type response struct {
	Status  int               `json:"status"`
	Data    json.RawMessage   `json:"data"`
	Type    string            `json:"type"`
	Headers map[string]string `json:"headers"`
}

func (w *ewin) request(args string) response {
	w.t.Helper()
	var r response
	w.ok("t.request("+args+")", &r)
	return r
}

// configure sets the arguments the Connect buttons pass to connect().
func (w *ewin) configure(in *instance, options map[string]any) {
	w.t.Helper()
	b, err := json.Marshal(map[string]any{"instanceUrl": in.URL, "clientId": clientID, "options": options})
	require.NoError(w.t, err)
	w.eval(fmt.Sprintf("(t.config = %s, true)", b), nil)
}

// click clicks selector as a user would.
func (w *ewin) click(selector string) {
	w.t.Helper()
	require.NoError(w.t, w.w.Click(10*time.Second, selector))
}

// clickForPopup clicks selector and returns the window the click opens.
func (w *ewin) clickForPopup(selector string) *ewin {
	w.t.Helper()
	p, err := w.w.ClickForPopup(10*time.Second, selector)
	if err != nil {
		// What connect() said, if it settled without a window.
		var said any
		_ = w.w.Eval(2*time.Second, "window.t?.last ?? window.app?.pending", &said)
		require.NoError(w.t, err, "waiting for the sign-in window; the page's connect() gave %v", said)
	}
	return &ewin{t: w.t, w: p, x: w.x}
}

// signIn answers the sign-in page after think, the time a person takes.
func (w *ewin) signIn(a engines.Answer, think time.Duration) {
	w.t.Helper()
	err := engines.SignIn(w.w, a, think)
	if err != nil && w.w.Gone(2*time.Second) == nil {
		// The window went as the answer was pressed: the library closes it
		// once it has the redirect. What it did with it, the page says.
		return
	}
	require.NoError(w.t, err)
}

func (w *ewin) awaitSignInPage() {
	w.t.Helper()
	_, err := engines.AwaitSignIn(w.w)
	require.NoError(w.t, err)
}

func (w *ewin) close() {
	w.t.Helper()
	require.NoError(w.t, w.w.Close(10*time.Second))
}

func (w *ewin) gone(timeout time.Duration) {
	w.t.Helper()
	require.NoError(w.t, w.w.Gone(timeout))
}

// load navigates the window to path on the app's origin (or reloads it)
// and waits until ready is true.
func (w *ewin) load(path, ready string) {
	w.t.Helper()
	require.NoError(w.t, w.w.Navigate(10*time.Second, appURL+path), "loading %s in %s", path, w.x.name)
	require.NoError(w.t, engines.WaitFor(w.w, 10*time.Second, ready), "%s in %s", path, w.x.name)
}

// connect clicks Connect, signs in with Allow after think, and requires
// success; it returns the signed-in user.
func (w *ewin) connect(in *instance, options map[string]any, think time.Duration) map[string]any {
	w.t.Helper()
	w.configure(in, options)
	w.clickForPopup("#connect").signIn(engines.Allow, think)
	var v struct {
		CurrentUser map[string]any `json:"currentUser"`
	}
	w.ok("t.last", &v)
	return v.CurrentUser
}

// devtools is the window's DevTools page, for what only DevTools can see or
// do. Outside Chromium it skips the test, saying what needed it.
func (w *ewin) devtools(why string) *browsertest.Page {
	w.t.Helper()
	d, ok := w.w.(engines.DevTools)
	if !ok {
		w.t.Skipf("%s: %s needs DevTools (Chromium)", w.x.name, why)
	}
	return d.DevTools()
}

// inChromium says whether the window is driven over DevTools, for the
// checks of a cross-engine scenario that only DevTools can make.
func (w *ewin) inChromium() bool {
	_, ok := w.w.(engines.DevTools)
	return ok
}

// run runs chromedp actions on the window over DevTools.
func (w *ewin) run(what string, actions ...chromedp.Action) {
	w.t.Helper()
	require.NoError(w.t, w.devtools(what).Run(testTimeout, what, actions...))
}

// targets counts the DevTools targets of type kind ("worker",
// "shared_worker", "page") in the window's browser context for which keep
// is true (nil: all).
func (w *ewin) targets(kind string, keep func(ti *target.Info) bool) int {
	w.t.Helper()
	ctx := w.devtools("counting " + kind + " targets").Ctx
	list, err := chromedp.Targets(ctx)
	require.NoError(w.t, err)
	bc := chromedp.FromContext(ctx).BrowserContextID
	n := 0
	for _, ti := range list {
		if ti.Type == kind && ti.BrowserContextID == bc && (keep == nil || keep(ti)) {
			n++
		}
	}
	return n
}

// openedWindows counts the windows the window has open.
func (w *ewin) openedWindows() int {
	w.t.Helper()
	id := w.devtools("counting opened windows").ID
	return w.targets("page", func(ti *target.Info) bool { return ti.OpenerID == id && !strings.HasPrefix(ti.URL, "devtools:") })
}

// workerTargets counts the dedicated workers in the window's browser context.
func (w *ewin) workerTargets() int { w.t.Helper(); return w.targets("worker", nil) }

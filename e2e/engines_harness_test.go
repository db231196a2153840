//go:build !js

package e2e

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/internal/engines"
)

// The engines the cross-engine scenarios run in, each started once, by the
// first test that needs it, and closed when the package's tests end.
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

// inEngines runs fn as a parallel subtest per engine, named by the engine,
// so that a failure says which one.
func inEngines(t *testing.T, fn func(t *testing.T, x *engineTest)) {
	for _, name := range engines.Selected() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := engine(t, name)
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			t.Cleanup(cancel)
			prof, err := e.NewProfile(ctx)
			require.NoError(t, err, "a new %s profile", name)
			t.Cleanup(prof.Close)
			fn(t, &engineTest{t: t, name: name, profile: prof})
		})
	}
}

// engineTest is one scenario in one engine, with a fresh profile.
type engineTest struct {
	t       *testing.T
	name    string
	profile engines.Profile
}

// open opens path on the app's origin in a new window of the profile and
// waits until ready is true.
func (x *engineTest) open(path, ready string) *ewin {
	x.t.Helper()
	w, err := x.profile.Open(appURL + path)
	require.NoError(x.t, err, "opening %s in %s", path, x.name)
	e := &ewin{t: x.t, w: w}
	require.NoError(x.t, engines.WaitFor(w, 10*time.Second, ready), "%s in %s", path, x.name)
	return e
}

// ewin is a window in an engine: a test page, or the sign-in window it opened.
type ewin struct {
	t *testing.T
	w engines.Window
}

// evalTimeout bounds an evaluation, which may await a sign-in.
const evalTimeout = 30 * time.Second

func (w *ewin) eval(expr string, out any) {
	w.t.Helper()
	require.NoError(w.t, w.w.Eval(evalTimeout, expr, out))
}

func (w *ewin) waitFor(expr string, timeout time.Duration) {
	w.t.Helper()
	require.NoError(w.t, engines.WaitFor(w.w, timeout, expr))
}

func (w *ewin) ok(expr string, out any) { w.t.Helper(); ok(w.t, w, expr, out) }
func (w *ewin) fails(expr, class string) *jsError {
	w.t.Helper()
	return fails(w.t, w, expr, class)
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
	configure(w.t, w, in, options)
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
	return &ewin{t: w.t, w: p}
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

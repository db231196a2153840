//go:build !js

package browsertest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Kind is a kind of target that a page opens or starts.
type Kind string

const (
	Popup        Kind = "popup"         // a window the page opened
	Worker       Kind = "worker"        // a dedicated worker of the page
	SharedWorker Kind = "shared worker" // a shared worker in the page's browser context
)

// Target is a page, popup or worker attached over DevTools.
type Target struct {
	Ctx  context.Context // chromedp actions on the target run in it; it ends with the page
	ID   target.ID
	Kind Kind   // "" for a page opened with Open
	URL  string // when the target appeared
}

// Run runs chromedp actions on the target within timeout; the error says
// what was being done.
func (t *Target) Run(timeout time.Duration, what string, actions ...chromedp.Action) error {
	ctx, cancel := context.WithTimeout(t.Ctx, timeout)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) && t.Ctx.Err() == nil {
			return fmt.Errorf("%s: no answer within %v", what, timeout)
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Eval evaluates expr within timeout, awaiting it if it is a promise, and
// decodes its value into out (if not nil). A thrown exception or rejected
// promise is an error that names expr; where expr holds a secret, use Run
// with Evaluate and a name of your own.
func (t *Target) Eval(timeout time.Duration, expr string, out any) error {
	what := "evaluating " + expr
	if len(what) > 200 {
		what = what[:200] + "…"
	}
	return t.Run(timeout, what, Evaluate(expr, out))
}

// Evaluate is chromedp.Evaluate awaiting a promise. It gives no user
// gesture, so the page cannot open popups from it.
func Evaluate(expr string, out any) chromedp.Action {
	return chromedp.Evaluate(expr, out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	})
}

// PageOptions configure Open.
type PageOptions struct {
	Ready   string        // opening waits until this expression is true (the load event has passed by then)
	Output  func(Output)  // gets what the page and the targets it follows print or throw
	Follow  []Kind        // kinds of target to attach to as they appear, to capture their output
	Quiet   bool          // turn off DevTools' Network and Log domains, which slow the fetches they watch
	Timeout time.Duration // to open the page and attach to a target (default 30 s)
}

// Page is a tab in a new browser context of its own (cookies, storage,
// HTTP cache) that follows the targets it opens or starts.
type Page struct {
	Target
	o         PageOptions
	attaching *sync.WaitGroup // follows under way; Close waits for them
	cancel    func()

	browser cdp.BrowserContextID

	mu      sync.Mutex
	seen    map[target.ID]bool
	waiters []*waiter
}

type waiter struct {
	kind   Kind
	listen []func(ev any)
	got    chan attached
}

type attached struct {
	t   *Target
	err error
}

// Open opens url ("": stay on about:blank) in a new browser context. The
// page lives until Close, or until ctx ends or its deadline passes.
func (b *Browser) Open(ctx context.Context, url string, o PageOptions) (*Page, error) {
	o.Timeout = withDefault(o.Timeout, 30*time.Second)
	// A new window, not chromedp.WithNewBrowserContext's tab: full Chromium
	// in headless mode has no window to open a tab in for a new context.
	var bc cdp.BrowserContextID
	var id target.ID
	err := b.browserRun(o.Timeout, func(ctx context.Context) error {
		var err error
		if bc, err = target.CreateBrowserContext().Do(ctx); err != nil {
			return err
		}
		id, err = target.CreateTarget("about:blank").WithBrowserContextID(bc).WithNewWindow(true).Do(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("opening a page: %w", err)
	}
	dctx, cancelDeadline := context.WithCancel(b.ctx)
	if d, ok := ctx.Deadline(); ok {
		dctx, cancelDeadline = context.WithDeadline(b.ctx, d)
	}
	stop := context.AfterFunc(ctx, cancelDeadline)
	pctx, cancelPage := chromedp.NewContext(dctx, chromedp.WithTargetID(id))
	// As WithExistingBrowserContext would (it refuses WithTargetID): tabs
	// made with chromedp.NewContext(p.Ctx) open in the page's context.
	chromedp.FromContext(pctx).BrowserContextID = bc
	p := &Page{o: o, seen: map[target.ID]bool{}, browser: bc, attaching: &sync.WaitGroup{}, cancel: func() {
		cancelPage()
		stop()
		cancelDeadline()
		_ = b.browserRun(5*time.Second, target.DisposeBrowserContext(bc).Do)
	}}
	p.ID = id
	p.Ctx = pctx
	capture(pctx, "page", o.Output)
	chromedp.ListenTarget(pctx, p.watch)
	var actions []chromedp.Action
	if o.Quiet {
		actions = append(actions, network.Disable(), log.Disable())
	}
	if err := attach(pctx, o.Timeout, "attaching to a new page", actions...); err != nil {
		p.Close()
		return nil, err
	}
	if url != "" {
		// Navigate waits for the load event, by which module scripts have run.
		actions := []chromedp.Action{chromedp.Navigate(url)}
		var ready bool
		if o.Ready != "" {
			actions = append(actions, chromedp.Evaluate(o.Ready, &ready))
		}
		if err := p.Run(o.Timeout, "loading "+url, actions...); err != nil {
			p.Close()
			return nil, err
		}
		if o.Ready != "" && !ready {
			p.Close()
			return nil, fmt.Errorf("%s loaded, but %s is false; see the page's console", url, o.Ready)
		}
	}
	p.URL = url
	return p, nil
}

// Close closes the page, its browser context and the targets it followed.
// It first lets attaches under way finish: chromedp races with itself
// when a context ends during its first Run.
func (p *Page) Close() {
	p.attaching.Wait()
	p.cancel()
}

// Window is w, a popup the page opened, followed as a page: its own
// popups and workers. It ends with p; its Close does nothing.
func (p *Page) Window(w *Target) *Page {
	q := &Page{Target: *w, o: p.o, browser: p.browser, attaching: p.attaching, seen: map[target.ID]bool{}, cancel: func() {}}
	chromedp.ListenTarget(w.Ctx, q.watch)
	return q
}

// Next returns a function that waits up to timeout for the next target of
// kind that the page opens or starts after this call, and attaches to it.
// Call Next before the action that opens the target. The listeners get
// the target's events from before the attach (its first navigation, say).
func (p *Page) Next(kind Kind, listeners ...func(ev any)) func(timeout time.Duration) (*Target, error) {
	w := &waiter{kind: kind, listen: listeners, got: make(chan attached, 1)}
	p.mu.Lock()
	p.waiters = append(p.waiters, w)
	p.mu.Unlock()
	return func(timeout time.Duration) (*Target, error) {
		timer := time.NewTimer(timeout)
		defer timer.Stop()
		select {
		case a := <-w.got:
			return a.t, a.err
		case <-timer.C:
		case <-p.Ctx.Done():
		}
		p.mu.Lock()
		p.waiters = slices.DeleteFunc(p.waiters, func(x *waiter) bool { return x == w })
		p.mu.Unlock()
		select {
		case a := <-w.got: // it came as the wait ended
			return a.t, a.err
		default:
		}
		if err := p.Ctx.Err(); err != nil {
			return nil, fmt.Errorf("no %s appeared before the page ended: %w", kind, err)
		}
		return nil, fmt.Errorf("no %s appeared within %v", kind, timeout)
	}
}

// watch sees every target the page's session hears of, and follows the
// page's own: dedicated workers through auto-attach, popups by opener,
// shared workers by browser context.
func (p *Page) watch(ev any) {
	var info *target.Info
	var kind Kind
	switch ev := ev.(type) {
	case *target.EventAttachedToTarget:
		if ev.TargetInfo.Type == "worker" {
			info, kind = ev.TargetInfo, Worker
		}
	case *target.EventTargetCreated:
		info, kind = p.childKind(ev.TargetInfo)
	case *target.EventTargetInfoChanged:
		info, kind = p.childKind(ev.TargetInfo)
	}
	if info == nil {
		return
	}
	p.mu.Lock()
	if p.seen[info.TargetID] {
		p.mu.Unlock()
		return
	}
	p.seen[info.TargetID] = true
	var w *waiter
	if i := slices.IndexFunc(p.waiters, func(w *waiter) bool { return w.kind == kind }); i >= 0 {
		w = p.waiters[i]
		p.waiters = slices.Delete(p.waiters, i, i+1)
	}
	follow := slices.Contains(p.o.Follow, kind)
	p.mu.Unlock()
	if w != nil || follow {
		p.attaching.Add(1)
		go p.follow(kind, info, w) // attaching waits on events this goroutine delivers
	}
}

func (p *Page) childKind(info *target.Info) (*target.Info, Kind) {
	switch {
	case info.Type == "page" && info.OpenerID == p.ID && !info.Attached:
		return info, Popup
	case info.Type == "shared_worker" && info.BrowserContextID == p.browser:
		return info, SharedWorker
	}
	return nil, ""
}

// follow attaches to a target, captures its output and hands it to w.
// Messages a worker logged before the attach are replayed when the
// Runtime domain is enabled.
func (p *Page) follow(kind Kind, info *target.Info, w *waiter) {
	defer p.attaching.Done()
	ctx, _ := chromedp.NewContext(p.Ctx, chromedp.WithTargetID(info.TargetID)) // ends with the page
	capture(ctx, string(kind), p.o.Output)
	if w != nil {
		for _, l := range w.listen {
			chromedp.ListenTarget(ctx, l)
		}
	}
	var actions []chromedp.Action
	if p.o.Quiet {
		actions = append(actions, network.Disable(), log.Disable())
	}
	t := &Target{Ctx: ctx, ID: info.TargetID, Kind: kind, URL: info.URL}
	err := attach(ctx, p.o.Timeout, fmt.Sprintf("attaching to the %s %s", kind, info.URL), actions...)
	if w != nil {
		w.got <- attached{t, err}
	} else if err != nil && p.Ctx.Err() == nil && p.o.Output != nil {
		// A worker that has already stopped cannot be followed.
		p.o.Output(Output{From: string(kind), Kind: Note, Text: err.Error()})
	}
}

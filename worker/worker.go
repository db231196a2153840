package worker

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/snworker/snworker/bridge"
	"golang.org/x/oauth2"
)

// Worker answers the bridge's requests for one connection.
type Worker struct {
	client  *http.Client
	emit    func(bridge.Event)
	now     func() time.Time
	timeout time.Duration // of each call to the token and revoke endpoints

	mu      sync.Mutex
	cfg     *config
	tokens  *tokens
	flow    *flow
	closed  bool
	pending map[int64]context.CancelCauseFunc

	exchanges sync.WaitGroup // code exchanges under way, which disconnect waits for
	late      []bool         // whether what each brought after disconnect was revoked
}

// New returns a Worker that sends HTTP requests with client and events
// with emit. emit may be called from any goroutine.
func New(client *http.Client, emit func(bridge.Event)) *Worker {
	return &Worker{client: client, emit: emit, now: time.Now, timeout: 30 * time.Second,
		pending: map[int64]context.CancelCauseFunc{}}
}

var (
	errNotInit = bridge.Errorf(bridge.NameInitialization, "the worker is not initialised; send init first")
	errClosed  = bridge.Errorf(bridge.NameTokenExpired, "the connection is closed (disconnected); call connect() again")
	errAborted = bridge.Errorf(bridge.NameAbort, "the request was cancelled")
	errEnded   = bridge.Errorf(bridge.NameAbort, "the request was cancelled: the connection was closed")
)

// Handle answers req by calling reply once, later and from another
// goroutine for operations that wait on the network. Work that can be
// cancelled is registered before Handle returns.
func (w *Worker) Handle(req bridge.Request, reply func(bridge.Reply)) {
	answer := func(result any, body *payload, err *bridge.Error) {
		switch {
		case err != nil:
			reply(bridge.Reply{ID: req.ID, Error: err})
		case body != nil:
			reply(bridge.Reply{ID: req.ID, Result: result, Body: body.bytes, Raw: body.raw})
		default:
			reply(bridge.Reply{ID: req.ID, Result: result})
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if req.Op == bridge.OpInit {
		answer(w.init(req.Params.(*bridge.InitParams)))
		return
	}
	if w.cfg == nil {
		answer(nil, nil, errNotInit)
		return
	}
	if w.closed {
		answer(nil, nil, errClosed)
		return
	}
	switch p := req.Params.(type) {
	case *bridge.CancelParams:
		cancel, ok := w.pending[p.ID]
		if ok {
			cancel(errAborted)
		}
		answer(map[string]bool{"cancelled": ok}, nil, nil)
	case *bridge.BeginParams:
		if w.tokens.connected() {
			answer(nil, nil, authErr("already connected; a new authorization needs a new connection: call connect() again"))
			return
		}
		f, res, err := w.cfg.begin(p)
		if err == nil {
			w.flow = f
			w.log("info", "authorization started")
		}
		answer(res, nil, err)
	case *bridge.CompleteParams:
		f := w.flow
		w.flow = nil // one try per flow: a replayed or forged redirect finds none
		if f == nil {
			answer(nil, nil, authErr("no authorization is in progress (it was completed, failed or never begun); call connect() again"))
			return
		}
		// Not cancellable: once the code is out, the instance issues tokens
		// whether or not the answer is read, so the exchange finishes and a
		// disconnect meanwhile revokes what it brings.
		ctx, cancel := context.WithTimeout(context.Background(), w.timeout)
		w.exchanges.Add(1)
		go func() {
			defer w.exchanges.Done()
			defer cancel()
			tok, err := w.cfg.complete(ctx, w.client, f, p.Query)
			if err == nil {
				w.mu.Lock()
				closed := w.closed
				if !closed {
					w.tokens.set(tok)
				}
				w.mu.Unlock()
				if closed { // revoked before the reply, after which the page may end the worker
					ok := w.revokeAll(tok)
					w.mu.Lock()
					w.late = append(w.late, ok)
					w.mu.Unlock()
					err = errClosed
				} else {
					w.log("info", "connected")
				}
			}
			answer(struct{}{}, nil, err)
		}()
	case *bridge.RequestParams:
		if _, dup := w.pending[req.ID]; dup {
			answer(nil, nil, paramErr("id %d is already in use by a pending request; want a new id", req.ID))
			return
		}
		ctx, done := w.track(req.ID, 0)
		go func() {
			defer done()
			res, body, err := w.api(ctx, p, req.Body)
			answer(res, body, err)
		}()
	case *bridge.DisconnectParams:
		w.closed = true
		for _, cancel := range w.pending {
			cancel(errEnded)
		}
		toks := w.tokens.take()
		go func() {
			some, revoked := len(toks) > 0, len(toks) == 0 || w.revokeAll(toks...)
			w.exchanges.Wait() // an exchange under way finishes and revokes what it brought
			w.mu.Lock()
			for _, ok := range w.late {
				some, revoked = true, revoked && ok
			}
			w.mu.Unlock()
			revoked = some && revoked
			w.log("info", "disconnected")
			w.emit(bridge.Event{Event: bridge.EventDisconnected}) // before the reply, after which the page may end the worker
			answer(map[string]bool{"revoked": revoked}, nil, nil)
		}()
	default:
		answer(nil, nil, paramErr("op %q cannot be handled here", req.Op))
	}
}

func (w *Worker) init(p *bridge.InitParams) (any, *payload, *bridge.Error) {
	if w.cfg != nil {
		return nil, nil, bridge.Errorf(bridge.NameInitialization, "the worker is already initialised; start a new worker for another connection")
	}
	cfg, err := newConfig(p)
	if err != nil {
		return nil, nil, err
	}
	w.cfg = cfg
	if p.TimeoutMS > 0 {
		w.timeout = time.Duration(p.TimeoutMS) * time.Millisecond
	}
	w.tokens = &tokens{oauth: cfg.oauth, client: w.client, now: w.now, timeout: w.timeout,
		event: func(name string) {
			w.log("info", "token event: "+name)
			w.emit(bridge.Event{Event: name})
		},
		discard: func(tok *oauth2.Token) { w.revokeAll(tok) },
	}
	return struct{}{}, nil, nil
}

// track registers cancellable work under id; done unregisters it.
func (w *Worker) track(id int64, timeout time.Duration) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	stop := func() {}
	if timeout > 0 {
		var c context.CancelFunc
		ctx, c = context.WithTimeout(ctx, timeout)
		stop = c
	}
	w.pending[id] = cancel
	return ctx, func() {
		stop()
		cancel(nil)
		w.mu.Lock()
		delete(w.pending, id)
		w.mu.Unlock()
	}
}

// revokeAll revokes each token's refresh token, then its access token, and
// reports whether there were tokens and all were revoked.
func (w *Worker) revokeAll(toks ...*oauth2.Token) bool {
	ctx, cancel := context.WithTimeout(context.Background(), w.timeout)
	defer cancel()
	ok, some := true, false
	for _, tok := range toks {
		if tok == nil {
			continue
		}
		for _, t := range []struct{ value, hint string }{{tok.RefreshToken, "refresh_token"}, {tok.AccessToken, "access_token"}} {
			if t.value == "" {
				continue
			}
			some = true
			if err := w.cfg.revoke(ctx, w.client, t.value, t.hint); err != nil {
				w.log("warn", "could not revoke the "+t.hint+": "+err.Error())
				ok = false
			}
		}
	}
	return ok && some
}

func (w *Worker) log(level, msg string) {
	w.emit(bridge.Event{Event: bridge.EventLog, Data: bridge.LogEntry{Level: level, Message: msg}})
}

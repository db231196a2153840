package worker

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/snworker/snworker/bridge"
	"golang.org/x/oauth2"
)

// Worker answers the module's requests for one connection.
type Worker struct {
	client  *http.Client
	out     func(envelope []byte, body bridge.Body)
	now     func() time.Time
	timeout time.Duration // of each call to the token and revoke endpoints
	secrets secrets       // what no message may carry

	mu      sync.Mutex
	cfg     *config
	tokens  *tokens
	flow    *flow
	closed  bool
	pending map[int64]context.CancelCauseFunc
	fetcher Fetcher             // the fast path's, if it is on
	fast    map[int32]*fastCall // by fetch id
}

// New returns a Worker that sends HTTP requests with client and posts
// every message, replies and events alike, through out: the wire JSON of
// the envelope and the body to hand over with it. out may be called from
// any goroutine.
func New(client *http.Client, out func(envelope []byte, body bridge.Body)) *Worker {
	return &Worker{client: client, out: out, now: time.Now, timeout: 30 * time.Second,
		pending: map[int64]context.CancelCauseFunc{}}
}

var (
	errNotInit = bridge.Errorf(bridge.NameInitialization, "the worker is not initialised; send init first")
	errClosed  = bridge.Errorf(bridge.NameTokenExpired, "the connection is closed (disconnected); call connect() again")
	errAborted = bridge.Errorf(bridge.NameAbort, "the request was cancelled")
	errEnded   = bridge.Errorf(bridge.NameAbort, "the request was cancelled: the connection was closed")
)

// post is the one place where the worker's messages leave it: no token or
// code verifier it holds, or ever held, gets past it.
func (w *Worker) post(v any, body bridge.Body) {
	env := w.secrets.redact(bridge.Marshal(v))
	if b, ok := body.(bridge.Bytes); ok {
		body = bridge.Bytes(w.secrets.redact(b))
	}
	w.out(env, body)
}

func (w *Worker) reply(id int64, result any, body bridge.Body, err *bridge.Error) {
	if err != nil {
		w.post(bridge.Reply{ID: id, Error: err}, nil)
		return
	}
	w.post(bridge.Reply{ID: id, Result: result, Body: body}, body)
}

func (w *Worker) emit(e bridge.Event) { w.post(e, nil) }

// Refuse answers a message that could not be read as a request at all.
func (w *Worker) Refuse(err *bridge.Error) { w.reply(0, nil, nil, err) }

// Receive decodes a request and handles it; a request that does not decode
// is answered with the decoding error.
func (w *Worker) Receive(envelope []byte, body bridge.Body) {
	req, err := bridge.DecodeRequest(envelope, body)
	if err != nil {
		w.reply(req.ID, nil, nil, err)
		return
	}
	w.dispatch(req)
}

// dispatch answers a decoded request, later and from another goroutine for
// operations that wait on the network. Work that can be cancelled is
// registered before dispatch returns.
func (w *Worker) dispatch(req bridge.Request) {
	if _, ok := req.Params.(*bridge.PingParams); ok {
		w.reply(req.ID, bridge.Done{}, nil, nil)
		return
	}
	w.mu.Lock()
	start, err := w.handle(req)
	w.mu.Unlock()
	if err != nil {
		w.reply(req.ID, nil, nil, err)
	} else if start != nil {
		go start()
	}
}

// handle runs under w.mu. It answers at once through an error, or returns
// the work to start once the lock is released; that work replies.
func (w *Worker) handle(req bridge.Request) (func(), *bridge.Error) {
	answer := func(result any) func() { return func() { w.reply(req.ID, result, nil, nil) } }
	if p, ok := req.Params.(*bridge.InitParams); ok {
		if err := w.init(p); err != nil {
			return nil, err
		}
		return answer(bridge.Done{}), nil
	}
	if w.cfg == nil {
		return nil, errNotInit
	}
	if w.closed {
		return nil, errClosed
	}
	if _, dup := w.pending[req.ID]; dup {
		return nil, paramErr("id %d is already in use by a pending request; want a new id", req.ID)
	}
	switch p := req.Params.(type) {
	case *bridge.CancelParams:
		cancel, ok := w.pending[p.ID]
		if ok {
			cancel(errAborted)
		}
		return answer(bridge.CancelResult{Cancelled: ok}), nil
	case *bridge.BeginParams:
		if w.tokens.connected() {
			return nil, authErr("already connected; a new authorization needs a new connection: call connect() again")
		}
		f, res, err := w.cfg.begin(p)
		if err != nil {
			return nil, err
		}
		w.secrets.add(f.verifier)
		w.flow = f
		return func() {
			w.log("info", "authorization started")
			w.reply(req.ID, res, nil, nil)
		}, nil
	case *bridge.CompleteParams:
		f := w.flow
		w.flow = nil // one try per flow: a replayed or forged redirect finds none
		if f == nil {
			return nil, authErr("no authorization is in progress (it was completed, failed or never begun); call connect() again")
		}
		ctx, done := w.track(req.ID, w.timeout)
		return func() {
			defer done()
			w.reply(req.ID, bridge.Done{}, nil, w.complete(ctx, f, p.Query))
		}, nil
	case *bridge.RequestParams:
		ctx, done := w.track(req.ID, 0)
		return func() {
			defer done()
			res, body, err := w.api(ctx, p, req.Body)
			w.reply(req.ID, res, body, err)
		}, nil
	case *bridge.DisconnectParams:
		w.closed = true
		for _, cancel := range w.pending {
			cancel(errEnded)
		}
		tok := w.tokens.take()
		return func() {
			revoked := w.revokeAll(tok)
			w.log("info", "disconnected")
			w.emit(bridge.Event{Event: bridge.EventDisconnected}) // before the reply, after which the page may end the worker
			w.reply(req.ID, bridge.DisconnectResult{Revoked: revoked}, nil, nil)
		}, nil
	}
	panic(fmt.Sprintf("worker: no handler for %T", req.Params)) // DecodeRequest makes no other
}

// complete exchanges the redirect's code for tokens and keeps them, unless
// the connection closed meanwhile: then they are revoked.
func (w *Worker) complete(ctx context.Context, f *flow, query string) *bridge.Error {
	tok, err := w.cfg.complete(ctx, w.client, f, query)
	if err != nil {
		return err
	}
	w.secrets.addToken(tok)
	w.mu.Lock()
	closed := w.closed
	if !closed {
		w.tokens.set(tok)
	}
	w.mu.Unlock()
	if closed {
		w.revokeAll(tok)
		return errClosed
	}
	w.log("info", "connected")
	return nil
}

func (w *Worker) init(p *bridge.InitParams) *bridge.Error {
	if w.cfg != nil {
		return bridge.Errorf(bridge.NameInitialization, "the worker is already initialised; start a new worker for another connection")
	}
	cfg, err := newConfig(p)
	if err != nil {
		return err
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
		received: w.secrets.addToken,
		discard:  func(tok *oauth2.Token) { w.revokeAll(tok) },
	}
	return nil
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

// revokeAll revokes the refresh token, then the access token, and reports
// whether both were revoked.
func (w *Worker) revokeAll(tok *oauth2.Token) bool {
	if tok == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), w.timeout)
	defer cancel()
	ok := true
	for _, t := range []struct{ value, hint string }{{tok.RefreshToken, "refresh_token"}, {tok.AccessToken, "access_token"}} {
		if t.value == "" {
			continue
		}
		if err := w.cfg.revoke(ctx, w.client, t.value, t.hint); err != nil {
			w.log("warn", "could not revoke the "+t.hint+": "+err.Error())
			ok = false
		}
	}
	return ok
}

func (w *Worker) log(level, msg string) {
	w.emit(bridge.Event{Event: bridge.EventLog, Data: bridge.LogEntry{Level: level, Message: msg}})
}

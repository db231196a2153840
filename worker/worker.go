package worker

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/snworker/snworker/bridge"
	"golang.org/x/oauth2"
)

// Worker answers the module's requests for one connection.
type Worker struct {
	Origin string // the worker's own origin, named in errors

	client  *http.Client
	out     func(envelope []byte, body bridge.Body)
	now     func() time.Time
	timeout time.Duration // of each call to the token and revoke endpoints
	secrets secrets       // what no message may carry

	// route, set by Sessions, maps the ID of a request to its caller's own
	// ID and port, told whether the request succeeded; ok is false when the
	// caller is gone.
	route func(id int64, succeeded bool) (callerID int64, out func([]byte, bridge.Body), ok bool)

	mu      sync.Mutex
	cfg     *config
	found   *discovery // nil unless the endpoints are being found
	tokens  *tokens
	flow    *flow
	closed  bool
	pending map[int64]context.CancelCauseFunc

	exchanges sync.WaitGroup      // code exchanges under way, which disconnect waits for
	late      []bool              // whether what each brought after disconnect was revoked
	fetcher   Fetcher             // the fast path's, if it is on
	fast      map[int32]*fastCall // by fetch id
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
func (w *Worker) post(out func([]byte, bridge.Body), v any, body bridge.Body) {
	// An error's data is the server's JSON as it came: escaped forms of a
	// secret in it are found only by reading it.
	if r, ok := v.(bridge.Reply); ok && r.Error != nil && len(r.Error.Data) > 0 {
		e := *r.Error
		e.Data = w.secrets.redactJSON(e.Data)
		r.Error = &e
		v = r
	}
	env := w.secrets.redact(bridge.Marshal(v))
	if b, ok := body.(bridge.Bytes); ok {
		body = bridge.Bytes(w.secrets.redact(b))
	}
	out(env, body)
}

func (w *Worker) reply(id int64, result any, body bridge.Body, err *bridge.Error) {
	out := w.out
	if w.route != nil {
		var ok bool
		if id, out, ok = w.route(id, err == nil); !ok {
			return // the window that asked is gone
		}
	}
	if err != nil {
		w.post(out, bridge.Reply{ID: id, Error: err}, nil)
		return
	}
	w.post(out, bridge.Reply{ID: id, Result: result, Body: body}, body)
}

func (w *Worker) emit(e bridge.Event) { w.post(w.out, e, nil) }

// Refuse answers a message that could not be read as a request at all.
func (w *Worker) Refuse(err *bridge.Error) { w.reply(0, nil, nil, err) }

// Receive takes a message the full way: decoded, then handled.
func (w *Worker) Receive(envelope []byte, body bridge.Body) { w.Handle(Decode(envelope, body)) }

// Handle answers a decoded message, later and from another goroutine for
// operations that wait on the network; what Fast prepared for it is used.
// Work that can be cancelled is registered before Handle returns.
func (w *Worker) Handle(m *Message) {
	if m.err != nil {
		w.reply(m.req.ID, nil, nil, m.err)
		return
	}
	if _, ok := m.req.Params.(*bridge.PingParams); ok {
		w.reply(m.req.ID, bridge.Done{}, nil, nil)
		return
	}
	w.mu.Lock()
	start, err := w.handle(m)
	w.mu.Unlock()
	if err != nil {
		w.reply(m.req.ID, nil, nil, err)
	} else if start != nil {
		go start()
	}
}

// dispatch answers a request a session forwards.
func (w *Worker) dispatch(req bridge.Request) { w.Handle(&Message{req: req}) }

// admit is the guard of every request but init, under w.mu.
func (w *Worker) admit(id int64) *bridge.Error {
	if w.cfg == nil {
		return errNotInit
	}
	if w.closed {
		return errClosed
	}
	if _, dup := w.pending[id]; dup {
		return paramErr("id %d is already in use by a pending request; want a new id", id)
	}
	return nil
}

// handle runs under w.mu. It answers at once through an error, or returns
// the work to start once the lock is released; that work replies.
func (w *Worker) handle(m *Message) (func(), *bridge.Error) {
	req := m.req
	switch p := req.Params.(type) {
	case *bridge.AttachParams, *bridge.SetUserParams, *bridge.DetachParams:
		return nil, bridge.Errorf(bridge.NameInitialization, "op %q is for a shared worker; this one is dedicated: send init", req.Op)
	case *bridge.InitParams:
		if err := w.init(p); err != nil {
			return nil, err
		}
		return w.replyLater(req.ID, bridge.Done{}), nil
	}
	if err := w.admit(req.ID); err != nil {
		return nil, err
	}
	switch p := req.Params.(type) {
	case *bridge.CancelParams:
		cancel, ok := w.pending[p.ID]
		if ok {
			cancel(errAborted)
		}
		return w.replyLater(req.ID, bridge.CancelResult{Cancelled: ok}), nil
	case *bridge.BeginParams:
		return w.begin(req.ID, p)
	case *bridge.CompleteParams:
		return w.completeOp(req.ID, p)
	case *bridge.EndpointsParams:
		return w.endpointsOp(req.ID), nil
	case *bridge.RequestParams:
		return w.request(m, p), nil
	case *bridge.DisconnectParams:
		return w.disconnect(req.ID), nil
	}
	panic(fmt.Sprintf("worker: no handler for %T", req.Params)) // DecodeRequest makes no other
}

// replyLater is work that replies result to request id.
func (w *Worker) replyLater(id int64, result any) func() {
	return func() { w.reply(id, result, nil, nil) }
}

func (w *Worker) begin(id int64, p *bridge.BeginParams) (func(), *bridge.Error) {
	if w.tokens.connected() {
		return nil, authErr("already connected; a new authorization needs a new connection: call connect() again")
	}
	f, res, err := w.cfg.begin(p)
	if err != nil {
		return nil, err
	}
	w.finding() // while the user signs in
	w.secrets.add(f.verifier)
	w.flow = f
	return func() {
		w.log("info", "authorization started")
		w.reply(id, res, nil, nil)
	}, nil
}

func (w *Worker) completeOp(id int64, p *bridge.CompleteParams) (func(), *bridge.Error) {
	f := w.flow
	w.flow = nil // one try per flow: a replayed or forged redirect finds none
	if f == nil {
		return nil, authErr("no authorization is in progress (it was completed, failed or never begun); call connect() again")
	}
	// Not cancellable: once the code is out, the instance issues tokens
	// whether or not the answer is read, so the exchange finishes and a
	// disconnect meanwhile revokes what it brings.
	ctx, cancel := context.WithTimeout(context.Background(), w.timeout)
	found := w.finding()
	w.exchanges.Add(1)
	return func() {
		defer w.exchanges.Done()
		defer cancel()
		err := found.wait(ctx)
		if err == nil {
			err = w.complete(ctx, f, p.Query)
		}
		w.reply(id, bridge.Done{}, nil, err)
	}, nil
}

func (w *Worker) endpointsOp(id int64) func() {
	ctx, done := w.track(id, 0)
	found, cfg := w.finding(), w.cfg
	return func() {
		err := found.wait(ctx)
		done() // before the reply: a request that has answered is no longer pending
		if err != nil {
			w.reply(id, nil, nil, err)
			return
		}
		w.reply(id, cfg.endpoints, nil, nil)
	}
}

func (w *Worker) request(m *Message, p *bridge.RequestParams) func() {
	ctx, done := w.track(m.req.ID, 0)
	return func() {
		res, body, err := w.api(ctx, m, p)
		done() // before the reply: a request that has answered is no longer pending
		w.reply(m.req.ID, res, body, err)
	}
}

func (w *Worker) disconnect(id int64) func() {
	w.closed = true
	for _, cancel := range w.pending {
		cancel(errEnded)
	}
	toks := w.tokens.take()
	return func() {
		some, revoked := len(toks) > 0, len(toks) == 0 || w.revokeAll(toks...)
		w.exchanges.Wait() // an exchange under way finishes and revokes what it brought
		w.mu.Lock()
		for _, ok := range w.late {
			some, revoked = true, revoked && ok
		}
		w.mu.Unlock()
		revoked = some && revoked
		w.log("info", "disconnected")
		if some && !revoked {
			w.log("warn", "disconnected, but the instance did not confirm that every token is revoked: they may still be live until they expire")
		}
		// Before the reply, after which the page may end the worker.
		w.emit(bridge.Event{Event: bridge.EventDisconnected, Data: bridge.DisconnectResult{Revoked: revoked}})
		w.reply(id, bridge.DisconnectResult{Revoked: revoked}, nil, nil)
	}
}

// abandon cancels the pending request id: its caller is gone.
func (w *Worker) abandon(id int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if cancel, ok := w.pending[id]; ok {
		cancel(errAborted)
	}
}

// connected reports whether the session holds tokens.
func (w *Worker) connected() bool {
	w.mu.Lock()
	t := w.tokens
	closed := w.closed
	w.mu.Unlock()
	return !closed && t != nil && t.connected()
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
	if closed { // revoked before the reply, after which the page may end the worker
		ok := w.revokeAll(tok)
		w.mu.Lock()
		w.late = append(w.late, ok)
		w.mu.Unlock()
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

// revokeAll revokes the tokens' refresh tokens, then their access tokens,
// and reports whether there were tokens and all were revoked.
func (w *Worker) revokeAll(toks ...*oauth2.Token) bool {
	var refresh, access []string
	for _, tok := range toks {
		if tok == nil {
			continue
		}
		if tok.RefreshToken != "" {
			refresh = append(refresh, tok.RefreshToken)
		}
		if tok.AccessToken != "" {
			access = append(access, tok.AccessToken)
		}
	}
	ok := w.revokeEach(refresh, "refresh_token")
	ok = w.revokeEach(access, "access_token") && ok
	return ok && len(refresh)+len(access) > 0
}

// revokeEach revokes tokens of one kind, a few at a time as a browser
// sends them to one host, each with its own timeout: a session that
// replaced many access tokens revokes them all. It reports whether all
// were revoked.
func (w *Worker) revokeEach(tokens []string, hint string) bool {
	var wg sync.WaitGroup
	var failed atomic.Bool
	limit := make(chan struct{}, revokeAtOnce)
	for _, tok := range tokens {
		limit <- struct{}{}
		wg.Go(func() {
			defer func() { <-limit }()
			ctx, cancel := context.WithTimeout(context.Background(), w.timeout)
			defer cancel()
			if err := w.cfg.revoke(ctx, w.client, tok, hint); err != nil {
				w.log("warn", "could not revoke the "+hint+": "+err.Error())
				failed.Store(true)
			}
		})
	}
	wg.Wait()
	return !failed.Load()
}

// revokeAtOnce bounds the revocation requests under way at once.
const revokeAtOnce = 4

func (w *Worker) log(level, msg string) {
	w.emit(bridge.Event{Event: bridge.EventLog, Data: bridge.LogEntry{Level: level, Message: msg}})
}

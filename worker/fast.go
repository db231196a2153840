package worker

import (
	"errors"
	"net/http"

	"github.com/snworker/snworker/bridge"
)

// The fast path. An API request that needs no decision beyond "send it
// with the token" is sent, and a 2xx answered, synchronously, each on one
// entry into Go: no goroutine, context or http.Request. Everything else
// takes the full path (Receive, Resume): an init, a closed session, a
// duplicate or invalid request, a token that is missing, due for renewal
// or being renewed; and any answer other than a 2xx within maxResponse
// (401, other statuses, redirects, failed or cancelled fetches). TryFast
// and Fetched are where that split is made.

// Fetcher sends requests for the fast path without Go waiting on them:
// the outcome of each comes back through Worker.Fetched.
type Fetcher interface {
	// Fetch starts one request and returns its id.
	Fetch(method, url, headerLines string, body bridge.Body) int32
	// Abort ends the request early; its outcome is still reported.
	Abort(id int32)
}

// fastCall is an API request sent on the fast path.
type fastCall struct {
	req    int64 // the request's id
	call   *call
	access string
	cause  error // why it was cancelled, if it was; under w.mu
}

// UseFetcher turns the fast path on: TryFast sends through f.
func (w *Worker) UseFetcher(f Fetcher) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fetcher = f
	w.fast = map[int32]*fastCall{}
}

// TryFast sends an API request on the fast path and reports true, or does
// nothing and reports false: then the message takes Receive. It never
// blocks.
func (w *Worker) TryFast(envelope []byte, msgBody bridge.Body) bool {
	if w.fetcher == nil {
		return false
	}
	req, err := bridge.DecodeRequest(envelope, msgBody)
	p, ok := req.Params.(*bridge.RequestParams)
	if err != nil || !ok || !w.mu.TryLock() {
		return false
	}
	defer w.mu.Unlock()
	if _, dup := w.pending[req.ID]; dup || w.cfg == nil || w.closed {
		return false
	}
	c, err := w.prepare(p, req.Body)
	if err != nil {
		return false
	}
	access, ok := w.tokens.current()
	if !ok {
		return false
	}
	h := c.withToken(access)
	var body bridge.Body
	if c.body != nil && c.body.Len() > 0 { // as send attaches it
		body = c.body
	}
	id := w.fetcher.Fetch(c.method, c.url.String(), headerLines(h), body)
	f := &fastCall{req: req.ID, call: c, access: access}
	w.fast[id] = f
	w.pending[req.ID] = func(cause error) {
		if f.cause == nil {
			f.cause = cause
			w.fetcher.Abort(id)
		}
	}
	return true
}

// Fetched takes the outcome of fast request id: its status (-1 when the
// fetch failed, with the message as headerLines), header lines and body.
// It answers a 2xx at once and reports true. For anything else it reports
// false, having done nothing: pass the same outcome to Resume. It never
// blocks.
func (w *Worker) Fetched(id int32, status int, headerLines string, body bridge.Body) bool {
	if status/100 != 2 || body == nil || body.Len() > maxResponse || !w.mu.TryLock() {
		return false
	}
	f := w.fast[id]
	if f == nil || f.cause != nil {
		w.mu.Unlock()
		return false
	}
	delete(w.fast, id)
	delete(w.pending, f.req)
	w.mu.Unlock()
	res := fetchedResponse(status, headerLines, body)
	r, b := success(status, res.Header, body, f.call.suppress)
	w.reply(f.req, r, b, nil)
	return true
}

// Resume answers fast request id on the full path, from the outcome that
// Fetched left: a 401 renews the token and sends the request again, other
// answers become errors. It returns at once.
func (w *Worker) Resume(id int32, status int, headerLines string, body bridge.Body) {
	w.mu.Lock()
	f := w.fast[id]
	delete(w.fast, id)
	if f == nil {
		w.mu.Unlock()
		return
	}
	ctx, done := w.track(f.req, 0)
	if f.cause != nil {
		w.pending[f.req](f.cause)
	}
	w.mu.Unlock()
	go func() {
		var res *http.Response
		var err error
		if status < 0 {
			err = errors.New("fetch failed: " + headerLines)
		} else {
			res = fetchedResponse(status, headerLines, body)
		}
		sentRes, serr := sent(ctx, res, err)
		r, b, aerr := w.answer(ctx, f.call, f.access, sentRes, serr)
		done() // before the reply: a request that has answered is no longer pending
		w.reply(f.req, r, b, aerr)
	}()
}

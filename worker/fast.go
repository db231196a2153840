package worker

import (
	"errors"
	"net/http"

	"github.com/snworker/snworker/bridge"
)

// The fast path (see pipeline.go): each step runs on one entry into Go,
// with no goroutine, context or http.Request. Fetched answers a 2xx within
// maxResponse; any other answer (401, other statuses, redirects, failed or
// cancelled fetches) goes to Resume.

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

// TryFast decodes a message and offers it to Fast.
func (w *Worker) TryFast(envelope []byte, body bridge.Body) bool {
	return w.Fast(Decode(envelope, body))
}

// Fast is the pipeline's synchronous first step: it sends an API request
// that needs nothing but the token and reports true, or reports false,
// leaving m to Handle with the call it prepared. It never blocks.
func (w *Worker) Fast(m *Message) bool {
	p, ok := m.req.Params.(*bridge.RequestParams)
	if w.fetcher == nil || m.err != nil || !ok || !w.mu.TryLock() {
		return false
	}
	defer w.mu.Unlock()
	if w.admit(m.req.ID) != nil {
		return false
	}
	c, err := m.prepare(w, p)
	if err != nil {
		return false
	}
	access, ok := w.tokens.current()
	if !ok {
		return false
	}
	id := w.fetcher.Fetch(c.method, c.url.String(), HeaderLines(c.withToken(access)), c.sendBody())
	f := &fastCall{req: m.req.ID, call: c, access: access}
	w.fast[id] = f
	w.pending[m.req.ID] = func(cause error) {
		if f.cause == nil {
			f.cause = cause
			w.fetcher.Abort(id)
		}
	}
	return true
}

// answerable reports whether a fetched response is answered on the fast
// path: a 2xx whose body is within maxResponse.
func answerable(status int, body bridge.Body) bool {
	return status/100 == 2 && body != nil && body.Len() <= maxResponse
}

// Fetched takes the outcome of fast request id: its status (-1 when the
// fetch failed, with the message as headerLines), header lines and body.
// It answers a 2xx at once and reports true. For anything else it reports
// false, having done nothing: pass the same outcome to Resume. It never
// blocks.
func (w *Worker) Fetched(id int32, status int, headerLines string, body bridge.Body) bool {
	if !answerable(status, body) || !w.mu.TryLock() {
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
	res := FetchedResponse(status, headerLines, body)
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
			res = FetchedResponse(status, headerLines, body)
		}
		sentRes, serr := sent(ctx, res, err)
		r, b, aerr := w.answer(ctx, f.call, f.access, sentRes, serr)
		done() // before the reply: a request that has answered is no longer pending
		w.reply(f.req, r, b, aerr)
	}()
}

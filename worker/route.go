package worker

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/snworker/snworker/bridge"
)

// Every API request takes one route through the worker: it is decided
// (admit) and prepared (prepare) as it arrives, then sent with the access
// token through the Sender, and its answer is read when the Sender reports
// it. Renewing the token is a step on that route: taken before the send
// when the token is due, and once after a 401, before sending again. Only
// renewal waits on the network, on a goroutine; the other steps run where
// they are called, so a plain request with a live token makes no
// goroutine, context or http.Request.

// A Sender sends the worker's API requests without Go waiting on them (in
// the browser, the bootstrap's fetch): no redirect is followed and no
// cookie is sent. Send starts one and calls done once with its outcome,
// from any goroutine but never before Send returns; abort ends it early,
// and its outcome, a failure, still comes.
type Sender interface {
	Send(r *Outgoing, done func(*Incoming)) (abort func())
}

// Outgoing is one API request as the Sender sends it.
type Outgoing struct {
	Method, URL string
	Header      http.Header
	Body        bridge.Body // nil: none
}

// Incoming is what a Sender reports for one request: a response whose
// body fetch has read whole and decoded, or a failure.
type Incoming struct {
	Status int               // 0 for a redirect, which is not followed
	Header map[string]string // as fetch gives them: lower-case names, values joined
	Body   bridge.Body
	Err    string // why the request failed; "" when the instance answered
}

// apiCall is one API request on its route.
type apiCall struct {
	w       *Worker
	id      int64
	call    *call
	access  string        // the token it was last sent with
	renewed bool          // it was answered 401 once and sent again
	abort   func()        // the send in flight; under w.mu
	stop    func(error)   // ends the renewal under way; under w.mu
	cause   *bridge.Error // why it was cancelled; under w.mu
}

// request starts API request m on its route; w.mu is held. It returns
// the renewal to run first when the token is not live.
func (w *Worker) request(m *Message, p *bridge.RequestParams) (func(), *bridge.Error) {
	c, err := w.prepare(p, m.req.Body)
	if err != nil {
		return nil, err
	}
	a := &apiCall{w: w, id: m.req.ID, call: c}
	w.pending[a.id] = a.cancel
	if access, ok := w.tokens.current(); ok {
		a.send(access)
		return nil, nil
	}
	return func() { a.renew("") }, nil
}

// cancel ends the call with cause (errAborted, errEnded): the send in
// flight is aborted and answers with cause; w.mu is held.
func (a *apiCall) cancel(cause error) {
	if a.cause != nil {
		return
	}
	a.cause, _ = cause.(*bridge.Error)
	if a.cause == nil {
		a.cause = errAborted
	}
	if a.abort != nil {
		a.abort()
	}
	if a.stop != nil {
		a.stop(a.cause)
	}
}

// send sends the call with access; w.mu is held.
func (a *apiCall) send(access string) {
	a.access = access
	a.abort = a.w.send.Send(&Outgoing{Method: a.call.method, URL: a.call.url.String(),
		Header: a.call.withToken(access), Body: a.call.sendBody()}, a.answer)
}

// renew waits for an access token other than stale (renewed if need be)
// and sends the call with it.
func (a *apiCall) renew(stale string) {
	w := a.w
	ctx, stop := context.WithCancelCause(context.Background())
	defer stop(nil)
	w.mu.Lock()
	if a.cause != nil {
		stop(a.cause)
	}
	a.stop = stop
	w.mu.Unlock()
	access, err := w.tokens.access(ctx, stale)
	w.mu.Lock()
	a.stop = nil
	if err == nil && a.cause != nil {
		err = a.cause
	}
	if err == nil {
		a.send(access)
	}
	w.mu.Unlock()
	if err != nil {
		a.finish(nil, nil, err)
	}
}

// answer reads the instance's answer. A first 401 renews the token and
// sends the call again.
func (a *apiCall) answer(in *Incoming) {
	w := a.w
	w.mu.Lock()
	a.abort = nil
	cause := a.cause
	w.mu.Unlock()
	switch {
	case cause != nil:
		a.finish(nil, nil, cause)
	case in.Err != "":
		a.finish(nil, nil, &bridge.Error{Name: bridge.NameAPIRequest, Message: "the request to the instance failed: " + in.Err + "; check the network and the instance's CORS rules"})
	case in.Status == 0 || in.Status/100 == 3:
		a.finish(nil, nil, &bridge.Error{Name: bridge.NameAPIRequest, Status: in.Status,
			Message: "the instance answered with a redirect, which is not followed so that the token stays on the instance"})
	case in.Status == http.StatusUnauthorized && !a.renewed:
		a.renewed = true
		w.log("info", "the instance refused the access token (401); renewing it")
		go a.renew(a.access)
	case in.Status == http.StatusUnauthorized:
		w.tokens.drop(a.access)
		a.finish(nil, nil, bridge.Errorf(bridge.NameTokenExpired, "the instance refused a renewed access token (401); call connect() again"))
	default:
		a.finish(read(in, a.call.suppress))
	}
}

// finish replies to the call, which is no longer pending.
func (a *apiCall) finish(res *bridge.APIResult, body bridge.Body, err *bridge.Error) {
	a.w.mu.Lock()
	delete(a.w.pending, a.id) // before the reply: a request that has answered is no longer pending
	a.w.mu.Unlock()
	a.w.reply(a.id, res, body, err)
}

// read makes the result of a response: a 2xx's body goes to the module as
// it is, unread; another status's is read for the error.
func read(in *Incoming, suppress bool) (*bridge.APIResult, bridge.Body, *bridge.Error) {
	body := in.Body
	if body == nil {
		body = bridge.Bytes(nil)
	}
	if body.Len() > maxResponse {
		return nil, nil, tooLarge(in.Status)
	}
	if in.Status/100 != 2 {
		b, err := io.ReadAll(body.Reader())
		if err != nil {
			return nil, nil, &bridge.Error{Name: bridge.NameAPIRequest, Status: in.Status,
				Message: "the response from the instance broke off: " + err.Error() + "; try again"}
		}
		return nil, nil, apiError(in.Status, b)
	}
	h := in.Header
	if h == nil {
		h = map[string]string{}
	}
	delete(h, "content-encoding") // fetch has decoded the body
	h["content-length"] = strconv.Itoa(body.Len())
	r, body := success(in.Status, h, body, suppress)
	return r, body, nil
}

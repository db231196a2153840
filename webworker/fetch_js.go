//go:build js && wasm

package webworker

import (
	"errors"
	"io"
	"net/http"
	"sync"
	"syscall/js"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/worker"
)

// heldBody is a send's response body, which the bootstrap keeps while
// Fetched answers: it is posted by id, unread.
type heldBody struct {
	id int32
	n  int
}

func (b heldBody) Len() int { return b.n }
func (b heldBody) Reader() io.Reader {
	return errReader{errors.New("worker: a fast response body is posted as it is, never read")}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// sender is the fast path's Fetcher: the bootstrap's send.
type sender struct{}

func (sender) Fetch(method, url, headerLines string, body bridge.Body) int32 {
	fetchMu.Lock()
	id := newFetchID()
	fetchMu.Unlock()
	var b any = js.Undefined()
	in, own := body.(*inbound)
	switch body := body.(type) {
	case nil:
	case *inbound:
		b = true // the message's own
	case *jsBuffer:
		b = body.v
	default:
		b = toJS(body)
	}
	sentBody := boot.Call(callSend, id, method, url, headerLines, b)
	if own && in.buf == nil && !sentBody.IsUndefined() {
		in.buf = newJSBuffer(sentBody) // for a send again on the full path
	}
	return id
}

func (sender) Abort(id int32) { boot.Call(callAbort, id) }

// fetchTransport sends requests with the Fetch API through the bootstrap's
// fetch, which reads each body whole into an ArrayBuffer that stays in JS
// (a jsBuffer). No redirect is followed (a redirect answers with status 0),
// no cookie is sent, and the HTTP cache keeps only what the instance's
// Cache-Control allows.
type fetchTransport struct{}

// fetched is what the bootstrap's fetch reports for one request.
type fetched struct {
	status  int // -1: the fetch failed
	headers string
	body    js.Value
}

var (
	fetchMu   sync.Mutex
	fetchID   int32
	inFlight  = map[int32]chan fetched{}
	fetchDone = js.FuncOf(func(_ js.Value, args []js.Value) any {
		fetchMu.Lock()
		id := int32(args[0].Int())
		ch := inFlight[id]
		delete(inFlight, id)
		fetchMu.Unlock()
		if ch != nil {
			f := fetched{status: args[1].Int(), headers: args[2].String()}
			if len(args) > 3 {
				f.body = args[3]
			}
			ch <- f
		}
		return nil
	})
)

func (fetchTransport) RoundTrip(req *http.Request) (res *http.Response, err error) {
	// A Fetch API call that throws is an error for this request, not a
	// panic that ends the worker.
	defer func() {
		if r := recover(); r != nil {
			jerr, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			res, err = nil, errors.New("fetch refused the request: "+jerr.Error())
		}
	}()
	return roundTrip(req)
}

func roundTrip(req *http.Request) (*http.Response, error) {
	body, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	ch := make(chan fetched, 1)
	fetchMu.Lock()
	id := newFetchID()
	inFlight[id] = ch
	fetchMu.Unlock()
	boot.Call(callFetch, id, req.Method, req.URL.String(), worker.HeaderLines(req.Header), body, fetchDone)
	var f fetched
	select {
	case f = <-ch:
	case <-req.Context().Done():
		boot.Call(callAbort, id)
		<-ch // the aborted fetch reports, so nothing is left behind
		return nil, req.Context().Err()
	}
	if f.status < 0 {
		return nil, errors.New("fetch failed: " + f.headers)
	}
	res := worker.FetchedResponse(f.status, f.headers, newJSBuffer(f.body))
	res.Request = req
	return res, nil
}

// newFetchID numbers fetches and sends alike; fetchMu is held.
func newFetchID() int32 {
	fetchID++
	if fetchID <= 0 {
		fetchID = 1
	}
	return fetchID
}

// requestBody is the body to give fetch: a jsBuffer as it is, anything
// else copied into a Uint8Array.
func requestBody(req *http.Request) (js.Value, error) {
	if req.Body == nil {
		return js.Undefined(), nil
	}
	defer req.Body.Close()
	switch src := worker.BodySource(req.Body).(type) {
	case *jsBuffer:
		return src.v, nil
	case *inbound:
		if src.buf != nil {
			return src.buf.v, nil
		}
	}
	b, err := io.ReadAll(req.Body)
	if err != nil || len(b) == 0 {
		return js.Undefined(), err
	}
	return toJS(bridge.Bytes(b)), nil
}

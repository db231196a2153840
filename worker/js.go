//go:build js && wasm

package worker

import (
	"errors"
	"io"
	"net/http"
	"sync"
	"syscall/js"

	"github.com/snworker/snworker/bridge"
)

var bootstrap = js.Global().Get(bridge.BootstrapGlobal)

// served is the Worker that Serve runs, for the fast path's exports.
var served *Worker

// Serve runs the worker inside a dedicated Web Worker started by
// js/worker.js: it takes requests from the bootstrap and posts replies and
// events to the page. In a SharedWorker it serves every window's port
// instead. It never returns.
func Serve() {
	if bootstrap.Get(bridge.BootstrapShared).Truthy() {
		serveShared()
	}
	served = New(&http.Client{Transport: fetchTransport{}}, func(envelope []byte, body bridge.Body) {
		bootstrap.Call(bridge.BootstrapPost, string(envelope), wireBody(body))
	})
	served.Origin = js.Global().Get("location").Get("origin").String()
	served.UseFetcher(sender{})
	first := true
	receive := js.FuncOf(func(this js.Value, args []js.Value) any {
		m := declined
		declined = nil
		if m == nil {
			envelope, body, err := readMessage(args[0])
			if err != nil {
				served.Refuse(err)
				return nil
			}
			m = Decode(envelope, body)
		}
		// A ping before anything else is prestart() asking whether the
		// worker has settled: warm it up first.
		if first && m.Ping() {
			if err := WarmUp(); err != nil {
				println(err.Error())
			}
		}
		first = false
		served.Handle(m)
		return nil
	})
	resume := js.FuncOf(func(this js.Value, args []js.Value) any {
		var body bridge.Body
		if len(args) > 3 && args[3].Type() == js.TypeObject {
			body = newJSBuffer(args[3])
		}
		served.Resume(int32(args[0].Int()), args[1].Int(), args[2].String(), body)
		return nil
	})
	// Entering Go through an export runs no other goroutine: not the
	// finalizers that free JS values, nor the garbage collector's workers.
	// The bootstrap calls tick soon after fast calls, so that they run.
	tick := js.FuncOf(func(js.Value, []js.Value) any { return nil })
	bootstrap.Call(bridge.BootstrapReady, receive, resume, tick)
	select {}
}

// exportRequest is the fast path's way in: the message is in the
// bootstrap's json and body, bodyLen is -1 when it has none.
//
//go:wasmexport snworkerRequest
func exportRequest(bodyLen int32) int32 {
	var body bridge.Body
	if bodyLen >= 0 {
		body = newJSBuffer(bootstrap.Get("body"))
	}
	m := Decode([]byte(bootstrap.Get("json").String()), body)
	if served.Fast(m) {
		return 1
	}
	declined = m // receive, called next, handles it
	return 0
}

// declined is the message exportRequest left for receive.
var declined *Message

// exportFetched takes a send's outcome; its header lines are in the
// bootstrap's lines, and its body stays there, posted by id.
//
//go:wasmexport snworkerFetched
func exportFetched(id, status, n int32) int32 {
	if served.Fetched(id, int(status), bootstrap.Get("lines").String(), heldBody{id: id, n: int(n)}) {
		return 1
	}
	return 0
}

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
	b := js.Undefined()
	switch body := body.(type) {
	case nil:
	case *jsBuffer:
		b = body.v
	default:
		b = toJS(body)
	}
	bootstrap.Call(bridge.BootstrapSend, id, method, url, headerLines, b)
	return id
}

func (sender) Abort(id int32) { bootstrap.Call(bridge.BootstrapAbort, id) }

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
	bootstrap.Call(bridge.BootstrapFetch, id, req.Method, req.URL.String(), headerLines(req.Header), body, fetchDone)
	var f fetched
	select {
	case f = <-ch:
	case <-req.Context().Done():
		bootstrap.Call(bridge.BootstrapAbort, id)
		<-ch // the aborted fetch reports, so nothing is left behind
		return nil, req.Context().Err()
	}
	if f.status < 0 {
		return nil, errors.New("fetch failed: " + f.headers)
	}
	res := fetchedResponse(f.status, f.headers, newJSBuffer(f.body))
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
	if b, ok := req.Body.(*httpBody); ok {
		if buf, ok := b.src.(*jsBuffer); ok {
			return buf.v, nil
		}
	}
	b, err := io.ReadAll(req.Body)
	if err != nil || len(b) == 0 {
		return js.Undefined(), err
	}
	return toJS(bridge.Bytes(b)), nil
}

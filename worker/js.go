//go:build js && wasm

package worker

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall/js"

	"github.com/snworker/snworker/bridge"
)

// Serve runs the worker inside a dedicated Web Worker started by
// js/worker.js: it takes requests from the bootstrap and posts replies and
// events to the page. It never returns.
func Serve() {
	post := func(msg, transfer js.Value) { js.Global().Call("postMessage", msg, transfer) }
	w := New(&http.Client{Transport: fetchTransport{}}, func(e bridge.Event) { post(bridge.Message(bridge.Marshal(e), nil)) })
	receive := js.FuncOf(func(this js.Value, args []js.Value) any {
		req, err := bridge.ReadRequest(args[0])
		if err != nil {
			post(bridge.Message(bridge.Marshal(bridge.Reply{ID: req.ID, Error: err}), nil))
			return nil
		}
		w.Handle(req, func(r bridge.Reply) { post(bridge.ReplyMessage(r)) })
		return nil
	})
	js.Global().Get("snworker").Call("ready", receive)
	select {}
}

var (
	jsUint8Array = js.Global().Get("Uint8Array")
	jsSnworker   = js.Global().Get("snworker")
)

// fetchTransport sends requests with the Fetch API through the bootstrap's
// snworker.fetch, which reads each body whole into an ArrayBuffer that stays
// in JS (see rawBody). No redirect is followed (a redirect answers with
// status 0), no cookie is sent, and nothing is cached: no bearer response
// in the HTTP cache, and no cache lock between identical requests.
type fetchTransport struct{}

// fetched is what snworker.fetch reports for one request.
type fetched struct {
	status  int // -1: the fetch failed
	headers string
	body    js.Value
}

var (
	fetchMu   sync.Mutex
	fetchID   int
	inFlight  = map[int]chan fetched{}
	fetchDone = js.FuncOf(func(_ js.Value, args []js.Value) any {
		fetchMu.Lock()
		ch := inFlight[args[0].Int()]
		delete(inFlight, args[0].Int())
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
	var lines strings.Builder
	for k, vs := range req.Header {
		lines.WriteString(k)
		lines.WriteString(": ")
		lines.WriteString(strings.Join(vs, ", "))
		lines.WriteByte('\n')
	}
	body := js.Undefined()
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		if len(b) > 0 {
			body = jsUint8Array.New(len(b))
			js.CopyBytesToJS(body, b)
		}
	}

	ch := make(chan fetched, 1)
	fetchMu.Lock()
	fetchID++
	id := fetchID
	inFlight[id] = ch
	fetchMu.Unlock()
	jsSnworker.Call("fetch", id, req.Method, req.URL.String(), lines.String(), body, fetchDone)
	var f fetched
	select {
	case f = <-ch:
	case <-req.Context().Done():
		jsSnworker.Call("abort", id)
		<-ch // the aborted fetch reports, so nothing is left behind
		return nil, req.Context().Err()
	}
	if f.status < 0 {
		return nil, errors.New("fetch failed: " + f.headers)
	}

	header := http.Header{}
	for line := range strings.Lines(f.headers) {
		if k, v, ok := strings.Cut(strings.TrimSuffix(line, "\n"), ": "); ok {
			header.Add(k, v)
		}
	}
	header.Del("Content-Encoding") // fetch has decoded the body
	rb := &jsBody{buf: f.body, n: f.body.Get("byteLength").Int()}
	header.Set("Content-Length", strconv.Itoa(rb.n))
	return &http.Response{Status: strconv.Itoa(f.status) + " " + http.StatusText(f.status), StatusCode: f.status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: header, Body: rb, ContentLength: int64(rb.n), Request: req}, nil
}

// jsBody is a response body held in JS as an ArrayBuffer. Read copies it
// into Go; Raw hands the buffer itself to the bridge.
type jsBody struct {
	buf    js.Value // ArrayBuffer
	n, off int
}

func (b *jsBody) Read(p []byte) (int, error) {
	if b.off >= b.n {
		return 0, io.EOF
	}
	k := js.CopyBytesToGo(p, jsUint8Array.New(b.buf, b.off, min(len(p), b.n-b.off)))
	b.off += k
	return k, nil
}

func (b *jsBody) Close() error { return nil }
func (b *jsBody) Len() int     { return b.n }
func (b *jsBody) Raw() any     { return b.buf }

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

var bootstrap = js.Global().Get(bridge.BootstrapGlobal)

// Serve runs the worker inside a dedicated Web Worker started by
// js/worker.js: it takes requests from the bootstrap and posts replies and
// events to the page. It never returns.
func Serve() {
	w := New(&http.Client{Transport: fetchTransport{}}, func(envelope []byte, body bridge.Body) {
		msg, transfer := message(envelope, body)
		js.Global().Call("postMessage", msg, transfer)
	})
	w.Origin = js.Global().Get("location").Get("origin").String()
	receive := js.FuncOf(func(this js.Value, args []js.Value) any {
		envelope, body, err := readMessage(args[0])
		if err != nil {
			w.Refuse(err)
		} else {
			w.Receive(envelope, body)
		}
		return nil
	})
	bootstrap.Call(bridge.BootstrapReady, receive)
	select {}
}

// fetchTransport sends requests with the Fetch API through the bootstrap's
// fetch, which reads each body whole into an ArrayBuffer that stays in JS
// (a jsBuffer). No redirect is followed (a redirect answers with status 0),
// no cookie is sent, and nothing is cached: no bearer response in the HTTP
// cache, and no cache lock between identical requests.
type fetchTransport struct{}

// fetched is what the bootstrap's fetch reports for one request.
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
	body, err := requestBody(req)
	if err != nil {
		return nil, err
	}

	ch := make(chan fetched, 1)
	fetchMu.Lock()
	fetchID++
	id := fetchID
	inFlight[id] = ch
	fetchMu.Unlock()
	bootstrap.Call(bridge.BootstrapFetch, id, req.Method, req.URL.String(), lines.String(), body, fetchDone)
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

	header := http.Header{}
	for line := range strings.Lines(f.headers) {
		if k, v, ok := strings.Cut(strings.TrimSuffix(line, "\n"), ": "); ok {
			header.Add(k, v)
		}
	}
	header.Del("Content-Encoding") // fetch has decoded the body
	buf := newJSBuffer(f.body)
	header.Set("Content-Length", strconv.Itoa(buf.n))
	return &http.Response{Status: strconv.Itoa(f.status) + " " + http.StatusText(f.status), StatusCode: f.status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: header, Body: newBody(buf), ContentLength: int64(buf.n), Request: req}, nil
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
	arr := jsUint8Array.New(len(b))
	js.CopyBytesToJS(arr, b)
	return arr, nil
}

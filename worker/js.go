//go:build js && wasm

package worker

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
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
	jsObject          = js.Global().Get("Object")
	jsHeaders         = js.Global().Get("Headers")
	jsUint8Array      = js.Global().Get("Uint8Array")
	jsAbortController = js.Global().Get("AbortController")
)

// fetchTransport sends requests with the Fetch API, as net/http does on
// js/wasm, but reads each body whole into an ArrayBuffer that stays in JS
// (see rawBody). No redirect is followed (a redirect answers with status 0)
// and no cookie is sent.
type fetchTransport struct{}

func (fetchTransport) RoundTrip(req *http.Request) (res *http.Response, err error) {
	// A Fetch API call that throws (a header it refuses, say) is an error
	// for this request, not a panic that ends the worker.
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
	opt := jsObject.New()
	opt.Set("method", req.Method)
	opt.Set("credentials", "omit")
	opt.Set("mode", "cors")
	opt.Set("redirect", "manual")
	opt.Set("cache", "no-store") // no bearer response in the HTTP cache, no cache lock between identical requests
	headers := jsHeaders.New()
	for k, vs := range req.Header {
		for _, v := range vs {
			headers.Call("append", k, v)
		}
	}
	opt.Set("headers", headers)
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		if len(b) > 0 {
			buf := jsUint8Array.New(len(b))
			js.CopyBytesToJS(buf, b)
			opt.Set("body", buf)
		}
	}
	ac := jsAbortController.New()
	opt.Set("signal", ac.Get("signal"))
	res, err := await(req.Context(), js.Global().Get("snworker").Call("fetch", req.URL.String(), opt), ac)
	if err != nil {
		return nil, err
	}

	header := http.Header{}
	pairs := res.Get("headers")
	for i, n := 0, pairs.Length(); i < n; i++ {
		pair := pairs.Index(i)
		header.Add(pair.Index(0).String(), pair.Index(1).String())
	}
	header.Del("Content-Encoding") // fetch has decoded the body
	body := &jsBody{buf: res.Get("body")}
	body.n = body.buf.Get("byteLength").Int()
	header.Set("Content-Length", strconv.Itoa(body.n))
	code := res.Get("status").Int()
	return &http.Response{Status: strconv.Itoa(code) + " " + http.StatusText(code), StatusCode: code,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: header, Body: body, ContentLength: int64(body.n), Request: req}, nil
}

// await waits for a promise, aborting ac if ctx ends first.
func await(ctx context.Context, promise, ac js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	done := make(chan result, 1)
	var then, catch js.Func
	then = js.FuncOf(func(_ js.Value, args []js.Value) any {
		then.Release()
		catch.Release()
		done <- result{v: args[0]}
		return nil
	})
	catch = js.FuncOf(func(_ js.Value, args []js.Value) any {
		then.Release()
		catch.Release()
		done <- result{err: errors.New("fetch failed: " + args[0].Call("toString").String())}
		return nil
	})
	promise.Call("then", then, catch)
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		ac.Call("abort")
		<-done
		return js.Undefined(), ctx.Err()
	}
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

//go:build js && wasm

package webworker

import (
	"errors"
	"io"
	"net/http"
	"syscall/js"
	"unsafe"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/worker"
)

var boot = js.Global().Get(global)

// served is the Worker that Serve runs, for the exports.
var served *worker.Worker

// Serve runs the worker inside a dedicated Web Worker started by
// worker.js: it takes requests from the bootstrap and posts replies and
// events to the page. In a SharedWorker it serves every window's port
// instead. It never returns.
func Serve() {
	if boot.Get(callShared).Truthy() {
		serveShared()
	}
	served = worker.New(&http.Client{Transport: fetchTransport{}}, func(envelope []byte, body bridge.Body) {
		boot.Call(callPost, string(envelope), wireBody(body))
	})
	served.Origin = js.Global().Get("location").Get("origin").String()
	served.UseFetcher(sender{})
	receive := js.FuncOf(func(this js.Value, args []js.Value) any {
		envelope, body, err := readMessage(args[0])
		if err != nil {
			served.Refuse(err)
			return nil
		}
		handle(worker.Decode(envelope, body))
		return nil
	})
	rest := js.FuncOf(func(this js.Value, args []js.Value) any {
		m, body := declined, declinedBody
		declined, declinedBody = nil, nil
		if body != nil {
			body.buf = newJSBuffer(args[0])
		}
		handle(m)
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
	boot.Call(callReady, receive, rest, resume, tick)
	select {}
}

var first = true // no message has come yet

// handle takes a message the full way.
func handle(m *worker.Message) {
	// A ping before anything else is prestart() asking whether the worker
	// has settled: warm it up first.
	if first && m.Ping() {
		if err := worker.WarmUp(); err != nil {
			println(err.Error())
		}
	}
	first = false
	served.Handle(m)
}

// inbox is where the bootstrap writes the text an export takes.
var inbox []byte

//go:wasmexport snworkerBuffer
func giveBuffer(n int32) uint32 {
	if cap(inbox) < int(n) || inbox == nil {
		inbox = make([]byte, max(int(n), 4<<10))
	}
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(inbox))))
}

// written is the first n bytes of the inbox; nothing, which no decode
// takes, when n is out of its bounds (a bootstrap bug).
func written(n int32) []byte {
	if n < 0 || int(n) > len(inbox) {
		return nil
	}
	return inbox[:n]
}

// declined is the message takeRequest left for rest, with its body.
var (
	declined     *worker.Message
	declinedBody *inbound
)

// takeRequest is the pipeline's way in: the message's json is n bytes in
// the inbox; bodyLen is -1 when it has no body.
//
//go:wasmexport snworkerRequest
func takeRequest(n, bodyLen int32) int32 {
	var body bridge.Body
	var in *inbound
	if bodyLen >= 0 {
		in = &inbound{n: int(bodyLen)}
		body = in
	}
	m := worker.Decode(written(n), body)
	if served.Fast(m) {
		first = false
		return 1
	}
	declined, declinedBody = m, in
	return 0
}

// inbound is the body of the message takeRequest takes, which the
// bootstrap keeps: a send names it, and rest hands it over.
type inbound struct {
	n   int
	buf *jsBuffer // once rest has handed it over
}

func (b *inbound) Len() int { return b.n }
func (b *inbound) Reader() io.Reader {
	if b.buf == nil {
		return errReader{errors.New("webworker: a message's body is sent as it is, never read")}
	}
	return b.buf.Reader()
}

// takeFetched takes a send's outcome: its header lines are n bytes in
// the inbox, and its body, bodyLen bytes, stays in the bootstrap, posted
// by id.
//
//go:wasmexport snworkerFetched
func takeFetched(id, status, n, bodyLen int32) int32 {
	if n < 0 || int(n) > len(inbox) {
		return 0 // the full path takes it, with the lines as the bootstrap gives them
	}
	if served.Fetched(id, int(status), string(inbox[:n]), heldBody{id: id, n: int(bodyLen)}) {
		return 1
	}
	return 0
}

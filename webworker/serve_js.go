//go:build js && wasm

package webworker

import (
	"runtime"
	"syscall/js"
	"unsafe"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/worker"
)

var boot = js.Global().Get(global)

// server is what Serve hands each message to: a dedicated worker's one
// Worker, or a shared worker's Sessions.
type server interface {
	receive(port int, envelope []byte, body bridge.Body)
	refuse(port int, err *bridge.Error)
}

// served is the server the exports hand messages to.
var served server

// Serve runs the worker inside a Web Worker started by worker.js: it takes
// the page's messages from the bootstrap and posts replies and events to
// the page; in a SharedWorker, to each window's port. It never returns.
func Serve() {
	gone := js.Undefined()
	origin := js.Global().Get("location").Get("origin").String()
	if boot.Get(callShared).Truthy() {
		s := newShared(origin)
		served, gone = s, js.ValueOf(js.FuncOf(func(this js.Value, args []js.Value) any {
			s.Gone(args[0].Int())
			return nil
		}))
	} else {
		served = newDedicated(origin)
	}
	receive := js.FuncOf(func(this js.Value, args []js.Value) any {
		port := args[0].Int()
		envelope, body, err := readMessage(args[1])
		if err != nil {
			served.refuse(port, err)
		} else {
			served.receive(port, envelope, body)
		}
		return nil
	})
	// Entering Go through an export runs no other goroutine: not those an
	// export starts, nor the finalizers that free JS values, nor the
	// garbage collector's workers. Calling run enters Go the full way.
	run := js.FuncOf(func(js.Value, []js.Value) any { return nil })
	boot.Call(callReady, receive, run, gone)
	select {}
}

// dedicated serves a dedicated worker's one connection.
type dedicated struct {
	w     *worker.Worker
	first bool // no message has come yet
}

func newDedicated(origin string) *dedicated {
	w := worker.New(tokenClient(), sender{}, func(envelope []byte, body bridge.Body) {
		boot.Call(callPost, string(envelope), wireBody(body))
	})
	w.Origin = origin
	return &dedicated{w: w, first: true}
}

func (d *dedicated) receive(_ int, envelope []byte, body bridge.Body) {
	m := worker.Decode(envelope, body)
	// A ping before anything else is prestart() asking whether the worker
	// has settled: warm it up first.
	if d.first && m.Ping() {
		d.first = false
		go func() {
			if err := worker.WarmUp(); err != nil {
				println(err.Error())
			}
			d.w.Handle(m)
		}()
		return
	}
	d.first = false
	d.w.Handle(m)
}

func (d *dedicated) refuse(_ int, err *bridge.Error) { d.w.Refuse(err) }

// entered runs an export's work and reports whether it started goroutines
// (1): the bootstrap then calls run at once, so that they run.
func entered(work func()) int32 {
	n := runtime.NumGoroutine()
	work()
	if runtime.NumGoroutine() > n {
		return 1
	}
	return 0
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

// takeRequest takes a message from port (0 in a dedicated worker): its
// json is n bytes in the inbox, its body is lent under key (-1: none).
//
//go:wasmexport snworkerRequest
func takeRequest(port, n, key int32) int32 {
	return entered(func() {
		var body bridge.Body
		if key >= 0 {
			body = newJSBuffer(boot.Call(callBody, key)) // the worker's own: a retry sends it again
		}
		served.receive(int(port), written(n), body)
	})
}

// takeFetched takes the outcome of send id: status -1 and the failure's
// message, n bytes in the inbox; or the status, the header lines (n
// bytes) and the body, length bytes lent under key (-1: none).
//
//go:wasmexport snworkerFetched
func takeFetched(id, status, n, key, length int32) int32 {
	return entered(func() {
		done := sendDone(id)
		if done == nil {
			return
		}
		if status < 0 {
			done(&worker.Incoming{Err: "fetch failed: " + string(written(n))})
			return
		}
		in := &worker.Incoming{Status: int(status), Header: headerMap(string(written(n)))}
		var body *lentBody
		if key >= 0 {
			body = &lentBody{key: key, n: int(length)}
			in.Body = body
		}
		done(in)
		if body != nil {
			body.gone = true
		}
	})
}

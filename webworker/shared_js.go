//go:build js && wasm

package webworker

import (
	"net/http"
	"syscall/js"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/worker"
)

// serveShared runs the worker inside a SharedWorker started by
// worker.js: every window's port is bound to a session by Sessions.
func serveShared() {
	s := worker.NewSessions(&http.Client{Transport: fetchTransport{}}, func(port int, envelope []byte, body bridge.Body) {
		msg, transfer := jsObject.New(), js.Global().Get("Array").New()
		msg.Set("json", string(envelope))
		if body != nil { // a port's replies take the full path: no held body
			buf := wireBody(body)
			msg.Set("body", buf)
			transfer.Call("push", buf)
		}
		boot.Call(callPostTo, port, msg, transfer)
	})
	s.UseLocks(func(port int, lock string) { boot.Call(callWatch, port, lock) })
	s.UseClose(func() bool { return boot.Call(callClose).Bool() })
	s.Origin = js.Global().Get("location").Get("origin").String()
	receive := js.FuncOf(func(this js.Value, args []js.Value) any {
		port := args[0].Int()
		envelope, body, err := readMessage(args[1])
		if err != nil {
			s.Refuse(port, err)
		} else {
			s.Receive(port, envelope, body)
		}
		return nil
	})
	gone := js.FuncOf(func(this js.Value, args []js.Value) any {
		s.Gone(args[0].Int())
		return nil
	})
	boot.Call(callServe, receive, gone)
	select {}
}

//go:build js && wasm

package worker

import (
	"net/http"
	"syscall/js"

	"github.com/snworker/snworker/bridge"
)

// Serve runs the worker inside a dedicated Web Worker started by
// js/worker.js: it takes requests from the bootstrap and posts replies and
// events to the page. It never returns.
func Serve() {
	post := func(envelope, body []byte) {
		msg, transfer := bridge.Message(envelope, body)
		js.Global().Call("postMessage", msg, transfer)
	}
	w := New(&http.Client{Transport: fetchOptions{}}, func(e bridge.Event) { post(bridge.Marshal(e), nil) })
	receive := js.FuncOf(func(this js.Value, args []js.Value) any {
		req, err := bridge.ReadRequest(args[0])
		if err != nil {
			post(bridge.Marshal(bridge.Reply{ID: req.ID, Error: err}), nil)
			return nil
		}
		w.Handle(req, func(r bridge.Reply) { post(bridge.Marshal(r), r.Body) })
		return nil
	})
	js.Global().Get("snworker").Call("ready", receive)
	select {}
}

// fetchOptions sets the Fetch API options of every request: no redirect is
// followed (a redirect answers with status 0), and no cookies are sent.
type fetchOptions struct{}

func (fetchOptions) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("js.fetch:redirect", "manual")
	r.Header.Set("js.fetch:credentials", "omit")
	r.Header.Set("js.fetch:mode", "cors")
	return http.DefaultTransport.RoundTrip(r)
}

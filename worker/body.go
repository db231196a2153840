package worker

import (
	"io"

	"github.com/snworker/snworker/bridge"
)

// httpBody is an HTTP request or response body read from a bridge.Body.
// A transport that knows the Body's form sends it without reading it, and
// a successful response's body goes to the module the same way.
type httpBody struct {
	io.Reader
	src bridge.Body
}

func newBody(src bridge.Body) *httpBody { return &httpBody{Reader: src.Reader(), src: src} }

func (*httpBody) Close() error { return nil }

// BodySource is the bridge.Body an HTTP body was made from, for a
// transport that sends it without reading it; nil for any other body.
func BodySource(r io.Reader) bridge.Body {
	if b, ok := r.(*httpBody); ok {
		return b.src
	}
	return nil
}

//go:build js && wasm

package webworker

import (
	"io"
	"syscall/js"

	"github.com/snworker/snworker/bridge"
)

var (
	jsObject      = js.Global().Get("Object")
	jsArrayBuffer = js.Global().Get("ArrayBuffer")
	jsUint8Array  = js.Global().Get("Uint8Array")
)

// jsBuffer is a bridge.Body held in the browser's memory: an ArrayBuffer,
// or a Uint8Array view of one. It reaches fetch, or the page, as it is.
type jsBuffer struct {
	v     js.Value // what the page or fetch gave
	bytes js.Value // a Uint8Array over it
	n     int
}

func newJSBuffer(v js.Value) *jsBuffer {
	bytes := v
	if v.InstanceOf(jsArrayBuffer) {
		bytes = jsUint8Array.New(v)
	}
	return &jsBuffer{v: v, bytes: bytes, n: bytes.Get("byteLength").Int()}
}

func (b *jsBuffer) Len() int          { return b.n }
func (b *jsBuffer) Reader() io.Reader { return &jsReader{b: b} }

// arrayBuffer is the buffer to transfer to the page.
func (b *jsBuffer) arrayBuffer() js.Value {
	if b.v.InstanceOf(jsArrayBuffer) {
		return b.v
	}
	return b.bytes.Call("slice").Get("buffer")
}

type jsReader struct {
	b   *jsBuffer
	off int
}

func (r *jsReader) Read(p []byte) (int, error) {
	if r.off >= r.b.n {
		return 0, io.EOF
	}
	k := js.CopyBytesToGo(p, r.b.bytes.Call("subarray", r.off, min(r.off+len(p), r.b.n)))
	r.off += k
	return k, nil
}

// readMessage reads the data of a message event, a wire message
// {json: string, body?: ArrayBuffer | Uint8Array}.
func readMessage(data js.Value) ([]byte, bridge.Body, *bridge.Error) {
	if data.Type() != js.TypeObject {
		return nil, nil, wireErr("message is %s; want an object {json: string, body?: ArrayBuffer}", data.Type())
	}
	j := data.Get("json")
	if j.Type() != js.TypeString {
		return nil, nil, wireErr("message.json is %s; want a string", j.Type())
	}
	if n := jsObject.New(j).Get("length").Int(); n > bridge.MaxEnvelope {
		return nil, nil, wireErr("message is %d characters; the limit is %d", n, bridge.MaxEnvelope)
	}
	switch v := data.Get("body"); {
	case v.IsUndefined() || v.IsNull():
		return []byte(j.String()), nil, nil
	case v.InstanceOf(jsArrayBuffer) || v.InstanceOf(jsUint8Array):
		return []byte(j.String()), newJSBuffer(v), nil
	default:
		return nil, nil, wireErr("message.body is %s; want an ArrayBuffer or a Uint8Array", v.Type())
	}
}

func wireErr(format string, args ...any) *bridge.Error {
	return bridge.Errorf(bridge.NameParameter, format, args...)
}

// wireBody is a body as the bootstrap's post takes it: undefined, an
// ArrayBuffer to transfer, or the key under which it is lent. A jsBuffer is
// handed over as it is.
func wireBody(body bridge.Body) any {
	switch b := body.(type) {
	case nil:
		return js.Undefined()
	case *lentBody:
		if b.gone {
			panic("webworker: a response body was posted after the export that lent it returned")
		}
		return b.key
	case *jsBuffer:
		return b.arrayBuffer()
	default:
		return toJS(b).Get("buffer")
	}
}

// toJS copies a body into a new Uint8Array.
func toJS(body bridge.Body) js.Value {
	data, _ := io.ReadAll(body.Reader())
	arr := jsUint8Array.New(len(data))
	js.CopyBytesToJS(arr, data)
	return arr
}

//go:build js && wasm

package bridge

import "syscall/js"

var (
	jsObject      = js.Global().Get("Object")
	jsArray       = js.Global().Get("Array")
	jsArrayBuffer = js.Global().Get("ArrayBuffer")
	jsUint8Array  = js.Global().Get("Uint8Array")
)

// ReadRequest reads the data of a message event, a wire message
// {json: string, body?: ArrayBuffer | Uint8Array}, as a request.
func ReadRequest(data js.Value) (Request, *Error) {
	if data.Type() != js.TypeObject {
		return Request{}, paramError("message is %s; want an object {json: string, body?: ArrayBuffer}", data.Type())
	}
	j := data.Get("json")
	if j.Type() != js.TypeString {
		return Request{}, paramError("message.json is %s; want a string", j.Type())
	}
	if n := jsObject.New(j).Get("length").Int(); n > MaxEnvelope {
		return Request{}, paramError("message is %d characters; the limit is %d", n, MaxEnvelope)
	}
	body, err := readBody(data.Get("body"))
	if err != nil {
		return Request{}, err
	}
	return DecodeRequest([]byte(j.String()), body)
}

func readBody(v js.Value) ([]byte, *Error) {
	switch {
	case v.IsUndefined() || v.IsNull():
		return nil, nil
	case v.InstanceOf(jsArrayBuffer):
		v = jsUint8Array.New(v)
	case v.InstanceOf(jsUint8Array):
	default:
		return nil, paramError("message.body is %s; want an ArrayBuffer or a Uint8Array", v.Type())
	}
	n := v.Get("byteLength").Int()
	if n > MaxBody {
		return nil, paramError("body is %d bytes; the limit is %d", n, MaxBody)
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, v)
	return b, nil
}

// ReplyMessage renders a reply as a wire message, with the buffers to
// transfer. A Raw body is handed over as it is, without a copy.
func ReplyMessage(r Reply) (msg, transfer js.Value) {
	raw, ok := r.Raw.(js.Value)
	if !ok {
		return Message(Marshal(r), r.Body)
	}
	msg, transfer = Message(Marshal(r), nil)
	msg.Set("body", raw)
	transfer.Call("push", raw)
	return msg, transfer
}

// Message renders an envelope and its optional body as a wire message,
// with the list of buffers for postMessage to transfer.
func Message(envelope, body []byte) (msg, transfer js.Value) {
	msg = jsObject.New()
	msg.Set("json", string(envelope))
	transfer = jsArray.New()
	if body != nil {
		arr := jsUint8Array.New(len(body))
		js.CopyBytesToJS(arr, body)
		buf := arr.Get("buffer")
		msg.Set("body", buf)
		transfer.Call("push", buf)
	}
	return msg, transfer
}

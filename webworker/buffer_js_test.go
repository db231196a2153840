//go:build js && wasm

package webworker

import (
	"io"
	"syscall/js"
	"testing"
	"time"

	"github.com/snworker/snworker/bridge"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func wire(v map[string]any) js.Value { return js.ValueOf(v) }

func bytesJS(b []byte) js.Value {
	a := jsUint8Array.New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

func TestReadMessageFromJS(t *testing.T) {
	env := `{"id":5,"op":"executeApiRequest","params":{"path":"/api/now/table/incident","method":"POST"}}`
	for name, body := range map[string]js.Value{
		"ArrayBuffer": bytesJS([]byte(`{"a":1}`)).Get("buffer"),
		"Uint8Array":  bytesJS([]byte(`{"a":1}`)).Call("subarray", 0),
	} {
		t.Run(name, func(t *testing.T) {
			got, b, err := readMessage(wire(map[string]any{"json": env, "body": body}))
			require.Nil(t, err)
			assert.Equal(t, env, string(got))
			require.IsType(t, &jsBuffer{}, b)
			assert.True(t, b.(*jsBuffer).v.Equal(body), "the body stays in JS, uncopied")
			data, _ := io.ReadAll(b.Reader())
			assert.Equal(t, `{"a":1}`, string(data))
			req, derr := bridge.DecodeRequest(got, b)
			require.Nil(t, derr)
			assert.Equal(t, &bridge.RequestParams{Path: "/api/now/table/incident", Method: "POST"}, req.Params)
		})
	}
	_, b, err := readMessage(wire(map[string]any{"json": `{"id":1,"op":"disconnect"}`, "body": js.Null()}))
	require.Nil(t, err)
	assert.Nil(t, b)
}

func TestReadMessageRejectsJS(t *testing.T) {
	req := `{"id":1,"op":"executeApiRequest","params":{"path":"/a"}}`
	cases := map[string]struct {
		data js.Value
		want string
	}{
		"string":        {js.ValueOf(`{"id":1,"op":"disconnect"}`), "message is string; want an object"},
		"undefined":     {js.Undefined(), "message is undefined"},
		"number":        {js.ValueOf(3), "message is number"},
		"no json":       {wire(map[string]any{"id": 1}), "message.json is undefined; want a string"},
		"json object":   {wire(map[string]any{"json": map[string]any{"id": 1}}), "message.json is object; want a string"},
		"body string":   {wire(map[string]any{"json": req, "body": "x"}), "message.body is string; want an ArrayBuffer"},
		"body array":    {wire(map[string]any{"json": req, "body": []any{1, 2}}), "message.body is object; want an ArrayBuffer"},
		"body too big":  {wire(map[string]any{"json": req, "body": jsUint8Array.New(bridge.MaxBody + 1)}), "body is 67108865 bytes"},
		"bad envelope":  {wire(map[string]any{"json": `{"id":1,"op":"steal"}`}), `op "steal" is unknown`},
		"huge envelope": {wire(map[string]any{"json": js.Global().Get("String").New("a").Call("repeat", bridge.MaxEnvelope+1)}), "message is 1048577 characters"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			env, body, err := readMessage(c.data)
			if err == nil {
				_, err = bridge.DecodeRequest(env, body)
			}
			require.NotNil(t, err)
			assert.Equal(t, bridge.NameParameter, err.Name)
			assert.Contains(t, err.Message, c.want)
		})
	}
}

// A reply's body as the bootstrap posts it: crossing a real MessageChannel
// it is transferred, not copied; a browser buffer is handed over as it is,
// a fast response's body by its send's id.
func TestWireBodyThroughMessageChannel(t *testing.T) {
	ch := js.Global().Get("MessageChannel").New()
	got := make(chan js.Value, 1)
	onMessage := js.FuncOf(func(this js.Value, args []js.Value) any {
		got <- args[0].Get("data")
		return nil
	})
	defer onMessage.Release()
	ch.Get("port2").Set("onmessage", onMessage)

	env := bridge.Marshal(bridge.Reply{ID: 9, Result: bridge.APIResult{Status: 200, Kind: bridge.KindJSON}})
	buf := js.ValueOf(wireBody(bridge.Bytes(`{"result":[]}`)))
	require.True(t, buf.InstanceOf(jsArrayBuffer))
	msg := wire(map[string]any{"json": string(env), "body": buf})
	ch.Get("port1").Call("postMessage", msg, []any{buf})
	assert.Equal(t, 0, buf.Get("byteLength").Int(), "body buffer was transferred, so detached here")

	select {
	case data := <-got:
		assert.JSONEq(t, string(env), data.Get("json").String())
		b := make([]byte, data.Get("body").Get("byteLength").Int())
		js.CopyBytesToGo(b, jsUint8Array.New(data.Get("body")))
		assert.Equal(t, `{"result":[]}`, string(b))
	case <-time.After(5 * time.Second):
		t.Fatal("no message arrived through the MessageChannel within 5s")
	}

	raw := bytesJS([]byte("raw body")).Get("buffer")
	assert.True(t, js.ValueOf(wireBody(newJSBuffer(raw))).Equal(raw), "a browser buffer is sent as it is")
	view := bytesJS([]byte("0123456789")).Call("subarray", 2, 5)
	sliced := js.ValueOf(wireBody(newJSBuffer(view)))
	assert.Equal(t, 3, sliced.Get("byteLength").Int(), "a view's bytes only")
	lent := &lentBody{key: 7, n: 3}
	assert.Equal(t, 7, js.ValueOf(wireBody(lent)).Int(), "a lent response body goes by its key")
	assert.True(t, js.ValueOf(wireBody(nil)).IsUndefined())
	lent.gone = true
	_, err := io.ReadAll(lent.Reader())
	assert.Error(t, err, "a lent body is not read once its export has returned")
	assert.Panics(t, func() { wireBody(lent) }, "nor posted")
}

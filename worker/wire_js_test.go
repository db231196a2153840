//go:build js && wasm

package bridge

import (
	"syscall/js"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func wire(v map[string]any) js.Value { return js.ValueOf(v) }

func bytesJS(b []byte) js.Value {
	a := jsUint8Array.New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

func TestReadRequestFromJS(t *testing.T) {
	env := `{"id":5,"op":"executeApiRequest","payload":{"path":"/api/now/table/incident","method":"POST"}}`
	for name, body := range map[string]js.Value{
		"ArrayBuffer": bytesJS([]byte(`{"a":1}`)).Get("buffer"),
		"Uint8Array":  bytesJS([]byte(`{"a":1}`)),
	} {
		t.Run(name, func(t *testing.T) {
			req, err := ReadRequest(wire(map[string]any{"json": env, "body": body}))
			require.Nil(t, err)
			assert.Equal(t, int64(5), req.ID)
			assert.Equal(t, &RequestParams{Path: "/api/now/table/incident", Method: "POST"}, req.Params)
			assert.Equal(t, []byte(`{"a":1}`), req.Body)
		})
	}
	req, err := ReadRequest(wire(map[string]any{"json": `{"id":1,"op":"disconnect"}`, "body": js.Null()}))
	require.Nil(t, err)
	assert.Nil(t, req.Body)
}

func TestReadRequestRejectsJS(t *testing.T) {
	cases := map[string]struct {
		data js.Value
		want string
	}{
		"string":        {js.ValueOf(`{"id":1,"op":"disconnect"}`), "message is string; want an object"},
		"undefined":     {js.Undefined(), "message is undefined"},
		"number":        {js.ValueOf(3), "message is number"},
		"no json":       {wire(map[string]any{"id": 1}), "message.json is undefined; want a string"},
		"json object":   {wire(map[string]any{"json": map[string]any{"id": 1}}), "message.json is object; want a string"},
		"body string":   {wire(map[string]any{"json": `{"id":1,"op":"executeApiRequest","payload":{"path":"/a"}}`, "body": "x"}), "message.body is string; want an ArrayBuffer"},
		"body array":    {wire(map[string]any{"json": `{"id":1,"op":"executeApiRequest","payload":{"path":"/a"}}`, "body": []any{1, 2}}), "message.body is object; want an ArrayBuffer"},
		"body too big":  {wire(map[string]any{"json": `{"id":1,"op":"executeApiRequest","payload":{"path":"/a"}}`, "body": jsUint8Array.New(MaxBody + 1)}), "body is 67108865 bytes"},
		"bad envelope":  {wire(map[string]any{"json": `{"id":1,"op":"steal"}`}), `op "steal" is unknown`},
		"huge envelope": {wire(map[string]any{"json": js.Global().Get("String").New("a").Call("repeat", MaxEnvelope+1)}), "message is 1048577 characters"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ReadRequest(c.data)
			require.NotNil(t, err)
			assert.Equal(t, NameParameter, err.Name)
			assert.Contains(t, err.Message, c.want)
		})
	}
}

// A reply crosses a real MessageChannel, its body transferred, not copied.
func TestMessageThroughMessageChannel(t *testing.T) {
	ch := js.Global().Get("MessageChannel").New()
	got := make(chan js.Value, 1)
	onMessage := js.FuncOf(func(this js.Value, args []js.Value) any {
		got <- args[0].Get("data")
		return nil
	})
	defer onMessage.Release()
	ch.Get("port2").Set("onmessage", onMessage)

	env := Marshal(Reply{ID: 9, Result: Response{Status: 200, Kind: KindJSON}})
	msg, transfer := Message(env, []byte(`{"result":[]}`))
	buf := msg.Get("body")
	ch.Get("port1").Call("postMessage", msg, transfer)
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
	msg, transfer = ReplyMessage(Reply{ID: 10, Result: Response{Status: 200, Kind: KindText}, Raw: raw})
	assert.True(t, msg.Get("body").Equal(raw), "a raw body is sent as it is")
	assert.Equal(t, 1, transfer.Length())
	assert.Contains(t, msg.Get("json").String(), `"id":10`)
	msg, _ = ReplyMessage(Reply{ID: 11, Body: []byte("copied")})
	assert.Equal(t, 6, msg.Get("body").Get("byteLength").Int())

	msg, transfer = Message(Marshal(Event{Event: EventReady}), nil)
	assert.True(t, msg.Get("body").IsUndefined())
	assert.Equal(t, 0, transfer.Length())
}

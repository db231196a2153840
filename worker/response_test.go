//go:build !js

package worker

import (
	"bytes"
	"io"
	"testing"

	"github.com/snworker/snworker/bridge"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buffer stands for a body kept in the browser's memory.
type buffer struct {
	b    []byte
	read bool
}

func (b *buffer) Len() int          { return len(b.b) }
func (b *buffer) Reader() io.Reader { b.read = true; return bytes.NewReader(b.b) }

func incoming(status int, ctype string, body bridge.Body) *Incoming {
	return &Incoming{Status: status, Header: map[string]string{"content-type": ctype, "link": "<x>;rel=\"next\"", "content-encoding": "gzip"}, Body: body}
}

func TestRawBodyIsHandedOverUnread(t *testing.T) {
	buf := &buffer{b: []byte(`{"result":[]}`)}
	r, p, err := read(incoming(200, "application/json", buf), false)
	require.Nil(t, err)
	assert.Equal(t, bridge.KindJSON, r.Kind)
	assert.Equal(t, "<x>;rel=\"next\"", r.Headers["link"])
	assert.Equal(t, "13", r.Headers["content-length"], "the decoded body's")
	assert.NotContains(t, r.Headers, "content-encoding", "fetch has decoded the body")
	assert.Same(t, buf, p, "the buffer itself is handed over")
	assert.False(t, buf.read, "a successful raw body is not copied into Go")

	r, p, err = read(incoming(200, "application/json", &buffer{b: []byte("x")}), true)
	require.Nil(t, err)
	assert.Equal(t, bridge.KindNone, r.Kind, "suppressed")
	assert.Nil(t, p)

	r, p, err = read(incoming(204, "", &buffer{}), false)
	require.Nil(t, err)
	assert.Equal(t, bridge.KindNone, r.Kind)
	assert.Nil(t, p)
}

func TestRawBodyOfAFailureIsRead(t *testing.T) {
	buf := &buffer{b: []byte(`{"error":{"message":"No Record found","detail":"x"},"status":"failure"}`)}
	_, _, err := read(incoming(404, "application/json", buf), false)
	require.NotNil(t, err)
	assert.Equal(t, "No Record found", err.Message)
	assert.True(t, buf.read)
}

func TestKinds(t *testing.T) {
	for ctype, want := range map[string]string{
		"application/json;charset=UTF-8": bridge.KindJSON, "application/vnd.api+json": bridge.KindJSON,
		"text/plain": bridge.KindText, "text/csv; charset=utf-8": bridge.KindText, "application/xml": bridge.KindText,
		"application/atom+xml": bridge.KindText, "application/pdf": bridge.KindBinary, "": bridge.KindBinary,
	} {
		assert.Equal(t, want, kind(ctype, 10), ctype)
	}
	assert.Equal(t, bridge.KindNone, kind("application/json", 0))
}

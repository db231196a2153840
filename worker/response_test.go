//go:build !js

package worker

import (
	"bytes"
	"context"
	"io"
	"net/http"
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

// rawReader is an HTTP body of a buffer, as the js transport makes it.
func rawReader(b []byte) (*buffer, io.ReadCloser) {
	buf := &buffer{b: b}
	return buf, &httpBody{Reader: bytes.NewReader(b), src: buf}
}

func response(status int, ctype string, body io.ReadCloser) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {ctype}, "Link": {"<x>;rel=\"next\""}}, Body: body}
}

func TestRawBodyIsHandedOverUnread(t *testing.T) {
	buf, body := rawReader([]byte(`{"result":[]}`))
	r, p, err := readResponse(context.Background(), response(200, "application/json", body), false)
	require.Nil(t, err)
	assert.Equal(t, bridge.KindJSON, r.Kind)
	assert.Equal(t, "<x>;rel=\"next\"", r.Headers["link"])
	assert.Same(t, buf, p, "the buffer itself is handed over")
	assert.False(t, buf.read, "a successful raw body is not copied into Go")

	_, body = rawReader([]byte("x"))
	r, p, err = readResponse(context.Background(), response(200, "application/json", body), true)
	require.Nil(t, err)
	assert.Equal(t, bridge.KindNone, r.Kind, "suppressed")
	assert.Nil(t, p)

	_, body = rawReader(nil)
	r, p, err = readResponse(context.Background(), response(204, "", body), false)
	require.Nil(t, err)
	assert.Equal(t, bridge.KindNone, r.Kind)
	assert.Nil(t, p)
}

func TestRawBodyOfAFailureIsRead(t *testing.T) {
	body := &readCounter{Reader: bytes.NewReader([]byte(`{"error":{"message":"No Record found","detail":"x"},"status":"failure"}`))}
	_, _, err := readResponse(context.Background(), response(404, "application/json", &httpBody{Reader: body, src: &buffer{}}), false)
	require.NotNil(t, err)
	assert.Equal(t, "No Record found", err.Message)
	assert.True(t, body.read)
}

type readCounter struct {
	io.Reader
	read bool
}

func (r *readCounter) Read(p []byte) (int, error) { r.read = true; return r.Reader.Read(p) }

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

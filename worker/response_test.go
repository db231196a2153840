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

// rawReader stands for a body kept in the platform's memory.
type rawReader struct {
	*bytes.Reader
	read bool
}

func (r *rawReader) Raw() any                   { return "the platform's buffer" }
func (r *rawReader) Len() int                   { return int(r.Size()) }
func (r *rawReader) Close() error               { return nil }
func (r *rawReader) Read(p []byte) (int, error) { r.read = true; return r.Reader.Read(p) }

func response(status int, ctype string, body io.ReadCloser) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {ctype}, "Link": {"<x>;rel=\"next\""}}, Body: body}
}

func TestRawBodyIsHandedOverUnread(t *testing.T) {
	body := &rawReader{Reader: bytes.NewReader([]byte(`{"result":[]}`))}
	r, p, err := readResponse(context.Background(), response(200, "application/json", body), false)
	require.Nil(t, err)
	assert.Equal(t, bridge.KindJSON, r.Kind)
	assert.Equal(t, "<x>;rel=\"next\"", r.Headers["link"])
	assert.Equal(t, "the platform's buffer", p.raw)
	assert.Nil(t, p.bytes)
	assert.False(t, body.read, "a successful raw body is not copied into Go")

	r, p, err = readResponse(context.Background(), response(200, "application/json", &rawReader{Reader: bytes.NewReader([]byte("x"))}), true)
	require.Nil(t, err)
	assert.Equal(t, bridge.KindNone, r.Kind, "suppressed")
	assert.Nil(t, p)

	r, p, err = readResponse(context.Background(), response(204, "", &rawReader{Reader: bytes.NewReader(nil)}), false)
	require.Nil(t, err)
	assert.Equal(t, bridge.KindNone, r.Kind)
	assert.Nil(t, p)
}

func TestRawBodyOfAFailureIsRead(t *testing.T) {
	body := &rawReader{Reader: bytes.NewReader([]byte(`{"error":{"message":"No Record found","detail":"x"},"status":"failure"}`))}
	_, _, err := readResponse(context.Background(), response(404, "application/json", body), false)
	require.NotNil(t, err)
	assert.Equal(t, "No Record found", err.Message)
	assert.True(t, body.read)
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

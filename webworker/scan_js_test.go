//go:build js && wasm

package webworker

import (
	"bytes"
	"strings"
	"syscall/js"
	"testing"
)

// What scanning a response body for the live access token inside the worker
// would cost, for docs/security.md's decision (it costs too much to do): the body
// stays in JS memory, the token never goes there, so Go copies the body in a
// chunk at a time and searches each. Run with
// SNWORKER_DIST=$PWD/dist GOOS=js GOARCH=wasm go test -run '^$' -bench 2MB -exec=$PWD/bin/wasmexec ./worker/

// scanChunk is how much of a body in JS memory is looked at at a time.
const scanChunk = 64 << 10

// contains reports whether secret occurs in the body, copying it into Go a
// chunk at a time (the body itself stays in JS; the secret never goes there).
func (b *jsBuffer) contains(secret []byte) bool {
	k := len(secret)
	if k == 0 || b.n < k {
		return false
	}
	buf := make([]byte, scanChunk+k-1)
	for off := 0; off < b.n; off += scanChunk {
		end := min(off+scanChunk+k-1, b.n)
		n := js.CopyBytesToGo(buf, b.bytes.Call("subarray", off, end))
		if bytes.Contains(buf[:n], secret) {
			return true
		}
		if end == b.n {
			break
		}
	}
	return false
}

// body2MB is a Table API-like JSON body of about 2 MB in a JS ArrayBuffer.
func body2MB(tb testing.TB, tail string) *jsBuffer {
	rec := `{"number":"INC0010001","short_description":"Printer jam on floor 4 AbCdEfGh","sys_id":"46d44a5fa9fe198101e9a0f2c84d0c53","priority":"3"},`
	s := `{"result":[` + strings.Repeat(rec, (2<<20)/len(rec)) + tail + `]}`
	buf := js.Global().Get("TextEncoder").New().Call("encode", s).Get("buffer")
	return newJSBuffer(buf)
}

const liveToken = "Xq3vN9kLm2Pz8RtY6wB1cD4fG7hJ0sA5eU8iO2pQ9rT3yW6uE1zK4xC7vB0nM3lH5jF8gD2sA6qW9eR1tY4uI7oP"

func TestJSBodyContains(t *testing.T) {
	for _, c := range []struct {
		tail string
		want bool
	}{
		{"", false},
		{`{"echo":"Bearer ` + liveToken + `"}`, true},
		{`{"echo":"` + liveToken[:len(liveToken)-1] + `"}`, false},
	} {
		if got := body2MB(t, c.tail).contains([]byte(liveToken)); got != c.want {
			t.Errorf("contains with tail %.40q = %v; want %v", c.tail, got, c.want)
		}
	}
	// Across a chunk boundary.
	b := body2MB(t, "")
	s := strings.Repeat("x", scanChunk-10) + liveToken + strings.Repeat("y", 100)
	buf := js.Global().Get("TextEncoder").New().Call("encode", s).Get("buffer")
	b = newJSBuffer(buf)
	if !b.contains([]byte(liveToken)) {
		t.Error("a token across a chunk boundary was missed")
	}
}

func BenchmarkScan2MB(b *testing.B) {
	body := body2MB(b, "")
	secret := []byte(liveToken)
	b.SetBytes(int64(body.n))
	for b.Loop() {
		if body.contains(secret) {
			b.Fatal("found")
		}
	}
}

func BenchmarkCopy2MB(b *testing.B) {
	body := body2MB(b, "")
	buf := make([]byte, body.n)
	b.SetBytes(int64(body.n))
	for b.Loop() {
		js.CopyBytesToGo(buf, body.bytes)
	}
}

package worker

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/snworker/snworker/bridge"
)

// headerLines renders request headers as the bootstrap's fetch takes
// them: "name: value" lines.
func HeaderLines(h http.Header) string {
	var b strings.Builder
	for k, vs := range h {
		b.WriteString(k)
		b.WriteString(": ")
		b.WriteString(strings.Join(vs, ", "))
		b.WriteByte('\n')
	}
	return b.String()
}

// fetchedResponse is the response a fetch reported: its status, its
// header lines and its body, already decoded by fetch.
func FetchedResponse(status int, lines string, body bridge.Body) *http.Response {
	if body == nil {
		body = bridge.Bytes(nil)
	}
	header := http.Header{}
	for line := range strings.Lines(lines) {
		if k, v, ok := strings.Cut(strings.TrimSuffix(line, "\n"), ": "); ok {
			header.Add(k, v)
		}
	}
	header.Del("Content-Encoding") // fetch has decoded the body
	header.Set("Content-Length", strconv.Itoa(body.Len()))
	return &http.Response{Status: strconv.Itoa(status) + " " + http.StatusText(status), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: header, Body: newBody(body), ContentLength: int64(body.Len())}
}

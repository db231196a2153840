package worker

import (
	"bytes"
	"strings"

	"github.com/snworker/snworker/bridge"
)

// redacted replaces a token found in what the instance answered. It holds
// no quote or backslash, so a JSON body stays valid.
const redacted = "[redacted]"

// redactAPI removes the access token a request carried from the answer
// wherever the answer passes through Go: response headers, an error's
// message and data (every non-2xx body is read in Go), and a body read in
// Go. An endpoint that echoes request headers would otherwise hand the
// token to the page. A 2xx body still in JS memory (the browser's fetch
// ArrayBuffer) is not scanned: that would cost 9–23% of a 2 MB request
// (see README, "Defence in depth").
func redactAPI(token string, r *bridge.Response, body *payload, err *bridge.Error) (*bridge.Response, *payload, *bridge.Error) {
	if token == "" {
		return r, body, err
	}
	if err != nil {
		err.Message = strings.ReplaceAll(err.Message, token, redacted)
		if bytes.Contains(err.Data, []byte(token)) {
			err.Data = bytes.ReplaceAll(err.Data, []byte(token), []byte(redacted))
		}
	}
	if r != nil {
		for k, v := range r.Headers {
			r.Headers[k] = strings.ReplaceAll(v, token, redacted)
		}
	}
	if body != nil && bytes.Contains(body.bytes, []byte(token)) {
		body.bytes = bytes.ReplaceAll(body.bytes, []byte(token), []byte(redacted))
	}
	return r, body, err
}

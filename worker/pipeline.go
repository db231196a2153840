package worker

import "github.com/snworker/snworker/bridge"

// A request takes one pipeline through the worker. Decode reads the
// message once. Fast, the synchronous first step, sends an API request
// that needs nothing but the token; the instance's answer comes back
// through Fetched, which answers a 2xx, or Resume, which takes anything
// else the full way. Whatever Fast declines goes on to Handle with what
// Fast prepared: init, a closed session, a duplicate or invalid request,
// a token that is missing, due for renewal or being renewed.

// A Message is one decoded request on its way through the pipeline.
type Message struct {
	req bridge.Request
	err *bridge.Error // why it did not decode

	prepared bool // call and callErr are Fast's
	call     *call
	callErr  *bridge.Error
}

// Decode reads a message: a request envelope and its optional body. A
// message that does not decode is answered by Handle with the error.
func Decode(envelope []byte, body bridge.Body) *Message {
	req, err := bridge.DecodeRequest(envelope, body)
	return &Message{req: req, err: err}
}

// Ping reports whether m is a ping.
func (m *Message) Ping() bool { return m.err == nil && m.req.Op == bridge.OpPing }

// prepare checks the API call m carries, once: Fast's work is kept for
// Handle.
func (m *Message) prepare(w *Worker, p *bridge.RequestParams) (*call, *bridge.Error) {
	if !m.prepared {
		m.call, m.callErr = w.prepare(p, m.req.Body)
		m.prepared = true
	}
	return m.call, m.callErr
}

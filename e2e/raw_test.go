//go:build !js

package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Helpers for tests that act as script in the page (XSS) would: they post
// straight to a worker, past the module.

// wireReply is a reply envelope as the worker sends it.
type wireReply struct {
	ID     int64           `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Name    string `json:"name"`
		Message string `json:"message"`
	} `json:"error"`
}

// envelope is a JS expression of a wire message {json} with that envelope;
// params is a JS expression.
func envelope(id int64, op, params string) string {
	return fmt.Sprintf("{json: JSON.stringify({id: %d, op: %q, params: %s})}", id, op, params)
}

// raw posts message (a JS expression) to worker (a JS expression) and
// returns the one reply that carries id (0: the worker could not read one).
func (p *ewin) raw(worker, message string, id int64) wireReply {
	p.t.Helper()
	var replies []wireReply
	p.ok(fmt.Sprintf("t.raw(%s, %s, {id: %d})", worker, message, id), &replies)
	require.Len(p.t, replies, 1, "want one reply with id %d to %.200s", id, message)
	return replies[0]
}

// rawCase is a message posted straight to a worker and the error it must get.
type rawCase struct {
	what  string
	msg   string   // JS expression
	id    int64    // the id the reply carries; 0 when the worker cannot read it
	class string   // the error's name; "" for a result
	want  []string // in the error message: the field or value, and the expected form
}

// check posts each case to worker in turn and checks its reply.
func (p *ewin) check(worker string, cases []rawCase) {
	p.t.Helper()
	for _, c := range cases {
		r := p.raw(worker, c.msg, c.id)
		if c.class == "" {
			assert.Nil(p.t, r.Error, "%s: want a result", c.what)
			continue
		}
		if !assert.NotNil(p.t, r.Error, "%s: want %s, got result %s", c.what, c.class, r.Result) {
			continue
		}
		assert.Equal(p.t, c.class, r.Error.Name, "%s: %s", c.what, r.Error.Message)
		for _, w := range c.want {
			assert.Contains(p.t, r.Error.Message, w, c.what)
		}
	}
}

// liveTokens counts the issued tokens the instance still accepts, as a
// bearer or a refresh token.
func liveTokens(t *testing.T, in *instance) int {
	t.Helper()
	n := 0
	for _, tok := range in.IssuedTokens() {
		if in.bearerWorks(t, tok) || in.refreshWorks(t, tok) {
			n++
		}
	}
	return n
}

// assertNoTokenInPage checks that no access or refresh token the instance
// issued is anywhere page script can see. Issued values the module sent to
// the worker are codes, which pass through the page by design.
func (p *ewin) assertNoTokenInPage(in *instance) {
	p.t.Helper()
	var snap map[string]string
	p.ok("t.snapshot()", &snap)
	require.NotEmpty(p.t, snap["fromWorker"])
	checked := 0
	for i, tok := range in.IssuedTokens() {
		if strings.Contains(snap["toWorker"], tok) {
			continue
		}
		checked++
		for where, text := range snap {
			assert.NotContains(p.t, text, tok, "issued token #%d is in the page's %s", i, where)
		}
	}
	assert.NotZero(p.t, checked, "no access or refresh token was issued: nothing was checked")
}

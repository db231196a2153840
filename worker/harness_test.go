//go:build !js

package worker

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/emulator"
	"github.com/stretchr/testify/require"
)

const (
	testClient   = "snworker-test"
	testRedirect = "https://app.example/redirect.html"
)

// env is one worker talking to one emulated instance.
type env struct {
	t        *testing.T
	instance *emulator.Server
	srv      *httptest.Server
	w        *Worker
	sender   *testSender // every API request's

	mu       sync.Mutex
	messages [][]byte // every envelope the worker posted, with its body
	events   []string
	waiting  map[int64][]chan reply // the latest caller of an id gets its next reply
}

// reply is a Reply as the module reads it off the wire.
type reply struct {
	ID     int64           `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *bridge.Error   `json:"error"`
	Body   []byte          `json:"-"`
}

// result decodes a reply's result as a T.
func result[T any](t *testing.T, r reply) T {
	t.Helper()
	var v T
	require.Nil(t, r.Error, "reply %d is an error", r.ID)
	require.NoError(t, json.Unmarshal(r.Result, &v), "reply %d: %s", r.ID, r.Result)
	return v
}

func newEnv(t *testing.T, clients ...emulator.Client) *env {
	t.Helper()
	if len(clients) == 0 {
		clients = []emulator.Client{{ID: testClient, RedirectURIs: []string{testRedirect}}}
	}
	return newEnvConfig(t, emulator.Config{Clients: clients})
}

func newEnvConfig(t *testing.T, cfg emulator.Config) *env {
	t.Helper()
	e := &env{t: t, instance: emulator.New(cfg), waiting: map[int64][]chan reply{}}
	e.srv = httptest.NewServer(e.instance)
	t.Cleanup(e.srv.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	e.sender = &testSender{client: client}
	e.w = New(client, e.sender, e.receive)
	e.w.timeout = 5 * time.Second
	return e
}

// receive is the worker's out: it records every message and hands replies
// to their callers.
func (e *env) receive(envelope []byte, body bridge.Body) {
	var b []byte
	if body != nil {
		b, _ = io.ReadAll(body.Reader())
	}
	var m struct {
		reply
		Event string `json:"event"`
	}
	require.NoError(e.t, json.Unmarshal(envelope, &m), "the worker posted %s", envelope)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.messages = append(e.messages, append(slices.Clip(envelope), b...))
	if m.Event != "" {
		if m.Event != bridge.EventLog {
			e.events = append(e.events, m.Event)
		}
		return
	}
	m.Body = b
	if chs := e.waiting[m.ID]; len(chs) > 0 {
		e.waiting[m.ID] = chs[:len(chs)-1]
		chs[len(chs)-1] <- m.reply
	}
}

// call sends one request through the wire encoding and waits for the reply.
func (e *env) call(op bridge.Op, params any, body []byte) reply {
	e.t.Helper()
	e.mu.Lock()
	id := int64(len(e.messages) + 1000)
	for len(e.waiting[id]) > 0 {
		id++
	}
	e.mu.Unlock()
	return e.callID(id, op, params, body)
}

func (e *env) callID(id int64, op bridge.Op, params any, body []byte) reply {
	e.t.Helper()
	return e.wait(id, op, e.start(id, op, params, body))
}

// start posts a request and returns the channel its reply comes on.
func (e *env) start(id int64, op bridge.Op, params any, body []byte) chan reply {
	e.t.Helper()
	done := make(chan reply, 1)
	e.mu.Lock()
	e.waiting[id] = append(e.waiting[id], done)
	e.mu.Unlock()
	var b bridge.Body
	if body != nil {
		b = bridge.Bytes(body)
	}
	e.w.Handle(Decode(bridge.Marshal(bridge.Request{ID: id, Op: op, Params: params}), b))
	return done
}

func (e *env) wait(id int64, op bridge.Op, done chan reply) reply {
	e.t.Helper()
	select {
	case r := <-done:
		require.Equal(e.t, id, r.ID, "reply ID")
		return r
	case <-time.After(15 * time.Second):
		e.t.Fatalf("no reply to %s within 15s", op)
		return reply{}
	}
}

// bearerWorks reports whether the instance accepts tok as an access token.
func (e *env) bearerWorks(tok string) bool {
	e.t.Helper()
	req, err := http.NewRequest("GET", e.srv.URL+"/api/now/table/incident?sysparm_limit=1", nil)
	require.NoError(e.t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

func (e *env) init(p *bridge.InitParams) {
	e.t.Helper()
	base := bridge.InitParams{InstanceURL: e.srv.URL, ClientID: testClient, RedirectURI: testRedirect, Endpoints: bridge.EndpointsServiceNow}
	if p != nil {
		base.TokenPath, base.RevokePath, base.AllowedPaths, base.Scopes = p.TokenPath, p.RevokePath, p.AllowedPaths, p.Scopes
	}
	r := e.call(bridge.OpInit, &base, nil)
	require.Nil(e.t, r.Error)
}

// connect runs the whole flow as a user who logs in and clicks Allow.
func (e *env) connect() {
	e.t.Helper()
	e.init(nil)
	r := e.call(bridge.OpComplete, &bridge.CompleteParams{Query: e.authorize("admin", "allow")}, nil)
	require.Nil(e.t, r.Error)
}

// authorize begins a flow and plays the user; it returns the redirect's query.
func (e *env) authorize(user, action string) string {
	e.t.Helper()
	r := e.call(bridge.OpBegin, &bridge.BeginParams{}, nil)
	require.Nil(e.t, r.Error)
	loc, err := emulator.Authorize(result[bridge.BeginResult](e.t, r).AuthorizeURL, user, user, action == "allow")
	require.NoError(e.t, err)
	require.True(e.t, strings.HasPrefix(loc.String(), testRedirect+"?"), loc.String())
	return loc.RawQuery
}

func (e *env) api(method, path string, body []byte) reply {
	e.t.Helper()
	return e.call(bridge.OpRequest, &bridge.RequestParams{Path: path, Method: method}, body)
}

func (e *env) sent() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var b strings.Builder
	for _, m := range e.messages {
		b.Write(m)
		b.WriteByte('\n')
	}
	return b.String()
}

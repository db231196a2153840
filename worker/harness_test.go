//go:build !js

package worker

import (
	"net/http"
	"net/http/httptest"
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

	mu       sync.Mutex
	messages [][]byte // every envelope the worker sent
	events   []string
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
	e := &env{t: t, instance: emulator.New(cfg)}
	e.srv = httptest.NewServer(e.instance)
	t.Cleanup(e.srv.Close)
	e.w = New(&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		func(ev bridge.Event) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.messages = append(e.messages, bridge.Marshal(ev))
			if ev.Event != bridge.EventLog {
				e.events = append(e.events, ev.Event)
			}
		})
	e.w.timeout = 5 * time.Second
	return e
}

// call sends one request through the wire encoding and waits for the reply.
func (e *env) call(op bridge.Op, params any, body []byte) bridge.Reply {
	e.t.Helper()
	e.mu.Lock()
	id := int64(len(e.messages) + 1000)
	e.mu.Unlock()
	return e.callID(id, op, params, body)
}

func (e *env) callID(id int64, op bridge.Op, params any, body []byte) bridge.Reply {
	e.t.Helper()
	req, derr := bridge.DecodeRequest(bridge.Marshal(bridge.Request{ID: id, Op: op, Params: params}), body)
	if derr != nil {
		return bridge.Reply{ID: req.ID, Error: derr}
	}
	done := make(chan bridge.Reply, 1)
	e.w.Handle(req, func(r bridge.Reply) {
		e.mu.Lock()
		e.messages = append(e.messages, append(bridge.Marshal(r), r.Body...))
		e.mu.Unlock()
		done <- r
	})
	select {
	case r := <-done:
		require.Equal(e.t, id, r.ID, "reply ID")
		return r
	case <-time.After(15 * time.Second):
		e.t.Fatalf("no reply to %s within 15s", op)
		return bridge.Reply{}
	}
}

// handle sends one request without waiting; wait takes its reply.
func (e *env) handle(id int64, op bridge.Op, params any) <-chan bridge.Reply {
	e.t.Helper()
	req, derr := bridge.DecodeRequest(bridge.Marshal(bridge.Request{ID: id, Op: op, Params: params}), nil)
	require.Nil(e.t, derr)
	done := make(chan bridge.Reply, 1)
	e.w.Handle(req, func(r bridge.Reply) { done <- r })
	return done
}

func (e *env) wait(reply <-chan bridge.Reply, what string) bridge.Reply {
	e.t.Helper()
	select {
	case r := <-reply:
		return r
	case <-time.After(15 * time.Second):
		e.t.Fatalf("no reply to %s within 15s", what)
		return bridge.Reply{}
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
	base := bridge.InitParams{InstanceURL: e.srv.URL, ClientID: testClient, RedirectURI: testRedirect}
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
	loc, err := emulator.Authorize(r.Result.(*bridge.BeginResult).AuthorizeURL, user, user, action == "allow")
	require.NoError(e.t, err)
	require.True(e.t, strings.HasPrefix(loc.String(), testRedirect+"?"), loc.String())
	return loc.RawQuery
}

func (e *env) api(method, path string, body []byte) bridge.Reply {
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

//go:build !js

package worker

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/emulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shared is a Sessions with ports, talking to one emulated instance.
type shared struct {
	t        *testing.T
	instance *emulator.Server
	srv      *httptest.Server
	s        *Sessions

	mu      sync.Mutex
	posted  []string                // every envelope, to any port
	events  map[int][]string        // per port, log lines left out
	logs    map[int][]string        // per port
	replies map[int][]reply         // per port, in order
	waiting map[[2]int64]chan reply // (port, id)
	watched map[int]string
}

func newShared(t *testing.T) *shared {
	t.Helper()
	sh := &shared{t: t, instance: emulator.New(emulator.Config{Clients: []emulator.Client{{ID: testClient, RedirectURIs: []string{testRedirect}}}}),
		events: map[int][]string{}, logs: map[int][]string{}, replies: map[int][]reply{}, waiting: map[[2]int64]chan reply{}, watched: map[int]string{}}
	sh.srv = httptest.NewServer(sh.instance)
	t.Cleanup(sh.srv.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	sh.s = NewSessions(client, sh.receive)
	sh.s.timeout = 5 * time.Second
	sh.s.watch = func(port int, lock string) {
		sh.mu.Lock()
		sh.watched[port] = lock
		sh.mu.Unlock()
	}
	return sh
}

func (sh *shared) receive(port int, envelope []byte, body bridge.Body) {
	var m struct {
		reply
		Event string          `json:"event"`
		Data  bridge.LogEntry `json:"data"`
	}
	require.NoError(sh.t, json.Unmarshal(envelope, &m))
	if body != nil {
		m.Body, _ = io.ReadAll(body.Reader())
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.posted = append(sh.posted, string(envelope)+string(m.Body))
	switch {
	case m.Event == bridge.EventLog:
		sh.logs[port] = append(sh.logs[port], m.Data.Message)
	case m.Event != "":
		sh.events[port] = append(sh.events[port], m.Event)
	default:
		sh.replies[port] = append(sh.replies[port], m.reply)
		if ch := sh.waiting[[2]int64{int64(port), m.ID}]; ch != nil {
			delete(sh.waiting, [2]int64{int64(port), m.ID})
			ch <- m.reply
		}
	}
}

// start sends a request from port and returns the channel of its reply.
func (sh *shared) start(port int, id int64, op bridge.Op, params any) chan reply {
	ch := make(chan reply, 1)
	sh.mu.Lock()
	sh.waiting[[2]int64{int64(port), id}] = ch
	sh.mu.Unlock()
	sh.s.Receive(port, bridge.Marshal(bridge.Request{ID: id, Op: op, Params: params}), nil)
	return ch
}

func (sh *shared) wait(ch chan reply, what string) reply {
	sh.t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(15 * time.Second):
		sh.t.Fatalf("no reply to %s within 15 s", what)
		return reply{}
	}
}

func (sh *shared) call(port int, id int64, op bridge.Op, params any) reply {
	sh.t.Helper()
	return sh.wait(sh.start(port, id, op, params), string(op))
}

func (sh *shared) attachParams() *bridge.AttachParams {
	return &bridge.AttachParams{InitParams: bridge.InitParams{InstanceURL: sh.srv.URL, ClientID: testClient, RedirectURI: testRedirect}, Lock: "snworker-window-test"}
}

func (sh *shared) attach(port int) bridge.AttachResult {
	sh.t.Helper()
	return result[bridge.AttachResult](sh.t, sh.call(port, 1, bridge.OpAttach, sh.attachParams()))
}

// signIn attaches port and signs in through it, as a user who clicks Allow.
func (sh *shared) signIn(port int) {
	sh.t.Helper()
	require.False(sh.t, sh.attach(port).Connected)
	begun := result[bridge.BeginResult](sh.t, sh.call(port, 2, bridge.OpBegin, &bridge.BeginParams{}))
	loc, err := emulator.Authorize(begun.AuthorizeURL, "admin", "admin", true)
	require.NoError(sh.t, err)
	r := sh.call(port, 3, bridge.OpComplete, &bridge.CompleteParams{Query: loc.RawQuery})
	require.Nil(sh.t, r.Error)
	r = sh.call(port, 4, bridge.OpSetUser, &bridge.SetUserParams{User: json.RawMessage(`{"user_name":"admin"}`)})
	require.Nil(sh.t, r.Error)
}

func (sh *shared) get(port int, id int64, path string) chan reply {
	return sh.start(port, id, bridge.OpRequest, &bridge.RequestParams{Path: path})
}

func (sh *shared) eventsOf(port int) []string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return append([]string(nil), sh.events[port]...)
}

// A second port attaches to the signed-in session and gets its user without
// a request to the instance; requests from both ports work.
func TestSessionsShareOneSession(t *testing.T) {
	sh := newShared(t)
	sh.signIn(1)
	sh.instance.Reset()
	res := sh.attach(2)
	assert.True(t, res.Connected)
	assert.JSONEq(t, `{"user_name":"admin"}`, string(res.User))
	r := sh.call(2, 5, bridge.OpSetUser, &bridge.SetUserParams{User: json.RawMessage(`{"user_name":"mallory"}`)})
	require.NotNil(t, r.Error, "a window that did not sign in cannot set the user")
	assert.Contains(t, r.Error.Message, "only the window that signed in")
	assert.JSONEq(t, `{"user_name":"admin"}`, string(sh.attach(3).User))
	assert.Empty(t, sh.instance.Requests(), "attaching sends no request")
	for _, port := range []int{1, 2} {
		r := sh.wait(sh.get(port, 9, "/api/now/table/incident?sysparm_limit=1"), "a request")
		assert.Equal(t, 200, result[bridge.APIResult](t, r).Status, "port %d", port)
	}
	assert.Equal(t, 2, sh.instance.Calls("api"))
	assert.Zero(t, sh.instance.Calls("token"), "no second sign-in, no refresh")
}

// Replies go to the port that asked, under its own ID, even when two ports
// use the same ID; a port cannot cancel another's request, nor reuse a
// pending ID.
func TestSessionsKeepPortsApart(t *testing.T) {
	sh := newShared(t)
	sh.signIn(1)
	sh.attach(2)
	sh.instance.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 300 * time.Millisecond})
	one := sh.get(1, 7, "/api/now/table/incident?sysparm_limit=1")
	two := sh.get(2, 7, "/api/now/table/incident?sysparm_limit=2")

	dup := sh.call(1, 7, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"})
	require.NotNil(t, dup.Error)
	assert.Equal(t, bridge.NameParameter, dup.Error.Name)
	assert.Contains(t, dup.Error.Message, "already in use")
	// That refusal answered ID 7 on port 1; the request's own reply follows.
	sh.mu.Lock()
	sh.waiting[[2]int64{1, 7}] = one
	sh.mu.Unlock()

	c := result[bridge.CancelResult](t, sh.call(2, 8, bridge.OpCancel, &bridge.CancelParams{ID: 7}))
	assert.True(t, c.Cancelled, "port 2 cancels its own request 7")
	r2 := sh.wait(two, "port 2's request")
	require.NotNil(t, r2.Error)
	assert.Equal(t, bridge.NameAbort, r2.Error.Name)
	r1 := sh.wait(one, "port 1's request")
	assert.Equal(t, 200, result[bridge.APIResult](t, r1).Status, "port 1's request 7 is untouched")
	assert.Contains(t, string(r1.Body), `"number"`)

	sh.mu.Lock()
	defer sh.mu.Unlock()
	for port, rs := range sh.replies {
		for _, r := range rs {
			assert.Contains(t, []int64{1, 2, 3, 4, 7, 8}, r.ID, "port %d got a reply with ID %d, not one of its own", port, r.ID)
		}
	}
}

// A port that goes has its pending requests dropped: no reply comes, and
// its fetch is cancelled; another port's pending request completes, and the
// session lives on.
func TestSessionsGoneDropsPending(t *testing.T) {
	sh := newShared(t)
	sh.signIn(1)
	sh.attach(2)
	assert.Equal(t, map[int]string{1: "snworker-window-test", 2: "snworker-window-test"}, sh.watched, "each port's lock is watched")
	sh.instance.Reset()
	sh.instance.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 20 * time.Second, Times: 1})
	sh.instance.InjectFault("/api/now/table/sys_user", emulator.Fault{Delay: time.Second, Times: 1})
	gone := sh.get(2, 5, "/api/now/table/incident")
	other := sh.get(1, 5, "/api/now/table/sys_user")
	require.Eventually(t, func() bool { return sh.instance.Calls("api") == 2 }, 5*time.Second, 5*time.Millisecond)

	sh.s.Gone(2)
	session := sh.s.ports[1].s
	require.Eventually(t, func() bool {
		session.w.mu.Lock()
		defer session.w.mu.Unlock()
		return len(session.w.pending) == 1
	}, time.Second, 5*time.Millisecond, "the gone port's request is cancelled at once, the other's not")
	assert.Equal(t, 200, result[bridge.APIResult](t, sh.wait(other, "port 1's request")).Status)
	select {
	case r := <-gone:
		t.Fatalf("the gone port got a reply: %+v", r)
	case <-time.After(100 * time.Millisecond):
	}
	assert.Contains(t, sh.logs[1], "a window left the shared session; 1 of its pending requests dropped")
	r := sh.call(2, 6, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"})
	require.NotNil(t, r.Error)
	assert.Contains(t, r.Error.Message, "not attached")
	assert.Equal(t, 200, result[bridge.APIResult](t, sh.wait(sh.get(1, 7, "/api/now/table/incident"), "port 1's next request")).Status)

	// A port that names a lock is watched; detach is Gone.
	p := sh.attachParams()
	p.Lock = "snworker-window-3"
	require.Nil(t, sh.call(3, 1, bridge.OpAttach, p).Error)
	assert.Equal(t, "snworker-window-3", sh.watched[3])
	require.Nil(t, sh.call(3, 2, bridge.OpDetach, nil).Error)
	assert.Contains(t, sh.call(3, 3, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}).Error.Message, "not attached")
}

// One refresh serves every port's requests when the access token expires,
// and every port hears of it.
func TestSessionsOneRefresh(t *testing.T) {
	sh := newShared(t)
	sh.signIn(1)
	sh.attach(2)
	sh.attach(3)
	sh.instance.ExpireAccessTokens()
	sh.instance.Reset()
	var chs []chan reply
	for i := range 30 {
		chs = append(chs, sh.get(1+i%3, int64(100+i), "/api/now/table/incident?sysparm_limit=1"))
	}
	for _, ch := range chs {
		assert.Equal(t, 200, result[bridge.APIResult](t, sh.wait(ch, "a request")).Status)
	}
	assert.Equal(t, 1, sh.instance.Calls("token:refresh_token"))
	for _, port := range []int{1, 2, 3} {
		assert.Equal(t, []string{bridge.EventRefreshing, bridge.EventRefreshed}, sh.eventsOf(port), "port %d", port)
	}
}

// disconnect from any port revokes the tokens and ends the session for all;
// the next attach starts a new session. No message to any port holds a
// token or the verifier.
func TestSessionsDisconnectEndsForAll(t *testing.T) {
	sh := newShared(t)
	sh.signIn(1)
	sh.attach(2)
	sh.instance.Reset()
	r := sh.call(2, 5, bridge.OpDisconnect, nil)
	assert.True(t, result[bridge.DisconnectResult](t, r).Revoked)
	assert.Equal(t, 2, sh.instance.Calls("revoke"))
	for _, port := range []int{1, 2} {
		assert.Equal(t, []string{bridge.EventDisconnected}, sh.eventsOf(port), "port %d", port)
		r := sh.call(port, 6, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"})
		require.NotNil(t, r.Error)
		assert.Equal(t, bridge.NameTokenExpired, r.Error.Name)
	}
	assert.False(t, sh.attach(3).Connected, "a new session")
	assert.Empty(t, sh.eventsOf(3))

	sh.mu.Lock()
	all := strings.Join(sh.posted, "\n")
	sh.mu.Unlock()
	secrets := sh.instance.IssuedTokens()
	require.GreaterOrEqual(t, len(secrets), 3)
	for _, session := range []*session{sh.s.ports[1].s} {
		session.w.secrets.mu.Lock()
		for _, v := range session.w.secrets.values {
			secrets = append(secrets, string(v))
		}
		session.w.secrets.mu.Unlock()
	}
	for i, s := range secrets {
		assert.NotContains(t, all, s, "secret #%d was posted to a port", i)
	}
}

// Attaching checks what it is given: a port attaches once, with settings
// that agree with a signed-in session's rules; a shared worker takes no
// init, and a dedicated one no attach.
func TestSessionsAttachRefusals(t *testing.T) {
	sh := newShared(t)
	sh.signIn(1)

	other := sh.attachParams()
	other.AllowedPaths = []string{"/api/now/table/incident"}
	r := sh.call(2, 1, bridge.OpAttach, other)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameInitialization, r.Error.Name)
	assert.Contains(t, r.Error.Message, "allowedPaths")

	r = sh.call(1, 9, bridge.OpAttach, sh.attachParams())
	require.NotNil(t, r.Error)
	assert.Contains(t, r.Error.Message, "already attached")
	r = sh.call(4, 1, bridge.OpInit, &sh.attachParams().InitParams)
	require.NotNil(t, r.Error)
	assert.Contains(t, r.Error.Message, "send attach")
	r = sh.call(4, 2, bridge.OpSetUser, &bridge.SetUserParams{User: json.RawMessage(`{}`)})
	require.NotNil(t, r.Error)
	assert.Contains(t, r.Error.Message, "not attached")
	r = sh.call(4, 3, bridge.OpAttach, &bridge.AttachParams{InitParams: bridge.InitParams{InstanceURL: "http://example.com", ClientID: testClient, RedirectURI: testRedirect}, Lock: "l"})
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameParameter, r.Error.Name)
	assert.Equal(t, 200, result[bridge.APIResult](t, sh.wait(sh.get(1, 10, "/api/now/table/incident?sysparm_limit=1"), "a request after the refusals")).Status)

	e := newEnv(t)
	r2 := e.call(bridge.OpAttach, sh.attachParams(), nil)
	require.NotNil(t, r2.Error)
	assert.Contains(t, r2.Error.Message, "shared worker")
}

// A port that names no Web Lock is refused: the worker could never see its
// window go, and it would keep the session, tokens and all, alive after the
// app's last window. Once that window goes, the session waits out its
// grace period whatever other ports remain.
func TestSessionsLocklessPortRefused(t *testing.T) {
	sh := newShared(t)
	sh.signIn(1)
	lockless := sh.attachParams()
	lockless.Lock = ""
	r := sh.call(2, 1, bridge.OpAttach, lockless)
	require.NotNil(t, r.Error, "a port without a lock attached")
	assert.Equal(t, bridge.NameInitialization, r.Error.Name)
	assert.Contains(t, r.Error.Message, "params.lock")
	assert.NotContains(t, sh.watched, 2)
	assert.Contains(t, sh.call(2, 2, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}).Error.Message, "not attached")

	sh.s.Gone(1) // the window's lock is free
	sh.s.mu.Lock()
	waiting := len(sh.s.grace.waiting)
	sh.s.mu.Unlock()
	assert.Equal(t, 1, waiting, "the session waits out its grace period")
}

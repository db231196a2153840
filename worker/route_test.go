//go:build !js

package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/emulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testSender sends as webworker/worker.js's fetch does: each request on its
// own goroutine, header names back in lower case. It records what it sent.
type testSender struct {
	client *http.Client

	mu     sync.Mutex
	sent   []Outgoing
	bodies []string                      // each request's body as sent
	answer func(n int) (*Incoming, bool) // if set, instead of the network; false: never, until aborted
}

func (s *testSender) Send(r *Outgoing, done func(*Incoming)) func() {
	ctx, cancel := context.WithCancel(context.Background())
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body.Reader())
	}
	s.mu.Lock()
	s.sent = append(s.sent, *r)
	s.bodies = append(s.bodies, string(body))
	n, answer := len(s.sent), s.answer
	s.mu.Unlock()
	go func() {
		defer cancel()
		if answer == nil {
			done(s.roundTrip(ctx, r, body))
			return
		}
		in, ok := answer(n)
		if !ok {
			<-ctx.Done()
			in = &Incoming{Err: "AbortError: signal is aborted without reason"}
		}
		done(in)
	}()
	return cancel
}

func (s *testSender) roundTrip(ctx context.Context, r *Outgoing, body []byte) *Incoming {
	var rd io.Reader
	if r.Body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, rd)
	if err != nil {
		return &Incoming{Err: "TypeError: " + err.Error()}
	}
	req.Header = r.Header.Clone()
	res, err := s.client.Do(req)
	if err != nil {
		return &Incoming{Err: "TypeError: Failed to fetch"}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return &Incoming{Err: "TypeError: network error"}
	}
	h := map[string]string{}
	for k, vs := range res.Header {
		h[strings.ToLower(k)] = strings.Join(vs, ", ")
	}
	return &Incoming{Status: res.StatusCode, Header: h, Body: bridge.Bytes(b)}
}

func (s *testSender) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sent)
}

// A plain request goes out once through the sender and is answered with
// the instance's status, headers and body.
func TestRouteAnswersPlainRequests(t *testing.T) {
	e := newEnv(t)
	e.connect()
	require.Zero(t, e.sender.count(), "init, begin and complete call the token endpoint, not the sender")

	const path = "/api/now/table/incident?sysparm_limit=2"
	r := e.api("GET", path, nil)
	require.Nil(t, r.Error)
	res := result[bridge.APIResult](t, r)
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, bridge.KindJSON, res.Kind)
	assert.Contains(t, res.Headers["link"], `rel="next"`)
	assert.NotContains(t, res.Headers, "content-encoding", "fetch has decoded the body")
	assert.Contains(t, string(r.Body), `"number":"INC`)
	assert.Equal(t, 1, e.sender.count())
	sent := e.sender.sent[0]
	assert.Equal(t, "GET", sent.Method)
	assert.Equal(t, e.srv.URL+path, sent.URL)
	assert.Equal(t, "Bearer "+e.w.tokens.tok.AccessToken, sent.Header.Get("Authorization"))
	assert.Equal(t, "application/json", sent.Header.Get("Accept"))
	assert.Nil(t, sent.Body)

	// A POST's body goes out as it came; an empty one is left out;
	// suppressResponseBody holds back the reply's.
	r = e.api("POST", "/api/now/table/incident", []byte(`{"short_description":"routed"}`))
	require.Nil(t, r.Error)
	assert.Equal(t, 201, result[bridge.APIResult](t, r).Status)
	assert.Contains(t, string(r.Body), `"short_description":"routed"`)
	assert.Equal(t, `{"short_description":"routed"}`, e.sender.bodies[1])
	r = e.api("POST", "/api/now/table/incident", []byte{})
	require.NotNil(t, r.Result)
	assert.Nil(t, e.sender.sent[2].Body, "an empty body is left out")
	r = e.call(bridge.OpRequest, &bridge.RequestParams{Path: path, SuppressResponseBody: true}, nil)
	require.Nil(t, r.Error)
	assert.Equal(t, bridge.KindNone, result[bridge.APIResult](t, r).Kind)
	assert.Empty(t, r.Body)
	assert.Equal(t, 4, e.sender.count())
	assert.Equal(t, 4, e.instance.Calls("api"))
	e.w.mu.Lock()
	assert.Empty(t, e.w.pending, "no request left behind")
	e.w.mu.Unlock()
}

// What fails the checks never reaches the sender; a token due for renewal
// is renewed before the send, on the same route.
func TestRouteRefusesAndRenews(t *testing.T) {
	c := &clock{}
	c.ns.Store(time.Now().UnixNano())
	e := newEnvConfig(t, emulator.Config{Clients: []emulator.Client{{ID: testClient, RedirectURIs: []string{testRedirect}}}, Now: c.now})
	e.w.now = c.now

	r := e.api("GET", "/api/now/table/incident", nil)
	assert.Equal(t, bridge.NameInitialization, r.Error.Name, "before init")
	e.connect()
	for _, p := range []*bridge.RequestParams{
		{Path: "https://evil.example/api/now/table/incident"},
		{Path: "/api/now/table/incident", Method: "TRACE"},
		{Path: "/api/now/table/incident", Headers: map[string]string{"Authorization": "Bearer x"}},
	} {
		r := e.call(bridge.OpRequest, p, nil)
		require.NotNil(t, r.Error, "%+v", p)
		assert.Equal(t, bridge.NameParameter, r.Error.Name)
	}
	assert.Zero(t, e.sender.count(), "an invalid request is never sent")

	// A pending id is refused.
	e.instance.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 10 * time.Second, Times: 1})
	slow := e.start(77, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}, nil)
	require.Eventually(t, func() bool { return e.instance.Calls("api") == 1 }, 5*time.Second, 5*time.Millisecond)
	r = e.callID(77, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}, nil)
	assert.Contains(t, r.Error.Message, "already in use")
	assert.Equal(t, 1, e.sender.count())
	e.call(bridge.OpCancel, &bridge.CancelParams{ID: 77}, nil)
	assert.Equal(t, bridge.NameAbort, e.wait(77, bridge.OpRequest, slow).Error.Name)

	// A token due for renewal is renewed, then the request is sent once, with the new token.
	c.advance(1800*time.Second - 30*time.Second)
	old := e.w.tokens.tok.AccessToken
	n := e.sender.count()
	r = e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)
	require.Nil(t, r.Error)
	assert.Equal(t, 1, e.instance.Calls("token:refresh_token"))
	require.Equal(t, n+1, e.sender.count(), "sent once, after the renewal")
	assert.NotEqual(t, "Bearer "+old, e.sender.sent[n].Header.Get("Authorization"))

	r = e.call(bridge.OpDisconnect, &bridge.DisconnectParams{}, nil)
	require.Nil(t, r.Error)
	r = e.api("GET", "/api/now/table/incident", nil)
	assert.Equal(t, bridge.NameTokenExpired, r.Error.Name, "closed")
	assert.Equal(t, n+1, e.sender.count())
}

// After the send: a 401 renews the token and sends again, other statuses
// and failures become errors, a disconnect ends a request in flight.
func TestRouteAfterTheSend(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.instance.ExpireAccessTokens()
	r := e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)
	require.Nil(t, r.Error)
	assert.Equal(t, 2, e.sender.count(), "refused with 401, sent again")
	assert.Equal(t, 1, e.instance.Calls("token:refresh_token"))
	assert.Equal(t, 2, e.instance.Calls("api"), "sent again with the renewed token")

	r = e.api("GET", "/api/now/table/incident/00000000000000000000000000000000", nil)
	require.NotNil(t, r.Error)
	assert.Equal(t, bridge.NameAPIRequest, r.Error.Name)
	assert.Equal(t, 404, r.Error.Status)
	assert.NotEmpty(t, r.Error.Message)

	e.instance.InjectFault("/api/now/table/incident", emulator.Fault{Redirect: "https://evil.example/", Times: 1})
	r = e.api("GET", "/api/now/table/incident", nil)
	assert.Contains(t, r.Error.Message, "redirect")

	e.instance.InjectFault("/api/now/table/incident", emulator.Fault{Drop: true, Times: 2})
	r = e.api("GET", "/api/now/table/incident", nil)
	assert.Equal(t, bridge.NameAPIRequest, r.Error.Name)
	assert.Contains(t, r.Error.Message, "request to the instance failed")

	// Disconnect ends a request in flight.
	// (A dropped request may have been sent once or twice: net/http, under
	// the test's sender, retries on a reused connection that drops. So
	// count from here.)
	e.instance.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 10 * time.Second, Times: 1})
	before := e.instance.Calls("api")
	slow := e.start(90, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}, nil)
	require.Eventually(t, func() bool { return e.instance.Calls("api") > before }, 5*time.Second, 5*time.Millisecond, "the slow request never reached the instance")
	e.call(bridge.OpDisconnect, &bridge.DisconnectParams{}, nil)
	r = e.wait(90, bridge.OpRequest, slow)
	assert.Equal(t, bridge.NameAbort, r.Error.Name)
	assert.Contains(t, r.Error.Message, "connection was closed")
}

// A write answered 401 is sent again with its body, whatever the body is
// (in the browser, the page's ArrayBuffer, b859851).
func TestRouteKeepsTheBodyForTheRetry(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.instance.ExpireAccessTokens()
	r := e.api("POST", "/api/now/table/incident", []byte(`{"short_description":"after a 401"}`))
	require.Nil(t, r.Error)
	assert.Equal(t, 201, result[bridge.APIResult](t, r).Status)
	assert.Contains(t, string(r.Body), `"short_description":"after a 401"`)
	require.Equal(t, 2, e.sender.count())
	assert.Equal(t, e.sender.bodies[0], e.sender.bodies[1], "the same body both times")
	assert.NotEqual(t, e.sender.sent[0].Header.Get("Authorization"), e.sender.sent[1].Header.Get("Authorization"))
}

// Whichever step answers a request, it is no longer pending when its reply
// leaves, so the page may reuse its id at once (bcfc476).
func TestRouteLeavesPendingBeforeTheReply(t *testing.T) {
	e := newEnv(t)
	e.connect()
	var pendingAtReply []int64
	out := e.w.out
	e.w.out = func(env []byte, body bridge.Body) {
		var id struct{ ID int64 }
		require.NoError(t, json.Unmarshal(env, &id))
		e.w.mu.Lock()
		if _, ok := e.w.pending[id.ID]; ok && id.ID != 0 {
			pendingAtReply = append(pendingAtReply, id.ID)
		}
		e.w.mu.Unlock()
		out(env, body)
	}
	e.api("GET", "/api/now/table/incident", nil)                                  // 2xx
	e.api("GET", "/api/now/table/incident/00000000000000000000000000000000", nil) // another status
	e.instance.ExpireAccessTokens()
	e.api("GET", "/api/now/table/incident", nil) // 401, renewed
	e.sender.answer = func(int) (*Incoming, bool) { return nil, false }
	slow := e.start(5, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}, nil)
	e.call(bridge.OpCancel, &bridge.CancelParams{ID: 5}, nil) // cancelled
	e.wait(5, bridge.OpRequest, slow)
	assert.Empty(t, pendingAtReply, "requests still pending as they were answered")
}

// A reply leaves the worker through post, like every message: a token in
// what the instance sends back is redacted.
func TestRouteRepliesAreRedacted(t *testing.T) {
	e := newEnv(t)
	e.connect()
	tok := e.w.tokens.tok
	tokens := []string{tok.AccessToken, tok.RefreshToken}
	for _, tok := range tokens {
		e.sender.answer = func(int) (*Incoming, bool) {
			return &Incoming{Status: 200, Header: map[string]string{"content-type": "application/json", "x-echo": "Bearer " + tok},
				Body: bridge.Bytes(`{"result":[]}`)}, true
		}
		r := e.api("GET", "/api/now/table/incident", nil)
		require.Nil(t, r.Error)
		assert.Equal(t, "Bearer "+redacted, result[bridge.APIResult](t, r).Headers["x-echo"])
		assert.NotContains(t, e.sent(), tok)
	}
}

// A request cancelled in flight is aborted and answered AbortError, even
// when the instance's answer comes before the abort is seen.
func TestRouteCancel(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.sender.answer = func(int) (*Incoming, bool) { return nil, false } // never answers until aborted
	slow := e.start(5, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}, nil)
	r := e.call(bridge.OpCancel, &bridge.CancelParams{ID: 5}, nil)
	assert.True(t, result[bridge.CancelResult](t, r).Cancelled)
	r = e.wait(5, bridge.OpRequest, slow)
	assert.Equal(t, bridge.NameAbort, r.Error.Name)
	assert.Equal(t, 1, e.sender.count())
}

func TestWarmUp(t *testing.T) {
	require.NoError(t, WarmUp())
}

// In a shared worker a request takes the same route: through the sender,
// renewed after a 401 and sent again, never through the HTTP client that
// the token endpoint uses.
func TestRouteInSharedSessions(t *testing.T) {
	sh := newShared(t)
	sh.signIn(1)
	sh.attach(2)
	tokenCalls := sh.instance.Calls("token")
	r := sh.wait(sh.get(2, 5, "/api/now/table/incident?sysparm_limit=1"), "port 2's request")
	assert.Equal(t, 200, result[bridge.APIResult](t, r).Status)
	assert.Equal(t, 1, sh.sender.count())
	sh.instance.ExpireAccessTokens()
	r = sh.wait(sh.get(1, 6, "/api/now/table/incident?sysparm_limit=1"), "port 1's request")
	assert.Equal(t, 200, result[bridge.APIResult](t, r).Status)
	assert.Equal(t, 3, sh.sender.count(), "refused with 401, sent again")
	assert.Equal(t, sh.sender.count(), sh.instance.Calls("api"), "every API request went through the sender")
	assert.Equal(t, tokenCalls+1, sh.instance.Calls("token"), "one renewal")
}

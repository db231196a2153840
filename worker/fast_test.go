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

// testFetcher is the fast path's Fetcher as webworker/worker.js is: each fetch
// runs on its own, its outcome goes to Fetched, and what Fetched leaves
// goes to Resume. Header names come back in lower case, as fetch gives them.
type testFetcher struct {
	w      *Worker
	client *http.Client

	mu      sync.Mutex
	next    int32
	fetches int
	cancels map[int32]func()
	answer  func(id int32) (status int, lines string, body []byte, ok bool) // if set, instead of the network
}

func (f *testFetcher) Fetch(method, url, headerLines string, body bridge.Body) int32 {
	ctx, cancel := context.WithCancel(context.Background())
	f.mu.Lock()
	f.next++
	id := f.next
	f.fetches++
	f.cancels[id] = cancel
	answer := f.answer
	f.mu.Unlock()
	var data []byte
	if body != nil {
		data, _ = io.ReadAll(body.Reader())
	}
	go func() {
		defer cancel()
		status, lines, b := -1, "", []byte(nil)
		if answer != nil {
			var ok bool
			if status, lines, b, ok = answer(id); !ok {
				<-ctx.Done()
				status, lines = -1, "AbortError: the operation was aborted"
			}
		} else {
			status, lines, b = f.roundTrip(ctx, method, url, headerLines, data)
		}
		var rb bridge.Body
		if status >= 0 {
			rb = bridge.Bytes(b)
		}
		if !f.w.Fetched(id, status, lines, rb) {
			f.w.Resume(id, status, lines, rb)
		}
	}()
	return id
}

func (f *testFetcher) roundTrip(ctx context.Context, method, url, headerLines string, body []byte) (int, string, []byte) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return -1, err.Error(), nil
	}
	for line := range strings.Lines(headerLines) {
		if k, v, ok := strings.Cut(strings.TrimSuffix(line, "\n"), ": "); ok {
			req.Header.Set(k, v)
		}
	}
	res, err := f.client.Do(req)
	if err != nil {
		return -1, "TypeError: Failed to fetch", nil
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return -1, "TypeError: network error", nil
	}
	var lines strings.Builder
	for k, vs := range res.Header {
		lines.WriteString(strings.ToLower(k) + ": " + strings.Join(vs, ", ") + "\n")
	}
	return res.StatusCode, lines.String(), b
}

func (f *testFetcher) Abort(id int32) {
	f.mu.Lock()
	cancel := f.cancels[id]
	f.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

func (f *testFetcher) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fetches
}

// A plain GET goes out on the fast path and is answered there: one fetch,
// the reply and body as the full path gives them.
func TestFastPathAnswersPlainRequests(t *testing.T) {
	full := newEnv(t).fullPathOnly()
	full.connect()
	fast := newEnv(t)
	fast.connect()
	require.Zero(t, fast.fetcher.count(), "init, begin and complete take the full path")

	const path = "/api/now/table/incident?sysparm_limit=2"
	want := full.api("GET", path, nil)
	got := fast.api("GET", path, nil)
	require.Nil(t, got.Error)
	assert.Equal(t, 1, fast.fetcher.count(), "sent on the fast path")
	same := func(b []byte) string { return strings.ReplaceAll(string(b), full.srv.URL, fast.srv.URL) }
	var wantRes, gotRes bridge.APIResult
	require.NoError(t, json.Unmarshal([]byte(same(want.Result)), &wantRes))
	require.NoError(t, json.Unmarshal(got.Result, &gotRes))
	delete(wantRes.Headers, "date")
	delete(gotRes.Headers, "date")
	assert.Equal(t, wantRes, gotRes, "the same result either way")
	assert.Equal(t, same(want.Body), string(got.Body))
	assert.Equal(t, 1, fast.instance.Calls("api"))

	// A POST's body goes out as it came; suppressResponseBody holds back the reply's.
	r := fast.api("POST", "/api/now/table/incident", []byte(`{"short_description":"fast"}`))
	require.Nil(t, r.Error)
	assert.Equal(t, 201, result[bridge.APIResult](t, r).Status)
	assert.Contains(t, string(r.Body), `"short_description":"fast"`)
	r = fast.call(bridge.OpRequest, &bridge.RequestParams{Path: path, SuppressResponseBody: true}, nil)
	require.Nil(t, r.Error)
	assert.Equal(t, bridge.KindNone, result[bridge.APIResult](t, r).Kind)
	assert.Empty(t, r.Body)
	assert.Equal(t, 3, fast.fetcher.count())
	fast.mu.Lock()
	assert.Empty(t, fast.w.fast, "no fast request left behind")
	assert.Empty(t, fast.w.pending)
	fast.mu.Unlock()
}

// Everything but a plain request with a live token takes the full path,
// which answers as it always did.
func TestFastPathLeavesTheUnusual(t *testing.T) {
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
	assert.Zero(t, e.fetcher.count(), "an invalid request is refused on the full path")

	// A pending id is refused, whichever path holds it.
	e.instance.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 10 * time.Second, Times: 1})
	slow := e.start(77, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}, nil)
	require.Eventually(t, func() bool { return e.instance.Calls("api") == 1 }, 5*time.Second, 5*time.Millisecond)
	r = e.callID(77, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}, nil)
	assert.Contains(t, r.Error.Message, "already in use")
	assert.Equal(t, 1, e.fetcher.count())
	e.call(bridge.OpCancel, &bridge.CancelParams{ID: 77}, nil)
	assert.Equal(t, bridge.NameAbort, e.wait(77, bridge.OpRequest, slow).Error.Name)

	// A token due for renewal is renewed on the full path, then the fast path serves again.
	c.advance(1800*time.Second - 30*time.Second)
	n := e.fetcher.count()
	r = e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)
	require.Nil(t, r.Error)
	assert.Equal(t, n, e.fetcher.count(), "renewal takes the full path")
	assert.Equal(t, 1, e.instance.Calls("token:refresh_token"))
	r = e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)
	require.Nil(t, r.Error)
	assert.Equal(t, n+1, e.fetcher.count(), "the renewed token goes out on the fast path")

	r = e.call(bridge.OpDisconnect, &bridge.DisconnectParams{}, nil)
	require.Nil(t, r.Error)
	r = e.api("GET", "/api/now/table/incident", nil)
	assert.Equal(t, bridge.NameTokenExpired, r.Error.Name, "closed")
	assert.Equal(t, n+1, e.fetcher.count())
}

// Answers other than a 2xx continue on the full path: a 401 renews the
// token and sends again, other statuses and failures become errors.
func TestFastPathResumesOnTheFullPath(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.instance.ExpireAccessTokens()
	r := e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil)
	require.Nil(t, r.Error)
	assert.Equal(t, 1, e.fetcher.count(), "sent fast, refused with 401")
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

	// Disconnect ends a fast request in flight.
	// (A dropped request may have been sent once or twice: net/http retries
	// on a reused connection that drops. So count from here.)
	e.instance.InjectFault("/api/now/table/incident", emulator.Fault{Delay: 10 * time.Second, Times: 1})
	before := e.instance.Calls("api")
	slow := e.start(90, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}, nil)
	require.Eventually(t, func() bool { return e.instance.Calls("api") > before }, 5*time.Second, 5*time.Millisecond, "the slow request never reached the instance")
	e.call(bridge.OpDisconnect, &bridge.DisconnectParams{}, nil)
	r = e.wait(90, bridge.OpRequest, slow)
	assert.Equal(t, bridge.NameAbort, r.Error.Name)
	assert.Contains(t, r.Error.Message, "connection was closed")
}

// A fast reply leaves the worker through post, like every message: a
// token in what the instance sends back is redacted.
func TestFastPathRepliesAreRedacted(t *testing.T) {
	e := newEnv(t)
	e.connect()
	tok := e.w.tokens.tok
	tokens := []string{tok.AccessToken, tok.RefreshToken}
	for _, tok := range tokens {
		e.fetcher.answer = func(int32) (int, string, []byte, bool) {
			return 200, "content-type: application/json\nx-echo: Bearer " + tok + "\n", []byte(`{"result":[]}`), true
		}
		r := e.api("GET", "/api/now/table/incident", nil)
		require.Nil(t, r.Error)
		assert.Equal(t, "Bearer "+redacted, result[bridge.APIResult](t, r).Headers["x-echo"])
		assert.NotContains(t, e.sent(), tok)
	}
	assert.Equal(t, len(tokens), e.fetcher.count(), "every reply was a fast one")
}

// A fast request cancelled in flight is aborted and answered AbortError.
func TestFastPathCancel(t *testing.T) {
	e := newEnv(t)
	e.connect()
	e.fetcher.answer = func(int32) (int, string, []byte, bool) { return 0, "", nil, false } // never answers until aborted
	slow := e.start(5, bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident"}, nil)
	r := e.call(bridge.OpCancel, &bridge.CancelParams{ID: 5}, nil)
	assert.True(t, result[bridge.CancelResult](t, r).Cancelled)
	r = e.wait(5, bridge.OpRequest, slow)
	assert.Equal(t, bridge.NameAbort, r.Error.Name)
	assert.Equal(t, 1, e.fetcher.count())
}

func TestWarmUp(t *testing.T) {
	require.NoError(t, WarmUp())
}

//go:build !js

package worker

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/emulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock holds the grace timers until a test fires them.
type fakeClock struct {
	mu     sync.Mutex
	timers []*fakeTimer
}

type fakeTimer struct {
	d       time.Duration
	f       func()
	stopped bool
}

func (c *fakeClock) after(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{d: d, f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		was := !t.stopped
		t.stopped = true
		return was
	}
}

// pending lists the durations of the timers neither stopped nor fired.
func (c *fakeClock) pending() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []time.Duration
	for _, t := range c.timers {
		if !t.stopped {
			out = append(out, t.d)
		}
	}
	return out
}

// fire runs every pending timer, as if its time had come.
func (c *fakeClock) fire() {
	c.mu.Lock()
	var due []func()
	for _, t := range c.timers {
		if !t.stopped {
			t.stopped = true
			due = append(due, t.f)
		}
	}
	c.mu.Unlock()
	for _, f := range due {
		f()
	}
}

// newGraceShared is newShared with a fake clock and a close hook whose calls
// arrive on the returned channel.
func newGraceShared(t *testing.T) (*shared, *fakeClock, chan struct{}) {
	sh := newShared(t)
	clock := &fakeClock{}
	closed := make(chan struct{}, 4)
	sh.s.grace.after = clock.after
	sh.s.grace.close = func() bool {
		closed <- struct{}{}
		return true
	}
	return sh, clock, closed
}

// signInWith is signIn with attach parameters of the test's own.
func (sh *shared) signInWith(port int, p *bridge.AttachParams) {
	sh.t.Helper()
	require.False(sh.t, result[bridge.AttachResult](sh.t, sh.call(port, 1, bridge.OpAttach, p)).Connected)
	begun := result[bridge.BeginResult](sh.t, sh.call(port, 2, bridge.OpBegin, &bridge.BeginParams{}))
	loc, err := emulator.Authorize(begun.AuthorizeURL, "admin", "admin", true)
	require.NoError(sh.t, err)
	require.Nil(sh.t, sh.call(port, 3, bridge.OpComplete, &bridge.CompleteParams{Query: loc.RawQuery}).Error)
	require.Nil(sh.t, sh.call(port, 4, bridge.OpSetUser, &bridge.SetUserParams{User: json.RawMessage(`{"user_name":"admin"}`)}).Error)
}

func waitClosed(t *testing.T, closed chan struct{}) {
	t.Helper()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the worker did not end within 10 s")
	}
}

func graceMS(ms int64) *int64 { return &ms }

// A window that attaches within the grace period (a reload) finds the
// session signed in, with its user, and its timer stopped: nothing is
// revoked and no request goes to the instance.
func TestGraceWindowComesBack(t *testing.T) {
	sh, clock, closed := newGraceShared(t)
	sh.signIn(1)
	sh.instance.Reset()
	sh.s.Gone(1)
	assert.Equal(t, []time.Duration{bridge.DefaultGraceMS * time.Millisecond}, clock.pending(), "the default grace period")

	res := sh.attach(2)
	assert.True(t, res.Connected, "the reloaded window finds the session")
	assert.JSONEq(t, `{"user_name":"admin"}`, string(res.User))
	assert.Empty(t, clock.pending(), "the wait is stopped")
	assert.Empty(t, sh.instance.Requests(), "joining sends no request")
	clock.fire()
	assert.Equal(t, 200, result[bridge.APIResult](t, sh.wait(sh.get(2, 5, "/api/now/table/incident?sysparm_limit=1"), "a request")).Status)
	assert.Zero(t, sh.instance.Calls("revoke"))
	assert.Empty(t, closed)
}

// When no window comes back within the grace period, the worker revokes
// both tokens, and ends; the next window starts a new session.
func TestGraceEnds(t *testing.T) {
	sh, clock, closed := newGraceShared(t)
	sh.signIn(1)
	issued := sh.instance.IssuedTokens()
	working := 0
	for _, tok := range issued {
		if tokenWorks(t, sh, tok) {
			working++
		}
	}
	require.Equal(t, 2, working, "the access and the refresh token work before")
	sh.instance.Reset()
	sh.s.Gone(1)
	require.Len(t, clock.pending(), 1)
	clock.fire()
	waitClosed(t, closed)
	assert.Equal(t, 2, sh.instance.Calls("revoke"), "the refresh and the access token")
	for i, tok := range issued {
		assert.False(t, tokenWorks(t, sh, tok), "token #%d still works", i)
	}
	assert.False(t, sh.attach(2).Connected, "a new session")
	assert.Equal(t, 2, sh.instance.Calls("revoke"), "nothing more")
}

// tokenWorks reports whether the instance takes tok as a bearer or refresh token.
func tokenWorks(t *testing.T, sh *shared, tok string) bool {
	req, err := http.NewRequest(http.MethodGet, sh.srv.URL+"/api/now/table/sys_user?sysparm_limit=1", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	if res.StatusCode == http.StatusOK {
		return true
	}
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {testClient}, "refresh_token": {tok}}
	res, err = http.PostForm(sh.srv.URL+"/oauth_token.do", form)
	require.NoError(t, err)
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// A grace period of 0 ends the session as its last window goes, with no
// wait; the grace period is that of the port that started the session.
func TestGraceOff(t *testing.T) {
	sh, clock, closed := newGraceShared(t)
	p := sh.attachParams()
	p.GraceMS = graceMS(0)
	sh.signInWith(1, p)
	later := sh.attachParams()
	later.GraceMS = graceMS(bridge.MaxGraceMS)
	require.True(t, result[bridge.AttachResult](t, sh.call(2, 1, bridge.OpAttach, later)).Connected)
	sh.instance.Reset()
	sh.s.Gone(2)
	sh.s.Gone(1)
	waitClosed(t, closed)
	assert.Empty(t, clock.pending(), "no wait")
	assert.Equal(t, 2, sh.instance.Calls("revoke"))
}

// The grace period of a session is its own: the worker ends only once
// every session has ended and no window is left.
func TestGraceOneSessionOfTwo(t *testing.T) {
	sh, clock, closed := newGraceShared(t)
	p := sh.attachParams()
	p.GraceMS = graceMS(3000)
	sh.signInWith(1, p)
	other := sh.attachParams() // the same instance under another origin: another session
	other.InstanceURL = strings.Replace(sh.srv.URL, "127.0.0.1", "localhost", 1)
	sh.signInWith(2, other)
	sh.instance.Reset()

	sh.s.Gone(1)
	assert.Equal(t, []time.Duration{3 * time.Second}, clock.pending())
	clock.fire()
	assert.Equal(t, 2, sh.instance.Calls("revoke"), "the first session's tokens")
	assert.Empty(t, closed, "a window of another session is open")
	assert.Equal(t, 200, result[bridge.APIResult](t, sh.wait(sh.get(2, 5, "/api/now/table/incident?sysparm_limit=1"), "a request")).Status)

	sh.s.Gone(2)
	assert.Equal(t, []time.Duration{bridge.DefaultGraceMS * time.Millisecond}, clock.pending())
	clock.fire()
	waitClosed(t, closed)
	assert.Equal(t, 4, sh.instance.Calls("revoke"))
}

// A session that was disconnected ends with its last window, at once, as
// no window can join it; a window that never started a sign-in has no
// session to wait for. Neither had tokens to revoke, and neither ends the
// worker: the browser keeps it while a page of the app is open.
func TestGraceSessionsWithoutTokens(t *testing.T) {
	sh, clock, closed := newGraceShared(t)
	sh.signIn(1)
	require.Nil(t, sh.call(1, 5, bridge.OpDisconnect, nil).Error)
	require.False(t, sh.attach(2).Connected)
	sh.instance.Reset()
	sh.s.Gone(1)
	waiting := func() int {
		sh.s.mu.Lock()
		defer sh.s.mu.Unlock()
		return len(sh.s.grace.waiting)
	}
	require.Eventually(t, func() bool { return waiting() == 0 }, 5*time.Second, time.Millisecond, "the disconnected session ends")
	assert.Empty(t, clock.pending(), "at once")

	sh.s.Gone(2)
	assert.Empty(t, clock.pending(), "no session to wait for")
	assert.False(t, sh.attach(3).Connected, "a new window finds none")
	assert.Zero(t, sh.instance.Calls("revoke"), "revoked once, by disconnect")
	assert.Empty(t, closed)
}

// A session the grace period ended is not joined: an attach that found it
// before it ended starts a new one.
func TestGraceEndedSessionIsNotJoined(t *testing.T) {
	sh, clock, closed := newGraceShared(t)
	sh.signIn(1)
	sess := sh.s.ports[1].s
	sh.s.Gone(1)
	clock.fire()
	waitClosed(t, closed)
	sh.s.mu.Lock()
	ok := sh.s.rejoin(sess)
	sh.s.mu.Unlock()
	assert.False(t, ok)
}

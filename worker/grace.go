package worker

import (
	"time"

	"github.com/snworker/snworker/bridge"
)

// The grace period of a shared session. When the last window of a session
// goes, the session waits for one to come back (a reload, a navigation to
// another page of the app); if none attaches in time, the worker revokes
// the session's tokens, and once no session and no window is left, it
// ends. The browser may end the worker sooner: the grace period bounds
// what the worker keeps, never extends it.

// graces is Sessions' grace state, guarded by Sessions.mu.
type graces struct {
	// after runs f after d unless stopped: time.AfterFunc, or a test's clock.
	after func(d time.Duration, f func()) (stop func() bool)
	// close, if set, ends the worker; it reports whether it did.
	close func() bool

	waiting map[*session]*graceTimer // sessions without a window, waiting
}

type graceTimer struct{ stop func() bool }

func (g *graces) init() {
	if g.waiting == nil {
		g.waiting = map[*session]*graceTimer{}
	}
	if g.after == nil {
		g.after = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
}

// keep records, under s.mu, the grace period of sess: that of the port
// whose sign-in started it (ms, nil for the default).
func (s *Sessions) keep(sess *session, ms *int64) {
	d := int64(bridge.DefaultGraceMS)
	if ms != nil {
		d = *ms
	}
	sess.grace = time.Duration(d) * time.Millisecond
}

// rejoin is attach's hook, under s.mu, as a port joins sess: it stops
// sess's wait. It reports false if the grace period has ended sess.
func (s *Sessions) rejoin(sess *session) bool {
	g := &s.grace
	g.init()
	if sess.graceEnded {
		return false
	}
	g.forget(sess)
	return true
}

// left is Gone's hook, under s.mu, once a port has left sess, the key's
// live session: if it was the last, sess waits out its grace period. (A
// session that is not live ends as soon as no port uses it: see leave.)
func (s *Sessions) left(sess *session) {
	g := &s.grace
	g.init()
	if len(sess.ports) > 0 || g.waiting[sess] != nil || sess.graceEnded {
		return
	}
	t := &graceTimer{}
	g.waiting[sess] = t
	if sess.grace <= 0 {
		t.stop = func() bool { return false }
		go s.expire(sess, t)
		return
	}
	t.stop = g.after(sess.grace, func() { s.expire(sess, t) })
}

// forget stops sess's wait, under s.mu, when sess ends otherwise.
func (g *graces) forget(sess *session) {
	if t := g.waiting[sess]; t != nil {
		t.stop()
		delete(g.waiting, sess)
	}
}

// expire ends sess if t is still its wait: it revokes sess's tokens as
// disconnect does. If sess was signed in and no window or waiting session
// is left, it ends the worker too. (A worker whose session never signed in
// is left to the browser, which keeps it while a page of the app is open:
// warm for that page's connect().)
func (s *Sessions) expire(sess *session, t *graceTimer) {
	s.mu.Lock()
	g := &s.grace
	if g.waiting[sess] != t || len(sess.ports) > 0 {
		s.mu.Unlock()
		return // a window came back
	}
	sess.graceEnded = true
	if s.live[sess.key] == sess {
		delete(s.live, sess.key)
	}
	s.mu.Unlock()

	w := sess.w
	held := w.connected()
	w.mu.Lock()
	work, _ := w.handle(&Message{req: bridge.Request{Op: bridge.OpDisconnect, Params: &bridge.DisconnectParams{}}})
	w.mu.Unlock()
	if work != nil {
		work() // its reply, to request 0, reaches no port
	}

	s.mu.Lock()
	delete(g.waiting, sess)
	idle := held && len(s.ports) == 0 && len(g.waiting) == 0
	s.mu.Unlock()
	if idle && g.close != nil && !g.close() {
		w.log("info", "a window is connecting: the worker stays")
	}
}

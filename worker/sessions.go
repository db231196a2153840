package worker

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/snworker/snworker/bridge"
)

// Sessions serves a shared worker: many ports, one per window's connection.
// A port joins the signed-in session (a Worker) for its instance and client
// ID, or gets a session of its own when it starts a sign-in. It
// gives each request a session-wide ID, so that a reply goes back to the
// port and ID it answers, and no port can reach another's requests.
type Sessions struct {
	Origin string // the worker's own origin, named in errors

	client *http.Client
	out    func(port int, envelope []byte, body bridge.Body)
	// watch, if set, is asked to call Gone(port) once the Web Lock named
	// lock is free: the port's window is gone.
	watch   func(port int, lock string)
	timeout time.Duration // of each token call, for new sessions; 0: the Worker's default
	grace   graces        // see grace.go

	mu    sync.Mutex
	live  map[sessionKey]*session // the signed-in session that new ports of a key join
	ports map[int]*binding
}

type sessionKey struct{ instance, clientID string }

// A session is one sign-in and what follows it. Its settings are those of
// the window whose click started the sign-in, fixed then: no other port
// changes or ends it before it is signed in.
type session struct {
	key   sessionKey
	rules bridge.InitParams // the signing window's settings, which joining ports must agree with
	w     *Worker
	user  json.RawMessage
	by    int // the port whose code exchange succeeded: it alone sets user; 0 until then
	ports map[int]bool
	last  int64              // the last session-wide request ID
	calls map[int64]portCall // session-wide ID → the caller

	grace      time.Duration // how long it outlives its last window (see grace.go)
	graceEnded bool          // the grace period ended it: no port joins it again
}

type portCall struct {
	port int
	id   int64
	op   bridge.Op
}

// A binding is an attached port: its own settings, and the session it uses,
// nil until it joins a signed-in session or starts a sign-in.
type binding struct {
	key    sessionKey
	params bridge.InitParams
	grace  *int64 // the grace period a session this port signs in to gets (bridge.AttachParams.GraceMS)
	s      *session
	ids    map[int64]int64 // the port's request ID → session-wide ID
}

// NewSessions returns Sessions that send HTTP requests with client and post
// every message through out, to one port.
func NewSessions(client *http.Client, out func(port int, envelope []byte, body bridge.Body)) *Sessions {
	return &Sessions{client: client, out: out, live: map[sessionKey]*session{}, ports: map[int]*binding{}}
}

var (
	errNotAttached = bridge.Errorf(bridge.NameInitialization, "this port is not attached to a session: send attach first (a shared worker takes attach, not init)")
	errAttached    = bridge.Errorf(bridge.NameInitialization, "this port is already attached to a session; open a new port for another one")
	errNoLock      = bridge.Errorf(bridge.NameInitialization, "attach names no Web Lock (params.lock): the shared worker serves only a window it can see go, by a lock the window holds while it lives; hold one with navigator.locks.request and name it in attach, as the module does, or connect with shared: false")
	errNotSignedIn = bridge.Errorf(bridge.NameTokenExpired, "no window of this origin is signed in to this session, and this one has not started a sign-in; call connect() again")
)

// Refuse answers a message from port that could not be read as a request.
func (s *Sessions) Refuse(port int, err *bridge.Error) { s.answer(port, 0, nil, err) }

// Receive decodes a request from port and handles it.
func (s *Sessions) Receive(port int, envelope []byte, body bridge.Body) {
	m := Decode(envelope, body)
	req := m.req
	if m.err != nil {
		s.answer(port, req.ID, nil, m.err)
		return
	}
	switch p := req.Params.(type) {
	case *bridge.PingParams:
		s.answer(port, req.ID, bridge.Done{}, nil)
	case *bridge.InitParams:
		s.answer(port, req.ID, nil, errNotAttached)
	case *bridge.AttachParams:
		res, err := s.attach(port, p)
		s.answer(port, req.ID, res, err)
	case *bridge.DetachParams:
		s.Gone(port)
		s.answer(port, req.ID, bridge.Done{}, nil)
	case *bridge.SetUserParams:
		s.answer(port, req.ID, bridge.Done{}, s.setUser(port, p))
	default:
		s.forward(port, req)
	}
}

// answer replies to port itself, through its session's Worker when it is
// attached, so that the reply passes that Worker's redaction.
func (s *Sessions) answer(port int, id int64, result any, err *bridge.Error) {
	reply := bridge.Reply{ID: id, Result: result, Error: err}
	if err != nil {
		reply.Result = nil
	}
	s.mu.Lock()
	b := s.ports[port]
	s.mu.Unlock()
	out := func(env []byte, body bridge.Body) { s.out(port, env, body) }
	if b != nil && b.s != nil {
		b.s.w.post(out, reply, nil)
		return
	}
	out(bridge.Marshal(reply), nil)
}

// attach binds port to the signed-in session for its instance and client
// ID, if there is one; else the port keeps its settings for a sign-in it may
// start. Nothing is created, and no session is changed, by attaching.
func (s *Sessions) attach(port int, p *bridge.AttachParams) (*bridge.AttachResult, *bridge.Error) {
	cfg, err := newConfig(&p.InitParams)
	if err != nil {
		return nil, err
	}
	// A port whose window the worker cannot see go would keep a session,
	// tokens and all, alive after the app's last window: it is refused.
	if p.Lock == "" && s.watch != nil {
		return nil, errNoLock
	}
	key := sessionKey{cfg.instance.String(), p.ClientID}
	s.mu.Lock()
	_, bound := s.ports[port]
	cur := s.live[key]
	s.mu.Unlock()
	if bound {
		return nil, errAttached
	}
	// Asked without s.mu: token events are posted with the tokens' lock held.
	if cur != nil && !cur.w.connected() {
		cur = nil
	}
	if cur != nil {
		if field := differs(cur.rules, p.InitParams); field != "" {
			return nil, bridge.Errorf(bridge.NameInitialization,
				"a shared session for %s, client %s, is signed in with another %s; pass the same connect() options in every window of the app",
				key.instance, key.clientID, field)
		}
	}

	s.mu.Lock()
	if _, bound := s.ports[port]; bound {
		s.mu.Unlock()
		return nil, errAttached
	}
	b := &binding{key: key, params: p.InitParams, grace: p.GraceMS, ids: map[int64]int64{}}
	res := &bridge.AttachResult{}
	if cur != nil && !s.rejoin(cur) { // its grace period ended it meanwhile
		cur = nil
	}
	if cur != nil {
		b.s = cur
		cur.ports[port] = true
		res.Connected, res.User = true, cur.user
	}
	s.ports[port] = b
	s.mu.Unlock()
	if p.Lock != "" && s.watch != nil {
		s.watch(port, p.Lock)
	}
	return res, nil
}

// startSignIn gives port a session of its own, made from its own settings,
// for the sign-in its begin request starts. A session the port used before
// that is not signed in ends if no one else uses it.
func (s *Sessions) startSignIn(port int) *bridge.Error {
	s.mu.Lock()
	b := s.ports[port]
	if b == nil {
		s.mu.Unlock()
		return nil // forward answers that the port is not attached
	}
	old, live := b.s, s.live[b.key]
	s.mu.Unlock()
	if old != nil && old.w.connected() {
		return nil // the session's Worker refuses a second sign-in
	}
	if live != nil && live.w.connected() {
		return authErr("another window of this origin signed in to %s meanwhile; call connect() again to join its session", b.key.instance)
	}
	sess, err := s.newSession(b.key, b.params)
	if err != nil {
		return err
	}
	s.mu.Lock()
	if s.ports[port] != b || b.s != old {
		s.mu.Unlock()
		s.end(sess)
		return bridge.Errorf(bridge.NameInitialization, "this window detached or started another sign-in meanwhile; call connect() again")
	}
	orphan := s.leave(port, b)
	b.s = sess
	sess.ports[port] = true
	s.keep(sess, b.grace)
	s.mu.Unlock()
	if orphan != nil {
		s.end(orphan)
	}
	return nil
}

// leave takes port out of its session, forgetting the IDs of its pending
// requests there (their replies still reach it). It returns the session if
// that is now left to no one: not signed in as the key's live one, and
// without ports. s.mu is held.
func (s *Sessions) leave(port int, b *binding) *session {
	old := b.s
	if old == nil {
		return nil
	}
	delete(old.ports, port)
	b.s, b.ids = nil, map[int64]int64{}
	if len(old.ports) == 0 && s.live[old.key] != old {
		return old
	}
	return nil
}

// end ends a session no port can reach: a sign-in under way stops, and
// whatever tokens it holds or an exchange under way brings are revoked.
func (s *Sessions) end(sess *session) {
	s.mu.Lock()
	s.grace.forget(sess)
	sess.last++
	id := sess.last // no caller: the reply goes nowhere
	s.mu.Unlock()
	sess.w.dispatch(bridge.Request{ID: id, Op: bridge.OpDisconnect, Params: &bridge.DisconnectParams{}})
}

func (s *Sessions) newSession(key sessionKey, p bridge.InitParams) (*session, *bridge.Error) {
	sess := &session{key: key, rules: p, ports: map[int]bool{}, calls: map[int64]portCall{}}
	w := New(s.client, func(env []byte, body bridge.Body) { s.broadcast(sess, env, body) })
	w.route = func(id int64, ok bool) (int64, func([]byte, bridge.Body), bool) { return s.route(sess, id, ok) }
	w.Origin = s.Origin
	if s.timeout > 0 {
		w.timeout = s.timeout
	}
	w.mu.Lock()
	err := w.init(&p)
	w.mu.Unlock()
	if err != nil {
		return nil, err
	}
	sess.w = w
	return sess, nil
}

// differs names the first setting, among those that make a session's
// rules, in which a and b differ; "" if none.
func differs(a, b bridge.InitParams) string {
	switch {
	case a.RedirectURI != b.RedirectURI:
		return "redirectUri"
	case orDefault(a.TokenPath, bridge.DefaultTokenPath) != orDefault(b.TokenPath, bridge.DefaultTokenPath):
		return "tokenPath"
	case orDefault(a.RevokePath, bridge.DefaultRevokePath) != orDefault(b.RevokePath, bridge.DefaultRevokePath):
		return "revokePath"
	case !slices.Equal(a.AllowedPaths, b.AllowedPaths):
		return "allowedPaths"
	}
	return ""
}

// forward hands a request to the port's session under a session-wide ID.
// A begin first gives the port a session of its own (startSignIn).
func (s *Sessions) forward(port int, req bridge.Request) {
	if _, ok := req.Params.(*bridge.BeginParams); ok {
		if err := s.startSignIn(port); err != nil {
			s.answer(port, req.ID, nil, err)
			return
		}
	}
	s.mu.Lock()
	b := s.ports[port]
	if b == nil || b.s == nil {
		s.mu.Unlock()
		switch {
		case b == nil:
			s.answer(port, req.ID, nil, errNotAttached)
		case req.Op == bridge.OpCancel:
			s.answer(port, req.ID, bridge.CancelResult{}, nil)
		default:
			s.answer(port, req.ID, nil, errNotSignedIn)
		}
		return
	}
	if _, dup := b.ids[req.ID]; dup {
		s.mu.Unlock()
		s.answer(port, req.ID, nil, paramErr("id %d is already in use by a pending request; want a new id", req.ID))
		return
	}
	sess := b.s
	if c, ok := req.Params.(*bridge.CancelParams); ok {
		// Only the port's own requests: another's ID maps to none (0).
		req.Params = &bridge.CancelParams{ID: b.ids[c.ID]}
	}
	if _, ok := req.Params.(*bridge.DisconnectParams); ok && s.live[sess.key] == sess {
		delete(s.live, sess.key) // the next attach starts a new session
	}
	sess.last++
	sess.calls[sess.last] = portCall{port, req.ID, req.Op}
	b.ids[req.ID] = sess.last
	req.ID = sess.last
	s.mu.Unlock()
	sess.w.dispatch(req)
}

// route is a session Worker's way back to the caller of request id; ok
// tells whether the request succeeded. A successful code exchange makes
// the session the key's live one, and the port that sent it its signer.
func (s *Sessions) route(sess *session, id int64, ok bool) (int64, func([]byte, bridge.Body), bool) {
	s.mu.Lock()
	c, found := sess.calls[id]
	if !found {
		s.mu.Unlock()
		return 0, nil, false
	}
	delete(sess.calls, id)
	b := s.ports[c.port]
	if b != nil && b.s == sess {
		delete(b.ids, c.id)
	}
	var orphan *session
	if ok && c.op == bridge.OpComplete && b != nil && b.s == sess {
		sess.by = c.port
		if prev := s.live[sess.key]; prev != nil && prev != sess && len(prev.ports) == 0 {
			orphan = prev
		}
		s.live[sess.key] = sess // the later sign-in is the one new windows join
	}
	s.mu.Unlock()
	if orphan != nil {
		s.end(orphan)
	}
	return c.id, func(env []byte, body bridge.Body) { s.out(c.port, env, body) }, true
}

// broadcast posts an event to every port of the session.
func (s *Sessions) broadcast(sess *session, env []byte, body bridge.Body) {
	s.mu.Lock()
	ports := make([]int, 0, len(sess.ports))
	for p := range sess.ports {
		ports = append(ports, p)
	}
	s.mu.Unlock()
	slices.Sort(ports)
	for _, p := range ports {
		s.out(p, env, body)
	}
}

func (s *Sessions) setUser(port int, p *bridge.SetUserParams) *bridge.Error {
	s.mu.Lock()
	b := s.ports[port]
	var sess *session
	if b != nil {
		sess = b.s
	}
	s.mu.Unlock()
	if b == nil {
		return errNotAttached
	}
	if sess == nil || !sess.w.connected() {
		return bridge.Errorf(bridge.NameTokenExpired, "the session is not signed in; sign in before setting its user")
	}
	var user json.RawMessage
	if string(p.User) != "null" {
		user = slices.Clone(p.User)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess.by != port {
		return bridge.Errorf(bridge.NameAuthorization, "only the window that signed in (whose code exchange succeeded) sets the session's user; this one did not")
	}
	sess.user = user
	return nil
}

// Gone unbinds port, whose window went, and drops its pending requests.
// Its session lives on for the other ports; a sign-in no other port uses
// ends (see leave).
func (s *Sessions) Gone(port int) {
	s.mu.Lock()
	b := s.ports[port]
	if b == nil {
		s.mu.Unlock()
		return
	}
	delete(s.ports, port)
	sess := b.s
	if sess == nil {
		s.mu.Unlock()
		return
	}
	drop := make([]int64, 0, len(b.ids))
	for _, id := range b.ids {
		drop = append(drop, id)
		delete(sess.calls, id)
	}
	orphan := s.leave(port, b)
	if orphan == nil {
		s.left(sess) // the live session, when this was its last window, waits out its grace period
	}
	s.mu.Unlock()
	for _, id := range drop {
		sess.w.abandon(id)
	}
	sess.w.log("info", fmt.Sprintf("a window left the shared session; %d of its pending requests dropped", len(drop)))
	if orphan != nil {
		s.end(orphan)
	}
}

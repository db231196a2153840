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

// Sessions serves a shared worker: many ports, one per window's connection,
// each bound to the session (a Worker) for its instance and client ID. It
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
	live  map[sessionKey]*session // the session that new ports of a key attach to
	ports map[int]*binding
}

type sessionKey struct{ instance, clientID string }

type session struct {
	key   sessionKey
	rules bridge.InitParams // what later ports must agree with
	w     *Worker
	user  json.RawMessage
	by    int // the port that last completed an authorization: it alone sets user
	ports map[int]bool
	last  int64              // the last session-wide request ID
	calls map[int64]portCall // session-wide ID → the caller
}

type portCall struct {
	port int
	id   int64
}

type binding struct {
	s   *session
	ids map[int64]int64 // the port's request ID → session-wide ID
}

// NewSessions returns Sessions that send HTTP requests with client and post
// every message through out, to one port.
func NewSessions(client *http.Client, out func(port int, envelope []byte, body bridge.Body)) *Sessions {
	return &Sessions{client: client, out: out, live: map[sessionKey]*session{}, ports: map[int]*binding{}}
}

var (
	errNotAttached = bridge.Errorf(bridge.NameInitialization, "this port is not attached to a session: send attach first (a shared worker takes attach, not init)")
	errAttached    = bridge.Errorf(bridge.NameInitialization, "this port is already attached to a session; open a new port for another one")
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
	if b != nil {
		b.s.w.post(out, reply, nil)
		return
	}
	out(bridge.Marshal(reply), nil)
}

func (s *Sessions) attach(port int, p *bridge.AttachParams) (*bridge.AttachResult, *bridge.Error) {
	cfg, err := newConfig(&p.InitParams)
	if err != nil {
		return nil, err
	}
	key := sessionKey{cfg.instance.String(), p.ClientID}
	s.mu.Lock()
	_, bound := s.ports[port]
	cur := s.live[key]
	s.mu.Unlock()
	if bound {
		return nil, errAttached
	}
	connected := cur != nil && cur.w.connected()
	if cur != nil {
		if field := differs(cur.rules, p.InitParams); field != "" {
			if connected {
				return nil, bridge.Errorf(bridge.NameInitialization,
					"a shared session for %s, client %s, is signed in with another %s; pass the same connect() options in every window of the app",
					key.instance, key.clientID, field)
			}
			cur = nil // a session not yet signed in takes the newer settings
		}
	}
	if cur == nil {
		if cur, err = s.newSession(key, p.InitParams); err != nil {
			return nil, err
		}
	}

	s.mu.Lock()
	if _, bound := s.ports[port]; bound {
		s.mu.Unlock()
		return nil, errAttached
	}
	if !s.rejoin(cur, p) { // the grace period ended cur meanwhile
		s.mu.Unlock()
		return s.attach(port, p)
	}
	if s.live[key] == nil || !connected {
		s.live[key] = cur
	}
	cur.ports[port] = true
	s.ports[port] = &binding{s: cur, ids: map[int64]int64{}}
	res := &bridge.AttachResult{Connected: connected}
	if connected {
		res.User = cur.user
	}
	s.mu.Unlock()
	if p.Lock != "" && s.watch != nil {
		s.watch(port, p.Lock)
	}
	return res, nil
}

func (s *Sessions) newSession(key sessionKey, p bridge.InitParams) (*session, *bridge.Error) {
	sess := &session{key: key, rules: p, ports: map[int]bool{}, calls: map[int64]portCall{}}
	w := New(s.client, func(env []byte, body bridge.Body) { s.broadcast(sess, env, body) })
	w.route = func(id int64) (int64, func([]byte, bridge.Body), bool) { return s.route(sess, id) }
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
func (s *Sessions) forward(port int, req bridge.Request) {
	s.mu.Lock()
	b := s.ports[port]
	if b == nil {
		s.mu.Unlock()
		s.answer(port, req.ID, nil, errNotAttached)
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
	if _, ok := req.Params.(*bridge.CompleteParams); ok {
		sess.by = port
	}
	if _, ok := req.Params.(*bridge.DisconnectParams); ok && s.live[sess.key] == sess {
		delete(s.live, sess.key) // the next attach starts a new session
	}
	sess.last++
	sess.calls[sess.last] = portCall{port, req.ID}
	b.ids[req.ID] = sess.last
	req.ID = sess.last
	s.mu.Unlock()
	sess.w.dispatch(req)
}

// route is a session Worker's way back to the caller of request id.
func (s *Sessions) route(sess *session, id int64) (int64, func([]byte, bridge.Body), bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := sess.calls[id]
	if !ok {
		return 0, nil, false
	}
	delete(sess.calls, id)
	if b := s.ports[c.port]; b != nil && b.s == sess {
		delete(b.ids, c.id)
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
	s.mu.Unlock()
	if b == nil {
		return errNotAttached
	}
	if !b.s.w.connected() {
		return bridge.Errorf(bridge.NameTokenExpired, "the session is not signed in; sign in before setting its user")
	}
	var user json.RawMessage
	if string(p.User) != "null" {
		user = slices.Clone(p.User)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if b.s.by != port {
		return bridge.Errorf(bridge.NameAuthorization, "only the window that signed in sets the session's user")
	}
	b.s.user = user
	return nil
}

// Gone unbinds port, whose window went, and drops its pending requests.
// Its session lives on for the other ports.
func (s *Sessions) Gone(port int) {
	s.mu.Lock()
	b := s.ports[port]
	if b == nil {
		s.mu.Unlock()
		return
	}
	delete(s.ports, port)
	delete(b.s.ports, port)
	drop := make([]int64, 0, len(b.ids))
	for _, id := range b.ids {
		drop = append(drop, id)
		delete(b.s.calls, id)
	}
	s.left(b.s)
	s.mu.Unlock()
	for _, id := range drop {
		b.s.w.abandon(id)
	}
	b.s.w.log("info", fmt.Sprintf("a window left the shared session; %d of its pending requests dropped", len(drop)))
}

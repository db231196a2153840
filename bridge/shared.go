package bridge

import "encoding/json"

// In a shared worker (a SharedWorker serving every window of an origin),
// each window talks to the worker over its own port. A port sends OpAttach
// where a dedicated worker gets OpInit, and joins the signed-in session for
// (InstanceURL, ClientID) if there is one. A port that sends OpBegin gets a
// session of its own, made from the settings it attached with; once its
// code exchange succeeds, ports that attach later join it. The requests of
// any op but init, attach and detach go to the port's session.

// AttachParams binds the sending port to the signed-in session for its
// instance and client ID, if there is one; its settings are kept for a
// sign-in the port may start.
type AttachParams struct {
	InitParams
	// Lock names a Web Lock that the port's window holds for as long as it
	// lives; the worker takes the port for gone once the lock is free.
	Lock string `json:"lock,omitempty"`
	// GraceMS is how long the session outlives its last window, in
	// milliseconds, so that a reload finds it: 0 ends it at once, nil means
	// DefaultGraceMS. The session keeps the value of the port that started it.
	GraceMS *int64 `json:"graceMs,omitempty"`
}

// AttachResult tells whether the session is signed in, and who the user is:
// the record that the window which signed in passed in OpSetUser.
type AttachResult struct {
	Connected bool            `json:"connected"`
	User      json.RawMessage `json:"user,omitempty"`
}

// SetUserParams keeps the signed-in user's record in the session, for
// windows that attach later.
type SetUserParams struct {
	User json.RawMessage `json:"user"`
}

// DetachParams unbinds the sending port: its window is going. The port's
// pending requests are dropped; the session lives on.
type DetachParams struct{}

// MaxLock bounds AttachParams.Lock, in bytes.
const MaxLock = 200

// The grace period's default and maximum, in milliseconds. Chromium keeps a
// shared worker started with extendedLifetime for 30 s after its last
// window; the maximum leaves the worker time to revoke the tokens in it.
const (
	DefaultGraceMS = 10000
	MaxGraceMS     = 20000
)

//go:build js && wasm

package webworker

import (
	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/worker"
)

// shared serves a SharedWorker: every window's port is bound to a session
// by Sessions.
type shared struct{ *worker.Sessions }

func newShared(origin string) shared {
	s := worker.NewSessions(tokenClient(), sender{}, func(port int, envelope []byte, body bridge.Body) {
		boot.Call(callPostTo, port, string(envelope), wireBody(body))
	})
	s.UseLocks(func(port int, lock string) { boot.Call(callWatch, port, lock) })
	s.UseClose(func() bool { return boot.Call(callClose).Bool() })
	s.Origin = origin
	return shared{s}
}

func (s shared) receive(port int, envelope []byte, body bridge.Body) { s.Receive(port, envelope, body) }
func (s shared) refuse(port int, err *bridge.Error)                  { s.Refuse(port, err) }

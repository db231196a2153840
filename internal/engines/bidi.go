//go:build !js

package engines

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

// bidi is a WebDriver BiDi connection: commands with ids, answered in any
// order, and events handed to the listeners registered for them.
type bidi struct {
	conn net.Conn
	r    io.Reader

	wmu sync.Mutex // one writer at a time

	mu        sync.Mutex
	next      int
	pending   map[int]chan bidiReply
	listeners map[int]func(method string, params json.RawMessage)
	lastID    int
	err       error // why the connection ended
}

type bidiReply struct {
	result json.RawMessage
	err    error
}

// bidiMessage is a command's answer or an event.
type bidiMessage struct {
	ID      *int            `json:"id"`
	Type    string          `json:"type"` // success, error, event
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
}

func dialBiDi(ctx context.Context, url string) (*bidi, error) {
	conn, br, _, err := ws.Dial(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", url, err)
	}
	b := &bidi{conn: conn, r: conn, pending: map[int]chan bidiReply{}, listeners: map[int]func(string, json.RawMessage){}}
	if br != nil {
		b.r = io.MultiReader(br, conn)
	}
	go b.read()
	return b, nil
}

func (b *bidi) read() {
	rw := struct {
		io.Reader
		io.Writer
	}{b.r, b.conn}
	for {
		data, err := wsutil.ReadServerText(rw)
		if err != nil {
			b.end(fmt.Errorf("the BiDi connection ended: %w", err))
			return
		}
		var m bidiMessage
		if err := json.Unmarshal(data, &m); err != nil {
			continue
		}
		if m.Type == "event" {
			b.mu.Lock()
			ls := make([]func(string, json.RawMessage), 0, len(b.listeners))
			for _, l := range b.listeners {
				ls = append(ls, l)
			}
			b.mu.Unlock()
			for _, l := range ls {
				l(m.Method, m.Params)
			}
			continue
		}
		if m.ID == nil {
			continue
		}
		b.mu.Lock()
		ch := b.pending[*m.ID]
		delete(b.pending, *m.ID)
		b.mu.Unlock()
		if ch == nil {
			continue
		}
		if m.Type == "error" {
			ch <- bidiReply{err: fmt.Errorf("%s: %s", m.Error, m.Message)}
		} else {
			ch <- bidiReply{result: m.Result}
		}
	}
}

func (b *bidi) end(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.err = err
	}
	for id, ch := range b.pending {
		ch <- bidiReply{err: b.err}
		delete(b.pending, id)
	}
}

// call sends method with params and decodes its result into out (if not
// nil), within timeout.
func (b *bidi) call(timeout time.Duration, method string, params, out any) error {
	if params == nil {
		params = struct{}{}
	}
	ch := make(chan bidiReply, 1)
	b.mu.Lock()
	if b.err != nil {
		b.mu.Unlock()
		return fmt.Errorf("%s: %w", method, b.err)
	}
	b.next++
	id := b.next
	b.pending[id] = ch
	b.mu.Unlock()
	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return err
	}
	b.wmu.Lock()
	err = wsutil.WriteClientText(b.conn, msg)
	b.wmu.Unlock()
	if err != nil {
		b.end(err)
		return fmt.Errorf("%s: %w", method, err)
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-ch:
		if r.err != nil {
			return fmt.Errorf("%s: %w", method, r.err)
		}
		if out != nil {
			return json.Unmarshal(r.result, out)
		}
		return nil
	case <-timer.C:
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
		return fmt.Errorf("%s: no answer within %v", method, timeout)
	}
}

// listen calls fn with every event until the returned function is called.
func (b *bidi) listen(fn func(method string, params json.RawMessage)) (stop func()) {
	b.mu.Lock()
	b.lastID++
	id := b.lastID
	b.listeners[id] = fn
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		delete(b.listeners, id)
		b.mu.Unlock()
	}
}

func (b *bidi) close() { b.conn.Close() }

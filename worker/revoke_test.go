//go:build !js

package worker

import (
	"net/http"
	"testing"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/emulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A revocation counts only when its answer is RFC 7009's: 200 with an
// empty or JSON body. A page's 200, or any other status, is a failed
// revocation, and disconnect() and its event say so.
func TestRevocationAnswerIsChecked(t *testing.T) {
	for _, c := range []struct {
		name    string
		fault   *emulator.Fault
		revoked bool
	}{
		{"empty 200", nil, true},
		{"a page's 200", &emulator.Fault{HTML: true, Status: http.StatusOK}, false},
		{"503", &emulator.Fault{Status: http.StatusServiceUnavailable}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.connect()
			if c.fault != nil {
				e.instance.InjectFault(bridge.DefaultRevokePath, *c.fault)
			}
			r := e.call(bridge.OpDisconnect, &bridge.DisconnectParams{}, nil)
			assert.Equal(t, c.revoked, result[bridge.DisconnectResult](t, r).Revoked)
			e.mu.Lock()
			last := e.events[len(e.events)-1]
			e.mu.Unlock()
			require.Equal(t, bridge.EventDisconnected, last)
			sent := e.sent()
			if c.revoked {
				assert.Contains(t, sent, `"event":"disconnected","data":{"revoked":true}`)
			} else {
				assert.Contains(t, sent, `"event":"disconnected","data":{"revoked":false}`)
				assert.Contains(t, sent, "the token may still be live")
			}
		})
	}
	assert.Nil(t, revokeAnswer("/r", 200, []byte(` {"result":{"status":"success"}} `)), "the Store app's JSON answer")
	assert.ErrorContains(t, revokeAnswer("/r", 200, []byte("<!DOCTYPE html><p>hello")), "neither empty nor JSON")
	assert.ErrorContains(t, revokeAnswer("/r", 204, nil), "answered 204, not 200")
}

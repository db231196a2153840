package worker

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/snworker/snworker/bridge"
	"golang.org/x/oauth2"
)

// WarmUp runs a sign-in's first steps and an API request on a throwaway
// Worker, in memory, without a network or a real token, so that the browser
// has compiled their code before connect() needs it (wasm functions are
// compiled when first run). It reports whether each step did what a real
// one does. It waits for a goroutine: call it where goroutines run.
func WarmUp() error {
	answered := make(chan bool, 1)
	w := New(&http.Client{Transport: refuseAll{}}, warmSender{}, func(env []byte, _ bridge.Body) {
		if bytes.HasPrefix(env, []byte(`{"id":3,`)) {
			answered <- bytes.HasPrefix(env, []byte(`{"id":3,"result"`))
		}
	})
	w.Handle(Decode([]byte(`{"id":1,"op":"init","params":{"instanceUrl":"https://warm-up.invalid","clientId":"warm-up","redirectUri":"https://warm-up.invalid/redirect.html"}}`), nil))
	w.Handle(Decode([]byte(`{"id":2,"op":"beginAuthorization","params":{}}`), nil))
	w.mu.Lock()
	begun := w.flow != nil
	w.mu.Unlock()
	w.tokens.set(&oauth2.Token{AccessToken: "warm-up-access-token"})
	w.Handle(Decode([]byte(`{"id":3,"op":"executeApiRequest","params":{"path":"/api/now/table/sys_user?sysparm_limit=1","method":"GET","headers":{}}}`), nil))
	if !begun || !<-answered {
		return errors.New("worker: the warm-up did not run its steps")
	}
	return nil
}

type refuseAll struct{}

func (refuseAll) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("the warm-up sends nothing")
}

// warmSender answers every request with an empty 200.
type warmSender struct{}

func (warmSender) Send(_ *Outgoing, done func(*Incoming)) func() {
	go done(&Incoming{Status: 200, Header: map[string]string{"content-type": "application/json"}, Body: bridge.Bytes(`{"result":[]}`)})
	return func() {}
}

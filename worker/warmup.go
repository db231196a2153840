package worker

import (
	"errors"
	"net/http"

	"github.com/snworker/snworker/bridge"
	"golang.org/x/oauth2"
)

// WarmUp runs a sign-in's first steps and a fast request on a throwaway
// Worker, in memory, without a network or a real token, so that the browser
// has compiled their code before connect() needs it (wasm functions are
// compiled when first run). It reports whether each step did what a real
// one does.
func WarmUp() error {
	w := New(&http.Client{Transport: refuseAll{}}, func([]byte, bridge.Body) {})
	w.UseFetcher(&warmFetcher{w: w})
	w.Receive([]byte(`{"id":1,"op":"init","params":{"instanceUrl":"https://warm-up.invalid","clientId":"warm-up","redirectUri":"https://warm-up.invalid/redirect.html"}}`), nil)
	w.Receive([]byte(`{"id":2,"op":"beginAuthorization","params":{}}`), nil)
	w.mu.Lock()
	begun := w.flow != nil
	w.mu.Unlock()
	w.tokens.set(&oauth2.Token{AccessToken: "warm-up-access-token"})
	fast := w.TryFast([]byte(`{"id":3,"op":"executeApiRequest","params":{"path":"/api/now/table/sys_user?sysparm_limit=1","method":"GET","headers":{}}}`), nil)
	if !begun || !fast {
		return errors.New("worker: the warm-up did not run its steps")
	}
	return nil
}

type refuseAll struct{}

func (refuseAll) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("the warm-up sends nothing")
}

// warmFetcher answers every fast request at once with an empty 200.
type warmFetcher struct{ w *Worker }

func (f *warmFetcher) Fetch(string, string, string, bridge.Body) int32 {
	go f.w.Fetched(1, 200, "content-type: application/json\n", bridge.Bytes(`{"result":[]}`))
	return 1
}

func (*warmFetcher) Abort(int32) {}

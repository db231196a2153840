//go:build js && wasm

package webworker

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall/js"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/worker"
)

// sender is the worker's Sender: the bootstrap's send, whose outcome comes
// back through the fetched export.
type sender struct{}

var (
	fetchMu sync.Mutex
	fetchID int32
	sends   = map[int32]func(*worker.Incoming){} // by id, until the outcome comes
)

func (sender) Send(r *worker.Outgoing, done func(*worker.Incoming)) (abort func()) {
	fetchMu.Lock()
	id := newFetchID()
	sends[id] = done
	fetchMu.Unlock()
	if err := call(callSend, id, r.Method, r.URL, headerLines(r.Header), sendBody(r.Body)); err != nil {
		sendDone(id)
		go done(&worker.Incoming{Err: err.Error()})
		return func() {}
	}
	return func() { boot.Call(callAbort, id) }
}

// sendDone takes the outcome's receiver of send id; nil if there is none.
func sendDone(id int32) func(*worker.Incoming) {
	fetchMu.Lock()
	defer fetchMu.Unlock()
	done := sends[id]
	delete(sends, id)
	return done
}

// call calls the bootstrap's fn; a JS exception is an error, not a panic
// that ends the worker.
func call(fn string, args ...any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			jerr, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			err = errors.New("fetch refused the request: " + jerr.Error())
		}
	}()
	boot.Call(fn, args...)
	return nil
}

// sendBody is a body as fetch takes it: a jsBuffer as it is, anything else
// copied into a Uint8Array.
func sendBody(body bridge.Body) any {
	switch b := body.(type) {
	case nil:
		return js.Undefined()
	case *jsBuffer:
		return b.v
	default:
		return toJS(b)
	}
}

// lentBody is a response body that the bootstrap lends Go while the
// fetched export runs, under key: posted by key, unread, or read through
// the bootstrap's body. Once the export has returned it is gone.
type lentBody struct {
	key  int32
	n    int
	gone bool
}

func (b *lentBody) Len() int { return b.n }
func (b *lentBody) Reader() io.Reader {
	if b.gone {
		return errReader{errors.New("webworker: a response body was read after the export that lent it returned")}
	}
	return newJSBuffer(boot.Call(callBody, b.key)).Reader()
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// headerLines renders request headers as the bootstrap takes them:
// "name: value" lines.
func headerLines(h http.Header) string {
	var b strings.Builder
	for k, vs := range h {
		b.WriteString(k)
		b.WriteString(": ")
		b.WriteString(strings.Join(vs, ", "))
		b.WriteByte('\n')
	}
	return b.String()
}

// headerMap reads the header lines of a response, as fetch gives them:
// lower-case names, each once.
func headerMap(lines string) map[string]string {
	h := make(map[string]string, strings.Count(lines, "\n"))
	for line := range strings.Lines(lines) {
		if k, v, ok := strings.Cut(strings.TrimSuffix(line, "\n"), ": "); ok {
			h[k] = v
		}
	}
	return h
}

// fetchTransport is the HTTP transport of the token and revoke calls
// (x/oauth2 needs one): the bootstrap's fetch, which reads each body whole
// into an ArrayBuffer that stays in JS (a jsBuffer). No redirect is
// followed (a redirect answers with status 0), no cookie is sent, and the
// HTTP cache keeps only what the instance's Cache-Control allows.
type fetchTransport struct{}

func tokenClient() *http.Client { return &http.Client{Transport: fetchTransport{}} }

// fetched is what the bootstrap's fetch reports for one request.
type fetched struct {
	status  int // -1: the fetch failed
	headers string
	body    js.Value
}

var (
	inFlight  = map[int32]chan fetched{}
	fetchDone = js.FuncOf(func(_ js.Value, args []js.Value) any {
		fetchMu.Lock()
		id := int32(args[0].Int())
		ch := inFlight[id]
		delete(inFlight, id)
		fetchMu.Unlock()
		if ch != nil {
			f := fetched{status: args[1].Int(), headers: args[2].String()}
			if len(args) > 3 {
				f.body = args[3]
			}
			ch <- f
		}
		return nil
	})
)

func (fetchTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	ch := make(chan fetched, 1)
	fetchMu.Lock()
	id := newFetchID()
	inFlight[id] = ch
	fetchMu.Unlock()
	if err := call(callFetch, id, req.Method, req.URL.String(), headerLines(req.Header), body, fetchDone); err != nil {
		fetchMu.Lock()
		delete(inFlight, id)
		fetchMu.Unlock()
		return nil, err
	}
	var f fetched
	select {
	case f = <-ch:
	case <-req.Context().Done():
		boot.Call(callAbort, id)
		<-ch // the aborted fetch reports, so nothing is left behind
		return nil, req.Context().Err()
	}
	if f.status < 0 {
		return nil, errors.New("fetch failed: " + f.headers)
	}
	return response(req, f), nil
}

// response is the http.Response of a fetch.
func response(req *http.Request, f fetched) *http.Response {
	body := newJSBuffer(f.body)
	header := http.Header{}
	for k, v := range headerMap(f.headers) {
		header.Add(k, v)
	}
	header.Del("Content-Encoding") // fetch has decoded the body
	header.Set("Content-Length", strconv.Itoa(body.Len()))
	return &http.Response{Status: strconv.Itoa(f.status) + " " + http.StatusText(f.status), StatusCode: f.status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Request: req,
		Header: header, Body: io.NopCloser(body.Reader()), ContentLength: int64(body.Len())}
}

// newFetchID numbers fetches and sends alike; fetchMu is held.
func newFetchID() int32 {
	fetchID++
	if fetchID <= 0 {
		fetchID = 1
	}
	return fetchID
}

// requestBody is the body to give fetch, copied into a Uint8Array.
func requestBody(req *http.Request) (js.Value, error) {
	if req.Body == nil {
		return js.Undefined(), nil
	}
	defer req.Body.Close()
	b, err := io.ReadAll(req.Body)
	if err != nil || len(b) == 0 {
		return js.Undefined(), err
	}
	return toJS(bridge.Bytes(b)), nil
}

//go:build js && wasm

package webworker

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/snworker/snworker/bridge"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// page is the main thread's side of a real Worker running the built worker.
type page struct {
	t        testing.TB
	worker   js.Value
	onMsg    js.Func
	incoming chan js.Value
	all      []string // every message's json, as received
	nextID   int64
}

func startWorker(t testing.TB, wasm string) *page {
	t.Helper()
	assets := os.Getenv("SNWORKER_ASSETS")
	if assets == "" {
		t.Skip("SNWORKER_ASSETS is not set: run through internal/wasmexec (make test)")
	}
	res, err := http.Get(assets + "/worker.js")
	require.NoError(t, err)
	script, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, 200, res.StatusCode, "worker.js: run make build")

	// A Blob worker, since the page's origin serves only the test; the
	// bootstrap then finds the wasm through snworkerConfig.
	cfg, _ := json.Marshal(map[string]string{"wasm": assets + "/" + wasm})
	src := "self.snworkerConfig = " + string(cfg) + ";\n" + string(script)
	blob := js.Global().Get("Blob").New([]any{src}, map[string]any{"type": "text/javascript"})
	blobURL := js.Global().Get("URL").Call("createObjectURL", blob)

	p := &page{t: t, incoming: make(chan js.Value, 1000), nextID: 1}
	p.onMsg = js.FuncOf(func(this js.Value, args []js.Value) any {
		data := args[0].Get("data")
		if j := data.Get("json"); j.Type() == js.TypeString {
			p.all = append(p.all, j.String())
			var ev bridge.Event
			if json.Unmarshal([]byte(j.String()), &ev) == nil && ev.Event == bridge.EventLog {
				t.Logf("worker log: %s", j.String())
			}
		}
		p.incoming <- data
		return nil
	})
	p.worker = js.Global().Get("Worker").New(blobURL, map[string]any{"type": "module"})
	p.worker.Call("addEventListener", "message", p.onMsg)
	t.Cleanup(func() {
		p.worker.Call("terminate")
		p.onMsg.Release()
	})
	return p
}

// next waits for the next message that is not a log event.
func (p *page) next(what string) map[string]any {
	p.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case data := <-p.incoming:
			var m map[string]any
			require.NoError(p.t, json.Unmarshal([]byte(data.Get("json").String()), &m))
			if m["event"] == bridge.EventLog {
				continue
			}
			if body := data.Get("body"); !body.IsUndefined() {
				b := make([]byte, body.Get("byteLength").Int())
				js.CopyBytesToGo(b, js.Global().Get("Uint8Array").New(body))
				m["body"] = string(b)
			}
			return m
		case <-deadline:
			p.t.Fatalf("no message from the worker within 20s while waiting for %s", what)
			return nil
		}
	}
}

func (p *page) post(msg js.Value) { p.worker.Call("postMessage", msg) }

// call sends a request and returns its reply, skipping events.
func (p *page) call(op bridge.Op, params any) map[string]any {
	p.t.Helper()
	id := p.nextID
	p.nextID++
	p.post(js.ValueOf(map[string]any{"json": string(bridge.Marshal(bridge.Request{ID: id, Op: op, Params: params}))}))
	for {
		m := p.next(string(op))
		if m["event"] != nil {
			continue
		}
		require.EqualValues(p.t, id, m["id"])
		return m
	}
}

func control(t testing.TB, path string) string {
	res, err := http.Post(os.Getenv("SNWORKER_INSTANCE")+"/__emulator/"+path, "text/plain", nil)
	require.NoError(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	require.Equal(t, 2, res.StatusCode/100, "%s answered %d: %s", path, res.StatusCode, b)
	return string(b)
}

// connect initialises the worker and runs the flow as admin, who clicks Allow.
func (p *page) connect() {
	p.t.Helper()
	r := p.call(bridge.OpInit, &bridge.InitParams{InstanceURL: os.Getenv("SNWORKER_INSTANCE"), ClientID: "snworker-test", RedirectURI: "http://127.0.0.1/redirect.html", Endpoints: bridge.EndpointsServiceNow})
	require.Nil(p.t, r["error"])
	r = p.call(bridge.OpBegin, &bridge.BeginParams{})
	require.Nil(p.t, r["error"])
	authorizeURL := r["result"].(map[string]any)["authorizeUrl"].(string)

	res, err := http.Post(os.Getenv("SNWORKER_ASSETS")+"/authorize?url="+url.QueryEscape(authorizeURL), "text/plain", nil)
	require.NoError(p.t, err)
	redirect, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(p.t, 200, res.StatusCode, string(redirect))
	u, _ := url.Parse(string(redirect))

	r = p.call(bridge.OpComplete, &bridge.CompleteParams{Query: u.RawQuery})
	require.Nil(p.t, r["error"], "exchange through real fetch and CORS")
}

func errName(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	name, _ := e["name"].(string)
	return name
}

func TestWorkerSessionInBrowser(t *testing.T) {
	p := startWorker(t, "snworker.wasm")
	instance := os.Getenv("SNWORKER_INSTANCE")

	// A message before init is queued by the bootstrap, then answered.
	r := p.call(bridge.OpBegin, &bridge.BeginParams{})
	assert.Equal(t, bridge.NameInitialization, errName(r))
	r = p.call(bridge.OpPing, &bridge.PingParams{})
	assert.Nil(t, r["error"], "a ping is answered in any state")

	p.connect()

	r = p.call(bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident?sysparm_limit=3"})
	require.Nil(t, r["error"])
	result := r["result"].(map[string]any)
	assert.EqualValues(t, 200, result["status"])
	assert.Equal(t, bridge.KindJSON, result["kind"])
	assert.Contains(t, result["headers"].(map[string]any)["link"], `rel="next"`, "Link is exposed by CORS")
	assert.Contains(t, r["body"], `"number":"INC`)

	// A request body crosses as a transferred ArrayBuffer.
	body := js.Global().Get("TextEncoder").New().Call("encode", `{"short_description":"from a worker"}`)
	p.post(js.ValueOf(map[string]any{"json": string(bridge.Marshal(bridge.Request{ID: 500, Op: bridge.OpRequest,
		Params: &bridge.RequestParams{Path: "/api/now/table/incident", Method: "POST"}})), "body": body.Get("buffer")}))
	r = p.next("create")
	require.Nil(t, r["error"])
	assert.EqualValues(t, 201, r["result"].(map[string]any)["status"])
	assert.Contains(t, r["body"], "from a worker")

	// Hostile and malformed messages get errors; the worker keeps serving.
	for _, bad := range []any{"just a string", 42, nil, map[string]any{"json": "{"}, map[string]any{"json": `{"id":9,"op":"steal"}`},
		map[string]any{"json": `{"id":10,"op":"executeApiRequest","params":{"path":"https://evil.example/"}}`},
		map[string]any{"json": `{"id":11,"op":"executeApiRequest","params":{"path":"/api/now/table/incident","headers":{"Authorization":"Bearer x"}}}`},
	} {
		p.post(js.ValueOf(bad))
		r := p.next("an error reply")
		assert.Equal(t, bridge.NameParameter, errName(r), "%v", bad)
	}

	// A cancelled request aborts its fetch; the worker serves on.
	res, err := http.Post(instance+"/__emulator/fault", "application/json",
		strings.NewReader(`{"path":"/api/now/table/incident","delay_ms":10000,"times":1}`))
	require.NoError(t, err)
	res.Body.Close()
	p.post(js.ValueOf(map[string]any{"json": string(bridge.Marshal(bridge.Request{ID: 600, Op: bridge.OpRequest,
		Params: &bridge.RequestParams{Path: "/api/now/table/incident"}}))}))
	r = p.call(bridge.OpCancel, &bridge.CancelParams{ID: 600})
	assert.Equal(t, true, r["result"].(map[string]any)["cancelled"])
	r = p.next("the cancelled request's reply")
	assert.EqualValues(t, 600, r["id"])
	assert.Equal(t, bridge.NameAbort, errName(r))
	control(t, "reset") // the abort may beat the request to the instance, leaving the fault armed

	control(t, "expire")
	r = p.call(bridge.OpRequest, &bridge.RequestParams{Path: "/api/now/table/incident?sysparm_limit=1"})
	require.Nil(t, r["error"], "refreshed after expiry")
	assert.Contains(t, strings.Join(p.all, "\n"), `{"event":"refreshed"}`)

	// A write answered 401 is sent again with its body, the page's
	// ArrayBuffer, after the renewal (b859851).
	control(t, "expire")
	body = js.Global().Get("TextEncoder").New().Call("encode", `{"short_description":"after a 401"}`)
	p.post(js.ValueOf(map[string]any{"json": string(bridge.Marshal(bridge.Request{ID: 700, Op: bridge.OpRequest,
		Params: &bridge.RequestParams{Path: "/api/now/table/incident", Method: "POST"}})), "body": body.Get("buffer")}))
	for r = p.next("the POST after a 401"); r["event"] != nil; r = p.next("the POST after a 401") {
	}
	require.Nil(t, r["error"], "a POST answered 401 is renewed and sent again")
	assert.EqualValues(t, 201, r["result"].(map[string]any)["status"])
	assert.Contains(t, r["body"], "after a 401")

	r = p.call(bridge.OpDisconnect, &bridge.DisconnectParams{})
	require.Nil(t, r["error"])
	assert.Equal(t, true, r["result"].(map[string]any)["revoked"])

	res, err = http.Get(instance + "/__emulator/tokens")
	require.NoError(t, err)
	var issued []string
	require.NoError(t, json.NewDecoder(res.Body).Decode(&issued))
	res.Body.Close()
	require.NotEmpty(t, issued)
	everything := strings.Join(p.all, "\n")
	for _, tok := range issued {
		assert.NotContains(t, everything, tok, "a token left the worker")
	}
}

func TestWorkerStartFailureIsReported(t *testing.T) {
	p := startWorker(t, "missing.wasm")
	m := p.next("a fatal event")
	assert.Equal(t, bridge.EventFatal, m["event"])
	data := m["data"].(map[string]any)
	assert.Equal(t, bridge.NameInitialization, data["name"])
	assert.Contains(t, data["message"], "missing.wasm answered 404")
}

package bridge

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeEachOp(t *testing.T) {
	cases := []struct {
		env  string
		body []byte
		want any
	}{
		{`{"id":1,"op":"init","params":{"instanceUrl":"https://x.service-now.com","clientId":"c","redirectUri":"https://app/r","scopes":["useraccount"],"allowedPaths":["/api/now/"]}}`, nil,
			&InitParams{InstanceURL: "https://x.service-now.com", ClientID: "c", RedirectURI: "https://app/r", Scopes: []string{"useraccount"}, AllowedPaths: []string{"/api/now/"}}},
		{`{"id":2,"op":"beginAuthorization","params":{"authFlowParams":{"prompt":"login"}}}`, nil, &BeginParams{AuthFlowParams: map[string]string{"prompt": "login"}}},
		{`{"id":3,"op":"beginAuthorization"}`, nil, &BeginParams{}},
		{`{"id":4,"op":"completeAuthorization","params":{"query":"code=a&state=b"}}`, nil, &CompleteParams{Query: "code=a&state=b"}},
		{`{"id":5,"op":"executeApiRequest","params":{"path":"/api/now/table/incident","method":"POST","headers":{"X-A":"b"},"suppressResponseBody":true}}`, []byte(`{"a":1}`),
			&RequestParams{Path: "/api/now/table/incident", Method: "POST", Headers: map[string]string{"X-A": "b"}, SuppressResponseBody: true}},
		{`{"id":6,"op":"cancel","params":{"id":5}}`, nil, &CancelParams{ID: 5}},
		{`{"id":9007199254740991,"op":"disconnect","params":null}`, nil, &DisconnectParams{}},
		{`{"id":7,"op":"attach","params":{"instanceUrl":"https://x.service-now.com","clientId":"c","redirectUri":"https://app/r","lock":"snworker-window-1"}}`, nil,
			&AttachParams{InitParams: InitParams{InstanceURL: "https://x.service-now.com", ClientID: "c", RedirectURI: "https://app/r"}, Lock: "snworker-window-1"}},
		{`{"id":7,"op":"attach","params":{"instanceUrl":"https://x.service-now.com","clientId":"c","redirectUri":"https://app/r","graceMs":0}}`, nil,
			&AttachParams{InitParams: InitParams{InstanceURL: "https://x.service-now.com", ClientID: "c", RedirectURI: "https://app/r"}, GraceMS: new(int64)}},
		{`{"id":8,"op":"setUser","params":{"user":{"user_name":"admin"}}}`, nil, &SetUserParams{User: json.RawMessage(`{"user_name":"admin"}`)}},
		{`{"id":9,"op":"detach"}`, nil, &DetachParams{}},
	}
	for _, c := range cases {
		req, err := DecodeRequest([]byte(c.env), body(c.body))
		require.Nil(t, err, c.env)
		assert.Equal(t, c.want, req.Params)
		assert.Equal(t, body(c.body), req.Body)
		assert.Positive(t, req.ID)
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	in := Request{ID: 42, Op: OpRequest, Params: &RequestParams{Path: "/api/now/table/incident?sysparm_limit=1", Method: "GET"}}
	out, err := DecodeRequest(Marshal(in), nil)
	require.Nil(t, err)
	assert.Equal(t, in, out)
}

func TestDecodeRejects(t *testing.T) {
	cases := []struct {
		name, env string
		body      []byte
		wantID    int64
		want      string // in the message
	}{
		{"not json", `{`, nil, 0, "not a JSON object"},
		{"array", `[1]`, nil, 0, "not a JSON object"},
		{"null", `null`, nil, 0, "not a JSON object"},
		{"missing id", `{"op":"init"}`, nil, 0, "id is missing; want an integer"},
		{"string id", `{"id":"1","op":"init"}`, nil, 0, `id is "1"; want an integer`},
		{"zero id", `{"id":0,"op":"disconnect"}`, nil, 0, "id is 0"},
		{"negative id", `{"id":-3,"op":"disconnect"}`, nil, 0, "id is -3"},
		{"fractional id", `{"id":1.5,"op":"disconnect"}`, nil, 0, "id is 1.5"},
		{"huge id", `{"id":9007199254740992,"op":"disconnect"}`, nil, 0, "id is 9007199254740992"},
		{"unknown top field", `{"id":1,"op":"init","token":"x"}`, nil, 0, `unknown field "token"`},
		{"missing op", `{"id":7}`, nil, 7, "op is missing; want one of init, beginAuthorization"},
		{"numeric op", `{"id":7,"op":3}`, nil, 7, "op is 3"},
		{"unknown op", `{"id":7,"op":"getToken"}`, nil, 7, `op "getToken" is unknown`},
		{"payload not object", `{"id":7,"op":"completeAuthorization","params":"code=1"}`, nil, 7, "params is a string; want an object"},
		{"wrong field type", `{"id":7,"op":"executeApiRequest","params":{"path":5}}`, nil, 7, "params.path is a number; want a string"},
		{"wrong header type", `{"id":7,"op":"executeApiRequest","params":{"path":"/a","headers":{"X":1}}}`, nil, 7, "params.headers has a number value; want an object whose values are strings"},
		{"wrong scopes", `{"id":7,"op":"init","params":{"scopes":"a b"}}`, nil, 7, "params.scopes is a string; want an array of strings"},
		{"bool as string", `{"id":7,"op":"executeApiRequest","params":{"path":"/a","suppressResponseBody":"yes"}}`, nil, 7, "want true or false"},
		{"unknown field", `{"id":7,"op":"executeApiRequest","params":{"path":"/a","url":"https://evil"}}`, nil, 7, `unknown field "url"; want only path, method`},
		{"missing path", `{"id":7,"op":"executeApiRequest","params":{}}`, nil, 7, "params.path is missing"},
		{"request timeout", `{"id":7,"op":"executeApiRequest","params":{"path":"/a","timeoutMs":5}}`, nil, 7, `unknown field "timeoutMs"`},
		{"ping field", `{"id":7,"op":"ping","params":{"id":1}}`, nil, 7, `unknown field "id"; want only no fields`},
		{"old payload field", `{"id":7,"op":"disconnect","payload":{}}`, nil, 0, `unknown field "payload"; want only id, op and params`},
		{"missing instance", `{"id":7,"op":"init","params":{"clientId":"c","redirectUri":"r"}}`, nil, 7, "params.instanceUrl is missing"},
		{"missing client", `{"id":7,"op":"init","params":{"instanceUrl":"i","redirectUri":"r"}}`, nil, 7, "params.clientId is missing"},
		{"missing redirect", `{"id":7,"op":"init","params":{"instanceUrl":"i","clientId":"c"}}`, nil, 7, "params.redirectUri is missing"},
		{"negative init timeout", `{"id":7,"op":"init","params":{"instanceUrl":"i","clientId":"c","redirectUri":"r","timeoutMs":-5}}`, nil, 7, "params.timeoutMs is -5"},
		{"missing query", `{"id":7,"op":"completeAuthorization","params":{}}`, nil, 7, "params.query is missing"},
		{"cancel no id", `{"id":7,"op":"cancel","params":{}}`, nil, 7, "params.id is 0"},
		{"disconnect field", `{"id":7,"op":"disconnect","params":{"all":true}}`, nil, 7, `unknown field "all"; want only no fields`},
		{"trailing data", `{"id":7,"op":"disconnect","params":{} }`, nil, 7, ""},
		{"body on init", `{"id":7,"op":"init","params":{}}`, []byte("x"), 7, `op "init" takes no body`},
		{"attach missing client", `{"id":7,"op":"attach","params":{"instanceUrl":"i","redirectUri":"r"}}`, nil, 7, "params.clientId is missing"},
		{"attach unknown field", `{"id":7,"op":"attach","params":{"instanceUrl":"i","token":"t"}}`, nil, 7, `unknown field "token"; want only instanceUrl, clientId, scopes, redirectUri, endpoints, hint, tokenPath, revokePath, allowedPaths, timeoutMs, lock, graceMs`},
		{"attach wrong type", `{"id":7,"op":"attach","params":{"allowedPaths":"/api"}}`, nil, 7, "params.allowedPaths is a string; want an array of strings"},
		{"attach long lock", `{"id":7,"op":"attach","params":{"instanceUrl":"i","clientId":"c","redirectUri":"r","lock":"` + strings.Repeat("l", MaxLock+1) + `"}}`, nil, 7, "params.lock is"},
		{"attach grace too long", `{"id":7,"op":"attach","params":{"instanceUrl":"i","clientId":"c","redirectUri":"r","graceMs":20001}}`, nil, 7, "params.graceMs is 20001; want 0 (off) to 20000 milliseconds, or none for 10000"},
		{"attach grace negative", `{"id":7,"op":"attach","params":{"instanceUrl":"i","clientId":"c","redirectUri":"r","graceMs":-1}}`, nil, 7, "params.graceMs is -1"},
		{"attach grace not an integer", `{"id":7,"op":"attach","params":{"instanceUrl":"i","clientId":"c","redirectUri":"r","graceMs":"10s"}}`, nil, 7, "params.graceMs is a string; want an integer"},
		{"attach lock with newline", `{"id":7,"op":"attach","params":{"instanceUrl":"i","clientId":"c","redirectUri":"r","lock":"a\nb"}}`, nil, 7, "want the name of a Web Lock"},
		{"user not object", `{"id":7,"op":"setUser","params":{"user":"admin"}}`, nil, 7, `params.user is "admin"; want the user's record`},
		{"detach field", `{"id":7,"op":"detach","params":{"port":2}}`, nil, 7, `unknown field "port"; want only no fields`},
		{"oversized envelope", `{"id":7,"op":"disconnect","params":{},"pad":"` + strings.Repeat("a", MaxEnvelope) + `"}`, nil, 0, "the limit is 1048576"},
		{"oversized body", `{"id":7,"op":"executeApiRequest","params":{"path":"/a"}}`, make([]byte, MaxBody+1), 7, "body is 67108865 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := DecodeRequest([]byte(c.env), body(c.body))
			if c.name == "trailing data" { // whitespace is fine
				assert.Nil(t, err)
				return
			}
			require.NotNil(t, err)
			assert.Equal(t, NameParameter, err.Name)
			assert.Contains(t, err.Message, c.want)
			assert.Equal(t, c.wantID, req.ID)
			assert.Nil(t, req.Params)
		})
	}
}

func TestMarshalShapes(t *testing.T) {
	assert.JSONEq(t, `{"id":3,"result":{"status":200,"kind":"json","type":"application/json"}}`,
		string(Marshal(Reply{ID: 3, Result: APIResult{Status: 200, Kind: KindJSON, Type: "application/json"}, Body: Bytes("x")})))
	e := &Error{Name: NameAPIRequest, Message: "No Record found", Status: 404, Data: json.RawMessage(`{"error":{"message":"No Record found"}}`)}
	assert.JSONEq(t, `{"id":4,"error":{"name":"ApiRequestError","message":"No Record found","status":404,"data":{"error":{"message":"No Record found"}}}}`,
		string(Marshal(Reply{ID: 4, Error: e})))
	assert.JSONEq(t, `{"event":"refreshed"}`, string(Marshal(Event{Event: EventRefreshed})))
	assert.Equal(t, "ApiRequestError: No Record found", e.Error())
}

func TestMarshalUnencodable(t *testing.T) {
	var r map[string]any
	require.NoError(t, json.Unmarshal(Marshal(Reply{ID: 12, Result: func() {}}), &r))
	assert.Contains(t, r["error"].(map[string]any)["message"], "cannot encode its reply")
	assert.EqualValues(t, 12, r["id"], "the fallback keeps the id, so that the call settles")
}

// body is the Body of a test's bytes: nil stays a nil interface.
func body(b []byte) Body {
	if b == nil {
		return nil
	}
	return Bytes(b)
}

func FuzzDecodeRequest(f *testing.F) {
	f.Add([]byte(`{"id":1,"op":"init","params":{"instanceUrl":"https://x","clientId":"c","redirectUri":"r"}}`), []byte(nil))
	f.Add([]byte(`{"id":5,"op":"executeApiRequest","params":{"path":"/a","headers":{"a":"b"}}}`), []byte("{}"))
	f.Add([]byte(`{"id":6,"op":"cancel","params":{"id":5}}`), []byte(nil))
	f.Add([]byte(`{"id":1e3,"op":"disconnect"}`), []byte(nil))
	f.Add([]byte(`{"id":7,"op":"attach","params":{"instanceUrl":"https://x","clientId":"c","redirectUri":"r","lock":"l"}}`), []byte(nil))
	f.Add([]byte(`{"id":8,"op":"setUser","params":{"user":{"name":"n"}}}`), []byte(nil))
	f.Fuzz(func(t *testing.T, env, b []byte) {
		req, err := DecodeRequest(env, body(b))
		if err != nil {
			if err.Name != NameParameter || err.Message == "" {
				t.Fatalf("bad error %+v", err)
			}
			if req.Params != nil {
				t.Fatal("params returned with an error")
			}
			return
		}
		if req.ID < 1 || req.ID > MaxID || req.Params == nil || newParams(req.Op) == nil {
			t.Fatalf("accepted %+v", req)
		}
		again, err := DecodeRequest(Marshal(req), req.Body)
		if err != nil {
			t.Fatalf("round trip of %s failed: %v", env, err)
		}
		if string(Marshal(again)) != string(Marshal(req)) {
			t.Fatalf("round trip changed %s", env)
		}
	})
}

package bridge

import (
	"encoding/json"
	"fmt"
	"strings"
)

// jsName pairs a key of a JS constants object with its value.
type jsName struct {
	key   string
	value any // string or int64
}

// jsTables are the objects js/protocol.js exports, in order.
var jsTables = []struct {
	name    string
	comment string
	entries []jsName
}{
	{"Op", "Operations the bridge asks of the worker.", []jsName{
		{"init", string(OpInit)},
		{"begin", string(OpBegin)},
		{"complete", string(OpComplete)},
		{"request", string(OpRequest)},
		{"cancel", string(OpCancel)},
		{"disconnect", string(OpDisconnect)},
	}},
	{"ErrorName", "Error names in replies; each is a JS error class, or a DOMException name.", []jsName{
		{"apiRequest", NameAPIRequest},
		{"authorization", NameAuthorization},
		{"tokenExpired", NameTokenExpired},
		{"initialization", NameInitialization},
		{"parameter", NameParameter},
		{"abort", NameAbort},
		{"timeout", NameTimeout},
	}},
	{"EventName", "Events the worker sends unasked.", []jsName{
		{"ready", EventReady},
		{"log", EventLog},
		{"refreshing", EventRefreshing},
		{"refreshed", EventRefreshed},
		{"expired", EventExpired},
		{"disconnected", EventDisconnected},
		{"fatal", EventFatal},
	}},
	{"Kind", "How to read the body of an executeApiRequest reply.", []jsName{
		{"none", KindNone},
		{"json", KindJSON},
		{"text", KindText},
		{"binary", KindBinary},
	}},
	{"Path", "Default and OpenFin Store-app endpoint paths.", []jsName{
		{"defaultToken", DefaultTokenPath},
		{"defaultRevoke", DefaultRevokePath},
		{"openfinToken", OpenFinTokenPath},
		{"openfinRevoke", OpenFinRevokePath},
		{"openfinUser", OpenFinUserPath},
	}},
	{"Limit", "Limits on what the worker accepts.", []jsName{
		{"maxEnvelope", int64(MaxEnvelope)},
		{"maxBody", int64(MaxBody)},
		{"maxId", int64(MaxID)},
	}},
	{"Release", "The release the module and the worker belong to.", []jsName{{"version", Version}}},
}

// JSModule renders js/protocol.js: the protocol's constants as an ES module,
// so that the bridge and the worker share one source of truth.
func JSModule() string {
	var b strings.Builder
	b.WriteString("// Code generated from bridge/protocol.go and bridge/errors.go by\n")
	b.WriteString("// `go test ./bridge/ -run TestJSModule -update`. DO NOT EDIT.\n")
	for _, t := range jsTables {
		fmt.Fprintf(&b, "\n// %s\nexport const %s = Object.freeze({\n", t.comment, t.name)
		for _, e := range t.entries {
			switch v := e.value.(type) {
			case string:
				q, _ := json.Marshal(v) // a JSON string is a JS string literal
				fmt.Fprintf(&b, "  %s: %s,\n", e.key, q)
			case int64:
				fmt.Fprintf(&b, "  %s: %d,\n", e.key, v)
			}
		}
		b.WriteString("});\n")
	}
	return b.String()
}

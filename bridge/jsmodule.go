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

type jsTable struct {
	name    string
	comment string
	entries []jsName
}

func ops() []jsName {
	keys := map[Op]string{OpInit: "init", OpBegin: "begin", OpComplete: "complete", OpRequest: "request",
		OpCancel: "cancel", OpDisconnect: "disconnect", OpPing: "ping", OpEndpoints: "endpoints",
		OpAttach: "attach", OpSetUser: "setUser", OpDetach: "detach"}
	var out []jsName
	for _, op := range Ops {
		out = append(out, jsName{keys[op], string(op)})
	}
	return out
}

var errorNames = []jsName{
	{"apiRequest", NameAPIRequest},
	{"authorization", NameAuthorization},
	{"tokenExpired", NameTokenExpired},
	{"initialization", NameInitialization},
	{"parameter", NameParameter},
	{"abort", NameAbort},
	{"timeout", NameTimeout},
}

func eventNames() []jsName {
	var out []jsName
	for _, e := range Events {
		out = append(out, jsName{e, e})
	}
	return out
}

// jsTables are the objects js/protocol.js exports, in order.
var jsTables = []jsTable{
	{"Op", "Operations the module asks of the worker.", ops()},
	{"ErrorName", "Error names in replies; each is a JS error class, or a DOMException name.", errorNames},
	{"EventName", "Events the worker sends unasked.", eventNames()},
	{"Kind", "How to read the body of an executeApiRequest reply.", []jsName{
		{"none", KindNone},
		{"json", KindJSON},
		{"text", KindText},
		{"binary", KindBinary},
	}},
	{"Endpoints", "Which token, revoke and user endpoints the worker uses.", []jsName{
		{"servicenow", EndpointsServiceNow},
		{"openfin", EndpointsOpenFin},
		{"auto", EndpointsAuto},
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
		{"maxGraceMs", int64(MaxGraceMS)},
		{"defaultGraceMs", int64(DefaultGraceMS)},
	}},
	{"Release", "The release the module and the worker belong to.", []jsName{{"version", Version}}},
}

// jsLists are the arrays js/protocol.js exports, in order.
var jsLists = []struct {
	name, comment string
	values        []string
}{
	{"Methods", "HTTP methods an API request may use.", Methods},
	{"RefusedHeaders", "Request headers the worker refuses (lower case).", RefusedHeaders},
	{"OverrideHeaders", "Request headers the worker refuses as overrides (lower case).", OverrideHeaders},
	{"OverrideHeaderPrefixes", "Prefixes of request headers the worker refuses as overrides.", OverrideHeaderPrefixes},
	{"ReservedAuthParams", "Authorize URL parameters the worker sets itself.", ReservedAuthParams},
	{"LoopbackHosts", "Hosts on which an instance may use plain http.", LoopbackHosts},
}

const generated = "// Code generated from bridge/ by `go test ./bridge/ -run TestJSModule -update`. DO NOT EDIT.\n"

// JSModule renders js/protocol.js: the protocol's constants as an ES module,
// so that the module and the worker share one source of truth.
func JSModule() string {
	var b strings.Builder
	b.WriteString(generated)
	for _, t := range jsTables {
		fmt.Fprintf(&b, "\n// %s\nexport const %s = %s;\n", t.comment, t.name, t.object())
	}
	for _, l := range jsLists {
		q, _ := json.Marshal(l.values) // a JSON array of strings is a JS literal
		fmt.Fprintf(&b, "\n// %s\nexport const %s = Object.freeze(%s);\n", l.comment, l.name, q)
	}
	return b.String()
}

// A JSConst is a frozen object of constants in the worker's bootstrap.
type JSConst struct {
	Name    string
	Entries [][2]string // key, value
}

// BootstrapConstants renders the constants the worker's bootstrap, a
// script that imports nothing, declares: the given ones, then the event
// and error names and the limits.
func BootstrapConstants(consts ...JSConst) string {
	var tables []jsTable
	for _, c := range consts {
		t := jsTable{name: c.Name}
		for _, e := range c.Entries {
			t.entries = append(t.entries, jsName{e[0], e[1]})
		}
		tables = append(tables, t)
	}
	for _, t := range jsTables {
		if t.name == "Limit" {
			tables = append(tables, jsTable{"EventName", "", eventNames()}, jsTable{"ErrorName", "", errorNames}, t)
		}
	}
	var b strings.Builder
	for _, t := range tables {
		fmt.Fprintf(&b, "const %s = %s;\n", t.name, t.object())
	}
	return b.String()
}

func (t jsTable) object() string {
	var b strings.Builder
	b.WriteString("Object.freeze({\n")
	for _, e := range t.entries {
		switch v := e.value.(type) {
		case string:
			q, _ := json.Marshal(v) // a JSON string is a JS string literal
			fmt.Fprintf(&b, "  %s: %s,\n", e.key, q)
		case int64:
			fmt.Fprintf(&b, "  %s: %d,\n", e.key, v)
		}
	}
	b.WriteString("})")
	return b.String()
}

package bridge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// DecodeRequest reads a request envelope and its optional body. It never
// panics. On error the returned Request still has the ID when it could be
// read, so that the error can be answered.
func DecodeRequest(envelope []byte, body Body) (Request, *Error) {
	var req Request
	if len(envelope) > MaxEnvelope {
		return req, paramError("message is %d bytes; the limit is %d", len(envelope), MaxEnvelope)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(envelope, &raw); err != nil || raw == nil {
		return req, paramError("message is not a JSON object {\"id\", \"op\", \"params\"}")
	}
	for k := range raw {
		if k != "id" && k != "op" && k != "params" {
			return req, paramError("message has unknown field %q; want only id, op and params", k)
		}
	}
	id, err := decodeID(raw["id"], "id")
	if err != nil {
		return req, err
	}
	req.ID = id

	var op string
	if json.Unmarshal(raw["op"], &op) != nil {
		return req, paramError("op is %s; want one of %s", describe(raw["op"]), opList())
	}
	req.Op = Op(op)
	params := newParams(req.Op)
	if params == nil {
		return req, paramError("op %q is unknown; want one of %s", op, opList())
	}
	if body != nil && body.Len() > MaxBody {
		return req, paramError("body is %d bytes; the limit is %d", body.Len(), MaxBody)
	}
	if body != nil && req.Op != OpRequest {
		return req, paramError("op %q takes no body", op)
	}
	req.Body = body

	p := raw["params"]
	if len(p) == 0 || string(p) == "null" {
		p = []byte("{}")
	}
	if err := decodeStrict(p, params); err != nil {
		return req, err
	}
	if err := check(params); err != nil {
		return req, err
	}
	req.Params = params
	return req, nil
}

func newParams(op Op) any {
	switch op {
	case OpInit:
		return &InitParams{}
	case OpBegin:
		return &BeginParams{}
	case OpComplete:
		return &CompleteParams{}
	case OpRequest:
		return &RequestParams{}
	case OpCancel:
		return &CancelParams{}
	case OpDisconnect:
		return &DisconnectParams{}
	case OpPing:
		return &PingParams{}
	case OpEndpoints:
		return &EndpointsParams{}
	case OpAttach:
		return &AttachParams{}
	case OpSetUser:
		return &SetUserParams{}
	case OpDetach:
		return &DetachParams{}
	}
	return nil
}

func check(params any) *Error {
	switch p := params.(type) {
	case *AttachParams:
		if len(p.Lock) > MaxLock || strings.ContainsFunc(p.Lock, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return paramError("params.lock is %q; want the name of a Web Lock, at most %d bytes without control characters", describeString(p.Lock), MaxLock)
		}
		if g := p.GraceMS; g != nil && (*g < 0 || *g > MaxGraceMS) {
			return paramError("params.graceMs is %d; want 0 (off) to %d milliseconds, or none for %d", *g, MaxGraceMS, DefaultGraceMS)
		}
		return check(&p.InitParams)
	case *SetUserParams:
		if u := bytes.TrimSpace(p.User); len(u) > 0 && u[0] != '{' && string(u) != "null" {
			return paramError("params.user is %s; want the user's record, an object, or null", describe(json.RawMessage(u)))
		}
	case *InitParams:
		if p.InstanceURL == "" {
			return paramError("params.instanceUrl is missing; want the instance URL, such as \"https://name.service-now.com\"")
		}
		if p.ClientID == "" {
			return paramError("params.clientId is missing; want the OAuth application's client ID")
		}
		if p.RedirectURI == "" {
			return paramError("params.redirectUri is missing; want the redirect URL registered on the OAuth application")
		}
		if p.TimeoutMS < 0 {
			return paramError("params.timeoutMs is %d; want 0 (the default, 30 s) or a positive number of milliseconds", p.TimeoutMS)
		}
		switch p.Endpoints {
		case "", EndpointsServiceNow, EndpointsOpenFin, EndpointsAuto:
		default:
			return paramError("params.endpoints is %q; want %q, %q or %q", p.Endpoints, EndpointsServiceNow, EndpointsOpenFin, EndpointsAuto)
		}
	case *CompleteParams:
		if p.Query == "" {
			return paramError("params.query is missing; want the redirect URL's query, such as \"code=…&state=…\"")
		}
	case *RequestParams:
		if p.Path == "" {
			return paramError("params.path is missing; want a path on the instance, such as \"/api/now/table/incident\"")
		}
	case *CancelParams:
		if p.ID < 1 || p.ID > MaxID {
			return paramError("params.id is %d; want the ID of a pending request", p.ID)
		}
	}
	return nil
}

func decodeID(raw json.RawMessage, field string) (int64, *Error) {
	if len(raw) == 0 {
		return 0, paramError("%s is missing; want an integer from 1 to %d", field, int64(MaxID))
	}
	var n json.Number
	if raw[0] != '-' && (raw[0] < '0' || raw[0] > '9') || json.Unmarshal(raw, &n) != nil {
		return 0, paramError("%s is %s; want an integer from 1 to %d", field, describe(raw), int64(MaxID))
	}
	id, err := n.Int64()
	if err != nil || id < 1 || id > MaxID {
		return 0, paramError("%s is %s; want an integer from 1 to %d", field, n, int64(MaxID))
	}
	return id, nil
}

func decodeStrict(data []byte, v any) *Error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	err := d.Decode(v)
	if err == nil && d.More() {
		err = errors.New("trailing data")
	}
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		te.Field = withoutEmbedded(v, te.Field)
		if ft := fieldType(v, te.Field); ft != nil && ft.Kind() == reflect.Map {
			return paramError("params.%s has a%s %s value; want %s", te.Field, article(te.Value), te.Value, expected(ft))
		}
		field := "params"
		if te.Field != "" {
			field += "." + te.Field
		}
		return paramError("%s is a%s %s; want %s", field, article(te.Value), te.Value, expected(te.Type))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return paramError("params has unknown field %s; want only %s", name, fieldList(v))
	}
	return paramError("params is not a JSON object: %v", err)
}

func expected(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int64, reflect.Int:
		return "an integer"
	case reflect.Slice:
		return "an array of " + strings.TrimPrefix(expected(t.Elem()), "a ") + "s"
	case reflect.Map:
		return "an object whose values are " + strings.TrimPrefix(expected(t.Elem()), "a ") + "s"
	case reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return expected(t.Elem())
	}
	return t.String()
}

func article(kind string) string {
	if kind != "" && strings.ContainsRune("aeiou", rune(kind[0])) {
		return "n"
	}
	return ""
}

// fields are the JSON fields of *v, those of embedded structs included.
func fields(v any) []reflect.StructField {
	var out []reflect.StructField
	for _, f := range reflect.VisibleFields(reflect.TypeOf(v).Elem()) {
		if !f.Anonymous {
			out = append(out, f)
		}
	}
	return out
}

// withoutEmbedded drops the Go names of *v's embedded structs from a field
// path, which then names the JSON field as the sender wrote it.
func withoutEmbedded(v any, path string) string {
	t := reflect.TypeOf(v).Elem()
	for i := range t.NumField() {
		if f := t.Field(i); f.Anonymous {
			path = strings.TrimPrefix(path, f.Name+".")
		}
	}
	return path
}

// fieldType is the type of the field of *v whose JSON name is name.
func fieldType(v any, name string) reflect.Type {
	for _, f := range fields(v) {
		if n, _, _ := strings.Cut(f.Tag.Get("json"), ","); n == name {
			return f.Type
		}
	}
	return nil
}

func fieldList(v any) string {
	var names []string
	for _, f := range fields(v) {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "no fields"
	}
	return strings.Join(names, ", ")
}

func describe(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "missing"
	}
	s := string(raw)
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}

func describeString(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func opList() string {
	names := make([]string, len(Ops))
	for i, op := range Ops {
		names[i] = string(op)
	}
	return strings.Join(names, ", ")
}

func paramError(format string, args ...any) *Error {
	return &Error{Name: NameParameter, Message: fmt.Sprintf(format, args...)}
}

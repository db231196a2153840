package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// echoFault answers with a JSON error body that repeats what the request
// carries that a client must keep secret: the bearer token, and every value
// of a form (refresh_token, code_verifier, code, token). Each is written in
// every form JSON allows for a string: as it is, each character as \uXXXX
// in lower, upper and mixed case hex, every other character escaped, with
// \/ for each slash, and as an object key. A JSON parser reads each as the
// secret itself. A token endpoint's path gets an OAuth error body, any other
// path ServiceNow's error envelope.
func echoFault(w http.ResponseWriter, r *http.Request, status int) {
	if status == 0 {
		status = http.StatusBadRequest
	}
	secrets := map[string]string{}
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		secrets["bearer"] = tok
	}
	if r.ParseForm() == nil {
		for k, v := range r.PostForm {
			if len(v) > 0 && v[0] != "" {
				secrets[k] = v[0]
			}
		}
	}
	names := make([]string, 0, len(secrets))
	for k := range secrets {
		names = append(names, k)
	}
	sort.Strings(names)
	var fields []string
	for _, name := range names {
		for _, f := range escapeForms(secrets[name]) {
			fields = append(fields, fmt.Sprintf("%q:%s", name+"."+f.name, f.literal))
		}
		fields = append(fields, fmt.Sprintf("%s:%q", uEscape(secrets[name], "%04x"), name+".as key"))
	}
	echo := "{" + strings.Join(fields, ",") + "}"
	var body string
	if isTokenPath(r.URL.Path) {
		body = `{"error":"invalid_request","error_description":"Injected fault: echo","echo":` + echo + `}`
	} else {
		body = `{"error":{"message":"Injected fault: echo","detail":` + echo + `},"status":"failure"}`
	}
	w.Header().Set("Content-Type", jsonType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

type escapeForm struct{ name, literal string }

// escapeForms returns v as JSON string literals, one per escape form.
func escapeForms(v string) []escapeForm {
	plain, _ := json.Marshal(v)
	mixed, every := make([]string, 0, len(v)), make([]string, 0, len(v))
	for i, c := range v {
		if i%2 == 0 {
			mixed = append(mixed, fmt.Sprintf(`\u%04x`, c))
			every = append(every, fmt.Sprintf(`\u%04X`, c))
		} else {
			mixed = append(mixed, fmt.Sprintf(`\u%04X`, c))
			one, _ := json.Marshal(string(c))
			every = append(every, string(one[1:len(one)-1]))
		}
	}
	return []escapeForm{
		{"plain", string(plain)},
		{"lower hex", uEscape(v, "%04x")},
		{"upper hex", uEscape(v, "%04X")},
		{"mixed hex", `"` + strings.Join(mixed, "") + `"`},
		{"every other", `"` + strings.Join(every, "") + `"`},
		{"solidus", strings.ReplaceAll(string(plain), "/", `\/`)},
	}
}

// uEscape writes every character of v as \uXXXX with format (a UTF-16
// surrogate pair beyond the BMP), as a JSON string literal.
func uEscape(v, format string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range v {
		if c > 0xffff {
			c -= 0x10000
			b.WriteString(`\u` + fmt.Sprintf(format, 0xd800+(c>>10)) + `\u` + fmt.Sprintf(format, 0xdc00+(c&0x3ff)))
			continue
		}
		b.WriteString(`\u` + fmt.Sprintf(format, c))
	}
	b.WriteByte('"')
	return b.String()
}

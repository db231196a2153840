package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/snworker/snworker/bridge"
)

// maxResponse bounds a response body the worker reads.
const maxResponse = 256 << 20

// call is an API request checked and ready to send.
type call struct {
	method   string
	url      *url.URL
	header   http.Header // without Authorization
	body     bridge.Body
	suppress bool
}

// prepare checks an API request's method, path and headers.
func (w *Worker) prepare(p *bridge.RequestParams, body bridge.Body) (*call, *bridge.Error) {
	method := strings.ToUpper(orDefault(p.Method, http.MethodGet))
	if !slices.Contains(bridge.Methods, method) {
		return nil, paramErr("httpMethod %q is not supported; want one of %s", p.Method, strings.Join(bridge.Methods, ", "))
	}
	u, err := w.cfg.resolve(p.Path)
	if err != nil {
		return nil, err
	}
	header, err := requestHeader(p, method)
	if err != nil {
		return nil, err
	}
	return &call{method: method, url: u, header: header, body: body, suppress: p.SuppressResponseBody}, nil
}

func requestHeader(p *bridge.RequestParams, method string) (http.Header, *bridge.Error) {
	h := http.Header{}
	for k, v := range p.Headers {
		switch {
		case !validName(k):
			return nil, paramErr("header name %q is not a header name; want letters, digits and !#$%%&'*+-.^_`|~ only", k)
		case slices.Contains(bridge.RefusedHeaders, strings.ToLower(k)):
			return nil, paramErr("header %q is set by the worker; leave it out", k)
		case overrides(strings.ToLower(k)):
			return nil, paramErr("header %q could override the method, path, host or client address on some servers; leave it out", k)
		case !validValue(v):
			return nil, paramErr("header %q has a value with a control character, a character beyond ISO-8859-1, or over 8 KiB; want one line of Latin-1 text", k)
		}
		h.Set(k, v)
	}
	if h.Get("Accept") == "" {
		h.Set("Accept", "application/json")
	}
	if h.Get("Content-Type") == "" && (method == "POST" || method == "PUT" || method == "PATCH") {
		h.Set("Content-Type", "application/json")
	}
	if p.SuppressResponseBody {
		h.Set("X-no-response-body", "true")
	}
	return h, nil
}

// validValue reports whether s is a header value fetch accepts: one line
// of ISO-8859-1 text, tabs allowed.
func validValue(s string) bool {
	if len(s) > 8<<10 {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' || r == 0x7f || r > 0xff {
			return false
		}
	}
	return true
}

func validName(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// sendBody is the body to send: none when it is empty.
func (c *call) sendBody() bridge.Body {
	if c.body != nil && c.body.Len() > 0 {
		return c.body
	}
	return nil
}

// withToken is the call's header with the access token, for one send.
func (c *call) withToken(access string) http.Header {
	h := c.header.Clone()
	h.Set("Authorization", "Bearer "+access)
	return h
}

// success is the result of a 2xx response and the body to hand over; h
// has lower-case names.
func success(status int, h map[string]string, body bridge.Body, suppress bool) (*bridge.APIResult, bridge.Body) {
	ctype := h["content-type"]
	r := &bridge.APIResult{Status: status, Type: ctype, Kind: kind(ctype, body.Len()), Headers: h}
	if suppress || r.Kind == bridge.KindNone {
		r.Kind = bridge.KindNone
		return r, nil
	}
	return r, body
}

func tooLarge(status int) *bridge.Error {
	return &bridge.Error{Name: bridge.NameAPIRequest, Status: status,
		Message: fmt.Sprintf("the response is over %d MiB; ask for less, for example with sysparm_limit", maxResponse>>20)}
}

// apiError is the ApiRequestError for a non-2xx reply: the message is
// ServiceNow's error.message when there is one.
func apiError(status int, body []byte) *bridge.Error {
	e := &bridge.Error{Name: bridge.NameAPIRequest, Status: status}
	if len(body) > 0 && len(body) <= 1<<20 && json.Valid(body) {
		e.Data = body
		var env struct {
			Error struct{ Message string } `json:"error"`
		}
		if json.Unmarshal(body, &env) == nil {
			e.Message = env.Error.Message
		}
	}
	if e.Message == "" {
		e.Message = fmt.Sprintf("the instance answered %d %s", status, http.StatusText(status))
	}
	return e
}

func kind(ctype string, size int) string {
	if size == 0 {
		return bridge.KindNone
	}
	mt, _, _ := mime.ParseMediaType(ctype)
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return bridge.KindJSON
	case strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "+xml") ||
		mt == "application/xml" || mt == "application/javascript" || mt == "application/x-www-form-urlencoded":
		return bridge.KindText
	}
	return bridge.KindBinary
}

// ctxErr is the error for a request whose context ended: its cause when it
// is a bridge error (timeout, disconnect), else an AbortError.
func ctxErr(ctx context.Context) *bridge.Error {
	if e, ok := context.Cause(ctx).(*bridge.Error); ok {
		return e
	}
	return bridge.Errorf(bridge.NameAbort, "the request was cancelled")
}

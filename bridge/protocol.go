// Package bridge defines the messages between the main-thread module
// (js/servicenow.js) and the worker: one request envelope, one reply
// envelope, unsolicited events, and the error shape both sides share.
//
// On the wire every message is a JS object {json: string, body?: ArrayBuffer}.
// json holds the envelope; body carries raw request or response bytes so
// that large bodies are transferred, not copied or re-encoded.
package bridge

import (
	"bytes"
	"encoding/json"
	"io"
)

// Op names an operation the module asks of the worker.
type Op string

const (
	OpInit       Op = "init"
	OpBegin      Op = "beginAuthorization"
	OpComplete   Op = "completeAuthorization"
	OpRequest    Op = "executeApiRequest"
	OpCancel     Op = "cancel"
	OpDisconnect Op = "disconnect"
	OpPing       Op = "ping"
	OpEndpoints  Op = "findEndpoints"

	// A shared worker's ports use these instead of OpInit (see shared.go).
	OpAttach  Op = "attach"
	OpSetUser Op = "setUser"
	OpDetach  Op = "detach"
)

// Ops lists every operation, in the order the module uses them.
var Ops = []Op{OpInit, OpBegin, OpEndpoints, OpComplete, OpRequest, OpCancel, OpDisconnect, OpPing, OpAttach, OpSetUser, OpDetach}

// Limits on what the worker accepts.
const (
	MaxEnvelope = 1 << 20  // bytes of the json field
	MaxBody     = 64 << 20 // bytes of a request body
	MaxID       = 1<<53 - 1
)

// Request is a message from the module to the worker.
type Request struct {
	ID     int64 `json:"id"`
	Op     Op    `json:"op"`
	Params any   `json:"params"` // one of the *Params types below, by Op
	Body   Body  `json:"-"`
}

// Body is a request or response body: Bytes in Go's memory, or a buffer
// still in the browser's memory (an ArrayBuffer), which is handed on
// without a copy. Package webworker defines that second form.
type Body interface {
	Len() int
	Reader() io.Reader // reads the body into Go's memory
}

// Bytes is a Body in Go's memory.
type Bytes []byte

func (b Bytes) Len() int          { return len(b) }
func (b Bytes) Reader() io.Reader { return bytes.NewReader(b) }

// InitParams configures the worker. It is the first request, and only once.
type InitParams struct {
	InstanceURL  string   `json:"instanceUrl"`            // https://name.service-now.com
	ClientID     string   `json:"clientId"`               // the OAuth application's client ID
	Scopes       []string `json:"scopes,omitempty"`       // sent as scope, space-separated
	RedirectURI  string   `json:"redirectUri"`            // registered on the OAuth application
	Endpoints    string   `json:"endpoints,omitempty"`    // EndpointsAuto (the default, as the module's), EndpointsServiceNow or EndpointsOpenFin
	Hint         string   `json:"hint,omitempty"`         // with EndpointsAuto: what an earlier sign-in found, checked first
	TokenPath    string   `json:"tokenPath,omitempty"`    // default by Endpoints
	RevokePath   string   `json:"revokePath,omitempty"`   // default DefaultRevokePath
	AllowedPaths []string `json:"allowedPaths,omitempty"` // API path prefixes; empty allows every path
	TimeoutMS    int64    `json:"timeoutMs,omitempty"`    // of each call to the token and revoke endpoints; default 30000
}

// Which token, revoke and user endpoints to use: the instance's own, the
// OpenFin Store app's, or whichever of the two this origin can read
// through CORS, found while the user signs in.
const (
	EndpointsServiceNow = "servicenow"
	EndpointsOpenFin    = "openfin"
	EndpointsAuto       = "auto"
)

// FetchModeHeader, set on a request the worker sends, is the fetch mode
// the bootstrap sends it in ("no-cors"), not a header: as in Go's net/http
// on js/wasm, whose header of that name it is. Its colon makes it no
// header name, so no API request's headers can hold it.
const FetchModeHeader = "js.fetch:mode"

// Default and OpenFin Store-app endpoint paths.
const (
	DefaultTokenPath  = "/oauth_token.do"
	DefaultRevokePath = "/oauth_revoke_token.do"
	OpenFinTokenPath  = "/api/x_opfi_openfin/v1/integration/request_tokens"
	OpenFinRevokePath = "/api/x_opfi_openfin/v1/integration/revoke_token"
	OpenFinUserPath   = "/api/x_opfi_openfin/v1/integration/user_info"
)

// BeginParams starts an authorization. AuthFlowParams are extra query
// parameters for the authorize URL, as the anchor's argument of that name.
type BeginParams struct {
	AuthFlowParams map[string]string `json:"authFlowParams,omitempty"`
}

// BeginResult is the reply to OpBegin. Only the challenge, never the
// verifier, is in AuthorizeURL.
type BeginResult struct {
	AuthorizeURL string `json:"authorizeUrl"`
	State        string `json:"state"`
}

// EndpointsParams asks which endpoints the worker uses, waiting for the
// check when Endpoints is EndpointsAuto. It has no fields.
type EndpointsParams struct{}

// EndpointsResult names the endpoints in use. UserInfoPath is empty when
// the signed-in user is read through the Table API.
type EndpointsResult struct {
	TokenPath    string `json:"tokenPath"`
	RevokePath   string `json:"revokePath"`
	UserInfoPath string `json:"userInfoPath,omitempty"`
}

// CompleteParams finishes an authorization with the redirect URL's query
// string (code and state, or error).
type CompleteParams struct {
	Query string `json:"query"`
}

// RequestParams is an API request. Its body, if any, is Request.Body.
type RequestParams struct {
	Path                 string            `json:"path"`             // a path on the instance, query allowed
	Method               string            `json:"method,omitempty"` // one of Methods; default GET
	Headers              map[string]string `json:"headers,omitempty"`
	SuppressResponseBody bool              `json:"suppressResponseBody,omitempty"`
}

// Body kinds tell the module how to read Reply.Body.
const (
	KindNone   = "none"   // no body
	KindJSON   = "json"   // parse, then unwrap ServiceNow's {"result": …}
	KindText   = "text"   // decode as UTF-8 text
	KindBinary = "binary" // hand over as an ArrayBuffer
)

// APIResult is the result of OpRequest. Its body, if any, is Reply.Body.
type APIResult struct {
	Status  int               `json:"status"`
	Type    string            `json:"type,omitempty"` // Content-Type
	Kind    string            `json:"kind"`
	Headers map[string]string `json:"headers,omitempty"` // names in lower case
}

// CancelParams cancels the pending request with that ID.
type CancelParams struct {
	ID int64 `json:"id"`
}

// CancelResult tells whether a pending request was cancelled.
type CancelResult struct {
	Cancelled bool `json:"cancelled"`
}

// DisconnectParams ends the session; it has no fields.
type DisconnectParams struct{}

// DisconnectResult tells whether the instance confirmed that every token
// was revoked.
type DisconnectResult struct {
	Revoked bool `json:"revoked"`
}

// PingParams asks for an empty reply: the module's check that the worker
// still answers. It works in any state.
type PingParams struct{}

// Done is the result of an operation that returns nothing.
type Done struct{}

// Reply answers the request with the same ID: Result or Error, never both.
// ID is 0 when the request's ID could not be read.
type Reply struct {
	ID     int64  `json:"id"`
	Result any    `json:"result,omitempty"`
	Error  *Error `json:"error,omitempty"`
	Body   Body   `json:"-"`
}

// Event is a message from the worker that answers no request.
type Event struct {
	Event string `json:"event"`
	Data  any    `json:"data,omitempty"`
}

// Event names.
const (
	EventReady        = "ready"        // the worker serves requests
	EventLog          = "log"          // Data is a LogEntry
	EventRefreshing   = "refreshing"   // the access token is being renewed
	EventRefreshed    = "refreshed"    // the access token was renewed
	EventExpired      = "expired"      // the refresh failed; connect again
	EventDisconnected = "disconnected" // the session ended
	EventFatal        = "fatal"        // the worker stopped; Data is an *Error
)

// Events lists every event name.
var Events = []string{EventReady, EventLog, EventRefreshing, EventRefreshed, EventExpired, EventDisconnected, EventFatal}

// LogEntry is a log line from the worker. It never holds a token.
type LogEntry struct {
	Level   string `json:"level"`
	Message string `json:"message"`
}

// Marshal renders an envelope (Reply, Event or Request) as wire JSON.
func Marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Only a Result or Data that cannot be encoded gets here.
		var id int64
		if r, ok := v.(Reply); ok {
			id = r.ID
		}
		b, _ = json.Marshal(Reply{ID: id, Error: Errorf(NameInitialization, "the worker cannot encode its reply: %v", err)})
	}
	return b
}

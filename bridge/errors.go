package bridge

import (
	"encoding/json"
	"fmt"
)

// Error names; each is a JS error class the bridge rebuilds.
const (
	NameAPIRequest     = "ApiRequestError"
	NameAuthorization  = "AuthorizationError"
	NameTokenExpired   = "AuthTokenExpiredError"
	NameInitialization = "InitializationError"
	NameParameter      = "ParameterError"
	NameAbort          = "AbortError"   // the caller cancelled the request
	NameTimeout        = "TimeoutError" // the request's timeout passed
)

// ErrorNames lists every error name.
var ErrorNames = []string{NameAPIRequest, NameAuthorization, NameTokenExpired,
	NameInitialization, NameParameter, NameAbort, NameTimeout}

// Error is the error shape of a Reply.
type Error struct {
	Name    string          `json:"name"`
	Message string          `json:"message"`
	Status  int             `json:"status,omitempty"` // HTTP status, for ApiRequestError
	Data    json.RawMessage `json:"data,omitempty"`   // the server's JSON error body, or a URL
}

func (e *Error) Error() string { return e.Name + ": " + e.Message }

// Errorf returns an *Error with the given name and formatted message.
func Errorf(name, format string, args ...any) *Error {
	return &Error{Name: name, Message: fmt.Sprintf(format, args...)}
}

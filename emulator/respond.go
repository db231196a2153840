package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

const (
	jsonType = "application/json;charset=UTF-8"
	xmlType  = "application/xml;charset=UTF-8"
)

// writeJSON writes v as JSON (HTML characters unescaped, like ServiceNow).
func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeBody(w, status, jsonType, b.Bytes())
}

func writeBody(w http.ResponseWriter, status int, contentType string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

type errorInfo struct {
	Message string `json:"message"`
	Detail  any    `json:"detail"`
}

type errorBody struct {
	Error  errorInfo `json:"error"`
	Status string    `json:"status"`
}

// apiError writes a ServiceNow REST error; detail may be nil (JSON null).
// It is XML when r asks for XML; r may be nil.
func apiError(w http.ResponseWriter, r *http.Request, status int, message string, detail any) {
	if r != nil && wantsXML(r) {
		writeXMLError(w, status, message, detail)
		return
	}
	writeJSON(w, status, errorBody{errorInfo{message, detail}, "failure"})
}

func unauthenticated(w http.ResponseWriter, r *http.Request) {
	apiError(w, r, http.StatusUnauthorized, "User Not Authenticated", "Required to provide Auth information")
}

func noRecord(w http.ResponseWriter, r *http.Request) {
	apiError(w, r, http.StatusNotFound, "No Record found", "Record doesn't exist or ACL restricts the record retrieval")
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	apiError(w, r, http.StatusMethodNotAllowed, "Method not Supported", r.Method+" method not supported for API")
}

// writeResult writes {"result": v} as JSON or XML, or only the status when
// the request carries X-no-response-body: true.
func writeResult(w http.ResponseWriter, r *http.Request, status int, v any) {
	if strings.EqualFold(r.Header.Get("X-no-response-body"), "true") {
		w.WriteHeader(status)
		return
	}
	if wantsXML(r) {
		writeXMLResult(w, status, v)
		return
	}
	writeJSON(w, status, map[string]any{"result": v})
}

type tokenErrorBody struct {
	ErrorDescription string `json:"error_description"`
	Error            string `json:"error"`
}

// tokenError is ServiceNow's answer to every token-endpoint failure.
func tokenError(w http.ResponseWriter) {
	tokenErrorStatus(w, http.StatusUnauthorized)
}

func tokenErrorStatus(w http.ResponseWriter, status int) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, tokenErrorBody{"access_denied", "server_error"})
}

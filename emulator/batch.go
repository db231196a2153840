package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"
)

type batchHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type batchItem struct {
	ID                     string        `json:"id"`
	Method                 string        `json:"method"`
	URL                    string        `json:"url"`
	Headers                []batchHeader `json:"headers"`
	Body                   string        `json:"body"`
	ExcludeResponseHeaders bool          `json:"exclude_response_headers"`
}

type batchRequest struct {
	BatchRequestID string      `json:"batch_request_id"`
	RestRequests   []batchItem `json:"rest_requests"`
}

type batchResult struct {
	ID            string        `json:"id"`
	Body          string        `json:"body"`
	StatusCode    int           `json:"status_code"`
	StatusText    string        `json:"status_text"`
	Headers       []batchHeader `json:"headers"`
	ExecutionTime int64         `json:"execution_time"`
	ErrorMessage  string        `json:"error_message,omitempty"`
}

type batchResponse struct {
	BatchRequestID    string        `json:"batch_request_id"`
	ServicedRequests  []batchResult `json:"serviced_requests"`
	UnservicedRequest []string      `json:"unserviced_requests"`
}

// handleBatch serves POST /api/now/v1/batch: each item runs as its own
// request with the caller's credentials; bodies are base64 both ways.
func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request, segs []string) {
	if len(segs) != 0 {
		apiError(w, r, http.StatusBadRequest, "Requested URI does not represent any resource", nil)
		return
	}
	if r.Method != http.MethodPost {
		methodNotAllowed(w, r)
		return
	}
	var req batchRequest
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&req); err != nil {
		apiError(w, nil, http.StatusBadRequest, "Exception while reading request", "The batch payload is not valid JSON: "+err.Error())
		return
	}
	if req.RestRequests == nil {
		apiError(w, nil, http.StatusBadRequest, "Exception while reading request", "rest_requests is required: a list of {id, method, url, headers, body}")
		return
	}
	resp := batchResponse{BatchRequestID: req.BatchRequestID, ServicedRequests: []batchResult{}, UnservicedRequest: []string{}}
	for _, item := range req.RestRequests {
		resp.ServicedRequests = append(resp.ServicedRequests, s.runBatchItem(r, item))
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) runBatchItem(outer *http.Request, item batchItem) batchResult {
	start := time.Now()
	fail := func(msg string) batchResult {
		return batchResult{ID: item.ID, StatusCode: http.StatusBadRequest, StatusText: http.StatusText(http.StatusBadRequest), Headers: []batchHeader{}, ErrorMessage: msg}
	}
	switch {
	case item.ID == "" || item.Method == "" || item.URL == "":
		return fail("each rest_requests item needs id, method and url")
	case !strings.HasPrefix(item.URL, "/api/now/") || strings.Contains(item.URL, "/batch"):
		return fail("url must be a relative /api/now/ path other than the batch API: " + item.URL)
	}
	body, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(item.Body), ""))
	if err != nil {
		return fail("body must be base64: " + err.Error())
	}
	sub, err := http.NewRequestWithContext(outer.Context(), strings.ToUpper(item.Method), item.URL, bytes.NewReader(body))
	if err != nil {
		return fail(err.Error())
	}
	sub.Host, sub.TLS = outer.Host, outer.TLS
	for _, h := range item.Headers {
		sub.Header.Add(h.Name, h.Value)
	}
	sub.Header.Set("Authorization", outer.Header.Get("Authorization"))
	rec := httptest.NewRecorder()
	s.handleNow(rec, sub)
	res := batchResult{
		ID: item.ID, Body: base64.StdEncoding.EncodeToString(rec.Body.Bytes()),
		StatusCode: rec.Code, StatusText: http.StatusText(rec.Code), Headers: []batchHeader{},
		ExecutionTime: time.Since(start).Milliseconds(),
	}
	if !item.ExcludeResponseHeaders {
		names := make([]string, 0, len(rec.Header()))
		for k := range rec.Header() {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			for _, v := range rec.Header()[k] {
				res.Headers = append(res.Headers, batchHeader{k, v})
			}
		}
	}
	return res
}

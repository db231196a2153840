package emulator

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type batchOut struct {
	BatchRequestID   string `json:"batch_request_id"`
	ServicedRequests []struct {
		ID            string
		Body          string
		StatusCode    int    `json:"status_code"`
		StatusText    string `json:"status_text"`
		Headers       []batchHeader
		ExecutionTime *int64 `json:"execution_time"`
		ErrorMessage  string `json:"error_message"`
	} `json:"serviced_requests"`
	UnservicedRequests []string `json:"unserviced_requests"`
}

func unbase64(t *testing.T, s string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err)
	return string(b)
}

// Items 12 and 13 of the Batch API reference's example, with its
// base64 body as published (single-quoted, split across lines), plus an
// XML item.
func TestBatchReferenceExample(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	req := `{
   "batch_request_id":"1",
   "rest_requests":[
      {"id":"12","exclude_response_headers":true,
       "headers":[{"name":"Content-Type","value":"application/json"},{"name":"Accept","value":"application/json"}],
       "url":"/api/now/table/incident?sysparm_limit=1","method":"GET"},
      {"id":"13","exclude_response_headers":true,
       "headers":[{"name":"Content-Type","value":"application/json"},{"name":"Accept","value":"application/json"}],
       "url":"/api/now/table/incident","method":"POST",
       "body":"eyd1cmdlbmN5JzonMScsICdzaG9ydF9kZXNjcmlwdGlvbic6J015IGNvbXB1dGVyIG\n          Jyb2tlJywgJ2NvbW1lbnRzJzonRWxldmF0aW5nIHVyZ2VuY3ksIHRoaXMgaXMgYSBibG9ja2luZyBpc3N1ZSd9"},
      {"id":"14","headers":[{"name":"Accept","value":"application/xml"}],
       "url":"/api/now/table/sys_user/` + adminID + `?sysparm_fields=user_name","method":"GET"}
   ]
}`
	resp, body := e.api("POST", "/api/now/v1/batch", tok, req, "Accept", "application/json")
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	var out batchOut
	require.NoError(t, json.Unmarshal([]byte(body), &out), body)
	assert.Equal(t, "1", out.BatchRequestID)
	assert.Equal(t, []string{}, out.UnservicedRequests)
	require.Len(t, out.ServicedRequests, 3)

	get := out.ServicedRequests[0]
	assert.Equal(t, "12", get.ID)
	assert.Equal(t, 200, get.StatusCode)
	assert.Equal(t, "OK", get.StatusText)
	assert.Empty(t, get.Headers, "exclude_response_headers")
	require.NotNil(t, get.ExecutionTime)
	assert.Len(t, results(t, unbase64(t, get.Body)), 1)

	post := out.ServicedRequests[1]
	assert.Equal(t, "13", post.ID)
	assert.Equal(t, 201, post.StatusCode, unbase64(t, post.Body))
	assert.Equal(t, "Created", post.StatusText)
	created := result(t, unbase64(t, post.Body))
	assert.Equal(t, "My computer broke", created["short_description"])
	assert.Equal(t, "1", created["urgency"])

	xml := out.ServicedRequests[2]
	assert.Equal(t, 200, xml.StatusCode)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><response><result><user_name>admin</user_name></result></response>`, unbase64(t, xml.Body))
	assert.Contains(t, xml.Headers, batchHeader{"Content-Type", "application/xml;charset=UTF-8"})
}

func TestBatchItemsRunAsTheCaller(t *testing.T) {
	e := newEnv(t)
	fred := e.accessToken(seedID("sys_user", "fred.luddy"))
	req := `{"batch_request_id":"b","rest_requests":[
		{"id":"1","method":"GET","url":"/api/now/table/incident?sysparm_limit=1"},
		{"id":"2","method":"GET","url":"/api/now/table/sys_user?sysparm_limit=1"},
		{"id":"3","method":"GET","url":"/api/now/v1/batch"},
		{"id":"4","method":"GET"},
		{"id":"5","method":"POST","url":"/api/now/table/incident","body":"%%%"}]}`
	resp, body := e.api("POST", "/api/now/v1/batch", fred, req)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	var out batchOut
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	codes := map[string]int{}
	for _, r := range out.ServicedRequests {
		codes[r.ID] = r.StatusCode
		if r.StatusCode == 400 {
			assert.NotEmpty(t, r.ErrorMessage, r.ID)
		}
	}
	assert.Equal(t, map[string]int{"1": 403, "2": 200, "3": 400, "4": 400, "5": 400}, codes)

	resp, _ = e.api("POST", "/api/now/v1/batch", "", req)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, body = e.api("POST", "/api/now/v1/batch", fred, `{"batch_request_id":"x"}`)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.True(t, strings.Contains(body, "rest_requests"), body)
	resp, _ = e.api("GET", "/api/now/v1/batch", fred, "")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTableGetList(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	for _, prefix := range []string{"/api/now/table/", "/api/now/v1/table/", "/api/now/v2/table/"} {
		resp, body := e.api("GET", prefix+"incident?sysparm_limit=5", tok, "")
		require.Equal(t, http.StatusOK, resp.StatusCode, prefix)
		assert.Equal(t, "application/json;charset=UTF-8", resp.Header.Get("Content-Type"))
		rows := results(t, body)
		require.Len(t, rows, 5)
		assert.Equal(t, "INC0010001", rows[0]["number"])
		assert.Equal(t, "300", resp.Header.Get("X-Total-Count"))
	}
}

func TestTableRecordShape(t *testing.T) {
	e := newEnv(t)
	resp, body := e.api("GET", "/api/now/table/incident/"+seedID("incident", 0), e.accessToken(adminID), "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	rec := result(t, body)
	for _, f := range []string{"sys_id", "number", "short_description", "description", "state", "priority", "urgency", "impact",
		"category", "opened_at", "active", "sys_created_on", "sys_updated_on", "sys_created_by", "sys_updated_by", "sys_mod_count"} {
		assert.IsType(t, "", rec[f], f)
	}
	assert.Regexp(t, `^[0-9a-f]{32}$`, rec["sys_id"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`, rec["opened_at"])
	caller, ok := rec["caller_id"].(map[string]any)
	require.True(t, ok, "reference is an object: %v", rec["caller_id"])
	assert.Regexp(t, `^[0-9a-f]{32}$`, caller["value"])
	assert.Equal(t, e.ts.URL+"/api/now/table/sys_user/"+caller["value"].(string), caller["link"])
}

func TestTableErrors(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	cases := []struct {
		name, method, path, body string
		header                   []string
		status                   int
		want                     string
	}{
		{"no token", "GET", "/api/now/table/incident", "", nil, 401, `{"error":{"message":"User Not Authenticated","detail":"Required to provide Auth information"},"status":"failure"}`},
		{"unknown token", "GET", "/api/now/table/incident", "", []string{"Authorization", "Bearer nope"}, 401, ""},
		{"basic auth", "GET", "/api/now/table/incident", "", []string{"Authorization", "Basic YWRtaW46YWRtaW4="}, 401, ""},
		{"unknown table", "GET", "/api/now/table/nope", "", nil, 400, `{"error":{"message":"Invalid table nope","detail":null},"status":"failure"}`},
		{"missing record", "GET", "/api/now/table/incident/0123456789abcdef0123456789abcdef", "", nil, 404, `{"error":{"message":"No Record found","detail":"Record doesn't exist or ACL restricts the record retrieval"},"status":"failure"}`},
		{"not a resource", "GET", "/api/now/tables/incident", "", nil, 400, ""},
		{"too deep", "GET", "/api/now/table/incident/a/b", "", nil, 400, ""},
		{"bad json", "POST", "/api/now/table/incident", `{"short_description":`, nil, 400, ""},
		{"json array", "POST", "/api/now/table/incident", `[1,2]`, nil, 400, ""},
		{"json null", "POST", "/api/now/table/incident", `null`, nil, 400, ""},
		{"post with id", "POST", "/api/now/table/incident/" + seedID("incident", 1), `{}`, nil, 405, ""},
		{"put without id", "PUT", "/api/now/table/incident", `{}`, nil, 405, ""},
		{"delete without id", "DELETE", "/api/now/table/incident", "", nil, 405, ""},
		{"options", "OPTIONS", "/api/now/table/incident", "", nil, 405, ""},
		{"text accept", "GET", "/api/now/table/incident", "", []string{"Accept", "text/plain"}, 406, ""},
		{"text body", "POST", "/api/now/table/incident", `x`, []string{"Content-Type", "text/plain"}, 415, ""},
		{"bad xml", "POST", "/api/now/table/incident", `<x>`, []string{"Content-Type", "application/xml"}, 400, ""},
		{"patch missing", "PATCH", "/api/now/table/incident/0123456789abcdef0123456789abcdef", `{}`, nil, 404, ""},
		{"delete missing", "DELETE", "/api/now/table/incident/0123456789abcdef0123456789abcdef", "", nil, 404, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			token := tok
			if c.name == "no token" || strings.HasPrefix(c.name, "unknown token") || c.name == "basic auth" {
				token = ""
			}
			resp, body := e.api(c.method, c.path, token, c.body, c.header...)
			assert.Equal(t, c.status, resp.StatusCode, body)
			assert.Equal(t, "application/json;charset=UTF-8", resp.Header.Get("Content-Type"))
			errBody := jsonMap(t, body)
			assert.Equal(t, "failure", errBody["status"])
			assert.NotEmpty(t, errBody["error"].(map[string]any)["message"])
			if c.want != "" {
				assert.JSONEq(t, c.want, body)
			}
		})
	}
}

func TestAcceptHeaders(t *testing.T) {
	for accept, ok := range map[string]bool{
		"": true, "application/json": true, "*/*": true, "application/*": true,
		"text/html, application/json;q=0.9": true, "application/xml": false, "application/xml, application/json;q=0.5": false, "application/json;q=0": false, "text/plain": false,
	} {
		assert.Equal(t, ok, acceptsJSON(accept), accept)
	}
}

func TestTableCreate(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(seedID("sys_user", "abel.tuter"))
	resp, body := e.api("POST", "/api/now/v2/table/incident",
		tok, `{"short_description":"Printer on fire","urgency":1,"active":false,"caller_id":"Beth Anglin","assigned_to":{"value":"`+adminID+`"},"bogus":"x","sys_created_by":"mallory","description":null}`)
	require.Equal(t, http.StatusCreated, resp.StatusCode, body)
	rec := result(t, body)
	id := rec["sys_id"].(string)
	assert.Regexp(t, `^[0-9a-f]{32}$`, id)
	assert.Equal(t, e.ts.URL+"/api/now/table/incident/"+id, resp.Header.Get("Location"))
	assert.Equal(t, "INC0010301", rec["number"])
	assert.Equal(t, "Printer on fire", rec["short_description"])
	assert.Equal(t, "1", rec["urgency"], "numbers are stored as strings")
	assert.Equal(t, "false", rec["active"])
	assert.Equal(t, "", rec["description"])
	assert.Equal(t, "1", rec["state"], "default state New")
	assert.Equal(t, "abel.tuter", rec["sys_created_by"])
	assert.Equal(t, "2025-06-01 12:00:00", rec["sys_created_on"])
	assert.Equal(t, "2025-06-01 12:00:00", rec["opened_at"])
	assert.Equal(t, "0", rec["sys_mod_count"])
	assert.NotContains(t, rec, "bogus")
	assert.Equal(t, seedID("sys_user", "beth.anglin"), rec["caller_id"].(map[string]any)["value"], "reference set by display value")
	assert.Equal(t, adminID, rec["assigned_to"].(map[string]any)["value"])

	resp, body = e.api("POST", "/api/now/table/incident", tok, `{"short_description":"Second"}`)
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "INC0010302", result(t, body)["number"])

	resp, body = e.api("GET", "/api/now/table/incident/"+id, tok, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "Printer on fire", result(t, body)["short_description"])
	resp, _ = e.api("GET", "/api/now/table/incident?sysparm_limit=1", tok, "")
	assert.Equal(t, "302", resp.Header.Get("X-Total-Count"))

	resp, body = e.api("POST", "/api/now/table/sn_bom_financial_service", tok, "")
	require.Equal(t, http.StatusCreated, resp.StatusCode, "an empty body creates a record with defaults")
	assert.Equal(t, "FSC0001021", result(t, body)["number"])
}

func TestTableUpdateAndDelete(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(seedID("sys_user", "david.loo"))
	id := seedID("incident", 7)
	path := "/api/now/table/incident/" + id
	_, body := e.api("GET", path, tok, "")
	before := result(t, body)

	e.clock.Advance(30 * time.Minute)
	resp, body := e.api("PATCH", path, tok, `{"state":"2","number":"X","sys_id":"0123456789abcdef0123456789abcdef"}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	rec := result(t, body)
	assert.Equal(t, "2", rec["state"])
	assert.Equal(t, id, rec["sys_id"], "sys_id is read-only")
	assert.Equal(t, "X", rec["number"])
	assert.Equal(t, before["short_description"], rec["short_description"], "PATCH merges")
	assert.Equal(t, "david.loo", rec["sys_updated_by"])
	assert.Equal(t, "2025-06-01 12:30:00", rec["sys_updated_on"])
	assert.NotEqual(t, before["sys_mod_count"], rec["sys_mod_count"])

	resp, body = e.api("PUT", "/api/now/v1/table/incident/"+id, tok, `{"short_description":"Replaced"}`)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	rec = result(t, body)
	assert.Equal(t, "Replaced", rec["short_description"])
	assert.Equal(t, "2", rec["state"], "PUT merges too, as on ServiceNow")

	resp, body = e.api("DELETE", path, tok, "")
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Empty(t, body)
	resp, _ = e.api("GET", path, tok, "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	resp, _ = e.api("DELETE", path, tok, "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	resp, _ = e.api("GET", "/api/now/table/incident?sysparm_limit=1", tok, "")
	assert.Equal(t, "299", resp.Header.Get("X-Total-Count"))
}

func TestNoResponseBody(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	resp, body := e.api("POST", "/api/now/table/incident", tok, `{"short_description":"quiet"}`, "X-no-response-body", "true")
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Empty(t, body)
	assert.NotEmpty(t, resp.Header.Get("Location"))

	resp, body = e.api("GET", "/api/now/table/incident?sysparm_limit=2", tok, "", "X-no-response-body", "true")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, body)
	assert.Equal(t, "301", resp.Header.Get("X-Total-Count"))
}

func TestPriorityFollowsUrgencyAndImpact(t *testing.T) {
	s := New(Config{})
	s.mu.Lock()
	defer s.mu.Unlock()
	inc := s.tables["incident"]
	rec := s.create(inc, map[string]string{"short_description": "x", "urgency": "1", "impact": "2", "priority": "5"}, adminID)
	assert.Equal(t, "2", rec["priority"], "priority is computed, not taken")
	s.update(inc, rec, map[string]string{"impact": "1"}, adminID)
	assert.Equal(t, "1", rec["priority"])
	rec = s.create(inc, map[string]string{"short_description": "y"}, adminID)
	assert.Equal(t, "5", rec["priority"], "defaults: urgency 3, impact 3")
}

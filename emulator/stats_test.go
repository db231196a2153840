package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStatsCount(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	resp, body := e.api("GET", "/api/now/stats/incident?sysparm_count=true", tok, "")
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.JSONEq(t, `{"result":{"stats":{"count":"300"}}}`, body)

	active := len(e.seeded(func(r record) bool { return r["active"] == "true" }))
	_, body = e.api("GET", "/api/now/stats/incident?sysparm_count=true&sysparm_query=active%3Dtrue", tok, "")
	assert.JSONEq(t, `{"result":{"stats":{"count":"`+strconv.Itoa(active)+`"}}}`, body)
	_, body = e.api("GET", "/api/now/v1/stats/incident?sysparm_count=true&active=true", tok, "")
	assert.JSONEq(t, `{"result":{"stats":{"count":"`+strconv.Itoa(active)+`"}}}`, body, "name-value filters apply too")
	_, body = e.api("GET", "/api/now/stats/incident", tok, "")
	assert.JSONEq(t, `{"result":{"stats":{}}}`, body, "without count or fields no aggregate runs")
}

// The shape of the reference's example, GET /api/now/stats/incident?
// sysparm_avg_fields=reassignment_count,business_stc&sysparm_group_by=assignment_group,
// on the emulator's fields.
func TestStatsGroupByAndAggregates(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	q := url.Values{
		"sysparm_avg_fields": {"urgency,impact"}, "sysparm_min_fields": {"priority"},
		"sysparm_max_fields": {"priority"}, "sysparm_sum_fields": {"urgency"},
		"sysparm_group_by": {"state"}, "sysparm_count": {"true"},
	}
	resp, body := e.api("GET", "/api/now/stats/incident?"+q.Encode(), tok, "")
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	var out struct {
		Result []struct {
			Stats struct {
				Count string
				Avg   map[string]string
				Min   map[string]string
				Max   map[string]string
				Sum   map[string]string
			}
			GroupbyFields []map[string]string `json:"groupby_fields"`
		}
	}
	decodeJSON(t, body, &out)
	require.Len(t, out.Result, 6, "one group per seeded state")
	total := 0
	for i, g := range out.Result {
		state := g.GroupbyFields[0]["value"]
		assert.Equal(t, "state", g.GroupbyFields[0]["field"])
		if i > 0 {
			assert.Less(t, out.Result[i-1].GroupbyFields[0]["value"], state, "groups come in value order")
		}
		rows := e.seeded(func(r record) bool { return r["state"] == state })
		n, _ := strconv.Atoi(g.Stats.Count)
		assert.Equal(t, len(rows), n, state)
		total += n
		sumU, sumI, minP, maxP := 0, 0, 9, 0
		for _, r := range rows {
			u, _ := strconv.Atoi(r["urgency"])
			im, _ := strconv.Atoi(r["impact"])
			p, _ := strconv.Atoi(r["priority"])
			sumU, sumI, minP, maxP = sumU+u, sumI+im, min(minP, p), max(maxP, p)
		}
		assert.Equal(t, strconv.FormatFloat(float64(sumU)/float64(n), 'f', 4, 64), g.Stats.Avg["urgency"])
		assert.Equal(t, strconv.FormatFloat(float64(sumI)/float64(n), 'f', 4, 64), g.Stats.Avg["impact"])
		assert.Equal(t, strconv.Itoa(sumU), g.Stats.Sum["urgency"])
		assert.Equal(t, strconv.Itoa(minP), g.Stats.Min["priority"])
		assert.Equal(t, strconv.Itoa(maxP), g.Stats.Max["priority"])
	}
	assert.Equal(t, 300, total)

	_, body = e.api("GET", "/api/now/stats/incident?sysparm_count=true&sysparm_group_by=state&sysparm_order_by=COUNT^DESC&sysparm_display_value=all", tok, "")
	decodeJSON(t, body, &out)
	for i := 1; i < len(out.Result); i++ {
		a, _ := strconv.Atoi(out.Result[i-1].Stats.Count)
		b, _ := strconv.Atoi(out.Result[i].Stats.Count)
		assert.GreaterOrEqual(t, a, b)
	}
	labels := map[string]string{"1": "New", "2": "In Progress", "3": "On Hold", "6": "Resolved", "7": "Closed", "8": "Canceled"}
	for _, g := range out.Result {
		assert.Equal(t, labels[g.GroupbyFields[0]["value"]], g.GroupbyFields[0]["display_value"])
	}
}

func TestStatsErrors(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	resp, body := e.api("GET", "/api/now/stats/nope?sysparm_count=true", tok, "")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.JSONEq(t, `{"error":{"message":"Invalid table nope","detail":null},"status":"failure"}`, body)
	resp, _ = e.api("POST", "/api/now/stats/incident", tok, "{}")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	resp, _ = e.api("GET", "/api/now/stats/incident?sysparm_count=true", "", "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func decodeJSON(t *testing.T, body string, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal([]byte(body), v), body)
}

// sysparm_having, with the reference's syntax "count^priority^>^3".
func TestStatsHaving(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	counts := map[string]int{}
	for _, r := range e.seeded(func(record) bool { return true }) {
		counts[r["state"]]++
	}
	limit := counts["1"] // how many incidents are New
	want := 0
	for _, n := range counts {
		if n >= limit {
			want++
		}
	}
	q := url.Values{"sysparm_count": {"true"}, "sysparm_group_by": {"state"}, "sysparm_having": {"count^state^>=^" + strconv.Itoa(limit) + ",avg^urgency^>^0,bogus"}}
	_, body := e.api("GET", "/api/now/stats/incident?"+q.Encode(), tok, "")
	var out struct {
		Result []struct {
			Stats struct{ Count string }
		}
	}
	decodeJSON(t, body, &out)
	require.Len(t, out.Result, want, body)
	for _, g := range out.Result {
		n, _ := strconv.Atoi(g.Stats.Count)
		assert.GreaterOrEqual(t, n, limit)
	}
	require.Less(t, want, len(counts), "the condition should drop a group")
}

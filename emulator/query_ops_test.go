package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// logs collects what the server reports through Config.Logf.
type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logs) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// The operators of ServiceNow's "Operators available for filters and
// queries", several with the documentation's own examples.
func TestQueryOperators(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	cases := map[string]func(record) bool{
		"impactBETWEEN1@2":                func(r record) bool { return r["impact"] == "1" || r["impact"] == "2" },
		"impactSAMEASurgency":             func(r record) bool { return r["impact"] == r["urgency"] },
		"impactNSAMEASurgency":            func(r record) bool { return r["impact"] != r["urgency"] },
		"caller_idSAMEASassigned_to":      func(r record) bool { return r["caller_id"] == r["assigned_to"] },
		"urgencyGT_FIELDimpact":           func(r record) bool { return r["urgency"] > r["impact"] },
		"urgencyLT_OR_EQUALS_FIELDimpact": func(r record) bool { return r["urgency"] <= r["impact"] },
		"assigned_toISNOTEMPTY":           func(r record) bool { return r["assigned_to"] != "" },
		"assigned_toEMPTYSTRING":          func(r record) bool { return r["assigned_to"] == "" },
		"stateNOT IN1,2,3":                func(r record) bool { return r["state"] > "3" },
		"short_descriptionNOT LIKEVPN":    func(r record) bool { return !strings.Contains(r["short_description"], "VPN") },
		"priority<3":                      func(r record) bool { return r["priority"] < "3" },
		"priority<=3^priority>1":          func(r record) bool { return r["priority"] <= "3" && r["priority"] > "1" },
		"opened_atON2024-01-03":           func(r record) bool { return strings.HasPrefix(r["opened_at"], "2024-01-03") },
		"opened_atNOTON2024-01-03":        func(r record) bool { return !strings.HasPrefix(r["opened_at"], "2024-01-03") },
		"opened_at<2024-01-04":            func(r record) bool { return r["opened_at"] < "2024-01-04" },
		"opened_at<=2024-01-04":           func(r record) bool { return r["opened_at"] < "2024-01-05" },
		"opened_at>2024-03-01 00:00:00":   func(r record) bool { return r["opened_at"] > "2024-03-01 00:00:00" },
		"opened_atBETWEEN2024-01-03@2024-01-04": func(r record) bool {
			return r["opened_at"] >= "2024-01-03" && r["opened_at"] < "2024-01-05"
		},
		"opened_atBETWEENjavascript:gs.dateGenerate('2024-01-03','start')@javascript:gs.dateGenerate('2024-01-03','12:00:00')": func(r record) bool {
			return r["opened_at"] >= "2024-01-03" && r["opened_at"] <= "2024-01-03 12:00:00"
		},
		"opened_atONJan 3@javascript:gs.dateGenerate('2024-01-03','start')@javascript:gs.dateGenerate('2024-01-03','end')": func(r record) bool {
			return strings.HasPrefix(r["opened_at"], "2024-01-03")
		},
	}
	for q, keep := range cases {
		t.Run(q, func(t *testing.T) {
			want := recordNumbers(e.seeded(keep))
			require.NotEmpty(t, want, "the seed should exercise this query")
			require.Less(t, len(want), 300, "the query should filter something")
			resp, body := e.api("GET", "/api/now/table/incident?sysparm_query="+url.QueryEscape(q), tok, "")
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, want, numbers(results(t, body)))
		})
	}
}

func TestQueryDaysAgo(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	resp, body := e.api("POST", "/api/now/table/incident", tok, `{"short_description":"Opened today"}`)
	require.Equal(t, http.StatusCreated, resp.StatusCode, body)
	today := "opened_atONToday@javascript:gs.daysAgoStart(0)@javascript:gs.daysAgoEnd(0)"
	_, body = e.api("GET", "/api/now/table/incident?sysparm_query="+url.QueryEscape(today), tok, "")
	assert.Equal(t, []string{"INC0010301"}, numbers(results(t, body)))
	_, body = e.api("GET", "/api/now/table/incident?sysparm_query="+url.QueryEscape("opened_at>=javascript:gs.beginningOfToday()"), tok, "")
	assert.Equal(t, []string{"INC0010301"}, numbers(results(t, body)))
	_, body = e.api("GET", "/api/now/table/incident?sysparm_limit=1&sysparm_query="+url.QueryEscape("opened_at<javascript:gs.daysAgoStart(1)"), tok, "")
	assert.Equal(t, []string{"INC0010001"}, numbers(results(t, body)))
}

func TestQueryIsCaseSensitive(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	for q, n := range map[string]int{
		"short_descriptionLIKEvpn":                 0,
		"short_descriptionLIKEVPN":                 len(e.seeded(func(r record) bool { return strings.Contains(r["short_description"], "VPN") })),
		"short_description=password reset request": 0,
		"short_description=Password reset request": len(e.seeded(func(r record) bool { return r["short_description"] == "Password reset request" })),
		"categoryINSoftware,Hardware":              0,
	} {
		resp, body := e.api("GET", "/api/now/table/incident?sysparm_query="+url.QueryEscape(q), tok, "")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Len(t, results(t, body), n, q)
		assert.Equal(t, strconv.Itoa(n), resp.Header.Get("X-Total-Count"), q)
	}
}

func TestUnknownOperatorIsIgnoredAndLogged(t *testing.T) {
	l := &logs{}
	e := newEnv(t, func(c *Config) { c.Logf = l.logf })
	tok := e.accessToken(adminID)
	q := "state=1^opened_atRELATIVEGT@hour@ago@3^ORstate=2^sys_classINSTANCEOFtask^no_such=1"
	_, body := e.api("GET", "/api/now/table/incident?sysparm_query="+url.QueryEscape(q), tok, "")
	want := recordNumbers(e.seeded(func(r record) bool { return r["state"] == "1" || r["state"] == "2" }))
	assert.Equal(t, want, numbers(results(t, body)), "unknown terms drop out; an OR joins the term kept before it")
	log := l.all()
	assert.Contains(t, log, `ignored query term "opened_atRELATIVEGT@hour@ago@3": unknown operator`)
	assert.Contains(t, log, `"sys_classINSTANCEOFtask"`)
	assert.Contains(t, log, `unknown field "no_such"`)
	assert.Contains(t, log, "supported: != <= >=")
}

// "instead of using &sysparm_query=active=true, you can use &active=true …
// such as &state=closed instead of &state=7" (Table API reference).
func TestNameValueFilters(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	abel := seedID("sys_user", "abel.tuter")
	cases := map[string]func(record) bool{
		"active=true&priority=1":                 func(r record) bool { return r["active"] == "true" && r["priority"] == "1" },
		"state=closed":                           func(r record) bool { return r["state"] == "7" },
		"state=7":                                func(r record) bool { return r["state"] == "7" },
		"assigned_to=abel.tuter":                 func(r record) bool { return r["assigned_to"] == abel },
		"assigned_to=Abel%20Tuter":               func(r record) bool { return r["assigned_to"] == abel },
		"caller_id.user_name=abel.tuter&state=2": func(r record) bool { return r["caller_id"] == abel && r["state"] == "2" },
		"sysparm_query=state%3D1^ORstate%3D2&priority=3": func(r record) bool {
			return (r["state"] == "1" || r["state"] == "2") && r["priority"] == "3"
		},
		"no_such_field=1&state=6": func(r record) bool { return r["state"] == "6" },
	}
	for q, keep := range cases {
		t.Run(q, func(t *testing.T) {
			want := recordNumbers(e.seeded(keep))
			require.NotEmpty(t, want)
			resp, body := e.api("GET", "/api/now/table/incident?"+q, tok, "")
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, want, numbers(results(t, body)))
			assert.Equal(t, strconv.Itoa(len(want)), resp.Header.Get("X-Total-Count"))
		})
	}
}

func TestSuppressPaginationHeader(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	resp, _ := e.api("GET", "/api/now/table/incident?sysparm_limit=5", tok, "")
	assert.NotEmpty(t, resp.Header.Get("Link"))
	resp, body := e.api("GET", "/api/now/table/incident?sysparm_limit=5&sysparm_suppress_pagination_header=true", tok, "")
	assert.Len(t, results(t, body), 5)
	assert.Empty(t, resp.Header.Values("Link"))
	assert.Equal(t, "300", resp.Header.Get("X-Total-Count"))
}

// "Version 1 returns error code 404 with no results. Version 2 returns
// success code 200 and an empty array" (Table API reference).
func TestEmptyListByVersion(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	q := "?sysparm_query=" + url.QueryEscape("number=INC9999999")
	resp, body := e.api("GET", "/api/now/v1/table/incident"+q, tok, "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.JSONEq(t, `{"error":{"message":"No Record found","detail":"Record doesn't exist or ACL restricts the record retrieval"},"status":"failure"}`, body)
	for _, p := range []string{"/api/now/v2/table/incident", "/api/now/table/incident"} {
		resp, body = e.api("GET", p+q, tok, "")
		assert.Equal(t, http.StatusOK, resp.StatusCode, p)
		assert.JSONEq(t, `{"result":[]}`, body, p)
	}
	resp, body = e.api("GET", "/api/now/v1/table/incident?sysparm_limit=1", tok, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Len(t, results(t, body), 1)
}

func TestChoiceDisplayValueInLists(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	_, body := e.api("GET", "/api/now/table/incident?sysparm_limit=1&sysparm_fields=state,priority&state=6&priority=1&sysparm_display_value=true", tok, "")
	assert.JSONEq(t, `{"result":[{"state":"Resolved","priority":"1 - Critical"}]}`, body)
	_, body = e.api("GET", "/api/now/table/incident?sysparm_limit=1&sysparm_fields=state,priority&state=6&priority=1&sysparm_display_value=all", tok, "")
	assert.JSONEq(t, `{"result":[{"state":{"display_value":"Resolved","value":"6"},"priority":{"display_value":"1 - Critical","value":"1"}}]}`, body)
	_, body = e.api("GET", "/api/now/table/incident?sysparm_limit=1&sysparm_fields=state,priority&state=6&priority=1", tok, "")
	assert.JSONEq(t, `{"result":[{"state":"6","priority":"1"}]}`, body)
}

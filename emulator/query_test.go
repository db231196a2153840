package emulator

import (
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseQuery(t *testing.T) {
	q := parseQuery("active=true^priority=1^ORpriority=2^ORDERBYDESCnumber^NQstateIN6,7^short_descriptionNOT LIKEvpn^ORDERBYopened_at^EQ")
	assert.Equal(t, [][][]condition{
		{{{"active", "=", "true"}}, {{"priority", "=", "1"}, {"priority", "=", "2"}}},
		{{{"state", "IN", "6,7"}}, {{"short_description", "NOT LIKE", "vpn"}}},
	}, q.groups)
	assert.Equal(t, []order{{"number", true}, {"opened_at", false}}, q.order)

	for term, want := range map[string]condition{
		"a!=b": {"a", "!=", "b"}, "a<=1": {"a", "<=", "1"}, "a>=1": {"a", ">=", "1"}, "a<1": {"a", "<", "1"},
		"a>1": {"a", ">", "1"}, "aLIKEx": {"a", "LIKE", "x"}, "aSTARTSWITHx": {"a", "STARTSWITH", "x"},
		"aENDSWITHx": {"a", "ENDSWITH", "x"}, "aISEMPTY": {"a", "ISEMPTY", ""}, "aISNOTEMPTY": {"a", "ISNOTEMPTY", ""},
		"a.b=c=d": {"a.b", "=", "c=d"}, "aNOT INx,y": {"a", "NOT IN", "x,y"}, "aANYTHING": {"a", "ANYTHING", ""},
	} {
		got, ok := parseCondition(term)
		assert.True(t, ok, term)
		assert.Equal(t, want, got, term)
	}
	for _, bad := range []string{"=x", "aFOOx", "Name=x", ""} {
		_, ok := parseCondition(bad)
		assert.False(t, ok, bad)
	}
}

// seeded returns the seeded incidents that satisfy keep.
func (e *env) seeded(keep func(record) bool) []record {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	var out []record
	for _, r := range e.s.tables["incident"].rows {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

func numbers(rows []map[string]any) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r["number"].(string))
	}
	return out
}

func recordNumbers(rows []record) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r["number"])
	}
	return out
}

func TestSysparmQuery(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	abel := seedID("sys_user", "abel.tuter")
	cases := map[string]func(record) bool{
		"state=1":                            func(r record) bool { return r["state"] == "1" },
		"state!=1":                           func(r record) bool { return r["state"] != "1" },
		"short_descriptionLIKEVPN":           func(r record) bool { return strings.Contains(r["short_description"], "VPN") },
		"short_descriptionSTARTSWITHPrinter": func(r record) bool { return strings.HasPrefix(r["short_description"], "Printer") },
		"short_descriptionENDSWITHrequest":   func(r record) bool { return strings.HasSuffix(r["short_description"], "request") },
		"active=true^priority=1":             func(r record) bool { return r["active"] == "true" && r["priority"] == "1" },
		"priority=1^ORpriority=5^state=2": func(r record) bool {
			return (r["priority"] == "1" || r["priority"] == "5") && r["state"] == "2"
		},
		"stateIN6,7":                     func(r record) bool { return r["state"] == "6" || r["state"] == "7" },
		"assigned_toISEMPTY":             func(r record) bool { return r["assigned_to"] == "" },
		"caller_id=" + abel:              func(r record) bool { return r["caller_id"] == abel },
		"caller_id.user_name=abel.tuter": func(r record) bool { return r["caller_id"] == abel },
		"number>=INC0010295":             func(r record) bool { return r["number"] >= "INC0010295" },
		"state=7^NQstate=8":              func(r record) bool { return r["state"] == "7" || r["state"] == "8" },
		"no_such_field=1^state=3":        func(r record) bool { return r["state"] == "3" },
	}
	for q, keep := range cases {
		t.Run(q, func(t *testing.T) {
			want := recordNumbers(e.seeded(keep))
			require.NotEmpty(t, want, "the seed should exercise this query")
			resp, body := e.api("GET", "/api/now/table/incident?sysparm_query="+url.QueryEscape(q), tok, "")
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, want, numbers(results(t, body)))
			assert.Equal(t, strconv.Itoa(len(want)), resp.Header.Get("X-Total-Count"))
		})
	}
}

func TestSysparmQueryOrderAndUser(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(seedID("sys_user", "beth.anglin"))
	resp, body := e.api("GET", "/api/now/table/sys_user?sysparm_query="+url.QueryEscape("sys_id=javascript:gs.getUserID()"), tok, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	rows := results(t, body)
	require.Len(t, rows, 1)
	assert.Equal(t, "beth.anglin", rows[0]["user_name"])

	_, body = e.api("GET", "/api/now/table/incident?sysparm_limit=300&sysparm_query=ORDERBYDESCnumber", tok, "")
	got := numbers(results(t, body))
	assert.Equal(t, "INC0010300", got[0])
	assert.True(t, slices.IsSortedFunc(got, func(a, b string) int { return strings.Compare(b, a) }))

	_, body = e.api("GET", "/api/now/table/incident?sysparm_limit=300&sysparm_query=ORDERBYpriority^ORDERBYDESCnumber", tok, "")
	rows = results(t, body)
	for i := 1; i < len(rows); i++ {
		p0, p1 := rows[i-1]["priority"].(string), rows[i]["priority"].(string)
		require.LessOrEqual(t, p0, p1)
		if p0 == p1 {
			require.Greater(t, rows[i-1]["number"], rows[i]["number"])
		}
	}

	_, body = e.api("GET", "/api/now/table/sys_user?sysparm_query=ORDERBYname", tok, "")
	var names []string
	for _, r := range results(t, body) {
		names = append(names, r["name"].(string))
	}
	assert.Equal(t, []string{"Abel Tuter", "Beth Anglin", "Charlie Whitherspoon", "David Loo", "Fred Luddy", "System Administrator"}, names)
}

var linkRel = regexp.MustCompile(`<([^>]+)>;rel="(\w+)"`)

func parseLinks(t *testing.T, h string) map[string]url.Values {
	t.Helper()
	out := map[string]url.Values{}
	for _, m := range linkRel.FindAllStringSubmatch(h, -1) {
		u, err := url.Parse(m[1])
		require.NoError(t, err)
		out[m[2]] = u.Query()
	}
	require.Equal(t, len(strings.Split(h, ",<")), len(out), h)
	return out
}

func TestPagination(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	q := url.QueryEscape("active=true^ORDERBYnumber")
	total := len(e.seeded(func(r record) bool { return r["active"] == "true" }))
	require.Greater(t, total, 40)

	resp, body := e.api("GET", "/api/now/table/incident?sysparm_limit=10&sysparm_query="+q, tok, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Len(t, results(t, body), 10)
	assert.Equal(t, strconv.Itoa(total), resp.Header.Get("X-Total-Count"))
	link := resp.Header.Get("Link")
	assert.True(t, strings.HasPrefix(link, "<"+e.ts.URL+"/api/now/table/incident?"), link)
	links := parseLinks(t, link)
	assert.Equal(t, []string{"first", "last", "next"}, slices.Sorted(maps.Keys(links)))
	assert.Equal(t, "0", links["first"].Get("sysparm_offset"))
	assert.Equal(t, "10", links["next"].Get("sysparm_offset"))
	assert.Equal(t, "10", links["next"].Get("sysparm_limit"))
	assert.Equal(t, "active=true^ORDERBYnumber", links["next"].Get("sysparm_query"))
	assert.Equal(t, strconv.Itoa((total-1)/10*10), links["last"].Get("sysparm_offset"))

	// Follow next to the end; every record comes once, in order.
	var seen []string
	next := "/api/now/table/incident?sysparm_limit=10&sysparm_query=" + q
	for pages := 0; next != "" && pages < 50; pages++ {
		resp, body = e.api("GET", next, tok, "")
		seen = append(seen, numbers(results(t, body))...)
		next = ""
		if n, ok := parseLinks(t, resp.Header.Get("Link"))["next"]; ok {
			next = "/api/now/table/incident?" + n.Encode()
		}
	}
	assert.Len(t, seen, total)
	assert.True(t, slices.IsSorted(seen))

	resp, body = e.api("GET", "/api/now/table/incident?sysparm_limit=10&sysparm_offset=15&sysparm_query="+q, tok, "")
	assert.Equal(t, seen[15:25], numbers(results(t, body)))
	links = parseLinks(t, resp.Header.Get("Link"))
	assert.Equal(t, "5", links["prev"].Get("sysparm_offset"))
	assert.Equal(t, "25", links["next"].Get("sysparm_offset"))

	resp, body = e.api("GET", "/api/now/table/incident?sysparm_offset=1000", tok, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, `{"result":[]}`, body)

	resp, body = e.api("GET", "/api/now/table/incident?sysparm_limit=10&sysparm_no_count=true", tok, "")
	assert.Len(t, results(t, body), 10)
	assert.Empty(t, resp.Header.Get("X-Total-Count"))
	links = parseLinks(t, resp.Header.Get("Link"))
	assert.Contains(t, links, "next")
	assert.NotContains(t, links, "last")

	resp, body = e.api("GET", "/api/now/table/incident?sysparm_limit=zz", tok, "")
	assert.Len(t, results(t, body), 300, "a bad limit falls back to the default")
}

func TestSysparmFieldsAndDisplayValue(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	var inc record
	for _, r := range e.seeded(func(r record) bool { return r["assigned_to"] != "" && r["state"] == "2" }) {
		inc = r
		break
	}
	require.NotNil(t, inc)
	path := "/api/now/table/incident/" + inc["sys_id"] + "?sysparm_fields=number,state,assigned_to,caller_id.email,nope"

	_, body := e.api("GET", path, tok, "")
	rec := result(t, body)
	assert.Len(t, rec, 4)
	assert.Equal(t, "2", rec["state"])
	assert.Equal(t, map[string]any{"value": inc["assigned_to"], "link": e.ts.URL + "/api/now/table/sys_user/" + inc["assigned_to"]}, rec["assigned_to"])
	assert.Regexp(t, `@example\.com$`, rec["caller_id.email"])

	_, body = e.api("GET", path+"&sysparm_exclude_reference_link=true", tok, "")
	rec = result(t, body)
	assert.Equal(t, inc["assigned_to"], rec["assigned_to"])

	e.s.mu.Lock()
	assignee := e.s.tables["sys_user"].byID[inc["assigned_to"]]["name"]
	e.s.mu.Unlock()
	_, body = e.api("GET", path+"&sysparm_display_value=true", tok, "")
	rec = result(t, body)
	assert.Equal(t, "In Progress", rec["state"])
	assert.Equal(t, map[string]any{"display_value": assignee, "link": e.ts.URL + "/api/now/table/sys_user/" + inc["assigned_to"]}, rec["assigned_to"])
	assert.Equal(t, inc["number"], rec["number"])

	_, body = e.api("GET", path+"&sysparm_display_value=true&sysparm_exclude_reference_link=true", tok, "")
	assert.Equal(t, assignee, result(t, body)["assigned_to"])

	_, body = e.api("GET", path+"&sysparm_display_value=all", tok, "")
	rec = result(t, body)
	assert.Equal(t, map[string]any{"display_value": "In Progress", "value": "2"}, rec["state"])
	assert.Equal(t, map[string]any{"display_value": assignee, "value": inc["assigned_to"], "link": e.ts.URL + "/api/now/table/sys_user/" + inc["assigned_to"]}, rec["assigned_to"])

	_, body = e.api("GET", path+"&sysparm_display_value=all&sysparm_exclude_reference_link=true", tok, "")
	assert.Equal(t, map[string]any{"display_value": assignee, "value": inc["assigned_to"]}, result(t, body)["assigned_to"])

	// Lists honour the same options.
	_, body = e.api("GET", "/api/now/table/incident?sysparm_limit=3&sysparm_fields=number,priority&sysparm_display_value=true", tok, "")
	for _, r := range results(t, body) {
		assert.Len(t, r, 2)
		assert.Regexp(t, `^\d - \w+$`, r["priority"])
	}

	// An empty reference is "".
	var unassigned record
	for _, r := range e.seeded(func(r record) bool { return r["assigned_to"] == "" }) {
		unassigned = r
		break
	}
	require.NotNil(t, unassigned)
	_, body = e.api("GET", "/api/now/table/incident/"+unassigned["sys_id"]+"?sysparm_fields=assigned_to", tok, "")
	assert.JSONEq(t, `{"result":{"assigned_to":""}}`, body)
}

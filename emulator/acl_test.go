package emulator

import (
	"html"
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	insertDenied = `{"error":{"message":"Operation Failed","detail":"ACL Exception Insert Failed due to security constraints"},"status":"failure"}`
	queryDenied  = `{"error":{"message":"Insufficient rights to query records","detail":"Fields present in the query do not have permission to be read"},"status":"failure"}`
)

func TestRolesAndDefaultACL(t *testing.T) {
	e := newEnv(t)
	abel := e.accessToken(seedID("sys_user", "abel.tuter")) // itil
	fred := e.accessToken(seedID("sys_user", "fred.luddy")) // no roles
	inc := "/api/now/table/incident/" + seedID("incident", 0)

	resp, body := e.api("GET", "/api/now/table/incident?sysparm_limit=1", abel, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, body)
	resp, body = e.api("POST", "/api/now/table/incident", abel, `{"short_description":"itil may insert"}`)
	assert.Equal(t, http.StatusCreated, resp.StatusCode, body)
	resp, body = e.api("POST", "/api/now/table/sys_user", abel, `{"user_name":"eve"}`)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.JSONEq(t, insertDenied, body)

	resp, body = e.api("GET", "/api/now/table/incident", fred, "")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.JSONEq(t, queryDenied, body)
	resp, body = e.api("GET", inc, fred, "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "a record the user may not read is not found: %s", body)
	resp, body = e.api("PATCH", inc, fred, `{"state":"2"}`)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.JSONEq(t, `{"error":{"message":"Operation Failed","detail":"ACL Exception Update Failed due to security constraints"},"status":"failure"}`, body)
	resp, body = e.api("DELETE", inc, fred, "")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.JSONEq(t, `{"error":{"message":"Operation Failed","detail":"ACL Exception Delete Failed due to security constraints"},"status":"failure"}`, body)
	resp, _ = e.api("GET", "/api/now/table/sys_user?sysparm_limit=1", fred, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "every user may read sys_user")
	resp, _ = e.api("GET", "/api/now/stats/incident?sysparm_count=true", fred, "")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	resp, _ = e.api("DELETE", inc, e.accessToken(adminID), "")
	assert.Equal(t, http.StatusNoContent, resp.StatusCode, "admin passes every ACL")
}

func TestConfiguredACL(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.ACL = []ACLRule{{Table: "incident", Operation: OpRead, Roles: []string{"itil"}}}
	})
	abel := e.accessToken(seedID("sys_user", "abel.tuter"))
	resp, _ := e.api("GET", "/api/now/table/incident?sysparm_limit=1", abel, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp, body := e.api("POST", "/api/now/table/incident", abel, `{}`)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.JSONEq(t, insertDenied, body)
	resp, body = e.api("GET", "/api/now/table/sys_user", abel, "")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a table without a rule is closed")
	assert.JSONEq(t, queryDenied, body)
}

var logoutLink = regexp.MustCompile(`<a id="logout" href="([^"]+)">`)

// A test can switch users: the consent page names the signed-in user and
// links to a logout that returns to the same authorization request.
func TestConsentShowsUserAndLogoutSwitchesUser(t *testing.T) {
	e := newEnv(t)
	b, page := e.consent(validAuthParams(), "admin", "admin")
	assert.Contains(t, page, `Signed in as <strong id="signed-in-user">System Administrator</strong> (admin)`)
	m := logoutLink.FindStringSubmatch(page)
	require.NotNil(t, m, page)

	resp, _ := e.get(b, e.ts.URL+html.UnescapeString(m[1]))
	require.Equal(t, http.StatusFound, resp.StatusCode)
	back := resp.Header.Get("Location")
	assert.Equal(t, "/oauth_auth.do?"+validAuthParams().Encode(), back)
	resp, page = e.get(b, e.ts.URL+back)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, page, `id="loginPage"`, "after logout the flow asks for a login again")

	form := hiddenInputs(page)
	form.Set("user_name", "abel.tuter")
	form.Set("user_password", "abel.tuter")
	_, page = e.postForm(b, e.ts.URL+"/login.do", form)
	assert.Contains(t, page, `Signed in as <strong id="signed-in-user">Abel Tuter</strong> (abel.tuter)`)
	code := e.decide(b, page, "allow").Query().Get("code")
	resp, body := e.tokenCall("/oauth_token.do", codeForm(code))
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	tok := jsonMap(t, body)["access_token"].(string)
	_, body = e.api("GET", "/api/now/table/sys_user?sysparm_query=sys_id%3Djavascript:gs.getUserID()", tok, "")
	assert.Equal(t, "abel.tuter", results(t, body)[0]["user_name"])
}

func TestLogoutRedirectsOnlyHere(t *testing.T) {
	for in, want := range map[string]string{
		"": "/", "/oauth_auth.do?x=1": "/oauth_auth.do?x=1", "//evil.example/": "/",
		"https://evil.example/": "/", "/\\evil.example": "/",
	} {
		assert.Equal(t, want, localPath(in), in)
	}
}

func TestBasicAuthSwitch(t *testing.T) {
	for _, on := range []bool{false, true} {
		e := newEnv(t, func(c *Config) { c.BasicAuth = on })
		get := func(user, password string) int {
			req, _ := http.NewRequest("GET", e.ts.URL+"/api/now/table/incident?sysparm_limit=1", nil)
			req.SetBasicAuth(user, password)
			resp, _ := send(t, http.DefaultClient, req)
			return resp.StatusCode
		}
		if !on {
			assert.Equal(t, http.StatusUnauthorized, get("admin", "admin"), "bearer tokens only by default")
			continue
		}
		assert.Equal(t, http.StatusOK, get("abel.tuter", "abel.tuter"))
		assert.Equal(t, http.StatusUnauthorized, get("abel.tuter", "wrong"))
		assert.Equal(t, http.StatusForbidden, get("fred.luddy", "fred.luddy"), "roles apply to basic auth too")
	}
}

func TestInputDisplayValue(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	resp, body := e.api("POST", "/api/now/table/incident?sysparm_input_display_value=true&sysparm_fields=state", tok, `{"state":"In Progress"}`)
	require.Equal(t, http.StatusCreated, resp.StatusCode, body)
	assert.JSONEq(t, `{"result":{"state":"2"}}`, body)
}

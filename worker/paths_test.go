//go:build !js

package worker

import (
	"testing"

	"github.com/snworker/snworker/bridge"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oddPaths pass a plain URL parser but may be read otherwise by a server
// behind the instance; each is refused with the reason in want.
var oddPaths = []struct{ path, want string }{
	{"/api/now/table/..;/oauth_token.do", "';'"},
	{"/api/now/table/incident/..;/sys_user", "';'"},
	{"/api/now/table/incident;jsessionid=x", "';'"},
	{"/api/now/table/%3b/x", "';' (or %3B)"},
	{"/api/now/table/..%3B/x", "';' (or %3B)"},
	{"/api/now/table/%252e%252e/oauth_token.do", "%25"},
	{"/api/now/table/%252F", "%25"},
	{"/api/now/table/%25", "%25"},
	{"/api/now/table/%c0%ae%c0%ae/oauth_token.do", "not valid UTF-8"},
	{"/api/now/table/%e0%80%ae", "not valid UTF-8"},
	{"/api/now/table/%c0%af", "not valid UTF-8"},
	{"/api/now/table/%C1%9C", "not valid UTF-8"},
	{"/api/now/table/%80", "not valid UTF-8"},
	{"/api/now/table/%ff", "not valid UTF-8"},
	{"/api/now/table/%ed%a0%80", "not valid UTF-8"},
	{"/api/now/table/%f4%90%80%80", "not valid UTF-8"},
	{"/api/now/table/%e2%80", "not valid UTF-8"},
	{"/api/now/table/%09..", "control character"},
	{"/api/now/table/%0a", "control character"},
	{"/api/now/table/x%0D%0AHost:%20evil.example", "control character"},
	{"/api/now/table/%1f", "control character"},
	{"/api/now/table/%7F", "control character"},
	{"/api/now/table/%c2%85", "control character"},
	{"/api/now/table/\u2024\u2024/oauth_token.do", "U+2024"},
	{"/api/now/table/\uff0e\uff0e/oauth_token.do", "U+FF0E"},
	{"/api/now/table/\u3002\u3002/oauth_token.do", "U+3002"},
	{"/api/now/table/\ufe52", "U+FE52"},
	{"/api/now/table/\uff61", "U+FF61"},
	{"/api/now/table/\u2025", "U+2025"},
	{"/api/now/table/%e2%80%a4%e2%80%a4/oauth_token.do", "U+2024"},
	{"/api/now/table/%ef%bc%8e%ef%bc%8e/oauth_token.do", "U+FF0E"},
	{"/api/now/table/%E3%80%82", "U+3002"},
	{"/api/now/table/..\u2215oauth_token.do", "U+2215"},
	{"/api/now/table/\uff0fevil", "U+FF0F"},
	{"/api/now/table/\uff3c", "U+FF3C"},
	{"/api/now/table/\ufe68", "U+FE68"},
	{"/api/now/table/\u2044", "U+2044"},
	{"/api/now/table/\uff05", "U+FF05"},
	{"/api/now/table/\uff1b", "U+FF1B"},
	{"/api/now/table/\ufffd", "U+FFFD"},
}

func TestOriginLockRefusesOddPaths(t *testing.T) {
	e := newEnv(t)
	e.connect()
	before := len(e.instance.Requests())
	for _, c := range oddPaths {
		r := e.call(bridge.OpRequest, &bridge.RequestParams{Path: c.path}, nil)
		if !assert.NotNil(t, r.Error, "path %q was sent", c.path) {
			continue
		}
		assert.Equal(t, bridge.NameParameter, r.Error.Name, c.path)
		assert.Contains(t, r.Error.Message, c.want, c.path)
		assert.Contains(t, r.Error.Message, "want a path on the instance", c.path)
		assert.Contains(t, r.Error.Message, "apiEndpoint", c.path)
	}
	for _, rec := range e.instance.Requests()[before:] {
		t.Errorf("an odd path reached the instance: %s %s", rec.Method, rec.Path)
	}
	assert.Nil(t, e.api("GET", "/api/now/table/incident?sysparm_limit=1", nil).Error, "the worker still serves")
}

// Raw bytes that are not UTF-8 cannot come through the protocol's JSON, but
// resolve refuses them too.
func TestResolveRefusesRawInvalidUTF8(t *testing.T) {
	c := fuzzConfig(t, "https://dev1.service-now.com")
	for _, p := range []string{"/api/now/table/\xc0\xae", "/api/now/table/\xff", "/api/now/table/\xe2\x80"} {
		_, err := c.resolve(p)
		require.NotNil(t, err, "%q", p)
		assert.Contains(t, err.Message, "UTF-8", "%q", p)
	}
}

// What the odd-path rule leaves alone: non-ASCII names, and ';', '%25'
// and look-alikes in the query, where ServiceNow's encoded queries need them.
func TestResolveKeepsOrdinaryPaths(t *testing.T) {
	c := fuzzConfig(t, "https://dev1.service-now.com")
	for _, p := range []string{
		"/api/x_acme/v1/users/jos\u00e9",
		"/api/x_acme/v1/users/caf%C3%A9",
		"/api/x_acme/v1/cities/%E6%9D%B1%E4%BA%AC",
		"/api/now/table/incident?sysparm_query=short_descriptionLIKE50%25;a",
		"/api/now/table/incident?sysparm_query=nameLIKE\uff0e",
		"/api/now/table/x.y/z.json",
		"/api/now/table/...",
	} {
		_, err := c.resolve(p)
		assert.Nil(t, err, p)
	}
}

func TestAllowedPathsMatchWholeSegments(t *testing.T) {
	e := newEnv(t)
	e.init(&bridge.InitParams{AllowedPaths: []string{"/api/now/table/incident", "/api/now/table/sys_user/"}})
	require.Nil(t, e.call(bridge.OpComplete, &bridge.CompleteParams{Query: e.authorize("admin", "allow")}, nil).Error)
	before := e.instance.Calls("api")
	for _, p := range []string{
		"/api/now/table/incident_task",
		"/api/now/table/incidentxyz",
		"/api/now/table/incident.do",
		"/api/now/table/incident%5ftask",
		"/api/now/table/incident%2Fx",
		"/api/now/table/sys_user",
		"/api/now/table/sys_user_group",
		"/api/now/table/sys_user_group/x",
	} {
		r := e.api("GET", p, nil)
		require.NotNil(t, r.Error, "%s was allowed", p)
		assert.Equal(t, bridge.NameParameter, r.Error.Name, p)
		assert.Contains(t, r.Error.Message, "apiEndpoint", p)
		assert.Contains(t, r.Error.Message, "want a path", p)
	}
	assert.Equal(t, before, e.instance.Calls("api"), "no refused path reached the instance")
	for _, p := range []string{
		"/api/now/table/incident",
		"/api/now/table/incident?sysparm_limit=1",
		"/api/now/table/incident/",
		"/api/now/table/sys_user/?sysparm_limit=1",
	} {
		r := e.api("GET", p, nil)
		assert.Nil(t, r.Error, p)
	}
}

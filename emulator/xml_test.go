package emulator

import (
	"encoding/xml"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const xmlDecl = `<?xml version="1.0" encoding="UTF-8"?>`

func TestTableAPIServesXML(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	path := "/api/now/table/sys_user/" + adminID + "?sysparm_fields=user_name,name,mobile_phone"
	resp, body := e.api("GET", path, tok, "", "Accept", "application/xml")
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Equal(t, "application/xml;charset=UTF-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, xmlDecl+`<response><result><mobile_phone/><name>System Administrator</name><user_name>admin</user_name></result></response>`, body)

	// A list repeats <result>; a reference has <link> and <value>.
	inc := seedID("incident", 0)
	_, body = e.api("GET", "/api/now/table/incident?sysparm_limit=2&sysparm_fields=number,caller_id", tok, "", "Accept", "application/xml")
	var list struct {
		Results []struct {
			Number   string `xml:"number"`
			CallerID struct {
				Link  string `xml:"link"`
				Value string `xml:"value"`
			} `xml:"caller_id"`
		} `xml:"result"`
	}
	require.NoError(t, xml.Unmarshal([]byte(body), &list), body)
	require.Len(t, list.Results, 2)
	assert.Equal(t, "INC0010001", list.Results[0].Number)
	assert.Equal(t, e.ts.URL+"/api/now/table/sys_user/"+list.Results[0].CallerID.Value, list.Results[0].CallerID.Link)

	// Errors are XML too.
	resp, body = e.api("GET", "/api/now/table/incident/0123456789abcdef0123456789abcdef", tok, "", "Accept", "application/xml")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, xmlDecl+`<response><error><detail>Record doesn't exist or ACL restricts the record retrieval</detail><message>No Record found</message></error><status>failure</status></response>`, body)

	// XML request bodies: <request><entry>…</entry></request>, and escaping.
	resp, body = e.api("PATCH", "/api/now/table/incident/"+inc+"?sysparm_fields=short_description,urgency", tok,
		`<request><entry><short_description>Printer &amp; scanner</short_description><urgency>1</urgency></entry></request>`,
		"Content-Type", "application/xml", "Accept", "application/xml")
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Equal(t, xmlDecl+`<response><result><short_description>Printer &amp; scanner</short_description><urgency>1</urgency></result></response>`, body)
	resp, body = e.api("POST", "/api/now/table/incident?sysparm_fields=short_description", tok,
		`<incident><short_description>Bare root</short_description></incident>`, "Content-Type", "application/xml")
	require.Equal(t, http.StatusCreated, resp.StatusCode, body)
	assert.JSONEq(t, `{"result":{"short_description":"Bare root"}}`, body, "JSON stays the default answer")
}

func TestNegotiate(t *testing.T) {
	for accept, want := range map[string]format{
		"": formatJSON, "application/json": formatJSON, "*/*": formatJSON, "application/xml": formatXML,
		"text/xml": formatXML, "application/xml;q=0.5, application/json": formatJSON,
		"application/json;q=0.1, application/xml": formatXML, "text/plain": formatNone, "application/json;q=0": formatNone,
	} {
		assert.Equal(t, want, negotiate(accept), accept)
	}
}

package emulator

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// metadataKeys are the fields of the Attachment API reference's result.
var metadataKeys = []string{
	"average_image_color", "compressed", "content_type", "created_by_name", "download_link",
	"file_name", "image_height", "image_width", "size_bytes", "size_compressed", "sys_created_by",
	"sys_created_on", "sys_id", "sys_mod_count", "sys_tags", "sys_updated_by", "sys_updated_on",
	"table_name", "table_sys_id", "updated_by_name",
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// The reference's example: POST /api/now/attachment/file?table_name=incident
// &table_sys_id=…&file_name=Issue_screenshot with Content-Type: image/jpeg.
func TestAttachmentRawUploadAndDownload(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	inc := seedID("incident", 10)
	jpeg := []byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 0xff, 0xd9}
	q := url.Values{"table_name": {"incident"}, "table_sys_id": {inc}, "file_name": {"Issue_screenshot"}}
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/now/attachment/file?"+q.Encode(), bytes.NewReader(jpeg))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "image/jpeg")
	resp, body := send(t, http.DefaultClient, req)
	require.Equal(t, http.StatusCreated, resp.StatusCode, body)
	meta := result(t, body)
	assert.ElementsMatch(t, metadataKeys, keys(meta))
	id := meta["sys_id"].(string)
	assert.Equal(t, e.ts.URL+"/api/now/attachment/"+id, resp.Header.Get("Location"))
	assert.Equal(t, "Issue_screenshot", meta["file_name"])
	assert.Equal(t, "image/jpeg", meta["content_type"])
	assert.Equal(t, "13", meta["size_bytes"])
	assert.Equal(t, "incident", meta["table_name"])
	assert.Equal(t, inc, meta["table_sys_id"])
	assert.Equal(t, "admin", meta["sys_created_by"])
	assert.Equal(t, "System Administrator", meta["created_by_name"])
	assert.Equal(t, e.ts.URL+"/api/now/attachment/"+id+"/file", meta["download_link"])

	resp, got := e.api("GET", "/api/now/attachment/"+id+"/file", tok, "", "Accept", "*/*")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "image/jpeg", resp.Header.Get("Content-Type"))
	assert.Equal(t, jpeg, []byte(got))
	var xmeta map[string]any
	require.NoError(t, json.Unmarshal([]byte(resp.Header.Get("X-Attachment-Metadata")), &xmeta))
	assert.Equal(t, "Issue_screenshot", xmeta["file_name"])

	resp, body = e.api("GET", "/api/now/attachment/"+id, tok, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, meta, result(t, body))

	// The reference's rename example: PATCH {"file_name": "new_attachment_name"}, 204.
	resp, body = e.api("PATCH", "/api/now/attachment/"+id, tok, `{"file_name": "new_attachment_name"}`)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode, body)
	_, body = e.api("GET", "/api/now/attachment/"+id, tok, "")
	assert.Equal(t, "new_attachment_name", result(t, body)["file_name"])
	assert.Equal(t, "1", result(t, body)["sys_mod_count"])
	resp, _ = e.api("PATCH", "/api/now/attachment/"+id, tok, `{}`)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)

	resp, _ = e.api("DELETE", "/api/now/attachment/"+id, tok, "")
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	resp, body = e.api("GET", "/api/now/attachment/"+id, tok, "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.JSONEq(t, `{"error":{"message":"No Record found","detail":"Record doesn't exist or ACL restricts the record retrieval"},"status":"failure"}`, body)
	resp, _ = e.api("GET", "/api/now/attachment/"+id+"/file", tok, "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	resp, _ = e.api("DELETE", "/api/now/attachment/"+id, tok, "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// The reference's multipart example: -F table_name=incident -F
// table_sys_id=… -F uploadFile=@file.
func TestAttachmentMultipartUpload(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	inc := seedID("incident", 11)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	require.NoError(t, mw.WriteField("table_name", "incident"))
	require.NoError(t, mw.WriteField("table_sys_id", inc))
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="uploadFile"; filename="banner-CS0001345_v1_1.jpeg"`)
	h.Set("Content-Type", "image/jpeg")
	pw, err := mw.CreatePart(h)
	require.NoError(t, err)
	_, _ = pw.Write([]byte("not really a jpeg"))
	require.NoError(t, mw.Close())
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/now/attachment/upload", &buf)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, body := send(t, http.DefaultClient, req)
	require.Equal(t, http.StatusCreated, resp.StatusCode, body)
	meta := result(t, body)
	assert.Equal(t, "banner-CS0001345_v1_1.jpeg", meta["file_name"])
	assert.Equal(t, "image/jpeg", meta["content_type"])
	assert.Equal(t, "17", meta["size_bytes"])
	assert.Equal(t, inc, meta["table_sys_id"])

	// A form without the record fields, or without a file, is refused.
	for name, fields := range map[string][]string{"no table": {"table_sys_id", inc}, "no file": {"table_name", "incident", "table_sys_id", inc}} {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for i := 0; i < len(fields); i += 2 {
			_ = w.WriteField(fields[i], fields[i+1])
		}
		if name == "no table" {
			fw, _ := w.CreateFormFile("uploadFile", "a.txt")
			_, _ = fw.Write([]byte("x"))
		}
		_ = w.Close()
		req, _ := http.NewRequest("POST", e.ts.URL+"/api/now/attachment/upload", &b)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", w.FormDataContentType())
		resp, body := send(t, http.DefaultClient, req)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, name)
		assert.Equal(t, "failure", jsonMap(t, body)["status"], name)
	}
}

func TestAttachmentList(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	resp, body := e.api("GET", "/api/now/attachment?sysparm_limit=1", tok, "", "Accept", "application/json")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	rows := results(t, body)
	require.Len(t, rows, 1, "the seed attaches notes to a few incidents")
	assert.ElementsMatch(t, metadataKeys, keys(rows[0]))

	inc := seedID("incident", 298)
	q := url.QueryEscape("table_name=incident^table_sys_id=" + inc)
	_, body = e.api("GET", "/api/now/attachment?sysparm_query="+q, tok, "")
	rows = results(t, body)
	require.Len(t, rows, 1)
	assert.Equal(t, "notes.txt", rows[0]["file_name"])
	resp, text := e.api("GET", "/api/now/attachment/"+rows[0]["sys_id"].(string)+"/file", tok, "")
	assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(text, "Notes for INC0010299"), text)

	_, body = e.api("GET", "/api/now/attachment?table_sys_id="+inc, tok, "")
	assert.Len(t, results(t, body), 1, "name-value filters work here too")

	_, body = e.api("GET", "/api/now/attachment?sysparm_query="+url.QueryEscape("file_name=notes.txt^ORDERBYDESCtable_sys_id"), tok, "")
	rows = results(t, body)
	require.Len(t, rows, 3)
	assert.Greater(t, rows[0]["table_sys_id"], rows[1]["table_sys_id"])

	// Deleting the record deletes its attachments.
	resp, _ = e.api("DELETE", "/api/now/table/incident/"+inc, tok, "")
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	_, body = e.api("GET", "/api/now/attachment?sysparm_query="+q, tok, "")
	assert.Empty(t, results(t, body))
}

func TestAttachmentErrorsAndACL(t *testing.T) {
	e := newEnv(t)
	admin := e.accessToken(adminID)
	fred := e.accessToken(seedID("sys_user", "fred.luddy"))
	inc := seedID("incident", 299)
	post := func(tok, query, contentType string) (*http.Response, string) {
		req, _ := http.NewRequest("POST", e.ts.URL+"/api/now/attachment/file?"+query, strings.NewReader("hello"))
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		return send(t, http.DefaultClient, req)
	}
	ok := url.Values{"table_name": {"incident"}, "table_sys_id": {inc}, "file_name": {"a.txt"}}.Encode()
	for name, c := range map[string]struct {
		tok, query, ct string
		status         int
	}{
		"no token":        {"", ok, "text/plain", 401},
		"no file_name":    {admin, "table_name=incident&table_sys_id=" + inc, "text/plain", 400},
		"no content type": {admin, ok, "", 400},
		"no such record":  {admin, "table_name=incident&table_sys_id=0123456789abcdef0123456789abcdef&file_name=a", "text/plain", 404},
		"no such table":   {admin, "table_name=nope&table_sys_id=" + inc + "&file_name=a", "text/plain", 404},
		"no read access":  {fred, ok, "text/plain", 404},
	} {
		resp, body := post(c.tok, c.query, c.ct)
		assert.Equal(t, c.status, resp.StatusCode, "%s: %s", name, body)
	}

	abel := e.accessToken(seedID("sys_user", "abel.tuter"))
	_, body := e.api("GET", "/api/now/attachment", abel, "")
	assert.Len(t, results(t, body), 3, "itil reads incident attachments")
	_, body = e.api("GET", "/api/now/attachment", fred, "")
	assert.Empty(t, results(t, body), "attachments of records a user cannot read are left out")

	resp, _ := e.api("PUT", "/api/now/attachment/"+seedID("sys_attachment", 0), admin, "{}")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	resp, _ = e.api("GET", "/api/now/attachment/a/b/c", admin, "")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

func TestAttachmentNeedsWriteOnTheRecord(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.ACL = []ACLRule{{Table: "incident", Operation: OpRead, Roles: []string{"itil"}}}
	})
	abel := e.accessToken(seedID("sys_user", "abel.tuter"))
	q := url.Values{"table_name": {"incident"}, "table_sys_id": {seedID("incident", 3)}, "file_name": {"a.txt"}}
	resp, body := e.api("POST", "/api/now/attachment/file?"+q.Encode(), abel, "hello", "Content-Type", "text/plain")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.JSONEq(t, insertDenied, body)
	resp, body = e.api("DELETE", "/api/now/attachment/"+seedID("sys_attachment", 0), abel, "")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, body)
}

package emulator

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const (
	testClient    = "test-client"
	testRedirect  = "http://127.0.0.1:9999/callback"
	testVerifier  = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" // RFC 7636 appendix B
	testChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	appOrigin     = "http://app.example"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a running emulator with test clients and a fake clock.
type env struct {
	t     *testing.T
	s     *Server
	ts    *httptest.Server
	clock *clock
}

func newEnv(t *testing.T, mutate ...func(*Config)) *env {
	t.Helper()
	c := &clock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	cfg := Config{
		Clients: []Client{
			{ID: testClient, RedirectURIs: []string{testRedirect, "http://127.0.0.1:9999/cb?app=1"}},
			{ID: "other-client", RedirectURIs: []string{testRedirect}},
			{ID: "confidential", Secret: "s3cret", RedirectURIs: []string{testRedirect}},
			{ID: "rotating", RedirectURIs: []string{testRedirect}, Rotate: true},
		},
		AllowedOrigins: []string{appOrigin, "http://127.0.0.1:*"},
		TestControls:   true,
		Now:            c.Now,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	s := New(cfg)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &env{t: t, s: s, ts: ts, clock: c}
}

// browser is a client with cookies that does not follow redirects.
func (e *env) browser() *http.Client {
	jar, err := cookiejar.New(nil)
	require.NoError(e.t, err)
	return &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// authParams are valid authorization parameters for testClient.
func validAuthParams() url.Values {
	return url.Values{
		"response_type":         {"code"},
		"client_id":             {testClient},
		"redirect_uri":          {testRedirect},
		"state":                 {"st-123"},
		"code_challenge":        {testChallenge},
		"code_challenge_method": {"S256"},
	}
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)

// hiddenInputs reads the hidden fields of a page.
func hiddenInputs(page string) url.Values {
	v := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(page, -1) {
		v.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	return v
}

// send does a request and returns the response with its body read.
func send(t *testing.T, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func (e *env) get(c *http.Client, u string) (*http.Response, string) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(e.t, err)
	return send(e.t, c, req)
}

func (e *env) postForm(c *http.Client, u string, form url.Values) (*http.Response, string) {
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	require.NoError(e.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return send(e.t, c, req)
}

// consent logs in as user through the authorize page and returns the
// browser and the consent page.
func (e *env) consent(params url.Values, user, password string) (*http.Client, string) {
	b := e.browser()
	resp, page := e.get(b, e.ts.URL+"/oauth_auth.do?"+params.Encode())
	require.Equal(e.t, http.StatusOK, resp.StatusCode, page)
	form := hiddenInputs(page)
	form.Set("user_name", user)
	form.Set("user_password", password)
	resp, page = e.postForm(b, e.ts.URL+"/login.do", form)
	require.Equal(e.t, http.StatusOK, resp.StatusCode, page)
	require.Contains(e.t, page, `id="allow"`)
	return b, page
}

// decide submits the consent page and returns the redirect.
func (e *env) decide(b *http.Client, page, action string) *url.URL {
	form := hiddenInputs(page)
	form.Set("action", action)
	resp, body := e.postForm(b, e.ts.URL+"/oauth_auth.do", form)
	require.Equal(e.t, http.StatusFound, resp.StatusCode, body)
	u, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(e.t, err)
	return u
}

// code runs the browser part of the flow as admin and returns the code.
func (e *env) code(params url.Values) string {
	b, page := e.consent(params, "admin", "admin")
	u := e.decide(b, page, "allow")
	require.Equal(e.t, params.Get("state"), u.Query().Get("state"))
	return u.Query().Get("code")
}

func codeForm(code string) url.Values {
	return url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirect},
		"client_id": {testClient}, "code_verifier": {testVerifier},
	}
}

// tokenCall posts a form to a token endpoint.
func (e *env) tokenCall(path string, form url.Values) (*http.Response, string) {
	return e.postForm(http.DefaultClient, e.ts.URL+path, form)
}

// tokens runs the whole flow for testClient and returns the token response.
func (e *env) tokens() tokenResponse {
	resp, body := e.tokenCall("/oauth_token.do", codeForm(e.code(validAuthParams())))
	require.Equal(e.t, http.StatusOK, resp.StatusCode, body)
	var tr tokenResponse
	require.NoError(e.t, json.Unmarshal([]byte(body), &tr))
	return tr
}

// accessToken issues an access token for a user directly (no HTTP flow).
func (e *env) accessToken(user string) string {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	return e.s.issue(grant{kind: kindAccess, client: testClient, user: user, scope: "useraccount"}, time.Hour)
}

// api sends a Table API request with a bearer token (none if token is "").
func (e *env) api(method, path, token, body string, header ...string) (*http.Response, string) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, r)
	require.NoError(e.t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return send(e.t, http.DefaultClient, req)
}

// jsonMap decodes a JSON object.
func jsonMap(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &m), body)
	return m
}

// results decodes a {"result": [...]} list.
func results(t *testing.T, body string) []map[string]any {
	t.Helper()
	var env struct{ Result []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(body), &env), body)
	return env.Result
}

// result decodes a {"result": {...}} record.
func result(t *testing.T, body string) map[string]any {
	t.Helper()
	var env struct{ Result map[string]any }
	require.NoError(t, json.Unmarshal([]byte(body), &env), body)
	require.NotNil(t, env.Result, body)
	return env.Result
}

const tokenFailure = `{"error_description":"access_denied","error":"server_error"}`

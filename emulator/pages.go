package emulator

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Pages carry no script, so a strict CSP holds; styles come from stylePath.
var pages = template.Must(template.New("").Parse(`
{{define "head"}}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/styles/emulator.css"></head>
<body><header>ServiceNow <span>instance emulator</span></header><main>
{{end}}
{{define "foot"}}</main></body></html>
{{end}}
{{define "hidden"}}{{range .}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}{{end}}
{{define "login"}}{{template "head" "Log in"}}<h1>Log in</h1>
{{with .Error}}<p class="error" role="alert">{{.}}</p>
{{end}}<form id="loginPage" method="post" action="/login.do">
{{template "hidden" .Hidden}}<label for="user_name">User name</label>
<input type="text" id="user_name" name="user_name" autocomplete="username" autofocus required>
<label for="user_password">Password</label>
<input type="password" id="user_password" name="user_password" autocomplete="current-password" required>
<button type="submit" id="sysverb_login">Log in</button>
</form>
<p class="hint">Demo logins (password = user name): admin (admin role), abel.tuter (itil), fred.luddy (no roles)</p>
{{template "foot"}}{{end}}
{{define "consent"}}{{template "head" "Authorize access"}}<h1>Authorize access</h1>
<p><strong>{{.Client}}</strong> is requesting access to your account.</p>
<p class="hint">Signed in as <strong id="signed-in-user">{{.User}}</strong> ({{.UserName}}). Scope: {{.Scope}}.
<a id="logout" href="{{.Logout}}">Not you? Log out</a></p>
<form id="consent" method="post" action="/oauth_auth.do">
{{template "hidden" .Hidden}}<input type="hidden" name="sysparm_ck" value="{{.CK}}">
<button type="submit" id="allow" name="action" value="allow">Allow</button>
<button type="submit" id="deny" name="action" value="deny" class="secondary">Deny</button>
</form>
{{template "foot"}}{{end}}
{{define "error"}}{{template "head" "Error"}}<h1>Invalid request</h1>
<p class="error" role="alert">{{.}}</p>
{{template "foot"}}{{end}}
{{define "redirect"}}{{template "head" "OAuth redirect"}}<h1>OAuth redirect</h1>
<p class="hint">The instance's own redirect URL (<code>/oauth_redirect.do</code>), which OpenFin's apps register: the app reads the code from this page's URL. What a real instance shows here is not known; nothing reads it.</p>
{{template "foot"}}{{end}}
{{define "index"}}{{template "head" "ServiceNow instance emulator"}}<h1>Instance emulator</h1>
{{if .}}<p>Signed in as {{.}}. <a href="/logout.do">Log out</a></p>
{{else}}<p><a href="/login.do">Log in</a></p>
{{end}}<p class="hint">OAuth: /oauth_auth.do, /oauth_token.do, /oauth_revoke_token.do. REST: /api/now/table/{table}.</p>
{{template "foot"}}{{end}}
`))

const stylesheet = `body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#1d2b36;background:#f4f6f8}
header{padding:.8em 1.5em;background:#293e40;color:#fff;font-weight:600}
header span{font-weight:400;opacity:.7}
main{max-width:26em;margin:3em auto;padding:2em;background:#fff;border-radius:6px;box-shadow:0 1px 4px #0002}
h1{margin-top:0;font-size:1.4em}
label{display:block;margin:.8em 0 .2em}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5em;border:1px solid #aab;border-radius:4px}
button{margin:1.2em .5em 0 0;padding:.55em 1.4em;border:0;border-radius:4px;background:#1f8476;color:#fff;font:inherit;cursor:pointer}
button.secondary{background:#dde3e6;color:#1d2b36}
.error{color:#b3261e}
.hint{color:#667}
`

type hiddenField struct{ Name, Value string }

// hiddenFields lists parameters in a stable order.
func hiddenFields(v url.Values) []hiddenField {
	var out []hiddenField
	for k, vals := range v {
		for _, x := range vals {
			out = append(out, hiddenField{k, x})
		}
	}
	slices.SortStableFunc(out, func(a, b hiddenField) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// writePage renders a page with headers that keep it unframed and script-free.
func writePage(w http.ResponseWriter, status int, name string, data any) {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html;charset=UTF-8")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

func loginPage(w http.ResponseWriter, params url.Values, errMsg string) {
	writePage(w, http.StatusOK, "login", map[string]any{"Hidden": hiddenFields(params), "Error": errMsg})
}

func (s *Server) consentPage(w http.ResponseWriter, req *authRequest, sess session) {
	s.mu.Lock()
	u := s.tables["sys_user"].byID[sess.user]
	user, userName := u["name"], u["user_name"]
	s.mu.Unlock()
	back := authPath + "?" + req.params.Encode()
	writePage(w, http.StatusOK, "consent", map[string]any{
		"Client": req.client, "User": user, "UserName": userName, "Scope": req.scope,
		"Logout": logoutPath + "?" + url.Values{"sysparm_goto_url": {back}}.Encode(),
		"Hidden": hiddenFields(req.params), "CK": sess.ck,
	})
}

func errorPage(w http.ResponseWriter, status int, msg string) {
	writePage(w, status, "error", msg)
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	name := ""
	if sess, ok := s.session(r); ok {
		s.mu.Lock()
		name = s.tables["sys_user"].byID[sess.user]["name"]
		s.mu.Unlock()
	}
	writePage(w, http.StatusOK, "index", name)
}

func serveStyle(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/css;charset=UTF-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	_, _ = w.Write([]byte(stylesheet))
}

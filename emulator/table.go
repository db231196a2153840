package emulator

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

const defaultLimit = 10000

// parseTablePath splits /api/now[/v1|/v2]/table/{table}[/{sys_id}].
func parseTablePath(p string) (name, id string, ok bool) {
	rest, ok := strings.CutPrefix(p, "/api/now/")
	if !ok {
		return "", "", false
	}
	if v, after, found := strings.Cut(rest, "/"); found && (v == "v1" || v == "v2") {
		rest = after
	}
	if rest, ok = strings.CutPrefix(rest, "table/"); !ok {
		return "", "", false
	}
	parts := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	if parts[0] == "" || len(parts) > 2 {
		return "", "", false
	}
	if len(parts) == 2 {
		id = parts[1]
	}
	return parts[0], id, true
}

// handleTable serves the Table API.
func (s *Server) handleTable(w http.ResponseWriter, r *http.Request) {
	name, id, ok := parseTablePath(r.URL.Path)
	if !ok {
		apiError(w, http.StatusBadRequest, "Requested URI does not represent any resource", nil)
		return
	}
	user, ok := s.bearerUser(r)
	if !ok {
		unauthenticated(w)
		return
	}
	if !acceptsJSON(r.Header.Get("Accept")) {
		apiError(w, http.StatusNotAcceptable, "Not Acceptable", "Only application/json responses are supported")
		return
	}
	t := s.tables[name]
	if t == nil {
		apiError(w, http.StatusBadRequest, "Invalid table "+name, nil)
		return
	}
	switch {
	case r.Method == http.MethodGet && id == "":
		s.list(w, r, t, user)
	case r.Method == http.MethodGet:
		s.get(w, r, t, id)
	case r.Method == http.MethodPost && id == "":
		s.write(w, r, t, "", user)
	case (r.Method == http.MethodPut || r.Method == http.MethodPatch) && id != "":
		s.write(w, r, t, id, user)
	case r.Method == http.MethodDelete && id != "":
		s.delete(w, t, id)
	default:
		methodNotAllowed(w, r)
	}
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, t *table, user string) {
	q := r.URL.Query()
	limit := intParam(q.Get("sysparm_limit"), defaultLimit)
	offset := intParam(q.Get("sysparm_offset"), 0)
	noCount := strings.EqualFold(q.Get("sysparm_no_count"), "true")
	v := viewFrom(r)
	s.mu.Lock()
	matched := s.filter(t, parseQuery(q.Get("sysparm_query")), user)
	total := len(matched)
	page := matched[min(offset, total):min(offset+limit, total)]
	out := make([]map[string]any, len(page))
	for i, rec := range page {
		out[i] = s.render(t, rec, v)
	}
	s.mu.Unlock()
	if !noCount {
		w.Header().Set("X-Total-Count", strconv.Itoa(total))
	}
	w.Header().Set("Link", links(r, offset, limit, total, noCount))
	writeResult(w, r, http.StatusOK, out)
}

// links builds the Link header: first, prev, next and (with a count) last.
func links(r *http.Request, offset, limit, total int, noCount bool) string {
	base := instanceURL(r) + r.URL.Path
	link := func(off int, rel string) string {
		q := r.URL.Query()
		q.Set("sysparm_offset", strconv.Itoa(off))
		q.Set("sysparm_limit", strconv.Itoa(limit))
		return "<" + base + "?" + q.Encode() + `>;rel="` + rel + `"`
	}
	out := []string{link(0, "first")}
	if offset > 0 {
		out = append(out, link(max(offset-limit, 0), "prev"))
	}
	if offset+limit < total {
		out = append(out, link(offset+limit, "next"))
	}
	if !noCount {
		out = append(out, link(max(total-1, 0)/limit*limit, "last"))
	}
	return strings.Join(out, ",")
}

func (s *Server) get(w http.ResponseWriter, r *http.Request, t *table, id string) {
	v := viewFrom(r)
	s.mu.Lock()
	rec := t.byID[id]
	var out map[string]any
	if rec != nil {
		out = s.render(t, rec, v)
	}
	s.mu.Unlock()
	if out == nil {
		noRecord(w)
		return
	}
	writeResult(w, r, http.StatusOK, out)
}

// write creates (id == "") or updates a record. PUT and PATCH both merge.
func (s *Server) write(w http.ResponseWriter, r *http.Request, t *table, id, user string) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			apiError(w, http.StatusUnsupportedMediaType, "Unsupported Media Type", "Content-Type must be application/json")
			return
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		apiError(w, http.StatusBadRequest, "Exception while reading request", err.Error())
		return
	}
	vals, err := fieldValues(body)
	if err != nil {
		apiError(w, http.StatusBadRequest, "Exception while reading request", "The payload is not valid JSON.")
		return
	}
	v := viewFrom(r)
	s.mu.Lock()
	rec := t.byID[id]
	switch {
	case id == "":
		rec = s.create(t, vals, user)
	case rec != nil:
		s.update(t, rec, vals, user)
	}
	var out map[string]any
	if rec != nil {
		out = s.render(t, rec, v)
		id = rec["sys_id"]
	}
	s.mu.Unlock()
	if out == nil {
		noRecord(w)
		return
	}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		status = http.StatusCreated
		w.Header().Set("Location", v.instance+"/api/now/table/"+t.name+"/"+id)
	}
	writeResult(w, r, status, out)
}

func (s *Server) delete(w http.ResponseWriter, t *table, id string) {
	s.mu.Lock()
	found := t.byID[id] != nil
	t.remove(id)
	s.mu.Unlock()
	if !found {
		noRecord(w)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// acceptsJSON reports whether an Accept header admits application/json.
func acceptsJSON(accept string) bool {
	if strings.TrimSpace(accept) == "" {
		return true
	}
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || params["q"] == "0" {
			continue
		}
		if mt == "application/json" || mt == "application/*" || mt == "*/*" {
			return true
		}
	}
	return false
}

// intParam parses a non-negative integer (positive when def > 0), else def.
func intParam(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n == 0 && def > 0 {
		return def
	}
	return min(n, 1<<30)
}

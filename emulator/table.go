package emulator

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

const defaultLimit = 10000

// handleTable serves the Table API: segs is {table}[/{sys_id}].
func (s *Server) handleTable(w http.ResponseWriter, r *http.Request, segs []string, version, user string) {
	if len(segs) == 0 || segs[0] == "" || len(segs) > 2 {
		apiError(w, r, http.StatusBadRequest, "Requested URI does not represent any resource", nil)
		return
	}
	id := ""
	if len(segs) == 2 {
		id = segs[1]
	}
	t := s.tables[segs[0]]
	if t == nil {
		apiError(w, r, http.StatusBadRequest, "Invalid table "+segs[0], nil)
		return
	}
	switch {
	case r.Method == http.MethodGet && id == "":
		s.list(w, r, t, version, user)
	case r.Method == http.MethodGet:
		s.get(w, r, t, id, user)
	case r.Method == http.MethodPost && id == "":
		s.write(w, r, t, "", user)
	case (r.Method == http.MethodPut || r.Method == http.MethodPatch) && id != "":
		s.write(w, r, t, id, user)
	case r.Method == http.MethodDelete && id != "":
		s.delete(w, r, t, id, user)
	default:
		methodNotAllowed(w, r)
	}
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, t *table, version, user string) {
	if !s.allowed(user, t.name, OpRead) {
		queryForbidden(w, r)
		return
	}
	q := r.URL.Query()
	limit := intParam(q.Get("sysparm_limit"), defaultLimit)
	offset := intParam(q.Get("sysparm_offset"), 0)
	noCount := isTrue(q.Get("sysparm_no_count"))
	v := viewFrom(r)
	s.mu.Lock()
	matched := s.filter(t, s.withNameValues(t, parseQuery(q.Get("sysparm_query")), q), user)
	total := len(matched)
	page := matched[min(offset, total):min(offset+limit, total)]
	out := make([]map[string]any, len(page))
	for i, rec := range page {
		out[i] = s.render(t, rec, v)
	}
	s.mu.Unlock()
	if version == "v1" && len(out) == 0 {
		noRecord(w, r)
		return
	}
	if !noCount {
		w.Header().Set("X-Total-Count", strconv.Itoa(total))
	}
	if !isTrue(q.Get("sysparm_suppress_pagination_header")) {
		w.Header().Set("Link", links(r, offset, limit, total, noCount))
	}
	writeResult(w, r, http.StatusOK, out)
}

func isTrue(v string) bool { return strings.EqualFold(v, "true") }

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

func (s *Server) get(w http.ResponseWriter, r *http.Request, t *table, id, user string) {
	v := viewFrom(r)
	s.mu.Lock()
	rec := t.byID[id]
	var out map[string]any
	if rec != nil && s.allowed(user, t.name, OpRead) {
		out = s.render(t, rec, v)
	}
	s.mu.Unlock()
	if out == nil {
		noRecord(w, r)
		return
	}
	writeResult(w, r, http.StatusOK, out)
}

// readFields reads a JSON or XML record body.
func readFields(w http.ResponseWriter, r *http.Request) (map[string]string, bool) {
	isXML := false
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		switch {
		case err == nil && mt == "application/json":
		case err == nil && (mt == "application/xml" || mt == "text/xml"):
			isXML = true
		default:
			apiError(w, r, http.StatusUnsupportedMediaType, "Unsupported Media Type", "Content-Type must be application/json or application/xml")
			return nil, false
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		apiError(w, r, http.StatusBadRequest, "Exception while reading request", err.Error())
		return nil, false
	}
	var vals map[string]string
	switch {
	case len(bytes.TrimSpace(body)) == 0:
		vals = map[string]string{}
	case isXML:
		vals, err = xmlFieldValues(body)
	default:
		vals, err = fieldValues(body)
	}
	if err != nil {
		what := map[bool]string{true: "XML", false: "JSON"}[isXML]
		apiError(w, r, http.StatusBadRequest, "Exception while reading request", "The payload is not valid "+what+".")
		return nil, false
	}
	return vals, true
}

// write creates (id == "") or updates a record. PUT and PATCH both merge.
func (s *Server) write(w http.ResponseWriter, r *http.Request, t *table, id, user string) {
	vals, ok := readFields(w, r)
	if !ok {
		return
	}
	v := viewFrom(r)
	s.mu.Lock()
	if isTrue(r.URL.Query().Get("sysparm_input_display_value")) {
		for k, val := range vals {
			if t.choices[k] != nil {
				vals[k] = s.storedValue(t, k, val)
			}
		}
	}
	rec := t.byID[id]
	denied := !s.allowed(user, t.name, OpWrite)
	switch {
	case denied:
	case id == "":
		rec = s.create(t, vals, user)
	case rec != nil:
		s.update(t, rec, vals, user)
	}
	var out map[string]any
	if rec != nil && !denied {
		out = s.render(t, rec, v)
		id = rec["sys_id"]
	}
	s.mu.Unlock()
	switch {
	case denied && id == "":
		writeForbidden(w, r, "Insert")
		return
	case denied && rec != nil:
		writeForbidden(w, r, "Update")
		return
	case out == nil:
		noRecord(w, r)
		return
	}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		status = http.StatusCreated
		w.Header().Set("Location", v.instance+"/api/now/table/"+t.name+"/"+id)
	}
	writeResult(w, r, status, out)
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request, t *table, id, user string) {
	s.mu.Lock()
	found := t.byID[id] != nil
	allowed := s.allowed(user, t.name, OpWrite)
	if found && allowed {
		t.remove(id)
		s.dropAttachments(t.name, id)
	}
	s.mu.Unlock()
	switch {
	case !found:
		noRecord(w, r)
	case !allowed:
		writeForbidden(w, r, "Delete")
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// intParam parses a non-negative integer (positive when def > 0), else def.
func intParam(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n == 0 && def > 0 {
		return def
	}
	return min(n, 1<<30)
}

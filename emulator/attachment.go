package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
)

const attachmentTable = "sys_attachment"

var attachmentFields = []string{
	"table_name", "table_sys_id", "file_name", "content_type", "size_bytes",
	"size_compressed", "compressed", "average_image_color", "image_width",
	"image_height", "sys_tags",
}

const defaultAttachmentLimit = 1000

// attach stores a new attachment with its content as userName at now.
// Caller holds s.mu.
func (s *Server) attach(now, userName string, rec record, content []byte) record {
	t := s.tables[attachmentTable]
	for _, f := range attachmentFields {
		if _, ok := rec[f]; !ok {
			rec[f] = ""
		}
	}
	if rec["sys_id"] == "" {
		rec["sys_id"] = newSysID()
	}
	rec["size_bytes"] = strconv.Itoa(len(content))
	rec["compressed"] = "false"
	rec["sys_created_on"], rec["sys_updated_on"] = now, now
	rec["sys_created_by"], rec["sys_updated_by"] = userName, userName
	rec["sys_mod_count"] = "0"
	t.add(rec)
	s.files[rec["sys_id"]] = content
	return rec
}

// dropAttachments deletes the attachments of a record. Caller holds s.mu.
func (s *Server) dropAttachments(table, id string) {
	t := s.tables[attachmentTable]
	for _, a := range append([]record(nil), t.rows...) {
		if a["table_name"] == table && a["table_sys_id"] == id {
			t.remove(a["sys_id"])
			delete(s.files, a["sys_id"])
		}
	}
}

// attachmentMeta is the metadata ServiceNow returns for an attachment.
// Caller holds s.mu.
func (s *Server) attachmentMeta(rec record, instance string) map[string]any {
	out := map[string]any{}
	for _, f := range s.tables[attachmentTable].fields {
		out[f] = rec[f]
	}
	out["download_link"] = instance + "/api/now/attachment/" + rec["sys_id"] + "/file"
	out["created_by_name"] = s.fullName(rec["sys_created_by"])
	out["updated_by_name"] = s.fullName(rec["sys_updated_by"])
	return out
}

// fullName is the name of the user with that user_name. Caller holds s.mu.
func (s *Server) fullName(userName string) string {
	for _, u := range s.tables["sys_user"].rows {
		if u["user_name"] == userName {
			return u["name"]
		}
	}
	return ""
}

// canSee reports whether user may read the record an attachment belongs
// to, which is what reading the attachment needs. Caller holds s.mu.
func (s *Server) canSee(user string, a record) bool {
	t := s.tables[a["table_name"]]
	return t != nil && t.byID[a["table_sys_id"]] != nil && s.allowed(user, t.name, OpRead)
}

// handleAttachment serves the Attachment API; segs follows "attachment".
func (s *Server) handleAttachment(w http.ResponseWriter, r *http.Request, segs []string, user string) {
	switch {
	case len(segs) == 0 && r.Method == http.MethodGet:
		s.listAttachments(w, r, user)
	case len(segs) == 1 && segs[0] == "file" && r.Method == http.MethodPost:
		s.uploadRaw(w, r, user)
	case len(segs) == 1 && segs[0] == "upload" && r.Method == http.MethodPost:
		s.uploadMultipart(w, r, user)
	case len(segs) == 1 && r.Method == http.MethodGet:
		s.attachmentMetadata(w, r, segs[0], user)
	case len(segs) == 2 && segs[1] == "file" && r.Method == http.MethodGet:
		s.attachmentFile(w, r, segs[0], user)
	case len(segs) == 1 && r.Method == http.MethodDelete:
		s.deleteAttachment(w, r, segs[0], user)
	case len(segs) == 1 && r.Method == http.MethodPatch:
		s.renameAttachment(w, r, segs[0], user)
	case len(segs) <= 2:
		methodNotAllowed(w, r)
	default:
		apiError(w, r, http.StatusBadRequest, "Requested URI does not represent any resource", nil)
	}
}

func (s *Server) listAttachments(w http.ResponseWriter, r *http.Request, user string) {
	if negotiate(r.Header.Get("Accept")) == formatNone {
		apiError(w, nil, http.StatusNotAcceptable, "Not Acceptable", "Only application/json and application/xml responses are supported")
		return
	}
	q := r.URL.Query()
	limit := intParam(q.Get("sysparm_limit"), defaultAttachmentLimit)
	offset := intParam(q.Get("sysparm_offset"), 0)
	instance := instanceURL(r)
	t := s.tables[attachmentTable]
	s.mu.Lock()
	var visible []record
	for _, a := range s.filter(t, s.withNameValues(t, parseQuery(q.Get("sysparm_query")), q), user) {
		if s.canSee(user, a) {
			visible = append(visible, a)
		}
	}
	page := visible[min(offset, len(visible)):min(offset+limit, len(visible))]
	out := make([]map[string]any, len(page))
	for i, a := range page {
		out[i] = s.attachmentMeta(a, instance)
	}
	s.mu.Unlock()
	w.Header().Set("X-Total-Count", strconv.Itoa(len(visible)))
	writeResult(w, r, http.StatusOK, out)
}

// visibleAttachment returns the attachment if user may read it. Caller holds s.mu.
func (s *Server) visibleAttachment(id, user string) record {
	a := s.tables[attachmentTable].byID[id]
	if a == nil || !s.canSee(user, a) {
		return nil
	}
	return a
}

func (s *Server) attachmentMetadata(w http.ResponseWriter, r *http.Request, id, user string) {
	s.mu.Lock()
	var out map[string]any
	if a := s.visibleAttachment(id, user); a != nil {
		out = s.attachmentMeta(a, instanceURL(r))
	}
	s.mu.Unlock()
	if out == nil {
		noRecord(w, r)
		return
	}
	writeResult(w, r, http.StatusOK, out)
}

func (s *Server) attachmentFile(w http.ResponseWriter, r *http.Request, id, user string) {
	s.mu.Lock()
	var meta map[string]any
	var content []byte
	if a := s.visibleAttachment(id, user); a != nil {
		meta, content = s.attachmentMeta(a, instanceURL(r)), s.files[id]
	}
	s.mu.Unlock()
	if meta == nil {
		noRecord(w, r)
		return
	}
	b, _ := json.Marshal(meta)
	w.Header().Set("X-Attachment-Metadata", string(b))
	ct, _ := meta["content_type"].(string)
	if ct == "" {
		ct = "application/octet-stream"
	}
	writeBody(w, http.StatusOK, ct, content)
}

func (s *Server) deleteAttachment(w http.ResponseWriter, r *http.Request, id, user string) {
	s.mu.Lock()
	a := s.visibleAttachment(id, user)
	allowed := a != nil && s.allowed(user, a["table_name"], OpWrite)
	if allowed {
		s.tables[attachmentTable].remove(id)
		delete(s.files, id)
	}
	s.mu.Unlock()
	switch {
	case a == nil:
		noRecord(w, r)
	case !allowed:
		writeForbidden(w, r, "Delete")
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// renameAttachment serves PATCH /attachment/{sys_id} {"file_name": …}: 204.
func (s *Server) renameAttachment(w http.ResponseWriter, r *http.Request, id, user string) {
	vals, ok := readFields(w, r)
	if !ok {
		return
	}
	if vals["file_name"] == "" {
		apiError(w, r, http.StatusBadRequest, "Missing file_name", `Send {"file_name": "new name"}`)
		return
	}
	s.mu.Lock()
	a := s.visibleAttachment(id, user)
	allowed := a != nil && s.allowed(user, a["table_name"], OpWrite)
	if allowed {
		n, _ := strconv.Atoi(a["sys_mod_count"])
		a["file_name"], a["sys_mod_count"] = vals["file_name"], strconv.Itoa(n+1)
		a["sys_updated_on"], a["sys_updated_by"] = stamp(s.now()), s.userName(user)
	}
	s.mu.Unlock()
	switch {
	case a == nil:
		noRecord(w, r)
	case !allowed:
		writeForbidden(w, r, "Update")
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

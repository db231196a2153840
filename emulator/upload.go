package emulator

import (
	"errors"
	"io"
	"mime"
	"net/http"
)

// uploadMultipart serves POST /attachment/upload: form fields table_name
// and table_sys_id, then the file part, which must come last.
func (s *Server) uploadMultipart(w http.ResponseWriter, r *http.Request, user string) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		apiError(w, r, http.StatusBadRequest, "Content-Type must be multipart/form-data", "POST /api/now/attachment/upload takes a multipart form")
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		apiError(w, r, http.StatusBadRequest, "Invalid multipart body", err.Error())
		return
	}
	fields := map[string]string{}
	var name, contentType string
	var content []byte
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			apiError(w, r, http.StatusBadRequest, "Invalid multipart body", err.Error())
			return
		}
		b, err := io.ReadAll(part)
		if err != nil {
			apiError(w, r, http.StatusBadRequest, "Exception while reading request", err.Error())
			return
		}
		if part.FileName() == "" {
			fields[part.FormName()] = string(b)
			continue
		}
		name, contentType, content = part.FileName(), part.Header.Get("Content-Type"), b
		break // the file is the last part; later parts are not read
	}
	switch {
	case fields["table_name"] == "" || fields["table_sys_id"] == "":
		apiError(w, r, http.StatusBadRequest, "Missing form field: table_name or table_sys_id", "Send table_name and table_sys_id as form fields before the file part")
		return
	case name == "":
		apiError(w, r, http.StatusBadRequest, "Missing file part", "Send the file as the last part of the form, with a filename")
		return
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	s.store(w, r, user, fields["table_name"], fields["table_sys_id"], name, contentType, content)
}

// uploadRaw serves POST /attachment/file: the body is the file, its
// Content-Type the file's type.
func (s *Server) uploadRaw(w http.ResponseWriter, r *http.Request, user string) {
	q := r.URL.Query()
	for _, p := range []string{"table_name", "table_sys_id", "file_name"} {
		if q.Get(p) == "" {
			apiError(w, r, http.StatusBadRequest, "Missing parameter: "+p, "POST /api/now/attachment/file needs table_name, table_sys_id and file_name in the query")
			return
		}
	}
	ct := r.Header.Get("Content-Type")
	if _, _, err := mime.ParseMediaType(ct); err != nil {
		apiError(w, r, http.StatusBadRequest, "Missing or invalid Content-Type", "Set Content-Type to the file's type, such as image/jpeg")
		return
	}
	content, err := io.ReadAll(r.Body)
	if err != nil {
		apiError(w, r, http.StatusBadRequest, "Exception while reading request", err.Error())
		return
	}
	s.store(w, r, user, q.Get("table_name"), q.Get("table_sys_id"), q.Get("file_name"), ct, content)
}

// store attaches content to a record and answers 201 with its metadata.
func (s *Server) store(w http.ResponseWriter, r *http.Request, user, table, id, name, contentType string, content []byte) {
	s.mu.Lock()
	t := s.tables[table]
	found := t != nil && t.byID[id] != nil && s.allowed(user, table, OpRead)
	allowed := found && s.allowed(user, table, OpWrite)
	var out map[string]any
	var aid string
	if allowed {
		a := s.attach(stamp(s.now()), s.userName(user), record{
			"table_name": table, "table_sys_id": id, "file_name": name, "content_type": contentType,
		}, content)
		aid = a["sys_id"]
		out = s.attachmentMeta(a, instanceURL(r))
	}
	s.mu.Unlock()
	switch {
	case !found:
		noRecord(w, r)
	case !allowed:
		writeForbidden(w, r, "Insert")
	default:
		w.Header().Set("Location", instanceURL(r)+"/api/now/attachment/"+aid)
		writeResult(w, r, http.StatusCreated, out)
	}
}

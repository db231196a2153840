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

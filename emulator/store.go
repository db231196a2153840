package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// record is one row; every value is a string, references hold a sys_id.
type record map[string]string

// sysFields are on every table.
var sysFields = []string{"sys_id", "sys_created_on", "sys_created_by", "sys_updated_on", "sys_updated_by", "sys_mod_count"}

// table is a schema plus its rows. Rows are guarded by Server.mu.
type table struct {
	name     string
	display  string            // field shown for references to this table
	prefix   string            // number prefix, e.g. "INC"; "" for none
	next     int               // next number
	fields   []string          // every field, system fields included
	known    map[string]bool   // set of fields
	refs     map[string]string // reference field → table
	choices  map[string]map[string]string
	defaults map[string]string // values for new records
	stamped  []string          // date fields set to now on insert
	rows     []record
	byID     map[string]record
}

func newTable(name, display string, fields []string) *table {
	t := &table{
		name: name, display: display,
		fields: append(append([]string(nil), sysFields...), fields...),
		known:  map[string]bool{}, refs: map[string]string{},
		choices: map[string]map[string]string{}, defaults: map[string]string{},
		byID: map[string]record{},
	}
	for _, f := range t.fields {
		t.known[f] = true
	}
	return t
}

func (t *table) add(rec record) {
	t.rows = append(t.rows, rec)
	t.byID[rec["sys_id"]] = rec
}

func (t *table) remove(id string) {
	delete(t.byID, id)
	for i, r := range t.rows {
		if r["sys_id"] == id {
			t.rows = append(t.rows[:i], t.rows[i+1:]...)
			return
		}
	}
}

func (t *table) nextNumber() string {
	n := t.next
	t.next++
	return fmt.Sprintf("%s%07d", t.prefix, n)
}

// stamp formats a time as ServiceNow does: UTC, "YYYY-MM-DD HH:MM:SS".
func stamp(t time.Time) string { return t.UTC().Format(time.DateTime) }

func newSysID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func isSysID(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

var errNotObject = errors.New("the payload is not a JSON object")

// fieldValues decodes a JSON object body into strings: numbers and booleans
// as their text, null as "", {"value": v} as v, anything else as its JSON.
func fieldValues(body []byte) (map[string]string, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]string{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		// ServiceNow also reads single-quoted objects, as in the Batch
		// API reference's example.
		if !bytes.ContainsRune(body, '"') && bytes.ContainsRune(body, '\'') {
			return fieldValues(bytes.ReplaceAll(body, []byte("'"), []byte(`"`)))
		}
		return nil, err
	}
	if raw == nil {
		return nil, errNotObject
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		out[k] = stringValue(v)
	}
	return out, nil
}

func stringValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case map[string]any:
		if inner, ok := v["value"]; ok {
			return stringValue(inner)
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// set writes caller-supplied values; unknown and sys_ fields are ignored,
// and a reference may be given by its display value. Caller holds s.mu.
func (s *Server) set(t *table, rec record, vals map[string]string) {
	for k, v := range vals {
		if !t.known[k] || strings.HasPrefix(k, "sys_") {
			continue
		}
		if ref := t.refs[k]; ref != "" {
			v = s.refValue(ref, v)
		}
		rec[k] = v
	}
	prioritize(t, rec)
}

// prioritize sets priority from urgency and impact, as ServiceNow's default
// priority lookup does: 1 and 1 make 1 (Critical), 3 and 3 make 5 (Planning).
func prioritize(t *table, rec record) {
	if !t.known["priority"] || !t.known["urgency"] || !t.known["impact"] {
		return
	}
	u, err1 := strconv.Atoi(rec["urgency"])
	i, err2 := strconv.Atoi(rec["impact"])
	if err1 == nil && err2 == nil && u >= 1 && u <= 3 && i >= 1 && i <= 3 {
		rec["priority"] = strconv.Itoa(u + i - 1)
	}
}

// refValue resolves a display value to a sys_id of the referenced table.
func (s *Server) refValue(name, v string) string {
	rt := s.tables[name]
	if rt == nil || v == "" || rt.byID[v] != nil {
		return v
	}
	for _, r := range rt.rows {
		if r[rt.display] == v {
			return r["sys_id"]
		}
	}
	return v
}

// userName is the user_name of a sys_user. Caller holds s.mu.
func (s *Server) userName(id string) string {
	return s.tables["sys_user"].byID[id]["user_name"]
}

// create inserts a record as user. Caller holds s.mu.
func (s *Server) create(t *table, vals map[string]string, user string) record {
	now := stamp(s.now())
	rec := record{}
	for k, v := range t.defaults {
		rec[k] = v
	}
	for _, f := range t.stamped {
		rec[f] = now
	}
	s.set(t, rec, vals)
	id := vals["sys_id"]
	if !isSysID(id) || t.byID[id] != nil {
		id = newSysID()
	}
	rec["sys_id"] = id
	if t.prefix != "" && rec["number"] == "" {
		rec["number"] = t.nextNumber()
	}
	name := s.userName(user)
	rec["sys_created_on"], rec["sys_updated_on"] = now, now
	rec["sys_created_by"], rec["sys_updated_by"] = name, name
	rec["sys_mod_count"] = "0"
	t.add(rec)
	return rec
}

// update changes a record as user. Caller holds s.mu.
func (s *Server) update(t *table, rec record, vals map[string]string, user string) {
	s.set(t, rec, vals)
	n, _ := strconv.Atoi(rec["sys_mod_count"])
	rec["sys_mod_count"] = strconv.Itoa(n + 1)
	rec["sys_updated_on"] = stamp(s.now())
	rec["sys_updated_by"] = s.userName(user)
}

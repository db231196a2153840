package emulator

import (
	"net/http"
	"strings"
)

// view is how records are rendered, from the sysparm_* parameters.
type view struct {
	display  string   // sysparm_display_value: "false", "true" or "all"
	noLink   bool     // sysparm_exclude_reference_link
	fields   []string // sysparm_fields; nil means all
	instance string   // base URL for reference links
}

func viewFrom(r *http.Request) view {
	q := r.URL.Query()
	v := view{display: "false", instance: instanceURL(r)}
	if d := strings.ToLower(q.Get("sysparm_display_value")); d == "true" || d == "all" {
		v.display = d
	}
	v.noLink = strings.EqualFold(q.Get("sysparm_exclude_reference_link"), "true")
	for _, f := range strings.Split(q.Get("sysparm_fields"), ",") {
		if f = strings.TrimSpace(f); f != "" {
			v.fields = append(v.fields, f)
		}
	}
	return v
}

// render turns a record into its JSON shape. Caller holds s.mu.
func (s *Server) render(t *table, rec record, v view) map[string]any {
	fields := v.fields
	if fields == nil {
		fields = t.fields
	}
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		if ft, frec, name, ok := s.resolve(t, rec, f); ok {
			out[f] = s.renderField(ft, frec, name, v)
		}
	}
	return out
}

// resolve follows a dot-walked field path ("caller_id.email") to the table,
// record and field holding the value. rec may be nil. Caller holds s.mu.
func (s *Server) resolve(t *table, rec record, path string) (*table, record, string, bool) {
	for {
		f, rest, dotted := strings.Cut(path, ".")
		if !t.known[f] {
			return nil, nil, "", false
		}
		if !dotted {
			return t, rec, f, true
		}
		target := s.tables[t.refs[f]]
		if target == nil {
			return nil, nil, "", false
		}
		t, rec, path = target, target.byID[rec[f]], rest
	}
}

func (s *Server) renderField(t *table, rec record, f string, v view) any {
	val := rec[f]
	link := ""
	if ref := t.refs[f]; ref != "" && val != "" && !v.noLink {
		link = v.instance + "/api/now/table/" + ref + "/" + val
	}
	switch v.display {
	case "true":
		dv := s.displayValue(t, f, val)
		if link != "" {
			return map[string]string{"display_value": dv, "link": link}
		}
		return dv
	case "all":
		m := map[string]string{"display_value": s.displayValue(t, f, val), "value": val}
		if link != "" {
			m["link"] = link
		}
		return m
	}
	if link != "" {
		return map[string]string{"link": link, "value": val}
	}
	return val
}

// displayValue is a reference's display field or a choice's label.
func (s *Server) displayValue(t *table, f, val string) string {
	if ref := t.refs[f]; ref != "" {
		rt := s.tables[ref]
		if r := rt.byID[val]; r != nil {
			return r[rt.display]
		}
		return ""
	}
	if label, ok := t.choices[f][val]; ok {
		return label
	}
	return val
}

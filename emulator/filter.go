package emulator

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// filter returns the records of t matching q, sorted. Conditions on
// unknown fields and unknown operators are ignored, as ServiceNow does by
// default, and logged. Caller holds s.mu.
func (s *Server) filter(t *table, q query, user string) []record {
	for _, term := range q.ignored {
		s.logf("emulator: %s: ignored query term %q: unknown operator (supported: %s)", t.name, term, strings.Join(Operators, " "))
	}
	groups := s.compile(t, q, user)
	var out []record
	for _, rec := range t.rows {
		if s.matchesAny(t, rec, groups) {
			out = append(out, rec)
		}
	}
	var orders []order
	for _, o := range q.order {
		if _, _, _, ok := s.resolve(t, nil, o.field); ok {
			orders = append(orders, o)
		}
	}
	if len(orders) > 0 {
		slices.SortStableFunc(out, func(a, b record) int {
			for _, o := range orders {
				c := compareFold(s.value(t, a, o.field), s.value(t, b, o.field))
				if o.desc {
					c = -c
				}
				if c != 0 {
					return c
				}
			}
			return 0
		})
	}
	return out
}

// withNameValues ANDs the request's name-value filters (?active=true) to
// every group of q. A choice or reference may be given by its display
// value. Caller holds s.mu.
func (s *Server) withNameValues(t *table, q query, params url.Values) query {
	var extra [][]condition
	for _, k := range slices.Sorted(maps.Keys(params)) {
		if strings.HasPrefix(k, "sysparm_") {
			continue
		}
		if _, _, _, ok := s.resolve(t, nil, k); !ok {
			continue
		}
		extra = append(extra, []condition{{k, "=", s.storedValue(t, k, params.Get(k))}})
	}
	if len(extra) == 0 {
		return q
	}
	for i := range q.groups {
		q.groups[i] = append(q.groups[i], extra...)
	}
	return q
}

// storedValue turns a display value of a choice or reference into the value
// stored; anything else is returned as is. Caller holds s.mu.
func (s *Server) storedValue(t *table, field, v string) string {
	if _, ok := t.choices[field][v]; ok {
		return v
	}
	for val, label := range t.choices[field] {
		if strings.EqualFold(label, v) {
			return val
		}
	}
	if ref := t.refs[field]; ref != "" {
		if rt := s.tables[ref]; rt != nil && rt.byID[v] == nil {
			for _, r := range rt.rows {
				if r[rt.display] == v || r["user_name"] == v {
					return r["sys_id"]
				}
			}
		}
	}
	return v
}

// compile drops conditions on unknown fields and fills in javascript: values.
func (s *Server) compile(t *table, q query, user string) [][][]condition {
	var groups [][][]condition
	for _, g := range q.groups {
		var terms [][]condition
		for _, alts := range g {
			var keep []condition
			for _, c := range alts {
				if _, _, _, ok := s.resolve(t, nil, c.field); !ok {
					s.logf("emulator: %s: ignored query term on unknown field %q", t.name, c.field)
					continue
				}
				c.value = s.scriptValue(c.value, user)
				keep = append(keep, c)
			}
			if len(keep) > 0 {
				terms = append(terms, keep)
			}
		}
		groups = append(groups, terms)
	}
	return groups
}

// scriptValue evaluates the few javascript: values clients use.
func (s *Server) scriptValue(v, user string) string {
	switch strings.ReplaceAll(v, " ", "") {
	case "javascript:gs.getUserID()":
		return user
	case "javascript:gs.getUserName()":
		return s.userName(user)
	}
	return v
}

func (s *Server) matchesAny(t *table, rec record, groups [][][]condition) bool {
	for _, g := range groups {
		if s.matchesAll(t, rec, g) {
			return true
		}
	}
	return false
}

func (s *Server) matchesAll(t *table, rec record, terms [][]condition) bool {
	for _, alts := range terms {
		if !slices.ContainsFunc(alts, func(c condition) bool { return s.match(t, rec, c) }) {
			return false
		}
	}
	return true
}

// value is a field's stored value, following dot-walks.
func (s *Server) value(t *table, rec record, path string) string {
	_, frec, f, _ := s.resolve(t, rec, path)
	return frec[f]
}

// match evaluates one condition against a record, case-sensitively.
func (s *Server) match(t *table, rec record, c condition) bool {
	val := s.value(t, rec, c.field)
	switch c.op {
	case "=":
		return val == c.value
	case "!=":
		return val != c.value
	case "LIKE":
		return strings.Contains(val, c.value)
	case "NOT LIKE":
		return !strings.Contains(val, c.value)
	case "STARTSWITH":
		return strings.HasPrefix(val, c.value)
	case "ENDSWITH":
		return strings.HasSuffix(val, c.value)
	case "IN":
		return slices.Contains(strings.Split(c.value, ","), val)
	case "NOT IN":
		return !slices.Contains(strings.Split(c.value, ","), val)
	case "ISEMPTY", "EMPTYSTRING":
		return val == ""
	case "ISNOTEMPTY":
		return val != ""
	case "ANYTHING":
		return true
	case "SAMEAS", "NSAMEAS", "GT_FIELD", "LT_FIELD", "GT_OR_EQUALS_FIELD", "LT_OR_EQUALS_FIELD":
		if _, _, _, ok := s.resolve(t, nil, c.value); !ok {
			return false
		}
		return compareOp(c.op, compareValues(val, s.value(t, rec, c.value)))
	case "BETWEEN":
		lo, hi, ok := strings.Cut(c.value, "@")
		return ok && val != "" && compareValues(val, s.dateValue(lo, false)) >= 0 && compareValues(val, s.dateValue(hi, true)) <= 0
	case "ON", "NOTON":
		lo, hi, ok := s.dayRange(c.value)
		on := ok && val != "" && val >= lo && val <= hi
		return on == (c.op == "ON")
	case "<", "<=", ">", ">=":
		if val == "" {
			return false
		}
		return compareOp(c.op, compareValues(val, s.dateValue(c.value, c.op == "<=" || c.op == ">")))
	}
	return false
}

func compareOp(op string, c int) bool {
	switch op {
	case "SAMEAS":
		return c == 0
	case "NSAMEAS":
		return c != 0
	case "<", "LT_FIELD":
		return c < 0
	case "<=", "LT_OR_EQUALS_FIELD":
		return c <= 0
	case ">", "GT_FIELD":
		return c > 0
	case ">=", "GT_OR_EQUALS_FIELD":
		return c >= 0
	}
	return false
}

// compareValues compares numerically when both are numbers, else as text
// (which orders "YYYY-MM-DD HH:MM:SS" dates correctly).
func compareValues(a, b string) int {
	if c, ok := compareNumbers(a, b); ok {
		return c
	}
	return strings.Compare(a, b)
}

// compareFold is compareValues ignoring case, for sorting.
func compareFold(a, b string) int {
	if c, ok := compareNumbers(a, b); ok {
		return c
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

func compareNumbers(a, b string) (int, bool) {
	fa, errA := strconv.ParseFloat(a, 64)
	fb, errB := strconv.ParseFloat(b, 64)
	if errA != nil || errB != nil {
		return 0, false
	}
	switch {
	case fa < fb:
		return -1, true
	case fa > fb:
		return 1, true
	}
	return 0, true
}

package emulator

import (
	"slices"
	"strconv"
	"strings"
)

// An encoded query: "^NQ" separates OR'ed groups, "^" ANDs terms, "^OR"
// ORs a condition with the one before, ORDERBY/ORDERBYDESC sort.

type condition struct{ field, op, value string }

type order struct {
	field string
	desc  bool
}

type query struct {
	groups [][][]condition // groups (OR) of terms (AND) of alternatives (OR)
	order  []order
}

// operators, longest first where one is a prefix of another.
var operators = []string{
	"!=", "<=", ">=", "=", "<", ">", "NOT LIKE", "LIKE", "STARTSWITH", "ENDSWITH",
	"NOT IN", "IN", "ISNOTEMPTY", "ISEMPTY", "ANYTHING",
}

func parseQuery(s string) query {
	var q query
	for _, part := range strings.Split(s, "^NQ") {
		var terms [][]condition
		for _, term := range strings.Split(part, "^") {
			switch {
			case term == "" || term == "EQ":
			case strings.HasPrefix(term, "ORDERBYDESC"):
				q.order = append(q.order, order{strings.TrimPrefix(term, "ORDERBYDESC"), true})
			case strings.HasPrefix(term, "ORDERBY"):
				q.order = append(q.order, order{strings.TrimPrefix(term, "ORDERBY"), false})
			case strings.HasPrefix(term, "OR") && len(terms) > 0:
				if c, ok := parseCondition(term[2:]); ok {
					terms[len(terms)-1] = append(terms[len(terms)-1], c)
				}
			default:
				if c, ok := parseCondition(term); ok {
					terms = append(terms, []condition{c})
				}
			}
		}
		q.groups = append(q.groups, terms)
	}
	return q
}

// parseCondition splits "field<op>value"; field names are lower case.
func parseCondition(term string) (condition, bool) {
	i := strings.IndexFunc(term, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.')
	})
	if i <= 0 {
		return condition{}, false
	}
	rest := term[i:]
	for _, op := range operators {
		if v, ok := strings.CutPrefix(rest, op); ok {
			return condition{term[:i], op, v}, true
		}
	}
	return condition{}, false
}

// filter returns the records of t matching q, sorted. Conditions on
// unknown fields are ignored, as ServiceNow does by default. Caller holds s.mu.
func (s *Server) filter(t *table, q query, user string) []record {
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
				c := compareValues(s.value(t, a, o.field), s.value(t, b, o.field))
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

// compile drops invalid conditions and fills in javascript: values.
func (s *Server) compile(t *table, q query, user string) [][][]condition {
	var groups [][][]condition
	for _, g := range q.groups {
		var terms [][]condition
		for _, alts := range g {
			var keep []condition
			for _, c := range alts {
				if _, _, _, ok := s.resolve(t, nil, c.field); ok {
					c.value = s.scriptValue(c.value, user)
					keep = append(keep, c)
				}
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
		if !slices.ContainsFunc(alts, func(c condition) bool { return match(c, s.value(t, rec, c.field)) }) {
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

// match compares case-insensitively, like ServiceNow on its default database.
func match(c condition, val string) bool {
	lv, lc := strings.ToLower(val), strings.ToLower(c.value)
	switch c.op {
	case "=":
		return lv == lc
	case "!=":
		return lv != lc
	case "LIKE":
		return strings.Contains(lv, lc)
	case "NOT LIKE":
		return !strings.Contains(lv, lc)
	case "STARTSWITH":
		return strings.HasPrefix(lv, lc)
	case "ENDSWITH":
		return strings.HasSuffix(lv, lc)
	case "IN":
		return slices.Contains(strings.Split(lc, ","), lv)
	case "NOT IN":
		return !slices.Contains(strings.Split(lc, ","), lv)
	case "ISEMPTY":
		return val == ""
	case "ISNOTEMPTY":
		return val != ""
	case "ANYTHING":
		return true
	case "<":
		return compareValues(val, c.value) < 0
	case "<=":
		return compareValues(val, c.value) <= 0
	case ">":
		return compareValues(val, c.value) > 0
	case ">=":
		return compareValues(val, c.value) >= 0
	}
	return false
}

// compareValues compares numerically when both are numbers, else as text
// (which orders "YYYY-MM-DD HH:MM:SS" dates correctly).
func compareValues(a, b string) int {
	fa, errA := strconv.ParseFloat(a, 64)
	fb, errB := strconv.ParseFloat(b, 64)
	if errA == nil && errB == nil {
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

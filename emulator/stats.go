package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

var aggregates = []string{"avg", "min", "max", "sum"}

// handleStats serves the Aggregate API, GET /api/now/stats/{table}.
func (s *Server) handleStats(w http.ResponseWriter, r *http.Request, segs []string, user string) {
	if len(segs) != 1 || segs[0] == "" {
		apiError(w, r, http.StatusBadRequest, "Requested URI does not represent any resource", nil)
		return
	}
	if r.Method != http.MethodGet {
		methodNotAllowed(w, r)
		return
	}
	t := s.tables[segs[0]]
	if t == nil {
		apiError(w, r, http.StatusBadRequest, "Invalid table "+segs[0], nil)
		return
	}
	if !s.allowed(user, t.name, OpRead) {
		queryForbidden(w, r)
		return
	}
	q := r.URL.Query()
	s.mu.Lock()
	groupBy := s.knownFields(t, q.Get("sysparm_group_by"))
	rows := s.filter(t, s.withNameValues(t, parseQuery(q.Get("sysparm_query")), q), user)
	var result any
	if q.Has("sysparm_group_by") {
		result = s.groups(t, rows, groupBy, q)
	} else {
		result = map[string]any{"stats": s.stats(t, rows, q)}
	}
	s.mu.Unlock()
	writeResult(w, r, http.StatusOK, result)
}

// knownFields splits a comma list, keeping the fields t has. Caller holds s.mu.
func (s *Server) knownFields(t *table, list string) []string {
	var out []string
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if _, _, _, ok := s.resolve(t, nil, f); ok {
			out = append(out, f)
		} else {
			s.logf("emulator: stats %s: ignored unknown field %q", t.name, f)
		}
	}
	return out
}

// stats computes count and the sysparm_<aggregate>_fields. Caller holds s.mu.
func (s *Server) stats(t *table, rows []record, q url.Values) map[string]any {
	out := map[string]any{}
	if isTrue(q.Get("sysparm_count")) {
		out["count"] = strconv.Itoa(len(rows))
	}
	for _, agg := range aggregates {
		fields := s.knownFields(t, q.Get("sysparm_"+agg+"_fields"))
		if len(fields) == 0 {
			continue
		}
		m := map[string]string{}
		for _, f := range fields {
			m[f] = s.aggregate(t, rows, f, agg)
		}
		out[agg] = m
	}
	return out
}

// aggregate computes one function over a field; avg has four decimals, as
// in ServiceNow's example. Empty values are skipped.
func (s *Server) aggregate(t *table, rows []record, f, agg string) string {
	var vals []string
	for _, rec := range rows {
		if v := s.value(t, rec, f); v != "" {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		return ""
	}
	switch agg {
	case "min":
		return slices.MinFunc(vals, compareValues)
	case "max":
		return slices.MaxFunc(vals, compareValues)
	}
	sum := 0.0
	for _, v := range vals {
		n, _ := strconv.ParseFloat(v, 64)
		sum += n
	}
	if agg == "avg" {
		return strconv.FormatFloat(sum/float64(len(vals)), 'f', 4, 64)
	}
	return strconv.FormatFloat(sum, 'f', -1, 64)
}

type statGroup struct {
	key  []string
	rows []record
}

// groups answers a sysparm_group_by request. Caller holds s.mu.
func (s *Server) groups(t *table, rows []record, by []string, q url.Values) []map[string]any {
	var groups []*statGroup
	index := map[string]*statGroup{}
	for _, rec := range rows {
		key := make([]string, len(by))
		for i, f := range by {
			key[i] = s.value(t, rec, f)
		}
		k := strings.Join(key, "\x00")
		g := index[k]
		if g == nil {
			g = &statGroup{key: key}
			index[k] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, rec)
	}
	groups = s.having(t, groups, q.Get("sysparm_having"))
	s.orderGroups(t, groups, by, q.Get("sysparm_order_by"))
	display := strings.ToLower(q.Get("sysparm_display_value"))
	out := make([]map[string]any, len(groups))
	for i, g := range groups {
		fields := make([]map[string]string, len(by))
		for j, f := range by {
			ft, _, name, _ := s.resolve(t, nil, f)
			entry := map[string]string{"field": f, "value": g.key[j]}
			switch display {
			case "true":
				entry["value"] = s.displayValue(ft, name, g.key[j])
			case "all":
				entry["display_value"] = s.displayValue(ft, name, g.key[j])
			}
			fields[j] = entry
		}
		out[i] = map[string]any{"stats": s.stats(t, g.rows, q), "groupby_fields": fields}
	}
	return out
}

// orderGroups sorts by the group values, or by sysparm_order_by: a field,
// COUNT, or AGG^field, each optionally followed by ^DESC.
func (s *Server) orderGroups(t *table, groups []*statGroup, by []string, orderBy string) {
	parts := strings.Split(orderBy, "^")
	desc := len(parts) > 1 && strings.EqualFold(parts[len(parts)-1], "DESC")
	if desc {
		parts = parts[:len(parts)-1]
	}
	key := func(g *statGroup) string { return strings.Join(g.key, "\x00") }
	switch {
	case len(parts) == 1 && strings.EqualFold(parts[0], "COUNT"):
		key = func(g *statGroup) string { return strconv.Itoa(len(g.rows)) }
	case len(parts) == 2 && slices.Contains(aggregates, strings.ToLower(parts[0])):
		agg, f := strings.ToLower(parts[0]), parts[1]
		key = func(g *statGroup) string { return s.aggregate(t, g.rows, f, agg) }
	case len(parts) == 1 && slices.Contains(by, parts[0]):
		i := slices.Index(by, parts[0])
		key = func(g *statGroup) string { return g.key[i] }
	}
	slices.SortStableFunc(groups, func(a, b *statGroup) int {
		c := compareValues(key(a), key(b))
		if desc {
			c = -c
		}
		return c
	})
}

// having keeps the groups that pass every sysparm_having condition,
// "aggregate^field^operator^value" joined by commas, such as
// "count^priority^>^3" or "avg^urgency^<=^2". A malformed one is logged
// and ignored.
func (s *Server) having(t *table, groups []*statGroup, having string) []*statGroup {
	for _, h := range strings.Split(having, ",") {
		if h == "" {
			continue
		}
		p := strings.Split(h, "^")
		agg := ""
		if len(p) == 4 {
			agg = strings.ToLower(p[0])
		}
		if agg != "count" && !slices.Contains(aggregates, agg) || !slices.Contains([]string{"=", "!=", "<", "<=", ">", ">="}, p[min(2, len(p)-1)]) {
			s.logf("emulator: stats %s: ignored sysparm_having %q: want aggregate^field^operator^value", t.name, h)
			continue
		}
		groups = slices.DeleteFunc(groups, func(g *statGroup) bool {
			v := strconv.Itoa(len(g.rows))
			if agg != "count" {
				v = s.aggregate(t, g.rows, p[1], agg)
			}
			c, ok := compareNumbers(v, p[3])
			if !ok {
				return true
			}
			switch p[2] {
			case "=":
				return c != 0
			case "!=":
				return c == 0
			}
			return !compareOp(p[2], c)
		})
	}
	return groups
}

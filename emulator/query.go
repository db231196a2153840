package emulator

import "strings"

// An encoded query: "^NQ" separates OR'ed groups, "^" ANDs terms, "^OR"
// ORs a condition with the one before, ORDERBY/ORDERBYDESC sort. Field
// names, operators and values are case-sensitive, as ServiceNow documents.

type condition struct{ field, op, value string }

type order struct {
	field string
	desc  bool
}

type query struct {
	groups  [][][]condition // groups (OR) of terms (AND) of alternatives (OR)
	order   []order
	ignored []string // terms with an operator the emulator does not know
}

// Operators lists the encoded-query operators the emulator evaluates.
// Longest first where one is a prefix of another.
var Operators = []string{
	"!=", "<=", ">=", "=", "<", ">",
	"NOT LIKE", "LIKE", "STARTSWITH", "ENDSWITH", "NOT IN", "IN",
	"ISNOTEMPTY", "ISEMPTY", "EMPTYSTRING", "ANYTHING", "BETWEEN",
	"NSAMEAS", "SAMEAS", "NOTON", "ON",
	"GT_OR_EQUALS_FIELD", "LT_OR_EQUALS_FIELD", "GT_FIELD", "LT_FIELD",
}

// unsupported are operators that would otherwise be read as a shorter
// supported one ("INSTANCEOF" as "IN").
var unsupported = []string{"INSTANCEOF"}

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
				} else {
					q.ignored = append(q.ignored, term)
				}
			default:
				if c, ok := parseCondition(term); ok {
					terms = append(terms, []condition{c})
				} else {
					q.ignored = append(q.ignored, term)
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
	for _, op := range unsupported {
		if strings.HasPrefix(rest, op) {
			return condition{}, false
		}
	}
	for _, op := range Operators {
		if v, ok := strings.CutPrefix(rest, op); ok {
			return condition{term[:i], op, v}, true
		}
	}
	return condition{}, false
}

package emulator

import (
	"net/http"
	"slices"
)

// ACL operations.
const (
	OpRead  = "read"
	OpWrite = "write" // create, update and delete
)

// ACLRule lets users with any of Roles perform Operation on Table. An empty
// Roles list lets every signed-in user. A table with no rule for an
// operation is closed to all but admin, who passes every check.
type ACLRule struct {
	Table     string
	Operation string
	Roles     []string
}

// DefaultACL is the access table a Server uses when Config.ACL is nil.
var DefaultACL = []ACLRule{
	{Table: "incident", Operation: OpRead, Roles: []string{"itil"}},
	{Table: "incident", Operation: OpWrite, Roles: []string{"itil"}},
	{Table: "sn_bom_financial_service", Operation: OpRead, Roles: []string{"itil"}},
	{Table: "sn_bom_financial_service", Operation: OpWrite, Roles: []string{"itil"}},
	{Table: "sys_user", Operation: OpRead},
}

// allowed reports whether user may perform op on table.
func (s *Server) allowed(user, table, op string) bool {
	roles := s.roles[user]
	if slices.Contains(roles, "admin") {
		return true
	}
	acl := s.cfg.ACL
	if acl == nil {
		acl = DefaultACL
	}
	for _, r := range acl {
		if r.Table != table || r.Operation != op {
			continue
		}
		if len(r.Roles) == 0 || slices.ContainsFunc(r.Roles, func(x string) bool { return slices.Contains(roles, x) }) {
			return true
		}
	}
	return false
}

// ServiceNow's answers when an ACL refuses a request.
func queryForbidden(w http.ResponseWriter, r *http.Request) {
	apiError(w, r, http.StatusForbidden, "Insufficient rights to query records", "Fields present in the query do not have permission to be read")
}

func writeForbidden(w http.ResponseWriter, r *http.Request, action string) {
	apiError(w, r, http.StatusForbidden, "Operation Failed", "ACL Exception "+action+" Failed due to security constraints")
}

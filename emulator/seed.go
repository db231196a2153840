package emulator

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// Demo users; each password equals the user name.
var seedUsers = []struct {
	user, first, last, title string
	roles                    []string
}{
	{"admin", "System", "Administrator", "System Administrator", []string{"admin"}},
	{"abel.tuter", "Abel", "Tuter", "Senior Developer", []string{"itil"}},
	{"beth.anglin", "Beth", "Anglin", "Service Desk Analyst", []string{"itil"}},
	{"charlie.whitherspoon", "Charlie", "Whitherspoon", "Network Engineer", []string{"itil"}},
	{"david.loo", "David", "Loo", "IT Manager", []string{"itil"}},
	{"fred.luddy", "Fred", "Luddy", "Relationship Manager", nil},
}

// adminID is the sys_id real instances give the admin user.
const adminID = "6816f79cc0a8016401c5a33be04be441"

var incidentTopics = []struct{ text, category string }{
	{"Email not syncing on mobile device", "software"},
	{"VPN disconnects every few minutes", "network"},
	{"Laptop battery drains quickly", "hardware"},
	{"Cannot access shared drive", "network"},
	{"Password reset request", "inquiry"},
	{"Printer on 3rd floor jams", "hardware"},
	{"Database query timeout in reporting", "database"},
	{"Expense application crashes on submit", "software"},
	{"Wi-Fi slow in conference room", "network"},
	{"Need access to CRM dashboard", "inquiry"},
	{"Monitor flickering intermittently", "hardware"},
	{"Nightly backup job failed", "database"},
	{"Calendar invites not delivered", "software"},
	{"Keyboard keys unresponsive", "hardware"},
	{"Question about remote work policy", "inquiry"},
}

var caseTopics = []struct{ text, account, product string }{
	{"Dispute a card transaction", "Boxeo Bank", "Credit Card"},
	{"Update mailing address on account", "Cedar Savings", "Checking Account"},
	{"Wire transfer delayed", "Northwind Credit Union", "Wire Transfer"},
	{"Request mortgage payoff statement", "Boxeo Bank", "Mortgage"},
	{"Report lost debit card", "Harbor Trust", "Debit Card"},
	{"Increase credit limit", "Cedar Savings", "Credit Card"},
	{"Close savings account", "Northwind Credit Union", "Savings Account"},
}

func seedID(parts ...any) string {
	sum := md5.Sum([]byte(fmt.Sprint(parts...)))
	return hex.EncodeToString(sum[:])
}

// seed builds the tables and their deterministic demo data.
func (s *Server) seed() {
	users, incident, cases := seedTables()
	attachments := newTable(attachmentTable, "file_name", attachmentFields)
	s.tables = map[string]*table{users.name: users, incident.name: incident, cases.name: cases, attachments.name: attachments}

	base := time.Date(2024, 1, 2, 8, 0, 0, 0, time.UTC)
	ids := s.seedUsers(users, base)
	rng := rand.New(rand.NewPCG(20240102, 1))
	pick := func() string { return ids[1+rng.IntN(len(ids)-1)] }
	n := s.cfg.Incidents
	if n <= 0 {
		n = 300
	}
	seedIncidents(incident, n, base, rng, pick)
	for i := range min(n, 3) { // the newest, which the demo shows first
		inc := incident.rows[n-1-i]
		text := "Notes for " + inc["number"] + ": " + inc["short_description"] + ".\n"
		s.attach(inc["sys_created_on"], "admin", record{
			"sys_id": seedID("sys_attachment", i), "table_name": "incident", "table_sys_id": inc["sys_id"],
			"file_name": "notes.txt", "content_type": "text/plain",
		}, []byte(text))
	}
	seedCases(cases, base, rng, pick)
}

// seedTables are the user, incident and case tables, empty.
func seedTables() (users, incident, cases *table) {
	users = newTable("sys_user", "name", []string{
		"user_name", "first_name", "last_name", "name", "email", "title",
		"phone", "mobile_phone", "active", "locked_out", "time_zone",
	})
	users.defaults = map[string]string{"active": "true", "locked_out": "false"}

	incident = newTable("incident", "number", []string{
		"number", "short_description", "description", "state", "priority",
		"urgency", "impact", "category", "caller_id", "assigned_to",
		"opened_by", "opened_at", "active",
	})
	incident.prefix, incident.next = "INC", 10001
	incident.refs = map[string]string{"caller_id": "sys_user", "assigned_to": "sys_user", "opened_by": "sys_user"}
	levels := map[string]string{"1": "1 - High", "2": "2 - Medium", "3": "3 - Low"}
	priorities := map[string]string{"1": "1 - Critical", "2": "2 - High", "3": "3 - Moderate", "4": "4 - Low", "5": "5 - Planning"}
	incident.choices = map[string]map[string]string{
		"state":    {"1": "New", "2": "In Progress", "3": "On Hold", "6": "Resolved", "7": "Closed", "8": "Canceled"},
		"priority": priorities, "urgency": levels, "impact": levels,
		"category": {"inquiry": "Inquiry / Help", "software": "Software", "hardware": "Hardware", "network": "Network", "database": "Database"},
	}
	incident.defaults = map[string]string{"state": "1", "urgency": "3", "impact": "3", "priority": "5", "category": "inquiry", "active": "true"}
	incident.stamped = []string{"opened_at"}

	cases = newTable("sn_bom_financial_service", "number", []string{
		"number", "short_description", "description", "state", "priority",
		"account", "contact", "product", "assigned_to", "opened_at", "active",
	})
	cases.prefix, cases.next = "FSC", 1001
	cases.refs = map[string]string{"assigned_to": "sys_user"}
	cases.choices = map[string]map[string]string{
		"state":    {"1": "New", "10": "Open", "18": "Awaiting Info", "6": "Resolved", "3": "Closed", "7": "Cancelled"},
		"priority": priorities,
	}
	cases.defaults = map[string]string{"state": "1", "priority": "4", "active": "true"}
	cases.stamped = []string{"opened_at"}
	return users, incident, cases
}

// seedUsers adds the demo users and returns their IDs, the admin's first.
func (s *Server) seedUsers(users *table, base time.Time) []string {
	var ids []string
	for i, u := range seedUsers {
		id := seedID("sys_user", u.user)
		if u.user == "admin" {
			id = adminID
		}
		ids = append(ids, id)
		s.passwords[u.user] = u.user
		s.roles[id] = u.roles
		created := stamp(base.Add(-time.Duration(len(seedUsers)-i) * 24 * time.Hour))
		users.add(record{
			"sys_id": id, "user_name": u.user, "first_name": u.first, "last_name": u.last,
			"name": u.first + " " + u.last, "email": u.user + "@example.com", "title": u.title,
			"phone": fmt.Sprintf("+1 555 010 %04d", 1000+i), "mobile_phone": "", "active": "true",
			"locked_out": "false", "time_zone": "America/Los_Angeles",
			"sys_created_on": created, "sys_updated_on": created, "sys_created_by": "admin",
			"sys_updated_by": "admin", "sys_mod_count": "0",
		})
	}
	return ids
}

// seedIncidents adds n incidents; pick chooses a user other than admin.
func seedIncidents(incident *table, n int, base time.Time, rng *rand.Rand, pick func() string) {
	states := []string{"1", "1", "2", "2", "3", "6", "7", "8"}
	for i := range n {
		topic := incidentTopics[rng.IntN(len(incidentTopics))]
		urgency, impact := 1+rng.IntN(3), 1+rng.IntN(3)
		state := states[rng.IntN(len(states))]
		assigned := pick()
		if state == "1" && rng.IntN(2) == 0 {
			assigned = ""
		}
		opened := base.Add(time.Duration(i)*7*time.Hour + time.Duration(rng.IntN(60))*time.Minute)
		caller := pick()
		incident.add(record{
			"sys_id": seedID("incident", i), "number": incident.nextNumber(),
			"short_description": topic.text,
			"description":       "User reports: " + topic.text + ". Raised through the service portal.",
			"state":             state, "urgency": strconv.Itoa(urgency), "impact": strconv.Itoa(impact),
			"priority": strconv.Itoa(urgency + impact - 1), "category": topic.category,
			"caller_id": caller, "assigned_to": assigned, "opened_by": caller,
			"opened_at": stamp(opened), "active": strconv.FormatBool(state <= "3"), // New, In Progress, On Hold
			"sys_created_on": stamp(opened), "sys_updated_on": stamp(opened.Add(time.Duration(rng.IntN(72)) * time.Hour)),
			"sys_created_by": "admin", "sys_updated_by": "admin", "sys_mod_count": strconv.Itoa(rng.IntN(6)),
		})
	}
}

// seedCases adds 20 financial services cases.
func seedCases(cases *table, base time.Time, rng *rand.Rand, pick func() string) {
	caseStates := []string{"1", "10", "10", "18", "6", "3"}
	for i := range 20 {
		topic := caseTopics[rng.IntN(len(caseTopics))]
		state := caseStates[rng.IntN(len(caseStates))]
		opened := base.Add(time.Duration(i)*31*time.Hour + time.Duration(rng.IntN(60))*time.Minute)
		cases.add(record{
			"sys_id": seedID("sn_bom_financial_service", i), "number": cases.nextNumber(),
			"short_description": topic.text,
			"description":       "Customer of " + topic.account + " asks: " + topic.text + ".",
			"state":             state, "priority": strconv.Itoa(1 + rng.IntN(4)),
			"account": topic.account, "contact": fmt.Sprintf("Customer %02d", i+1), "product": topic.product,
			"assigned_to": pick(), "opened_at": stamp(opened), "active": strconv.FormatBool(state != "6" && state != "3"),
			"sys_created_on": stamp(opened), "sys_updated_on": stamp(opened),
			"sys_created_by": "admin", "sys_updated_by": "admin", "sys_mod_count": "0",
		})
	}
}

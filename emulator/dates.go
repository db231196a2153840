package emulator

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The date helpers that ServiceNow's filters put in encoded queries, such as
// "opened_atONToday@javascript:gs.daysAgoStart(0)@javascript:gs.daysAgoEnd(0)".
// The emulator evaluates them in UTC; a real instance uses the user's zone.
var (
	daysAgo      = regexp.MustCompile(`^javascript:gs\.daysAgo(Start|End)\((-?\d+)\)$`)
	dateGenerate = regexp.MustCompile(`^javascript:gs\.dateGenerate\('(\d{4}-\d{2}-\d{2})','(start|end|\d{2}:\d{2}:\d{2})'\)$`)
	plainDate    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// dateValue evaluates a javascript: date value to "YYYY-MM-DD HH:MM:SS". A
// plain date means its first second, or its last when end is set. Other
// values come back unchanged.
func (s *Server) dateValue(v string, end bool) string {
	if strings.HasPrefix(v, "javascript:") {
		v = strings.ReplaceAll(v, " ", "")
	}
	if m := daysAgo.FindStringSubmatch(v); m != nil {
		n, _ := strconv.Atoi(m[2])
		day := s.now().UTC().AddDate(0, 0, -n)
		return dayBound(day.Format(time.DateOnly), m[1] == "End")
	}
	switch v {
	case "javascript:gs.beginningOfToday()", "javascript:gs.endOfToday()":
		return dayBound(s.now().UTC().Format(time.DateOnly), v == "javascript:gs.endOfToday()")
	case "javascript:gs.beginningOfYesterday()", "javascript:gs.endOfYesterday()":
		return dayBound(s.now().UTC().AddDate(0, 0, -1).Format(time.DateOnly), v == "javascript:gs.endOfYesterday()")
	}
	if m := dateGenerate.FindStringSubmatch(v); m != nil {
		switch m[2] {
		case "start", "end":
			return dayBound(m[1], m[2] == "end")
		}
		return m[1] + " " + m[2]
	}
	if plainDate.MatchString(v) {
		return dayBound(v, end)
	}
	return v
}

func dayBound(day string, end bool) string {
	if end {
		return day + " 23:59:59"
	}
	return day + " 00:00:00"
}

// dayRange reads an ON value: "label@start@end", or a plain date.
func (s *Server) dayRange(v string) (lo, hi string, ok bool) {
	parts := strings.Split(v, "@")
	switch len(parts) {
	case 3:
		return s.dateValue(parts[1], false), s.dateValue(parts[2], true), true
	case 1:
		if plainDate.MatchString(v) {
			return dayBound(v, false), dayBound(v, true), true
		}
		switch v {
		case "Today":
			return s.dateValue("javascript:gs.daysAgoStart(0)", false), s.dateValue("javascript:gs.daysAgoEnd(0)", true), true
		case "Yesterday":
			return s.dateValue("javascript:gs.daysAgoStart(1)", false), s.dateValue("javascript:gs.daysAgoEnd(1)", true), true
		}
	}
	return "", "", false
}

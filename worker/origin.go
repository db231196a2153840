package worker

import (
	"net/url"
	"strings"

	"github.com/snworker/snworker/bridge"
)

// resolve turns a path on the instance, with an optional query, into a URL
// on the instance's origin. It refuses anything that could leave the origin
// or escape an allowed prefix: absolute and protocol-relative URLs,
// backslashes, control characters, encoded slashes, backslashes or dots,
// dot segments and fragments, and paths other servers may read otherwise
// (see oddPath).
func (c *config) resolve(p string) (*url.URL, *bridge.Error) {
	bad := func(why string) *bridge.Error {
		return paramErr("apiEndpoint %q %s; want a path on the instance, such as \"/api/now/table/incident?sysparm_limit=10\"", p, why)
	}
	if !strings.HasPrefix(p, "/") {
		if strings.Contains(p, ":") && strings.IndexByte(p, ':') < strings.IndexAny(p+"/", "/?") {
			return nil, bad("is an absolute URL")
		}
		p = "/" + p
	}
	path, query, _ := strings.Cut(p, "?")
	lower := strings.ToLower(path)
	switch {
	case strings.HasPrefix(path, "//"):
		return nil, bad("is a protocol-relative URL")
	case strings.ContainsAny(p, "\\#") || hasControl(p) || strings.ContainsRune(path, ' '):
		return nil, bad("has a backslash, '#', control character or a space in its path")
	case strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") || strings.Contains(lower, "%2e") || strings.Contains(lower, "%00"):
		return nil, bad("has an encoded slash, backslash, dot or NUL")
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "." || seg == ".." {
			return nil, bad("has a '.' or '..' segment")
		}
	}
	unescaped, err := url.PathUnescape(path)
	if err != nil {
		return nil, bad("has a malformed %-escape")
	}
	if why := oddPath(path, unescaped); why != "" {
		return nil, bad(why)
	}
	query = strings.ReplaceAll(query, " ", "%20")
	u := &url.URL{Scheme: c.instance.Scheme, Host: c.instance.Host, Path: unescaped, RawPath: path, RawQuery: query}
	if u.Scheme != c.instance.Scheme || u.Host != c.instance.Host {
		return nil, bad("leaves the instance")
	}
	if !c.allowed(path) {
		return nil, paramErr("apiEndpoint %q is outside the allowed paths %q; want a path under one of them", p, c.allowedPaths)
	}
	return u, nil
}

func (c *config) allowed(path string) bool {
	if len(c.allowedPaths) == 0 {
		return true
	}
	for _, a := range c.allowedPaths {
		if under(path, a) {
			return true
		}
	}
	return false
}

// under reports whether path is prefix or lies below it, matching whole
// segments: "/api/now/table/incident" holds "/api/now/table/incident/1"
// but not "/api/now/table/incident_task". A prefix ending in '/' holds
// what starts with it.
func under(path, prefix string) bool {
	if !strings.HasPrefix(path, prefix) {
		return false
	}
	return len(path) == len(prefix) || strings.HasSuffix(prefix, "/") || path[len(prefix)] == '/'
}

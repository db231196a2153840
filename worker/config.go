// Package worker is the part of snworker that holds the tokens. It runs the
// OAuth authorization code flow with PKCE, refreshes and revokes tokens, and
// sends every API request, answering the module's requests (package bridge)
// with results that never hold a token. The logic here is plain Go over an
// *http.Client; package webworker adapts it to a Web Worker.
package worker

import (
	"net/url"
	"slices"
	"strings"

	"github.com/snworker/snworker/bridge"
	"golang.org/x/oauth2"
)

// config is a checked bridge.InitParams.
type config struct {
	instance     *url.URL // scheme and host only
	oauth        *oauth2.Config
	clientID     string
	redirectURI  string
	revokeURL    string
	openFin      bool // revoke in the OpenFin Store-app form
	allowedPaths []string
	discover     bool                    // find the endpoints this origin can read
	hint         *bridge.EndpointsResult // with discover: checked first
	endpoints    bridge.EndpointsResult  // in use, once known
}

func newConfig(p *bridge.InitParams) (*config, *bridge.Error) {
	inst, err := instanceURL(p.InstanceURL)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(p.ClientID) == "" || hasControl(p.ClientID) {
		return nil, paramErr("clientId %q is not a client ID; want the OAuth application's client ID from ServiceNow", p.ClientID)
	}
	redirect, perr := url.Parse(p.RedirectURI)
	if perr != nil || (redirect.Scheme != "https" && redirect.Scheme != "http") || redirect.Host == "" || redirect.Fragment != "" {
		return nil, paramErr("redirectUri %q is not an absolute http(s) URL without a fragment; want the redirect URL registered on the OAuth application", p.RedirectURI)
	}
	for _, s := range p.Scopes {
		if s == "" || strings.ContainsAny(s, " \t\r\n\"\\") || hasControl(s) {
			return nil, paramErr("scope %q is not a scope; want a name without spaces, such as \"useraccount\"", s)
		}
	}
	c := &config{instance: inst, clientID: p.ClientID, redirectURI: p.RedirectURI}
	c.oauth = &oauth2.Config{
		ClientID:    p.ClientID,
		RedirectURL: p.RedirectURI,
		Scopes:      p.Scopes,
		Endpoint:    oauth2.Endpoint{AuthURL: inst.String() + "/oauth_auth.do", AuthStyle: oauth2.AuthStyleInParams},
	}
	mode := orDefault(p.Endpoints, bridge.EndpointsAuto)
	if mode == bridge.EndpointsAuto && p.TokenPath != "" {
		mode = bridge.EndpointsServiceNow // an explicit tokenPath needs no check
	}
	def := servicenowEndpoints
	if mode == bridge.EndpointsOpenFin {
		def = openFinEndpoints
	}
	tokenPath := orDefault(p.TokenPath, def.TokenPath)
	revokePath := orDefault(p.RevokePath, def.RevokePath)
	for _, ep := range []struct{ field, path string }{{"tokenPath", tokenPath}, {"revokePath", revokePath}} {
		if _, err := c.resolve(ep.path); err != nil {
			return nil, paramErr("%s %q is not a path on the instance; want a path such as %q", ep.field, ep.path, bridge.DefaultTokenPath)
		}
	}
	for _, a := range p.AllowedPaths {
		if _, err := c.resolve(a); err != nil || !strings.HasPrefix(a, "/") || strings.Contains(a, "?") {
			return nil, paramErr("allowedPaths entry %q is not a path prefix; want a path such as \"/api/now/table/\"", a)
		}
	}
	clashes := []struct{ field, path string }{{"tokenPath", tokenPath}, {"revokePath", revokePath}}
	if mode == bridge.EndpointsAuto { // either may be found
		clashes = append(clashes, struct{ field, path string }{"tokenPath", bridge.OpenFinTokenPath},
			struct{ field, path string }{"revokePath", bridge.OpenFinRevokePath})
	}
	for _, ep := range clashes {
		if err := apiClash(ep.field, ep.path, p.AllowedPaths); err != nil {
			return nil, err
		}
	}
	if err := revocable(revokePath); err != nil {
		return nil, err
	}
	c.allowedPaths = p.AllowedPaths
	c.discover = mode == bridge.EndpointsAuto
	switch p.Hint {
	case "":
	case bridge.EndpointsServiceNow:
		c.hint = &servicenowEndpoints
	case bridge.EndpointsOpenFin:
		c.hint = &openFinEndpoints
	default:
		return nil, paramErr("hint %q is not a set of endpoints; want %q or %q", p.Hint, bridge.EndpointsServiceNow, bridge.EndpointsOpenFin)
	}
	if !c.discover {
		c.use(bridge.EndpointsResult{TokenPath: tokenPath, RevokePath: revokePath, UserInfoPath: def.UserInfoPath})
	}
	return c, nil
}

// The endpoints of an instance's own OAuth, and of the OpenFin Store app.
var (
	servicenowEndpoints = bridge.EndpointsResult{TokenPath: bridge.DefaultTokenPath, RevokePath: bridge.DefaultRevokePath}
	openFinEndpoints    = bridge.EndpointsResult{TokenPath: bridge.OpenFinTokenPath, RevokePath: bridge.OpenFinRevokePath,
		UserInfoPath: bridge.OpenFinUserPath}
)

// use sets the endpoints the session uses.
func (c *config) use(e bridge.EndpointsResult) {
	c.endpoints = e
	c.oauth.Endpoint.TokenURL = c.instance.String() + e.TokenPath
	c.revokeURL = c.instance.String() + e.RevokePath
	c.openFin = e.RevokePath == bridge.OpenFinRevokePath
}

// tableAPI is where the Table API lives; /api/now/v1/table and v2 too.
const tableAPI = "/api/now"

// apiClash refuses a token or revoke path that API requests could also
// reach: the worker posts tokens there, so a Table API path or one under
// allowedPaths would store or echo them where page script can read them,
// and a revocation sent there would not revoke.
func apiClash(field, path string, allowed []string) *bridge.Error {
	p, _, _ := strings.Cut(strings.ToLower(path), "?")
	if under(p, tableAPI) {
		return paramErr("%s %q is under the Table API (%s/); want the instance's OAuth endpoint, such as %q, or the OpenFin Store app's", field, path, tableAPI, defaultFor(field))
	}
	for _, a := range allowed {
		if under(p, strings.ToLower(a)) {
			return paramErr("%s %q is under allowedPaths entry %q, so API requests could reach it; want allowedPaths that leave out the token endpoints, or %s %q", field, path, a, field, defaultFor(field))
		}
	}
	return nil
}

// revocable refuses a revokePath that cannot be a revocation endpoint: the
// site's root, or a path whose last segment does not name revocation, such
// as a page. A revocation sent there would answer and revoke nothing.
func revocable(path string) *bridge.Error {
	p, _, _ := strings.Cut(path, "?")
	last := p[strings.LastIndexByte(p, '/')+1:]
	if strings.Contains(strings.ToLower(last), "revoke") {
		return nil
	}
	return paramErr("revokePath %q cannot be a revocation endpoint: its last path segment does not name revoke; want the instance's %q, the OpenFin Store app's %q, or an RFC 7009 endpoint of your own whose name says revoke",
		path, bridge.DefaultRevokePath, bridge.OpenFinRevokePath)
}

func defaultFor(field string) string {
	if field == "revokePath" {
		return bridge.DefaultRevokePath
	}
	return bridge.DefaultTokenPath
}

// instanceURL checks an instance URL: https, or http on a loopback host,
// with no path, query, fragment or credentials.
func instanceURL(s string) (*url.URL, *bridge.Error) {
	bad := func() *bridge.Error {
		return paramErr("instanceUrl %q is not an instance URL; want https://<name>.service-now.com (http only on localhost)", s)
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
		(u.Path != "" && u.Path != "/") || hasControl(s) || strings.Contains(s, "\\") {
		return nil, bad()
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !loopback(u.Hostname()) {
			return nil, bad()
		}
	default:
		return nil, bad()
	}
	return &url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host)}, nil
}

func loopback(host string) bool {
	return slices.Contains(bridge.LoopbackHosts, host)
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func paramErr(format string, args ...any) *bridge.Error {
	return bridge.Errorf(bridge.NameParameter, format, args...)
}

package emulator

import "time"

// Client is an OAuth application registry entry.
type Client struct {
	ID           string
	Secret       string        // empty for a public (PKCE) client
	RedirectURIs []string      // exact-match registered redirect URLs
	AccessTTL    time.Duration // default 1800s
	RefreshTTL   time.Duration // default 100 days
	Rotate       bool          // refresh-token rotation, off by default
}

// Config configures a Server.
type Config struct {
	Clients []Client
	// AllowedOrigins are CORS origins for /api/*: exact origins,
	// "http://127.0.0.1:*" style port wildcards, or "*".
	AllowedOrigins []string
	// TokenCORS makes /oauth_token.do and /oauth_revoke_token.do send CORS
	// headers (a real instance does not).
	TokenCORS bool
	// CORSMaxAge is the Access-Control-Max-Age of preflight answers, in
	// seconds; 0 (ServiceNow's default) lets no browser cache a preflight.
	CORSMaxAge int
	// TestControls enables the /__emulator/* control endpoints.
	TestControls bool
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Incidents is how many incident records to seed; default 300.
	Incidents int
	// Logf reports what a developer should see, such as query terms the
	// emulator ignored; default log.Printf.
	Logf func(format string, args ...any)
	// ACL is the access table; nil means DefaultACL.
	ACL []ACLRule
	// BasicAuth lets the REST APIs also take HTTP Basic credentials of the
	// seeded users, as an instance does by default; off, only bearer tokens.
	BasicAuth bool
	// StrictPublicClients follows ServiceNow's documentation for public
	// (PKCE) clients: no refresh token from the code exchange and no
	// refresh grant without a client secret. Off by default, because
	// worker/ refreshes as a public client; see docs/emulator.md.
	StrictPublicClients bool
	// NoRevokeCascade makes revoking a refresh token revoke that token
	// alone: the access tokens issued with it live until they expire, as
	// on a server that does not cascade (RFC 7009 leaves it open). Off by
	// default: the emulator revokes them too.
	NoRevokeCascade bool
}

const (
	defaultAccessTTL  = 1800 * time.Second
	defaultRefreshTTL = 100 * 24 * time.Hour
)

func (c Client) public() bool { return c.Secret == "" }

func (c Client) registered(redirectURI string) bool {
	for _, u := range c.RedirectURIs {
		if u == redirectURI {
			return true
		}
	}
	return false
}

func withDefaults(c Client) Client {
	if c.AccessTTL <= 0 {
		c.AccessTTL = defaultAccessTTL
	}
	if c.RefreshTTL <= 0 {
		c.RefreshTTL = defaultRefreshTTL
	}
	c.RedirectURIs = append([]string(nil), c.RedirectURIs...)
	return c
}

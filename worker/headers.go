package worker

import "strings"

// overriding are request headers with which some servers, proxies and
// frameworks let a request change its method, path, host or client address
// after the worker has checked them. The worker refuses them.
var overriding = map[string]bool{
	"x-http-method-override": true, "x-http-method": true, "x-method-override": true,
	"x-original-url": true, "x-rewrite-url": true, "x-original-method": true,
	"forwarded": true, "x-host": true, "x-original-host": true, "x-http-host-override": true,
	"x-real-ip": true, "x-client-ip": true, "true-client-ip": true,
}

// overridingPrefixes are prefixes of such headers: X-Forwarded-For, -Host,
// -Proto, -Prefix, -Port, ….
var overridingPrefixes = []string{"x-forwarded-"}

// overrides reports whether the header named lower (lower case) is one of them.
func overrides(lower string) bool {
	if overriding[lower] {
		return true
	}
	for _, p := range overridingPrefixes {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	return false
}

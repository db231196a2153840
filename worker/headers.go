package worker

import (
	"slices"
	"strings"

	"github.com/snworker/snworker/bridge"
)

// overrides reports whether the header named lower (lower case) could
// change the method, path, host or client address on some servers.
func overrides(lower string) bool {
	return slices.Contains(bridge.OverrideHeaders, lower) ||
		slices.ContainsFunc(bridge.OverrideHeaderPrefixes, func(p string) bool { return strings.HasPrefix(lower, p) })
}

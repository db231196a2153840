//go:build !js

package bridge

import (
	"flag"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite js/protocol.js")

const protocolJS = "../js/protocol.js"

func TestJSModule(t *testing.T) {
	want := JSModule()
	if *update {
		require.NoError(t, os.WriteFile(protocolJS, []byte(want), 0o644))
	}
	got, err := os.ReadFile(protocolJS)
	require.NoError(t, err)
	assert.Equal(t, want, string(got), "js/protocol.js is stale: run `go test ./bridge/ -run TestJSModule -update`")
}

// Every op and error name must reach JS with a key.
func TestJSModuleCoversProtocol(t *testing.T) {
	for _, e := range ops() {
		assert.NotEmpty(t, e.key, "op %q has no JS key in ops()", e.value)
	}
	var names []string
	for _, e := range errorNames {
		names = append(names, e.value.(string))
	}
	for _, name := range ErrorNames {
		assert.True(t, slices.Contains(names, name), "error name %q is missing from errorNames", name)
	}
	assert.Len(t, names, len(ErrorNames))
}

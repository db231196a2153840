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

var update = flag.Bool("update", false, "rewrite ../js/protocol.js from JSModule()")

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

// Every op, error and event name must reach JS: a new constant needs a row in jsTables.
func TestJSModuleCoversProtocol(t *testing.T) {
	values := func(table string) []any {
		for _, tb := range jsTables {
			if tb.name == table {
				var out []any
				for _, e := range tb.entries {
					out = append(out, e.value)
				}
				return out
			}
		}
		t.Fatalf("no table %s", table)
		return nil
	}
	for _, op := range Ops {
		assert.True(t, slices.Contains(values("Op"), any(string(op))), "op %q is missing from jsTables", op)
	}
	for _, name := range ErrorNames {
		assert.True(t, slices.Contains(values("ErrorName"), any(name)), "error name %q is missing from jsTables", name)
	}
	for _, name := range Events {
		assert.True(t, slices.Contains(values("EventName"), any(name)), "event %q is missing from jsTables", name)
	}
	assert.Len(t, values("Op"), len(Ops))
	assert.Len(t, values("EventName"), len(Events))
	assert.Len(t, values("ErrorName"), len(ErrorNames))
}

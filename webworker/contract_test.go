//go:build !js

package webworker

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/snworker/snworker/bridge"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the generated block of worker.js")

// The lines around the generated block in worker.js.
const (
	blockBegin = "// BEGIN generated from Go by `go test ./webworker/ -run TestBootstrapBlock -update`. DO NOT EDIT."
	blockEnd   = "// END generated"
)

func block() string {
	return blockBegin + "\n" + bridge.BootstrapConstants(
		bridge.JSConst{Name: "Bootstrap", Entries: bootstrap},
		bridge.JSConst{Name: "Exports", Entries: exports},
		bridge.JSConst{Name: "FetchOption", Entries: [][2]string{{"mode", bridge.FetchModeHeader}}},
	) + blockEnd + "\n"
}

func TestBootstrapBlock(t *testing.T) {
	src, err := os.ReadFile("worker.js")
	require.NoError(t, err)
	before, rest, ok := strings.Cut(string(src), blockBegin+"\n")
	require.True(t, ok, "worker.js has no line %q", blockBegin)
	_, after, ok := strings.Cut(rest, blockEnd+"\n")
	require.True(t, ok, "worker.js has no line %q", blockEnd)
	want := before + block() + after
	if *update {
		require.NoError(t, os.WriteFile("worker.js", []byte(want), 0o644))
		src = []byte(want)
	}
	assert.Equal(t, want, string(src), "worker.js's generated block is stale: run `go test ./webworker/ -run TestBootstrapBlock -update`")
}

// The bootstrap calls exactly the functions Go exports.
func TestBootstrapCallsWhatGoExports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var exported []string
	directive := regexp.MustCompile(`(?m)^//go:wasmexport (\S+)$`)
	for _, f := range files {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range directive.FindAllStringSubmatch(string(src), -1) {
			exported = append(exported, m[1])
		}
	}
	var contract []string
	for _, e := range exports {
		contract = append(contract, e[1])
	}
	slices.Sort(exported)
	slices.Sort(contract)
	assert.Equal(t, contract, exported, "the //go:wasmexport names against the contract's exports (contract.go)")

	js, err := os.ReadFile("worker.js")
	require.NoError(t, err)
	_, code, _ := strings.Cut(string(js), blockEnd) // past the generated block
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`\bExports\.(\w+)`).FindAllStringSubmatch(code, -1) {
		used[m[1]] = true
	}
	for _, e := range exports {
		assert.True(t, used[e[0]], "worker.js never calls Exports.%s (%s)", e[0], e[1])
		delete(used, e[0])
	}
	assert.Empty(t, used, "worker.js calls exports the contract does not have")
}

// The bootstrap serves every function Go calls on it.
func TestBootstrapServesWhatGoCalls(t *testing.T) {
	js, err := os.ReadFile("worker.js")
	require.NoError(t, err)
	_, code, _ := strings.Cut(string(js), blockEnd)
	for _, e := range bootstrap[1:] {
		assert.Contains(t, code, "[Bootstrap."+e[0]+"]", "worker.js has no %s", e[1])
	}
}

//go:build !js

package wasmbuild

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Makefile builds dist/snworker.wasm with the same flags.
func TestMakefileAgrees(t *testing.T) {
	root, err := Root()
	require.NoError(t, err)
	mk, err := os.ReadFile(filepath.Join(root, "Makefile"))
	require.NoError(t, err)
	want := "-tags " + Flags[2] + " " + Flags[3] + " " + Flags[4] + " -ldflags='" + strings.TrimPrefix(Flags[5], "-ldflags=") + "'"
	assert.Contains(t, string(mk), Flags[0]+" "+want, "the Makefile's wasm rule and wasmbuild.Flags differ")
}

// The Makefile's dist/worker.js rule replaces the same line.
func TestMakefileWorkerAgrees(t *testing.T) {
	root, err := Root()
	require.NoError(t, err)
	mk, err := os.ReadFile(filepath.Join(root, "Makefile"))
	require.NoError(t, err)
	assert.Contains(t, string(mk), "WASM_EXEC_IMPORT := "+WasmExecImport)
}

func TestModule(t *testing.T) {
	root, err := Root()
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, Module(context.Background(), root, dir))
	for _, f := range []string{"servicenow.js", "worker.js", "redirect.html", "wasm_exec.js", "snworker.wasm"} {
		info, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err, f)
		assert.Positive(t, info.Size(), f)
	}
	worker, err := os.ReadFile(filepath.Join(dir, "worker.js"))
	require.NoError(t, err)
	assert.NotContains(t, string(worker), WasmExecImport, "worker.js still imports wasm_exec.js")
	assert.Contains(t, string(worker), "globalThis.Go = class", "worker.js lacks Go's wasm_exec.js")
}

//go:build !js

// Package wasmbuild builds the worker's wasm and the module folder as
// `make build` does, for the tests and the benchmark that need fresh ones.
package wasmbuild

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Flags are the go build flags of the shipped worker; the Makefile's
// dist/snworker.wasm rule uses the same. No inlining outside the runtime
// makes the compressed wasm 10% smaller.
var Flags = []string{"-trimpath", "-tags", "nethttpomithttp2", "-gcflags=all=-l", "-gcflags=runtime=", "-ldflags=-s -w"}

// Root is the module's root folder, found from the working directory.
func Root() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		return "", fmt.Errorf("wasmbuild: no go.mod above the working directory (%v)", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out))), nil
}

// Build compiles pkg, a path relative to root such as ./worker/cmd/snworker,
// for js/wasm into out. With symbols the symbol table stays, for profiles.
func Build(ctx context.Context, root, pkg, out string, symbols bool) error {
	flags := Flags
	if symbols {
		flags = slices.DeleteFunc(slices.Clone(Flags), func(f string) bool { return strings.HasPrefix(f, "-ldflags") })
	}
	args := append(append([]string{"build"}, flags...), "-o", out, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("GOOS=js GOARCH=wasm go %s: %w\n%s", strings.Join(args, " "), err, msg)
	}
	return nil
}

// WasmExecImport is the line of webworker/worker.js that `make build`
// replaces with Go's wasm_exec.js, so that the shipped worker is one file.
const WasmExecImport = "import './wasm_exec.js';"

// Module fills dir as `make build` fills dist/, by running it: js/*, the
// worker (webworker/worker.js with Go's wasm_exec.js built in), Go's
// wasm_exec.js, and the worker as snworker.wasm, with snworker.wasm.gz
// beside it as `make package` ships it.
func Module(ctx context.Context, root, dir string) error {
	gz := filepath.Join(dir, "snworker.wasm.gz")
	cmd := exec.CommandContext(ctx, "make", "--no-print-directory", "-C", root, "build", gz, "DIST="+dir)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("wasmbuild: make build %s DIST=%s: %w\n%s", gz, dir, err, msg)
	}
	return nil
}

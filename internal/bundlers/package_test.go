//go:build !js

package bundlers

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/internal/wasmbuild"
)

// TestPackageFiles checks what npm pack put in the tarball: every module of
// js/ and its types, the built worker (from webworker/), the wasm with its
// gzip beside it, the redirect page, the package's own README (js/README.md)
// and licences, and nothing else, each mode 644 but the command (check.js, 755).
func TestPackageFiles(t *testing.T) {
	root, err := wasmbuild.Root()
	require.NoError(t, err)
	want := []string{"LICENSE", "LICENSE-go", "README.md", "snworker.wasm", "snworker.wasm.gz", "worker.js"}
	src, err := os.ReadDir(filepath.Join(root, "js"))
	require.NoError(t, err)
	for _, e := range src {
		if e.Name() != "README.md" {
			want = append(want, e.Name()) // *.js, *.d.ts, redirect.html, package.json
		}
	}

	files := map[string][]byte{}
	var names []string
	require.NoError(t, entries(tarball, func(name string, r io.Reader) error {
		names = append(names, name)
		if strings.HasSuffix(name, ".wasm") || strings.Contains(name, ".wasm.") {
			return nil
		}
		b, err := io.ReadAll(r)
		files[name] = b
		return err
	}))
	assert.ElementsMatch(t, want, names, "the files in %s", tarball)
	readme, err := os.ReadFile(filepath.Join(root, "js", "README.md"))
	require.NoError(t, err)
	assert.Equal(t, string(readme), string(files["README.md"]), "the package's README.md is not js/README.md")

	modes, err := modes(tarball)
	require.NoError(t, err)
	for name, mode := range modes {
		want := "0644"
		if name == "package/check.js" { // the command: npm makes a bin executable
			want = "0755"
		}
		assert.Equal(t, want, fmt.Sprintf("%04o", mode), "the mode of %s", name)
	}

	var pkg struct {
		Name, Version, License string
		Private                bool
		Repository             struct{ URL string }
		Exports                map[string]any
		Engines                map[string]string
		Bin                    map[string]string
	}
	require.NoError(t, json.Unmarshal(files["package.json"], &pkg))
	var fields map[string]any
	require.NoError(t, json.Unmarshal(files["package.json"], &fields))
	assert.NotContains(t, fields, "//", "the build comment is still in the published package.json")
	assert.NotEmpty(t, pkg.Engines, "package.json has no engines")
	assert.Equal(t, "@snworker/servicenow", pkg.Name)
	assert.Equal(t, bridge.Version, pkg.Version, "package.json's version is not bridge.Version")
	assert.Equal(t, "Apache-2.0", pkg.License)
	assert.False(t, pkg.Private)
	assert.NotEmpty(t, pkg.Repository.URL)
	assert.Contains(t, string(files["protocol.js"]), `version: "`+bridge.Version+`"`, "protocol.js is not from this version")
	assert.Equal(t, map[string]string{"snworker": "./check.js"}, pkg.Bin, "the package's command")
	assert.True(t, strings.HasPrefix(string(files["check.js"]), "#!/usr/bin/env node\n"), "check.js has no #! line")
	for sub, target := range pkg.Exports {
		targets := []string{}
		switch v := target.(type) {
		case string:
			targets = append(targets, v)
		case map[string]any:
			for _, s := range v {
				targets = append(targets, s.(string))
			}
		}
		for _, s := range targets {
			assert.Contains(t, names, strings.TrimPrefix(s, "./"), "exports[%q] names a file the package lacks", sub)
		}
	}
}

// What a file of the package refers to at run time, relative to itself.
var references = []*regexp.Regexp{
	regexp.MustCompile(`(?m)^\s*(?:import|export)\b[^'"]*?['"](\.{1,2}/[^'"]+)['"]`), // import … from './x.js'
	regexp.MustCompile(`new URL\(\s*['"](\.{1,2}/[^'"]+)['"]\s*,\s*import\.meta\.url`),
	regexp.MustCompile(`<script[^>]*\bsrc="(\.{1,2}/[^"]+)"`),
}

// TestPackageIsComplete checks that every file the package's modules and
// pages refer to is in it: the worker must need no wasm_exec.js.
func TestPackageIsComplete(t *testing.T) {
	have := map[string]string{}
	require.NoError(t, entries(tarball, func(name string, r io.Reader) error {
		if strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".html") {
			b, err := io.ReadAll(r)
			have[name] = string(b)
			return err
		}
		have[name] = ""
		return nil
	}))
	found := 0
	for name, text := range have {
		for _, re := range references {
			for _, m := range re.FindAllStringSubmatch(text, -1) {
				found++
				ref := path.Join(path.Dir(name), m[1])
				_, ok := have[ref]
				assert.True(t, ok, "%s refers to %s, which is not in the package", name, m[1])
			}
		}
	}
	assert.Greater(t, found, 10, "found too few references: is the pattern out of date?")
	assert.NotContains(t, have["worker.js"], wasmbuild.WasmExecImport, "the packed worker.js still imports wasm_exec.js")
}

// TestReadmeCopyList checks that the copy command for esbuild and Rollup,
// in the deployment docs and in the package's README, names the files those
// builds are tested with.
func TestReadmeCopyList(t *testing.T) {
	root, err := wasmbuild.Root()
	require.NoError(t, err)
	for _, doc := range []string{"docs/deployment.md", "js/README.md"} {
		readme, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(doc)))
		require.NoError(t, err)
		m := regexp.MustCompile(`for f in ([^;\n]+); do\n\s*cp "node_modules/@snworker/servicenow/\$f"`).FindSubmatch(readme)
		require.NotNil(t, m, "no copy command in %s", doc)
		assert.ElementsMatch(t, packageFiles, strings.Fields(string(m[1])), "the copy command in %s", doc)
	}
}

// TestPackageCommand runs the package's command as npx runs it, from the
// tarball through npm's bin link: an app that can't be reached could not be
// checked (exit 2).
func TestPackageCommand(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "exec", "--yes", "--offline", "--package="+tarball, "--", "snworker", "check", "http://127.0.0.1:1/")
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	require.NoError(t, ctx.Err(), "npm exec did not finish within 2 minutes:\n%s", out)
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "%s", out)
	assert.Equal(t, 2, exit.ExitCode(), "%s", out)
	assert.Contains(t, string(out), "??    app page: could not check: http://127.0.0.1:1/: ECONNREFUSED", "%s", out)
}

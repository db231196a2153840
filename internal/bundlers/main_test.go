//go:build !js

// Package bundlers tests the npm package as a JavaScript developer uses it: a
// tiny app (main.js, index.html) imports @snworker/servicenow by name, is
// built with Vite, webpack 5, esbuild, Rollup and Parcel, served with docs/deployment.md's strict
// CSP, and signs in and calls the Table API in headless Chromium against the
// emulator; so does Vite's dev server. The package is the tarball `make
// package` packs; the bundlers are pinned by this folder's package-lock.json
// and installed by `make bundlers`.
package bundlers

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/wasmbuild"
)

var (
	tarball string               // the package as npm pack made it
	browser *browsertest.Browser // each run opens its own browser context
)

// installed is where npm would put the package for this folder's app.
const installed = "node_modules/@snworker/servicenow"

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bundlers:", err)
		code = 1
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	root, err := wasmbuild.Root()
	if err != nil {
		return 0, err
	}
	tarball = os.Getenv("SNWORKER_PACKAGE")
	if tarball == "" {
		tarball = filepath.Join(root, "dist", "snworker-servicenow-"+bridge.Version+".tgz")
	}
	if _, err := os.Stat(tarball); err != nil {
		return 0, fmt.Errorf("no package to test (%v): run `make package`, or set SNWORKER_PACKAGE to its tarball", err)
	}
	for _, tool := range []string{"vite", "webpack", "esbuild", "rollup", "parcel"} {
		if _, err := os.Stat(filepath.Join("node_modules", ".bin", tool)); err != nil {
			return 0, fmt.Errorf("no %s in node_modules (%v): run `make bundlers`", tool, err)
		}
	}
	// As `npm install <tarball>` would, without changing the lockfile.
	if err := extract(tarball, installed); err != nil {
		return 0, err
	}

	if browser, err = browsertest.Start(context.Background(), browsertest.Options{}); err != nil {
		return 0, err
	}
	defer browser.Close()
	code := m.Run()
	built.Range(func(_, f any) bool {
		if out, err := f.(func() (string, error))(); err == nil {
			os.RemoveAll(out)
		}
		return true
	})
	return code, nil
}

// entries lists the tarball's files, without npm's "package/" prefix.
func entries(tgz string, each func(name string, r io.Reader) error) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", tgz, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", tgz, err)
		}
		name, ok := strings.CutPrefix(h.Name, "package/")
		if !ok || !filepath.IsLocal(name) || h.Typeflag != tar.TypeReg {
			return fmt.Errorf("%s: unexpected entry %q", tgz, h.Name)
		}
		if err := each(name, tr); err != nil {
			return err
		}
	}
}

// modes are the tarball's file modes, by name.
func modes(tgz string) (map[string]int64, error) {
	f, err := os.Open(tgz)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out[h.Name] = h.Mode & 0o7777
	}
}

// extract replaces dir with the tarball's files.
func extract(tgz, dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return entries(tgz, func(name string, r io.Reader) error {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		out, err := os.Create(path)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, r)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

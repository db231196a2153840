//go:build !js

// Package openfinweb runs snworker in OpenFin Web, OpenFin's browser
// runtime (@openfin/core-web): a broker page with the package's shared
// worker served from the app's origin, and a content page whose fin comes
// from the broker and sits on window.fin, as OpenFin's samples put it. Both
// are bundled with esbuild. The packages are pinned by this folder's
// package-lock.json and installed by `make openfinweb`.
package openfinweb

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/wasmbuild"
	"github.com/snworker/snworker/internal/workerscript"
)

var (
	appURL  string
	browser *browsertest.Browser
)

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "openfinweb:", err)
		code = 1
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	esbuild := filepath.Join("node_modules", ".bin", "esbuild")
	sharedWorker := filepath.Join("node_modules", "@openfin", "core-web", "out", "shared-worker.js")
	for _, f := range []string{esbuild, sharedWorker} {
		if _, err := os.Stat(f); err != nil {
			return 0, fmt.Errorf("no %s (%v): run `make openfinweb`", f, err)
		}
	}
	tmp, err := os.MkdirTemp("", "snworker-openfinweb-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	bundles := filepath.Join(tmp, "bundle")
	if out, err := exec.Command(esbuild, "broker.js", "content.js", "--bundle", "--format=esm",
		"--log-level=warning", "--outdir="+bundles).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("esbuild: %v\n%s", err, out)
	}
	root, err := wasmbuild.Root()
	if err != nil {
		return 0, err
	}
	pkg := filepath.Join(tmp, "js")
	if err := wasmbuild.Module(context.Background(), root, pkg); err != nil {
		return 0, err
	}

	mux := http.NewServeMux()
	mux.Handle("/js/", http.StripPrefix("/js/", http.FileServer(http.Dir(pkg))))
	mux.Handle("/bundle/", http.StripPrefix("/bundle/", http.FileServer(http.Dir(bundles))))
	for _, f := range []string{"index.html", "broker.html", "app.js"} {
		mux.HandleFunc("/"+f, func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, f) })
	}
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, "index.html") })
	mux.HandleFunc("/favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/shared-worker.js", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, sharedWorker) })
	app := httptest.NewServer(workerscript.Guard("/js/worker.js", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		mux.ServeHTTP(w, r)
	})))
	defer app.Close()
	appURL = app.URL

	if browser, err = browsertest.Start(context.Background(), browsertest.Options{}); err != nil {
		return 0, err
	}
	defer browser.Close()
	return m.Run(), nil
}

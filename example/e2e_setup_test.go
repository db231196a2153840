//go:build !js

package main

import (
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

var (
	distOnce sync.Once
	distDir  string
	distErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if distDir != "" {
		os.RemoveAll(distDir)
	}
	os.Exit(code)
}

// testDist builds the module folder as `make build precompress` does, once
// per run, so that `go test` alone needs nothing built.
func testDist(t *testing.T) string {
	t.Helper()
	distOnce.Do(func() { distDir, distErr = buildDist() })
	require.NoError(t, distErr, "building the dist folder")
	return distDir
}

func buildDist() (string, error) {
	root, err := goEnv("GOMOD")
	if err != nil {
		return "", err
	}
	root = filepath.Dir(root)
	goroot, err := goEnv("GOROOT")
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "snworker-example-dist-")
	if err != nil {
		return "", err
	}
	wasm := filepath.Join(dir, "snworker.wasm")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, "./worker/cmd/snworker")
	build.Dir = root
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		return dir, fmt.Errorf("GOOS=js GOARCH=wasm go build ./worker/cmd/snworker: %w\n%s", err, out)
	}
	files, err := filepath.Glob(filepath.Join(root, "js", "*"))
	if err != nil {
		return dir, err
	}
	files = append(files, filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	for _, src := range files {
		b, err := os.ReadFile(src)
		if err != nil {
			return dir, err
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(src)), b, 0o644); err != nil {
			return dir, err
		}
	}
	if err := gzipFile(wasm, wasm+".gz"); err != nil {
		return dir, err
	}
	if brotli, err := exec.LookPath("brotli"); err == nil {
		if out, err := exec.Command(brotli, "-n", "-q", "5", "-o", wasm+".br", wasm).CombinedOutput(); err != nil {
			return dir, fmt.Errorf("brotli: %w\n%s", err, out)
		}
	}
	return dir, nil
}

func goEnv(name string) (string, error) {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func gzipFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestSpeed)
	if err != nil {
		f.Close()
		return err
	}
	if _, err := zw.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// findBrowser returns a Chrome or Chromium on PATH, as `make tools` provides.
func findBrowser(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"headless_shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chrome or Chromium on PATH: run `make tools`, then PATH=$PWD/bin:$PATH go test ./example/")
	return ""
}

// syncBuffer is a strings.Builder safe for the servers' goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

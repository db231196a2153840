//go:build !js

package main

import (
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/snworker/snworker/internal/wasmbuild"
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
	root, err := wasmbuild.Root()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "snworker-example-dist-")
	if err != nil {
		return "", err
	}
	if err := wasmbuild.Module(context.Background(), root, dir); err != nil {
		return dir, err
	}
	for _, name := range []string{"snworker.wasm", "compression-probe.wasm"} {
		wasm := filepath.Join(dir, name)
		if err := gzipFile(wasm, wasm+".gz"); err != nil {
			return dir, err
		}
		if brotli, err := exec.LookPath("brotli"); err == nil {
			if out, err := exec.Command(brotli, "-n", "-q", "5", "-f", "-o", wasm+".br", wasm).CombinedOutput(); err != nil {
				return dir, fmt.Errorf("brotli: %w\n%s", err, out)
			}
		}
	}
	return dir, nil
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

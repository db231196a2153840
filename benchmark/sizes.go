//go:build !js

package main

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// wasmSizes measures snworker.wasm raw, with gzip -9 and with brotli. The
// brotli size at high quality takes tens of seconds, so it is cached by the
// wasm's hash in the user's cache directory.
func (b *bench) wasmSizes(ctx context.Context) error {
	path := filepath.Join(b.dist, "snworker.wasm")
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	w := &b.res.Wasm
	w.Raw = info.Size()

	if _, err := exec.LookPath("gzip"); err == nil {
		w.GzipHow = "gzip -9"
		w.Gzip, err = compressedSize(ctx, "gzip", "-9", "-n", "-c", path)
		if err != nil {
			return err
		}
	} else {
		w.GzipHow = "gzip -9 (Go compress/gzip)"
		if w.Gzip, err = goGzipSize(path); err != nil {
			return err
		}
	}

	if _, err := exec.LookPath("brotli"); err == nil {
		q := strconv.Itoa(b.o.BrotliQuality)
		w.BrotliHow = "brotli -q " + q
		cache, key := brotliCache(path, q)
		if v, err := os.ReadFile(cache); err == nil && key != "" {
			if n, err := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64); err == nil {
				w.Brotli = n
			}
		}
		if w.Brotli == 0 {
			b.logf("  brotli -q %s of %d bytes (cached afterwards) …", q, w.Raw)
			if w.Brotli, err = compressedSize(ctx, "brotli", "-q", q, "-c", path); err != nil {
				return err
			}
			if key != "" && os.MkdirAll(filepath.Dir(cache), 0o755) == nil {
				_ = os.WriteFile(cache, []byte(strconv.FormatInt(w.Brotli, 10)), 0o644)
			}
		}
	}

	if br, err := os.Stat(path + ".br"); err == nil && !br.ModTime().Before(info.ModTime()) {
		w.Served = br.Size()
	}
	return nil
}

// compressedSize runs a compressor writing to stdout and counts the bytes.
func compressedSize(ctx context.Context, name string, args ...string) (int64, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	n, copyErr := io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil {
		return 0, fmt.Errorf("%s: %w: %s", name, err, stderr.String())
	}
	return n, copyErr
}

func goGzipSize(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var c counter
	zw, _ := gzip.NewWriterLevel(&c, gzip.BestCompression)
	if _, err := io.Copy(zw, f); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return c.n, nil
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// brotliCache is where the brotli size of the file at quality q is cached.
func brotliCache(path, q string) (file, key string) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", ""
	}
	f, err := os.Open(path)
	if err != nil {
		return "", ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", ""
	}
	key = hex.EncodeToString(h.Sum(nil))
	return filepath.Join(dir, "snworker-bench", "brotli-q"+q+"-"+key), key
}

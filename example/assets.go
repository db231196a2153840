package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// asset is a file served from memory, with any precompressed variants.
type asset struct {
	body     []byte
	ctype    string
	etag     string
	modTime  time.Time // zero for embedded files
	variants []variant // in order of preference
}

type variant struct {
	encoding string
	body     []byte
	etag     string
}

// encodings are the precompressed forms looked for beside a file
// (name.br, name.gz), best first.
var encodings = []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

var types = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".wasm": "application/wasm",
	".svg":  "image/svg+xml",
	".ts":   "text/plain; charset=utf-8",
}

func newAsset(body []byte, name string, mod time.Time) *asset {
	ctype := types[path.Ext(name)]
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	return &asset{body: body, ctype: ctype, etag: etag(body, ""), modTime: mod}
}

func etag(body []byte, encoding string) string {
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:12])
	if encoding != "" {
		tag += "-" + encoding
	}
	return `"` + tag + `"`
}

// loadAssets reads the files at the top of fsys. A precompressed variant
// older than its file is stale (the file was rebuilt) and is left out;
// stale names the files that had one.
func loadAssets(fsys fs.FS) (assets map[string]*asset, stale []string, err error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, nil, err
	}
	assets = map[string]*asset{}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || isVariant(name) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return nil, nil, err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, err
		}
		a := newAsset(body, name, info.ModTime())
		for _, enc := range encodings {
			vinfo, err := fs.Stat(fsys, name+enc.ext)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			if vinfo.ModTime().Before(info.ModTime()) {
				stale = append(stale, name+enc.ext)
				continue
			}
			vbody, err := fs.ReadFile(fsys, name+enc.ext)
			if err != nil {
				return nil, nil, err
			}
			a.variants = append(a.variants, variant{enc.name, vbody, etag(vbody, enc.name)})
		}
		assets[name] = a
	}
	return assets, stale, nil
}

func isVariant(name string) bool {
	for _, enc := range encodings {
		if strings.HasSuffix(name, enc.ext) {
			return true
		}
	}
	return false
}

// serve writes the asset, precompressed when the client accepts it. Every
// response is revalidated (no-cache), with an ETag and Last-Modified.
func (a *asset) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	body, tag := a.body, a.etag
	if len(a.variants) > 0 {
		h.Add("Vary", "Accept-Encoding")
		if v := a.pick(r.Header.Get("Accept-Encoding")); v != nil {
			body, tag = v.body, v.etag
			h.Set("Content-Encoding", v.encoding)
			// ServeContent leaves the length out once an encoding is set.
			if r.Header.Get("Range") == "" {
				h.Set("Content-Length", strconv.Itoa(len(body)))
			}
		}
	}
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", tag)
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", a.modTime, bytes.NewReader(body))
}

// pick returns the variant Accept-Encoding prefers, nil for the plain file.
func (a *asset) pick(accept string) *variant {
	var best *variant
	bestQ := 0.0
	for i := range a.variants {
		if q := acceptQ(accept, a.variants[i].encoding); q > bestQ {
			best, bestQ = &a.variants[i], q
		}
	}
	return best
}

// acceptQ returns the weight an Accept-Encoding header gives coding: its
// own q-value, else that of "*", else 0.
func acceptQ(header, coding string) float64 {
	q, star := -1.0, -1.0
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.TrimSpace(name)
		w := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(p, "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				w = f
			}
		}
		switch {
		case strings.EqualFold(name, coding):
			q = w
		case name == "*":
			star = w
		}
	}
	switch {
	case q >= 0:
		return q
	case star >= 0:
		return star
	}
	return 0
}

// requireAll checks that every name is among the assets.
func requireAll(assets map[string]*asset, dir string, names ...string) error {
	for _, n := range names {
		if assets[n] == nil {
			return fmt.Errorf("%s has no %s; want the folder `make build` fills (run make build)", dir, n)
		}
	}
	return nil
}

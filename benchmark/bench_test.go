//go:build !js

package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/snworker/snworker/internal/wasmbuild"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQuick runs the whole benchmark with tiny counts, so that it keeps
// working: every figure must be produced, and the refresh storm must make
// exactly one refresh (a correctness fact, unlike the timings).
func TestQuick(t *testing.T) {
	dist := assemble(t)
	ctx, cancel := context.WithTimeout(context.Background(), 240*time.Second)
	defer cancel()
	o := options{Quick: true, Dist: dist, Replay: true, MemRequests: 50, BrotliQuality: 5, Timeout: 240 * time.Second}
	res, err := run(ctx, o, testWriter{t})
	require.NoError(t, err)

	require.Len(t, res.Bodies, len(sizes))
	for _, b := range res.Bodies {
		assert.Positive(t, b.Bytes, "%s body", b.Name)
	}
	require.Len(t, res.Cells, 2*len(sizes))
	for _, c := range res.Cells {
		what := fmt.Sprintf("%s, %d in flight", c.Body.Name, c.Inflight)
		assert.True(t, c.Direct.ok() && c.JSWorker.ok() && c.Bridge.ok() && c.Ratio.ok() && c.JSRatio.ok(), "%s: %+v", what, c)
		if c.Inflight == 1 {
			require.NotNil(t, c.Split, what)
			assert.Positive(t, c.Split.WorkerTrip, what)
			assert.Positive(t, c.Split.Fetch, what)
			assert.Positive(t, c.Split.JSTrip, what)
		}
	}
	require.Len(t, res.Engines, len(otherEngines), "Firefox and WebKit measured")
	for _, e := range res.Engines {
		require.Len(t, e.Cells, 2*len(sizes), e.Engine)
		for _, c := range e.Cells {
			assert.True(t, c.Direct.ok() && c.Bridge.ok() && c.Ratio.ok(), "%s, %s, %d in flight: %+v", e.Engine, c.Body.Name, c.Inflight, c)
		}
	}
	assert.Positive(t, res.Cold.First)
	assert.True(t, res.Cold.Worker.ok() && res.Cold.Bare.ok(), "%+v", res.Cold)
	assert.Positive(t, res.Wasm.Raw)
	assert.Positive(t, res.Wasm.Gzip)
	if res.Wasm.BrotliHow != "" {
		assert.Positive(t, res.Wasm.Brotli)
	}
	m := res.Memory
	assert.Equal(t, 1, m.Before.Memories, "WebAssembly.Memory objects in the worker")
	for _, v := range []float64{m.Before.PageJS, m.Before.WorkerJS, m.Before.WorkerWasm, m.After.PageJS, m.After.WorkerJS, m.After.WorkerWasm} {
		assert.Positive(t, v, "memory readings: %+v", m)
	}
	assert.True(t, res.Storm.Wall.ok() && res.Storm.Reference.ok(), "%+v", res.Storm)
	assert.Zero(t, res.Storm.Failed, "failed requests in the storm: %s", res.Storm.FirstError)
	require.NotEmpty(t, res.Storm.Refreshes)
	for _, n := range res.Storm.Refreshes {
		assert.Equal(t, 1, n, "refresh_token grants in a %d-request storm", res.Storm.Requests)
	}

	for _, md := range []bool{false, true} {
		var out bytes.Buffer
		res.write(&out, md)
		assert.NotContains(t, out.String(), "NaN")
		assert.Contains(t, out.String(), "PASS")
	}
	sh := res.Shared
	assert.True(t, sh.Shared.ok() && sh.Dedicated.ok() && sh.Ratio.ok() && sh.Join.ok(), "%+v", sh)
	assert.Zero(t, sh.JoinRequests, "a second window's connect() sends no request")
	assert.Zero(t, sh.Failed, "failed requests in the shared storm: %s", sh.FirstError)
	require.NotEmpty(t, sh.Refreshes)
	for _, n := range sh.Refreshes {
		assert.Equal(t, 1, n, "refresh_token grants in a %d-window storm", sh.Windows)
	}
	assert.Len(t, res.Targets(), 16-boolInt(res.Wasm.Served == 0))
	assert.True(t, res.SignIn.Prestarted.ok() && res.SignIn.Cold.ok(), "%+v", res.SignIn)
	require.NotEmpty(t, res.Repeat)
	for _, v := range res.Repeat {
		assert.True(t, v.First > 0 && v.Repeat.ok(), "%+v", v)
	}
	assert.LessOrEqual(t, res.Preflights.MaxAge[0], 2, "preflights with a max age")
	assert.Equal(t, res.Preflights.Calls, res.Preflights.MaxAge[1], "calls that reached the instance with a max age")
	assert.GreaterOrEqual(t, res.Preflights.MaxAge0[0], res.Preflights.Calls, "preflights with max age 0")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// assemble lays out the package as `make build` does, from the current
// sources.
func assemble(t *testing.T) string {
	t.Helper()
	root, err := wasmbuild.Root()
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "dist")
	require.NoError(t, wasmbuild.Module(context.Background(), root, dir))
	return dir
}

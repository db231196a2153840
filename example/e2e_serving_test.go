//go:build !js

package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// probeJS opens worker.js in a window of its own, as script in the app's
// page could, and tries to use that document's policy: fetch the instance,
// compile WebAssembly. The page's own policy allows neither.
const probeJS = `(async (instance) => {
  const w = window.open('/js/worker.js', 'probe');
  await new Promise((resolve) => {
    const i = setInterval(() => {
      try {
        if (w.location.pathname === '/js/worker.js' && w.document.readyState === 'complete') { clearInterval(i); resolve(); }
      } catch {}
    }, 20);
  });
  const out = { text: w.document.body.textContent.slice(0, 80) };
  try { out.fetch = 'answered ' + (await w.fetch(instance + '/api/now/table/sys_user?sysparm_limit=1')).status; } catch (e) { out.fetch = 'refused: ' + e.name; }
  try { await w.WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); out.wasm = 'compiled'; } catch (e) { out.wasm = 'refused: ' + e.name; }
  w.close();
  return out;
})`

// TestWorkerScriptIsNoDoor: with the demo's headers, page script that opens
// worker.js as a page gets no document with the worker's policy, so it can
// neither reach the instance nor compile WebAssembly that way; the app
// itself still connects.
func TestWorkerScriptIsNoDoor(t *testing.T) {
	d, b := connectedDemo(t)

	var out struct{ Text, Fetch, Wasm string }
	if err := b.tab.Eval(15*time.Second, probeJS+"("+jsString(d.instanceURL)+")", &out); err != nil {
		b.fail(err)
	}
	assert.Contains(t, out.Text, "403 forbidden", "worker.js is refused as a page")
	assert.Contains(t, out.Fetch, "refused", "the page reached the instance through worker.js's policy")
	assert.Contains(t, out.Wasm, "refused", "the page compiled WebAssembly through worker.js's policy")
	for _, r := range d.emulator.Requests() {
		require.True(t, r.Bearer || r.Method == "OPTIONS" || r.Path != "/api/now/table/sys_user",
			"a request without the worker's token reached the instance: %s %s", r.Method, r.Path)
	}
}

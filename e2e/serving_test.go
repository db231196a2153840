//go:build !js

package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/internal/workerscript"
)

// worker.js is refused when opened as a document (a navigation, a popup,
// an iframe), so no document gets the worker's policy; the module still
// starts the worker from it and connects. Chromium only: the navigation's
// status is read over DevTools.
func TestWorkerScriptRefusedAsDocument(t *testing.T) {
	t.Parallel()
	in := newInstance(t, true)
	p := newPage(t)

	tab := p.x.open("/test/index.html", "true") // a navigation in a tab of its own
	res, err := chromedp.RunResponse(tab.devtools("the status of a navigation").Ctx, chromedp.Navigate(appURL+"/js/worker.js"))
	require.NoError(t, err)
	assert.EqualValues(t, 403, res.Status, "worker.js opened as a page")
	var text string
	tab.eval("document.body.textContent", &text)
	assert.True(t, strings.Contains(text, workerscript.Refused[:40]), "worker.js in a tab: %.60q", text)

	p.eval(`t.openUrl = '/js/worker.js'`, nil)
	popup := p.clickForPopup("#open")
	p.waitFor(`t.opened.document.readyState === 'complete' && t.opened.location.pathname === '/js/worker.js'`, 5*time.Second)
	p.eval(`t.opened.document.body.textContent`, &text)
	assert.True(t, strings.Contains(text, workerscript.Refused[:40]), "worker.js in a popup: %.60q", text)
	popup.close()

	p.eval(`new Promise((resolve) => {
		const f = document.createElement('iframe');
		f.onload = () => resolve(f.contentDocument.body.textContent);
		f.src = '/js/worker.js';
		document.body.append(f);
	})`, &text)
	assert.True(t, strings.Contains(text, workerscript.Refused[:40]), "worker.js in an iframe: %.60q", text)

	p.connect(in, nil, 0)
	assert.Equal(t, 200, p.request(`'/api/now/table/incident?sysparm_limit=1'`).Status, "the worker loads from the same script")
}

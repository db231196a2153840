//go:build !js

package openfinweb

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/emulator"
	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/engines"
)

const (
	clientID = "openfin-web-app"
	step     = 20 * time.Second
)

// In OpenFin Web, fin.Window.create exists but rejects: connect() opens the
// browser popup inside the click, and the sign-in completes there.
func TestOpenFinWebSignsInThroughThePopup(t *testing.T) {
	em := emulator.New(emulator.Config{
		Clients:        []emulator.Client{{ID: clientID, RedirectURIs: []string{appURL + "/"}}},
		AllowedOrigins: []string{appURL},
		TokenCORS:      true,
	})
	in := httptest.NewServer(em)
	t.Cleanup(in.Close)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p, err := browser.Open(ctx, appURL+"/", browsertest.PageOptions{
		Ready:  "window.app !== undefined",
		Follow: []browsertest.Kind{browsertest.Popup},
		Output: func(o browsertest.Output) { t.Log(o) },
	})
	require.NoError(t, err)
	defer p.Close()

	// The broker connection settles: fin, or the reason it did not come.
	var ready any
	require.NoError(t, p.Eval(step, `new Promise((resolve) => {
		const check = () => window.finReady !== undefined ? resolve(window.finReady) : setTimeout(check, 20);
		check();
	})`, &ready))
	require.Equal(t, true, ready, "the content page's connection to the broker")
	var env struct {
		IsOpenFin  bool   `json:"isOpenFin"`
		EntityType string `json:"entityType"`
		Create     string `json:"create"`
	}
	require.NoError(t, p.Eval(step, `fin.Window.create({name: 'probe', url: 'about:blank'}).then(
		() => ({create: 'created'}), (e) => ({create: String(e?.message ?? e)})).then((r) => ({
		...r, isOpenFin: fin.me.isOpenFin, entityType: fin.me.entityType}))`, &env))
	assert.False(t, env.IsOpenFin)
	assert.Equal(t, "external connection", env.EntityType)
	assert.Contains(t, env.Create, "Method not implemented", "OpenFin Web's fin.Window.create")

	require.NoError(t, p.Eval(step, fmt.Sprintf("(app.instanceUrl = %q, app.clientId = %q, true)", in.URL, clientID), nil))
	next := p.Next(browsertest.Popup)
	start := time.Now()
	require.NoError(t, p.Run(step, "clicking Connect", chromedp.Click("#connect", chromedp.ByQuery)))
	w, err := next(10 * time.Second)
	if err != nil {
		var settled any
		_ = p.Eval(step, "app.pending", &settled)
		require.NoError(t, err, "waiting for the browser popup; connect() gave %v", settled)
	}
	require.NoError(t, engines.SignIn(engines.DevToolsWindow(p, w), engines.Allow, 0))
	var got struct {
		OK    bool                  `json:"ok"`
		Value struct{ User string } `json:"value"`
		Error map[string]any        `json:"error"`
	}
	require.NoError(t, p.Eval(step, "app.pending", &got))
	require.True(t, got.OK, "connect(): %v", got.Error)
	assert.Equal(t, "admin", got.Value.User)
	t.Logf("click to connected (with an automated sign-in): %v", time.Since(start).Round(time.Millisecond))

	var list struct {
		OK    bool `json:"ok"`
		Value struct {
			Status int              `json:"status"`
			Data   []map[string]any `json:"data"`
		} `json:"value"`
	}
	require.NoError(t, p.Eval(step, `app.request('/api/now/table/incident?sysparm_limit=2')`, &list))
	require.True(t, list.OK)
	assert.Equal(t, 200, list.Value.Status)
	assert.Len(t, list.Value.Data, 2)
}

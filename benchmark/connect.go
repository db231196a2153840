//go:build !js

package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/snworker/snworker/internal/browsertest"
	"github.com/snworker/snworker/internal/engines"
)

// connect signs in through the real popup flow and attaches to the worker.
func (b *bench) connect(ctx context.Context) error {
	p, err := b.openPage(ctx)
	if err != nil {
		return err
	}
	b.page = p
	var ok bool
	if err := b.eval(10*time.Second, "configure", map[string]string{"instanceUrl": b.instURL, "clientId": clientID}, &ok); err != nil {
		return err
	}
	worker := p.Next(browsertest.Worker)
	popup := p.Next(browsertest.Popup)
	if err := p.Run(10*time.Second, "clicking Connect", chromedp.Click("#connect", chromedp.ByQuery)); err != nil {
		return err
	}
	w, err := popup(15 * time.Second)
	if err != nil {
		return fmt.Errorf("after clicking Connect: %w", err)
	}
	if err := engines.SignIn(engines.DevToolsWindow(p, w), engines.Allow, 0); err != nil {
		return err
	}
	var conn struct {
		OK    bool   `json:"ok"`
		User  string `json:"user"`
		Error string `json:"error"`
	}
	if err := b.eval(30*time.Second, "connected", nil, &conn); err != nil {
		return err
	}
	if !conn.OK {
		return fmt.Errorf("connect() failed: %s", conn.Error)
	}
	b.logf("connected as %s", conn.User)
	if b.worker, err = worker(10 * time.Second); err != nil {
		return fmt.Errorf("the page's worker: %w", err)
	}

	for _, tok := range b.em.IssuedTokens() {
		if b.bearerWorks(tok) {
			b.token = tok
			return nil
		}
	}
	return errors.New("none of the emulator's issued tokens works as a bearer token")
}

// get sends a GET to the emulator itself (never replayed) with tok.
func (b *bench) get(path, tok string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, b.instURL+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	rec := httptest.NewRecorder()
	b.em.ServeHTTP(rec, req)
	return rec
}

func (b *bench) bearerWorks(tok string) bool {
	return b.get("/api/now/table/sys_user?sysparm_limit=1", tok).Code == http.StatusOK
}

// sizeBodies picks Table API queries whose bodies are about each size, and
// times the emulator rendering them.
func (b *bench) sizeBodies(ctx context.Context) error {
	probe := b.get("/api/now/table/incident?sysparm_limit=20&sysparm_display_value=all", b.token)
	if probe.Code != http.StatusOK {
		return fmt.Errorf("probing the incident table: status %d", probe.Code)
	}
	perRecord := float64(probe.Body.Len()) / 20
	for _, s := range sizes {
		path := "/api/now/table/incident?sysparm_limit=1"
		if float64(s.bytes) > 4*perRecord {
			limit := int(float64(s.bytes)/perRecord + 0.5)
			path = fmt.Sprintf("/api/now/table/incident?sysparm_limit=%d&sysparm_display_value=all", limit)
		}
		var times []float64
		n := 0
		for range 5 {
			start := time.Now()
			rec := b.get(path, b.token)
			times = append(times, ms(time.Since(start)))
			if rec.Code != http.StatusOK {
				return fmt.Errorf("GET %s: status %d", path, rec.Code)
			}
			n = rec.Body.Len()
		}
		b.paths = append(b.paths, path)
		b.res.Bodies = append(b.res.Bodies, body{Name: s.name, Path: path, Bytes: n, ServerMS: median(times)})
	}
	return ctx.Err()
}

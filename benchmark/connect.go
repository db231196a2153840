//go:build !js

package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// connect signs in through the real popup flow and attaches to the worker.
func (b *bench) connect(ctx context.Context) error {
	workers := make(chan target.ID, 8)
	pctx, _, err := b.openPage(ctx, func(id target.ID) {
		select {
		case workers <- id:
		default:
		}
	})
	if err != nil {
		return err
	}
	b.page = pctx
	var ok bool
	if err := b.eval(ctx, 10*time.Second, "configure", map[string]string{"instanceUrl": b.instURL, "clientId": clientID}, &ok); err != nil {
		return err
	}
	pageID := chromedp.FromContext(pctx).Target.TargetID
	popups := chromedp.WaitNewTarget(pctx, func(info *target.Info) bool {
		return info.Type == "page" && info.OpenerID == pageID
	})
	if err := b.runIn(ctx, pctx, 10*time.Second, "clicking Connect", chromedp.Click("#connect", chromedp.ByQuery)); err != nil {
		return err
	}
	var popupID target.ID
	select {
	case popupID = <-popups:
	case <-time.After(15 * time.Second):
		return errors.New("no authorization window opened within 15 s of clicking Connect")
	case <-ctx.Done():
		return ctx.Err()
	}
	popup, cancelPopup := chromedp.NewContext(pctx, chromedp.WithTargetID(popupID))
	defer cancelPopup()
	if err := b.open(ctx, popup, 10*time.Second, "attaching to the authorization window"); err != nil {
		return err
	}
	if err := b.signIn(ctx, popup); err != nil {
		return err
	}
	var conn struct {
		OK    bool   `json:"ok"`
		User  string `json:"user"`
		Error string `json:"error"`
	}
	if err := b.eval(ctx, 30*time.Second, "connected", nil, &conn); err != nil {
		return err
	}
	if !conn.OK {
		return fmt.Errorf("connect() failed: %s", conn.Error)
	}
	b.logf("connected as %s", conn.User)

	var wid target.ID
	select {
	case wid = <-workers:
	case <-time.After(10 * time.Second):
		return errors.New("the page's worker target did not show up within 10 s")
	}
	wctx, _ := chromedp.NewContext(pctx, chromedp.WithTargetID(wid))
	if err := b.open(ctx, wctx, 10*time.Second, "attaching to the worker", network.Disable(), log.Disable()); err != nil {
		return err
	}
	b.worker = wctx

	for _, tok := range b.em.IssuedTokens() {
		if b.bearerWorks(tok) {
			b.token = tok
			return nil
		}
	}
	return errors.New("none of the emulator's issued tokens works as a bearer token")
}

// signIn logs in as admin in the authorization window and presses Allow.
func (b *bench) signIn(ctx, popup context.Context) error {
	var login bool
	err := b.runIn(ctx, popup, 20*time.Second, "waiting for the sign-in page",
		chromedp.WaitVisible("#user_name, #allow", chromedp.ByQuery),
		chromedp.Evaluate("!!document.querySelector('#user_name')", &login))
	if err != nil {
		return err
	}
	if login {
		err = b.runIn(ctx, popup, 20*time.Second, "logging in",
			chromedp.SendKeys("#user_name", "admin", chromedp.ByQuery),
			chromedp.SendKeys("#user_password", "admin", chromedp.ByQuery),
			chromedp.Click("#sysverb_login", chromedp.ByQuery),
			chromedp.WaitVisible("#allow", chromedp.ByQuery))
		if err != nil {
			return err
		}
	}
	return b.runIn(ctx, popup, 10*time.Second, "pressing Allow", chromedp.Click("#allow", chromedp.ByQuery))
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

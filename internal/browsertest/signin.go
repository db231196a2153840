//go:build !js

package browsertest

import (
	"time"

	"github.com/chromedp/chromedp"
)

// Answer is the button SignIn presses on the emulator's consent page.
type Answer string

const (
	Allow Answer = "allow"
	Deny  Answer = "deny"
)

// signInStep bounds each step of the sign-in.
const signInStep = 20 * time.Second

// AwaitSignIn waits until the authorization window w shows the emulator's
// login or consent page (emulator/pages.go), and says whether it is the
// login form.
func AwaitSignIn(w *Target) (login bool, err error) {
	err = w.Run(signInStep, "waiting for the instance's login or consent page",
		chromedp.WaitVisible("#user_name, #allow", chromedp.ByQuery),
		chromedp.Evaluate("!!document.querySelector('#user_name')", &login))
	return login, err
}

// SignIn completes the emulator's sign-in in the authorization window w:
// it logs in as the demo user admin when the instance shows its login form
// (the browser context has no session there yet), then presses a on the
// consent page.
func SignIn(w *Target, a Answer) error {
	login, err := AwaitSignIn(w)
	if err != nil {
		return err
	}
	if login {
		err := w.Run(signInStep, "logging in as admin",
			chromedp.SendKeys("#user_name", "admin", chromedp.ByQuery),
			chromedp.SendKeys("#user_password", "admin", chromedp.ByQuery),
			chromedp.Click("#sysverb_login", chromedp.ByQuery),
			chromedp.WaitVisible("#allow", chromedp.ByQuery))
		if err != nil {
			return err
		}
	}
	return w.Run(signInStep, "pressing "+string(a), chromedp.Click("#"+string(a), chromedp.ByQuery))
}

//go:build !js

package engines

import (
	"fmt"
	"time"
)

// Answer is the button SignIn presses on the emulator's consent page.
type Answer string

const (
	Allow Answer = "allow"
	Deny  Answer = "deny"
)

// AwaitSignIn waits until the sign-in window w shows the emulator's login
// or consent page (emulator/pages.go), and says whether it is the login form.
func AwaitSignIn(w Window) (login bool, err error) {
	// Loaded, so that the page's stylesheet no longer moves what a click aims at.
	const page = "document.readyState === 'complete' && document.querySelector('#user_name, #allow')"
	if err := WaitFor(w, step, page); err != nil {
		return false, fmt.Errorf("waiting for the instance's login or consent page: %w", err)
	}
	if err := w.Eval(step, "!!document.querySelector('#user_name')", &login); err != nil {
		return false, err
	}
	return login, nil
}

// SignIn answers the emulator's sign-in in the window w as a person would:
// it waits for the page, thinks for think (the time a person takes to
// read it, which some engines' bugs need to show), logs in as the demo user
// admin when the instance shows its login form, and presses a on the
// consent page.
func SignIn(w Window, a Answer, think time.Duration) error {
	login, err := AwaitSignIn(w)
	if err != nil {
		return err
	}
	time.Sleep(think) // the user reads the page: not a wait for the browser
	if login {
		if err := LogIn(w); err != nil {
			return err
		}
	}
	if err := w.Click(step, "#"+string(a)); err != nil {
		return fmt.Errorf("pressing %s: %w", a, err)
	}
	return nil
}

// LogIn logs in as the demo user admin on the emulator's login page in w
// and waits for the consent page.
func LogIn(w Window) error {
	fill := "(document.querySelector('#user_name').value = 'admin', document.querySelector('#user_password').value = 'admin', true)"
	if err := w.Eval(step, fill, nil); err != nil {
		return fmt.Errorf("filling in the login form: %w", err)
	}
	if err := w.Click(step, "#sysverb_login"); err != nil {
		return fmt.Errorf("logging in as admin: %w", err)
	}
	if err := WaitFor(w, step, "document.readyState === 'complete' && document.querySelector('#allow')"); err != nil {
		return fmt.Errorf("waiting for the consent page after logging in: %w; the window shows %s", err, shows(w))
	}
	return nil
}

// shows says what page w shows, for failure messages.
func shows(w Window) string {
	var s string
	if err := w.Eval(5*time.Second, "location.href + ': ' + document.body.innerText.slice(0, 200)", &s); err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return fmt.Sprintf("%q", s)
}

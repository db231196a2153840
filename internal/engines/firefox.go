//go:build !js

package engines

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

const firefoxPath = "/usr/bin/firefox-esr"

// firefoxPrefs go into the profile's user.js. The remote agent turns the
// popup blocker off unless the profile says otherwise: users have it on.
const firefoxPrefs = `user_pref("dom.disable_open_during_load", true);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
`

type firefox struct {
	cmd     *exec.Cmd
	exited  chan struct{}
	dir     string
	bidi    *bidi
	version string
}

var bidiListening = regexp.MustCompile(`WebDriver BiDi listening on (ws://\S+)`)

// startFirefox starts Firefox ESR headless in a fresh profile and opens a
// BiDi session with it, no geckodriver needed.
func startFirefox(ctx context.Context) (Engine, error) {
	path, err := findExec("Firefox ESR", "firefox-esr", firefoxPath, "firefox-esr", "firefox")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "snworker-firefox-")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "user.js"), []byte(firefoxPrefs), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	f := &firefox{dir: dir, exited: make(chan struct{})}
	f.cmd = exec.Command(path, "--headless", "--no-remote", "--profile", dir, "--remote-debugging-port=0")
	f.cmd.Env = append(os.Environ(), "MOZ_CRASHREPORTER_DISABLE=1")
	stderr, err := f.cmd.StderrPipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := f.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	go func() {
		f.cmd.Wait()
		close(f.exited)
	}()
	url, said := make(chan string, 1), newTail(20)
	go func() { // reads stderr to its end, or Firefox blocks on a full pipe
		s := bufio.NewScanner(stderr)
		for s.Scan() {
			said.add(s.Text())
			if m := bidiListening.FindStringSubmatch(s.Text()); m != nil {
				select {
				case url <- m[1]:
				default:
				}
			}
		}
	}()
	fail := func(err error) (Engine, error) {
		f.Close()
		return nil, err
	}
	var ws string
	select {
	case ws = <-url:
	case <-f.exited:
		return fail(fmt.Errorf("%s exited before listening for WebDriver BiDi; it said:\n%s", path, said))
	case <-time.After(30 * time.Second):
		return fail(fmt.Errorf("%s did not listen for WebDriver BiDi within 30 s; it said:\n%s", path, said))
	case <-ctx.Done():
		return fail(ctx.Err())
	}
	dctx, cancel := context.WithTimeout(ctx, step)
	defer cancel()
	if f.bidi, err = dialBiDi(dctx, strings.TrimSuffix(ws, "/")+"/session"); err != nil {
		return fail(err)
	}
	var session struct {
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	if err := f.bidi.call(step, "session.new", map[string]any{"capabilities": map[string]any{}}, &session); err != nil {
		return fail(err)
	}
	f.version = session.Capabilities.BrowserName + " " + session.Capabilities.BrowserVersion
	events := []string{"browsingContext.contextCreated", "browsingContext.contextDestroyed"}
	if err := f.bidi.call(step, "session.subscribe", map[string]any{"events": events}, nil); err != nil {
		return fail(err)
	}
	return f, nil
}

func (f *firefox) Name() string    { return "firefox" }
func (f *firefox) Version() string { return f.version }

func (f *firefox) Close() {
	if f.bidi != nil {
		_ = f.bidi.call(5*time.Second, "browser.close", nil, nil)
		f.bidi.close()
	}
	select {
	case <-f.exited:
	case <-time.After(10 * time.Second):
		f.cmd.Process.Kill()
		<-f.exited
	}
	os.RemoveAll(f.dir)
}

// A profile is a BiDi user context: its own cookies, storage and workers.
func (f *firefox) NewProfile(ctx context.Context) (Profile, error) {
	var uc struct {
		UserContext string `json:"userContext"`
	}
	if err := f.bidi.call(step, "browser.createUserContext", nil, &uc); err != nil {
		return nil, err
	}
	p := &firefoxProfile{f: f, id: uc.UserContext}
	p.stop = context.AfterFunc(ctx, p.Close)
	return p, nil
}

type firefoxProfile struct {
	f    *firefox
	id   string
	stop func() bool
	once sync.Once
}

func (p *firefoxProfile) Open(url string) (Window, error) {
	var c struct {
		Context string `json:"context"`
	}
	if err := p.f.bidi.call(step, "browsingContext.create", map[string]any{"type": "tab", "userContext": p.id}, &c); err != nil {
		return nil, err
	}
	w := &firefoxWindow{f: p.f, id: c.Context}
	return w, w.Navigate(step, url)
}

func (p *firefoxProfile) Close() {
	p.once.Do(func() {
		p.stop()
		_ = p.f.bidi.call(step, "browser.removeUserContext", map[string]any{"userContext": p.id}, nil)
	})
}

// tail keeps the last lines a process printed, for failure messages.
type tail struct {
	mu    sync.Mutex
	n     int
	lines []string
}

func newTail(n int) *tail { return &tail{n: n} }

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > t.n {
		t.lines = t.lines[1:]
	}
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}

// remoteValue is a BiDi script result, of which the tests need strings and nodes.
type remoteValue struct {
	Type     string          `json:"type"`
	Value    json.RawMessage `json:"value"`
	SharedID string          `json:"sharedId"`
}

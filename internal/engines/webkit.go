//go:build !js

package engines

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// webkit is WebKitGTK: WebKitWebDriver starts a MiniBrowser for each
// session, on an Xvfb display of the engine's own. A driver holds one
// session, so each profile has a driver (and a MiniBrowser) of its own.
type webkit struct {
	driver, browser string
	x               *xvfb
	version         string
}

func startWebKit(ctx context.Context) (Engine, error) {
	driver, err := findExec("WebKitWebDriver", "webkit2gtk-driver", "/usr/bin/WebKitWebDriver", "WebKitWebDriver")
	if err != nil {
		return nil, err
	}
	browsers, _ := filepath.Glob("/usr/lib/*/webkit2gtk-4.1/MiniBrowser")
	if len(browsers) == 0 {
		return nil, fmt.Errorf("WebKitGTK's MiniBrowser is not installed (no /usr/lib/*/webkit2gtk-4.1/MiniBrowser): run `make tools`, which installs Debian's webkit2gtk-driver")
	}
	x, err := startXvfb()
	if err != nil {
		return nil, err
	}
	w := &webkit{driver: driver, browser: browsers[0], x: x}
	// A first session tells the version and shows that the engine starts.
	p, err := w.NewProfile(ctx)
	if err != nil {
		x.Close()
		return nil, err
	}
	p.Close()
	return w, nil
}

func (w *webkit) Name() string    { return "webkit" }
func (w *webkit) Version() string { return w.version }
func (w *webkit) Close()          { w.x.Close() }

// A profile is a WebDriver session: a MiniBrowser process of its own.
func (w *webkit) NewProfile(ctx context.Context) (Profile, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	p := &webkitProfile{exited: make(chan struct{})}
	said := newTail(20)
	p.cmd = exec.Command(w.driver, "--port="+strconv.Itoa(port), "--host=127.0.0.1")
	p.cmd.Env = append(os.Environ(), "DISPLAY="+w.x.Display)
	p.cmd.Stdout = writerFunc(func(b []byte) { said.add(string(b)) })
	p.cmd.Stderr = p.cmd.Stdout
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // the driver and the MiniBrowser it starts
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", w.driver, err)
	}
	go func() {
		p.cmd.Wait()
		close(p.exited)
	}()
	fail := func(err error) (Profile, error) {
		p.Close()
		return nil, fmt.Errorf("%w; WebKitWebDriver said:\n%s", err, said)
	}
	root := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := awaitDriver(root, p.exited); err != nil {
		return fail(err)
	}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName":              "MiniBrowser",
		"webkitgtk:browserOptions": map[string]any{"binary": w.browser, "args": []string{"--automation"}},
		"timeouts":                 map[string]any{"script": 600_000, "pageLoad": 60_000},
	}}}
	var s struct {
		SessionID    string `json:"sessionId"`
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	if err := wdCall(60*time.Second, http.MethodPost, root+"/session", caps, &s); err != nil {
		return fail(fmt.Errorf("starting a MiniBrowser session: %w", err))
	}
	w.version = "WebKitGTK " + s.Capabilities.BrowserVersion + " (" + s.Capabilities.BrowserName + ")"
	p.d = &webdriver{base: root + "/session/" + s.SessionID}
	if err := p.d.call(step, http.MethodGet, "/window", nil, &p.initial); err != nil {
		return fail(err)
	}
	p.current = p.initial
	p.stop = context.AfterFunc(ctx, p.Close)
	return p, nil
}

// awaitDriver waits until the driver at root answers /status.
func awaitDriver(root string, exited <-chan struct{}) error {
	deadline := time.Now().Add(step)
	for time.Now().Before(deadline) {
		var status struct {
			Ready bool `json:"ready"`
		}
		if wdCall(time.Second, http.MethodGet, root+"/status", nil, &status) == nil && status.Ready {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("WebKitWebDriver exited before it was ready")
		case <-time.After(50 * time.Millisecond): // polling a server coming up
		}
	}
	return fmt.Errorf("WebKitWebDriver was not ready within %v", step)
}

type webkitProfile struct {
	cmd    *exec.Cmd
	exited chan struct{}
	d      *webdriver
	stop   func() bool

	mu      sync.Mutex // one command at a time: the session has one current window
	initial string     // the session's first window, which the first Open uses
	used    bool
	current string
	once    sync.Once
}

func (p *webkitProfile) Open(url string) (Window, error) {
	p.mu.Lock()
	handle := p.initial
	if p.used {
		var nw struct {
			Handle string `json:"handle"`
		}
		if err := p.d.call(step, http.MethodPost, "/window/new", map[string]any{"type": "window"}, &nw); err != nil {
			p.mu.Unlock()
			return nil, fmt.Errorf("opening a window: %w", err)
		}
		handle = nw.Handle
	}
	p.used = true
	p.mu.Unlock()
	w := &webkitWindow{p: p, handle: handle}
	return w, w.Navigate(60*time.Second, url)
}

func (p *webkitProfile) Close() {
	p.once.Do(func() {
		if p.stop != nil {
			p.stop()
		}
		if p.d != nil {
			_ = p.d.call(10*time.Second, http.MethodDelete, "", nil, nil)
		}
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL) // the process group started for the profile
		<-p.exited
	})
}

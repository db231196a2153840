//go:build !js

// Package chromium finds headless Chromium for the end-to-end tests and the
// benchmark, and gives the flags it needs on a machine with no network
// beyond loopback, run as root.
package chromium

import (
	"errors"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// Find returns the first Chrome or Chromium on PATH. `make tools` links
// bin/headless_shell, which starts fastest.
func Find() (string, error) {
	for _, name := range []string{"headless_shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no headless_shell, chromium or google-chrome on PATH: run `make tools`, then put bin/ first on PATH")
}

// Options are chromedp's defaults (headless, no background networking, no
// sync) for the browser at path, with no GPU or component updates, no
// sandbox as root, and a fixed window; extra ones come last and win.
func Options(path string, extra ...chromedp.ExecAllocatorOption) []chromedp.ExecAllocatorOption {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	return append(opts, extra...)
}

//go:build !js

// Command wasmexec runs a js/wasm test binary in headless Chromium through
// wasmbrowsertest, beside an emulated ServiceNow instance on a second origin
// and a server for the built worker (dist/) on a third. Use it as
// `go test -exec=/abs/path/wasmexec`, with wasmbrowsertest beside it.
//
// Tests find the servers in SNWORKER_INSTANCE and SNWORKER_ASSETS. The
// assets server also plays the user: POST /authorize?url=<authorize URL>
// [&deny=1] logs in as admin and answers the redirect URL as text.
// The environment passed on is trimmed, as wasm_exec.js caps it at 8 KiB.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/snworker/snworker/emulator"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: wasmexec <test.wasm> [args…]")
		os.Exit(2)
	}
	dist := os.Getenv("SNWORKER_DIST")
	if dist == "" {
		fmt.Fprintln(os.Stderr, "wasmexec: SNWORKER_DIST is not set; want the folder `make build` fills")
		os.Exit(2)
	}
	instance := serve(emulator.New(emulator.Config{
		Clients:        []emulator.Client{{ID: "snworker-test", RedirectURIs: []string{"http://127.0.0.1/redirect.html"}}},
		AllowedOrigins: []string{"http://127.0.0.1:*"},
		TokenCORS:      true,
		TestControls:   true,
	}))
	assets := serve(assetHandler(dist))

	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmexec:", err)
		os.Exit(2)
	}
	cmd := exec.Command(filepath.Join(filepath.Dir(self), "wasmbrowsertest"), os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"SNWORKER_INSTANCE=" + instance, "SNWORKER_ASSETS=" + assets}
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			os.Exit(ee.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "wasmexec:", err)
		os.Exit(2)
	}
}

func serve(h http.Handler) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmexec:", err)
		os.Exit(2)
	}
	go http.Serve(l, h)
	return "http://" + l.Addr().String()
}

func assetHandler(dist string) http.Handler {
	files := http.FileServer(http.Dir(dist))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.URL.Path == "/authorize" && r.Method == http.MethodPost {
			loc, err := emulator.Authorize(r.URL.Query().Get("url"), "admin", "admin", r.URL.Query().Get("deny") == "")
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			fmt.Fprint(w, loc.String())
			return
		}
		files.ServeHTTP(w, r)
	})
}

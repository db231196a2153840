//go:build interop

// Package interop runs a ServiceNow client library written by others
// against the emulator: `make interop`, outside `make test`.
package interop

import (
	"encoding/pem"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/snworker/snworker/emulator"
)

// TestServiceNowRestAPI runs servicenow-rest-api (installed by `npm ci`
// into node_modules here) over TLS with basic auth, as it only speaks.
func TestServiceNowRestAPI(t *testing.T) {
	if _, err := os.Stat(filepath.Join("node_modules", "servicenow-rest-api")); err != nil {
		t.Fatalf("servicenow-rest-api is not installed: run `make interop`, which runs npm ci here first (%v)", err)
	}
	ts := httptest.NewUnstartedServer(emulator.New(emulator.Config{BasicAuth: true}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.Listener = ln
	ts.StartTLS()
	defer ts.Close()

	ca := filepath.Join(t.TempDir(), "ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})
	if err := os.WriteFile(ca, cert, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "run.js")
	cmd.Env = append(os.Environ(), "INSTANCE="+ln.Addr().String(), "NODE_EXTRA_CA_CERTS="+ca)
	out, err := cmd.CombinedOutput()
	t.Logf("servicenow-rest-api against the emulator:\n%s", out)
	if err != nil {
		t.Fatalf("some steps failed (%v); see above", err)
	}
}

package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFlagsDefaults(t *testing.T) {
	o, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, options{
		addr: "127.0.0.1:8080", instanceAddr: "127.0.0.1:8081", clientID: "snworker-demo",
		endpoints: "openfin", dist: "dist",
	}, o)
}

func TestParseFlagsInstance(t *testing.T) {
	o, err := parseFlags(strings.Fields("-instance https://Acme.service-now.com/ -client-id abc -endpoints servicenow -addr :9000"), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "https://acme.service-now.com", o.instance)
	assert.Equal(t, "abc", o.clientID)
	assert.Equal(t, "servicenow", o.endpoints)
	assert.Equal(t, ":9000", o.addr)

	for args, want := range map[string]string{
		"-instance https://acme.service-now.com":                                "needs -client-id",
		"-instance acme.service-now.com -client-id a":                           `-instance "acme.service-now.com": want an instance URL`,
		"-instance http://acme.service-now.com -client-id a":                    "http only on localhost",
		"-instance https://acme.service-now.com/nav -client-id a":               "want an instance URL",
		"-instance https://acme.service-now.com -client-id a -instance-addr :1": "no emulator starts",
		"-endpoints azure": `-endpoints "azure": want openfin or servicenow`,
		"-client-id":       "flag needs an argument",
		"stray":            `unexpected argument "stray"`,
	} {
		_, err := parseFlags(strings.Fields(args), io.Discard)
		require.Error(t, err, args)
		assert.Contains(t, err.Error(), want, args)
	}
	o, err = parseFlags(strings.Fields("-instance http://localhost:9999 -client-id a"), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "http://localhost:9999", o.instance)
}

func TestEmulatorConfig(t *testing.T) {
	cfg := emulatorConfig("http://127.0.0.1:8080", options{clientID: "snworker-demo", endpoints: "openfin"})
	require.Len(t, cfg.Clients, 1)
	c := cfg.Clients[0]
	assert.Equal(t, "snworker-demo", c.ID)
	assert.Empty(t, c.Secret, "a public client")
	assert.Equal(t, []string{"http://127.0.0.1:8080/", "http://localhost:8080/"}, c.RedirectURIs)
	assert.Equal(t, []string{"http://127.0.0.1:8080", "http://localhost:8080"}, cfg.AllowedOrigins)
	assert.False(t, cfg.TokenCORS, "like a real instance")
	assert.False(t, cfg.TestControls)
	assert.True(t, emulatorConfig("http://127.0.0.1:8080", options{endpoints: "servicenow"}).TokenCORS)
}

func TestBaseURL(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080",
		"[::]:8080":      "http://127.0.0.1:8080",
		"0.0.0.0:80":     "http://127.0.0.1:80",
		"[::1]:8080":     "http://[::1]:8080",
	} {
		a, err := net.ResolveTCPAddr("tcp", addr)
		require.NoError(t, err)
		assert.Equal(t, want, baseURL(a), addr)
	}
}

func TestStartServesBoth(t *testing.T) {
	o := options{addr: "127.0.0.1:0", instanceAddr: "127.0.0.1:0", clientID: demoClient, endpoints: "openfin", dist: fakeDist(t)}
	d, err := start(o, io.Discard)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		assert.NoError(t, d.Close(ctx))
	})
	var banner strings.Builder
	d.banner(&banner, o)
	assert.Contains(t, banner.String(), "app:       "+d.appURL)
	assert.Contains(t, banner.String(), "instance:  "+d.instanceURL+" (emulated")
	assert.Contains(t, banner.String(), "admin / admin")

	res, err := http.Get(d.appURL + "/config.json")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)

	// The emulator lets the app's origin call its REST API.
	req, _ := http.NewRequest(http.MethodOptions, d.instanceURL+"/api/now/table/incident", nil)
	req.Header.Set("Origin", d.appURL)
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "authorization")
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, d.appURL, res.Header.Get("Access-Control-Allow-Origin"))
}

func TestStartWithRealInstance(t *testing.T) {
	o := options{addr: "127.0.0.1:0", instance: "https://acme.service-now.com", clientID: "abc", endpoints: "openfin", dist: fakeDist(t)}
	d, err := start(o, io.Discard)
	require.NoError(t, err)
	defer d.Close(context.Background())
	assert.Nil(t, d.emulator)
	var banner strings.Builder
	d.banner(&banner, o)
	assert.Contains(t, banner.String(), "https://acme.service-now.com (client abc")
	assert.Contains(t, banner.String(), d.appURL+"/")
	assert.NotContains(t, banner.String(), "admin / admin")
}

func TestStartErrors(t *testing.T) {
	_, err := start(options{addr: "127.0.0.1:0", instanceAddr: "256.0.0.1:1", clientID: "a", endpoints: "openfin", dist: fakeDist(t)}, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-instance-addr")
	_, err = start(options{addr: "127.0.0.1:0", instanceAddr: "127.0.0.1:0", clientID: "a", endpoints: "openfin", dist: t.TempDir()}, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "run make build")
}

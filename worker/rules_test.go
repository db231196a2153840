//go:build !js

package worker

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/snworker/snworker/bridge"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ruleCases are the cases that the module (internal/jstest/rules.test.mjs)
// and the worker must decide alike: the module checks these rules before
// the sign-in window opens, the worker checks them again.
type ruleCases struct {
	Instance []struct {
		URL    string  `json:"url"`
		Origin *string `json:"origin"`
	} `json:"instance"`
	Under []struct {
		Path   string `json:"path"`
		Prefix string `json:"prefix"`
		Under  bool   `json:"under"`
	} `json:"under"`
	ReservedAuthParams []struct {
		Key      string `json:"key"`
		Reserved bool   `json:"reserved"`
	} `json:"reservedAuthParams"`
	ClientID []valueCase `json:"clientId"`
	Scope    []valueCase `json:"scope"`
}

type valueCase struct {
	Value string `json:"value"`
	OK    bool   `json:"ok"`
}

func readRuleCases(t *testing.T) ruleCases {
	src, err := os.ReadFile("../bridge/testdata/rules.json")
	require.NoError(t, err)
	var c ruleCases
	require.NoError(t, json.Unmarshal(src, &c))
	require.NotEmpty(t, c.Instance)
	require.NotEmpty(t, c.Under)
	require.NotEmpty(t, c.ReservedAuthParams)
	require.NotEmpty(t, c.ClientID)
	require.NotEmpty(t, c.Scope)
	return c
}

// The worker accepts, as it is, every origin connect() sends it, and
// refuses every instance URL connect() refuses.
func TestRulesInstanceURL(t *testing.T) {
	for _, c := range readRuleCases(t).Instance {
		if c.Origin == nil {
			_, err := instanceURL(c.URL)
			assert.NotNil(t, err, "the worker accepts %q, which connect() refuses", c.URL)
			continue
		}
		u, err := instanceURL(*c.Origin)
		if assert.Nil(t, err, "the worker refuses %q, which connect() sends for %q", *c.Origin, c.URL) {
			assert.Equal(t, *c.Origin, u.String(), "for %q", c.URL)
		}
	}
}

func TestRulesUnder(t *testing.T) {
	for _, c := range readRuleCases(t).Under {
		assert.Equal(t, c.Under, under(c.Path, c.Prefix), "under(%q, %q)", c.Path, c.Prefix)
	}
}

func TestRulesReservedAuthParams(t *testing.T) {
	c, perr := newConfig(&bridge.InitParams{InstanceURL: "https://name.service-now.com", ClientID: "c", RedirectURI: "https://app.example/"})
	require.Nil(t, perr)
	for _, k := range readRuleCases(t).ReservedAuthParams {
		_, _, err := c.begin(&bridge.BeginParams{AuthFlowParams: map[string]string{k.Key: "v"}})
		assert.Equal(t, k.Reserved, err != nil, "authFlowParams key %q: the worker's error is %v", k.Key, err)
	}
}

func TestRulesClientIDAndScope(t *testing.T) {
	cases := readRuleCases(t)
	init := func(clientID string, scopes []string) *bridge.Error {
		_, err := newConfig(&bridge.InitParams{InstanceURL: "https://name.service-now.com", ClientID: clientID,
			RedirectURI: "https://app.example/", Scopes: scopes})
		return err
	}
	for _, c := range cases.ClientID {
		err := init(c.Value, nil)
		assert.Equal(t, c.OK, err == nil, "clientId %q: the worker's error is %v", c.Value, err)
	}
	for _, c := range cases.Scope {
		err := init("client", []string{c.Value})
		assert.Equal(t, c.OK, err == nil, "scope %q: the worker's error is %v", c.Value, err)
	}
}

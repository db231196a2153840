//go:build !js

package worker

import (
	"strings"
	"testing"

	"github.com/snworker/snworker/bridge"
	"github.com/stretchr/testify/assert"
)

// A token or revoke path that API requests can reach is refused: a page
// that moved revokePath onto the Table API got disconnect() to report
// success while both tokens stayed valid.
func TestEndpointsOutsideTheAPI(t *testing.T) {
	good := bridge.InitParams{InstanceURL: "https://dev1.service-now.com", ClientID: "c", RedirectURI: "https://app/r"}
	for _, c := range []struct {
		token, revoke string
		allowed       []string
		want          string
	}{
		{"", "/api/now/table/incident", nil, `revokePath "/api/now/table/incident" is under the Table API`},
		{"/api/now/table/incident", "", nil, `tokenPath "/api/now/table/incident" is under the Table API`},
		{"", "/api/now/v2/table/sys_user", nil, "revokePath"},
		{"", "/API/NOW/table/incident", nil, "is under the Table API"},
		{"", "/api/now", nil, "is under the Table API"},
		{"/api/now/table/x?a=b", "", nil, "tokenPath"},
		{"", "/api/x_acme/v1/echo/revoke", []string{"/api/x_acme/v1/echo"}, `revokePath "/api/x_acme/v1/echo/revoke" is under allowedPaths entry "/api/x_acme/v1/echo"`},
		{bridge.OpenFinTokenPath, bridge.OpenFinRevokePath, []string{"/api/"}, `tokenPath "` + bridge.OpenFinTokenPath + `" is under allowedPaths entry "/api/"`},
		{"", bridge.OpenFinRevokePath, []string{"/api/x_opfi_openfin/v1/integration/"}, "revokePath"},
		// Not a revocation endpoint: disconnect() would report tokens revoked that still work.
		{"", "/", nil, `revokePath "/" cannot be a revocation endpoint`},
		{"", "/home.do", nil, `revokePath "/home.do" cannot be a revocation endpoint`},
		{"", "/revoke/index.html", nil, "cannot be a revocation endpoint"},
		{"", "/nav_to.do?uri=revoke", nil, "cannot be a revocation endpoint"},
	} {
		p := good
		p.TokenPath, p.RevokePath, p.AllowedPaths = c.token, c.revoke, c.allowed
		_, err := newConfig(&p)
		if !assert.NotNil(t, err, "%+v was accepted", c) {
			continue
		}
		assert.Equal(t, bridge.NameParameter, err.Name)
		assert.Contains(t, err.Message, c.want)
		assert.Contains(t, err.Message, "want ")
	}
	for _, ok := range []bridge.InitParams{
		{TokenPath: bridge.OpenFinTokenPath, RevokePath: bridge.OpenFinRevokePath, AllowedPaths: []string{"/api/now/table/incident", bridge.OpenFinUserPath}},
		{AllowedPaths: []string{"/api/now/table/"}},
		{TokenPath: "/api/nowhere/token", RevokePath: "/api/x_acme/revoke", AllowedPaths: []string{"/api/x_acme/revoker"}},
	} {
		p := good
		p.TokenPath, p.RevokePath, p.AllowedPaths = ok.TokenPath, ok.RevokePath, ok.AllowedPaths
		_, err := newConfig(&p)
		assert.Nil(t, err, "%+v", ok)
	}
	assert.False(t, strings.HasPrefix(bridge.OpenFinTokenPath, tableAPI), "the Store app's endpoints are outside the Table API")
}

//go:build !js

package deployment

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite js/deployment.js")

const deploymentJS = "../js/deployment.js"

func TestJSModule(t *testing.T) {
	want := JSModule()
	if *update {
		require.NoError(t, os.WriteFile(deploymentJS, []byte(want), 0o644))
	}
	got, err := os.ReadFile(deploymentJS)
	require.NoError(t, err)
	assert.Equal(t, want, string(got), "js/deployment.js is stale: run `go test ./deployment/ -run TestJSModule -update`")
}

// The policy tables in the docs give the policies the demo sends.
func TestDocsGiveThePolicies(t *testing.T) {
	for _, doc := range []string{"../docs/deployment.md", "../js/README.md"} {
		b, err := os.ReadFile(doc)
		require.NoError(t, err)
		text := string(b)
		for _, p := range []string{PagePolicy, RedirectPolicy, BasePolicy, WorkerPolicy("https://acme.service-now.com")} {
			assert.Contains(t, text, "`"+p+"`", "%s does not give the policy in its table", doc)
		}
		for _, url := range Docs {
			if page, ok := strings.CutPrefix(url, docsURL); ok {
				file, _, _ := strings.Cut(page, "#")
				_, err := os.Stat("../" + file)
				assert.NoError(t, err, "docs link %s", url)
			}
		}
	}
}

//go:build !js

package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snworker/snworker/internal/wasmbuild"
)

// repoURL is how the package's README links to the repository's files.
const repoURL = "https://github.com/snworker/snworker/blob/main/"

var (
	fence   = regexp.MustCompile("(?ms)^\\s*```.*?^\\s*```")
	link    = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	heading = regexp.MustCompile(`(?m)^#{1,6} (.+)$`)
)

// pages are the Markdown files a reader follows links between.
func pages(t *testing.T, root string) []string {
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	require.NoError(t, err)
	require.NotEmpty(t, docs, "no docs/*.md")
	return append([]string{filepath.Join(root, "README.md"), filepath.Join(root, "js", "README.md")}, docs...)
}

// anchors are the ids GitHub gives a page's headings.
func anchors(text string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	for _, m := range heading.FindAllStringSubmatch(fence.ReplaceAllString(text, ""), -1) {
		id := strings.Map(func(r rune) rune {
			switch {
			case r == ' ':
				return '-'
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				return unicode.ToLower(r)
			}
			return -1
		}, strings.TrimSpace(m[1]))
		if n := seen[id]; n > 0 {
			out[id+"-"+strconv.Itoa(n)] = true
		} else {
			out[id] = true
		}
		seen[id]++
	}
	return out
}

// TestLinksResolve checks that every link between the docs names a file
// that exists and, with a #fragment, a heading of that file.
func TestLinksResolve(t *testing.T) {
	root, err := wasmbuild.Root()
	require.NoError(t, err)
	checked := 0
	for _, page := range pages(t, root) {
		b, err := os.ReadFile(page)
		require.NoError(t, err)
		rel, _ := filepath.Rel(root, page)
		for _, m := range link.FindAllStringSubmatch(fence.ReplaceAllString(string(b), ""), -1) {
			target, fragment, _ := strings.Cut(m[1], "#")
			switch {
			case strings.HasPrefix(target, repoURL):
				target = filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(target, repoURL)))
			case strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:"):
				continue
			case target == "":
				target = page
			default:
				target = filepath.Join(filepath.Dir(page), filepath.FromSlash(target))
			}
			checked++
			if _, err := os.Stat(target); !assert.NoError(t, err, "%s links to %s", rel, m[1]) || fragment == "" || !strings.HasSuffix(target, ".md") {
				continue
			}
			text, err := os.ReadFile(target)
			require.NoError(t, err)
			assert.True(t, anchors(string(text))[fragment], "%s links to %s: no such heading", rel, m[1])
		}
	}
	assert.Greater(t, checked, 50, "found too few links: is the pattern out of date?")
}

// TestReadmeIsShort checks that the README stays a ten-minute read with the
// two commands CI and newcomers start from.
func TestReadmeIsShort(t *testing.T) {
	root, err := wasmbuild.Root()
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	lines := strings.Count(string(b), "\n")
	assert.Less(t, lines, 300, "README.md has %d lines; move detail to docs/", lines)
	assert.Contains(t, string(b), "make run")
	assert.Contains(t, string(b), "make test")
}

// Package docs checks the Markdown documentation: README.md, docs/ and the
// npm package's js/README.md. It has no code of its own.
package docs

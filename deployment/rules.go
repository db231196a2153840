// Package deployment holds the rules a deployment of the module follows:
// the Content-Security-Policies, the serving rule for worker.js, the wasm's
// type and the files the worker fetches. The demo (example/) serves by them;
// `snworker check` (js/check.js) checks a deployed app against them through
// js/deployment.js, which is generated from here; the docs' policy table is
// tested against them.
package deployment

import "github.com/snworker/snworker/bridge"

// Content Security Policies. The page and the redirect page run only the
// app's own scripts and styles. The worker, whose policy comes from the
// worker script's response, compiles the wasm and is the only part that
// talks to the instance.
const (
	// BasePolicy covers every response that sets no other policy, and
	// worker.js when it is refused.
	BasePolicy = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

	PagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
		"connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

	RedirectPolicy = "default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

	// workerPolicyPrefix is the worker's policy up to the instance's origin.
	workerPolicyPrefix = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' "
)

// WorkerPolicy lets the worker load its script, compile the wasm and call
// the instance (an origin such as https://acme.service-now.com), and
// nothing else.
func WorkerPolicy(instance string) string { return workerPolicyPrefix + instance }

// WorkerDests are the Sec-Fetch-Dest values of a request for a worker's
// script: worker.js is served to these and refused to every other.
var WorkerDests = []string{"worker", "sharedworker"}

// WasmType is the Content-Type of the wasm files.
const WasmType = "application/wasm"

// Files the worker fetches beside its script: the probe first; then, if the
// server compressed the probe, the wasm as the server sends it, else its gzip.
const (
	WasmFile  = "snworker.wasm"
	GzipFile  = "snworker.wasm.gz"
	ProbeFile = "compression-probe.wasm"
)

// A CSPRule is what one directive of a policy must say. The directive's
// value is its own, or that of the first of Fallback the policy has, as
// browsers read it.
type CSPRule struct {
	Directive string   `json:"directive"`
	Fallback  []string `json:"fallback"`
	// Forbid lists sources the value must not hold.
	Forbid []string `json:"forbid,omitempty"`
	// Only lists the values allowed, if set.
	Only []string `json:"only,omitempty"`
	// AnyOf lists sources of which the value must hold one, if set.
	AnyOf []string `json:"anyOf,omitempty"`
	// Instance: the value must allow the instance's origin.
	Instance bool `json:"instance,omitempty"`
	// Why says what the rule protects, for a failure's message.
	Why string `json:"why"`
}

// PageRules are what the app page's policy (and the redirect page's, when
// it is another) must say. PagePolicy satisfies them.
var PageRules = []CSPRule{
	{Directive: "worker-src", Fallback: []string{"child-src", "script-src", "default-src"},
		Forbid: []string{"blob:", "data:", "*", "https:", "http:"},
		Why:    "page script could start the worker from a Blob or data: URL whose first line hooks fetch and reads the bearer header"},
	{Directive: "script-src", Fallback: []string{"default-src"},
		Forbid: []string{"'unsafe-inline'", "blob:", "data:", "*", "https:", "http:"},
		Why:    "injected script could run in the page"},
	{Directive: "connect-src", Fallback: []string{"default-src"},
		Forbid: []string{"*", "https:", "http:"},
		Why:    "page script could send what it reads to any server"},
	{Directive: "frame-ancestors", Only: []string{"'none'", "'self'"},
		Why: "another site could frame the app and its sign-in"},
}

// WorkerRules are what worker.js's own policy must say. WorkerPolicy
// satisfies them.
var WorkerRules = []CSPRule{
	{Directive: "script-src", Fallback: []string{"default-src"},
		AnyOf: []string{"'wasm-unsafe-eval'", "'unsafe-eval'"},
		Why:   "the worker cannot compile its wasm"},
	{Directive: "connect-src", Fallback: []string{"default-src"},
		Forbid: []string{"*", "https:", "http:"}, Instance: true,
		Why: "the worker must reach the instance, and nothing else, so that a worker page script starts with an instance URL of its own cannot reach that server"},
}

// Docs are the pages a failure links to.
const docsURL = "https://github.com/snworker/snworker/blob/main/"

var Docs = map[string]string{
	"serving":     docsURL + "docs/deployment.md#serving-the-module",
	"compression": docsURL + "docs/deployment.md#compression-the-first-download-is-small-on-any-server",
	"redirect":    docsURL + "docs/deployment.md#redirect-pages",
	"cors":        docsURL + "README.md#setting-up-the-instance",
	"check":       docsURL + "docs/deployment.md#checking-a-deployment",
}

// TokenPaths are the token endpoints the worker tries, in its order of
// preference (see worker/endpoints.go).
var TokenPaths = []string{bridge.DefaultTokenPath, bridge.OpenFinTokenPath}

// APIPath is a path under /api/now/ whose CORS the checker asks about.
const APIPath = "/api/now/table/incident"

// RedirectMarker is a string in the module's code that finishes a sign-in
// (js/redirect.js): a redirect page's scripts must hold it.
const RedirectMarker = "snworker:redirect"

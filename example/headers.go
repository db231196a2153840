package main

import "net/http"

// Content Security Policies. The page and the redirect page run only the
// app's own scripts and styles. The worker, whose policy comes from the
// worker script's response, compiles the wasm and is the only part that
// talks to the instance.
const (
	// basePolicy covers every response that sets no other policy.
	basePolicy = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

	pagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
		"connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

	redirectPolicy = "default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

// workerPolicy lets the worker load wasm_exec.js, compile the wasm and call
// the instance, and nothing else.
func workerPolicy(instance string) string {
	return "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' " + instance
}

// secure sets the headers every response carries.
func secure(h http.Header) {
	h.Set("Content-Security-Policy", basePolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}

// document sets the headers of an HTML page with the given policy.
func document(h http.Header, policy string) {
	h.Set("Content-Security-Policy", policy)
	h.Set("X-Frame-Options", "DENY")
}

package main

import (
	"net/http"

	"github.com/snworker/snworker/deployment"
)

// secure sets the headers every response carries.
func secure(h http.Header) {
	h.Set("Content-Security-Policy", deployment.BasePolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}

// document sets the headers of an HTML page with the given policy.
func document(h http.Header, policy string) {
	h.Set("Content-Security-Policy", policy)
	h.Set("X-Frame-Options", "DENY")
}

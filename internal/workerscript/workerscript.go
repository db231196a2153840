// Package workerscript is the serving rule for the worker's bootstrap
// script (webworker/worker.js, shipped as worker.js): it goes only to a
// browser loading it as a Web Worker's script, never to a document. Its response carries the worker's
// Content-Security-Policy, which lets it compile WebAssembly and reach the
// instance; a document showing it (a popup, an iframe or a navigation)
// would get that policy too, and page script on the same origin could use
// it through the document's window. Browsers say what a request is for in
// Sec-Fetch-Dest: "worker" or "sharedworker" for a worker's script,
// "document", "iframe" and others for pages.
package workerscript

import (
	"net/http"
	"slices"

	"github.com/snworker/snworker/deployment"
)

// Allowed reports whether r loads a dedicated or shared worker's script.
// A request without Sec-Fetch-Dest (an old browser, or not a browser) is
// refused.
func Allowed(r *http.Request) bool {
	return slices.Contains(deployment.WorkerDests, r.Header.Get("Sec-Fetch-Dest"))
}

// Refused is the body of the refusal.
const Refused = "403 forbidden: this is a Web Worker's script, served only to new Worker() (Sec-Fetch-Dest: worker or sharedworker), not as a page\n"

// Serve answers r as the rule says: next serves the script, or the request
// is refused with 403. Either way the response varies with Sec-Fetch-Dest,
// so that no cache hands one answer to the other kind of request.
func Serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	w.Header().Add("Vary", "Sec-Fetch-Dest")
	if !Allowed(r) {
		h := w.Header()
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(Refused))
		return
	}
	next.ServeHTTP(w, r)
}

// Guard serves next, applying the rule to requests for path.
func Guard(path string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path {
			Serve(w, r, next)
			return
		}
		next.ServeHTTP(w, r)
	})
}

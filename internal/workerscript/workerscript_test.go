package workerscript

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGuard(t *testing.T) {
	h := Guard("/js/worker.js", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("script"))
	}))
	for dest, want := range map[string]int{
		"worker": 200, "sharedworker": 200,
		"": 403, "document": 403, "iframe": 403, "frame": 403, "embed": 403, "object": 403,
		"script": 403, "empty": 403, "serviceworker": 403, "Worker": 403, "worker ": 403,
	} {
		r := httptest.NewRequest(http.MethodGet, "/js/worker.js", nil)
		if dest != "" {
			r.Header.Set("Sec-Fetch-Dest", dest)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		assert.Equal(t, want, w.Code, "Sec-Fetch-Dest %q", dest)
		assert.Equal(t, "Sec-Fetch-Dest", w.Header().Get("Vary"), dest)
		if want == 403 {
			assert.Equal(t, Refused, w.Body.String())
			assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
		} else {
			assert.Equal(t, "script", w.Body.String())
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/js/servicenow.js", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, 200, w.Code, "other files are left alone")
	assert.Empty(t, w.Header().Get("Vary"))
}

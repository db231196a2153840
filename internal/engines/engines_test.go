//go:build !js

package engines

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testPage = `<!DOCTYPE html><title>engines</title>
<button id="open">Open</button>
<script>
window.opened = 0;
document.getElementById('open').addEventListener('click', () => {
  window.popup = window.open('/popup', 'pop', 'width=400,height=300');
  window.opened += window.popup ? 1 : 0;
});
</script>`

// Every engine evaluates, clicks with a user gesture, follows the popup
// the click opens, closes it and sees it gone; and its popup blocker
// refuses a window opened without a gesture, but for the headless shell,
// which has none.
func TestEngines(t *testing.T) {
	if testing.Short() {
		t.Skip("starts every browser engine")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(testPage)) })
	mux.HandleFunc("/popup", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<!DOCTYPE html><title>popup</title><p id="here">popup</p>`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	names := Names // the headless shell too, which the single-engine e2e tests use
	if os.Getenv("SNWORKER_ENGINES") != "" {
		names = Selected()
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			start := time.Now()
			e, err := Start(ctx, name)
			require.NoError(t, err)
			defer e.Close()
			t.Logf("%s started in %v", e.Version(), time.Since(start).Round(time.Millisecond))
			p, err := e.NewProfile(ctx)
			require.NoError(t, err)
			defer p.Close()
			w, err := p.Open(srv.URL + "/")
			require.NoError(t, err)

			var n int
			require.NoError(t, w.Eval(15*time.Second, "new Promise((resolve) => setTimeout(() => resolve(42), 10))", &n))
			assert.Equal(t, 42, n)
			var v any
			require.NoError(t, w.Eval(15*time.Second, "undefined", &v))
			assert.Nil(t, v)
			err = w.Eval(15*time.Second, "Promise.reject(new Error('nope'))", nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "nope")
			err = w.Eval(300*time.Millisecond, "new Promise(() => {})", nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "no answer within 300ms")

			var blocked bool
			require.NoError(t, w.Eval(15*time.Second, "window.open('/popup', 'nogesture') === null", &blocked))
			if name == "headless-shell" {
				assert.False(t, blocked, "the headless shell has no popup blocker")
			} else {
				assert.True(t, blocked, "the popup blocker refuses a window opened without a user gesture")
			}

			pop, err := w.ClickForPopup(10*time.Second, "#open")
			require.NoError(t, err)
			require.NoError(t, WaitFor(pop, 10*time.Second, "document.getElementById('here')"))
			var title string
			require.NoError(t, pop.Eval(15*time.Second, "document.title", &title))
			assert.Equal(t, "popup", title)
			require.NoError(t, pop.Close(5*time.Second))
			require.NoError(t, pop.Gone(5*time.Second))
			require.NoError(t, WaitFor(w, 5*time.Second, "window.popup.closed"))

			w2, err := p.Open(srv.URL + "/?second")
			require.NoError(t, err)
			var search string
			require.NoError(t, w2.Eval(15*time.Second, "location.search", &search))
			assert.Equal(t, "?second", search)
			require.NoError(t, w.Eval(15*time.Second, "location.search", &search))
			assert.Equal(t, "", search, "the first window is still there")
			_, err = w.ClickForPopup(time.Second, "#nothing")
			assert.Error(t, err)
		})
	}
}

package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault replaces the normal handling of requests to a path.
type Fault struct {
	Status   int           // reply with this status and a ServiceNow-shaped error body
	Delay    time.Duration // wait this long first (ends early if the request is cancelled)
	Drop     bool          // close the connection without replying
	HTML     bool          // reply with an HTML error page (status from Status or 500)
	Truncate bool          // declare a longer Content-Length than the body sent, then close
	Redirect string        // redirect here (status from Status if 3xx, else 302)
	Echo     bool          // reply with a JSON error (status from Status or 400) that repeats the request's secrets in every JSON escape form (see echo.go)
	Times    int           // how many requests it applies to; 0 = until Reset
}

type faultState struct {
	f    Fault
	left int
}

// InjectFault makes requests to path (the URL path, e.g. "/oauth_token.do")
// fail as f says. A path ending in "*" matches by prefix. A new fault for
// the same path replaces the old one. Preflights are never faulted.
func (s *Server) InjectFault(path string, f Fault) {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.faults[path] = &faultState{f: f, left: f.Times}
}

// takeFault returns the fault for path p, using up one of its Times.
func (s *Server) takeFault(p string) (Fault, bool) {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	key := p
	fs := s.faults[p]
	if fs == nil {
		for k, v := range s.faults {
			prefix, ok := strings.CutSuffix(k, "*")
			if ok && strings.HasPrefix(p, prefix) && (fs == nil || len(k) > len(key)) {
				key, fs = k, v
			}
		}
	}
	if fs == nil {
		return Fault{}, false
	}
	if fs.f.Times > 0 {
		if fs.left--; fs.left <= 0 {
			delete(s.faults, key)
		}
	}
	return fs.f, true
}

// applyFault applies a fault to the request and reports whether it replied.
// A fault with only a Delay lets the request through afterwards.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request) bool {
	f, ok := s.takeFault(r.URL.Path)
	if !ok {
		return false
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-r.Context().Done():
			return true
		case <-t.C:
		}
	}
	switch {
	case f.Drop:
		drop(w)
	case f.Truncate:
		truncate(w, f.Status)
	case f.HTML:
		htmlFault(w, f.Status)
	case f.Echo:
		echoFault(w, r, f.Status)
	case f.Redirect != "":
		redirectFault(w, f.Redirect, f.Status)
	case f.Status != 0:
		if isTokenPath(r.URL.Path) {
			tokenErrorStatus(w, f.Status)
		} else {
			apiError(w, r, f.Status, http.StatusText(f.Status), "Injected fault")
		}
	default:
		return false
	}
	return true
}

func isTokenPath(p string) bool {
	return p == tokenPath || p == revokePath || p == openfinTokensPath
}

// drop closes the connection without a reply.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			_ = c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// truncate sends headers promising more body than it sends, then aborts.
func truncate(w http.ResponseWriter, status int) {
	if status == 0 {
		status = http.StatusOK
	}
	body := []byte(`{"result":[{"sys_id":"`)
	w.Header().Set("Content-Type", jsonType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+4096))
	w.WriteHeader(status)
	_, _ = w.Write(body)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	panic(http.ErrAbortHandler)
}

func redirectFault(w http.ResponseWriter, location string, status int) {
	if status/100 != 3 {
		status = http.StatusFound
	}
	w.Header().Set("Location", location)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
}

func htmlFault(w http.ResponseWriter, status int) {
	if status == 0 {
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "text/html;charset=UTF-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><title>%d %s</title></head><body><h1>%[1]d %[2]s</h1><p>The server is unavailable.</p></body></html>\n",
		status, http.StatusText(status))
}

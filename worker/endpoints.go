package worker

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/snworker/snworker/bridge"
	"golang.org/x/oauth2"
)

// probeToken is a refresh token no instance issues: a refresh grant with
// it is refused, and changes nothing on the instance.
const probeToken = "snworker.endpoint-check.not-a-token"

// discovery finds, once, which token endpoint this origin can read.
type discovery struct {
	done chan struct{}
	err  *bridge.Error
}

// discover checks the instance's own token endpoint and the OpenFin Store
// app's at the same time, and uses the first that answers this origin
// through CORS, the instance's own when both do.
func (w *Worker) discover(c *config) *discovery {
	d := &discovery{done: make(chan struct{})}
	go func() {
		defer close(d.done)
		ctx, cancel := context.WithTimeout(context.Background(), w.timeout)
		defer cancel()
		candidates := []bridge.EndpointsResult{servicenowEndpoints, openFinEndpoints}
		w.log("info", "checking which token endpoint this origin can read: a refresh grant with a made-up token to "+
			servicenowEndpoints.TokenPath+" and to "+openFinEndpoints.TokenPath+
			", which the instance refuses; the browser may log a CORS error for the one it cannot read")
		found := make([]chan error, len(candidates))
		base, instance := *c.oauth, c.instance.String() // c.use changes c.oauth while a probe may still run
		for i, e := range candidates {
			found[i] = make(chan error, 1)
			go func() { found[i] <- readable(ctx, w.client, base, instance+e.TokenPath) }()
		}
		var csp error
		for i, e := range candidates {
			err := <-found[i] // every reader of the endpoints waits for done
			if err == nil {
				c.use(e)
				w.log("info", "token endpoint found: "+e.TokenPath)
				return
			}
			if csp == nil && strings.Contains(err.Error(), cspRefused) {
				csp = err
			}
		}
		if csp != nil {
			d.err = bridge.Errorf(bridge.NameInitialization, "the worker cannot reach the instance's token endpoints: %v", csp)
			return
		}
		d.err = bridge.Errorf(bridge.NameInitialization,
			"neither %s nor the OpenFin Store app's %s answers %s through CORS, so the worker cannot get tokens. "+
				"Either set the instance's system property glide.oauth.cors.allowed.origin to %[3]s, "+
				"or install the OpenFin Store app and add a CORS rule for %[3]s on its API (/api/x_opfi_openfin/); "+
				"then call connect() again", bridge.DefaultTokenPath, bridge.OpenFinTokenPath, w.origin())
	}()
	return d
}

// cspRefused is in the error of a fetch that the worker's own CSP refused
// (see webworker/worker.js).
const cspRefused = "Content-Security-Policy refused"

// readable returns nil if a refresh grant to tokenURL gets a token
// endpoint's refusal that this origin can read, else why not.
func readable(ctx context.Context, client *http.Client, probe oauth2.Config, tokenURL string) error {
	probe.Endpoint.TokenURL = tokenURL
	_, err := probe.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, client), &oauth2.Token{RefreshToken: probeToken}).Token()
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.ErrorCode != "" { // an OAuth error answer: a token endpoint
		return nil
	}
	if err == nil {
		return errors.New("a made-up refresh token was accepted")
	}
	return err
}

// finding starts finding the endpoints, once, if they are to be found;
// w.mu is held. Sessions that never sign in send no probe.
func (w *Worker) finding() *discovery {
	if w.cfg.discover && w.found == nil {
		w.found = w.discover(w.cfg)
	}
	return w.found
}

// wait returns once the endpoints are known.
func (d *discovery) wait(ctx context.Context) *bridge.Error {
	if d == nil {
		return nil
	}
	select {
	case <-d.done:
		return d.err
	case <-ctx.Done():
		return ctxErr(ctx)
	}
}

func (w *Worker) origin() string {
	if w.Origin == "" {
		return "this origin"
	}
	return w.Origin
}

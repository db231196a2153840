package worker

import (
	"context"
	"errors"
	"net/http"
	"net/url"
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

// discover finds which token endpoint answers this origin through CORS:
// the hinted one alone first, if a hint came; else, or if it no longer
// answers, the instance's own and the OpenFin Store app's at the same
// time, the instance's own when both do.
func (w *Worker) discover(c *config) *discovery {
	d := &discovery{done: make(chan struct{})}
	go func() {
		defer close(d.done)
		ctx, cancel := context.WithTimeout(context.Background(), w.timeout)
		defer cancel()
		base, instance := *c.oauth, c.instance.String() // c.use changes c.oauth while a probe may still run
		rounds := [][]bridge.EndpointsResult{{servicenowEndpoints, openFinEndpoints}}
		if c.hint != nil {
			rounds = [][]bridge.EndpointsResult{{*c.hint}, {other(*c.hint)}}
		}
		var errs []error
		for i, round := range rounds {
			w.log("info", probeNote(round, c.hint != nil, i))
			found, failed := firstReadable(ctx, w.client, base, instance, round)
			if found != nil {
				c.use(*found)
				w.log("info", "token endpoint found: "+found.TokenPath)
				return
			}
			errs = append(errs, failed...)
		}
		d.err = w.unreadable(ctx, c, errs)
	}()
	return d
}

// probeNote says, before a round of checks, what the requests are: each
// shows in DevTools' Network panel as a 401, or as a CORS error.
func probeNote(round []bridge.EndpointsResult, hinted bool, i int) string {
	const what = ": a refresh grant with a made-up token, which the instance refuses with HTTP 401 " +
		"(the browser's network log shows that 401, or a CORS error where this origin cannot read the answer); " +
		"that refusal is the answer the check needs, not a failed sign-in"
	switch {
	case hinted && i == 0:
		return "checking that " + round[0].TokenPath + ", the token endpoint an earlier sign-in in this browser found, still answers this origin" + what
	case hinted:
		return "the token endpoint found earlier no longer answers this origin; checking " + round[0].TokenPath + what
	default:
		return "checking which token endpoint answers this origin, " + round[0].TokenPath + " or " + round[1].TokenPath + what
	}
}

// other is the set of endpoints that e is not.
func other(e bridge.EndpointsResult) bridge.EndpointsResult {
	if e == servicenowEndpoints {
		return openFinEndpoints
	}
	return servicenowEndpoints
}

// firstReadable probes the candidates at the same time, and returns the
// first of them whose refusal this origin can read, else why each is not.
func firstReadable(ctx context.Context, client *http.Client, base oauth2.Config, instance string,
	candidates []bridge.EndpointsResult) (*bridge.EndpointsResult, []error) {
	found := make([]chan error, len(candidates))
	for i, e := range candidates {
		found[i] = make(chan error, 1)
		go func() { found[i] <- readable(ctx, client, base, instance+e.TokenPath) }()
	}
	var errs []error
	for i := range candidates {
		err := <-found[i] // in order: the instance's own first when both answer
		if err == nil {
			return &candidates[i], nil
		}
		errs = append(errs, err)
	}
	return nil, errs
}

// unreadable says why no token endpoint answers this origin: the worker's
// own CSP, an instance the browser cannot reach, or the instance's CORS.
func (w *Worker) unreadable(ctx context.Context, c *config, errs []error) *bridge.Error {
	for _, err := range errs {
		if strings.Contains(err.Error(), cspRefused) {
			return bridge.Errorf(bridge.NameInitialization, "the worker cannot reach the instance's token endpoints: %v", err)
		}
	}
	instance := c.instance.String()
	if err := reachable(ctx, w.client, c.clientID, instance+bridge.DefaultTokenPath); err != nil {
		return bridge.Errorf(bridge.NameInitialization,
			"cannot reach the instance at %s: the browser got no answer from it (%v). "+
				"Check the instance URL given to connect() for spelling (https://<name>.service-now.com), "+
				"and that this browser's network reaches it; then call connect() again", instance, err)
	}
	return bridge.Errorf(bridge.NameInitialization,
		"neither %s nor the OpenFin Store app's %s answers %s through CORS, so the worker cannot get tokens. "+
			"Either set the instance's system property glide.oauth.cors.allowed.origin to %[3]s, "+
			"or install the OpenFin Store app and add a CORS rule for %[3]s on its API (/api/x_opfi_openfin/); "+
			"then call connect() again", bridge.DefaultTokenPath, bridge.OpenFinTokenPath, w.origin())
}

// cspRefused is in the error of a fetch that the worker's own CSP refused
// (see webworker/worker.js).
const cspRefused = "Content-Security-Policy refused"

// reachable returns nil if the browser gets an answer from tokenURL, CORS
// or not: in no-cors mode any answer is an opaque response, and only a
// host that does not answer (refused, unknown, unreachable) fails. It
// sends the probe's refresh grant, whose answer is known: a 401.
func reachable(ctx context.Context, client *http.Client, clientID, tokenURL string) error {
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {probeToken}, "client_id": {clientID}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(bridge.FetchModeHeader, "no-cors")
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	return res.Body.Close()
}

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

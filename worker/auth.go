package worker

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/snworker/snworker/bridge"
	"github.com/snworker/snworker/pkce"
	"golang.org/x/oauth2"
)

// flow is an authorization under way. Its verifier never leaves the worker.
type flow struct {
	verifier string
	state    string
}

func (c *config) begin(p *bridge.BeginParams) (*flow, *bridge.BeginResult, *bridge.Error) {
	opts := []oauth2.AuthCodeOption{}
	for k, v := range p.AuthFlowParams {
		if slices.Contains(bridge.ReservedAuthParams, k) || k == "" {
			return nil, nil, paramErr("authFlowParams key %q is set by the worker; want other parameters, such as \"prompt\"", k)
		}
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	f := &flow{verifier: pkce.Verifier(), state: pkce.State()}
	opts = append(opts, oauth2.S256ChallengeOption(f.verifier))
	return f, &bridge.BeginResult{AuthorizeURL: c.oauth.AuthCodeURL(f.state, opts...), State: f.state}, nil
}

// complete checks the redirect's query against the flow and exchanges the code.
func (c *config) complete(ctx context.Context, client *http.Client, f *flow, query string) (*oauth2.Token, *bridge.Error) {
	code, err := c.redirectCode(query, f.state)
	if err != nil {
		return nil, err
	}
	tok, xerr := c.oauth.Exchange(context.WithValue(ctx, oauth2.HTTPClient, client), code, oauth2.VerifierOption(f.verifier))
	if xerr != nil {
		var re *oauth2.RetrieveError
		if errors.As(xerr, &re) && re.Response != nil {
			return nil, authErr("the token endpoint refused the code (status %d%s%s); call connect() again", re.Response.StatusCode, redirectNote(re.Response.StatusCode), oauthCode(re))
		}
		if ctx.Err() != nil {
			return nil, authErr("the code exchange was cancelled or timed out; call connect() again")
		}
		return nil, authErr("the code exchange failed: %s", unreachable(c.oauth.Endpoint.TokenURL, xerr))
	}
	return tok, nil
}

// redirectCode reads the code from a redirect's query, checking its state.
func (c *config) redirectCode(query, state string) (string, *bridge.Error) {
	q, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil {
		return "", authErr("the redirect's query %.60q is malformed; want code and state from the redirect URL", query)
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1 {
		return "", authErr("the redirect's state does not match this authorization's; it may come from another flow or another window: call connect() again")
	}
	if e := q.Get("error"); e != "" {
		desc := q.Get("error_description")
		if desc == "" {
			desc = e
		}
		data, _ := json.Marshal(c.redirectURI + "?" + query)
		return "", &bridge.Error{Name: bridge.NameAuthorization, Data: data,
			Message: "the authorization was refused (" + e + "): " + desc}
	}
	code := q.Get("code")
	if code == "" {
		return "", authErr("the redirect holds no code; want code and state from the redirect URL")
	}
	return code, nil
}

// revoke asks the instance to revoke a token. Failures are returned, not
// logged with the token.
func (c *config) revoke(ctx context.Context, client *http.Client, token, hint string) error {
	form := url.Values{"token": {token}, "client_id": {c.clientID}, "token_type_hint": {hint}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.revokeURL, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := client.Do(req)
	if err != nil {
		return errors.New(safeNetError(err))
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxRevokeAnswer+1))
	if err != nil {
		return errors.New("the revocation's answer broke off: " + safeNetError(err))
	}
	return revokeAnswer(c.endpoints.RevokePath, res.StatusCode, body)
}

// maxRevokeAnswer bounds the revocation answer the worker reads.
const maxRevokeAnswer = 64 << 10

// revokeAnswer checks that an answer is RFC 7009's: 200, with an empty or
// JSON body. A page that answers 200 revoked nothing.
func revokeAnswer(path string, status int, body []byte) error {
	if status != http.StatusOK {
		return fmt.Errorf("%s answered %d, not 200; the token may still be live", path, status)
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && (len(body) > maxRevokeAnswer || !json.Valid(trimmed)) {
		return fmt.Errorf("%s answered 200 with a body that is neither empty nor JSON, as a page does, not a revocation endpoint (RFC 7009); the token may still be live: check revokePath", path)
	}
	return nil
}

func authErr(format string, args ...any) *bridge.Error {
	return bridge.Errorf(bridge.NameAuthorization, format, args...)
}

// unreachable explains a failed call to the token endpoint. In a browser
// the likeliest cause is an endpoint that sends no CORS headers, as a real
// instance's /oauth_token.do.
func unreachable(endpoint string, err error) string {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return "the token endpoint's answer could not be read (" + err.Error() + "); check that " + endpoint + " is a token endpoint, then call connect() again"
	}
	if strings.HasSuffix(endpoint, bridge.OpenFinTokenPath) {
		return safeNetError(err) + "; check that the instance has a CORS rule for this origin on " +
			bridge.OpenFinTokenPath + ", then call connect() again"
	}
	return safeNetError(err) + "; if " + endpoint + " sends no CORS headers for this origin, " +
		"use the OpenFin Store-app endpoints (endpoints: 'openfin') or a tokenPath that does, then call connect() again"
}

// redirectNote explains status 0: fetch's answer to a redirect not followed.
func redirectNote(status int) string {
	if status == 0 {
		return ": a redirect, not followed"
	}
	return ""
}

// safeNetError describes a transport error without the request's URL.
func safeNetError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

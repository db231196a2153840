package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/snworker/snworker/bridge"
	"golang.org/x/oauth2"
)

// tokens holds a session's access and refresh tokens, and renews the access
// token once for any number of callers that need it at the same time.
type tokens struct {
	oauth    *oauth2.Config
	client   *http.Client
	now      func() time.Time
	timeout  time.Duration       // of one refresh
	event    func(name string)   // bridge.EventRefreshed, bridge.EventExpired
	received func(*oauth2.Token) // sees every token a refresh brings
	discard  func(*oauth2.Token) // revokes tokens that arrive after a disconnect

	mu         sync.Mutex
	tok        *oauth2.Token   // nil when there is none
	superseded []*oauth2.Token // every access token replaced or dropped that may still be live
	margin     time.Duration   // renew this long before expiry
	flight     *flight         // the refresh under way, if any
}

type flight struct {
	done   chan struct{}
	access string
	err    *bridge.Error
}

var errNoTokens = bridge.Errorf(bridge.NameTokenExpired, "not connected: there is no token (never connected, expired or disconnected); call connect() again")

func (t *tokens) set(tok *oauth2.Token) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.keep(tok)
}

// keep makes tok the current tokens, to be renewed a tenth of its lifetime
// (at most a minute) before it expires. t.mu is held.
func (t *tokens) keep(tok *oauth2.Token) {
	t.tok = tok
	t.margin = 0
	if !tok.Expiry.IsZero() {
		t.margin = min(tok.Expiry.Sub(t.now())/10, time.Minute)
	}
}

func (t *tokens) connected() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.tok != nil
}

// take removes the tokens and returns them, with every access token the
// session replaced that may still be live; nil if there are none.
func (t *tokens) take() []*oauth2.Token {
	t.mu.Lock()
	defer t.mu.Unlock()
	var all []*oauth2.Token
	if t.tok != nil {
		all = append(all, t.tok)
	}
	all = append(all, t.live()...)
	t.tok, t.superseded = nil, nil
	return all
}

// retire keeps the current access token for revocation at disconnect, as
// it is replaced or dropped. Every one is kept until it expires (one
// without an expiry, until disconnect): about 200 bytes each, and one
// revocation request each at disconnect. Call with t.mu held.
func (t *tokens) retire() {
	if t.tok != nil && t.tok.AccessToken != "" {
		t.superseded = append(t.live(), &oauth2.Token{AccessToken: t.tok.AccessToken, Expiry: t.tok.Expiry})
	}
}

// live returns the superseded access tokens not yet expired.
func (t *tokens) live() []*oauth2.Token {
	now := t.now()
	kept := t.superseded[:0]
	for _, tok := range t.superseded {
		if tok.Expiry.IsZero() || tok.Expiry.After(now) {
			kept = append(kept, tok)
		}
	}
	return kept
}

// access returns the access token to send. It renews the token first when
// it is about to expire, or when it is stale: the one a 401 just refused.
func (t *tokens) access(ctx context.Context, stale string) (string, *bridge.Error) {
	if ctx.Err() != nil {
		return "", ctxErr(ctx)
	}
	t.mu.Lock()
	if t.tok == nil {
		t.mu.Unlock()
		return "", errNoTokens
	}
	if t.flight == nil && t.tok.AccessToken != stale && !t.expiring() {
		access := t.tok.AccessToken
		t.mu.Unlock()
		return access, nil
	}
	f := t.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		t.flight = f
		t.event(bridge.EventRefreshing)
		go t.refresh(f, t.tok.RefreshToken)
	}
	t.mu.Unlock()
	select {
	case <-f.done:
		return f.access, f.err
	case <-ctx.Done():
		return "", ctxErr(ctx)
	}
}

// current returns the access token when it can be sent as it is: there
// is one, it is not about to expire and no renewal is under way. It never
// blocks; when the tokens are busy it reports false.
func (t *tokens) current() (string, bool) {
	if !t.mu.TryLock() {
		return "", false
	}
	defer t.mu.Unlock()
	if t.tok == nil || t.flight != nil || t.expiring() {
		return "", false
	}
	return t.tok.AccessToken, true
}

func (t *tokens) expiring() bool {
	return !t.tok.Expiry.IsZero() && !t.now().Add(t.margin).Before(t.tok.Expiry)
}

// refresh runs one refresh on behalf of every caller waiting on f. It is
// not cancelled with any one caller's request.
func (t *tokens) refresh(f *flight, refreshToken string) {
	ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), oauth2.HTTPClient, t.client), t.timeout)
	defer cancel()
	tok, err := t.oauth.TokenSource(ctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err == nil {
		t.received(tok)
	}

	t.mu.Lock()
	defer func() {
		t.flight = nil
		t.mu.Unlock()
		close(f.done)
	}()
	if t.tok == nil || t.tok.RefreshToken != refreshToken {
		f.err = errNoTokens // disconnected meanwhile
		if err == nil {
			go t.discard(tok)
		}
		return
	}
	if err != nil {
		f.err = refreshError(t.oauth.Endpoint.TokenURL, err)
		if f.err.Name == bridge.NameTokenExpired {
			t.retire()
			t.tok = nil
			t.event(bridge.EventExpired)
		}
		return
	}
	// oauth2 keeps the old refresh token when the server sends none, and
	// takes the new one when it rotates.
	t.retire()
	t.keep(tok)
	f.access = tok.AccessToken
	t.event(bridge.EventRefreshed)
}

// drop discards the tokens if access is still the current access token:
// the instance refused a freshly renewed token.
func (t *tokens) drop(access string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tok != nil && t.tok.AccessToken == access {
		t.retire()
		t.tok = nil
		t.event(bridge.EventExpired)
	}
}

// refreshError maps a failed refresh. A refusal by the token endpoint ends
// the session; a server fault or network failure leaves the tokens for a
// later try.
func refreshError(tokenURL string, err error) *bridge.Error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		code := re.Response.StatusCode
		if code >= 400 && code < 500 {
			e := bridge.Errorf(bridge.NameTokenExpired,
				"the refresh token was refused (status %d%s); call connect() again", code, oauthCode(re))
			if json.Valid(re.Body) {
				e.Data = re.Body // the token endpoint's error, as the anchor gives it
			}
			return e
		}
		return &bridge.Error{Name: bridge.NameAPIRequest, Status: code,
			Message: fmt.Sprintf("the token endpoint failed to refresh the access token (status %d%s); try again later", code, redirectNote(code))}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return bridge.Errorf(bridge.NameAPIRequest, "the token endpoint did not answer the refresh in time; try again later")
	}
	return bridge.Errorf(bridge.NameAPIRequest, "the access token could not be refreshed: %s", unreachable(tokenURL, err))
}

func oauthCode(re *oauth2.RetrieveError) string {
	if re.ErrorCode == "" {
		return ""
	}
	return ": " + re.ErrorCode
}

package bridge

// Rules the worker enforces and the module needs too: the module checks
// some of them before the sign-in window opens, or names them in errors.
// They are generated into js/protocol.js.

// Methods are the HTTP methods an API request may use.
var Methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

// RefusedHeaders are request headers, in lower case, that the worker sets
// itself or that could carry credentials or reroute a request.
var RefusedHeaders = []string{"authorization", "cookie", "host", "origin", "referer",
	"content-length", "connection", "transfer-encoding", "proxy-authorization", "te", "upgrade"}

// OverrideHeaders are request headers, in lower case, with which some
// servers, proxies and frameworks let a request change its method, path,
// host or client address after the worker has checked them; so are those
// that start with one of OverrideHeaderPrefixes (X-Forwarded-For, …).
var (
	OverrideHeaders = []string{"x-http-method-override", "x-http-method", "x-method-override",
		"x-original-url", "x-rewrite-url", "x-original-method", "forwarded", "x-host", "x-original-host",
		"x-http-host-override", "x-real-ip", "x-client-ip", "true-client-ip"}
	OverrideHeaderPrefixes = []string{"x-forwarded-"}
)

// ReservedAuthParams are authorize URL parameters the worker sets itself.
// scope is not among them: as in OpenFin's package, authFlowParams.scope
// replaces the scopes given to connect().
var ReservedAuthParams = []string{"response_type", "client_id", "redirect_uri", "state",
	"code_challenge", "code_challenge_method"}

// LoopbackHosts are the hosts on which an instance may use plain http.
var LoopbackHosts = []string{"localhost", "127.0.0.1", "::1"}

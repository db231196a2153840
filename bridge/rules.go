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

// The bootstrap (js/worker.js) and the worker's Go program call each other
// through one global object, named BootstrapGlobal, with these functions:
//
//	ready(receive, resume, tick)                    Go serves; receive(data) takes a message the full way;
//	                                                tick() lets Go run its own goroutines after fast calls
//	fetch(id, method, url, headerLines, body, done) one fetch; then done(id, status, headerLines, body)
//	                                                or done(id, -1, message)
//	send(id, method, url, headerLines, body)        one fetch whose outcome goes to ExportFetched
//	abort(id)                                       abort a fetch or a send
//	post(json, body)                                post {json, body} to the page; body is undefined,
//	                                                an ArrayBuffer, or the id of the send whose body it is
//
// and through two functions the wasm module exports, which run
// synchronously and never block:
//
//	request(bodyLength) → 1 | 0       takes the message in the global's json and body (bodyLength
//	                                  -1: none) the fast way, or leaves it (0) for receive
//	fetched(id, status, length) → 1|0 takes a send's outcome, its header lines in the global's
//	                                  lines and its body (length bytes) to post by id; 0 leaves it
//	                                  for resume(id, status, headerLines, body)
//
// headerLines are "name: value" lines. The bootstrap itself posts the
// EventReady, EventLog and EventFatal events.
//
// Started as a SharedWorker, the bootstrap sets the global's shared to true
// and serves every window's port; Go then calls serve instead of ready, and
// takes every message the full way:
//
//	serve(receive, gone)        Go serves; receive(port, data) takes each message from a port
//	                            (a number), gone(port) tells Go that the port's window went
//	postTo(port, msg, transfer) posts a message to one port
//	watch(port, lock)           calls gone(port) once the Web Lock named lock is free
//	close() → bool              ends the worker, unless a port has connected that has not
//	                            yet sent a message (a window about to attach)
const (
	BootstrapGlobal = "snworker"
	BootstrapReady  = "ready"
	BootstrapFetch  = "fetch"
	BootstrapSend   = "send"
	BootstrapAbort  = "abort"
	BootstrapShared = "shared"
	BootstrapServe  = "serve"
	BootstrapPostTo = "postTo"
	BootstrapWatch  = "watch"
	BootstrapClose  = "close"
	BootstrapPost   = "post"
	ExportRequest   = "snworkerRequest"
	ExportFetched   = "snworkerFetched"
)

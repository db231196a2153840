// Package webworker runs the worker inside a browser's Web Worker. It is
// the seam between JS and Go: the bootstrap (worker.js, which `make build`
// ships as dist/worker.js), the Go side of its contract, and every use of
// syscall/js in the project.
package webworker

// The bootstrap and the worker's Go program call each other through one
// global object, named global, with the functions in bootstrap:
//
//	ready(receive, rest, resume, tick)       Go serves: receive(data) takes a message the full way,
//	                                         rest(body) the message request() left, with its body;
//	                                         tick() lets Go run its own goroutines after fast calls
//	fetch(id, method, url, headerLines, body, done) one fetch; then done(id, status, headerLines, body)
//	                                         or done(id, -1, message)
//	send(id, method, url, headerLines, body) one fetch whose outcome goes to fetched(); body true is
//	                                         the body of the message request() is taking
//	abort(id)                                abort a fetch or a send
//	post(json, body)                         post {json, body} to the page; body is undefined,
//	                                         an ArrayBuffer, or the id of the send whose body it is
//
// and through the functions the wasm module exports (exports), which run
// synchronously and never block:
//
//	buffer(n) → address         Go's buffer of at least n bytes, into which the bootstrap
//	                            writes the text the next call takes, as UTF-8
//	request(n, bodyLength) → 1|0 takes a message, its json in the buffer (n bytes) and its body
//	                            (bodyLength -1: none), the fast way (1), or leaves it (0) to
//	                            rest(body), which the bootstrap calls at once
//	fetched(id, status, n, length) → 1|0 takes a send's outcome: its header lines in the buffer
//	                            (n bytes) and its body (length bytes), to post by id; 0 leaves it
//	                            to resume(id, status, headerLines, body)
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
	global     = "snworker"
	callReady  = "ready"
	callFetch  = "fetch"
	callSend   = "send"
	callAbort  = "abort"
	callShared = "shared"
	callServe  = "serve"
	callPostTo = "postTo"
	callWatch  = "watch"
	callClose  = "close"
	callPost   = "post"

	exportBuffer  = "snworkerBuffer"
	exportRequest = "snworkerRequest"
	exportFetched = "snworkerFetched"
)

// bootstrap and exports are the contract's names as worker.js has them,
// generated into it.
var (
	bootstrap = [][2]string{
		{"global", global},
		{"ready", callReady},
		{"fetch", callFetch},
		{"abort", callAbort},
		{"shared", callShared},
		{"serve", callServe},
		{"postTo", callPostTo},
		{"watch", callWatch},
		{"close", callClose},
		{"send", callSend},
		{"post", callPost},
	}
	exports = [][2]string{
		{"buffer", exportBuffer},
		{"request", exportRequest},
		{"fetched", exportFetched},
	}
)

// Package webworker runs the worker inside a browser's Web Worker. It is
// the seam between JS and Go: the bootstrap (worker.js, which `make build`
// ships as dist/worker.js), the Go side of its contract, and every use of
// syscall/js in the project.
package webworker

// The bootstrap and the worker's Go program call each other through one
// global object, named global, with the functions in bootstrap:
//
//	ready(receive, run, gone)   Go serves: receive(port, data) takes a message the request export
//	                            does not (not shaped {json, body?: ArrayBuffer} within the limit);
//	                            run() enters Go the full way, so that its goroutines run; gone(port),
//	                            in a shared worker, tells Go that the port's window went
//	send(id, method, url, headerLines, body) one API request; its outcome goes to the fetched export
//	fetch(id, method, url, headerLines, body, done) one token or revoke call (x/oauth2's transport);
//	                            then done(id, status, headerLines, body) or done(id, -1, message)
//	abort(id)                   abort a send or a fetch
//	body(key) → ArrayBuffer     the body lent under key to the export that is running
//	post(json, body)            post {json, body} to the page; body is undefined, an ArrayBuffer,
//	                            or the key of a lent body
//	shared                      true in a SharedWorker, which serves every window's port
//	postTo(port, json, body)    post, to one port (a number, from 1)
//	watch(port, lock)           calls gone(port) once the Web Lock named lock is free
//	close() → bool              ends the worker, unless a port has connected that has not
//	                            yet sent a message (a window about to attach)
//
// and through the functions the wasm module exports (exports), which run
// synchronously and never block:
//
//	buffer(n) → address         Go's buffer of at least n bytes, into which the bootstrap writes
//	                            the text the next call takes, as UTF-8
//	request(port, n, key) → 1|0 takes a message from port (0 in a dedicated worker): its json in
//	                            the buffer (n bytes), its body lent under key (-1: none)
//	fetched(id, status, n, key, length) → 1|0 takes send id's outcome: status -1 and the failure's
//	                            message in the buffer (n bytes), or the status, the header lines
//	                            (n bytes) and the body (length bytes) lent under key (-1: none)
//
// A body is lent for one export call only: the bootstrap takes it back
// when the call returns. An export that returns 1 has started goroutines:
// the bootstrap calls run() at once. headerLines are "name: value" lines.
// The bootstrap itself posts the EventReady, EventLog and EventFatal
// events.
const (
	global     = "snworker"
	callReady  = "ready"
	callSend   = "send"
	callFetch  = "fetch"
	callAbort  = "abort"
	callBody   = "body"
	callPost   = "post"
	callShared = "shared"
	callPostTo = "postTo"
	callWatch  = "watch"
	callClose  = "close"

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
		{"send", callSend},
		{"fetch", callFetch},
		{"abort", callAbort},
		{"body", callBody},
		{"post", callPost},
		{"shared", callShared},
		{"postTo", callPostTo},
		{"watch", callWatch},
		{"close", callClose},
	}
	exports = [][2]string{
		{"buffer", exportBuffer},
		{"request", exportRequest},
		{"fetched", exportFetched},
	}
)

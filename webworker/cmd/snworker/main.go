//go:build js && wasm

// Command snworker is the worker program. Build it with GOOS=js GOARCH=wasm;
// webworker/worker.js runs it inside a Web Worker.
package main

import "github.com/snworker/snworker/webworker"

func main() { webworker.Serve() }

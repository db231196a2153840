//go:build js && wasm

// Command snworker is the worker program. Build it with GOOS=js GOARCH=wasm;
// js/worker.js runs it inside a dedicated Web Worker.
package main

import "github.com/snworker/snworker/worker"

func main() { worker.Serve() }

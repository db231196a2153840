//go:build js && wasm

// Command snworker is the worker program: build it with GOOS=js GOARCH=wasm
// and run it inside a dedicated Web Worker through js/worker.js.
package main

func main() {
	select {}
}

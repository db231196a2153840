//go:build js && wasm

// Command panicworker is the worker with a trapdoor for the e2e tests: a
// message {panic: "why"} makes Go panic, as a bug in the worker would.
package main

import (
	"syscall/js"

	"github.com/snworker/snworker/webworker"
)

func main() {
	sn := js.Global().Get("snworker")
	ready := sn.Get("ready")
	sn.Set("ready", js.FuncOf(func(_ js.Value, args []js.Value) any {
		receive := args[0]
		trap := js.FuncOf(func(_ js.Value, msg []js.Value) any { // (port, data)
			if why := msg[1].Get("panic"); why.Type() == js.TypeString {
				panic(why.String())
			}
			return receive.Invoke(msg[0], msg[1])
		})
		return ready.Invoke(trap, args[1], args[2]) // run and gone as they are
	}))
	webworker.Serve()
}

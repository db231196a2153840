// Command version prints the release the module and the worker belong to
// (bridge.Version), for the Makefile's npm package.
package main

import (
	"fmt"

	"github.com/snworker/snworker/bridge"
)

func main() { fmt.Println(bridge.Version) }

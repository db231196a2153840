package deployment

import (
	"encoding/json"
	"fmt"
	"strings"
)

const generated = "// Code generated from deployment/ by `go test ./deployment/ -run TestJSModule -update`. DO NOT EDIT.\n"

// JSModule renders js/deployment.js, the rules for `snworker check`.
func JSModule() string {
	rules := map[string]any{
		"policy": map[string]string{
			"base": BasePolicy, "page": PagePolicy, "redirect": RedirectPolicy,
			"worker": WorkerPolicy("<instance>"),
		},
		"pageRules":      PageRules,
		"workerRules":    WorkerRules,
		"workerDests":    WorkerDests,
		"wasmType":       WasmType,
		"files":          map[string]string{"wasm": WasmFile, "gzip": GzipFile, "probe": ProbeFile},
		"docs":           Docs,
		"tokenPaths":     TokenPaths,
		"apiPath":        APIPath,
		"redirectMarker": RedirectMarker,
	}
	j, err := json.MarshalIndent(rules, "", "  ") // JSON is a JS literal; map keys come sorted
	if err != nil {
		panic(err)
	}
	var b strings.Builder
	b.WriteString(generated)
	fmt.Fprintf(&b, "\n// The deployment rules the demo serves by and `snworker check` checks.\n"+
		"// policy.worker names the instance as <instance>.\nexport const Rules = %s;\n", j)
	return b.String()
}

// Code generated from deployment/ by `go test ./deployment/ -run TestJSModule -update`. DO NOT EDIT.

// The deployment rules the demo serves by and `snworker check` checks.
// policy.worker names the instance as <instance>.
export const Rules = {
  "apiPath": "/api/now/table/incident",
  "docs": {
    "check": "https://github.com/snworker/snworker/blob/main/docs/deployment.md#checking-a-deployment",
    "compression": "https://github.com/snworker/snworker/blob/main/docs/deployment.md#compression-the-first-download-is-small-on-any-server",
    "cors": "https://github.com/snworker/snworker/blob/main/README.md#setting-up-the-instance",
    "redirect": "https://github.com/snworker/snworker/blob/main/docs/deployment.md#redirect-pages",
    "serving": "https://github.com/snworker/snworker/blob/main/docs/deployment.md#serving-the-module"
  },
  "files": {
    "gzip": "snworker.wasm.gz",
    "probe": "compression-probe.wasm",
    "wasm": "snworker.wasm"
  },
  "pageRules": [
    {
      "directive": "worker-src",
      "fallback": [
        "child-src",
        "script-src",
        "default-src"
      ],
      "forbid": [
        "blob:",
        "data:",
        "*",
        "https:",
        "http:"
      ],
      "why": "page script could start the worker from a Blob or data: URL whose first line hooks fetch and reads the bearer header"
    },
    {
      "directive": "script-src",
      "fallback": [
        "default-src"
      ],
      "forbid": [
        "'unsafe-inline'",
        "blob:",
        "data:",
        "*",
        "https:",
        "http:"
      ],
      "why": "injected script could run in the page"
    },
    {
      "directive": "connect-src",
      "fallback": [
        "default-src"
      ],
      "forbid": [
        "*",
        "https:",
        "http:"
      ],
      "why": "page script could send what it reads to any server"
    },
    {
      "directive": "frame-ancestors",
      "fallback": null,
      "only": [
        "'none'",
        "'self'"
      ],
      "why": "another site could frame the app and its sign-in"
    }
  ],
  "policy": {
    "base": "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "page": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "redirect": "default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "worker": "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' \u003cinstance\u003e"
  },
  "redirectMarker": "snworker:redirect",
  "tokenPaths": [
    "/oauth_token.do",
    "/api/x_opfi_openfin/v1/integration/request_tokens"
  ],
  "wasmType": "application/wasm",
  "workerDests": [
    "worker",
    "sharedworker"
  ],
  "workerRules": [
    {
      "directive": "script-src",
      "fallback": [
        "default-src"
      ],
      "anyOf": [
        "'wasm-unsafe-eval'",
        "'unsafe-eval'"
      ],
      "why": "the worker cannot compile its wasm"
    },
    {
      "directive": "connect-src",
      "fallback": [
        "default-src"
      ],
      "forbid": [
        "*",
        "https:",
        "http:"
      ],
      "instance": true,
      "why": "the worker must reach the instance, and nothing else, so that a worker page script starts with an instance URL of its own cannot reach that server"
    }
  ]
};

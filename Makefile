# snworker: see README.md. `make run` starts the demo, `make test` runs every test.
GO      ?= go
BIN     := $(CURDIR)/bin
DIST    := $(CURDIR)/dist
GOROOT  := $(shell $(GO) env GOROOT)
export PATH := $(BIN):$(PATH)

# Packages whose tests also run as js/wasm in headless Chromium.
WASM_PKGS := ./pkce/ ./bridge/ ./worker/
# Fuzz targets (package:target), run briefly by `make test` and longer by `make fuzz`.
FUZZ := ./pkce/:FuzzChallenge ./bridge/:FuzzDecodeRequest ./worker/:FuzzResolve ./worker/:FuzzRedirectCode ./worker/:FuzzTokenResponse
FUZZTIME ?= 3s

.PHONY: all build test test-native test-wasm fuzz fuzz-short vet run bench clean browser tools

all: build

JS := $(wildcard js/*)

build: $(DIST)/snworker.wasm $(DIST)/wasm_exec.js $(JS:js/%=$(DIST)/%)

$(DIST)/%: js/%
	@mkdir -p $(DIST)
	cp $< $@

$(DIST)/snworker.wasm: $(shell find bridge pkce worker -name '*.go' 2>/dev/null) go.mod go.sum
	@mkdir -p $(DIST)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./worker/cmd/snworker

$(DIST)/wasm_exec.js: $(GOROOT)/lib/wasm/wasm_exec.js
	@mkdir -p $(DIST)
	cp $< $@

# Go tools come through go.mod; a browser comes from Debian's packages.
tools: $(BIN)/wasmbrowsertest $(BIN)/wasmexec browser

$(BIN)/wasmbrowsertest: go.mod go.sum
	@mkdir -p $(BIN)
	$(GO) build -o $@ github.com/agnivade/wasmbrowsertest

$(BIN)/wasmexec: $(wildcard internal/wasmexec/*.go emulator/*.go)
	@mkdir -p $(BIN)
	$(GO) build -o $@ ./internal/wasmexec

browser:
	@./.ci/browser

vet:
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...

test: vet tools build test-native test-wasm fuzz-short

test-native:
	$(GO) test -race -count=1 -timeout 10m ./...

test-wasm:
	SNWORKER_DIST=$(DIST) GOOS=js GOARCH=wasm $(GO) test -count=1 -timeout 5m -exec=$(BIN)/wasmexec $(WASM_PKGS)

fuzz-short:
	@for f in $(FUZZ); do pkg=$${f%%:*}; name=$${f##*:}; \
	  $(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; done

fuzz:
	$(MAKE) fuzz-short FUZZTIME=60s

run:
	@echo "make run: the demo app arrives with the example server (see README)."

bench:
	@echo "make bench: the benchmark page arrives with the worker (see README)."

clean:
	rm -rf $(BIN) $(DIST) out

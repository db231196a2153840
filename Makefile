# snworker: see README.md. `make run` starts the demo, `make test` runs every test.
GO      ?= go
BIN     := $(CURDIR)/bin
DIST    := $(CURDIR)/dist
GOROOT  := $(shell $(GO) env GOROOT)
export PATH := $(BIN):$(PATH)

# Packages whose tests also run as js/wasm in headless Chromium.
WASM_PKGS := ./pkce/ ./bridge/ ./webworker/
# Fuzz targets (package:target), run briefly by `make test` and longer by `make fuzz`.
FUZZ := ./bridge/:FuzzDecodeRequest ./worker/:FuzzResolve ./worker/:FuzzRedirectCode ./worker/:FuzzTokenResponse
FUZZTIME ?= 3s

.PHONY: all build test test-native test-engines test-wasm fuzz fuzz-short vet run bench clean browser tools typecheck jstest interop openfinweb

all: build

# js/README.md is the npm package's README, not a file the module serves.
JS := $(filter-out js/README.md,$(wildcard js/*))

build: $(DIST)/snworker.wasm $(DIST)/wasm_exec.js $(DIST)/worker.js $(JS:js/%=$(DIST)/%)

$(DIST)/%: js/%
	@mkdir -p $(DIST)
	cp $< $@

# The worker is one file: Go's wasm_exec.js in place of its import line.
# The tests build through these rules too (internal/wasmbuild runs make build).
WASM_EXEC_IMPORT := import './wasm_exec.js';
$(DIST)/worker.js: webworker/worker.js $(GOROOT)/lib/wasm/wasm_exec.js
	@mkdir -p $(DIST)
	@grep -qxF "$(WASM_EXEC_IMPORT)" $< || { echo "$< has no line $(WASM_EXEC_IMPORT)" >&2; exit 1; }
	sed -e "\\|^$(WASM_EXEC_IMPORT)\$$|{r $(GOROOT)/lib/wasm/wasm_exec.js" -e 'd;}' $< > $@.tmp && mv $@.tmp $@

# No inlining outside the runtime: the gzip a cold visit downloads is 10% smaller
# (2.52 MB against 2.81), brotli's too (see docs/benchmarks.md, with its cost).
$(DIST)/snworker.wasm: $(shell find bridge pkce worker webworker -name '*.go' 2>/dev/null) go.mod go.sum Makefile
	@mkdir -p $(DIST)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -tags nethttpomithttp2 -gcflags=all=-l -gcflags=runtime= -ldflags='-s -w' -o $@ ./webworker/cmd/snworker

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

test: vet tools build jstest typecheck package precompress bundlers openfinweb test-native test-wasm fuzz-short

# Unit tests of the module's plain parts (settings, request checks, errors,
# the sign-in window's logic) under node, with no packages.
jstest:
	node --test internal/jstest/

# Code written for @openfin/servicenow compiles against js/*.d.ts (see internal/typecheck),
# and js/openfin.js and the tests' fin stand-in against @openfin/core's types.
# npm ci runs again only when the lockfile is newer than the last install.
TYPECHECK := internal/typecheck
typecheck: $(TYPECHECK)/node_modules/.package-lock.json
	$(TYPECHECK)/node_modules/.bin/tsc -p $(TYPECHECK)
	$(TYPECHECK)/node_modules/.bin/tsc -p $(TYPECHECK)/tsconfig.openfin.json
	node --test $(TYPECHECK)/

$(TYPECHECK)/node_modules/.package-lock.json: $(TYPECHECK)/package-lock.json
	@command -v npm >/dev/null || { echo "No npm: installing Debian's nodejs and npm." >&2; \
	  s=; [ "$$(id -u)" = 0 ] || s=sudo; export DEBIAN_FRONTEND=noninteractive; \
	  $$s apt-get update -qq && $$s apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --prefix $(TYPECHECK) --ignore-scripts --no-audit --no-fund
	@touch $@

test-native:
	$(GO) test -race -count=1 -timeout 10m ./...

# The scenarios that run in every engine, alone (test-native runs them too):
# Chromium (the full browser), Firefox ESR and WebKitGTK; docs/engines.md says
# what runs where. ENGINES picks others, e.g. make test-engines ENGINES=webkit
# or ENGINES=headless-shell.
test-engines: tools
	SNWORKER_ENGINES=$(ENGINES) $(GO) test -count=1 -run '^TestEngines' ./internal/engines/ ./e2e/

test-wasm:
	SNWORKER_DIST=$(DIST) GOOS=js GOARCH=wasm $(GO) test -count=1 -timeout 5m -exec=$(BIN)/wasmexec $(WASM_PKGS)

fuzz-short:
	@for f in $(FUZZ); do pkg=$${f%%:*}; name=$${f##*:}; \
	  $(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; done

fuzz:
	$(MAKE) fuzz-short FUZZTIME=60s

# The demo: the example app on 127.0.0.1:8080 and an emulated instance on :8081.
# Flags go through ARGS, e.g. make run ARGS='-instance https://name.service-now.com -client-id ID'.
run: build precompress
	$(GO) run ./example -dist $(DIST) $(ARGS)

# The wasm files precompressed for servers that send them as they are
# (Content-Encoding br or gzip): snworker.wasm, and compression-probe.wasm,
# by which the worker tells that the server compresses (see webworker/worker.js).
# Brotli comes from Debian's brotli package; without it the app serves gzip only.
BROTLI_QUALITY ?= 10
PRECOMPRESSED := snworker.wasm compression-probe.wasm
.PHONY: precompress
precompress: $(PRECOMPRESSED:%=$(DIST)/%.gz) $(PRECOMPRESSED:%=$(DIST)/%.br)

$(DIST)/%.wasm.gz: $(DIST)/%.wasm
	gzip -9 -n -c $< > $@.tmp && chmod 644 $@.tmp && mv $@.tmp $@

$(DIST)/%.wasm.br: $(DIST)/%.wasm
	@command -v brotli >/dev/null || { echo "No brotli: installing Debian's brotli." >&2; \
	  s=; [ "$$(id -u)" = 0 ] || s=sudo; export DEBIAN_FRONTEND=noninteractive; \
	  $$s apt-get install -y -qq brotli >/dev/null 2>&1 || \
	  { $$s apt-get update -qq && $$s apt-get install -y -qq brotli >/dev/null; } || true; }
	@if command -v brotli >/dev/null; then echo "brotli -q $(BROTLI_QUALITY) $<"; \
	  brotli -n -q $(BROTLI_QUALITY) -f -o $@.tmp $< && chmod 644 $@.tmp && mv $@.tmp $@; \
	else rm -f $@; echo "brotli is unavailable: the app serves the wasm with gzip only." >&2; fi

# The npm package @snworker/servicenow, from the build: dist/package/ and its
# tarball dist/snworker-servicenow-<version>.tgz. The version is bridge.Version.
PKG     := $(DIST)/package
VERSION  = $(shell $(GO) run ./internal/version)
PKG_FILES = $(filter-out package.json wasm_exec.js,$(notdir $(JS))) worker.js snworker.wasm snworker.wasm.gz
.PHONY: package
package: build $(DIST)/snworker.wasm.gz
	@test -n "$(VERSION)" || { echo "go run ./internal/version printed no version" >&2; exit 1; }
	rm -rf $(PKG) $(DIST)/snworker-servicenow-*.tgz && mkdir -p $(PKG)
	cd $(DIST) && cp $(PKG_FILES) $(PKG)/
	cp js/package.json js/README.md LICENSE $(PKG)/
	cp $(GOROOT)/LICENSE $(PKG)/LICENSE-go
	chmod 644 $(PKG)/*
	cd $(PKG) && npm pkg set version=$(VERSION) && npm pkg delete //
	cd $(DIST) && npm pack --silent ./package

# The bundler tests' packages (internal/bundlers), installed from its lockfile
# when missing or older than it.
BUNDLERS := internal/bundlers
.PHONY: bundlers
bundlers: $(BUNDLERS)/node_modules/.package-lock.json
$(BUNDLERS)/node_modules/.package-lock.json: $(BUNDLERS)/package-lock.json $(BUNDLERS)/package.json
	cd $(BUNDLERS) && npm ci --prefer-offline --no-audit --no-fund --loglevel=error
	@touch $@

# OpenFin Web's packages (internal/openfinweb): @openfin/core-web, the
# @openfin/core it wants, and esbuild, installed from its lockfile when
# missing or older than it. `make openfinweb-test` runs that test alone.
OPENFINWEB := internal/openfinweb
openfinweb: $(OPENFINWEB)/node_modules/.package-lock.json
$(OPENFINWEB)/node_modules/.package-lock.json: $(OPENFINWEB)/package-lock.json $(OPENFINWEB)/package.json
	cd $(OPENFINWEB) && npm ci --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: openfinweb-test
openfinweb-test: openfinweb
	$(GO) test -count=1 ./$(OPENFINWEB)/

# The worker against a direct fetch in headless Chromium, and per request in
# Firefox and WebKit too (see benchmark/main.go).
# Flags go through BENCHFLAGS, e.g. make bench BENCHFLAGS='-markdown -runs 40'.
bench: tools build
	$(GO) run ./benchmark $(BENCHFLAGS)

clean:
	rm -rf $(BIN) $(DIST) out

# A ServiceNow client library by others against the emulator; not part of
# `make test`. Its npm packages are pinned in emulator/interop/package-lock.json.
interop:
	cd emulator/interop && npm ci --ignore-scripts --no-audit --no-fund
	$(GO) test -tags interop -count=1 -v ./emulator/interop/

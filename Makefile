# Tidemark — `make run` builds and opens the desktop app; `make test` runs everything CI runs.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/tidemark-dev/tidemark/internal/version.Version=$(VERSION)
DESKTOP_TAGS := desktop,production,webkit2_41

.PHONY: run test deps deps-test frontend desktop cli vet test-go test-frontend test-e2e test-smoke bench clean

run: deps desktop
	./build/bin/tidemark

deps:
	@scripts/deps.sh run

deps-test:
	@scripts/deps.sh test

frontend:
	cd frontend && npm run build

# The production desktop binary (Wails tags for GTK + WebKitGTK 4.1).
desktop: frontend
	$(GO) build -tags $(DESKTOP_TAGS) -ldflags "$(LDFLAGS) -s -w" -o build/bin/tidemark .

# The headless CLI (no Wails, no cgo UI libraries).
cli:
	$(GO) build -ldflags "$(LDFLAGS)" -o build/bin/tidemark-cli ./cmd/tidemark

test: deps-test frontend vet test-go test-frontend test-e2e test-smoke
	@echo "make test: all passed"

vet:
	@unformatted="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

test-go:
	TIDEMARK_TEST_REQUIRE_PG=1 $(GO) test -count=1 -timeout 30m ./...

test-frontend:
	cd frontend && npm run typecheck && npm run test:unit

test-e2e: frontend
	E2E_SKIP_BUILD=1 scripts/e2e.sh

test-smoke: frontend
	scripts/smoke.sh

# frontend first: the ER diagram's figure is measured on the production build in Chromium
bench: frontend
	TIDEMARK_BENCH=1 $(GO) test -p 1 -count=1 -timeout 60m -run '^TestBench' -v ./... 2>&1 | grep -E 'BENCH|^(ok|FAIL|--- FAIL)'

clean:
	rm -rf build/bin frontend/dist/assets frontend/dist/index.html

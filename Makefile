# nsdiag: build, test, demo, bench, lint, install.
GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
# No man-page/markdown generation in the binary: it is never used and its
# packages add to every start-up.
TAGS      := urfave_cli_no_docs
BIN       := bin/nsdiag
PREFIX    ?= /usr/local
export CGO_ENABLED := 0

.PHONY: build test demo bench lint install clean

build:
	$(GO) build -trimpath -tags $(TAGS) -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/nsdiag

# Installs the peers and lab tools the tests use if missing, then runs every
# test (most need root: they build their own namespaces) and checks that
# none of them left a namespace, mount or veth behind.
test: build
	./scripts/test-deps.sh
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 8m ./...
	./scripts/leakcheck.sh

demo: build
	./$(BIN) lab demo

# Side-by-side benchmarks against iputils ping, traceroute and tcpdump.
bench: build
	./scripts/test-deps.sh
	./scripts/bench.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

install: build
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/nsdiag

clean:
	rm -rf bin

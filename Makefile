# 不打烊 Budayang — build, test and benchmark on Debian 12.
#
#   make run       install what is missing, build, open the window (or `serve` without a display)
#   make test      everything CI runs (see .ci/run)
#   make build     build/bin/budayang (Linux desktop binary, also serves headless)
#   make windows   build/bin/budayang.exe (cross-compiled with mingw-w64)
#   make windows-installer  build/bin/budayang-setup.exe (NSIS)
#   make deb       build/bin/budayang_<version>_amd64.deb (Debian, UOS, Kylin)
#   make bench     start-up, memory and Go benchmarks → docs/benchmarks.md
#   make bindings  regenerate frontend/wailsjs with the pinned Wails CLI

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

GO ?= go
# The root is a git checkout that may belong to another user (CI runs as root).
export GOFLAGS ?= -buildvcs=false

BIN := build/bin/budayang
EXE := build/bin/budayang.exe
WAILS := build/tools/wails
TAGS := desktop,production,webkit2_41
# DATA: data directory for `make run`; empty means the binary's default (the user config dir).
DATA ?=
ADDR ?= 127.0.0.1:8470

# The version has one source, wails.json's info.productVersion; the binary,
# the .exe's file properties, the installer and the .deb all take it from here.
VERSION := $(shell sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
LDFLAGS := -X budayang/backend/core.Version=$(VERSION) -X budayang/backend/core.Commit=$(COMMIT)
# Windows wants four numbers (1.2.3.0) beside the text.
comma := ,
VERSION_NUMS := $(subst ., ,$(firstword $(subst -, ,$(VERSION))))
VERSION4 := $(word 1,$(VERSION_NUMS)).$(word 2,$(VERSION_NUMS)).$(word 3,$(VERSION_NUMS)).0
RC_DEFINES := '-DVERSION_STR=\"$(VERSION)\"' -DVERSION_COMMA=$(subst .,$(comma),$(VERSION4))

DEB_PACKAGES := libgtk-3-dev libwebkit2gtk-4.1-dev libayatana-appindicator3-dev pkg-config \
	xvfb xdotool imagemagick trayer fonts-noto-cjk fonts-wqy-microhei chromium \
	gcc-mingw-w64-x86-64 poppler-utils postgresql gnome-keyring dbus-daemon \
	bc curl libx11-dev python3 git \
	nsis p7zip-full lintian dpkg-dev procps # the last two lines: the smoke and package tests and `make test` themselves

NPM_STAMP := frontend/node_modules/.package-lock.json
# ./... would include Go packages that npm dependencies ship inside frontend/node_modules.
GO_PKGS = $$($(GO) list ./... | grep -v /frontend/node_modules/)

.PHONY: all deps deps-apt deps-toolchain deps-npm deps-go frontend build run test bench windows \
	bindings check-bindings check-format vet lint-frontend smoke screenshot clean build-go windows-go \
	deb deb-pack deb-test upgrade-test windows-installer windows-installer-nsis windows-installer-test guide-shots

all: build

## deps: Debian packages (only those missing), node_modules, Go modules.
deps: deps-apt deps-toolchain deps-npm deps-go

deps-apt:
	@missing=(); \
	for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$$p"); \
	done; \
	if (( $${#missing[@]} )); then \
		sudo=; [[ $$(id -u) -eq 0 ]] || sudo=sudo; \
		echo "apt-get install $${missing[*]}"; \
		$$sudo apt-get update; \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y --no-install-recommends "$${missing[@]}"; \
	fi

# Go ≥ 1.21 fetches the go.mod toolchain (1.26) by itself; Debian 12's golang-go is 1.19 and
# its nodejs is 18, both too old, so these are checked rather than installed with apt.
deps-toolchain:
	@command -v $(GO) >/dev/null || { echo "需要 Go ≥ 1.21 (https://go.dev/dl/); Debian 12's golang-go 1.19 is too old" >&2; exit 1; }
	@command -v node >/dev/null && node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
		|| { echo "需要 Node.js ≥ 20.19 (https://nodejs.org/ or NodeSource); Debian 12's nodejs 18 is too old" >&2; exit 1; }

deps-npm: $(NPM_STAMP)

# npm writes node_modules/.package-lock.json on every install: older than the lock file means stale.
$(NPM_STAMP): frontend/package-lock.json frontend/package.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

deps-go:
	$(GO) mod download

## frontend: the Vue build that main.go embeds (vite.config.ts keeps dist/.gitkeep).
frontend: $(NPM_STAMP)
	cd frontend && npm run build

## build: one binary; plain go build with the Wails tags (no Wails CLI needed).
build: deps frontend
	$(GO) build -tags $(TAGS) -ldflags '$(LDFLAGS)' -o $(BIN) .

# Internal: compile only, assuming deps and frontend are done.
build-go:
	$(GO) build -tags $(TAGS) -ldflags '$(LDFLAGS)' -o $(BIN) .

## run: the window; without a display, the same UI served over HTTP.
run: build
	@if [[ -z "$${DISPLAY:-}" && -z "$${WAYLAND_DISPLAY:-}" ]]; then \
		echo "没有图形显示 (no DISPLAY): running budayang serve — open http://$(ADDR)/ in a browser"; \
		exec $(BIN) serve $(if $(DATA),--data "$(DATA)") --addr $(ADDR); \
	else \
		exec $(BIN) $(if $(DATA),--data "$(DATA)"); \
	fi

## bindings: frontend/wailsjs from the Wails CLI v2.9.2 (tools/wails pins it with a current x/tools).
$(WAILS): tools/wails/go.mod tools/wails/go.sum
	cd tools/wails && $(GO) build -o ../../$(WAILS) github.com/wailsapp/wails/v2/cmd/wails

bindings: $(WAILS)
	cd tools/bindgen && ../../$(WAILS) generate module -tags webkit2_41

# Regenerates the bindings and fails when they differ from what is checked in.
check-bindings: $(WAILS)
	@rm -rf tmp/wailsjs-before && mkdir -p tmp && cp -r frontend/wailsjs tmp/wailsjs-before
	@$(MAKE) --no-print-directory bindings >/dev/null
	@if ! diff -ru tmp/wailsjs-before frontend/wailsjs; then \
		echo "frontend/wailsjs is out of date: the regenerated bindings above are now in the tree; commit them" >&2; \
		exit 1; \
	fi
	@if git rev-parse --git-dir >/dev/null 2>&1 && [[ -n "$$(git status --porcelain -- frontend/wailsjs)" ]]; then \
		echo "note: frontend/wailsjs has uncommitted changes (git status)"; \
	fi
	@echo "bindings: frontend/wailsjs is up to date"

check-format:
	@unformatted=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go' | grep -v '^frontend/node_modules/')); \
	if [[ -n "$$unformatted" ]]; then echo "gofmt needed:" $$unformatted >&2; exit 1; fi

vet:
	$(GO) vet $(GO_PKGS)
	$(GO) vet -tags $(TAGS) . ./app/...

lint-frontend: $(NPM_STAMP)
	cd frontend && npm run lint && npm run typecheck && npm run test:unit

smoke:
	scripts/smoke-desktop.sh

## screenshot: the signed-in window from the smoke test becomes docs/screenshot.png.
screenshot: smoke
	cp build/smoke/window-home.png docs/screenshot.png

## guide-shots: retake docs/install.md's pictures from the real program (docs/install/*.png).
guide-shots: build
	cd frontend && BUDAYANG_GUIDE_SHOTS=1 BUDAYANG_BIN=$(CURDIR)/$(BIN) npx vitest run -c vitest.e2e.config.ts e2e/install-guide.e2e.ts

## test: everything, in the order a reviewer reads it; .ci/run calls this.
# The Go tests run beside a throwaway PostgreSQL (scripts/with-postgres) so the county store is
# tested on both databases.
test: deps check-format vet lint-frontend frontend check-bindings
	scripts/with-postgres $(GO) test -race $(GO_PKGS)
	$(MAKE) --no-print-directory build-go
	cd frontend && BUDAYANG_BIN=$(CURDIR)/$(BIN) npm run test:e2e
	scripts/smoke-desktop.sh
	$(MAKE) --no-print-directory deb-test
	$(MAKE) --no-print-directory upgrade-test
	$(MAKE) --no-print-directory windows-go
	$(MAKE) --no-print-directory windows-installer-test

## windows: cross-compile the .exe (go-sqlite3 needs cgo, hence mingw-w64).
windows: deps frontend windows-go

windows-go:
	x86_64-w64-mingw32-windres -I build/windows $(RC_DEFINES) -i build/windows/budayang.rc -O coff -o rsrc_windows_amd64.syso
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc \
		$(GO) build -tags desktop,production -ldflags '-H windowsgui $(LDFLAGS)' -o $(EXE) .
	@ls -l $(EXE)

## deb: the Debian/UOS/Kylin package build/bin/budayang_$(VERSION)_amd64.deb (scripts/make-deb.sh).
deb: build deb-pack

# Internal: package the built binary.
deb-pack:
	scripts/make-deb.sh $(BIN) $(VERSION) build/bin

# Internal (make test): lintian, then install, serve, watchdog and remove (scripts/deb-test.sh).
deb-test: deb-pack
	scripts/deb-test.sh build/bin/budayang_$(VERSION)_amd64.deb $(VERSION)

# Internal (make test): version N-1 — this build with its newest schema step withheld and an
# older version number — installed with data, then this version installed over it
# (scripts/upgrade-test.sh).
PREV_VERSION := $(VERSION)~prev
PREV_SCHEMA = $(shell expr $$(ls backend/store/migrations/*.sql | wc -l) - 1)
upgrade-test: deb-pack
	$(GO) build -tags $(TAGS) -ldflags '-X budayang/backend/core.Version=$(PREV_VERSION) -X budayang/backend/core.Commit=$(COMMIT) -X budayang/backend/store.schemaLimit=$(PREV_SCHEMA)' -o build/prev/budayang .
	scripts/make-deb.sh build/prev/budayang $(PREV_VERSION) build/prev
	scripts/upgrade-test.sh build/prev/budayang_$(PREV_VERSION)_amd64.deb $(PREV_VERSION) build/bin/budayang_$(VERSION)_amd64.deb $(VERSION)

## windows-installer: build/bin/budayang-setup.exe with Debian's makensis (build/windows/installer/budayang.nsi).
windows-installer: windows windows-installer-nsis

# Internal: the installer of the built .exe; NSIS warnings are errors.
windows-installer-nsis:
	makensis -V2 -WX -INPUTCHARSET UTF8 -DVERSION=$(VERSION) -DVERSION4=$(VERSION4) \
		-DEXE=$(CURDIR)/$(EXE) -DOUTFILE=$(CURDIR)/build/bin/budayang-setup.exe build/windows/installer/budayang.nsi
	@ls -l build/bin/budayang-setup.exe

# Internal (make test): what the installer holds, its shortcuts' targets, its file properties.
windows-installer-test: windows-installer-nsis
	scripts/installer-test.sh build/bin/budayang-setup.exe $(VERSION)

## bench: desktop start-up and memory (tools/benchdesktop), then the Go benchmarks.
# It runs a private copy of the binary, so a rebuild of build/bin meanwhile cannot skew it.
bench: build
	mkdir -p build/bench && cp $(BIN) build/bench/budayang
	scripts/with-postgres --durable $(GO) run ./tools/benchdesktop -bin build/bench/budayang -out docs/benchmarks.md -gobench ./backend/...

clean:
	rm -rf build/bin build/prev build/tools build/smoke build/bench build/deb build/nsis tmp rsrc_windows_amd64.syso

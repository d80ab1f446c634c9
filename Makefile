# pms-gateway — developer and CI entry points (GNU make).
#
#   make deps     install the Debian packages the build and tests need (only what is missing)
#   make build    debug build of everything (swift build)
#   make run      run the debug daemon on config/pms-gateway.json (socket and DB under var/)
#   make test     build and run the tests (with a PostgreSQL server of their own, started and
#                 stopped around them), then check the systemd units       (what .ci/run calls)
#   make tools    compile the measurement tools from ../shared/tools into .tools/
#   make bench    release build, then scripts/bench.sh (throughput, latency, RSS, start-up time)
#   make format   rewrite sources with swift-format;  make lint: check them (--strict)
#   make install  install binary, config and systemd units on this host (as root; see below)
#   make clean    remove build products
#
# Every target that needs packages depends on `deps`, so a fresh machine (CI clones the repo
# into a new folder on a machine that may have nothing installed) needs only `make test`.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build
# Recipes run in the repo root whatever directory make was started from (make -C).
ROOT := $(CURDIR)

# The Swift toolchain lives in /opt/swift on our machines and is not always on PATH
# (e.g. in CI's environment). Prepend it only when `swift` cannot be found otherwise.
SWIFT_HOME ?= /opt/swift
ifeq ($(shell command -v swift 2>/dev/null),)
export PATH := $(SWIFT_HOME)/usr/bin:$(PATH)
endif
SWIFT ?= swift

# Extra flags, e.g. `make test SWIFT_TEST_FLAGS=--no-parallel` or `SWIFT_BUILD_FLAGS=-v`.
SWIFT_BUILD_FLAGS ?=
SWIFT_TEST_FLAGS ?=
# The release build used by `bench` and `install`. For a host without a Swift toolchain:
#   make install RELEASE_FLAGS="-c release --static-swift-stdlib"
RELEASE_FLAGS ?= -c release
PRODUCT := pms-gatewayd
# The operator's command line (SPEC 8), a second product of the same package.
CLI_PRODUCT := pms-gateway

# ---------------------------------------------------------------------------------------------
# deps: Debian packages. libsqlite3-dev and libssl-dev are linked by the package's system
# library targets (found through pkg-config); socat, openssl (key cross-checks), python3 (a local
# HTTP receiver) and util-linux (setpriv, mount) are used by the tests; systemd provides
# systemd-analyze for scripts/check-units.sh; postgresql (Debian 12: version 15) is the server
# `make test` starts for the tests (scripts/pg-test-server.sh; never the system's own cluster),
# and passwd its useradd. `dpkg -s` first, so a machine that has everything does not touch apt at
# all (fast, quiet, works offline).
# ---------------------------------------------------------------------------------------------
DEB_PACKAGES := libsqlite3-dev libssl-dev socat pkg-config gcc libc6-dev openssl python3 util-linux \
    postgresql passwd
ifeq ($(shell command -v systemd-analyze 2>/dev/null),)
DEB_PACKAGES += systemd
endif

.PHONY: deps
deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	    dpkg -s "$$p" >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "deps: installing$$missing"; \
	    sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    $$sudo apt-get update -qq; \
	    $$sudo apt-get install -y -qq --no-install-recommends $$missing </dev/null; \
	fi; \
	command -v $(SWIFT) >/dev/null || { echo "deps: swift not found (looked on PATH and in $(SWIFT_HOME)/usr/bin)" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Build, run, test
# ---------------------------------------------------------------------------------------------
.PHONY: build
build: deps
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

# The default config resolves its relative paths against config/, so the socket lands in
# var/run and the database in var/lib at the repo root (both git-ignored). exec: make's shell
# is replaced by the daemon, so Ctrl-C / SIGTERM reach the daemon itself.
.PHONY: run
run: build
	mkdir -p var/run var/lib
	exec .build/debug/$(PRODUCT) --config config/pms-gateway.json

# Build the tests separately first so a compile error is reported as such and not as a test
# failure; `swift test` then reuses that build. The tests may run the measurement tools and the
# daemon: they find them through PMS_GATEWAY_TOOLS and PMS_GATEWAYD.
# A PostgreSQL server of their own runs for the tests' duration (SPEC 9): scripts/pg-test-server.sh
# starts it in a new temp dir, its DIR/env exports PMS_GATEWAY_PG_* (see the script), and the EXIT
# trap stops it and removes the dir whatever happens: tests failing, Ctrl-C, make killed with TERM.
.PHONY: test
test: deps tools
	$(SWIFT) build --build-tests $(SWIFT_BUILD_FLAGS)
	# All suites share one test process, and the daemon tests open hundreds of sockets at once.
	ulimit -n 65536 2>/dev/null || true; \
	pg_dir="$$(mktemp -d "$${TMPDIR:-/tmp}/pms-gateway-pg.XXXXXX")"; \
	trap 'scripts/pg-test-server.sh stop "$$pg_dir"' EXIT; trap 'exit 130' INT; trap 'exit 143' TERM; \
	scripts/pg-test-server.sh start "$$pg_dir"; \
	source "$$pg_dir/env"; \
	PMS_GATEWAY_TOOLS="$(ROOT)/$(TOOLS_DIR)" PMS_GATEWAYD="$$($(SWIFT) build --show-bin-path)/$(PRODUCT)" \
	    PMS_GATEWAY_CLI="$$($(SWIFT) build --show-bin-path)/$(CLI_PRODUCT)" \
	    $(SWIFT) test --skip-build $(SWIFT_TEST_FLAGS)
	scripts/check-units.sh

.PHONY: check-units
check-units: deps
	scripts/check-units.sh

# ---------------------------------------------------------------------------------------------
# tools: the shared measurement tools, compiled straight into .tools/ (git-ignored).
# ../shared is read-only, and CI has its own copy beside its clone, hence the path relative to
# the repo root rather than an absolute one. ready_probe (exec-to-first-answer timer) is ours.
# ---------------------------------------------------------------------------------------------
SHARED_TOOLS := $(ROOT)/../shared/tools
TOOLS_DIR := .tools
TOOL_CFLAGS := -O2 -Wall -Wextra
TOOLS := $(TOOLS_DIR)/ndjson_echo $(TOOLS_DIR)/rpcload $(TOOLS_DIR)/sqlite_limit $(TOOLS_DIR)/ready_probe

.PHONY: tools
tools: $(TOOLS)

# `| deps`: packages must be there first, but being a phony target it must not force a rebuild.
$(TOOLS_DIR)/ndjson_echo: $(SHARED_TOOLS)/ndjson_echo.c | deps
	@mkdir -p $(TOOLS_DIR)
	gcc $(TOOL_CFLAGS) -o $@ $<
$(TOOLS_DIR)/rpcload: $(SHARED_TOOLS)/rpcload.c | deps
	@mkdir -p $(TOOLS_DIR)
	gcc $(TOOL_CFLAGS) -pthread -o $@ $<
$(TOOLS_DIR)/sqlite_limit: $(SHARED_TOOLS)/sqlite_limit.c | deps
	@mkdir -p $(TOOLS_DIR)
	gcc $(TOOL_CFLAGS) -o $@ $< -lsqlite3
$(TOOLS_DIR)/ready_probe: scripts/ready_probe.c | deps
	@mkdir -p $(TOOLS_DIR)
	gcc $(TOOL_CFLAGS) -o $@ $<

# ---------------------------------------------------------------------------------------------
# bench: numbers against the targets in scripts/bench.sh (release build, as deployed). The
# release build has its own scratch path (git-ignored by `.build-*/`), so a bench never fights
# with the debug builds and tests that use .build. Knobs: see the header of scripts/bench.sh,
# e.g. `make bench JOURNAL_ENTRIES=0 CLIENTS_LOADED=0` for a quick run.
# ---------------------------------------------------------------------------------------------
BENCH_SCRATCH ?= .build-release

.PHONY: bench
bench: deps tools
	$(SWIFT) build $(RELEASE_FLAGS) --product $(PRODUCT) --scratch-path $(BENCH_SCRATCH) $(SWIFT_BUILD_FLAGS)
	DAEMON="$$($(SWIFT) build $(RELEASE_FLAGS) --scratch-path $(BENCH_SCRATCH) --show-bin-path)/$(PRODUCT)" \
	    scripts/bench.sh

# ---------------------------------------------------------------------------------------------
# Formatting: swift-format ships with the toolchain and reads .swift-format at the repo root.
# ---------------------------------------------------------------------------------------------
.PHONY: format lint
format:
	$(SWIFT) format format --in-place --recursive Sources Tests Package.swift
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests

# ---------------------------------------------------------------------------------------------
# install (optional, as root): the release binaries and the systemd units on this host.
#   /usr/local/bin/pms-gatewayd
#   /usr/local/bin/pms-gateway                          (the operator's command line, SPEC 8)
#   /usr/local/share/{bash-completion/completions,zsh/site-functions,fish/vendor_completions.d}
#                                                       (its completions, scripts/install-cli.sh)
#   /usr/local/share/man/man1/pms-gateway.1, pms-gatewayd.1
#        (swift-argument-parser's generate-manual plugin; it builds offline from the resolved
#        checkout, and runs before our own release build because it builds without RELEASE_FLAGS)
#   /etc/pms-gateway/pms-gateway.json + mapping files   (kept if already there: operators edit
#        them; the installed config points at /run/pms-gateway and /var/lib/pms-gateway)
#   /etc/systemd/system/pms-gateway.{socket,service}
#   /etc/sysusers.d/pms-gateway.conf                    (system user and group `pms-gateway`)
#   /usr/local/share/doc/pms-gateway/README.md          (the units' Documentation=)
# Then: systemctl enable --now pms-gateway.socket pms-gateway.service
# DESTDIR stages everything under another root (packaging); users and systemctl are then skipped.
# ---------------------------------------------------------------------------------------------
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
UNITDIR ?= $(SYSCONFDIR)/systemd/system
DESTDIR ?=
CONFDIR := $(DESTDIR)$(SYSCONFDIR)/pms-gateway

.PHONY: install
install: deps
	$(SWIFT) package generate-manual
	$(SWIFT) build $(RELEASE_FLAGS) --product $(PRODUCT) $(SWIFT_BUILD_FLAGS)
	$(SWIFT) build $(RELEASE_FLAGS) --product $(CLI_PRODUCT) $(SWIFT_BUILD_FLAGS)
	install -D -m 0755 "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/$(PRODUCT)" \
	    "$(DESTDIR)$(PREFIX)/bin/$(PRODUCT)"
	scripts/install-cli.sh "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/$(CLI_PRODUCT)" \
	    "$(ROOT)/.build/plugins/GenerateManual/outputs" "$(DESTDIR)" "$(PREFIX)"
	install -D -m 0644 systemd/pms-gateway.socket "$(DESTDIR)$(UNITDIR)/pms-gateway.socket"
	install -D -m 0644 systemd/pms-gateway.service "$(DESTDIR)$(UNITDIR)/pms-gateway.service"
	install -D -m 0644 systemd/pms-gateway.sysusers "$(DESTDIR)$(SYSCONFDIR)/sysusers.d/pms-gateway.conf"
	if [ -f README.md ]; then install -D -m 0644 README.md "$(DESTDIR)$(PREFIX)/share/doc/pms-gateway/README.md"; fi
	install -d -m 0755 "$(CONFDIR)"
# Mapping files: only those not there yet.
	for f in config/*.json; do \
	    [ "$$(basename "$$f")" = pms-gateway.json ] && continue; \
	    [ -e "$(CONFDIR)/$$(basename "$$f")" ] || install -m 0644 "$$f" "$(CONFDIR)/"; \
	done
# The config: the repo's own, with the dev paths under var/ moved to the systemd directories.
	if [ -e "$(CONFDIR)/pms-gateway.json" ]; then \
	    echo "install: keeping existing $(CONFDIR)/pms-gateway.json"; \
	else \
	    sed -e 's#"socketPath"\([[:space:]]*\):\([[:space:]]*\)"[^"]*"#"socketPath"\1:\2"/run/pms-gateway/pms-gateway.sock"#' \
	        -e 's#"\.\./var/lib/pms-gateway\.sqlite3"#"/var/lib/pms-gateway/pms-gateway.sqlite3"#' \
	        -e 's#"\.\./var/esignet-default\.properties"#"/var/lib/pms-gateway/esignet-default.properties"#' \
	        config/pms-gateway.json > "$(CONFDIR)/pms-gateway.json"; \
	    chmod 0644 "$(CONFDIR)/pms-gateway.json"; \
	    if grep -q '\.\./var' "$(CONFDIR)/pms-gateway.json"; then \
	        echo "install: $(CONFDIR)/pms-gateway.json still has ../var paths, edit it" >&2; exit 1; \
	    fi; \
	fi
# The user first (the socket unit names it), then let a running systemd see the new units.
	if [ -z "$(DESTDIR)" ]; then \
	    if command -v systemd-sysusers >/dev/null; then systemd-sysusers "$(SYSCONFDIR)/sysusers.d/pms-gateway.conf"; \
	    elif ! getent passwd pms-gateway >/dev/null; then \
	        useradd --system --user-group --home-dir /var/lib/pms-gateway --shell /usr/sbin/nologin pms-gateway; fi; \
	    if [ -d /run/systemd/system ]; then systemctl daemon-reload; \
	        echo "install: now run: systemctl enable --now pms-gateway.socket pms-gateway.service"; fi; \
	fi

# Leaves the config, the user and /var/lib/pms-gateway (the database) alone.
.PHONY: uninstall
uninstall:
	-if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
	    systemctl disable --now pms-gateway.service pms-gateway.socket; fi
	rm -f "$(DESTDIR)$(PREFIX)/bin/$(CLI_PRODUCT)" "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/$(CLI_PRODUCT)" \
	    "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_$(CLI_PRODUCT)" \
	    "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/$(CLI_PRODUCT).fish" \
	    "$(DESTDIR)$(PREFIX)/share/man/man1/$(CLI_PRODUCT).1" "$(DESTDIR)$(PREFIX)/share/man/man1/$(PRODUCT).1"
	rm -f "$(DESTDIR)$(PREFIX)/bin/$(PRODUCT)" "$(DESTDIR)$(UNITDIR)/pms-gateway.socket" \
	    "$(DESTDIR)$(UNITDIR)/pms-gateway.service" "$(DESTDIR)$(SYSCONFDIR)/sysusers.d/pms-gateway.conf"
	rm -rf "$(DESTDIR)$(PREFIX)/share/doc/pms-gateway"
	-if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi

# ---------------------------------------------------------------------------------------------
# clean: build products only. var/ (the dev database) survives; `make distclean` removes it too.
# ---------------------------------------------------------------------------------------------
.PHONY: clean distclean
clean:
	rm -rf .build $(TOOLS_DIR)
distclean: clean
	rm -rf var .swiftpm

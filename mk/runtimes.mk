# SPDX-License-Identifier: GPL-2.0-only
# The demos' workload in real runtimes (examples/runtimes/README.md):
#   make runtimes        the scripts copied and the C# and Go programs built into
#                        $(OUTPUT)/runtimes/, for the compilers that exist
#   make deps-runtimes   (root) install the runtimes' Debian packages
# Nothing here asks the network for anything but deps-runtimes' apt-get.
RUNTIME_SRC := examples/runtimes
RUNTIME_DIR := $(OUTPUT)/runtimes
# Package:command pairs; a command already on PATH (nodejs from another
# source, say) counts as installed.
RUNTIME_DEBS := python3:python3 mono-mcs:mcs mono-runtime:mono golang-go:go nodejs:node
MCS ?= mcs
GO ?= go
HAVE_MCS := $(shell command -v $(MCS) 2>/dev/null)
HAVE_GO := $(shell command -v $(GO) 2>/dev/null)

RUNTIME_SCRIPTS := $(notdir $(wildcard $(RUNTIME_SRC)/*.py $(RUNTIME_SRC)/*.js))
RUNTIME_COMPILED := cs_async.exe goroutines
RUNTIME_BUILT := $(RUNTIME_SCRIPTS:%=$(RUNTIME_DIR)/%) \
	$(if $(HAVE_MCS),$(RUNTIME_DIR)/cs_async.exe) $(if $(HAVE_GO),$(RUNTIME_DIR)/goroutines)

.PHONY: runtimes deps-runtimes

runtimes: $(RUNTIME_BUILT)
	$(Q)$(if $(HAVE_MCS),,echo "runtimes: cs_async.exe skipped: no $(MCS) (sudo make deps-runtimes)";)
	$(Q)$(if $(HAVE_GO),,echo "runtimes: goroutines skipped: no $(GO) (sudo make deps-runtimes)";)

$(RUNTIME_DIR):
	$(Q)mkdir -p $@

# The scripts beside the built programs: $(RUNTIME_DIR) holds what
# $(KSEEDATADIR)/runtimes holds once installed.
$(RUNTIME_DIR)/%: $(RUNTIME_SRC)/% | $(RUNTIME_DIR)
	$(call msg,CP,$@)
	$(Q)cp $< $@

$(RUNTIME_DIR)/cs_async.exe: $(RUNTIME_SRC)/cs_async.cs | $(RUNTIME_DIR)
	$(call msg,MCS,$@)
	$(Q)$(MCS) -nologo -warn:4 -warnaserror -out:$@ $<

# The build cache and GOPATH under $(OUTPUT), nothing in $HOME; no module
# proxy, no toolchain download.
$(RUNTIME_DIR)/goroutines: $(RUNTIME_SRC)/goroutines.go | $(RUNTIME_DIR)
	$(call msg,GO,$@)
	$(Q)GOCACHE=$(abspath $(OUTPUT))/go/cache GOPATH=$(abspath $(OUTPUT))/go/path \
		GOPROXY=off GOTOOLCHAIN=local GOFLAGS= CGO_ENABLED=0 \
		$(GO) build -trimpath -o $@ $<

deps-runtimes:
	@missing=$$(for pc in $(RUNTIME_DEBS); do \
		command -v $${pc#*:} >/dev/null || echo $${pc%%:*}; \
	done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "missing runtime packages:" $$missing; echo "run: sudo make deps-runtimes"; exit 1; \
		fi; \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || \
			{ echo "deps-runtimes: apt-get could not install:" $$missing; exit 1; }; \
	fi

help: help-runtimes
.PHONY: help-runtimes
help-runtimes:
	@echo 'make runtimes   copy and build the runtime programs into $(RUNTIME_DIR) (examples/runtimes/)'
	@echo 'make deps-runtimes  (root) install Python, Mono, Go and Node from Debian for them'

# make install puts them into $(KSEEDATADIR)/runtimes: the scripts, and the
# C# and Go programs that were built; make uninstall removes them first.
RUNTIME_INSTALLED := $(RUNTIME_SCRIPTS:%=$(KSEEDATADIR)/runtimes/%) \
	$(RUNTIME_COMPILED:%=$(KSEEDATADIR)/runtimes/%)

install: install-runtimes
uninstall: uninstall-runtimes
.PHONY: install-runtimes uninstall-runtimes

install-runtimes: runtimes
	$(Q)$(INSTALL) -d $(DESTDIR)$(KSEEDATADIR)/runtimes
	$(Q)$(INSTALL) -m 0755 $(filter-out %/workload.py,$(RUNTIME_BUILT)) \
		$(DESTDIR)$(KSEEDATADIR)/runtimes/
	$(Q)$(INSTALL) -m 0644 $(RUNTIME_DIR)/workload.py $(DESTDIR)$(KSEEDATADIR)/runtimes/

uninstall-runtimes:
	$(Q)rm -f $(RUNTIME_INSTALLED:%=$(DESTDIR)%)
	$(Q)rmdir $(DESTDIR)$(KSEEDATADIR)/runtimes 2>/dev/null || true

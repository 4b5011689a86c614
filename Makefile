# SPDX-License-Identifier: GPL-2.0-only
# ksee: what the kernel sees. `make help` lists the targets.
OUTPUT ?= build
CLANG ?= clang
LLVM_STRIP ?= llvm-strip
BPFTOOL ?= bpftool
CC ?= gcc
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
ARCH := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
MULTIARCH := $(shell $(CC) -dumpmachine)

# The version, once: `ksee version`, the JSON reports and the man page's
# .TH line (the install test checks that they agree).
VERSION := 0.1.0

CFLAGS ?= -g -O2
CFLAGS += -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE
USER_CFLAGS := -DKSEE_VERSION='"$(VERSION)"'
BPF_CFLAGS := -g -O2 -Wall -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) \
	-I$(OUTPUT) -Ibpf -I/usr/include/$(MULTIARCH)
LDLIBS_KSEE := -lbpf -ldw -lelf -lz -ljson-c -lmicrohttpd -lpthread

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# Debian packages the build and the tests need; `make deps` installs the missing ones.
DEB_PKGS := make gcc clang llvm libbpf-dev bpftool libelf-dev libdw-dev zlib1g-dev \
	liburing-dev libcmocka-dev systemtap-sdt-dev libjson-c-dev pkg-config \
	libclang-rt-14-dev chromium strace libmicrohttpd-dev prometheus

# user/ in layers (README.md, "How it is built"): cli on top, then trace and
# output, then model; bpf/ksee.h below them all. model/ and output/ are pure
# (no libbpf, no syscalls of their own): unit tests link them.
PURE := $(sort $(patsubst %.c,%,$(wildcard user/model/*.c user/output/*.c)))
# The option parsers (user/cli/opts*.c) are pure too, for their unit tests.
CLI_PURE := $(sort $(patsubst %.c,%,$(wildcard user/cli/opts*.c)))
KSEE_OBJS := $(sort $(patsubst %.c,%,$(wildcard user/cli/*.c user/trace/*.c)) $(PURE))

UNIT_TESTS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/unit/%,$(wildcard tests/unit/test_*.c))
TEST_PROGS := $(patsubst tests/progs/%.c,$(OUTPUT)/tests/progs/%,$(wildcard tests/progs/*.c))
INTEG_TESTS := $(patsubst tests/integration/%.c,$(OUTPUT)/tests/integration/%,$(wildcard tests/integration/test_*.c))

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps test check-unit check-integration example compare compare-runtimes clean help

all: $(OUTPUT)/ksee

help:
	@echo 'make            build $(OUTPUT)/ksee, the demos and the test programs'
	@echo 'make deps       install the missing Debian packages (as root; idempotent)'
	@echo 'make test       install what is missing (runtimes too), build, run every test'
	@echo 'make compare    install what is missing, build, compare the demo models (root)'
	@echo 'make compare-runtimes  the same for Python, C#, Go and Node (examples/runtimes/)'
	@echo 'make example    install what is missing, build, trace a bundled example'
	@echo 'make check-unit run the unit tests only (no root needed)'
	@echo 'make clean      remove $(OUTPUT)/'
	@echo 'V=1 shows the full commands; OUTPUT=dir changes the build directory'

deps:
	@missing=$$(for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "missing packages:" $$missing; echo "run: sudo make deps"; exit 1; \
		fi; \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(OUTPUT) $(OUTPUT)/tests/unit $(OUTPUT)/tests/progs $(OUTPUT)/tests/integration:
	$(Q)mkdir -p $@

$(OUTPUT)/vmlinux.h: | $(OUTPUT)
	$(call msg,GEN,$@)
	$(Q)if [ ! -r $(VMLINUX_BTF) ]; then \
		echo "no kernel BTF at $(VMLINUX_BTF): ksee needs CONFIG_DEBUG_INFO_BTF=y" >&2; exit 1; fi
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@

$(OUTPUT)/%.bpf.o: bpf/%.bpf.c $(OUTPUT)/vmlinux.h | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

$(OUTPUT)/user/%.o: user/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(USER_CFLAGS) -MMD -MP -I$(OUTPUT) -Ibpf -Iuser -c $< -o $@

# The tracer includes the skeleton.
$(OUTPUT)/user/trace/tracer.o: $(OUTPUT)/ksee.skel.h

$(OUTPUT)/ksee: $(KSEE_OBJS:%=$(OUTPUT)/%.o)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(filter %.o,$^) $(LDLIBS_KSEE) -o $@

# Unit tests: one per pure module, linked with every pure object.
$(OUTPUT)/tests/unit/test_%: tests/unit/test_%.c $(PURE:%=$(OUTPUT)/%.o) $(CLI_PURE:%=$(OUTPUT)/%.o) | $(OUTPUT)/tests/unit
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) -Wno-unused-parameter -MMD -MP -Iuser -Ibpf $(filter %.c %.o,$^) -lcmocka -ljson-c -o $@

# The unwinder's test links it (user/trace, not pure) with libdw.
$(OUTPUT)/tests/unit/test_unwind: tests/unit/test_unwind.c $(OUTPUT)/user/trace/unwind.o \
		$(OUTPUT)/user/model/stacks.o $(PURE:%=$(OUTPUT)/%.o) | $(OUTPUT)/tests/unit
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) -Wno-unused-parameter -MMD -MP -Iuser -Ibpf $(filter %.c %.o,$^) \
		-lcmocka -ldw -lelf -ljson-c -o $@

# Programs with known behaviour that the integration tests trace.
$(OUTPUT)/tests/progs/%: tests/progs/%.c | $(OUTPUT)/tests/progs
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Iinclude -MMD -MP $< -lpthread -luring -o $@

$(OUTPUT)/tests/integration/%: tests/integration/%.c harness/harness.c harness/harness.h | $(OUTPUT)/tests/integration
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) -Wno-unused-parameter -MMD -MP -Iharness -Itests/integration -Ibpf \
		$< harness/harness.c -lcmocka -ljson-c -o $@

# The recording reader's fuzzer (libFuzzer, clang), with every renderer
# behind it, and the cmocka test that runs it for FUZZ_SECONDS (and the
# spool reader's for FUZZ_SECONDS / 2).
FUZZ_SECONDS ?= 20
FUZZER := $(OUTPUT)/fuzz/fuzz_recording
FUZZ_TEST := $(OUTPUT)/tests/fuzz/test_fuzz
# The same for the timeline's spool reader (events as ksee spools them).
FUZZER_SPOOL := $(OUTPUT)/fuzz/fuzz_spool
$(OUTPUT)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(PURE:%=%.c) bpf/ksee.h
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined $(USER_CFLAGS) -Iuser -Ibpf $(filter %.c,$^) -ljson-c -o $@
$(FUZZ_TEST): tests/fuzz/test_fuzz.c
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Wno-unused-parameter -Ibpf $< -lcmocka -o $@
EXTRA_BINS += $(FUZZER) $(FUZZER_SPOOL)
EXTRA_TESTS += $(FUZZ_TEST)

# Demos and their tests define DEMO_BINS / DEMO_TESTS and their rules here.
-include demos/demos.mk
# More fragments (benchmarks, installation, ...) may add to EXTRA_BINS,
# EXTRA_TESTS (cmocka binaries run by `make test`) and BENCH_TARGETS.
include $(sort $(wildcard mk/*.mk))

build-all: $(OUTPUT)/ksee $(UNIT_TESTS) $(TEST_PROGS) $(INTEG_TESTS) $(DEMO_BINS) $(DEMO_TESTS) \
	$(EXTRA_BINS) $(EXTRA_TESTS)

check-unit: $(UNIT_TESTS) $(LAYERS_TEST)
	$(Q)tests/run-tests.sh $(UNIT_TESTS) $(LAYERS_TEST)

check-integration: build-all runtimes
	$(Q)KSEE=$(abspath $(OUTPUT)/ksee) PROGS=$(abspath $(OUTPUT)/tests/progs) \
		DEMOS=$(abspath $(OUTPUT)/demos) RUNTIMES=$(abspath $(OUTPUT)/runtimes) \
		tests/run-tests.sh $(INTEG_TESTS) $(DEMO_TESTS)

# The README's test command. deps first, in its own make, so nothing is
# built before the packages are there.
# The runtimes (mk/runtimes.mk) too, but a runtime apt cannot install
# only skips its tests.
test: deps
	$(Q)$(MAKE) --no-print-directory deps-runtimes || \
		echo "warning: runtimes missing (above): their tests are skipped"
	$(Q)$(MAKE) --no-print-directory build-all runtimes bench-build
	$(Q)KSEE=$(abspath $(OUTPUT)/ksee) PROGS=$(abspath $(OUTPUT)/tests/progs) \
		DEMOS=$(abspath $(OUTPUT)/demos) RUNTIMES=$(abspath $(OUTPUT)/runtimes) \
		KSEE_FUZZER=$(abspath $(FUZZER)) \
		KSEE_FUZZER_SPOOL=$(abspath $(FUZZER_SPOOL)) \
		KSEE_FUZZ_SEEDER=$(abspath $(OUTPUT)/tests/unit/test_recording) \
		KSEE_FUZZ_SECONDS=$(FUZZ_SECONDS) \
		tests/run-tests.sh $(UNIT_TESTS) $(INTEG_TESTS) $(DEMO_TESTS) $(EXTRA_TESTS)

# The README's first command: every demo model, traced, side by side.
# COMPARE_ARGS passes options, e.g. make compare COMPARE_ARGS="--models epoll,pool".
compare: deps
	$(Q)$(MAKE) --no-print-directory $(OUTPUT)/ksee $(DEMO_BINS)
	$(OUTPUT)/ksee compare $(COMPARE_ARGS)

# The real runtimes side by side (examples/runtimes/), installed first
# when apt can (a runtime it cannot install is "not run", with the reason).
# COMPARE_ARGS as for compare: make compare-runtimes COMPARE_ARGS="--models gil,procs".
compare-runtimes: deps
	$(Q)$(MAKE) --no-print-directory deps-runtimes || \
		echo "warning: runtimes missing (above): their columns will say not run"
	$(Q)$(MAKE) --no-print-directory $(OUTPUT)/ksee $(DEMO_BINS) runtimes
	$(OUTPUT)/ksee compare --runtimes $(COMPARE_ARGS)

# Trace one small bundled example.
example: deps
	$(Q)$(MAKE) --no-print-directory $(OUTPUT)/ksee $(OUTPUT)/tests/progs/pipe_wakeups
	$(OUTPUT)/ksee run -- $(OUTPUT)/tests/progs/pipe_wakeups

clean:
	rm -rf $(OUTPUT)

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/*/*.d $(OUTPUT)/*/*/*.d $(OUTPUT)/*/*/*/*.d)

# Benchmarks (not part of `make test`); fragments add to BENCH_TARGETS.
.PHONY: bench
bench: build-all $(BENCH_TARGETS)

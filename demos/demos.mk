# SPDX-License-Identifier: GPL-2.0-only
# Demos: one workload in eight concurrency models, the ioserver they talk
# to, their tests and the server benchmark.  Included by the root Makefile.

DEMO_MODELS := blocking threads pool epoll uring coro gil procs
DEMO_BINS := $(OUTPUT)/demos/ioserver $(DEMO_MODELS:%=$(OUTPUT)/demos/%)

# Shared code, compiled once into one archive that every binary links.
DEMO_LIB := addr client coro_ctx cpuwork demo opts spawn stats timerheap
DEMO_LIB_A := $(OUTPUT)/demos/libdemo.a
DEMO_TESTS := $(patsubst tests/demos/%.c,$(OUTPUT)/tests/demos/%,$(wildcard tests/demos/test_*.c))

DEMO_CFLAGS := -Iinclude -Idemos
DEMO_LDLIBS := -lpthread -lm

# `make` builds the demos too.
all: $(DEMO_BINS)

$(OUTPUT)/demos/lib $(OUTPUT)/demos/deps $(OUTPUT)/tests/demos $(OUTPUT)/bench:
	$(Q)mkdir -p $@

$(OUTPUT)/demos/lib/%.o: demos/lib/%.c | $(OUTPUT)/demos/lib
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEMO_CFLAGS) -MMD -MP -c $< -o $@

$(DEMO_LIB_A): $(DEMO_LIB:%=$(OUTPUT)/demos/lib/%.o)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(OUTPUT)/demos/uring: DEMO_LDLIBS += -luring

$(DEMO_BINS): $(OUTPUT)/demos/%: demos/%.c $(DEMO_LIB_A)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEMO_CFLAGS) -MMD -MP $< $(DEMO_LIB_A) $(DEMO_LDLIBS) -o $@

$(OUTPUT)/tests/demos/helpers.o: tests/demos/helpers.c | $(OUTPUT)/tests/demos
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEMO_CFLAGS) -MMD -MP -c $< -o $@

# Their .d files go elsewhere, so that tests/run-tests.sh $(OUTPUT)/tests/demos/test_* works.
$(DEMO_TESTS): $(OUTPUT)/tests/demos/%: tests/demos/%.c $(OUTPUT)/tests/demos/helpers.o \
		$(DEMO_LIB_A) | $(OUTPUT)/demos/deps
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) $(DEMO_CFLAGS) -Itests/demos -MMD -MP -MF $(OUTPUT)/demos/deps/$*.d \
		-DKSEE_INCLUDE_DIR='"$(abspath include)"' -DKSEE_CC='"$(CC)"' \
		$< $(OUTPUT)/tests/demos/helpers.o $(DEMO_LIB_A) -lcmocka $(DEMO_LDLIBS) -o $@

# Benchmark: delivered delay of the ioserver at 1000 concurrent requests.
BENCH_TARGETS += bench-ioserver
.PHONY: bench-ioserver demos

demos: $(DEMO_BINS) $(DEMO_TESTS)

$(OUTPUT)/bench/ioserver_bench: bench/ioserver_bench.c $(DEMO_LIB_A) | $(OUTPUT)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEMO_CFLAGS) -MMD -MP $< $(DEMO_LIB_A) $(DEMO_LDLIBS) -o $@

bench-ioserver: $(OUTPUT)/bench/ioserver_bench $(OUTPUT)/demos/ioserver
	$(Q)KSEE_IOSERVER=$(abspath $(OUTPUT)/demos/ioserver) $(OUTPUT)/bench/ioserver_bench

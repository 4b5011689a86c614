# SPDX-License-Identifier: GPL-2.0-only
# Soak: ksee traces a busy program; its RSS, map entries and loss must stay
# flat. `make test` runs 60 seconds of it; `make bench-soak` 30 minutes.
SOAK := $(OUTPUT)/bench/soak
EXTRA_TESTS += $(SOAK)
BENCH_TARGETS += bench-soak
KSEE_SOAK_SECONDS ?= 1800

# $(OUTPUT)/bench's rule is in demos/demos.mk.
$(SOAK): bench/soak.c harness/harness.c harness/harness.h | $(OUTPUT)/bench
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) -Wno-unused-parameter -MMD -MP -Iharness \
		$< harness/harness.c -lcmocka -ljson-c -o $@

.PHONY: bench-soak
bench-soak: $(OUTPUT)/ksee $(SOAK) $(OUTPUT)/tests/progs/soak_busy
	$(Q)KSEE=$(abspath $(OUTPUT)/ksee) PROGS=$(abspath $(OUTPUT)/tests/progs) \
		KSEE_SOAK_SECONDS=$(KSEE_SOAK_SECONDS) $(SOAK)

# SPDX-License-Identifier: GPL-2.0-only
# Overhead benchmarks (bench/README.md, "Overhead" section): the floor BPF
# program, the workloads and the driver.  `make bench` only; not part of
# build-all or `make test`.

BENCH_OVERHEAD_WLS := pingpong futexstorm yieldstorm markbench
BENCH_OVERHEAD_BINS := $(OUTPUT)/bench/floor $(BENCH_OVERHEAD_WLS:%=$(OUTPUT)/bench/%)
BENCH_TARGETS += bench-overhead
.PHONY: bench-overhead bench-overhead-bins

$(OUTPUT)/bench/%.bpf.o: bench/%.bpf.c $(OUTPUT)/vmlinux.h | $(OUTPUT)/bench
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(OUTPUT)/bench/%.skel.h: $(OUTPUT)/bench/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@

$(OUTPUT)/bench/floor: bench/floor.c $(OUTPUT)/bench/floor.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -I$(OUTPUT)/bench $< -lbpf -lelf -lz -o $@

$(BENCH_OVERHEAD_WLS:%=$(OUTPUT)/bench/%): $(OUTPUT)/bench/%: bench/%.c bench/batch.c bench/workload.h | $(OUTPUT)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Iinclude -MMD -MP $< bench/batch.c -lpthread -o $@

# The batch summary (fastest decile, median) is pure: a unit test of its own.
$(OUTPUT)/tests/unit/test_bench_batch: tests/unit/test_bench_batch.c bench/batch.c bench/batch.h | $(OUTPUT)/tests/unit
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) -Wno-unused-parameter -MMD -MP -Ibench $(filter %.c,$^) -lcmocka -o $@

bench-overhead-bins: $(BENCH_OVERHEAD_BINS)

# BENCH_REPS=N repetitions (default 7); BENCH_QUICK=1 for a short run.
bench-overhead: $(BENCH_OVERHEAD_BINS) $(OUTPUT)/ksee $(DEMO_BINS)
	$(Q)OUTPUT=$(abspath $(OUTPUT)) bench/overhead.sh

# Peak memory against the number of traced processes (bench/README.md, "Memory").
BENCH_TARGETS += bench-memory
.PHONY: bench-memory
bench-memory: $(OUTPUT)/ksee $(OUTPUT)/tests/progs/churn_fork
	$(Q)OUTPUT=$(abspath $(OUTPUT)) bench/memory.sh

# What `make bench` needs, built without running anything: CI builds it,
# so that the benchmarks keep building from a clean clone.
.PHONY: bench-build
bench-build: $(BENCH_OVERHEAD_BINS) $(OUTPUT)/bench/render_bench $(OUTPUT)/ksee $(DEMO_BINS)
	$(Q)for s in bench/*.sh; do bash -n "$$s" || exit 1; done

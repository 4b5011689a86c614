# SPDX-License-Identifier: GPL-2.0-only
# The cost of off-CPU stacks (bench/README.md, "Off-CPU stacks"): ksee
# --stacks next to offcputime and perf --call-graph dwarf. `make bench` only.
BENCH_TARGETS += bench-stacks
.PHONY: bench-stacks

bench-stacks: $(OUTPUT)/bench/pingpong $(OUTPUT)/bench/futexstorm $(OUTPUT)/ksee
	$(Q)OUTPUT=$(abspath $(OUTPUT)) bench/stacks.sh

# SPDX-License-Identifier: GPL-2.0-only
# Rendering benchmark (docs/formats.md, "Size and speed"): a synthetic
# timeline of 10 million events rendered as a Perfetto trace to /dev/null,
# and the memory a json-c tree of 1 million slices would take instead.
BENCH_TARGETS += bench-render
.PHONY: bench-render

$(OUTPUT)/bench/render_bench: bench/render_bench.c $(PURE:%=$(OUTPUT)/%.o)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -Iuser -Ibpf $(filter %.c %.o,$^) -ljson-c -lm -o $@

bench-render: $(OUTPUT)/bench/render_bench
	$(Q)$< 10000000 && $< --json-c-tree 1000000

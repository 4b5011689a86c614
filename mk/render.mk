# Rendering benchmark (docs/formats.md, "Size and speed"): a synthetic
# timeline of 10 million events rendered as a Perfetto trace to /dev/null,
# and the memory a json-c tree of 1 million slices would take instead.
BENCH_TARGETS += bench-render
.PHONY: bench-render

$(OUTPUT)/bench/render_bench: bench/render_bench.c $(PURE:%=$(OUTPUT)/user/%.o)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -Iuser -Ibpf $(filter %.c %.o,$^) -ljson-c -lm -o $@

bench-render: $(OUTPUT)/bench/render_bench
	$(Q)$< 10000000 && $< --json-c-tree 1000000

# The renderers' state machine over the timeline (user/evstate.c), for a
# Makefile whose PURE does not list it yet ($^ drops the duplicate if it does).
$(OUTPUT)/ksee $(UNIT_TESTS): $(OUTPUT)/user/evstate.o

# SPDX-License-Identifier: GPL-2.0-only
# The layering check (tests/layers/check-layers.sh) and its own test.
LAYERS_TEST := $(OUTPUT)/tests/layers/test_layers
$(LAYERS_TEST): tests/layers/test_layers.c tests/layers/check-layers.sh
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Wno-unused-parameter -DPROJECT_ROOT='"$(CURDIR)"' $< -lcmocka -o $@
EXTRA_TESTS += $(LAYERS_TEST)

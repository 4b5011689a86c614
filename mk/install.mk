# SPDX-License-Identifier: GPL-2.0-only
# Installation: make install / uninstall / install-caps, PREFIX and DESTDIR.
#   make install PREFIX=/usr DESTDIR=/tmp/pkg
#   sudo make install-caps KSEE_GROUP=ksee   # members of ksee trace without root
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
INCLUDEDIR ?= $(PREFIX)/include
LIBEXECDIR ?= $(PREFIX)/libexec
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# ksee serve: the systemd unit and the Prometheus alerting rules.
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
KSEEDATADIR ?= $(PREFIX)/share/ksee
KSEE_GROUP ?= ksee
# CAP_BPF and CAP_PERFMON load and attach the probes; CAP_SYS_PTRACE reads
# /proc/PID/exe and the memory maps of other users' processes (attach, markers).
KSEE_CAPS ?= cap_bpf,cap_perfmon,cap_sys_ptrace+ep
INSTALL ?= install

# What `make install` puts under $(DESTDIR)$(PREFIX), one path a line.
INSTALLED_FILES = $(BINDIR)/ksee \
	$(MANDIR)/man1/ksee.1 \
	$(BASHCOMPDIR)/ksee \
	$(INCLUDEDIR)/ksee/usdt.h \
	$(SYSTEMDUNITDIR)/ksee-serve@.service \
	$(KSEEDATADIR)/prometheus/ksee-rules.yml \
	$(DEMO_BINS:$(OUTPUT)/demos/%=$(LIBEXECDIR)/ksee/demos/%)

.PHONY: install uninstall install-caps

install: $(OUTPUT)/ksee $(DEMO_BINS)
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(INCLUDEDIR)/ksee $(DESTDIR)$(LIBEXECDIR)/ksee/demos
	$(Q)$(INSTALL) -m 0755 $(OUTPUT)/ksee $(DESTDIR)$(BINDIR)/ksee
	$(Q)$(INSTALL) -m 0644 man/ksee.1 $(DESTDIR)$(MANDIR)/man1/ksee.1
	$(Q)$(INSTALL) -m 0644 completion/ksee.bash $(DESTDIR)$(BASHCOMPDIR)/ksee
	$(Q)$(INSTALL) -m 0644 include/ksee/usdt.h $(DESTDIR)$(INCLUDEDIR)/ksee/usdt.h
	$(Q)$(INSTALL) -m 0755 $(DEMO_BINS) $(DESTDIR)$(LIBEXECDIR)/ksee/demos/
	$(Q)$(INSTALL) -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(KSEEDATADIR)/prometheus
	$(Q)sed 's|@BINDIR@|$(BINDIR)|g' dist/systemd/ksee-serve@.service > $(OUTPUT)/ksee-serve@.service
	$(Q)$(INSTALL) -m 0644 $(OUTPUT)/ksee-serve@.service $(DESTDIR)$(SYSTEMDUNITDIR)/ksee-serve@.service
	$(Q)$(INSTALL) -m 0644 dist/prometheus/ksee-rules.yml \
		$(DESTDIR)$(KSEEDATADIR)/prometheus/ksee-rules.yml

uninstall:
	$(call msg,RM,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(INSTALLED_FILES:%=$(DESTDIR)%)
	$(Q)rmdir $(DESTDIR)$(LIBEXECDIR)/ksee/demos $(DESTDIR)$(LIBEXECDIR)/ksee \
		$(DESTDIR)$(INCLUDEDIR)/ksee 2>/dev/null || true
	$(Q)rmdir $(DESTDIR)$(KSEEDATADIR)/prometheus $(DESTDIR)$(KSEEDATADIR) 2>/dev/null || true

# After `make install`, as root: only root and members of KSEE_GROUP may run
# ksee, and it gets KSEE_CAPS instead of needing sudo.
install-caps:
	$(Q)if [ "$$(id -u)" != 0 ]; then echo "install-caps: run as root"; exit 1; fi
	$(Q)test -x $(DESTDIR)$(BINDIR)/ksee || { echo "install-caps: run make install first"; exit 1; }
	$(Q)getent group $(KSEE_GROUP) >/dev/null || groupadd --system $(KSEE_GROUP)
	$(Q)chgrp $(KSEE_GROUP) $(DESTDIR)$(BINDIR)/ksee
	$(Q)chmod 0750 $(DESTDIR)$(BINDIR)/ksee
	$(Q)setcap $(KSEE_CAPS) $(DESTDIR)$(BINDIR)/ksee
	$(Q)echo "$(DESTDIR)$(BINDIR)/ksee: group $(KSEE_GROUP), $$(getcap $(DESTDIR)$(BINDIR)/ksee)"
	$(Q)echo "add users with: usermod -aG $(KSEE_GROUP) USER (they log in again)"

help: help-install
.PHONY: help-install
help-install:
	@echo 'make install    install into $$(DESTDIR)$$(PREFIX) (PREFIX=$(PREFIX)); make uninstall'
	@echo 'make install-caps  (root) let group $(KSEE_GROUP) trace without root ($(KSEE_CAPS))'

# The test of the man page against --help, and of install / uninstall.
INSTALL_TEST := $(OUTPUT)/tests/install/test_install
EXTRA_TESTS += $(INSTALL_TEST)

$(OUTPUT)/tests/install:
	$(Q)mkdir -p $@

$(INSTALL_TEST): tests/install/test_install.c | $(OUTPUT)/tests/install
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -DKSEE_OUTPUT='"$(OUTPUT)"' $< -lcmocka -o $@

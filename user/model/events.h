/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The timeline's event stream (struct ksee_event, bpf/ksee.h), kept on
 * disk, never whole in memory: ksee writes it while tracing, renderers
 * read it back in chunks. Pure: stdio only.
 */
#ifndef KSEE_EVENTS_H
#define KSEE_EVENTS_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "ksee.h"

struct ks_events {
	FILE *f;		/* the file holding the events (not owned by readers) */
	__u64 offset;		/* where the first event starts in @f */
	__u64 count;		/* events stored */
	__u64 lost;		/* events the kernel side could not hand over */
	bool owned;		/* @f is a spool of ours: close it in ks_events_close() */
};

/*
 * A new spool in a nameless temporary file in $TMPDIR or /tmp (mode 0600,
 * close-on-exec, gone on close). 0 or -errno.
 */
int ks_events_spool(struct ks_events *ev);

/* Append @n events to a spool. 0 or -errno. */
int ks_events_append(struct ks_events *ev, const struct ksee_event *e, size_t n);

/*
 * An event that could have come from the kernel side: a known type and
 * task ids within the kernel's limit.
 */
bool ks_event_valid(const struct ksee_event *e);

/*
 * Call @cb for every valid event (ks_event_valid(); others are skipped),
 * in the order they were stored, reading in chunks. Stops early and returns @cb's value when it is not 0; -errno on
 * a read error, -EPROTO if the file ends before @count events.
 */
typedef int (*ks_event_cb)(const struct ksee_event *e, void *ctx);
int ks_events_foreach(const struct ks_events *ev, ks_event_cb cb, void *ctx);

void ks_events_close(struct ks_events *ev);

const char *ks_event_type_name(unsigned int type);

#endif

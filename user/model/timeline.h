/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The timeline, downsampled: the event stream (events.h) read once, each
 * task's states (evstate.h) summed into a fixed number of time columns, so a trace of
 * any length and any number of events fits in ncols x states counters per
 * task. Used by the HTML renderer; any renderer that wants an overview
 * may use it. Pure: stdio only.
 */
#ifndef KSEE_TIMELINE_H
#define KSEE_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "model/events.h"
#include "model/evstate.h"

/* What a task was doing: running, runnable, or blocked (by reason, or in D state). */
enum tl_state {
	TL_RUN,
	TL_RUNQ,			/* runnable: woken or preempted, not yet running */
	TL_D,				/* uninterruptible sleep, whatever the syscall */
	TL_BLOCKED,			/* + enum ksee_reason: asleep in that syscall family */
	TL_BLOCKED_UNSEEN = TL_BLOCKED + KSEE_R_NR,	/* asleep before its first event */
	TL_NSTATES,
};

#define TL_DEFAULT_COLS		800
#define TL_DEFAULT_ROWS		512

struct tl_row {
	__u32 tid;
	__u32 tgid;
	__u32 *cells;		/* ncols x TL_NSTATES, in units of 2^shift ns */
	__u64 events;
	__u64 wakes;		/* KSEE_EV_WAKE received */
	bool exited;
};

struct tl_slot {
	__u32 tid;
	__u32 row;		/* index + 1 in rows; 0: empty */
};

struct timeline {
	__u64 start_ns, end_ns;	/* the span the columns cover */
	__u64 col_ns;		/* width of a column, ns (the last may be cut) */
	unsigned int ncols;
	unsigned int shift;	/* cells count 2^shift ns */
	size_t max_rows;
	struct tl_row *rows;	/* in the order tasks first appear */
	size_t nrows;
	struct tl_slot *slots;	/* open-addressing hash: tid -> row */
	size_t nslots;
	struct evstate evs;
	__u64 events;		/* events read */
	__u64 dropped;		/* events of tasks beyond @max_rows */
	__u32 tasks_dropped;	/* tasks beyond @max_rows, not drawn */
};

/*
 * Read @ev once and fill @tl: @ncols columns between @start_ns and
 * @end_ns (both 0: the span of the events), at most @max_rows tasks.
 * 0 or -errno; timeline_free() in both cases.
 */
int timeline_build(struct timeline *tl, const struct ks_events *ev, __u64 start_ns,
		   __u64 end_ns, unsigned int ncols, size_t max_rows);
void timeline_free(struct timeline *tl);

/* The row of @tid, or NULL. */
const struct tl_row *timeline_find(const struct timeline *tl, __u32 tid);

/* Time in @state during column @col, ns. */
__u64 timeline_cell_ns(const struct timeline *tl, const struct tl_row *row, unsigned int col,
		       enum tl_state state);

/* The states with any time in any row: a mask of 1 << enum tl_state. */
unsigned int timeline_states(const struct timeline *tl);

/* Width of column @col, ns (the last one may be narrower). */
__u64 timeline_col_ns(const struct timeline *tl, unsigned int col);

/* "running", "runnable", "D state", "blocked in futex", ... */
const char *tl_state_name(enum tl_state s);

#endif

// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/syscalls.h"
#include "model/timeline.h"

static size_t hash_tid(__u32 tid, size_t nslots)
{
	return ((size_t)tid * 2654435761u) & (nslots - 1);
}

#define SLOT_DROPPED	0xffffffffu

/* The slot of @tid, or the empty one where it would go. */
static struct tl_slot *find_slot(const struct timeline *tl, __u32 tid)
{
	size_t i = hash_tid(tid, tl->nslots);

	while (tl->slots[i].row && tl->slots[i].tid != tid)
		i = (i + 1) & (tl->nslots - 1);
	return &tl->slots[i];
}

const struct tl_row *timeline_find(const struct timeline *tl, __u32 tid)
{
	const struct tl_slot *s;

	if (!tl->nslots)
		return NULL;
	s = find_slot(tl, tid);
	return s->row && s->row != SLOT_DROPPED ? &tl->rows[s->row - 1] : NULL;
}

/*
 * The row of task @tid, made when first seen. NULL when the table is full
 * (the task is counted as dropped once) or on -ENOMEM (*@err).
 */
static struct tl_row *row_of(struct timeline *tl, __u32 tid, __u32 tgid, int *err)
{
	struct tl_slot *s = find_slot(tl, tid);
	struct tl_row *row;

	if (s->row)
		return s->row == SLOT_DROPPED ? NULL : &tl->rows[s->row - 1];
	if (tl->nrows == tl->max_rows) {
		/* Keep the hash at most half full: beyond, dropped tasks are not told apart. */
		if (tl->nrows + tl->tasks_dropped < tl->nslots / 2) {
			s->tid = tid;
			s->row = SLOT_DROPPED;
			tl->tasks_dropped++;
		}
		return NULL;
	}
	row = &tl->rows[tl->nrows];
	memset(row, 0, sizeof(*row));
	row->cells = calloc((size_t)tl->ncols * TL_NSTATES, sizeof(*row->cells));
	if (!row->cells) {
		*err = -ENOMEM;
		return NULL;
	}
	row->tid = tid;
	row->tgid = tgid;
	s->tid = tid;
	s->row = ++tl->nrows;
	return row;
}

/* Add [@a, @b) in @state to @row's columns. */
static void add_span(struct timeline *tl, struct tl_row *row, int state, __u64 a, __u64 b)
{
	__u64 half = tl->shift ? 1ULL << (tl->shift - 1) : 0, end;
	unsigned int c;

	if (a < tl->start_ns)
		a = tl->start_ns;
	if (b > tl->end_ns)
		b = tl->end_ns;
	if (b <= a)
		return;
	a -= tl->start_ns;
	b -= tl->start_ns;
	for (c = a / tl->col_ns; a < b && c < tl->ncols; c++) {
		end = (c + 1) * tl->col_ns;
		if (end > b)
			end = b;
		row->cells[(size_t)c * TL_NSTATES + state] += (end - a + half) >> tl->shift;
		a = end;
	}
}

static int state_of(const struct evs_thread *t)
{
	switch (t->state) {
	case EVS_RUNNING:
		return TL_RUN;
	case EVS_RUNNABLE:
		return TL_RUNQ;
	case EVS_BLOCKED:
		if (t->dstate)
			return TL_D;
		return TL_BLOCKED + (t->reason <= KSEE_R_NR ? t->reason : KSEE_R_OTHER);
	default:
		return -1;
	}
}

/* evstate: @t leaves its state at @end_ns. */
static int on_interval(void *ctx, const struct evs_thread *t, __u64 end_ns)
{
	struct timeline *tl = ctx;
	struct tl_row *row;
	int err = 0, st = state_of(t);

	if (st < 0)
		return 0;
	row = row_of(tl, t->tid, t->tgid, &err);
	if (row)
		add_span(tl, row, st, t->since_ns, end_ns);
	return err;
}

static int on_event(const struct ksee_event *e, void *ctx)
{
	struct timeline *tl = ctx;
	struct tl_row *row;
	int err = 0;

	tl->events++;
	if (!e->tid)
		return 0;
	row = row_of(tl, e->tid, e->tgid, &err);
	if (!row) {
		tl->dropped++;
		return err;
	}
	row->events++;
	row->wakes += e->type == KSEE_EV_WAKE;
	row->exited |= e->type == KSEE_EV_EXIT;
	return evs_feed(&tl->evs, e);
}

static int on_span(const struct ksee_event *e, void *ctx)
{
	__u64 *span = ctx;

	if (!span[0] || e->ts_ns < span[0])
		span[0] = e->ts_ns;
	if (e->ts_ns > span[1])
		span[1] = e->ts_ns;
	return 0;
}

static const struct evs_ops tl_ops = {
	.interval = on_interval,
};

static int setup(struct timeline *tl, const struct ks_events *ev, __u64 start_ns, __u64 end_ns,
		 unsigned int ncols, size_t max_rows)
{
	__u64 span[2] = { start_ns, end_ns };
	int err;

	if (!start_ns && !end_ns) {
		err = ks_events_foreach(ev, on_span, span);
		if (err)
			return err;
	}
	tl->start_ns = span[0];
	tl->end_ns = span[1] > span[0] ? span[1] : span[0] + 1;
	if (!ncols)
		ncols = TL_DEFAULT_COLS;
	if (ncols > tl->end_ns - tl->start_ns)
		ncols = tl->end_ns - tl->start_ns;
	tl->ncols = ncols;
	tl->col_ns = (tl->end_ns - tl->start_ns + ncols - 1) / ncols;
	while ((tl->col_ns >> tl->shift) >= 1ULL << 31)
		tl->shift++;
	tl->max_rows = max_rows ? max_rows : TL_DEFAULT_ROWS;
	for (tl->nslots = 16; tl->nslots < 4 * tl->max_rows; tl->nslots *= 2)
		;
	evs_init(&tl->evs, &tl_ops, tl, tl->start_ns);
	tl->rows = calloc(tl->max_rows, sizeof(*tl->rows));
	tl->slots = calloc(tl->nslots, sizeof(*tl->slots));
	return tl->rows && tl->slots ? 0 : -ENOMEM;
}

int timeline_build(struct timeline *tl, const struct ks_events *ev, __u64 start_ns,
		   __u64 end_ns, unsigned int ncols, size_t max_rows)
{
	int err;

	memset(tl, 0, sizeof(*tl));
	err = setup(tl, ev, start_ns, end_ns, ncols, max_rows);
	if (!err)
		err = ks_events_foreach(ev, on_event, tl);
	/* A task still in a state at the end stays in it until the end. */
	if (!err)
		err = evs_finish(&tl->evs, tl->end_ns);
	evs_free(&tl->evs);
	return err;
}

void timeline_free(struct timeline *tl)
{
	size_t i;

	for (i = 0; i < tl->nrows; i++)
		free(tl->rows[i].cells);
	free(tl->rows);
	free(tl->slots);
	memset(tl, 0, sizeof(*tl));
}

__u64 timeline_cell_ns(const struct timeline *tl, const struct tl_row *row, unsigned int col,
		       enum tl_state state)
{
	return (__u64)row->cells[(size_t)col * TL_NSTATES + state] << tl->shift;
}

unsigned int timeline_states(const struct timeline *tl)
{
	unsigned int mask = 0;
	size_t i, n = (size_t)tl->ncols * TL_NSTATES, k;

	for (i = 0; i < tl->nrows; i++)
		for (k = 0; k < n; k++)
			if (tl->rows[i].cells[k])
				mask |= 1u << (k % TL_NSTATES);
	return mask;
}

__u64 timeline_col_ns(const struct timeline *tl, unsigned int col)
{
	__u64 a = col * tl->col_ns, span = tl->end_ns - tl->start_ns;

	if (a >= span)
		return 0;
	return span - a < tl->col_ns ? span - a : tl->col_ns;
}

const char *tl_state_name(enum tl_state s)
{
	static char names[KSEE_R_NR][32];
	int r = s - TL_BLOCKED;

	switch (s) {
	case TL_RUN: return "running";
	case TL_RUNQ: return "runnable (waking up, waiting for a CPU)";
	case TL_D: return "uninterruptible (D)";
	case TL_BLOCKED_UNSEEN: return "blocked (before its first event)";
	default: break;
	}
	if (r < 0 || r > KSEE_R_NR)
		return "?";
	if (r == KSEE_R_NONE)
		return "blocked outside a syscall";
	if (!names[r][0])
		snprintf(names[r], sizeof(names[r]), "blocked in %s", syscalls_family_name(r));
	return names[r];
}

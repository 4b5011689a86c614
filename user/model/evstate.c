// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/evstate.h"

void evs_init(struct evstate *s, const struct evs_ops *ops, void *ctx, __u64 origin_ns)
{
	static const struct evs_ops none;

	memset(s, 0, sizeof(*s));
	s->ops = ops ? ops : &none;
	s->ctx = ctx;
	s->origin_ns = origin_ns;
	s->last_ns = origin_ns;
}

void evs_free(struct evstate *s)
{
	free(s->threads);
	free(s->procs);
	free(s->thread_idx);
	free(s->proc_idx);
	memset(s, 0, sizeof(*s));
}

static size_t slot_of(__u32 key, size_t slots)
{
	return (size_t)((key * 2654435761U) & (slots - 1));
}

/* Index + 1 of @key in @idx, or the empty slot where it would go (as -slot - 1). */
static long lookup(const __u32 *idx, size_t slots, const void *items, size_t size, __u32 key)
{
	size_t i;

	if (!slots)
		return -1;
	for (i = slot_of(key, slots);; i = (i + 1) & (slots - 1)) {
		if (!idx[i])
			return -(long)i - 1;
		/* both item structs start with their __u32 key */
		if (*(const __u32 *)((const char *)items + (idx[i] - 1) * size) == key)
			return idx[i];
	}
}

/* Double the index when half full; 0 or -ENOMEM. */
static int grow_index(__u32 **idx, size_t *slots, const void *items, size_t size, size_t n)
{
	size_t ns = *slots ? *slots * 2 : 64, i, j;
	__u32 *ni, key;

	if (*slots && (n + 1) * 2 <= *slots)
		return 0;
	ni = calloc(ns, sizeof(*ni));
	if (!ni)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		key = *(const __u32 *)((const char *)items + i * size);
		for (j = slot_of(key, ns); ni[j]; j = (j + 1) & (ns - 1))
			;
		ni[j] = i + 1;
	}
	free(*idx);
	*idx = ni;
	*slots = ns;
	return 0;
}

/* Grow @arr of @size-byte items to hold one more; 0 or -ENOMEM. */
static int grow_array(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t nc = *cap ? *cap * 2 : 64;
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*arr, nc * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = nc;
	return 0;
}

struct evs_thread *evs_thread_find(const struct evstate *s, __u32 tid)
{
	long i = lookup(s->thread_idx, s->thread_slots, s->threads, sizeof(*s->threads), tid);

	return i > 0 ? &s->threads[i - 1] : NULL;
}

struct evs_proc *evs_proc_find(const struct evstate *s, __u32 tgid)
{
	long i = lookup(s->proc_idx, s->proc_slots, s->procs, sizeof(*s->procs), tgid);

	return i > 0 ? &s->procs[i - 1] : NULL;
}

static struct evs_proc *proc_get(struct evstate *s, __u32 tgid, bool *added)
{
	struct evs_proc *p = evs_proc_find(s, tgid);

	*added = false;
	if (p)
		return p;
	if (grow_index(&s->proc_idx, &s->proc_slots, s->procs, sizeof(*s->procs), s->nprocs) ||
	    grow_array((void **)&s->procs, &s->cap_procs, s->nprocs, sizeof(*s->procs)))
		return NULL;
	p = &s->procs[s->nprocs++];
	memset(p, 0, sizeof(*p));
	p->tgid = tgid;
	s->proc_idx[-lookup(s->proc_idx, s->proc_slots, s->procs, sizeof(*p), tgid) - 1] =
		s->nprocs;
	*added = true;
	return p;
}

static struct evs_thread *thread_get(struct evstate *s, __u32 tid, __u32 tgid, bool *added,
				     bool *new_proc)
{
	struct evs_thread *t = evs_thread_find(s, tid);

	*added = *new_proc = false;
	if (t)
		return t;
	if (!proc_get(s, tgid, new_proc))
		return NULL;
	if (grow_index(&s->thread_idx, &s->thread_slots, s->threads, sizeof(*s->threads),
		       s->nthreads) ||
	    grow_array((void **)&s->threads, &s->cap_threads, s->nthreads, sizeof(*s->threads)))
		return NULL;
	t = &s->threads[s->nthreads++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->tgid = tgid;
	t->reason = KSEE_R_NR;
	s->thread_idx[-lookup(s->thread_idx, s->thread_slots, s->threads, sizeof(*t), tid) - 1] =
		s->nthreads;
	*added = true;
	return t;
}

struct evs_thread *evs_thread_get(struct evstate *s, __u32 tid, __u32 tgid)
{
	bool added, new_proc;

	return thread_get(s, tid, tgid, &added, &new_proc);
}

/* Add @dir to the count @st belongs to in @p; false if @st is not counted. */
static bool adjust(struct evs_proc *p, enum evs_state st, int dir)
{
	if (st == EVS_RUNNING)
		p->running += dir;
	else if (st == EVS_RUNNABLE)
		p->runnable += dir;
	else
		return false;
	return true;
}

/*
 * Leave the current state at @ts (closing its interval) and enter @st;
 * @counted: the new state is seen, so it is counted.
 */
static int set_state(struct evstate *s, struct evs_thread *t, enum evs_state st, __u64 ts,
		     bool counted)
{
	struct evs_proc *p = evs_proc_find(s, t->tgid);
	__u32 running = p->running, runnable = p->runnable;
	int err = 0;

	if (t->state != EVS_NONE && t->state != EVS_DEAD && s->ops->interval)
		err = s->ops->interval(s->ctx, t, ts);
	if (err)
		return err;
	if (t->counted)
		adjust(p, t->state, -1);
	t->state = st;
	t->since_ns = ts;
	t->inferred = false;
	t->counted = counted && adjust(p, st, 1);
	if ((p->running != running || p->runnable != runnable) && s->ops->counts)
		err = s->ops->counts(s->ctx, p, ts);
	return err;
}

/*
 * A thread whose first event is not NEW existed before: what the event
 * says it was doing, from the start of the trace. Not counted, since it
 * was not seen.
 */
static void infer(struct evstate *s, struct evs_thread *t, __u16 type, __u64 ts)
{
	switch (type) {
	case KSEE_EV_RUN:
		t->state = EVS_RUNNABLE;
		t->cause = EVS_CAUSE_UNKNOWN;
		break;
	case KSEE_EV_WAKE:
		t->state = EVS_BLOCKED;
		t->reason = KSEE_R_NR;
		t->dstate = false;
		break;
	case KSEE_EV_PREEMPT:
	case KSEE_EV_BLOCK:
	case KSEE_EV_EXIT:
		t->state = EVS_RUNNING;
		t->cpu = 0xffff;
		break;
	default:
		return;
	}
	t->since_ns = s->origin_ns < ts ? s->origin_ns : ts;
	t->inferred = true;
}

static void note_wake(struct evstate *s, struct evs_thread *t, __u64 ts, __u32 waker_tid,
		      __u32 waker_tgid)
{
	const struct evs_thread *w;

	if (t->woken)
		return;
	if (!waker_tgid && waker_tid) {
		w = evs_thread_find(s, waker_tid);
		waker_tgid = w ? w->tgid : 0;
	}
	t->woken = true;
	t->wake_ns = ts;
	t->waker_tid = waker_tid;
	t->waker_tgid = waker_tgid;
}

int evs_feed(struct evstate *s, const struct ksee_event *e)
{
	struct evs_thread *t;
	bool added, new_proc;
	__u64 ts = e->ts_ns;
	int err = 0;

	t = thread_get(s, e->tid, e->tgid, &added, &new_proc);
	if (!t)
		return -ENOMEM;
	if (added && s->ops->added) {
		err = s->ops->added(s->ctx, t, evs_proc_find(s, e->tgid), new_proc);
		if (err)
			return err;
	}
	s->events++;
	if (t->state == EVS_NONE)
		infer(s, t, e->type, ts);
	if (t->state != EVS_NONE && ts < t->since_ns)
		ts = t->since_ns;	/* per thread, time never goes back */
	if (ts > s->last_ns)
		s->last_ns = ts;

	switch (e->type) {
	case KSEE_EV_RUN:
		if (t->woken && s->ops->wakeup)
			err = s->ops->wakeup(s->ctx, t, ts);
		t->woken = false;
		if (!err)
			err = set_state(s, t, EVS_RUNNING, ts, true);
		t->cpu = e->cpu;
		break;
	case KSEE_EV_PREEMPT:
		err = set_state(s, t, EVS_RUNNABLE, ts, true);
		t->cause = EVS_CAUSE_PREEMPTED;
		break;
	case KSEE_EV_BLOCK:
		t->woken = false;
		err = set_state(s, t, EVS_BLOCKED, ts, false);
		t->reason = e->arg < KSEE_R_NR ? e->arg : KSEE_R_OTHER;
		t->dstate = e->arg2 == 1;
		break;
	case KSEE_EV_WAKE:
		if (t->state == EVS_RUNNING)
			break;	/* woken while still on a CPU: nothing changes */
		note_wake(s, t, ts, e->arg, e->arg2);
		if (t->state == EVS_BLOCKED) {
			err = set_state(s, t, EVS_RUNNABLE, ts, true);
			t->cause = EVS_CAUSE_WAKEUP;
		}
		break;
	case KSEE_EV_NEW:
		t->woken = false;
		note_wake(s, t, ts, e->arg, 0);
		err = set_state(s, t, EVS_RUNNABLE, ts, true);
		t->cause = EVS_CAUSE_CREATED;
		break;
	case KSEE_EV_EXIT:
		t->woken = false;
		err = set_state(s, t, EVS_DEAD, ts, false);
		break;
	}
	return err;
}

int evs_finish(struct evstate *s, __u64 end_ns)
{
	struct evs_thread *t;
	size_t i;
	int err;

	if (end_ns < s->last_ns)
		end_ns = s->last_ns;
	for (i = 0; i < s->nthreads; i++) {
		t = &s->threads[i];
		if (t->state == EVS_NONE || t->state == EVS_DEAD)
			continue;
		err = set_state(s, t, EVS_DEAD, end_ns < t->since_ns ? t->since_ns : end_ns, false);
		if (err)
			return err;
	}
	return 0;
}

const char *evs_state_name(enum evs_state st)
{
	switch (st) {
	case EVS_NONE: return "none";
	case EVS_RUNNING: return "Running";
	case EVS_RUNNABLE: return "Runnable";
	case EVS_BLOCKED: return "Blocked";
	case EVS_DEAD: return "dead";
	}
	return "?";
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-thread scheduling state over the timeline's event stream (struct
 * ksee_event): RUN / PREEMPT / BLOCK / WAKE / NEW / EXIT become intervals
 * (a thread was Running, Runnable or Blocked from one instant to the
 * next), wakeups tied to the run they caused, and per-process counts of
 * running and runnable tasks. Memory grows with threads, never with
 * events. Pure: no libbpf, no I/O.
 */
#ifndef KSEE_EVSTATE_H
#define KSEE_EVSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "ksee.h"

enum evs_state {
	EVS_NONE,	/* nothing known yet */
	EVS_RUNNING,
	EVS_RUNNABLE,	/* waiting for a CPU */
	EVS_BLOCKED,	/* asleep */
	EVS_DEAD,
};

/* Why a thread is runnable. */
enum evs_cause {
	EVS_CAUSE_UNKNOWN,	/* before its first event */
	EVS_CAUSE_WAKEUP,
	EVS_CAUSE_PREEMPTED,
	EVS_CAUSE_CREATED,
};

struct evs_thread {
	__u32 tid;
	__u32 tgid;
	enum evs_state state;
	__u64 since_ns;		/* in @state since */
	bool inferred;		/* @state guessed from the first event, not seen */
	bool counted;		/* @state is in its process's counts */
	__u32 reason;		/* EVS_BLOCKED: enum ksee_reason; KSEE_R_NR if unknown */
	bool dstate;		/* EVS_BLOCKED: uninterruptible (D) */
	__u16 cpu;		/* EVS_RUNNING: the CPU */
	enum evs_cause cause;	/* EVS_RUNNABLE: why */

	/* The wakeup (or creation) that made it runnable, until it runs. */
	bool woken;
	__u64 wake_ns;
	__u32 waker_tid;	/* 0: the idle task or an interrupt */
	__u32 waker_tgid;	/* KSEE_WAKER_IRQ: interrupt context; 0: unknown */

	unsigned long user;	/* for the caller; 0 when added */
};

struct evs_proc {
	__u32 tgid;
	__u32 running;
	__u32 runnable;
	unsigned long user;	/* for the caller; 0 when added */
};

struct evstate;

/* Callbacks; each may be NULL. A non-zero return stops the feed and is returned. */
struct evs_ops {
	/* @t is leaving t->state, held since t->since_ns, at @end_ns (>= since_ns). */
	int (*interval)(void *ctx, const struct evs_thread *t, __u64 end_ns);
	/* @t runs at @run_ns after the wakeup or creation in t->wake_*, t->waker_*. */
	int (*wakeup)(void *ctx, const struct evs_thread *t, __u64 run_ns);
	/* The counts of @p changed at @ts_ns. */
	int (*counts)(void *ctx, const struct evs_proc *p, __u64 ts_ns);
	/* A thread (and maybe its process) seen first in the events, not added before. */
	int (*added)(void *ctx, const struct evs_thread *t, const struct evs_proc *p,
		     bool new_proc);
};

struct evstate {
	const struct evs_ops *ops;
	void *ctx;
	__u64 origin_ns;	/* the start of the trace: inferred states begin here */
	__u64 last_ns;		/* latest timestamp fed */
	__u64 events;		/* events fed */
	struct evs_thread *threads;
	size_t nthreads, cap_threads;
	struct evs_proc *procs;
	size_t nprocs, cap_procs;
	__u32 *thread_idx;	/* open addressing: index + 1, 0 empty */
	size_t thread_slots;
	__u32 *proc_idx;
	size_t proc_slots;
};

void evs_init(struct evstate *s, const struct evs_ops *ops, void *ctx, __u64 origin_ns);
void evs_free(struct evstate *s);

/*
 * The thread @tid, added (state EVS_NONE, its process too) if it is not
 * known yet, without calling ops->added. NULL on -ENOMEM. The pointer is
 * valid until the next call that may add a thread.
 */
struct evs_thread *evs_thread_get(struct evstate *s, __u32 tid, __u32 tgid);
struct evs_thread *evs_thread_find(const struct evstate *s, __u32 tid);
struct evs_proc *evs_proc_find(const struct evstate *s, __u32 tgid);

/* Feed one event, in the order stored. 0, -ENOMEM, or a callback's value. */
int evs_feed(struct evstate *s, const struct ksee_event *e);

/* Close every open interval at @end_ns (or the last event, if later). */
int evs_finish(struct evstate *s, __u64 end_ns);

const char *evs_state_name(enum evs_state st);

#endif

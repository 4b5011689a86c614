/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Off-CPU call stacks (--stacks): where the tasks of a trace went to
 * sleep, symbolized, with how often and how long. The tracer (or a
 * recording) adds one struct ks_stack per task, stack pair and reason;
 * ks_stacks_finish() merges the threads of a process that slept at the
 * same frames for the same reason into groups, biggest first. Pure.
 */
#ifndef KSEE_STACKS_H
#define KSEE_STACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "ksee.h"

enum ks_frame_flags {
	KS_FRAME_KERNEL = 1 << 0,	/* a kernel function */
	KS_FRAME_INLINED = 1 << 1,	/* inlined into the frame after it (debug info says so) */
	KS_FRAME_NOSYM = 1 << 2,	/* no symbol: the name is module+0xoffset or [unknown] */
};

struct ks_frame {
	char *name;	/* function; "module+0xoffset"; "[unknown]" */
	char *module;	/* file name of the executable or library; NULL: kernel or none */
	char *file;	/* source file from the debug info; NULL: none */
	__u32 line;	/* 0: none */
	__u32 flags;	/* enum ks_frame_flags */
};

enum ks_stack_flags {
	KS_STACK_TRUNCATED = 1 << 0,	/* the user stack copy ended before the outermost frame */
	KS_STACK_UNWIND_ERR = 1 << 1,	/* the user stack unwinding stopped on an error */
	KS_STACK_USER_LOST = 1 << 2,	/* the user stack could not be unwound at all */
	KS_STACK_KERNEL_LOST = 1 << 3,	/* the kernel stack was not taken */
	/* not unwound: under sudo, the process ran as another user than the invoking one */
	KS_STACK_USER_HIDDEN = 1 << 4,
};

/* One task's sleeps at one stack pair, for one reason. */
struct ks_stack {
	__u32 tgid;
	__u32 tid;
	__u32 reason;		/* enum ksee_reason */
	__u32 flags;		/* enum ks_stack_flags */
	__u64 count;		/* voluntary switch-outs */
	__u64 blocked_ns;	/* asleep, switch-out to wakeup */
	struct ks_frame *frames;	/* leaf first: the kernel frames, then the user frames */
	__u32 nframes;
	__u32 nkernel;		/* frames[0 .. nkernel-1] are the kernel's */
};

/* The threads of one process that slept at the same frames for the same reason. */
struct ks_stack_group {
	__u32 tgid;
	__u32 reason;
	__u32 nthreads;
	__u32 flags;			/* the members' flags, or-ed */
	__u64 count;
	__u64 blocked_ns;
	double share;			/* of the process's blocked time for this reason; 0..1 */
	const struct ks_stack *stack;	/* the first member: its frames stand for all */
};

struct ks_stacks {
	struct ks_stack *v;
	size_t n, cap;
	struct ks_stack_group *groups;	/* by process, then reason, then time, biggest first */
	size_t ngroups;
};

/* Take @s in, frames and strings included (they become the model's); 0 or -ENOMEM. */
int ks_stacks_add(struct ks_stacks *ss, struct ks_stack *s);

struct ks_trace;

/*
 * Group and sort tr->stacks; the shares are of each process's blocked
 * time per reason (its sum must be finished). 0 or -ENOMEM.
 */
int ks_stacks_finish(struct ks_trace *tr);

/* The groups of process @tgid: a slice of ss->groups (*@n of them), NULL if none. */
const struct ks_stack_group *ks_stacks_of(const struct ks_stacks *ss, __u32 tgid, size_t *n);

/* The same frames (names and kinds, leaf to root). */
bool ks_stack_same_frames(const struct ks_stack *a, const struct ks_stack *b);

/* The @n biggest groups of all processes by time asleep, into @out; how many there are. */
size_t ks_stacks_top(const struct ks_stacks *ss, const struct ks_stack_group **out, size_t n);

/* Where thread @tid of process @tgid slept longest: its biggest stack, or NULL. */
const struct ks_stack *ks_stacks_thread_top(const struct ks_stacks *ss, __u32 tgid, __u32 tid);

/* Where one thread slept for one reason: how many different stacks, the longest one. */
struct ks_thread_stacks {
	__u32 tid;
	__u32 reason;
	__u32 nstacks;			/* different frame lists */
	const struct ks_stack *longest;	/* by time asleep */
};

/* One entry per thread and reason, sorted by tid then reason; free() it. NULL if none. */
struct ks_thread_stacks *ks_stacks_by_thread(const struct ks_stacks *ss, size_t *n);

void ks_stack_free(struct ks_stack *s);
void ks_stacks_free(struct ks_stacks *ss);

/* The frame's name as the folded format and the HTML show it: kernel frames end in "_[k]". */
int ks_frame_label(const struct ks_frame *fr, char *buf, size_t len);

#endif

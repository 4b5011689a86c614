/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel side's lifecycle: load and attach the BPF programs, register
 * the processes to trace, drain what the kernel hands over into a
 * struct ks_trace, and detach. Errors come back as -errno with a message
 * in the caller's buffer; nothing here prints.
 */
#ifndef KSEE_TRACER_H
#define KSEE_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "model/events.h"
#include "model/model.h"

struct tracer;

struct tracer_cfg {
	bool verbose;			/* libbpf's messages to stderr */
	struct ks_events *timeline;	/* --timeline: where events go; NULL: off */
	__u32 timeline_bytes;		/* its ring buffer: a power of 2, >= 4096 */
	bool syscalls;			/* --syscalls: hook sys_exit (calls, events) */
	bool stacks;			/* --stacks: off-CPU call stacks */
};

/* 0 if this process may load tracing programs, else -EPERM with the fix in @err. */
int tracer_check_privileges(char *err, size_t errlen);

/*
 * Probe kernel features, load and attach. Missing tracepoint families are
 * switched off with a notice in @tr. KSEE_DISABLE=io_uring,syscalls in the
 * environment pretends they are missing.
 */
int tracer_open(struct tracer **out, struct ks_trace *tr, const struct tracer_cfg *cfg,
		char *err, size_t errlen);

/*
 * Count the task markers (include/ksee/usdt.h, USDT provider "ksee") of
 * the program in the file @binary, read by @path: KS_MARKERS_BLOCK attaches
 * the one probe by which each thread registers its marker block,
 * KS_MARKERS_USDT the four marker probes. Returns the number of probes
 * attached (0: the program carries no markers, or not of that path) or
 * -errno.
 */
int tracer_attach_markers(struct tracer *t, const char *binary, enum ks_marker_path path);

/* Trace the process @pid from @now on (its tasks need tracer_adopt()). */
int tracer_add_process(struct tracer *t, __u32 pid, __u64 now);

/*
 * Give every task of the registered processes its kernel-side state,
 * marked with @flags (enum ksee_task_flags).
 */
int tracer_adopt(struct tracer *t, __u64 now, __u32 flags);

/* Tasks of @pid the kernel side knows of (0: none, e.g. it is gone). */
__u32 tracer_tasks_seen(struct tracer *t, __u32 pid);

/* Wait up to @timeout_ms for records and take them in; 0 or -errno. */
int tracer_poll(struct tracer *t, int timeout_ms);

/* The last task of @pid has died and its record is in. */
bool tracer_process_ended(struct tracer *t, __u32 pid);

/* Running totals for progress lines: tasks alive, on-CPU and switches so far. */
int tracer_progress(struct tracer *t, __u64 now, __u32 *live, __u64 *on_cpu_ns,
		    __u64 *switches);

/* What the kernel side could not account so far. */
const struct ksee_drops *tracer_drops(struct tracer *t);

/*
 * ksee serve: the live tasks and processes of this moment into @snap (its
 * tasks settled at @now), and the drop counters; the records of dead
 * tasks keep going to the trace given to tracer_open(). 0 or -errno.
 */
int tracer_snapshot(struct tracer *t, struct ks_trace *snap, __u64 now);

/* ksee serve: empty the wakeup edges map, which it does not export. */
void tracer_clear_edges(struct tracer *t);

/* A descriptor that polls readable when tracer_poll() has records to take. */
int tracer_poll_fd(struct tracer *t);

/*
 * The kernel's run-time statistics of ksee's BPF programs, summed: run
 * time and count (both 0 while kernel.bpf_stats_enabled is off). 0 or -errno.
 */
int tracer_bpf_run_time(struct tracer *t, __u64 *run_ns, __u64 *run_cnt);

/* ksee serve: stop tracing @pid, registered but gone before it had a task. */
void tracer_forget_process(struct tracer *t, __u32 pid);

/*
 * Turn the kernel's BPF run-time statistics on for as long as the
 * returned descriptor (close-on-exec) is open; -errno if refused.
 */
int tracer_enable_bpf_stats(void);

/* Detach, then hand everything still in the kernel over to the trace. */
int tracer_collect(struct tracer *t, __u64 now);

/*
 * The trace ends at @end (tracer_now() clock): from then on the kernel side
 * counts nothing, and what was open then is closed at @end.
 */
void tracer_set_window_end(struct tracer *t, __u64 end);

void tracer_close(struct tracer *t);

/* CLOCK_MONOTONIC in ns: the clock of bpf_ktime_get_ns(). */
__u64 tracer_now(void);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The trace model: what the kernel side handed over (dead tasks from the
 * ring buffer, live ones from the iterator, processes, wakeup edges,
 * io_uring requests), turned into per-process and overall summaries that
 * every renderer reads. Pure: no libbpf, no syscalls.
 */
#ifndef KSEE_MODEL_H
#define KSEE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "ksee.h"
#include "model/findings.h"
#include "model/stacks.h"

enum ks_thread_kind {
	KS_KIND_MAIN,		/* the thread-group leader */
	KS_KIND_THREAD,
	KS_KIND_IO_WORKER,	/* io_uring io-wq worker, made by the kernel */
	KS_KIND_SQPOLL,		/* io_uring SQ poll thread, made by the kernel */
};

/* What the USDT task markers (provider "ksee") showed. */
struct ks_markers {
	__u64 requests_started;
	__u64 requests_done;
	__u64 awaits;
	__u64 resumes;
	__u64 resumes_same_thread;
	__u64 resumes_unmatched;
	__u64 collisions;	/* marker block: awaits lost to another id in the same slot */
	char path[8];		/* how the markers were read: "block", "usdt"; "" none */
	__u64 await_hist[KSEE_SLOTS];	/* await to resume */
	double same_thread_share;	/* resumes_same_thread / resumes; -1: no resumes */
	double voluntary_per_await;	/* voluntary switches / awaits; -1: no awaits */
};

/*
 * The per-request bill (either marker path): where the time of requests
 * went, from start to done, for the requests whose start and done were
 * both seen. held_ns + off_ns = latency_ns, exactly (measured by the
 * program); the kernel splits held_ns: waiting for a CPU and blocked by
 * reason while a request held its thread, the rest is on CPU.
 */
struct ks_bill {
	__u64 requests;
	__u64 latency_ns;	/* sum of start to done */
	__u64 latency_hist[KSEE_BILL_SLOTS];	/* 8 buckets a power of two (hist_fine_*) */
	__u64 p50_ns, p99_ns;	/* of latency_hist, interpolated: good to an eighth */
	__u64 held_ns;		/* a thread ran the request */
	__u64 oncpu_ns;		/* ... on a CPU: held_ns - wakelat_ns - runq_ns - blocked_ns */
	__u64 wakelat_ns;	/* ... waking up: from its wakeup to the enqueue */
	__u64 runq_ns;		/* ... waiting for a CPU (preempted, or woken) */
	__u64 blocked_ns[KSEE_R_NR];	/* ... blocked inside the request, by reason */
	__u64 blocked_total_ns;
	/*
	 * Off any thread, await to resume: waiting for its I/O, then for its
	 * thread once the I/O was ready (the loop busy with others, the
	 * pool's hand-off). Told apart only with the USDT markers, for an
	 * io_uring request whose user_data is the request's id: io_ns (await
	 * to its completion) and after_io_ns (completion to resume); the
	 * rest, untold_ns, is the two together.
	 */
	__u64 off_ns;
	__u64 io_ns;
	__u64 after_io_ns;
	__u64 untold_ns;	/* off_ns - io_ns - after_io_ns */
	/* of latency_ns; -1: none */
	double share_oncpu, share_wakelat, share_runq, share_blocked, share_off;
	double share_io, share_after_io, share_untold;
};

/*
 * A task idle the whole time (docs/metrics.md): it existed at least 0.5 s
 * of the trace, was on a CPU less than 0.1% of that time, and asleep in
 * one reason (syscall family) 99% of it or more: a pool thread that got
 * no work, a background thread waiting for a job that never came. (Under
 * 0.5 s, one wakeup's work is already 0.1%: a short life is not told.)
 */
#define KS_IDLE_MIN_LIFE_NS		500000000ULL
#define KS_IDLE_MAX_ONCPU_SHARE		0.001
#define KS_IDLE_MIN_ASLEEP_SHARE	0.99

/* The tasks of a sum that were idle the whole time, by the reason they slept in. */
struct ks_idle {
	__u32 tasks;
	__u64 thread_ns;		/* their thread-time */
	__u32 tasks_in[KSEE_R_NR];
	__u64 blocked_ns[KSEE_R_NR];	/* their blocked time (part of ks_sum.blocked_ns[]) */
};

/*
 * Shares of thread-time (ks_sum.thread_ns), not of wall time: several
 * tasks exist at once, so their times add up to more than the wall. -1:
 * no thread-time.
 */
struct ks_shares {
	double on_cpu;
	double blocked;
	double reason[KSEE_R_NR];	/* blocked, by reason */
	double waking;			/* waking up (wake-up latency) */
	double runq;			/* waiting for a CPU */
	double idle;			/* the thread-time of the idle tasks */
};

/* Sums over a set of tasks: a process, or the whole trace. */
struct ks_sum {
	__u32 tasks;
	__u32 kernel_workers;
	__u64 on_cpu_ns;
	__u64 voluntary;
	__u64 involuntary;
	__u64 migrations;
	__u64 wakeups;
	__u64 blocked_ns[KSEE_R_NR];
	__u64 blocked_total_ns;
	enum ksee_reason top_reason;	/* most blocked time; KSEE_R_NONE if none */
	__u64 uninterruptible_ns;
	__u64 runq_ns;		/* run-queue wait, as the kernel counts it (run_delay) */
	__u64 runq_count;
	__u64 wakelat_ns;	/* wake-up latency: wakeup to enqueued */
	__u64 wakelat_count;
	struct ksee_sys sys[KSEE_R_NR];
	__u64 epoll_events;
	__u64 uring_submitted;
	__u64 uring_waits;
	__u64 off_hist[KSEE_SLOTS];
	__u64 runq_hist[KSEE_SLOTS];
	__u64 wakelat_hist[KSEE_SLOTS];
	__u64 epoll_hist[KSEE_SLOTS];
	__u64 uring_hist[KSEE_SLOTS];
	__u64 wall_ns;
	__u32 peak_running;
	double parallelism;	/* on_cpu_ns / wall_ns */
	struct ks_markers markers;
	struct ks_bill bill;
	/* The sys_exit hook ran (--syscalls): calls, total_ns, epoll events, io_uring waits. */
	bool syscalls;
	/* thread-time: the sum over its tasks of the time each existed in the trace */
	__u64 thread_ns;
	struct ks_idle idle;
	struct ks_shares shares;
};

struct ks_thread {
	struct ksee_task_stats st;
	enum ks_thread_kind kind;
	bool alive;
	/* derived by ks_trace_finish() */
	__u64 blocked_total_ns;		/* the sum of st.blocked_ns[] */
	enum ksee_reason top_reason;	/* most blocked time; KSEE_R_NONE if none */
	__u64 life_ns;			/* the time it existed in the trace */
	bool idle;			/* idle the whole time (KS_IDLE_*) */
	double share_on_cpu;		/* of life_ns; -1: no life */
	double share_blocked;		/* of life_ns; -1: no life */
};

struct ks_uring_op {
	__u32 opcode;
	struct ksee_uring_op op;
};

/* What a process is to the trace, as the kernel tells it. */
enum ks_proc_role {
	KS_ROLE_TARGET,		/* its parent is not traced: what ksee was asked to trace */
	KS_ROLE_FORK,		/* forked by a traced process, no exec seen: the same program */
	KS_ROLE_EXEC,		/* forked by a traced process, then exec'd another program */
};

struct ks_process {
	__u32 pid;
	enum ks_proc_role role;
	struct ksee_proc kp;	/* valid if have_kp */
	__u64 *bill_hist;	/* KSEE_BILL_SLOTS buckets of its bill's latency; NULL: none */
	bool have_kp;
	bool alive;
	struct ks_thread *threads;
	size_t nthreads, cap_threads;
	struct ks_uring_op *ops;
	size_t nops, cap_ops;
	struct ks_sum sum;
};

enum ks_waker_kind {
	KS_WAKER_THREAD,	/* a task of the same process */
	KS_WAKER_EXTERNAL,	/* a task of another process */
	KS_WAKER_IDLE,		/* the idle task */
	KS_WAKER_INTERRUPT,	/* interrupt context: a timer, a device, a softirq */
};

struct ks_edge {
	struct ksee_edge_key key;
	struct ksee_edge e;
	enum ks_waker_kind kind;
	bool via_softirq;	/* the waker's own network softirq woke (KSEE_EDGE_SOFTIRQ) */
};

struct ks_features {
	bool sched;
	bool syscalls;
	bool io_uring;
	bool irq;	/* wakeups in interrupt context told apart */
	bool markers;	/* task markers attached */
	char marker_path[8];	/* how they were read: KS_MARKERS_BLOCK or _USDT; "" none */
	bool stacks;	/* --stacks: off-CPU call stacks taken */
};

/* The two ways of reading the task markers of include/ksee/usdt.h. */
enum ks_marker_path {
	KS_MARKERS_BLOCK,	/* each thread's marker block, read at its end: no trap per marker */
	KS_MARKERS_USDT,	/* a uprobe trap per marker */
};

/* "block" or "usdt". */
const char *ks_marker_path_name(enum ks_marker_path path);

/* Entries left in the kernel side's maps when the trace ended. */
struct ks_kernel_state {
	__u32 procs;		/* processes still registered */
	__u32 edges;		/* wakeup edges (kept by design until the end) */
	__u32 uring_inflight;	/* io_uring requests submitted, not completed */
	__u32 awaiting;		/* USDT awaits without their resume */
	__u32 live_tasks;	/* tasks with kernel-side state, not dead */
};

#define KS_MAX_NOTICES 8

struct ks_trace {
	/* what was traced and how */
	const char *mode;	/* "run" or "attach" */
	char **argv;		/* run: the command (borrowed) */
	int argc;
	__u32 *pids;		/* the targets (borrowed) */
	__u32 anchor_pid;	/* run: the trace lasts as long as this process lived */
	__u32 self_pid;		/* ksee itself: its wakeups of the targets are left out */
	int npids;
	char kernel[65];
	__u64 start_ns, end_ns;	/* CLOCK_MONOTONIC, as the kernel's ktime */
	bool have_exit;
	int exit_code, exit_signal, exit_status;
	struct ks_features features;
	char *notices[KS_MAX_NOTICES];
	int nnotices;
	struct ksee_drops drops;
	__u32 peak_running_all;	/* most traced tasks on CPUs at one instant */
	bool timeline;		/* recorded with --timeline */
	__u64 timeline_events;	/* events in it (the lost ones are drops.events) */
	struct ks_kernel_state kstate;
	/*
	 * CPUs the traced program could use (online CPUs limited by its
	 * affinity and its cgroup's cpu.max; 0: unknown), and of those the
	 * ones other work left free over the trace (-1: unknown).
	 */
	double cpus_available;
	double cpus_free;

	/* what the kernel saw */
	struct ks_process *procs;
	size_t nprocs, cap_procs;
	__u32 *pid_index;	/* open addressing: procs[] index + 1, 0 = empty */
	size_t index_cap;	/* a power of 2, more than twice nprocs; 0: not built */
	struct ks_edge *edges;
	size_t nedges, cap_edges;
	struct ks_stacks stacks;	/* --stacks */

	/* filled by ks_trace_finish() */
	struct ks_sum total;
	__u32 nprocesses;
	struct ks_findings findings;	/* model/findings.h */
	bool finished;
};

void ks_trace_init(struct ks_trace *tr);
void ks_trace_free(struct ks_trace *tr);

/* Each returns 0 or -ENOMEM. */
int ks_trace_notice(struct ks_trace *tr, const char *msg);
int ks_trace_add_task(struct ks_trace *tr, const struct ksee_task *kt, bool alive);
int ks_trace_add_proc(struct ks_trace *tr, const struct ksee_proc *kp, bool alive);
/* Add @slots (KSEE_BILL_SLOTS buckets) to the bill histogram of process @tgid. */
int ks_trace_add_bill(struct ks_trace *tr, __u32 tgid, const __u64 *slots);
int ks_trace_add_edge(struct ks_trace *tr, const struct ksee_edge_key *k, const struct ksee_edge *e);

/*
 * @kt as the kernel side keeps it (32-bit histogram buckets), widened to
 * the task the model holds.
 */
void ks_task_widen(struct ksee_task *kt, const struct ksee_ktask *k);

/* The wakeups a task's kernel state holds back from the edges map (alive, or dead); none: 0. */
int ks_trace_add_pending_edge(struct ks_trace *tr, const struct ksee_task *kt);
int ks_trace_add_uring(struct ks_trace *tr, const struct ksee_uring_key *k,
		       const struct ksee_uring_op *op);

/* The process with this pid, or NULL. */
struct ks_process *ks_trace_find(const struct ks_trace *tr, __u32 pid);

/* The comm of task @tid of process @tgid, "?" if the trace does not have it. */
const char *ks_thread_comm(const struct ks_trace *tr, __u32 tgid, __u32 tid);

/*
 * Close the books of a task still alive at @now: its current stretch on
 * or off the CPU is accounted as the kernel side would at its next switch.
 */
void ks_task_settle(struct ksee_task *kt, __u64 now);

/* Sum, sort and compute the derived numbers; call once, before rendering. */
void ks_trace_finish(struct ks_trace *tr);

const char *ks_kind_name(enum ks_thread_kind k);
const char *ks_waker_kind_name(enum ks_waker_kind k);
const char *ks_role_name(enum ks_proc_role r);

/* The reason with the most blocked time (KSEE_R_NONE if none). */
enum ksee_reason ks_top_reason(const __u64 *blocked_ns);

/*
 * "Mostly blocked in", as every report prints it: the label of the top
 * reason (syscalls_reason_label()), or "-" for a task that never blocked.
 */
const char *ks_thread_mostly_in(const struct ks_thread *t);
const char *ks_sum_mostly_in(const struct ks_sum *s);

/* Append printf-style text to the string in @buf (@size bytes), cut to fit. */
__attribute__((format(printf, 3, 4)))
void ks_appendf(char *buf, size_t size, const char *fmt, ...);

/*
 * The tasks of @p idle the whole time asleep in @r, busiest first: at
 * most @max of them in @out. Returns how many it put there (the count of
 * them all is p->sum.idle.tasks_in[r]).
 */
size_t ks_idle_tasks(const struct ks_process *p, enum ksee_reason r,
		     const struct ks_thread **out, size_t max);

/* Best name for a process: the leader's comm, else the first thread's. */
const char *ks_process_comm(const struct ks_process *p);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Findings: what a finished trace means, in plain words. Each rule is a
 * small pure function of the model with its thresholds below; docs/findings.md
 * says why each threshold is where it is. ks_trace_finish() computes them
 * once; the renderers only format them.
 */
#ifndef KSEE_FINDINGS_H
#define KSEE_FINDINGS_H

#include <linux/types.h>

struct ks_trace;

enum ks_severity {
	KS_SEV_INFO,
	KS_SEV_WARNING,
};

#define KS_FINDING_NUMBERS	10
#define KS_FINDING_TIDS		8
#define KS_MAX_FINDINGS		16
#define KS_SUMMARY_LEN		400
#define KS_ADVICE_LEN		240

/* One number behind a finding: a measured value or the threshold it met. */
struct ks_number {
	const char *name;	/* static: "on_cpu_share", "on_cpu_share_min" */
	double value;
};

struct ks_finding {
	const char *id;		/* static, stable: "loop-blocked" */
	enum ks_severity severity;
	__u32 pid;		/* the process concerned; 0: the whole trace */
	char summary[KS_SUMMARY_LEN];	/* one sentence with the numbers and thresholds */
	char advice[KS_ADVICE_LEN];	/* what to try or look at next */
	struct ks_number numbers[KS_FINDING_NUMBERS];
	int nnumbers;
	__u32 tids[KS_FINDING_TIDS];	/* the threads concerned, if any */
	int ntids;
};

struct ks_findings {
	struct ks_finding list[KS_MAX_FINDINGS];
	int n;
	int left_out;		/* findings beyond KS_MAX_FINDINGS, not kept */
};

/*
 * Thresholds (docs/findings.md says why each is where it is). Shares are
 * fractions of 1, durations nanoseconds.
 */
/* tracing-incomplete: switch-ins inferred, share of all switches. */
#define KS_F_INFERRED_MIN_SHARE		0.01

/* Shortest thread life or trace the thread rules judge. */
#define KS_F_MIN_WALL_NS		(50ULL * 1000 * 1000)

/* An event-loop thread: blocked in epoll/io_uring/poll, at least 1 in 4 of its blocks. */
#define KS_F_LOOP_MIN_BLOCK_SHARE	0.25
/* loop-blocked: other blocked time, share of its blocked time and of its life. */
#define KS_F_LOOP_OTHER_MIN_SHARE	0.10
#define KS_F_LOOP_OTHER_MIN_WALL_SHARE	0.05
/* loop-cpu-bound: on a CPU or waiting for one, share of its life. */
#define KS_F_LOOP_BUSY_MIN_SHARE	0.80

/* cpu-saturated: run-queue wait, share of (on-CPU + run-queue) time, and at least. */
#define KS_F_RUNQ_MIN_SHARE		0.25
#define KS_F_RUNQ_MIN_NS		(20ULL * 1000 * 1000)
/* ... when on average at least this many tasks wanted a CPU. */
#define KS_F_RUNQ_MIN_RUNNABLE		0.50

/* lock-*: futex threads, the wakeups between them, their futex share of life. */
#define KS_F_LOCK_THREAD_FUTEX_SHARE	0.50
#define KS_F_LOCK_MIN_WAKEUPS		20
#define KS_F_LOCK_MIN_WAKEUPS_PER_THREAD 4
#define KS_F_LOCK_MIN_FUTEX_SHARE	0.20
/* ... and the process wants a CPU for at least this many tasks on average. */
#define KS_F_LOCK_MIN_RUNNABLE		0.50
/*
 * lock-serialized: parallelism at most this, tasks wanting a CPU (on one or
 * waiting) at most this on average, with at least this many CPUs to use.
 */
#define KS_F_SERIAL_MAX_PARALLELISM	1.20
#define KS_F_SERIAL_MAX_RUNNABLE	1.50
#define KS_F_SERIAL_MIN_CPUS		1.50

/* thread-churn: tasks born and dead in the trace, how many, how often, how short. */
#define KS_F_CHURN_MIN_TASKS		20
#define KS_F_CHURN_MIN_RATE		20.0	/* per second */
#define KS_F_CHURN_MAX_MEDIAN_NS	(1000ULL * 1000 * 1000)

/* io-uring-punted: requests queued to io-wq, count and share. */
#define KS_F_PUNT_MIN			10
#define KS_F_PUNT_MIN_SHARE		0.10

/* futile-wakeups: wakeups of a futex-waiting thread, and CPU time after each. */
#define KS_F_FUTILE_MIN_WAKEUPS		50
#define KS_F_FUTILE_MAX_RUN_NS		(20ULL * 1000)

/* cross-thread-resume: resumes seen, and the same-thread share below which it is told. */
#define KS_F_RESUME_MIN			10
#define KS_F_RESUME_SAME_MAX		0.90

/* Compute the findings of a finished trace into @out (cleared first). */
void ks_findings_compute(const struct ks_trace *tr, struct ks_findings *out);

const char *ks_severity_name(enum ks_severity s);

/* Warnings in @f (for tests and the exit summary). */
int ks_findings_warnings(const struct ks_findings *f);

/* The finding with this id (and pid, 0 for any), or NULL. */
const struct ks_finding *ks_findings_get(const struct ks_findings *f, const char *id, __u32 pid);

#endif

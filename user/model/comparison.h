/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The comparison model: the same workload in every demo concurrency
 * model, each traced, side by side, with a verdict on each claim C1..C9
 * (docs/verdicts.md). The `compare` command (cli/compare.c) fills it; the
 * verdicts (verdict.c) and the outputs (output/compare_report.c, the
 * Markdown and HTML renderers, the recording) read it.
 */
#ifndef KSEE_COMPARE_H
#define KSEE_COMPARE_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "model/model.h"

enum cmp_model {
	CMP_BLOCKING,
	CMP_THREADS,
	CMP_POOL,
	CMP_EPOLL,
	CMP_URING,
	CMP_CORO,
	CMP_GIL,
	CMP_PROCS,
	CMP_NDEMOS,		/* the C demos above; the real runtimes below (compare --runtimes) */
	CMP_PY_ASYNCIO = CMP_NDEMOS,
	CMP_PY_ASYNCIO_BLOCKING,
	CMP_PY_THREADS,
	CMP_PY_PROCS,
	CMP_CS_ASYNC,
	CMP_GO,
	CMP_NODE,
	CMP_NMODELS,		/* the columns a comparison can have: demos and runtimes */
};

/* The busiest threads of a column, kept to name them (runtime verdicts). */
#define CMP_THREADS_LISTED	8

struct cmp_thread {
	char comm[16];
	__u32 tid;
	__u32 pid;
	__u64 on_cpu_ns;
	__u64 voluntary;
	__u64 blocked_ns;
	enum ksee_reason mostly;	/* the reason it was blocked longest; KSEE_R_NONE: never */
};

struct cmp_workload {
	unsigned long requests;		/* R */
	unsigned long concurrency;	/* C */
	unsigned long io_ms;		/* D */
	unsigned long cpu_us;		/* W */
	unsigned long workers;		/* N */
};

/* What the demo itself printed: its one summary line. */
struct cmp_demo_line {
	bool parsed;
	unsigned long requests;
	unsigned long errors;
	unsigned long workers;
	double wall_ms;
	double p50_ms;
	double p99_ms;
	/* Newer demos; NaN when the line does not have them. */
	double wait_p50_ms;	/* request start to its reply handled, exact per request */
	double wait_p99_ms;
	double setup_cpu_ms;	/* CPU time before the first request: start-up, calibration */
	double work_cpu_ms;	/* CPU time the work W took, measured around it */
	double cpu_ms;		/* all its CPU time (children waited for included) */
};

/* One model's column. */
struct cmp_result {
	enum cmp_model model;
	bool selected;		/* asked for with --models (or by default) */
	bool ran;		/* it was started */
	bool failed;		/* crashed, timed out, or any request failed */
	char error[160];	/* why it failed */
	int exit_status;
	struct cmp_demo_line demo;
	/* What the kernel saw of the model's processes (the server excluded). */
	struct ks_sum sum;
	__u32 processes;	/* processes the model ran in */
	__u32 user_tasks;	/* sum.tasks - sum.kernel_workers */
	__u64 cross_thread_wakeups;	/* wakeups between two tasks of one process */
	__u64 io_blocked_ns;	/* blocked in epoll, io_uring, read, write, poll */
	struct ks_findings findings;	/* the model's trace's (model/findings.h) */
	__u64 lock_wait_ns;	/* futex sleeps of threads other than the main one */
	double cpus_available;	/* as struct ks_trace: 0 = unknown */
	double cpus_free;	/* as struct ks_trace: -1 = unknown */
	/*
	 * Threads by on-CPU time, busiest first (the first CMP_THREADS_LISTED),
	 * how many threads ran at least CMP_BUSY_SHARE of the column's on-CPU
	 * time, and how many ran at all.
	 */
	struct cmp_thread threads[CMP_THREADS_LISTED];
	__u32 nthreads_listed;
	__u32 busy_threads;
	__u32 threads_on_cpu;
	char command[192];	/* a runtime: what ran ("/usr/bin/python3 .../py_asyncio.py") */
};

/* A thread counts as doing the column's work with this share of its on-CPU time. */
#define CMP_BUSY_SHARE		0.1

/*
 * C5 needs its own measurement: how late an event loop handles an I/O
 * completion, with and without CPU work. Taken from the epoll demo's own
 * per-request times (start to reply handled) minus the server's delay D.
 */
struct cmp_c5 {
	bool measured;
	double lag_idle_ms;	/* p50 start-to-reply-handled minus D, with --cpu-us 0 */
	double lag_busy_ms;	/* the same with the workload's --cpu-us W */
	double lag_idle_p99_ms;
	double lag_busy_p99_ms;
};

enum cmp_verdict_kind {
	CMP_HOLDS,
	CMP_PARTLY,
	CMP_DOES_NOT_HOLD,
	CMP_NOT_MEASURED,	/* the models it needs did not run or failed */
};

#define CMP_NDEMO_CLAIMS	9	/* C1..C9 on the demos */
#define CMP_NRT_CLAIMS		9	/* on the runtimes: verdict_runtimes.c */
#define CMP_NCLAIMS		(CMP_NDEMO_CLAIMS + CMP_NRT_CLAIMS)

struct cmp_verdict {
	const char *id;		/* "C1" */
	const char *claim;	/* the claim in one line */
	const char *models;	/* the models it concerns, "epoll, coro, uring" */
	enum cmp_verdict_kind kind;
	char numbers[512];	/* the measured numbers behind the verdict */
	char note[512];		/* where the kernel contradicts the seed, said plainly */
};

struct col_cmp;

struct cmp_run {
	struct cmp_workload wl;
	/*
	 * --repeat N (N > 1): every model ran N times, interleaved. res[] holds
	 * each model's median run (by wall time) and the verdicts are its;
	 * @repeats holds every run, as columns with medians and ranges.
	 */
	unsigned int repeat;
	const struct col_cmp *repeats;
	unsigned int ncpus;
	char kernel[65];
	struct cmp_result res[CMP_NMODELS];
	struct cmp_c5 c5;
	struct cmp_c5 c5_asyncio;	/* the same of py-asyncio (compare --runtimes) */
	/* [0, CMP_NDEMO_CLAIMS): on the demos; then on the runtimes. id NULL: not judged */
	struct cmp_verdict verdicts[CMP_NCLAIMS];
	bool interrupted;	/* Ctrl-C: what was measured until then */
	/* --stacks: each model's trace, for its stacks (borrowed); NULL: none */
	const struct ks_trace *traces[CMP_NMODELS];
};

const char *cmp_model_name(enum cmp_model m);

/* A real runtime's column (compare --runtimes), not a C demo's. */
bool cmp_model_is_runtime(enum cmp_model m);

/* Model by name; -1 if unknown. */
int cmp_model_parse(const char *name);

/* Parse "model=epoll requests=40 errors=0 wall_ms=1.5 ..."; 0 or -EINVAL. */
int cmp_parse_demo_line(const char *line, struct cmp_demo_line *out);

/* Requests the model served: what the demo said, else the workload's R. */
double cmp_requests(const struct cmp_run *run, const struct cmp_result *r);

/* Fill res->sum/processes/... from the finished trace of one model. */
void cmp_result_from_trace(struct cmp_result *res, const struct ks_trace *tr);

/*
 * C5's lag from the demo lines of the epoll model run with the workload's
 * W (@busy) and with W = 0 (@idle); false if either line lacks the times.
 */
bool cmp_c5_from_demo(struct cmp_c5 *c5, const struct cmp_demo_line *busy,
		      const struct cmp_demo_line *idle, unsigned long io_ms);

/*
 * Compute run->verdicts from the results; pure, thresholds in verdict.c
 * (the demos' C1..C9, when a demo ran) and verdict_runtimes.c (when a
 * runtime was selected).
 */
void cmp_verdicts(struct cmp_run *run);

/* The runtimes' verdicts into @v[CMP_NRT_CLAIMS] (verdict_runtimes.c). */
void cmp_runtime_verdicts(const struct cmp_run *run, struct cmp_verdict *v);

/*
 * --repeat: of @nruns runs of a model, the one to show: the median by
 * wall time among the runs that did not fail (the first run if all did).
 */
unsigned int cmp_median_run(const struct cmp_result *runs, unsigned int nruns);

/*
 * --repeat: @kinds[k] holds the verdicts of run k (cmp_verdicts on that
 * run of every model). Where the runs disagree with run->verdicts, the
 * verdict's note says so: "uncertain: holds in 2 of 3 runs, partly in 1".
 */
void cmp_verdicts_spread(struct cmp_run *run, const enum cmp_verdict_kind (*kinds)[CMP_NCLAIMS],
			 unsigned int nruns);

const char *cmp_verdict_name(enum cmp_verdict_kind k);

/*
 * The heading that goes before run->verdicts[@i], lowercase: "claims"
 * before the first verdict on the demos, "claims on the real runtimes"
 * before the first on the runtimes; NULL before the others.
 */
const char *cmp_verdict_heading(const struct cmp_run *run, int i);

/*
 * The rows of the side-by-side table, for every renderer of a comparison:
 * a label (sub-rows start with two spaces) and, per model, a cell of at
 * most 8 characters ("-" if the model did not run or failed).
 */
size_t cmp_table_rows(void);
const char *cmp_table_label(size_t row);
void cmp_table_cell(char *buf, size_t len, size_t row, const struct cmp_run *run,
		    const struct cmp_result *r);

/* "ok", "FAILED" or "not run". */
const char *cmp_status_name(const struct cmp_result *r);

/* Side-by-side table and verdicts, 100 columns. */
void cmp_report_text(FILE *f, const struct cmp_run *run);

/* The same as JSON (schema in docs/json.md, "compare"). */
int cmp_report_json(FILE *f, const struct cmp_run *run);

#endif

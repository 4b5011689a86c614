/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Batch times of the benchmark workloads (bench/README.md, "Overhead:
 * method"): a workload marks the end of every batch of operations with
 * the time and the operations done so far; each batch gives one time per
 * operation.
 * The summary is the fastest decile (p10) and the median (p50) of those
 * per-operation times. Pure: no clock, no I/O; the caller reads the clock.
 */
#ifndef KSEE_BENCH_BATCH_H
#define KSEE_BENCH_BATCH_H

struct batch_log {
	double *per_op_ns;	/* one entry per finished batch */
	long n;			/* finished batches */
	long cap;		/* room in per_op_ns */
	double start_s;		/* time of the last mark */
	long start_ops;		/* operations done at the last mark */
	int started;		/* a first mark was made */
};

struct batch_summary {
	long batches;
	double fast_ns;		/* p10 of the per-operation times */
	double median_ns;	/* p50 */
};

/*
 * Mark a batch boundary at now_s (seconds) with ops_done operations done
 * in all. The first mark only starts a batch; every later one closes the
 * open batch (if it did any operation) and starts the next. Returns 0, or
 * -ENOMEM when the log cannot grow (the batch is then lost, nothing else).
 */
int batch_mark(struct batch_log *log, double now_s, long ops_done);

/*
 * The p-th percentile (0 < p <= 100) of v[0..n-1] by nearest rank: the
 * smallest value with at least p% of the values at or below it. Sorts v
 * in place. Returns 0 for n <= 0.
 */
double batch_percentile(double *v, long n, double p);

/*
 * Summarise the log's batches into s (sorts the log's times). Returns 0,
 * or -EINVAL when the log has no finished batch (s is then zeroed).
 */
int batch_summarize(struct batch_log *log, struct batch_summary *s);

/* Free the log's storage; the log can be used again afterwards. */
void batch_log_free(struct batch_log *log);

#endif /* KSEE_BENCH_BATCH_H */

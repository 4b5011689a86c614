/* SPDX-License-Identifier: MIT */
/*
 * Shared frame of the benchmark workloads (pingpong, futexstorm, markbench,
 * yieldstorm): options, CPU pinning, the clock, batch times and the one
 * result line the driver parses:
 *   workload=NAME ops=N elapsed_s=X ops_per_s=X batches=N batch_ops=N fast_ns=X median_ns=X
 * elapsed_s is the workload's own time, from its first to its last
 * operation, so tracer start-up and tear-down are not in it. Workloads
 * that time their work in batches of about batch_ops operations (-b) add
 * the per-operation time of their fastest decile of batches (fast_ns) and
 * of their median batch (median_ns): bench/README.md, "Overhead: method".
 */
#ifndef KSEE_BENCH_WORKLOAD_H
#define KSEE_BENCH_WORKLOAD_H
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "batch.h"

#define WL_MAX_THREADS 256
/* Fewer batches than this, or batches shorter than this, are said on stderr. */
#define WL_MIN_BATCHES 100
#define WL_MIN_BATCH_MS 1.0

struct wl_opts {
	long ops;		/* -n: operations in all (round trips, token passes) */
	double seconds;		/* -t: run this long instead of -n operations */
	int cpu;		/* -c: pin every thread to this CPU, -1: no pinning */
	int threads;		/* -T: threads (futexstorm) */
	long batch;		/* -b: operations per timed batch, 0: not batched */
};

static inline double wl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void wl_usage(const char *name, const char *what, long batch)
{
	fprintf(stderr,
		"usage: %s [-n OPS | -t SECS] [-c CPU] [-T THREADS]%s\n"
		"%s\n"
		"  -n OPS      operations to do\n"
		"  -t SECS     run for SECS instead\n"
		"  -c CPU      pin every thread to CPU (default 1; -1: no pinning)\n"
		"  -T THREADS  threads (futexstorm only, default 8)\n",
		name, batch ? " [-b OPS]" : "", what);
	if (batch)
		fprintf(stderr, "  -b OPS      operations per timed batch (default %ld)\n", batch);
	exit(64);
}

static inline void wl_parse(int argc, char **argv, struct wl_opts *o, const char *what)
{
	long batch = o->batch;
	int c;

	while ((c = getopt(argc, argv, batch ? "n:t:c:T:b:h" : "n:t:c:T:h")) != -1) {
		switch (c) {
		case 'n': o->ops = atol(optarg); break;
		case 't': o->seconds = atof(optarg); break;
		case 'c': o->cpu = atoi(optarg); break;
		case 'T': o->threads = atoi(optarg); break;
		case 'b': o->batch = atol(optarg); break;
		default: wl_usage(argv[0], what, batch);
		}
	}
	if (o->ops <= 0 || o->threads < 2 || o->seconds < 0 || (batch && o->batch <= 0))
		wl_usage(argv[0], what, batch);
}

/* Mark a batch boundary now, ops_done operations done in all; returns the time. */
static inline double wl_batch_mark(struct batch_log *log, long ops_done)
{
	double t = wl_now();

	if (batch_mark(log, t, ops_done)) {
		fprintf(stderr, "cannot keep the batch times: out of memory\n");
		exit(1);
	}
	return t;
}

/* Pin the calling thread (threads created later inherit it). */
static inline void wl_pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		exit(1);
	}
}

/* Run fn(i) on n threads, i = 0..n-1, and wait for them all. */
static inline void wl_run_threads(const char *name, int n, void *(*fn)(void *))
{
	pthread_t th[WL_MAX_THREADS];
	int i;

	for (i = 0; i < n && i < WL_MAX_THREADS; i++)
		if (pthread_create(&th[i], NULL, fn, (void *)(long)i)) {
			perror(name);
			exit(1);
		}
	while (i-- > 0)
		pthread_join(th[i], NULL);
}

/*
 * The result line; log (NULL: not batched) adds the batch summary, and
 * says on stderr when the batches were too few or too short to trust it.
 */
static inline void wl_report(const char *name, long ops, double elapsed, struct batch_log *log,
			     long batch_ops)
{
	struct batch_summary s;
	double batch_ms;

	printf("workload=%s ops=%ld elapsed_s=%.6f ops_per_s=%.0f", name, ops, elapsed,
	       elapsed > 0 ? ops / elapsed : 0);
	if (log && !batch_summarize(log, &s)) {
		printf(" batches=%ld batch_ops=%ld fast_ns=%.2f median_ns=%.2f", s.batches, batch_ops,
		       s.fast_ns, s.median_ns);
		batch_ms = s.median_ns * batch_ops / 1e6;
		if (s.batches < WL_MIN_BATCHES || batch_ms < WL_MIN_BATCH_MS)
			fprintf(stderr,
				"%s: %ld batches of about %.2f ms: fast_ns wants at least %d of at least %.0f ms (raise -n, or -b)\n",
				name, s.batches, batch_ms, WL_MIN_BATCHES, WL_MIN_BATCH_MS);
	} else if (log) {
		printf(" batches=0");
	}
	printf("\n");
	fflush(stdout);
	if (log)
		batch_log_free(log);
}
#endif /* KSEE_BENCH_WORKLOAD_H */

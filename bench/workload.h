/* SPDX-License-Identifier: MIT */
/*
 * Shared frame of the benchmark workloads (pingpong, futexstorm): options,
 * CPU pinning, the clock and the one result line the driver parses:
 *   workload=NAME ops=N elapsed_s=X ops_per_s=X
 * elapsed_s is the workload's own time, from its first to its last
 * operation, so tracer start-up and tear-down are not in it.
 */
#ifndef KSEE_BENCH_WORKLOAD_H
#define KSEE_BENCH_WORKLOAD_H
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define WL_MAX_THREADS 256

struct wl_opts {
	long ops;		/* -n: operations in all (round trips, token passes) */
	double seconds;		/* -t: run this long instead of -n operations */
	int cpu;		/* -c: pin every thread to this CPU, -1: no pinning */
	int threads;		/* -T: threads (futexstorm) */
};

static inline double wl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void wl_usage(const char *name, const char *what)
{
	fprintf(stderr,
		"usage: %s [-n OPS | -t SECS] [-c CPU] [-T THREADS]\n"
		"%s\n"
		"  -n OPS      operations to do\n"
		"  -t SECS     run for SECS instead\n"
		"  -c CPU      pin every thread to CPU (default 1; -1: no pinning)\n"
		"  -T THREADS  threads (futexstorm only, default 8)\n",
		name, what);
	exit(64);
}

static inline void wl_parse(int argc, char **argv, struct wl_opts *o, const char *what)
{
	int c;

	while ((c = getopt(argc, argv, "n:t:c:T:h")) != -1) {
		switch (c) {
		case 'n': o->ops = atol(optarg); break;
		case 't': o->seconds = atof(optarg); break;
		case 'c': o->cpu = atoi(optarg); break;
		case 'T': o->threads = atoi(optarg); break;
		default: wl_usage(argv[0], what);
		}
	}
	if (o->ops <= 0 || o->threads < 2 || o->seconds < 0)
		wl_usage(argv[0], what);
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

static inline void wl_report(const char *name, long ops, double elapsed)
{
	printf("workload=%s ops=%ld elapsed_s=%.6f ops_per_s=%.0f\n", name, ops, elapsed,
	       elapsed > 0 ? ops / elapsed : 0);
	fflush(stdout);
}
#endif /* KSEE_BENCH_WORKLOAD_H */

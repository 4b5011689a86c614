/* SPDX-License-Identifier: MIT */
/* Running demo binaries from the tests: paths, output, /proc sampling. */
#ifndef __KSEE_TEST_DEMOS_HELPERS_H
#define __KSEE_TEST_DEMOS_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define RUN_OUT_MAX	8192

struct run {
	pid_t pid;
	int out_fd;			/* the child's stdout */
	char out[RUN_OUT_MAX];
	size_t out_len;
	int status;			/* from waitpid */
	double wall_ms;
	double cpu_ms;			/* user + system time of the child and its children */
	unsigned int max_threads;	/* most threads seen at once in the child */
	unsigned int max_children;	/* most live child processes seen at once */
};

struct summary {
	char model[32];
	unsigned long requests, errors, workers;
	double wall_ms, p50_ms, p99_ms;
	double setup_cpu_ms, work_cpu_ms, cpu_ms;	/* -1 if the line lacks them */
};

/* Path of the demo binary name: $DEMOS/name, else ../../demos/name next to this test. */
const char *demo_bin(const char *name);

/*
 * Start argv (argv[0] is a path) with its stdout on a pipe, and its stderr
 * on /dev/null if quiet (for runs that are meant to fail); 0 or -errno.
 */
int run_start(struct run *r, char *const argv[], bool quiet);

/* Collect the output until the child exits, sampling /proc every ~1 ms. */
int run_wait(struct run *r);

/* run_start + run_wait. */
int run_cmd(struct run *r, char *const argv[]);
int run_cmd_quiet(struct run *r, char *const argv[]);

/* Parse the demo summary line in out; 0 or -EINVAL. */
int summary_parse(const char *out, struct summary *s);

/* Live processes whose parent is pid. */
unsigned int count_children(pid_t pid);

#endif /* __KSEE_TEST_DEMOS_HELPERS_H */

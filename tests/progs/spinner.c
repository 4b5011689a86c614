// SPDX-License-Identifier: GPL-2.0-only
/*
 * spinner [MS]: one thread spins until it has used MS (default 100) ms of
 * CPU time (CLOCK_THREAD_CPUTIME_ID), then exits 0.
 *
 * What the kernel should see: 1 task; on-CPU about MS ms (more on a busy
 * machine only in wall time, not in CPU time), almost no time blocked, a
 * handful of voluntary switches at most (exec, page faults at start-up),
 * parallelism close to 1 on an idle machine.
 * Checked with `perf stat -e task-clock,context-switches`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	double ms = argc > 1 ? strtod(argv[1], NULL) : 100;
	volatile unsigned long spins = 0;

	if (!(ms > 0 && ms < 60000)) {
		fprintf(stderr, "spinner: MS must be from 0 to 60000\n");
		return 2;
	}
	while (cpu_ms() < ms)
		spins++;
	return 0;
}

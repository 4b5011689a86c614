// SPDX-License-Identifier: GPL-2.0-only
/*
 * ticker [MS]: sleeps until the next multiple of MS (default 10) ms, over
 * and over, until killed. Absolute deadlines (TIMER_ABSTIME): the rate
 * stays 1000/MS wakeups a second whatever each wakeup costs.
 *
 * What the kernel should see: 1 task, 1000/MS voluntary switches a second
 * in clock_nanosleep (reason "sleep"), nearly all of its time off CPU in
 * that reason, on-CPU time of a few microseconds per wakeup.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	long ms = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
	struct timespec next;
	int err;

	if (ms <= 0 || ms > 10000) {
		fprintf(stderr, "ticker: MS from 1 to 10000\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		next.tv_nsec += ms * 1000000L;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		if (err && err != EINTR) {
			fprintf(stderr, "ticker: clock_nanosleep: error %d\n", err);
			return 1;
		}
	}
}

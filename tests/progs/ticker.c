// SPDX-License-Identifier: GPL-2.0-only
/*
 * ticker [MS [THREADS]]: THREADS threads (default 1, the main one
 * included) each sleep until the next multiple of MS (default 10) ms,
 * over and over, until killed. Absolute deadlines (TIMER_ABSTIME): the
 * rate stays 1000/MS wakeups a second per thread whatever each costs.
 *
 * What the kernel should see: THREADS tasks, each with 1000/MS voluntary
 * switches a second in clock_nanosleep (reason "sleep"), nearly all of
 * its time off CPU in that reason, on-CPU time of a few microseconds per
 * wakeup.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long ms = 10;

static void *tick(void *arg)
{
	struct timespec next;
	int err;

	(void)arg;
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
			exit(1);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long threads = argc > 2 ? strtol(argv[2], NULL, 10) : 1, i;
	pthread_t t;

	ms = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
	if (ms <= 0 || ms > 10000 || threads <= 0 || threads > 64) {
		fprintf(stderr, "ticker: MS from 1 to 10000, THREADS from 1 to 64\n");
		return 2;
	}
	for (i = 1; i < threads; i++) {
		if (pthread_create(&t, NULL, tick, NULL)) {
			fprintf(stderr, "ticker: cannot create a thread\n");
			return 1;
		}
	}
	tick(NULL);
	return 0;
}

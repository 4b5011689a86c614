// SPDX-License-Identifier: GPL-2.0-only
/*
 * sleeper [N]: one thread, N (default 20) x clock_nanosleep(5 ms), then exit 0.
 *
 * What the kernel should see: 1 task; N voluntary switches in
 * clock_nanosleep (plus maybe a few from exec/page faults at start-up),
 * about N x 5.06 ms off CPU with reason "sleep", on-CPU time well under
 * 10 ms, no involuntary switches to speak of.
 * Checked with `strace -f -c` (N clock_nanosleep calls) and
 * `perf stat -e context-switches,task-clock`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	const struct timespec ts = { .tv_sec = 0, .tv_nsec = 5 * 1000 * 1000 };
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 20;
	long i;

	for (i = 0; i < n; i++) {
		int err = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);

		if (err && err != EINTR) {
			fprintf(stderr, "sleeper: clock_nanosleep: error %d\n", err);
			return 1;
		}
	}
	return 0;
}

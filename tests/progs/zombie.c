// SPDX-License-Identifier: GPL-2.0-only
/*
 * zombie [MS]: forks one child that exits with code 3 after MS
 * milliseconds (default 0), and then never reaps it: the child stays a
 * zombie until this program is killed. The parent sleeps in pause().
 *
 * What the kernel should see: the child's one task exits after MS ms and
 * leaves a zombie behind; ksee attach must not wait for it, nor call it
 * running (issue 12, item 5). Checked with /proc/CHILD/stat (state Z).
 */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long ms = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	if (fork() == 0) {
		nanosleep(&ts, NULL);
		_exit(3);
	}
	for (;;)
		pause();
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * zombie [wait]: forks one child and never reaps it; the parent sleeps in
 * pause() until killed. The child exits at once with code 3, or with
 * "wait" sleeps in pause() until a signal ends it (a test's SIGTERM, sent
 * once a tracer is attached). Either way it then stays a zombie until
 * this program is killed.
 *
 * What the kernel should see: the child's one task exits and leaves a
 * zombie behind; ksee attach must not wait for it, nor call it running
 * (issue 12, item 5). Checked with /proc/CHILD/stat (state Z).
 */
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (fork() == 0) {
		if (argc > 1 && !strcmp(argv[1], "wait"))
			pause();
		_exit(3);
	}
	for (;;)
		pause();
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * forker: forks 3 children; child i (0..2) sleeps 10 ms and exits with
 * status 11 + i. The parent waits for each in order and exits 0 if every
 * child exited with its expected status, else 1. No exec: every process
 * has comm "forker".
 *
 * What the kernel should see: 4 processes (the parent and 3 children
 * whose ppid is the parent), each with one task; each child is off CPU
 * about 10 ms in nanosleep and ends with exit code (11 + i) << 8 in
 * wait-status form; the parent blocks in wait4.
 * Checked with `strace -f -c` (3 clone, 3 wait4, 3 clock_nanosleep).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NCHILD 3

int main(void)
{
	const struct timespec ts = { .tv_sec = 0, .tv_nsec = 10 * 1000 * 1000 };
	pid_t pids[NCHILD];
	int i, status, bad = 0;

	for (i = 0; i < NCHILD; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("forker: fork");
			return 1;
		}
		if (pids[i] == 0) {
			nanosleep(&ts, NULL);
			_exit(11 + i);
		}
	}
	for (i = 0; i < NCHILD; i++) {
		if (waitpid(pids[i], &status, 0) < 0) {
			perror("forker: waitpid");
			return 1;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 11 + i)
			bad++;
	}
	return bad ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * churn_fork [N]: forks N (default 10000) short-lived children one after
 * another; child i exits at once with status i % 100; the parent reaps each
 * before forking the next, checks its status, and prints
 * "churn_fork: N children reaped" on stdout. Exit 0 if every child exited
 * as expected, else 1. No exec: every process has comm "churn_fork".
 *
 * What the kernel should see: N + 1 processes, each with one task, every
 * child's parent the first process; the parent blocked in wait4 N times
 * at most (a child may be done before the parent waits).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000, i, bad = 0;
	int status;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0) {
			perror("churn_fork: fork");
			return 1;
		}
		if (pid == 0)
			_exit(i % 100);
		if (waitpid(pid, &status, 0) != pid) {
			perror("churn_fork: waitpid");
			return 1;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != i % 100)
			bad++;
	}
	printf("churn_fork: %ld children reaped\n", n);
	return bad ? 1 : 0;
}

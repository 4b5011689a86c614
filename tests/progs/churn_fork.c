// SPDX-License-Identifier: GPL-2.0-only
/*
 * churn_fork [N [wake]]: forks N (default 10000) short-lived children one after
 * another; child i exits at once with status i % 100; the parent reaps each
 * before forking the next, checks its status, and prints
 * "churn_fork: N children reaped" on stdout. Exit 0 if every child exited
 * as expected, else 1. No exec: every process has comm "churn_fork".
 *
 * What the kernel should see: N + 1 processes, each with one task, every
 * child's parent the first process; the parent blocked in wait4 N times
 * at most (a child may be done before the parent waits). With "wake",
 * each child first waits until its parent sleeps (in waitpid), so every
 * child's exit wakes the parent: N distinct wakers of one task.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Until the parent is asleep: state 'S' in /proc/PPID/stat. */
static void wait_parent_asleep(void)
{
	char path[64], buf[512], *s;
	int fd, i;
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)getppid());
	for (i = 0; i < 100000; i++) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			return;
		buf[len] = 0;
		s = strrchr(buf, ')');
		if (s && s[1] == ' ' && s[2] == 'S')
			return;
		sched_yield();
	}
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000, i, bad = 0;
	int wake = argc > 2 && !strcmp(argv[2], "wake");
	int status;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0) {
			perror("churn_fork: fork");
			return 1;
		}
		if (pid == 0) {
			if (wake)
				wait_parent_asleep();
			_exit(i % 100);
		}
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

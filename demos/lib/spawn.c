// SPDX-License-Identifier: MIT
/* Start a private demos/ioserver and stop it again. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

#define READY_TIMEOUT_MS	5000

int server_path(char *buf, size_t len)
{
	const char *env = getenv("KSEE_IOSERVER");
	char self[PATH_MAX];
	ssize_t n;
	int r;

	if (env && *env)
		r = snprintf(buf, len, "%s", env);
	else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0)
			return -errno;
		self[n] = '\0';
		r = snprintf(buf, len, "%s/ioserver", dirname(self));
	}
	return r < 0 || (size_t)r >= len ? -ENAMETOOLONG : 0;
}

/* Read the "listening ADDR" line from fd within the timeout. */
static int read_ready(int fd, char *addr, size_t len)
{
	char line[ADDR_MAX + 32];
	size_t got = 0;
	char *nl;

	while (got < sizeof(line) - 1) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, READY_TIMEOUT_MS) <= 0)
			return -ETIMEDOUT;
		n = read(fd, line + got, sizeof(line) - 1 - got);
		if (n <= 0)
			return n < 0 ? -errno : -ECHILD;
		got += n;
		line[got] = '\0';
		nl = strchr(line, '\n');
		if (!nl)
			continue;
		*nl = '\0';
		if (strncmp(line, "listening ", 10) || strlen(line + 10) >= len)
			return -EPROTO;
		strcpy(addr, line + 10);
		return 0;
	}
	return -EPROTO;
}

int server_spawn(struct server_proc *sp, const char *exe, const char *listen)
{
	pid_t parent = getpid();
	int pfd[2], err;

	sp->pid = 0;
	if (access(exe, X_OK))
		return -errno;
	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	sp->pid = fork();
	if (sp->pid < 0) {
		err = -errno;
		sp->pid = 0;
		close(pfd[0]);
		close(pfd[1]);
		return err;
	}
	if (!sp->pid) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(1);
		dup2(pfd[1], STDOUT_FILENO);
		if (listen)
			execl(exe, exe, "--listen", listen, (char *)NULL);
		else
			execl(exe, exe, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	err = read_ready(pfd[0], sp->addr, sizeof(sp->addr));
	close(pfd[0]);
	if (err)
		server_stop(sp);
	return err;
}

void server_stop(struct server_proc *sp)
{
	if (sp->pid <= 0)
		return;
	kill(sp->pid, SIGTERM);
	while (waitpid(sp->pid, NULL, 0) < 0 && errno == EINTR)
		;
	sp->pid = 0;
}

// SPDX-License-Identifier: MIT
/*
 * procs: N pre-forked worker processes share the requests (a counter in
 * shared memory); each serves one request at a time with blocking I/O.
 * Several processes, several interpreters: real CPU parallelism (C9).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/demo.h"

static int run(struct demo *d)
{
	unsigned long n = d->opt.workers < d->opt.concurrency ? d->opt.workers : d->opt.concurrency;
	unsigned long i, started;
	int err = 0, status;
	pid_t *pids;

	pids = calloc(n, sizeof(*pids));
	if (!pids)
		return -ENOMEM;
	for (started = 0; started < n; started++) {
		pids[started] = fork();
		if (pids[started] < 0) {
			err = -errno;
			break;
		}
		if (!pids[started])
			_exit(demo_serve_blocking(d, NULL) ? 1 : 0);
	}
	d->workers = started;
	/* reap our workers only: the private ioserver is a child too */
	for (i = 0; i < started; i++) {
		while (waitpid(pids[i], &status, 0) < 0) {
			if (errno != EINTR) {
				status = -1;
				break;
			}
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			err = err ?: -ECHILD;
	}
	free(pids);
	return err;
}

static const struct demo_model model = {
	.name = "procs",
	.about = "N pre-forked worker processes share the requests, blocking I/O in each.",
	.workers_help = "worker processes (at most C)",
	.run = run,
};

int main(int argc, char **argv)
{
	return demo_main(argc, argv, &model);
}

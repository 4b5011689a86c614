// SPDX-License-Identifier: MIT
/*
 * pingpong: two threads bounce one byte over a pair of pipes, both pinned
 * to one CPU (the context-switch storm: two switches, two reads, two
 * writes per round trip). As `perf bench sched pipe -T`, with the
 * workload's own time printed.
 */
#include <pthread.h>
#include "workload.h"

static int ping[2], pong[2];

static void *echo(void *arg)
{
	char b;

	(void)arg;
	while (read(ping[0], &b, 1) == 1 && b)
		if (write(pong[1], &b, 1) != 1)
			break;
	return NULL;
}

int main(int argc, char **argv)
{
	struct wl_opts o = { .ops = 200000, .cpu = 1, .threads = 2 };
	double t0, deadline;
	pthread_t th;
	long n = 0;
	char b = 1;

	wl_parse(argc, argv, &o, "pipe ping-pong between two threads on one CPU (default 200000 round trips)");
	wl_pin(o.cpu);
	if (pipe(ping) || pipe(pong) || pthread_create(&th, NULL, echo, NULL)) {
		perror("pingpong");
		return 1;
	}
	t0 = wl_now();
	deadline = o.seconds ? t0 + o.seconds : 0;
	for (;;) {
		if (write(ping[1], &b, 1) != 1 || read(pong[0], &b, 1) != 1) {
			perror("pingpong");
			return 1;
		}
		n++;
		if (deadline ? (n % 1024 == 0 && wl_now() >= deadline) : n >= o.ops)
			break;
	}
	wl_report("pingpong", n, wl_now() - t0);
	b = 0;
	if (write(ping[1], &b, 1) != 1)
		return 1;
	pthread_join(th, NULL);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * pingpong: two threads bounce one byte over a pair of pipes, both pinned
 * to one CPU (the context-switch storm: two switches, two reads, two
 * writes per round trip). As `perf bench sched pipe -T`, with the
 * workload's own time printed, and the time per round trip of the fastest
 * decile and the median of its batches of -b round trips (workload.h).
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
	struct wl_opts o = { .ops = 200000, .cpu = 1, .threads = 2, .batch = 500 };
	struct batch_log log = { 0 };
	double t0, t, deadline;
	pthread_t th;
	long n = 0;
	char b = 1;

	wl_parse(argc, argv, &o, "pipe ping-pong between two threads on one CPU (default 200000 round trips)");
	wl_pin(o.cpu);
	if (pipe(ping) || pipe(pong) || pthread_create(&th, NULL, echo, NULL)) {
		perror("pingpong");
		return 1;
	}
	t0 = wl_batch_mark(&log, 0);
	deadline = o.seconds ? t0 + o.seconds : 0;
	for (;;) {
		if (write(ping[1], &b, 1) != 1 || read(pong[0], &b, 1) != 1) {
			perror("pingpong");
			return 1;
		}
		n++;
		if (n % o.batch && (deadline || n < o.ops))
			continue;
		t = wl_batch_mark(&log, n);
		if (deadline ? t >= deadline : n >= o.ops)
			break;
	}
	wl_report("pingpong", n, t - t0, &log, o.batch);
	b = 0;
	if (write(ping[1], &b, 1) != 1)
		return 1;
	pthread_join(th, NULL);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * yieldstorm: T threads pinned to one CPU call sched_yield() in a loop.
 * Every yield hands the CPU to the next thread: a context switch with no
 * wakeup and no blocking, the cheapest switch the kernel can make, so it
 * gives the most timeline events per second a single CPU can produce
 * (each switch is a "preempted" and a "running" record). The timeline
 * throughput benchmark uses it to find where the drain stops keeping up.
 */
#include <pthread.h>
#include <stdatomic.h>
#include "workload.h"

static atomic_long yields;
static atomic_int stop;
static long limit;
static double deadline;

static void *yielder(void *arg)
{
	long n;

	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		sched_yield();
		n = atomic_fetch_add_explicit(&yields, 1, memory_order_relaxed) + 1;
		if (deadline ? (n % 4096 == 0 && wl_now() >= deadline) : n >= limit)
			atomic_store(&stop, 1);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct wl_opts o = { .ops = 1000000, .cpu = 1, .threads = 2 };
	double t0;

	wl_parse(argc, argv, &o, "T threads on one CPU call sched_yield() in a loop (default 1000000 yields)");
	if (o.threads > WL_MAX_THREADS)
		o.threads = WL_MAX_THREADS;
	limit = o.ops;
	wl_pin(o.cpu);
	t0 = wl_now();
	deadline = o.seconds ? t0 + o.seconds : 0;
	wl_run_threads("yieldstorm", o.threads, yielder);
	wl_report("yieldstorm", atomic_load(&yields), wl_now() - t0, NULL, 0);
	return 0;
}

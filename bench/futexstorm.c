// SPDX-License-Identifier: MIT
/*
 * futexstorm: T threads in a ring pass T/2 tokens around with futex
 * wait/wake, all pinned to one CPU by default, so several are runnable at
 * once and every pass is a wakeup and, mostly, a context switch.
 *
 * Batches (workload.h) are timed by thread 0 of the ring: every token
 * passes through it, so it runs at least once in every stretch of the
 * ring's work; at the first of its passes after -b passes in all since
 * its last mark, it marks a batch with the ring's pass count. A batch's
 * time per pass is the time between two marks over the passes the whole
 * ring made between them.
 */
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include "workload.h"

static atomic_int tokens[WL_MAX_THREADS];	/* the futex words: tokens held */
static atomic_long passes;
static atomic_int stop;
static long limit;
static double deadline;
static int nthreads;
static long batch_ops;
static struct batch_log batches;	/* thread 0's */

static void fwait(atomic_int *w, int val)
{
	syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void fwake(atomic_int *w, int n)
{
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

static void finish(void)
{
	int i;

	atomic_store(&stop, 1);
	for (i = 0; i < nthreads; i++) {
		atomic_fetch_add(&tokens[i], 1);
		fwake(&tokens[i], 1);
	}
}

static void *member(void *arg)
{
	int i = (int)(long)arg, next = (i + 1) % nthreads, v;
	long n, marked = 0;

	while (!atomic_load(&stop)) {
		v = atomic_load(&tokens[i]);
		if (!v) {
			fwait(&tokens[i], 0);
			continue;
		}
		if (!atomic_compare_exchange_weak(&tokens[i], &v, v - 1))
			continue;
		n = atomic_fetch_add(&passes, 1) + 1;
		if (i == 0 && n - marked >= batch_ops) {
			wl_batch_mark(&batches, n);
			marked = n;
		}
		if (deadline ? (n % 1024 == 0 && wl_now() >= deadline) : n >= limit) {
			finish();
			break;
		}
		atomic_fetch_add(&tokens[next], 1);
		fwake(&tokens[next], 1);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct wl_opts o = { .ops = 400000, .cpu = 1, .threads = 8, .batch = 1500 };
	double t0;
	int i;

	wl_parse(argc, argv, &o, "T threads pass T/2 tokens around a ring with futexes (default 400000 passes)");
	if (o.threads > WL_MAX_THREADS)
		o.threads = WL_MAX_THREADS;
	nthreads = o.threads;
	limit = o.ops;
	batch_ops = o.batch;
	wl_pin(o.cpu);
	for (i = 0; i < nthreads; i += 2)
		tokens[i] = 1;
	t0 = wl_batch_mark(&batches, 0);
	deadline = o.seconds ? t0 + o.seconds : 0;
	wl_run_threads("futexstorm", nthreads, member);
	wl_report("futexstorm", atomic_load(&passes), wl_now() - t0, &batches, batch_ops);
	return 0;
}

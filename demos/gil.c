// SPDX-License-Identifier: MIT
/*
 * gil: N threads that must hold one global lock (the GIL) to run any
 * request code, CPU work included, and release it only while they wait
 * for I/O, as CPython does.  Threads give concurrency for the waits but
 * no CPU parallelism (C6).
 */
#include <errno.h>
#include <stdlib.h>

#include "lib/demo.h"

static pthread_mutex_t gil = PTHREAD_MUTEX_INITIALIZER;

struct worker {
	struct demo *d;
	pthread_t tid;
	int err;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&gil);
	w->err = demo_serve_blocking(w->d, &gil);
	pthread_mutex_unlock(&gil);
	return NULL;
}

static int run(struct demo *d)
{
	unsigned long n = d->opt.workers < d->opt.concurrency ? d->opt.workers : d->opt.concurrency;
	unsigned long i, started;
	struct worker *w;
	int err = 0;

	w = calloc(n, sizeof(*w));
	if (!w)
		return -ENOMEM;
	for (started = 0; started < n; started++) {
		w[started].d = d;
		err = -pthread_create(&w[started].tid, NULL, worker_main, &w[started]);
		if (err)
			break;
	}
	d->workers = started;
	for (i = 0; i < started; i++) {
		pthread_join(w[i].tid, NULL);
		err = err ?: w[i].err;
	}
	free(w);
	return err;
}

static const struct demo_model model = {
	.name = "gil",
	.about = "N threads that hold one global lock for all CPU work, released only around I/O.",
	.workers_help = "threads (at most C)",
	.run = run,
};

int main(int argc, char **argv)
{
	return demo_main(argc, argv, &model);
}

// SPDX-License-Identifier: MIT
/*
 * threads: a kernel thread per in-flight request (1:1), blocking I/O.
 * The main thread hands each request to a new thread as soon as one of
 * the C connections is free, after joining the thread that used it last;
 * concurrent waits overlap (C7).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/demo.h"

struct slot {
	struct demo *d;
	struct pool *pool;
	struct slot *next_free;
	long id;
	int fd;
	bool joinable;		/* tid ran the last request on this slot */
	pthread_t tid;
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct slot *free;
	unsigned long busy;
	int err;		/* first connection that could not be reopened */
};

static void slot_put(struct pool *p, struct slot *s)
{
	pthread_mutex_lock(&p->lock);
	s->next_free = p->free;
	p->free = s;
	p->busy--;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

static struct slot *slot_get(struct pool *p)
{
	struct slot *s;

	pthread_mutex_lock(&p->lock);
	while (!p->free && p->busy)
		pthread_cond_wait(&p->freed, &p->lock);
	s = p->free;
	if (s) {
		p->free = s->next_free;
		p->busy++;
	}
	pthread_mutex_unlock(&p->lock);
	return s;
}

static void *request_thread(void *arg)
{
	struct slot *s = arg;

	if (demo_request_blocking(s->d, s->fd, s->id, NULL)) {
		close(s->fd);
		s->fd = demo_connect(s->d, false);
	}
	if (s->fd < 0) {
		/* drop the slot: fewer connections from now on (run() joins us) */
		pthread_mutex_lock(&s->pool->lock);
		s->pool->err = s->pool->err ?: s->fd;
		s->pool->busy--;
		pthread_cond_signal(&s->pool->freed);
		pthread_mutex_unlock(&s->pool->lock);
		return NULL;
	}
	slot_put(s->pool, s);
	return NULL;
}

static int run(struct demo *d)
{
	struct pool p = { .lock = PTHREAD_MUTEX_INITIALIZER, .freed = PTHREAD_COND_INITIALIZER };
	unsigned long i, n = d->opt.concurrency;
	struct slot *slots, *s;
	pthread_attr_t attr;
	int err = 0;
	long id;

	slots = calloc(n, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		slots[i].fd = -1;
	for (i = 0; i < n; i++) {
		slots[i] = (struct slot){ .d = d, .pool = &p, .next_free = p.free };
		slots[i].fd = demo_connect(d, false);
		if (slots[i].fd < 0) {
			err = slots[i].fd;
			goto out;
		}
		p.free = &slots[i];
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	d->workers = n;
	while ((s = slot_get(&p))) {
		id = demo_next(d);
		if (id < 0) {
			slot_put(&p, s);
			break;
		}
		/* its last thread has handed the slot back; let it finish exiting */
		if (s->joinable)
			pthread_join(s->tid, NULL);
		s->id = id;
		err = -pthread_create(&s->tid, &attr, request_thread, s);
		s->joinable = !err;
		if (err) {
			slot_put(&p, s);
			break;
		}
	}
	/* wait for the last threads */
	pthread_mutex_lock(&p.lock);
	while (p.busy)
		pthread_cond_wait(&p.freed, &p.lock);
	err = err ?: p.err;
	pthread_mutex_unlock(&p.lock);
	for (i = 0; i < n; i++)
		if (slots[i].joinable)
			pthread_join(slots[i].tid, NULL);
	pthread_attr_destroy(&attr);
out:
	for (i = 0; i < n; i++)
		if (slots[i].fd >= 0)
			close(slots[i].fd);
	free(slots);
	return err;
}

static const struct demo_model model = {
	.name = "threads",
	.about = "A kernel thread per in-flight request (1:1), blocking I/O; C threads at most.",
	.run = run,
};

int main(int argc, char **argv)
{
	return demo_main(argc, argv, &model);
}

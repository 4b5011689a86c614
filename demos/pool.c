// SPDX-License-Identifier: MIT
/*
 * pool: the C#/.NET model.  A fixed pool of N worker threads takes work
 * from one shared queue; an I/O poller thread (epoll) turns each I/O
 * completion into a continuation on that queue, so whichever worker is
 * free runs it: a request may start on one thread and resume on another
 * (C4).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <ksee/usdt.h>

#include "lib/demo.h"

struct slot {
	int fd;
	long id;		/* request awaiting its reply, -1: start the next one */
	bool registered;	/* fd is in the poller's epoll set */
	struct reply_buf rb;
	struct slot *next;	/* in the queue */
};

struct pool {
	struct demo *d;
	int epfd;
	int stopfd;		/* eventfd that stops the poller */
	pthread_mutex_t lock;
	pthread_cond_t more;
	struct slot *head, *tail;	/* continuations ready to run */
	unsigned long active;	/* slots still serving */
	bool stop;
};

/* Called with p->lock held. */
static void queue_push(struct pool *p, struct slot *s)
{
	s->next = NULL;
	if (p->tail)
		p->tail->next = s;
	else
		p->head = s;
	p->tail = s;
	pthread_cond_signal(&p->more);
}

/* No more requests for s; the last slot to go stops the workers. */
static void retire(struct pool *p, struct slot *s)
{
	s->id = -1;
	pthread_mutex_lock(&p->lock);
	if (!--p->active) {
		p->stop = true;
		pthread_cond_broadcast(&p->more);
	}
	pthread_mutex_unlock(&p->lock);
}

static void stop_workers(struct pool *p)
{
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->more);
	pthread_mutex_unlock(&p->lock);
}

/* Hand s to the poller until its reply is readable; the caller is done with it. */
static int arm(struct pool *p, struct slot *s)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT, .data.ptr = s };
	int op = s->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;

	if (epoll_ctl(p->epfd, op, s->fd, &ev))
		return -errno;
	s->registered = true;
	return 0;
}

/* Start the next request on s, up to its await. */
static void start_request(struct pool *p, struct slot *s)
{
	struct demo *d = p->d;
	long id = demo_next(d);
	int err;

	if (id < 0) {
		retire(p, s);
		return;
	}
	s->id = id;
	KSEE_REQUEST_START(id);
	demo_begin(d, id);
	err = client_send(s->fd, id, d->opt.io_ms);
	if (!err) {
		/* before arm(): from there on another worker may resume it */
		KSEE_AWAIT(id);
		err = arm(p, s);
		if (!err)
			return;
	}
	demo_complete(d, id, err);
	retire(p, s);
}

/* Run one queue item: the continuation of an awaited request, or a start. */
static void run_item(struct pool *p, struct slot *s)
{
	long id = s->id;
	int rc;

	if (id >= 0) {
		KSEE_RESUME(id);
		rc = client_recv_nb(s->fd, &s->rb, id);
		if (!rc) {
			KSEE_AWAIT(id);	/* only part of the reply is there */
			rc = arm(p, s);
			if (!rc)
				return;
		}
		demo_complete(p->d, id, rc);
		if (rc < 0) {
			retire(p, s);
			return;
		}
	}
	start_request(p, s);
}

static void *worker_main(void *arg)
{
	struct pool *p = arg;
	struct slot *s;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->head && !p->stop)
			pthread_cond_wait(&p->more, &p->lock);
		s = p->head;
		if (!s)
			break;
		p->head = s->next;
		if (!p->head)
			p->tail = NULL;
		pthread_mutex_unlock(&p->lock);
		run_item(p, s);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* The I/O poller: completions become continuations on the queue. */
static void *poller_main(void *arg)
{
	struct pool *p = arg;
	struct epoll_event evs[64];
	int i, n;

	for (;;) {
		n = epoll_wait(p->epfd, evs, 64, -1);
		if (n < 0 && errno != EINTR)
			return NULL;
		pthread_mutex_lock(&p->lock);
		for (i = 0; i < n; i++) {
			if (!evs[i].data.ptr) {
				pthread_mutex_unlock(&p->lock);
				return NULL;
			}
			queue_push(p, evs[i].data.ptr);
		}
		pthread_mutex_unlock(&p->lock);
	}
}

static int run(struct demo *d)
{
	struct pool p = { .d = d, .lock = PTHREAD_MUTEX_INITIALIZER, .more = PTHREAD_COND_INITIALIZER };
	struct epoll_event stop_ev = { .events = EPOLLIN, .data.ptr = NULL };
	unsigned long i, n = d->opt.concurrency, started = 0;
	pthread_t *workers, poller;
	struct slot *slots;
	uint64_t one = 1;
	int err = 0;

	slots = calloc(n, sizeof(*slots));
	workers = calloc(d->opt.workers, sizeof(*workers));
	p.epfd = epoll_create1(EPOLL_CLOEXEC);
	p.stopfd = eventfd(0, EFD_CLOEXEC);
	if (!slots || !workers || p.epfd < 0 || p.stopfd < 0) {
		err = slots && workers ? -errno : -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		slots[i].fd = -1;
	if (epoll_ctl(p.epfd, EPOLL_CTL_ADD, p.stopfd, &stop_ev)) {
		err = -errno;
		goto out;
	}
	for (i = 0; i < n && !err; i++) {
		slots[i].id = -1;
		slots[i].fd = demo_connect(d, true);
		if (slots[i].fd < 0)
			err = slots[i].fd;
	}
	if (err)
		goto out;
	/* every slot begins as a "start a request" item on the queue */
	p.active = n;
	for (i = 0; i < n; i++)
		queue_push(&p, &slots[i]);
	err = -pthread_create(&poller, NULL, poller_main, &p);
	if (err)
		goto out;
	for (started = 0; started < d->opt.workers; started++) {
		err = -pthread_create(&workers[started], NULL, worker_main, &p);
		if (err) {
			stop_workers(&p);
			break;
		}
	}
	d->workers = started;
	for (i = 0; i < started; i++)
		pthread_join(workers[i], NULL);
	/* eventfd writes of 1 cannot fail here */
	if (write(p.stopfd, &one, sizeof(one)) < 0 && !err)
		err = -errno;
	pthread_join(poller, NULL);
out:
	for (i = 0; slots && i < n; i++)
		if (slots[i].fd >= 0)
			close(slots[i].fd);
	if (p.epfd >= 0)
		close(p.epfd);
	if (p.stopfd >= 0)
		close(p.stopfd);
	free(slots);
	free(workers);
	return err;
}

static const struct demo_model model = {
	.name = "pool",
	.about = "N worker threads, an epoll poller thread, continuations on a shared queue (C#/.NET).",
	.workers_help = "worker threads in the pool (plus one I/O poller thread)",
	.run = run,
};

int main(int argc, char **argv)
{
	return demo_main(argc, argv, &model);
}

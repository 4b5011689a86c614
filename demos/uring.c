// SPDX-License-Identifier: MIT
/*
 * uring: a single-threaded io_uring completion loop.  Each request is a
 * send linked to a recv, submitted together; the loop sleeps in
 * io_uring_enter until completions arrive and runs the continuation of
 * each.  One kernel thread (C1), continuations on that thread (C3).
 */
#include <errno.h>
#include <liburing.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ksee/usdt.h>

#include "lib/demo.h"

/* user_data: the slot pointer, low bit set for the send half. */
#define TAG_SEND	1UL

struct slot {
	int fd;
	long id;
	struct iosrv_req req;	/* must live until the send completes */
	struct reply_buf rb;
};

struct uloop {
	struct demo *d;
	struct io_uring ring;
	unsigned long active;
};

/*
 * The task markers' id of the request on @s: the slot pointer, which is
 * also the user_data of the recv that brings its answer. ksee, reading
 * the markers by their USDT probes, then knows when that answer was
 * ready (the recv's completion), and splits the request's time off its
 * thread into waiting for the I/O and waiting for the loop after it. A
 * slot holds one request at a time, so the id is unique among the live
 * ones, which is all the markers ask.
 */
static long long mark_id(const struct slot *s)
{
	return (long long)(unsigned long)s;
}

static int queue_recv(struct uloop *u, struct slot *s)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_recv(sqe, s->fd, s->rb.raw + s->rb.got, sizeof(s->rb.raw) - s->rb.got, 0);
	io_uring_sqe_set_data(sqe, s);
	return 0;
}

static void retire(struct uloop *u, struct slot *s)
{
	s->id = -1;
	u->active--;
}

/*
 * Queue send + recv for the next request on s and submit them at once, so
 * that the request leaves when it starts rather than at the end of the
 * batch of completions being run (that would line the requests up).
 */
static void start_request(struct uloop *u, struct slot *s)
{
	struct demo *d = u->d;
	struct io_uring_sqe *sqe;
	int err;

	s->id = demo_next(d);
	if (s->id < 0) {
		retire(u, s);
		return;
	}
	KSEE_REQUEST_START(mark_id(s));
	demo_begin(d, s->id);
	client_fill_req(&s->req, s->id, d->opt.io_ms);
	sqe = io_uring_get_sqe(&u->ring);
	if (!sqe) {
		err = -EBUSY;
		goto fail;
	}
	io_uring_prep_send(sqe, s->fd, &s->req, sizeof(s->req), MSG_NOSIGNAL);
	sqe->flags |= IOSQE_IO_LINK;	/* a failed send cancels the recv */
	io_uring_sqe_set_data(sqe, (void *)((unsigned long)s | TAG_SEND));
	err = queue_recv(u, s);
	if (err)
		goto fail;
	KSEE_AWAIT(mark_id(s));
	/* if this fails, the loop's io_uring_submit_and_wait() submits them */
	io_uring_submit(&u->ring);
	return;
fail:
	demo_complete_marked(d, s->id, mark_id(s), err);
	retire(u, s);
}

static void on_cqe(struct uloop *u, struct io_uring_cqe *cqe)
{
	unsigned long tag = (unsigned long)io_uring_cqe_get_data(cqe);
	struct slot *s = (struct slot *)(tag & ~TAG_SEND);
	int rc;

	if (tag & TAG_SEND) {
		/*
		 * a failed send cancels the linked recv, whose -ECANCELED
		 * fails the request; 16 bytes to a local socket are never short
		 */
		return;
	}
	KSEE_RESUME(mark_id(s));
	rc = client_recv_done(&s->rb, cqe->res, s->id);
	if (!rc) {
		rc = queue_recv(u, s);		/* only part of the reply is there */
		if (!rc) {
			KSEE_AWAIT(mark_id(s));
			return;
		}
	}
	demo_complete_marked(u->d, s->id, mark_id(s), rc);
	if (rc < 0)
		retire(u, s);
	else
		start_request(u, s);
}

static int loop_run(struct uloop *u)
{
	struct io_uring_cqe *cqe;
	unsigned int head, n;
	int err;

	while (u->active) {
		err = io_uring_submit_and_wait(&u->ring, 1);
		if (err < 0 && err != -EINTR)
			return err;
		n = 0;
		io_uring_for_each_cqe(&u->ring, head, cqe) {
			on_cqe(u, cqe);
			n++;
		}
		io_uring_cq_advance(&u->ring, n);
	}
	return 0;
}

static int run(struct demo *d)
{
	struct uloop u = { .d = d };
	unsigned long i, n = d->opt.concurrency;
	struct slot *slots;
	int err;

	slots = calloc(n, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		slots[i].fd = -1;
	/* room for a send and a recv per slot; no SQPOLL, no worker threads */
	err = io_uring_queue_init(2 * n < 4096 ? 2 * n : 4096, &u.ring, 0);
	if (err)
		goto out_free;
	for (i = 0; i < n; i++) {
		slots[i].fd = demo_connect(d, false);
		if (slots[i].fd < 0) {
			err = slots[i].fd;
			goto out;
		}
	}
	u.active = n;
	for (i = 0; i < n; i++)
		start_request(&u, &slots[i]);
	err = loop_run(&u);
out:
	io_uring_queue_exit(&u.ring);
	for (i = 0; i < n; i++)
		if (slots[i].fd >= 0)
			close(slots[i].fd);
out_free:
	free(slots);
	return err;
}

static const struct demo_model model = {
	.name = "uring",
	.about = "Single-threaded io_uring completion loop (liburing), send linked to recv.",
	.run = run,
};

int main(int argc, char **argv)
{
	return demo_main(argc, argv, &model);
}

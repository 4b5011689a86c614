// SPDX-License-Identifier: MIT
/*
 * epoll: a single-threaded event loop over non-blocking sockets, each
 * connection a small state machine driven by callbacks: the asyncio /
 * Node model.  One kernel thread (C1); an await is a return to the loop,
 * not a context switch (C2); every continuation runs on that thread (C3);
 * while a callback computes, every other request waits (C5).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <ksee/usdt.h>

#include "lib/demo.h"

struct loop;

struct conn {
	int fd;
	long id;			/* request in flight, -1 if none */
	struct reply_buf rb;
	void (*on_readable)(struct loop *l, struct conn *c);
};

struct loop {
	struct demo *d;
	int epfd;
	unsigned long active;		/* connections still serving */
};

static void on_reply(struct loop *l, struct conn *c);

/* Start the next request on c, or retire c when there is none. */
static void start_request(struct loop *l, struct conn *c)
{
	struct demo *d = l->d;
	int err;

	c->id = demo_next(d);
	if (c->id < 0) {
		c->on_readable = NULL;
		l->active--;
		return;
	}
	KSEE_REQUEST_START(c->id);
	demo_begin(d, c->id);
	err = client_send(c->fd, c->id, d->opt.io_ms);
	if (err) {
		demo_complete(d, c->id, err);
		c->on_readable = NULL;
		l->active--;
		return;
	}
	/* await: back to the loop until the reply is readable */
	KSEE_AWAIT(c->id);
	c->on_readable = on_reply;
}

static void on_reply(struct loop *l, struct conn *c)
{
	int rc;

	KSEE_RESUME(c->id);
	rc = client_recv_nb(c->fd, &c->rb, c->id);
	if (!rc) {
		KSEE_AWAIT(c->id);	/* only part of the reply is there */
		return;
	}
	demo_complete(l->d, c->id, rc);
	if (rc < 0) {
		c->on_readable = NULL;
		l->active--;
		return;
	}
	start_request(l, c);
}

static int loop_run(struct loop *l)
{
	struct epoll_event evs[64];
	struct conn *c;
	int i, n;

	while (l->active) {
		n = epoll_wait(l->epfd, evs, 64, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (i = 0; i < n; i++) {
			c = evs[i].data.ptr;
			if (c->on_readable)
				c->on_readable(l, c);
		}
	}
	return 0;
}

static int run(struct demo *d)
{
	struct loop l = { .d = d };
	unsigned long i, n = d->opt.concurrency;
	struct conn *conns;
	int err = 0;

	conns = calloc(n, sizeof(*conns));
	if (!conns)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		conns[i].fd = -1;
	l.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l.epfd < 0) {
		err = -errno;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &conns[i] };

		conns[i].fd = demo_connect(d, true);
		if (conns[i].fd < 0) {
			err = conns[i].fd;
			goto out;
		}
		if (epoll_ctl(l.epfd, EPOLL_CTL_ADD, conns[i].fd, &ev)) {
			err = -errno;
			goto out;
		}
	}
	l.active = n;
	for (i = 0; i < n; i++)
		start_request(&l, &conns[i]);
	err = loop_run(&l);
out:
	for (i = 0; i < n; i++)
		if (conns[i].fd >= 0)
			close(conns[i].fd);
	if (l.epfd >= 0)
		close(l.epfd);
	free(conns);
	return err;
}

static const struct demo_model model = {
	.name = "epoll",
	.about = "Single-threaded epoll event loop, non-blocking sockets, callbacks (asyncio / Node).",
	.run = run,
};

int main(int argc, char **argv)
{
	return demo_main(argc, argv, &model);
}

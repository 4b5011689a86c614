// SPDX-License-Identifier: MIT
/*
 * coro: N:1 user-level coroutines over epoll on one kernel thread.  Each
 * of the C coroutines runs requests one after another in plain sequential
 * code; an await is a user-space context switch (lib/coro_ctx.c) back to
 * the scheduler, never a kernel one (C2), and the scheduler sleeps in
 * epoll_wait only when no coroutine can run.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <ksee/usdt.h>

#include "lib/coro_ctx.h"
#include "lib/demo.h"

#define STACK_SIZE	(64 * 1024)
#define GUARD_SIZE	4096

struct sched;

struct coro {
	struct coro_ctx ctx;
	struct sched *s;
	int fd;
	bool done;
	struct reply_buf rb;
	char *stack;		/* guard page + STACK_SIZE */
};

struct sched {
	struct demo *d;
	struct coro_ctx main;	/* the scheduler's own context */
	int epfd;
	unsigned long alive;
};

/* Park co until its socket is readable: a switch to the scheduler. */
static void await_readable(struct coro *co)
{
	coro_switch(&co->ctx, &co->s->main);
}

static void coro_main(void *arg)
{
	struct coro *co = arg;
	struct demo *d = co->s->d;
	long id;
	int rc;

	while ((id = demo_next(d)) >= 0) {
		KSEE_REQUEST_START(id);
		demo_begin(d, id);
		rc = client_send(co->fd, id, d->opt.io_ms);
		while (!rc) {
			KSEE_AWAIT(id);
			await_readable(co);
			KSEE_RESUME(id);
			rc = client_recv_nb(co->fd, &co->rb, id);
		}
		demo_complete(d, id, rc);
		if (rc < 0)
			break;
	}
	co->done = true;
	co->s->alive--;
	coro_switch(&co->ctx, &co->s->main);	/* never comes back */
}

static int coro_create(struct sched *s, struct coro *co)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = co };

	co->s = s;
	co->stack = mmap(NULL, GUARD_SIZE + STACK_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (co->stack == MAP_FAILED) {
		co->stack = NULL;
		return -errno;
	}
	if (mprotect(co->stack, GUARD_SIZE, PROT_NONE))
		return -errno;
	co->fd = demo_connect(s->d, true);
	if (co->fd < 0)
		return co->fd;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, co->fd, &ev))
		return -errno;
	coro_ctx_init(&co->ctx, co->stack + GUARD_SIZE, STACK_SIZE, coro_main, co);
	return 0;
}

static void coro_destroy(struct coro *co)
{
	if (co->fd >= 0)
		close(co->fd);
	if (co->stack)
		munmap(co->stack, GUARD_SIZE + STACK_SIZE);
}

static int sched_run(struct sched *s, struct coro *coros, unsigned long n)
{
	struct epoll_event evs[64];
	unsigned long i;
	struct coro *co;
	int k, nev;

	/* each coroutine runs up to its first await */
	for (i = 0; i < n; i++)
		coro_switch(&s->main, &coros[i].ctx);
	while (s->alive) {
		nev = epoll_wait(s->epfd, evs, 64, -1);
		if (nev < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (k = 0; k < nev; k++) {
			co = evs[k].data.ptr;
			if (!co->done)
				coro_switch(&s->main, &co->ctx);
		}
	}
	return 0;
}

static int run(struct demo *d)
{
	struct sched s = { .d = d };
	unsigned long i, n = d->opt.concurrency;
	struct coro *coros;
	int err = 0;

	coros = calloc(n, sizeof(*coros));
	if (!coros)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		coros[i].fd = -1;
	s.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s.epfd < 0) {
		err = -errno;
		goto out;
	}
	for (i = 0; i < n && !err; i++)
		err = coro_create(&s, &coros[i]);
	if (!err) {
		s.alive = n;
		err = sched_run(&s, coros, n);
	}
	close(s.epfd);
out:
	for (i = 0; i < n; i++)
		coro_destroy(&coros[i]);
	free(coros);
	return err;
}

static const struct demo_model model = {
	.name = "coro",
	.about = "N:1 user-level coroutines over epoll on one thread; await is a user-space switch.",
	.run = run,
};

int main(int argc, char **argv)
{
	return demo_main(argc, argv, &model);
}

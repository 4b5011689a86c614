// SPDX-License-Identifier: GPL-2.0-only
/*
 * findings_cases MODE: a program with one known pattern for each finding
 * the demos do not show (docs/findings.md). Exits 0, 1 on any error.
 *
 *   loop-blocked  the main thread serves an epoll loop on a pipe that a
 *                 second thread writes a byte to every 4 ms (100 times);
 *                 after each event the loop sleeps 1 ms in nanosleep.
 *                 Kernel: the loop blocks about 100 times in epoll_wait
 *                 (about 3 ms each) and 100 times in sleep (1 ms each):
 *                 sleep is about a quarter of its blocked time.
 *   uring-punted  40 io_uring READs of a pipe that holds the data, each
 *                 with IOSQE_ASYNC. Kernel: 40 READs, all 40 punted to an
 *                 io-wq worker (iou-wrk-PID).
 *   herd          4 threads wait on one condition variable; the main
 *                 thread adds one item 300 times, 1 ms apart, and wakes
 *                 them all with a broadcast; one takes it, the others wait
 *                 again. Kernel: each waiter woken about 300 times from
 *                 futex, running a few microseconds each time.
 *   contend       5 threads, 400 rounds each: 50 us of CPU under one mutex,
 *                 then 70 us of CPU outside it. The lock is busy all the
 *                 time, so each thread waits in futex about 130 us a round
 *                 and is woken by the thread that unlocked; 3 of 5
 *                 threads want a CPU at once on average.
 * Checked with `strace -f -c`: loop-blocked makes 100 epoll_wait and 200
 * clock_nanosleep calls (100 of them the writer's), uring-punted 40
 * io_uring_enter, herd 300 clock_nanosleep and about 3100 futex calls.
 */
#include <errno.h>
#include <liburing.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what, int err)
{
	fprintf(stderr, "findings_cases: %s: %s\n", what, strerror(err));
	return 1;
}

static void nap(long ns)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ns };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

/* Burn @ns of CPU time of this thread (not wall time: preemption does not count). */
static void spin(long ns)
{
	struct timespec a, b;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	do {
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) < ns);
}

#define LOOP_EVENTS	100

static void *writer(void *arg)
{
	int fd = *(int *)arg, i;

	for (i = 0; i < LOOP_EVENTS; i++) {
		nap(4 * 1000 * 1000);
		if (write(fd, "x", 1) != 1)
			return (void *)1;
	}
	return NULL;
}

static int loop_blocked(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int p[2], ep, got = 0, n;
	pthread_t t;
	void *res;
	char c;

	if (pipe(p))
		return fail("pipe", errno);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev))
		return fail("epoll", errno);
	if ((n = pthread_create(&t, NULL, writer, &p[1])))
		return fail("pthread_create", n);
	while (got < LOOP_EVENTS) {
		n = epoll_wait(ep, &ev, 1, 5000);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != 1)
			return fail("epoll_wait", n ? errno : ETIMEDOUT);
		if (read(p[0], &c, 1) != 1)
			return fail("read", errno);
		got++;
		nap(1000 * 1000);	/* the blocking call in the loop */
	}
	pthread_join(t, &res);
	return res ? fail("write", EIO) : 0;
}

#define PUNTS	40

static int uring_punted(void)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char buf[4];
	int p[2], i, ret;

	if (pipe(p))
		return fail("pipe", errno);
	ret = io_uring_queue_init(8, &ring, 0);
	if (ret)
		return fail("io_uring_queue_init", -ret);
	for (i = 0; i < PUNTS; i++) {
		if (write(p[1], "abcd", 4) != 4)
			return fail("write", errno);
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_read(sqe, p[0], buf, sizeof(buf), 0);
		io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret != 1)
			return fail("io_uring_submit_and_wait", ret < 0 ? -ret : EIO);
		ret = io_uring_wait_cqe(&ring, &cqe);
		if (ret || cqe->res != 4)
			return fail("completion", ret ? -ret : cqe->res < 0 ? -cqe->res : EIO);
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	return 0;
}

#define HERD_THREADS	4
#define HERD_ITEMS	300

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;
static int items, taken, done;

static void *waiter(void *arg __attribute__((unused)))
{
	pthread_mutex_lock(&lock);
	for (;;) {
		while (!items && !done)
			pthread_cond_wait(&more, &lock);
		if (!items)
			break;
		items--;
		taken++;
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

static int herd(void)
{
	pthread_t t[HERD_THREADS];
	int i, err;

	for (i = 0; i < HERD_THREADS; i++)
		if ((err = pthread_create(&t[i], NULL, waiter, NULL)))
			return fail("pthread_create", err);
	for (i = 0; i < HERD_ITEMS; i++) {
		nap(1000 * 1000);
		pthread_mutex_lock(&lock);
		items++;
		pthread_cond_broadcast(&more);	/* wakes all for one item */
		pthread_mutex_unlock(&lock);
	}
	pthread_mutex_lock(&lock);
	done = 1;
	pthread_cond_broadcast(&more);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < HERD_THREADS; i++)
		pthread_join(t[i], NULL);
	return taken == HERD_ITEMS ? 0 : fail("items taken", EPROTO);
}

#define CONTEND_THREADS	5
#define CONTEND_ROUNDS	400

static void *contender(void *arg __attribute__((unused)))
{
	int i;

	for (i = 0; i < CONTEND_ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		spin(50 * 1000);
		pthread_mutex_unlock(&lock);
		spin(70 * 1000);
	}
	return NULL;
}

static int contend(void)
{
	pthread_t t[CONTEND_THREADS];
	int i, err;

	for (i = 0; i < CONTEND_THREADS; i++)
		if ((err = pthread_create(&t[i], NULL, contender, NULL)))
			return fail("pthread_create", err);
	for (i = 0; i < CONTEND_THREADS; i++)
		pthread_join(t[i], NULL);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "loop-blocked"))
		return loop_blocked();
	if (!strcmp(mode, "uring-punted"))
		return uring_punted();
	if (!strcmp(mode, "herd"))
		return herd();
	if (!strcmp(mode, "contend"))
		return contend();
	return fail("usage: findings_cases loop-blocked|uring-punted|herd|contend", EINVAL);
}

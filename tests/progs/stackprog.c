// SPDX-License-Identifier: GPL-2.0-only
/*
 * stackprog [child]: threads that sleep in named functions, built like
 * the rest (-O2 -g, no frame pointers), for --stacks.
 *
 *   reader:  reader_loop -> wait_for_pipe -> read(pipe)     ~200 ms, once
 *   locker:  lock_waiter -> take_lock -> pthread_mutex_lock  ~200 ms, once
 *   napper:  sleeper_loop -> nap -> nanosleep               4 x 50 ms
 *   poller:  poller_loop -> wait_events -> epoll_wait        4 x 50 ms (timeouts)
 *   main:    holds the mutex, sleeps 200 ms in main_pause, writes to the
 *            pipe, unlocks, joins the threads.
 * With "child", main first forks a child that sleeps 100 ms in child_nap
 * and exits, long before the parent ends (its stack must still be named).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/wait.h>

static int pipefd[2];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long sink;

#define NOINLINE __attribute__((noinline))

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

/* Each function uses what its callee returned: no tail call hides its frame. */
NOINLINE static long wait_for_pipe(void)
{
	char c;
	long n = read(pipefd[0], &c, 1);

	sink += n;
	return n;
}

NOINLINE static void *reader_loop(void *arg)
{
	sink += wait_for_pipe();
	return arg;
}

NOINLINE static int take_lock(void)
{
	int err = pthread_mutex_lock(&lock);

	sink += err;
	pthread_mutex_unlock(&lock);
	return err;
}

NOINLINE static void *lock_waiter(void *arg)
{
	sink += take_lock();
	return arg;
}

NOINLINE static int nap(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };
	int r = nanosleep(&ts, NULL);

	sink += r;
	return r;
}

NOINLINE static void *sleeper_loop(void *arg)
{
	int i;

	for (i = 0; i < 4; i++)
		sink += nap(50);
	return arg;
}

NOINLINE static int wait_events(int ep)
{
	struct epoll_event ev;
	int n = epoll_wait(ep, &ev, 1, 50);

	sink += n;
	return n;
}

NOINLINE static void *poller_loop(void *arg)
{
	int ep = epoll_create1(EPOLL_CLOEXEC), i;

	for (i = 0; i < 4; i++)
		sink += wait_events(ep);
	close(ep);
	return arg;
}

NOINLINE static int child_nap(void)
{
	struct timespec ts = { 0, 100 * 1000000L };
	int r = nanosleep(&ts, NULL);

	sink += r;
	return r;
}

NOINLINE static void main_pause(void)
{
	msleep(200);
	sink++;
}

int main(int argc, char **argv)
{
	void *(*fn[])(void *) = { reader_loop, lock_waiter, sleeper_loop, poller_loop };
	const char *names[] = { "reader", "locker", "napper", "poller" };
	pthread_t th[4];
	pid_t child = -1;
	int i, st;

	if (pipe(pipefd))
		return 1;
	if (argc > 1 && !strcmp(argv[1], "child")) {
		child = fork();
		if (child < 0)
			return 1;
		if (child == 0)
			_exit(child_nap() ? 1 : 0);
	}
	pthread_mutex_lock(&lock);
	for (i = 0; i < 4; i++) {
		if (pthread_create(&th[i], NULL, fn[i], NULL))
			return 1;
		pthread_setname_np(th[i], names[i]);
	}
	main_pause();
	if (write(pipefd[1], "x", 1) != 1)
		return 1;
	pthread_mutex_unlock(&lock);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	if (child > 0 && (waitpid(child, &st, 0) != child || !WIFEXITED(st) || WEXITSTATUS(st)))
		return 1;
	return 0;
}

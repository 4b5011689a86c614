// SPDX-License-Identifier: GPL-2.0-only
/*
 * churn_threads [N [wake]]: creates N (default 10000) threads one after
 * another, each returning at once, and joins each before creating the
 * next; prints "churn_threads: N threads joined" on stdout. Exit 0 if all
 * went well.
 *
 * What the kernel should see: one process with N + 1 tasks (the main
 * thread and N threads of comm "churn_threads"), all dead at the end.
 *
 * With "wake", each thread first sleeps in read() on a pipe until the main
 * thread, having seen it asleep there, writes a byte: every thread is
 * woken once by main, N distinct wakeup edges. The threads are detached
 * and main polls (sched_yield) for each one's end instead of sleeping, so
 * that main itself is woken by none of them. Prints "churn_threads: N
 * threads woken".
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int pipefd[2];
static volatile int cur_tid, cur_done;

static void *body(void *arg)
{
	return arg;
}

static void *woken(void *arg)
{
	char c;

	__atomic_store_n(&cur_tid, (int)syscall(SYS_gettid), __ATOMIC_RELEASE);
	if (read(pipefd[0], &c, 1) != 1)
		fprintf(stderr, "churn_threads: read failed\n");
	__atomic_store_n(&cur_done, 1, __ATOMIC_RELEASE);
	return arg;
}

/* The text of /proc/self/task/@tid/@what into @buf; 0 if it cannot be read. */
static int read_task_file(int tid, const char *what, char *buf, size_t size)
{
	char path[64];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/%s", tid, what);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = 0;
	return 1;
}

/* Whether thread @tid sleeps in read(): state S and the syscall it is in. */
static int asleep_in_read(int tid)
{
	char buf[512], *s;
	int nr = -1;

	if (!read_task_file(tid, "stat", buf, sizeof(buf)))
		return 0;
	s = strrchr(buf, ')');
	if (!s || s[1] != ' ' || s[2] != 'S')
		return 0;
	if (!read_task_file(tid, "syscall", buf, sizeof(buf)) || sscanf(buf, "%d", &nr) != 1)
		return 0;
	return nr == SYS_read;
}

static int run_woken(long n)
{
	pthread_attr_t attr;
	pthread_t t;
	long i;
	int err, tid;

	if (pipe(pipefd)) {
		perror("churn_threads: pipe");
		return 1;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (i = 0; i < n; i++) {
		cur_tid = 0;
		cur_done = 0;
		err = pthread_create(&t, &attr, woken, (void *)i);
		if (err) {
			fprintf(stderr, "churn_threads: pthread_create: %s\n", strerror(err));
			return 1;
		}
		while (!(tid = __atomic_load_n(&cur_tid, __ATOMIC_ACQUIRE)))
			sched_yield();
		while (!asleep_in_read(tid))
			sched_yield();
		if (write(pipefd[1], "x", 1) != 1) {
			perror("churn_threads: write");
			return 1;
		}
		while (!__atomic_load_n(&cur_done, __ATOMIC_ACQUIRE))
			sched_yield();
	}
	printf("churn_threads: %ld threads woken\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000, i;
	pthread_t t;
	void *ret;
	int err;

	if (argc > 2 && !strcmp(argv[2], "wake"))
		return run_woken(n);
	for (i = 0; i < n; i++) {
		err = pthread_create(&t, NULL, body, (void *)i);
		if (err) {
			fprintf(stderr, "churn_threads: pthread_create: %s\n", strerror(err));
			return 1;
		}
		err = pthread_join(t, &ret);
		if (err || ret != (void *)i) {
			fprintf(stderr, "churn_threads: pthread_join failed\n");
			return 1;
		}
	}
	printf("churn_threads: %ld threads joined\n", n);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Task markers with known counts, for both ways of reading them.
 *
 *   marks [N]      N requests (default 1000) on each of two paths:
 *                  - "local": start, await, resume, done on one thread;
 *                  - "hand-off": start and await on the main thread, resume
 *                    and done on a worker (the id goes through a pipe);
 *                  then 3 resumes of ids never awaited, and the same id
 *                  awaited twice then resumed twice (1 matched, 1 not).
 *                  Awaits 2N+2, resumes 2N+5 of which 2N+1 matched and
 *                  N+1 on the awaiting thread; starts and dones 2N.
 *   marks bad      a block at a bad address, another thing than a block,
 *                  a block handed over with a wrong offset from the thread
 *                  pointer (the offset is refused, the block kept), and a
 *                  block whose counts contradict each other: four
 *                  refusals; two ids that share a slot of the table
 *                  of pending awaits: one collision (block path only).
 *   marks orphan   a child process marks 50 requests, tells its parent,
 *                  and lives on for 3 s after the parent exits: its block
 *                  is read while it is alive, when the trace ends.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ksee/usdt.h>

static int pipefd[2];

static void *worker(void *arg)
{
	long long id;

	(void)arg;
	while (read(pipefd[0], &id, sizeof(id)) == sizeof(id) && id >= 0) {
		KSEE_RESUME(id);
		KSEE_REQUEST_DONE(id);
	}
	return NULL;
}

static void *bad_thread(void *arg)
{
	static unsigned long long not_a_block[4] = { 1, 2, 3, 4 };
	/* a block as the header before the bill's finer buckets laid it out */
	static unsigned long long old_layout[128] = { 0x6b7365656d726b02ULL };

	(void)arg;
	DTRACE_PROBE1(ksee, marks, (long long)16);
	DTRACE_PROBE1(ksee, marks, (long long)(unsigned long)not_a_block);
	DTRACE_PROBE1(ksee, marks, (long long)(unsigned long)old_layout);
	/* its own block, with an offset from the thread pointer that is not its own */
	ksee_marks_tls.magic = KSEE_MARKS_MAGIC;
	DTRACE_PROBE2(ksee, marks, (long long)(unsigned long)&ksee_marks_tls, (long long)8);
	return NULL;
}

static void *liar_thread(void *arg)
{
	(void)arg;
	KSEE_REQUEST_START(1);
	ksee_marks_tls.matched = 1000;	/* more matched resumes than resumes */
	return NULL;
}

static int run_bad(void)
{
	long long other;
	pthread_t t;

	if (pthread_create(&t, NULL, bad_thread, NULL) || pthread_join(t, NULL))
		return 1;
	if (pthread_create(&t, NULL, liar_thread, NULL) || pthread_join(t, NULL))
		return 1;
	for (other = 8; ksee_marks_slot(other) != ksee_marks_slot(7); other++)
		;
	KSEE_AWAIT(7);
	KSEE_AWAIT(other);	/* same slot: 7 is lost */
	KSEE_RESUME(other);
	KSEE_RESUME(7);
	return 0;
}

static int run_orphan(void)
{
	char c = 0;
	long long i;
	pid_t pid;

	if (pipe(pipefd))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		for (i = 0; i < 50; i++) {
			KSEE_REQUEST_START(i);
			KSEE_REQUEST_DONE(i);
		}
		if (write(pipefd[1], &c, 1) != 1)
			_exit(1);
		sleep(3);
		_exit(0);
	}
	return read(pipefd[0], &c, 1) == 1 ? 0 : 1;
}

int main(int argc, char **argv)
{
	long long i, n = 1000, end = -1;
	pthread_t t;

	if (argc > 1 && !strcmp(argv[1], "bad"))
		return run_bad();
	if (argc > 1 && !strcmp(argv[1], "orphan"))
		return run_orphan();
	if (argc > 1)
		n = atoll(argv[1]);
	if (n <= 0 || pipe(pipefd) || pthread_create(&t, NULL, worker, NULL))
		return 1;
	for (i = 0; i < n; i++) {
		KSEE_REQUEST_START(i);
		KSEE_AWAIT(i);
		KSEE_RESUME(i);
		KSEE_REQUEST_DONE(i);
	}
	for (i = n; i < 2 * n; i++) {
		KSEE_REQUEST_START(i);
		KSEE_AWAIT(i);
		if (write(pipefd[1], &i, sizeof(i)) != sizeof(i))
			return 1;
	}
	if (write(pipefd[1], &end, sizeof(end)) != sizeof(end) || pthread_join(t, NULL))
		return 1;
	for (i = 0; i < 3; i++)
		KSEE_RESUME(-100 - i);
	KSEE_AWAIT(-1);
	KSEE_AWAIT(-1);
	KSEE_RESUME(-1);
	KSEE_RESUME(-1);
	return 0;
}

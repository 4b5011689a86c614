// SPDX-License-Identifier: GPL-2.0-only
/*
 * pipe_wakeups: 4 reader threads ("reader0".."reader3") each block in
 * read() on their own pipe. The main thread sleeps 50 ms so that all of
 * them are surely asleep in read, then writes one byte to each pipe in
 * turn; each reader returns from read and exits; main joins all four and
 * prints one line.
 *
 * What the kernel should see: 5 tasks in one process; a wakeup edge from
 * the main thread (tid == pid) to each of the 4 readers (the pipe write
 * wakes the reader); each reader is off CPU about 50 ms, by far most of it
 * with reason "read"; main is off CPU about 50 ms in "sleep" and a little
 * in "futex" (pthread_join). Readers' exits wake main (futex edges back).
 * Checked with `strace -f -c` (4 blocking reads of 1 byte, 4 writes).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NREADERS 4

static int pipes[NREADERS][2];

static void *reader(void *arg)
{
	long i = (long)arg;
	char name[16], c;

	snprintf(name, sizeof(name), "reader%ld", i);
	pthread_setname_np(pthread_self(), name);
	if (read(pipes[i][0], &c, 1) != 1)
		return (void *)1;
	return NULL;
}

int main(void)
{
	const struct timespec ts = { .tv_sec = 0, .tv_nsec = 50 * 1000 * 1000 };
	pthread_t th[NREADERS];
	void *ret;
	long i;
	int bad = 0;

	for (i = 0; i < NREADERS; i++) {
		if (pipe(pipes[i])) {
			perror("pipe_wakeups: pipe");
			return 1;
		}
		if (pthread_create(&th[i], NULL, reader, (void *)i)) {
			fprintf(stderr, "pipe_wakeups: cannot create thread\n");
			return 1;
		}
	}
	nanosleep(&ts, NULL);
	for (i = 0; i < NREADERS; i++) {
		if (write(pipes[i][1], "x", 1) != 1) {
			perror("pipe_wakeups: write");
			return 1;
		}
	}
	for (i = 0; i < NREADERS; i++) {
		pthread_join(th[i], &ret);
		bad += ret != NULL;
	}
	printf("pipe_wakeups: main woke %d reader threads through pipes\n", NREADERS - bad);
	return bad ? 1 : 0;
}

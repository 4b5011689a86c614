// SPDX-License-Identifier: GPL-2.0-only
/*
 * soak_busy SECONDS: a busy, steady program for the soak benchmark. Two
 * pairs of threads ping-pong one byte over pipes as fast as they can (a
 * wakeup and a context switch per byte), one thread sleeps 1 ms in a loop.
 * Nothing is created after start-up, so a tracer's memory should stay
 * flat. Prints "soak_busy: N round trips" and exits 0 after SECONDS.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static atomic_int stop;
static atomic_long trips;

struct pair {
	int ab[2], ba[2];
};

static void *ping(void *arg)
{
	struct pair *p = arg;
	char c = 0;

	while (!atomic_load(&stop)) {
		if (write(p->ab[1], &c, 1) != 1 || read(p->ba[0], &c, 1) != 1)
			break;
		atomic_fetch_add(&trips, 1);
	}
	close(p->ab[1]);
	return NULL;
}

static void *pong(void *arg)
{
	struct pair *p = arg;
	char c;

	while (read(p->ab[0], &c, 1) == 1)
		if (write(p->ba[1], &c, 1) != 1)
			break;
	close(p->ba[1]);
	return NULL;
}

static void *napper(void *arg)
{
	const struct timespec ts = { 0, 1000 * 1000 };

	(void)arg;
	while (!atomic_load(&stop))
		nanosleep(&ts, NULL);
	return NULL;
}

int main(int argc, char **argv)
{
	int secs = argc > 1 ? atoi(argv[1]) : 60, i;
	struct pair pairs[2];
	pthread_t t[5];

	for (i = 0; i < 2; i++) {
		if (pipe(pairs[i].ab) || pipe(pairs[i].ba)) {
			perror("soak_busy: pipe");
			return 1;
		}
		pthread_create(&t[2 * i], NULL, ping, &pairs[i]);
		pthread_create(&t[2 * i + 1], NULL, pong, &pairs[i]);
	}
	pthread_create(&t[4], NULL, napper, NULL);
	sleep(secs);
	atomic_store(&stop, 1);
	for (i = 0; i < 5; i++)
		pthread_join(t[i], NULL);
	printf("soak_busy: %ld round trips\n", atomic_load(&trips));
	return 0;
}

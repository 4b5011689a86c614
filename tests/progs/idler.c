// SPDX-License-Identifier: GPL-2.0-only
/*
 * idler [SECONDS [DELAY_MS]]: the main thread loops on nanosleep(10 ms)
 * for SECONDS (default: forever). After DELAY_MS (default 300) it creates
 * one extra thread, "idler-extra", that loops on nanosleep(10 ms) too.
 * With DELAY_MS 0 the extra thread is created when SIGUSR1 arrives
 * instead, so a test can create it after a tracer has attached.
 * Exits 0 when SECONDS have passed.
 *
 * What the kernel should see: per thread and per second about 98 voluntary
 * switches (10 ms + timer slack + wakeup latency per loop), almost all
 * off-CPU time with reason "sleep", on-CPU time of a few ms per second;
 * SIGUSR1 interrupts one nanosleep of main (EINTR, the loop goes on).
 * Checked with /proc/PID/task/TID/status (voluntary_ctxt_switches) over 1 s.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile sig_atomic_t want_extra;

static void on_usr1(int sig)
{
	(void)sig;
	want_extra = 1;
}

static void *sleep_loop(void *arg)
{
	const struct timespec ts = { .tv_sec = 0, .tv_nsec = 10 * 1000 * 1000 };

	(void)arg;
	pthread_setname_np(pthread_self(), "idler-extra");
	for (;;)
		nanosleep(&ts, NULL);
	return NULL;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	const struct timespec ts = { .tv_sec = 0, .tv_nsec = 10 * 1000 * 1000 };
	long long secs = argc > 1 ? atoll(argv[1]) : 0;
	long long delay = argc > 2 ? atoll(argv[2]) : 300;
	long long start = now_ms();
	struct sigaction sa = { .sa_handler = on_usr1 };
	pthread_t th;
	int extra = 0;

	sigaction(SIGUSR1, &sa, NULL);
	while (!secs || now_ms() - start < secs * 1000) {
		nanosleep(&ts, NULL);
		if (!extra && (want_extra || (delay > 0 && now_ms() - start >= delay))) {
			if (pthread_create(&th, NULL, sleep_loop, NULL)) {
				fprintf(stderr, "idler: cannot create thread\n");
				return 1;
			}
			extra = 1;
		}
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpu_contend: two threads ("spin0", "spin1") pin themselves to the same
 * CPU (the first one this process may use) and each spins until it has
 * used 300 ms of CPU time (CLOCK_THREAD_CPUTIME_ID); main joins both.
 *
 * What the kernel should see: 3 tasks; the two spinners share one CPU for
 * about 600 ms of wall time, so the scheduler preempts them: involuntary
 * switches well above zero (EEVDF slices are a few ms: dozens to a few
 * hundred), run-queue latency count above zero and run-queue time of
 * hundreds of ms (each waits while the other runs: about 300 ms each),
 * on-CPU about 300 ms each, parallelism about 1 (not 2), both threads'
 * cpus == [that CPU] after pinning (they may start on the other CPU).
 * Checked with `perf stat -e context-switches,cpu-migrations` and
 * /proc/PID/task/TID/status (nonvoluntary_ctxt_switches).
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>

#define SPIN_NS (300LL * 1000 * 1000)

static int cpu;

static long long thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *spin(void *arg)
{
	char name[16];
	cpu_set_t set;
	long long start;

	snprintf(name, sizeof(name), "spin%ld", (long)arg);
	pthread_setname_np(pthread_self(), name);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return (void *)1;
	start = thread_cpu_ns();
	while (thread_cpu_ns() - start < SPIN_NS)
		;
	return NULL;
}

int main(void)
{
	pthread_t th[2];
	cpu_set_t set;
	void *ret;
	long i;
	int bad = 0;

	if (sched_getaffinity(0, sizeof(set), &set)) {
		perror("cpu_contend: sched_getaffinity");
		return 1;
	}
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set); cpu++)
		;
	for (i = 0; i < 2; i++) {
		if (pthread_create(&th[i], NULL, spin, (void *)i)) {
			fprintf(stderr, "cpu_contend: cannot create thread\n");
			return 1;
		}
	}
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], &ret);
		bad += ret != NULL;
	}
	if (bad)
		fprintf(stderr, "cpu_contend: sched_setaffinity failed\n");
	return bad ? 1 : 0;
}

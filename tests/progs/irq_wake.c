// SPDX-License-Identifier: GPL-2.0-only
/*
 * irq_wake: two threads pinned to the same CPU. "napper" does 20 x
 * clock_nanosleep(5 ms); "spinner" spins until napper is done, so it is
 * the task on that CPU whenever napper's timer fires. Main joins both.
 *
 * What the kernel should see: napper is woken 20 times by its hrtimer, in
 * hard-interrupt context on that CPU while spinner is current. spinner
 * never wakes napper itself (no syscall of it touches napper), so no wakeup
 * edge spinner -> napper may be reported: those wakeups are the interrupt's,
 * which design.md says must be named as such. napper: about 20 voluntary
 * switches, about 100 ms off CPU in "sleep". spinner: involuntary switches
 * (napper preempts it on each wakeup), no voluntary ones while spinning.
 * Checked with `perf record -e sched:sched_waking` (waker common_pid is
 * spinner's tid, in irq context) and `strace -f -c`.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static int cpu;
static atomic_int done;

static int pin(const char *name)
{
	cpu_set_t set;

	pthread_setname_np(pthread_self(), name);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static void *napper(void *arg)
{
	const struct timespec ts = { .tv_sec = 0, .tv_nsec = 5 * 1000 * 1000 };
	int i;

	(void)arg;
	if (pin("napper")) {
		atomic_store(&done, 1);
		return (void *)1;
	}
	for (i = 0; i < 20; i++)
		clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
	atomic_store(&done, 1);
	return NULL;
}

static void *spinner(void *arg)
{
	(void)arg;
	if (pin("spinner"))
		return (void *)1;
	while (!atomic_load(&done))
		;
	return NULL;
}

int main(void)
{
	pthread_t th[2];
	cpu_set_t set;
	void *ret;
	int bad = 0, i;

	if (sched_getaffinity(0, sizeof(set), &set)) {
		perror("irq_wake: sched_getaffinity");
		return 1;
	}
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set); cpu++)
		;
	if (pthread_create(&th[0], NULL, spinner, NULL) ||
	    pthread_create(&th[1], NULL, napper, NULL)) {
		fprintf(stderr, "irq_wake: cannot create thread\n");
		return 1;
	}
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], &ret);
		bad += ret != NULL;
	}
	return bad ? 1 : 0;
}

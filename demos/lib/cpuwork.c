// SPDX-License-Identifier: MIT
/* Calibrated CPU work. */
#include <errno.h>
#include <time.h>

#include "cpuwork.h"

#define CAL_ITERS	200000ULL
#define CAL_ROUNDS	7

static double iters_per_us;
static __thread volatile uint64_t sink;

static uint64_t chain(uint64_t n, uint64_t x)
{
	while (n--) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		x ^= x >> 29;
	}
	return x;
}

static int thread_cpu_ns(uint64_t *ns)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return -errno;
	*ns = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	return 0;
}

int cpuwork_calibrate(void)
{
	uint64_t best = UINT64_MAX, t0 = 0, t1 = 0;
	int i, err;

	sink = chain(CAL_ITERS, sink);	/* warm up */
	for (i = 0; i < CAL_ROUNDS; i++) {
		err = thread_cpu_ns(&t0);
		if (err)
			return err;
		sink = chain(CAL_ITERS, sink + i);
		err = thread_cpu_ns(&t1);
		if (err)
			return err;
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	if (!best)
		return -EINVAL;
	iters_per_us = CAL_ITERS * 1000.0 / best;
	return 0;
}

double cpuwork_rate(void)
{
	return iters_per_us;
}

uint64_t cpuwork_spin(unsigned int us)
{
	uint64_t x = chain((uint64_t)(us * iters_per_us), sink);

	sink = x;
	return x;
}

// SPDX-License-Identifier: MIT
/* Latency percentiles and clocks. */
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "stats.h"

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* NaN sorts last. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	if (isnan(x) || isnan(y))
		return isnan(x) - isnan(y);
	return (x > y) - (x < y);
}

double stats_percentile(double *v, size_t n, double p)
{
	size_t valid = 0, rank;

	qsort(v, n, sizeof(*v), cmp_double);
	while (valid < n && !isnan(v[valid]))
		valid++;
	if (!valid)
		return NAN;
	rank = (size_t)ceil(p / 100.0 * valid);
	if (rank < 1)
		rank = 1;
	if (rank > valid)
		rank = valid;
	return v[rank - 1];
}

double stats_mean(const double *v, size_t n)
{
	double sum = 0;
	size_t i, valid = 0;

	for (i = 0; i < n; i++) {
		if (isnan(v[i]))
			continue;
		sum += v[i];
		valid++;
	}
	return valid ? sum / valid : NAN;
}

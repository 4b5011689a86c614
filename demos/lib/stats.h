/* SPDX-License-Identifier: MIT */
/* Latency percentiles and clocks. */
#ifndef __KSEE_DEMO_STATS_H
#define __KSEE_DEMO_STATS_H

#include <stddef.h>
#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t now_ns(void);

/*
 * The p-th percentile (0..100, nearest rank) of the n values in v, which
 * are sorted in place; NaN values are ignored.  NaN when there are none.
 */
double stats_percentile(double *v, size_t n, double p);

/* The mean of the n values in v; NaN values are ignored.  NaN when there are none. */
double stats_mean(const double *v, size_t n);

#endif /* __KSEE_DEMO_STATS_H */

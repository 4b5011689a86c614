/* SPDX-License-Identifier: MIT */
/*
 * Real CPU work of a given length: a dependent integer hash chain whose
 * speed is measured once at start (on-CPU time, best of several rounds).
 */
#ifndef __KSEE_DEMO_CPUWORK_H
#define __KSEE_DEMO_CPUWORK_H

#include <stdint.h>

/* Measure the iterations per microsecond; 0 or -errno. */
int cpuwork_calibrate(void);

/* Iterations per microsecond found by cpuwork_calibrate(). */
double cpuwork_rate(void);

/* Compute for about us microseconds of CPU time; returns the hash (use it). */
uint64_t cpuwork_spin(unsigned int us);

#endif /* __KSEE_DEMO_CPUWORK_H */

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPUs a traced program could use (online CPUs in its affinity mask,
 * limited by its cgroup's cpu.max) and how many of them were free of
 * other work during the trace, from /proc/stat at the start and the end.
 */
#ifndef KSEE_CPUFREE_H
#define KSEE_CPUFREE_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/types.h>
#include "model/cpuload.h"
#include "model/model.h"

struct cpufree {
	bool started, stopped;
	struct ks_cpumask mask;		/* the program's allowed CPUs that are online */
	unsigned int ncpus;		/* CPUs in the mask with a /proc/stat line */
	double available;		/* ncpus, limited by cpu.max; 0: unknown */
	unsigned long long busy0, busy1;	/* busy ticks on the mask's CPUs */
	__u64 t0_ns, t1_ns;		/* CLOCK_MONOTONIC */
};

/* Take the first reading for process @pid (0: ksee itself); false if it cannot. */
bool cpufree_start(struct cpufree *c, pid_t pid);

/* Take the last reading. */
void cpufree_stop(struct cpufree *c);

/*
 * Fill @tr->cpus_available and @tr->cpus_free from the readings and the
 * traced program's own on-CPU time (its tasks' sum; call it before
 * ks_trace_finish, whose findings read them); unknown values if a reading
 * is missing.
 */
void cpufree_apply(const struct cpufree *c, struct ks_trace *tr);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How many CPUs a traced program could use, and how many were free of
 * other work while it ran: the pure arithmetic over /proc/stat and the
 * cgroup's cpu.max. user/trace/cpufree.c reads the files.
 */
#ifndef KSEE_CPULOAD_H
#define KSEE_CPULOAD_H

#include <stdbool.h>
#include <linux/types.h>

#define KS_CPULOAD_MAX_CPUS	1024

/* Which CPUs count: bit n of word n / 64. */
struct ks_cpumask {
	__u64 bits[KS_CPULOAD_MAX_CPUS / 64];
};

static inline bool ks_cpumask_has(const struct ks_cpumask *m, unsigned int cpu)
{
	return cpu < KS_CPULOAD_MAX_CPUS && (m->bits[cpu / 64] >> (cpu % 64) & 1);
}

/*
 * Sum the busy and the total ticks of the CPUs of @mask over the "cpuN"
 * lines of /proc/stat text @text. Busy is everything but idle, iowait and
 * steal (guest time is part of user). Returns how many of the mask's CPUs
 * had a line.
 */
int ks_cpuload_parse_stat(const char *text, const struct ks_cpumask *mask,
			  unsigned long long *busy, unsigned long long *total);

/*
 * The CPUs a cgroup v2 cpu.max ("max 100000" or "150000 100000") allows:
 * quota / period; 0 for no limit; -1 if @text is malformed.
 */
double ks_cpuload_parse_max(const char *text);

/*
 * CPUs free of other work: @ncpus allowed CPUs, minus the busy time
 * @busy_ns measured on them less the traced program's own @own_ns, per
 * @wall_ns of trace; at most @available, never below 0. -1 if unknown.
 */
double ks_cpuload_free(unsigned int ncpus, double available, double busy_ns, double own_ns,
		       double wall_ns);

#endif

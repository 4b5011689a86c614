// SPDX-License-Identifier: GPL-2.0-only
/* CPUs available and free: the pure arithmetic, see model/cpuload.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/cpuload.h"

/* Fields of a "cpuN" line: user nice system idle iowait irq softirq steal (guest ...). */
enum { F_USER, F_NICE, F_SYSTEM, F_IDLE, F_IOWAIT, F_IRQ, F_SOFTIRQ, F_STEAL, F_NR };

int ks_cpuload_parse_stat(const char *text, const struct ks_cpumask *mask,
			  unsigned long long *busy, unsigned long long *total)
{
	unsigned long long f[F_NR], all;
	const char *line = text;
	unsigned int cpu;
	int n = 0, i;

	*busy = *total = 0;
	while (line && *line) {
		if (!strncmp(line, "cpu", 3) && line[3] >= '0' && line[3] <= '9' &&
		    sscanf(line + 3, "%u %llu %llu %llu %llu %llu %llu %llu %llu", &cpu,
			   &f[F_USER], &f[F_NICE], &f[F_SYSTEM], &f[F_IDLE], &f[F_IOWAIT],
			   &f[F_IRQ], &f[F_SOFTIRQ], &f[F_STEAL]) == 1 + F_NR &&
		    ks_cpumask_has(mask, cpu)) {
			for (i = 0, all = 0; i < F_NR; i++)
				all += f[i];
			*total += all;
			*busy += all - f[F_IDLE] - f[F_IOWAIT] - f[F_STEAL];
			n++;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return n;
}

double ks_cpuload_parse_max(const char *text)
{
	double quota, period;
	char word[16];

	if (sscanf(text, "%15s %lf", word, &period) != 2 || period <= 0)
		return -1;
	if (!strcmp(word, "max"))
		return 0;
	if (sscanf(word, "%lf", &quota) != 1 || quota <= 0)
		return -1;
	return quota / period;
}

double ks_cpuload_free(unsigned int ncpus, double available, double busy_ns, double own_ns,
		       double wall_ns)
{
	double others, free;

	if (!ncpus || available <= 0 || wall_ns <= 0 || busy_ns < 0)
		return -1;
	others = (busy_ns - own_ns) / wall_ns;
	if (others < 0)
		others = 0;
	free = ncpus - others;
	if (free > available)
		free = available;
	return free > 0 ? free : 0;
}

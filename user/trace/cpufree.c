// SPDX-License-Identifier: GPL-2.0-only
/* CPUs available and free during a trace: the readings; see trace/cpufree.h. */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "trace/cpufree.h"

#define STAT_MAX	(256 * 1024)

/* The whole of a small file, NUL-terminated; length or -1. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	ssize_t n, have = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (have + 1 < (ssize_t)len && (n = read(fd, buf + have, len - 1 - have)) > 0)
		have += n;
	close(fd);
	buf[have] = 0;
	return have;
}

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static bool read_busy(const struct cpufree *c, unsigned long long *busy, unsigned int *ncpus)
{
	static char buf[STAT_MAX];
	unsigned long long total;
	int n;

	if (read_small("/proc/stat", buf, sizeof(buf)) <= 0)
		return false;
	n = ks_cpuload_parse_stat(buf, &c->mask, busy, &total);
	if (ncpus)
		*ncpus = n;
	return n > 0;
}

/* The tightest cpu.max from @pid's cgroup (v2) up to the root, in CPUs; 0: no limit. */
static double cgroup_quota(pid_t pid)
{
	char path[PATH_MAX], line[PATH_MAX], buf[64], *cg, *slash;
	double q, best = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid ? pid : getpid());
	f = fopen(path, "re");
	if (!f)
		return 0;
	cg = NULL;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			cg = line + 3;
			cg[strcspn(cg, "\n")] = 0;
			break;
		}
	fclose(f);
	while (cg && *cg) {
		if (snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cpu.max", cg) <
		    (int)sizeof(path) && read_small(path, buf, sizeof(buf)) > 0) {
			q = ks_cpuload_parse_max(buf);
			if (q > 0 && (!best || q < best))
				best = q;
		}
		slash = strrchr(cg, '/');
		if (!slash || slash == cg)
			break;
		*slash = 0;
	}
	return best;
}

bool cpufree_start(struct cpufree *c, pid_t pid)
{
	cpu_set_t set;
	unsigned int cpu;
	double quota;

	memset(c, 0, sizeof(*c));
	CPU_ZERO(&set);
	if (sched_getaffinity(pid, sizeof(set), &set))
		return false;
	for (cpu = 0; cpu < CPU_SETSIZE && cpu < KS_CPULOAD_MAX_CPUS; cpu++)
		if (CPU_ISSET(cpu, &set))
			c->mask.bits[cpu / 64] |= 1ULL << (cpu % 64);
	c->t0_ns = mono_ns();
	/* /proc/stat lists online CPUs only: the mask's CPUs it lists are the usable ones */
	if (!read_busy(c, &c->busy0, &c->ncpus))
		return false;
	c->available = c->ncpus;
	quota = cgroup_quota(pid);
	if (quota > 0 && quota < c->available)
		c->available = quota;
	c->started = true;
	return true;
}

void cpufree_stop(struct cpufree *c)
{
	if (!c->started || c->stopped)
		return;
	c->t1_ns = mono_ns();
	c->stopped = read_busy(c, &c->busy1, NULL);
}

/* On-CPU time of every traced task, as ks_trace_finish will sum it. */
static double own_on_cpu_ns(const struct ks_trace *tr)
{
	double ns = 0;
	size_t i, j;

	for (i = 0; i < tr->nprocs; i++)
		for (j = 0; j < tr->procs[i].nthreads; j++)
			ns += tr->procs[i].threads[j].st.on_cpu_ns;
	return ns;
}

void cpufree_apply(const struct cpufree *c, struct ks_trace *tr)
{
	double tick_ns = 1e9 / sysconf(_SC_CLK_TCK);

	tr->cpus_available = c->started ? c->available : 0;
	tr->cpus_free = -1;
	if (!c->started || !c->stopped || c->busy1 < c->busy0 || c->t1_ns <= c->t0_ns)
		return;
	tr->cpus_free = ks_cpuload_free(c->ncpus, c->available, (c->busy1 - c->busy0) * tick_ns,
					own_on_cpu_ns(tr), c->t1_ns - c->t0_ns);
}

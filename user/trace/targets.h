/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Processes found while tracing (`--cgroup`, `ksee serve --comm`): each
 * registered with the tracer once, its tasks adopted, and forgotten again
 * when it ended before its tasks could be. Errors come back as -errno;
 * nothing here prints.
 */
#ifndef KSEE_TARGETS_H
#define KSEE_TARGETS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "trace/tracer.h"

struct targets {
	__u32 *pids;		/* registered here */
	size_t n, cap;
	size_t adopted;		/* pids[0..adopted) have had their tasks adopted */
};

void targets_init(struct targets *ts);
void targets_free(struct targets *ts);

bool targets_known(const struct targets *ts, __u32 pid);

/* @pid is a process with a program, not a kernel thread (or gone). */
bool targets_is_process(__u32 pid);

/* Register process @pid (never ksee itself); 1 if new, 0 if known already, -errno. */
int targets_add(struct targets *ts, struct tracer *t, __u32 pid, __u64 now);

/*
 * Adopt the tasks of the processes added since the last call (@flags as
 * for tracer_adopt()); forget those that ended in between, and those
 * registered earlier that are gone. 0 or -errno.
 */
int targets_adopt(struct targets *ts, struct tracer *t, __u64 now, __u32 flags);

/*
 * The cgroup.procs file of cgroup @path, absolute or relative to
 * /sys/fs/cgroup (or its unified/ and systemd/ hierarchies), into @out.
 * 0, or -ENOENT with the message in @err.
 */
int cgroup_procs_file(const char *path, char *out, size_t len, char *err, size_t errlen);

/*
 * Register every process listed in the cgroup.procs file @procs. Returns
 * how many were new, or -errno (-ENOENT: the cgroup is gone).
 */
int targets_add_cgroup(struct targets *ts, struct tracer *t, const char *procs, __u64 now);

#endif

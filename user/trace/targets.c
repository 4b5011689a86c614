// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "trace/targets.h"

void targets_init(struct targets *ts)
{
	memset(ts, 0, sizeof(*ts));
}

void targets_free(struct targets *ts)
{
	free(ts->pids);
	memset(ts, 0, sizeof(*ts));
}

bool targets_known(const struct targets *ts, __u32 pid)
{
	size_t i;

	for (i = 0; i < ts->n; i++)
		if (ts->pids[i] == pid)
			return true;
	return false;
}

int targets_add(struct targets *ts, struct tracer *t, __u32 pid, __u64 now)
{
	size_t cap;
	__u32 *p;
	int ret;

	if (!pid || pid == (__u32)getpid() || targets_known(ts, pid))
		return 0;
	if (ts->n == ts->cap) {
		cap = ts->cap ? 2 * ts->cap : 64;
		p = realloc(ts->pids, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		ts->pids = p;
		ts->cap = cap;
	}
	ret = tracer_add_process(t, pid, now);
	if (ret)
		return ret;
	ts->pids[ts->n++] = pid;
	return 1;
}

static bool process_exists(__u32 pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%u", pid);
	return access(path, F_OK) == 0;
}

int targets_adopt(struct targets *ts, struct tracer *t, __u64 now, __u32 flags)
{
	size_t i, n = 0;
	int ret;

	if (ts->adopted < ts->n) {
		ret = tracer_adopt(t, now, flags);
		if (ret)
			return ret;
		/* ended between its registration and the adoption: no task will end it */
		for (i = ts->adopted; i < ts->n; i++)
			if (!tracer_tasks_seen(t, ts->pids[i]))
				tracer_forget_process(t, ts->pids[i]);
	}
	for (i = 0; i < ts->n; i++)
		if (process_exists(ts->pids[i]))
			ts->pids[n++] = ts->pids[i];
	ts->n = ts->adopted = n;
	return 0;
}

bool targets_is_process(__u32 pid)
{
	char path[32], exe[16];

	snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	/* a kernel thread has no program; a process of another user may be unreadable */
	return readlink(path, exe, sizeof(exe)) > 0 || errno != ENOENT;
}

int cgroup_procs_file(const char *path, char *out, size_t len, char *err, size_t errlen)
{
	static const char *const roots[] = { "", "/sys/fs/cgroup/", "/sys/fs/cgroup/unified/",
		"/sys/fs/cgroup/systemd/" };
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		if ((i == 0) != (path[0] == '/'))
			continue;	/* an absolute path as is, a relative one under a root */
		snprintf(out, len, "%s%s/cgroup.procs", roots[i], path);
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
	}
	snprintf(err, errlen, "no cgroup at %s: expected a directory with a cgroup.procs file%s",
		 path, path[0] == '/' ? "" : " under /sys/fs/cgroup");
	return -ENOENT;
}

int targets_add_cgroup(struct targets *ts, struct tracer *t, const char *procs, __u64 now)
{
	unsigned long pid;
	int ret = 0, added = 0;
	FILE *f;

	f = fopen(procs, "re");
	if (!f)
		return -errno;
	while (ret >= 0 && fscanf(f, "%lu", &pid) == 1) {
		if (targets_known(ts, pid) || !targets_is_process(pid))
			continue;
		ret = targets_add(ts, t, pid, now);
		/* gone already, or a kernel thread (in the root cgroup): not ours */
		if (ret == -ESRCH || ret == -ENOENT)
			ret = 0;
		added += ret > 0;
	}
	fclose(f);
	return ret < 0 ? ret : added;
}

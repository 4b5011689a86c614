// SPDX-License-Identifier: GPL-2.0-only
/* ksee attach: trace running processes for a while. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/commands.h"
#include "cli/session.h"
#include "output/fmt.h"

/* The thread group of @pid from /proc, 0 if there is no such task. */
static __u32 tgid_of(__u32 pid)
{
	char path[64], line[256];
	unsigned long tgid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %lu", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

#define PF_KTHREAD 0x00200000

/* The parent of process @pid and its task flags from /proc; -1 if gone. */
static int stat_of(__u32 pid, __u32 *ppid, unsigned long *flags)
{
	char path[64], buf[1024], *p;
	unsigned long pp;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');	/* comm may hold spaces and parentheses */
	if (!p || sscanf(p + 1, " %*c %lu %*d %*d %*d %*d %lu", &pp, flags) != 2)
		return -1;
	*ppid = pp;
	return 0;
}

static __u32 ppid_of(__u32 pid)
{
	unsigned long flags;
	__u32 ppid;

	return stat_of(pid, &ppid, &flags) ? 0 : ppid;
}

static bool is_kthread(__u32 pid)
{
	unsigned long flags = 0;
	__u32 ppid;

	return stat_of(pid, &ppid, &flags) == 0 && (flags & PF_KTHREAD);
}

/*
 * A process that has exited but is not reaped yet: every task of it a
 * zombie (Z) or dead (X). A leader that called pthread_exit() is a zombie
 * while its other threads run: that process is alive.
 */
static bool is_zombie(__u32 pid)
{
	char path[64], buf[512], *p;
	struct dirent *de;
	bool zombie = true;
	DIR *d;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%u/task", pid);
	d = opendir(path);
	if (!d)
		return false;
	while (zombie && (de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%u/task/%.16s/stat", pid, de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;	/* gone meanwhile */
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = 0;
		p = strrchr(buf, ')');
		zombie = p && (p[2] == 'Z' || p[2] == 'X');
	}
	closedir(d);
	return zombie;
}

static bool listed(const struct ksee_opts *o, __u32 pid)
{
	int i;

	for (i = 0; i < o->npids; i++)
		if (o->pids[i] == pid)
			return true;
	return false;
}

/* Processes already forked by the targets are theirs too: trace them. */
static void add_descendants(struct session *s, __u32 *extra, int *nextra, int max)
{
	bool grew = true;
	struct dirent *de;
	__u32 pid, ppid;
	DIR *d;
	int i;

	while (grew && *nextra < max) {
		grew = false;
		d = opendir("/proc");
		if (!d)
			return;
		while ((de = readdir(d)) && *nextra < max) {
			if (!isdigit((unsigned char)de->d_name[0]))
				continue;
			pid = strtoul(de->d_name, NULL, 10);
			/* never ksee itself (attached to one of its ancestors) */
			if (listed(&s->o, pid) || pid == (__u32)getpid() || is_kthread(pid))
				continue;
			for (i = 0; i < *nextra && extra[i] != pid; i++)
				;
			if (i < *nextra)
				continue;
			ppid = ppid_of(pid);
			for (i = 0; i < *nextra && extra[i] != ppid; i++)
				;
			if ((listed(&s->o, ppid) || i < *nextra) && !is_zombie(pid)) {
				extra[(*nextra)++] = pid;
				grew = true;
			}
		}
		closedir(d);
	}
}

static int check_targets(struct session *s)
{
	__u32 tgid;
	int i, j;

	for (i = 0; i < s->o.npids; i++) {
		if (s->o.pids[i] == (__u32)getpid()) {
			session_error(s, "pid %u is ksee itself", s->o.pids[i]);
			return 1;
		}
		tgid = tgid_of(s->o.pids[i]);
		if (!tgid) {
			session_error(s, "no process with pid %u", s->o.pids[i]);
			return 1;
		}
		if (tgid == 1) {
			/* checked on 6.18: the BPF task iterator starts after pid 1 */
			session_error(s, "pid 1 (init) cannot be attached: the kernel's task "
				      "iterator, which ksee adopts running tasks with, skips it");
			return 1;
		}
		if (is_kthread(tgid)) {
			session_error(s, "pid %u is a kernel thread: ksee traces processes", tgid);
			return 1;
		}
		if (is_zombie(tgid)) {
			session_error(s, "process %u has exited (a zombie: its parent %u has not "
				      "reaped it yet): nothing to trace", tgid, ppid_of(tgid));
			return 1;
		}
		if (tgid != s->o.pids[i]) {
			fprintf(stderr, "ksee attach: %u is a thread of process %u: tracing %u\n",
				s->o.pids[i], tgid, tgid);
			s->o.pids[i] = tgid;
		}
		/* one process named twice (as itself, through a thread) is traced once */
		for (j = 0; j < i; j++)
			if (s->o.pids[j] == tgid) {
				s->o.pids[i--] = s->o.pids[--s->o.npids];
				break;
			}
	}
	return 0;
}

/* Task markers of the targets' programs, where they carry any. */
static void attach_markers(struct session *s)
{
	char link[64], exe[4096], vis[FMT_VISIBLE(512)];
	ssize_t n;
	int i;

	for (i = 0; i < s->o.npids; i++) {
		snprintf(link, sizeof(link), "/proc/%u/exe", s->o.pids[i]);
		n = readlink(link, exe, sizeof(exe) - 1);
		if (n <= 0)
			continue;
		exe[n] = 0;
		/* /proc/PID/exe itself works even where the path is gone or hidden */
		if (tracer_attach_markers(s->t, link, KS_MARKERS_USDT) < 0)
			/* the path is the program's own choice: no terminal escapes */
			session_error(s, "warning: cannot attach the task markers of %s",
				      fmt_visible(vis, sizeof(vis), exe));
	}
}

static bool all_ended(struct session *s)
{
	int i;

	if (s->o.cgroup)
		return false;	/* more may join it */
	for (i = 0; i < s->o.npids; i++)
		if (!tracer_process_ended(s->t, s->o.pids[i]))
			return false;
	return true;
}

int do_attach(int argc, char **argv)
{
	__u32 extra[KSEE_MAX_PROCS];
	int ret, i, nextra = 0;
	struct session s;
	__u64 end, stop_at = 0;

	ret = session_init(&s, &opts_attach, argc, argv);
	if (ret)
		goto out;
	ret = check_targets(&s);
	if (ret)
		goto out;
	s.tr.pids = s.o.pids;
	s.tr.npids = s.o.npids;
	ret = session_start_tracer(&s);
	if (ret)
		goto out;
	s.tr.start_ns = tracer_now();
	for (i = 0; i < s.o.npids; i++) {
		if (tracer_add_process(s.t, s.o.pids[i], s.tr.start_ns)) {
			session_error(&s, "cannot trace pid %u: %s", s.o.pids[i], strerror(errno));
			ret = 1;
			goto out;
		}
	}
	add_descendants(&s, extra, &nextra, KSEE_MAX_PROCS / 2);
	for (i = 0; i < nextra; i++)
		tracer_add_process(s.t, extra[i], s.tr.start_ns);
	if (!s.o.no_markers)
		attach_markers(&s);
	if (tracer_adopt(s.t, s.tr.start_ns, KSEE_TF_ADOPTED)) {
		session_error(&s, "cannot adopt the tasks of the targets: %s", strerror(errno));
		ret = 1;
		goto out;
	}
	cpufree_start(&s.cpufree, s.o.pids[0]);
	for (i = 0; i < s.o.npids; i++) {
		if (!tracer_tasks_seen(s.t, s.o.pids[i])) {
			session_error(&s, "process %u exited before tracing began", s.o.pids[i]);
			ret = 1;
			goto out;
		}
	}
	ret = session_scan_cgroup(&s, true);
	if (ret)
		goto out;
	nextra += s.cg.n;
	fprintf(stderr, "ksee: tracing %d process%s", s.o.npids + nextra,
		s.o.npids + nextra == 1 ? "" : "es");
	if (s.o.cgroup)
		fprintf(stderr, " (with the cgroup %s and those that join it)", s.o.cgroup);
	if (s.o.duration > 0)
		fprintf(stderr, " for %.3g s", s.o.duration);
	fprintf(stderr, " (Ctrl-C to stop)\n");
	if (s.o.duration > 0) {
		stop_at = s.tr.start_ns + (__u64)(s.o.duration * 1e9);
		tracer_set_window_end(s.t, stop_at);
	}

	while (!session_signals && !all_ended(&s) && (!stop_at || tracer_now() < stop_at)) {
		ret = session_poll(&s, 100);
		if (ret)
			goto out;
	}
	end = tracer_now();
	cpufree_stop(&s.cpufree);
	if (stop_at && end > stop_at && !session_signals)
		end = stop_at;
	tracer_set_window_end(s.t, end);
	ret = session_collect(&s, end);
	if (!ret)
		ret = session_outputs(&s);
out:
	session_cleanup(&s);
	return ret == SESSION_DONE ? 0 : ret;
}

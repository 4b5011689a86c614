/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Checks after a SIGKILL of ksee, shared by test_faults.c and
 * test_defects.c (static functions: each test includes this once).
 */
#ifndef __KSEE_FAULTS_H
#define __KSEE_FAULTS_H

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static __attribute__((unused)) void faults_seed(void)
{
	const char *s = getenv("KSEE_TEST_SEED");
	unsigned int seed = s ? strtoul(s, NULL, 10) : (unsigned int)time(NULL);

	fprintf(stderr, "# KSEE_TEST_SEED=%u\n", seed);
	srand(seed);
}

/* PID's state letter from /proc, or 0 if it is gone. */
static __attribute__((unused)) char faults_state(pid_t pid)
{
	char path[64], buf[512], *rp, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')))
		st = rp[2];
	fclose(f);
	return st;
}

/* PID is not stopped (T) or traced-stopped (t). */
static __attribute__((unused)) void faults_expect_state_ok(pid_t pid)
{
	char st = faults_state(pid);

	if (st == 'T' || st == 't')
		fail_msg("process %d is stopped (state %c) after ksee died", pid, st);
}

/* PID (our child now) ends within TIMEOUT_S and is never seen stopped. */
static __attribute__((unused)) void faults_expect_not_stuck(pid_t pid, int timeout_s)
{
	int i;

	for (i = 0; i < timeout_s * 20; i++) {
		char st = faults_state(pid);

		if (!st || st == 'Z')
			return;
		faults_expect_state_ok(pid);
		harness_msleep(50);
	}
	fail_msg("the traced child %d still runs %d s after ksee died (state %c)", pid, timeout_s,
		 faults_state(pid));
}

/* OUT is absent or a whole JSON report. */
static __attribute__((unused)) void faults_expect_output_whole(const char *out)
{
	json_object *j;

	if (access(out, F_OK))
		return;
	j = json_object_from_file(out);
	if (!j)
		fail_msg("%s is half-written: %s", out, json_util_get_last_err());
	json_object_put(j);
}

/* No file but OUT's own in OUT's directory: no temporary file left behind. */
static __attribute__((unused)) void faults_expect_no_temp_files(const char *out)
{
	char dir[PATH_MAX], *slash;
	const char *base = strrchr(out, '/') + 1;
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s", out);
	slash = strrchr(dir, '/');
	*slash = '\0';
	d = opendir(dir);
	if (!d)
		fail_msg("cannot open %s", dir);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, base))
			continue;
		closedir(d);
		fail_msg("%s/%s was left behind after ksee was killed", dir, e->d_name);
	}
	closedir(d);
}

/*
 * Pid of a process running this build's demos/NAME (the demos beside
 * $KSEE, as compare finds them), or -1. Other builds' demos on the same
 * machine (another clone's tests) are not ours to judge.
 */
static __attribute__((unused)) pid_t faults_find_demo(const char *name)
{
	char want[PATH_MAX], path[300], target[PATH_MAX], *slash;
	const char *ksee = getenv("KSEE");
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t found = -1;
	ssize_t len;

	if (!ksee || !realpath(ksee, want) || !(slash = strrchr(want, '/')) ||
	    snprintf(slash, sizeof(want) - (slash - want), "/demos/%s", name) >=
		    (int)(sizeof(want) - (slash - want)))
		fail_msg("cannot tell where the demos of $KSEE (%s) are", ksee ? ksee : "unset");
	while (d && (e = readdir(d)) && found < 0) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/exe", e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (!strcmp(target, want))
			found = atoi(e->d_name);
	}
	if (d)
		closedir(d);
	return found;
}

/* No demo NAME process left after TIMEOUT_S; none seen stopped meanwhile. */
static __attribute__((unused)) void faults_expect_no_demo_left(const char *name, int timeout_s)
{
	pid_t pid;
	int i;

	for (i = 0; i < timeout_s * 10; i++) {
		pid = faults_find_demo(name);
		if (pid < 0 || faults_state(pid) == 'Z')
			return;
		faults_expect_state_ok(pid);
		harness_msleep(100);
	}
	fail_msg("demos/%s (pid %d) still runs %d s after ksee compare was killed", name, pid,
		 timeout_s);
}

#endif /* __KSEE_FAULTS_H */

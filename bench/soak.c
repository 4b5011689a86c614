// SPDX-License-Identifier: GPL-2.0-only
/*
 * soak: `ksee run` traces a busy, steady program (tests/progs/soak_busy)
 * for KSEE_SOAK_SECONDS (default 60; `make bench-soak` runs 1800) and
 * samples ksee every second: its RSS (/proc/PID/status VmRSS), its CPU
 * time (utime + stime) and the entries of its BPF maps (bpftool map dump: one '"key":' line per entry).
 * Asserts: RSS flat (the last quarter's peak within 2 MB + 10% of the
 * first quarter's), map entries flat (procs 1 throughout, edges bounded),
 * zero loss in the report, and prints ksee's own CPU use.
 * A cmocka test built with the integration harness; needs root.
 */
#include "harness.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 4000

/* utime + stime of PID in clock ticks, or -1. */
static long cpu_ticks(pid_t pid)
{
	char path[64], buf[1024], *rp;
	unsigned long ut, st;
	long ticks = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')) &&
	    sscanf(rp + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
		ticks = ut + st;
	fclose(f);
	return ticks;
}

/* Entries of the BPF map named NAME that PID holds, or -1. */
static long map_entries(pid_t pid, const char *name)
{
	char cmd[512], line[256];
	long n = -1;
	FILE *f;

	/* The map ids PID holds, from fdinfo; the one with NAME, dumped. */
	snprintf(cmd, sizeof(cmd),
		 "for i in $(grep -h '^map_id:' /proc/%d/fdinfo/* 2>/dev/null | awk '{print $2}' "
		 "| sort -u); do bpftool map show id $i 2>/dev/null | grep -q ' name %s ' && "
		 "bpftool map dump id $i 2>/dev/null | grep -c '^ *.key.: '; done",
		 pid, name);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f))
		n = atol(line);
	pclose(f);
	return n;
}

static void test_soak(void **state)
{
	const char *env_s = getenv("KSEE_SOAK_SECONDS");
	int secs = env_s ? atoi(env_s) : 60, i, n = 0;
	char secs_s[16];
	const char *argv[] = { harness_prog("soak_busy"), secs_s, NULL };
	static long rss[MAX_SAMPLES];
	long procs, edges, max_procs = 0, max_edges = 0, first_edges = -1, t0, t1, ticks;
	long early_peak = 0, late_peak = 0, hz = sysconf(_SC_CLK_TCK);
	struct harness_proc p;
	json_object *r;
	const char *args[] = { "run", "--", argv[0], secs_s, NULL };
	struct timespec a, b;
	double wall;

	harness_require_root();
	snprintf(secs_s, sizeof(secs_s), "%d", secs);
	harness_spawn(&p, NULL, 1, args);
	harness_wait_stderr(&p, "ksee: tracing", HARNESS_TIMEOUT_S);
	clock_gettime(CLOCK_MONOTONIC, &a);
	t0 = cpu_ticks(p.pid);
	for (i = 0; i < secs - 2 && n < MAX_SAMPLES; i++) {
		harness_msleep(1000);
		rss[n++] = harness_rss_kb(p.pid);
		if (i % 10 == 5) {
			procs = map_entries(p.pid, "procs");
			edges = map_entries(p.pid, "edges");
			fprintf(stderr, "# soak %4d s: ksee RSS %ld kB, map procs %ld, edges %ld\n", i,
				rss[n - 1], procs, edges);
			if (procs > max_procs)
				max_procs = procs;
			if (first_edges < 0)
				first_edges = edges;
			if (edges > max_edges)
				max_edges = edges;
		}
	}
	t1 = cpu_ticks(p.pid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	harness_expect_eq("ksee status", harness_wait(&p, secs + 60), 0);
	r = harness_json(&p);

	for (i = 0; i < n; i++) {
		if (i < n / 4 && rss[i] > early_peak)
			early_peak = rss[i];
		if (i >= n - n / 4 && rss[i] > late_peak)
			late_peak = rss[i];
	}
	wall = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	ticks = t1 - t0;
	fprintf(stderr,
		"# soak %d s: ksee RSS first quarter peak %ld kB, last quarter peak %ld kB; "
		"ksee CPU %.2f s in %.1f s of tracing = %.2f%% of one CPU; %lld tasks, "
		"%lld voluntary switches traced\n",
		secs, early_peak, late_peak, (double)ticks / hz, wall, 100.0 * ticks / hz / wall,
		(long long)harness_int(r, "totals.tasks"), (long long)harness_int(r, "totals.voluntary"));
	harness_expect_range("ksee RSS, last quarter peak (kB)", late_peak, 1,
			     early_peak + early_peak / 10 + 2048);
	harness_expect_eq("map procs (one traced process)", max_procs, 1);
	/*
	 * Bounded, not growing. It may stay 0: wakeups by an unchanged waker are
	 * counted in the wakee's storage and reach the map when the waker changes.
	 */
	harness_expect_range("map edges (steady program)", max_edges, 0, 64);
	harness_expect_range("wakeup edges in the report", json_object_array_length(
			     harness_get(r, "wakeups")), 1, 64);
	harness_expect_eq("drops.ringbuf", harness_int(r, "drops.ringbuf"), 0);
	harness_expect_eq("drops.tasks", harness_int(r, "drops.tasks"), 0);
	harness_expect_eq("drops.procs", harness_int(r, "drops.procs"), 0);
	harness_expect_eq("drops.edges", harness_int(r, "drops.edges"), 0);
	harness_expect_eq("totals.tasks", harness_int(r, "totals.tasks"), 6);
	/* The program was busy: a wakeup per byte, many thousands a second. */
	harness_expect_range("totals.voluntary", harness_int(r, "totals.voluntary"),
			     (int64_t)secs * 1000, INT64_MAX);
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_soak, harness_teardown),
	};

	return cmocka_run_group_tests_name("soak", tests, NULL, NULL);
}

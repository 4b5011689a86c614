// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verdicts of `ksee compare` away from the default workload: short
 * runs at each guard and boundary of docs/verdicts.md (one CPU, C = 1,
 * no CPU work, waits small against the work, one worker, a clear stall),
 * each with the verdict the workload calls for. A verdict that depends on
 * free CPUs may say "not measured" on a busy machine, but only with the
 * numbers that show it.
 */
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"

#define COMPARE_TIMEOUT_S	120

/* The column of model @name; a number of the report (fails if missing). */
static json_object *model(json_object *report, const char *name)
{
	return harness_compare_model(report, name);
}

static double num(json_object *obj, const char *path)
{
	return harness_num(obj, path);
}

static struct harness_proc proc;

static int teardown(void **state)
{
	harness_proc_free(&proc);
	memset(&proc, 0, sizeof(proc));
	return harness_teardown(state);
}

/* Run `ksee compare ARGS -j`; the report. */
static json_object *compare(const char *const *args)
{
	int status;

	harness_spawn(&proc, NULL, 1, args);
	status = harness_wait(&proc, COMPARE_TIMEOUT_S);
	if (status != 0)
		fail_msg("ksee compare exited %d:\n%s", status, proc.err);
	return harness_json(&proc);
}

static json_object *claim(json_object *report, const char *id)
{
	json_object *vs = harness_get(report, "verdicts"), *v;
	size_t i;

	for (i = 0; vs && i < json_object_array_length(vs); i++) {
		v = json_object_array_get_idx(vs, i);
		if (!strcmp(json_object_get_string(harness_get(v, "id")), id))
			return v;
	}
	fail_msg("verdict %s missing", id);
	return NULL;
}

static const char *text(json_object *v, const char *key)
{
	json_object *s = harness_get(v, key);

	return s && json_object_get_type(s) == json_type_string ? json_object_get_string(s) : "";
}

/* Claim @id's verdict is @want, and its note (if @note) says @note. */
static void expect(json_object *report, const char *id, const char *want, const char *note)
{
	json_object *v = claim(report, id);

	if (strcmp(text(v, "verdict"), want))
		fail_msg("%s: %s, want %s; numbers: %s; note: %s", id, text(v, "verdict"), want,
			 text(v, "numbers"), text(v, "note"));
	if (note && !strstr(text(v, "note"), note))
		fail_msg("%s: the note does not say '%s': %s", id, note, text(v, "note"));
}

/*
 * @id holds, or the machine could not give the run the CPUs to tell (not
 * measured, and the free CPUs or the threads control show why).
 */
static void expect_holds_or_busy(json_object *report, const char *id, const char *m)
{
	json_object *v = claim(report, id);
	double free_cpus = num(model(report, m), "cpus_free");
	double control = num(model(report, "threads"), "parallelism");

	if (!strcmp(text(v, "verdict"), "holds"))
		return;
	if (!strcmp(text(v, "verdict"), "not measured") && (free_cpus < 1.5 || control < 1.3))
		return;
	fail_msg("%s: %s with %.2f CPUs free and the threads control at %.2f; numbers: %s; "
		 "note: %s", id, text(v, "verdict"), free_cpus, control, text(v, "numbers"),
		 text(v, "note"));
}

/*
 * C8's second check passed: no model spent more than its allowance on the
 * CPU outside start-up and its work. (The first, parked >= 80% of R x D,
 * may miss at D = 1 ms when a wait overlaps waits for a CPU: then partly,
 * saying so.) No number is negative.
 */
static void expect_no_cpu_burned(json_object *report)
{
	json_object *v = claim(report, "C8");

	if (strstr(text(v, "note"), "on the CPU outside its work") ||
	    (strcmp(text(v, "verdict"), "holds") &&
	     (strcmp(text(v, "verdict"), "partly") ||
	      !strstr(text(v, "note"), "parked in I/O less than"))))
		fail_msg("C8: %s; numbers: %s; note: %s", text(v, "verdict"), text(v, "numbers"),
			 text(v, "note"));
	if (strstr(text(v, "numbers"), " -"))
		fail_msg("C8 prints a negative: %s", text(v, "numbers"));
}

/* taskset -c 0: two CPUs online, one usable; C6 and C9 cannot be judged. */
static void test_verdicts_pinned_to_one_cpu(void **state)
{
	static const char *const args[] = { "compare", "--models", "threads,gil,procs",
		"--requests", "40", "--concurrency", "8", "--io-ms", "2", "--cpu-us", "5000",
		NULL };
	static const char *const ms[] = { "threads", "gil", "procs" };
	cpu_set_t one, saved;
	json_object *r;
	int i;

	harness_require_root();
	if (sched_getaffinity(0, sizeof(saved), &saved))
		fail_msg("sched_getaffinity: %m");
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		fail_msg("sched_setaffinity: %m");
	harness_spawn(&proc, NULL, 1, args);	/* ksee and its demos inherit the mask */
	sched_setaffinity(0, sizeof(saved), &saved);
	if (harness_wait(&proc, COMPARE_TIMEOUT_S))
		fail_msg("ksee compare failed:\n%s", proc.err);
	r = harness_json(&proc);
	for (i = 0; i < 3; i++) {
		harness_expect_eq(ms[i], num(model(r, ms[i]), "cpus_available"), 1);
		if (num(model(r, ms[i]), "parallelism") > 1.05)
			fail_msg("%s: parallelism %.2f on one CPU", ms[i],
				 num(model(r, ms[i]), "parallelism"));
	}
	expect(r, "C6", "not measured", "only 1 CPU usable");
	expect(r, "C9", "not measured", "only 1 CPU usable");
}

/*
 * C = 1: the loop sleeps in its I/O wait once per await (about 1 voluntary
 * switch per await), which is not what an await costs; nothing to stall or
 * to overlap.
 */
static void test_verdicts_one_in_flight(void **state)
{
	static const char *const args[] = { "compare", "--models", "blocking,epoll,coro,uring",
		"--requests", "30", "--concurrency", "1", "--io-ms", "2", "--cpu-us", "500", NULL };
	static const char *const loops[] = { "epoll", "coro", "uring" };
	json_object *r;
	double vpa;
	int i;

	harness_require_root();
	r = compare(args);
	for (i = 0; i < 3; i++) {
		vpa = num(model(r, loops[i]), "markers.voluntary_per_await");
		if (vpa < 0.8)
			fail_msg("%s at C = 1: %.2f voluntary switches per await, expected about 1 "
				 "(an idle wait each)", loops[i], vpa);
	}
	expect(r, "C2", "holds", "blocked epoll_wait");
	expect(r, "C5", "not measured", "fewer than 4 requests in flight");
	expect(r, "C7", "not measured", "fewer than 4 requests in flight");
}

/* No CPU work and 1 ms waits: start-up and calibration are not CPU burned while waiting. */
static void test_verdicts_no_work(void **state)
{
	static const char *const args[] = { "compare", "--models", "blocking,threads,epoll",
		"--requests", "20", "--cpu-us", "0", "--io-ms", "1", NULL };
	json_object *r;

	harness_require_root();
	r = compare(args);
	expect_no_cpu_burned(r);
	expect(r, "C5", "not measured", "W = 0");
}

/*
 * R x D = 20 ms against 400 ms of work: C7 is not judged; C8's allowance
 * is a share of D (200 us a request) and 1% of W for the noise, not 25% of W.
 */
static void test_verdicts_waits_small_against_work(void **state)
{
	static const char *const args[] = { "compare", "--models", "blocking,threads,epoll",
		"--requests", "20", "--io-ms", "1", "--cpu-us", "20000", NULL };
	json_object *r;

	harness_require_root();
	r = compare(args);
	expect(r, "C7", "not measured", "too small against the CPU work");
	expect_no_cpu_burned(r);
	if (!strstr(text(claim(r, "C8"), "numbers"), "(allowed 400 us: 20% of D + 1% of W)"))
		fail_msg("C8: %s", text(claim(r, "C8"), "numbers"));
}

/*
 * D 20 ms, W 0.5 ms, 48 in flight: the loop is busy all the time and a
 * ready reply waits for the others' work. The lag comes from the demo's
 * exact per-request times.
 */
static void test_verdicts_loop_stall(void **state)
{
	static const char *const args[] = { "compare", "--models", "epoll", "--requests", "600",
		"--concurrency", "48", "--io-ms", "20", "--cpu-us", "500", NULL };
	json_object *r;
	double wait, lag;

	harness_require_root();
	r = compare(args);
	expect(r, "C5", "holds", NULL);
	wait = num(model(r, "epoll"), "demo.wait_p50_ms");
	lag = num(r, "c5.lag_busy_ms");
	if (fabs(lag - (wait > 20 ? wait - 20 : 0)) > 1e-6)
		fail_msg("C5 lag %.3f ms is not the demo's p50 wait %.3f ms minus D", lag, wait);
	if (lag < 0.25)
		fail_msg("C5 lag %.3f ms: less than half of W with the loop busy", lag);
}

/* One gil worker: no lock waits; the main thread's join is not the lock. */
static void test_verdicts_one_worker(void **state)
{
	static const char *const args[] = { "compare", "--models", "threads,gil", "--workers",
		"1", "--requests", "20", "--io-ms", "2", "--cpu-us", "2000", NULL };
	json_object *r, *g;
	double lock, futex;

	harness_require_root();
	r = compare(args);
	g = model(r, "gil");
	lock = num(g, "lock_wait_ns");
	futex = num(g, "off_cpu.by_reason.futex");
	if (futex < 0.5 * num(g, "demo.wall_ms") * 1e6)
		fail_msg("gil: %.1f ms in futex, expected the main thread's join (wall %.1f ms)",
			 futex / 1e6, num(g, "demo.wall_ms"));
	if (lock > 0.05 * futex)
		fail_msg("gil with one worker: %.1f ms of lock waits of %.1f ms in futex",
			 lock / 1e6, futex / 1e6);
	expect(r, "C6", "not measured", "one worker");
}

/* W 3 ms, D 5 ms, N 4: at most 1.5 CPUs busy; C9's bar is 80% of what could be reached. */
static void test_verdicts_parallelism_bar(void **state)
{
	static const char *const args[] = { "compare", "--models", "threads,gil,procs",
		"--requests", "100", "--io-ms", "5", "--cpu-us", "3000", "--workers", "4", NULL };
	json_object *r;

	harness_require_root();
	r = compare(args);
	expect_holds_or_busy(r, "C6", "gil");
	expect_holds_or_busy(r, "C9", "procs");
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_verdicts_pinned_to_one_cpu),
		T(test_verdicts_one_in_flight),
		T(test_verdicts_no_work),
		T(test_verdicts_waits_small_against_work),
		T(test_verdicts_loop_stall),
		T(test_verdicts_one_worker),
		T(test_verdicts_parallelism_bar),
	};

	return cmocka_run_group_tests_name("verdicts", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0-only
/* `ksee attach` to running idler processes (tests/progs/idler.c). */
#include "harness.h"

#include <dirent.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MS	1000000LL

/*
 * Number of tasks of PID now, from /proc (-1: no such process); in *OTHER,
 * if given, a thread other than the main one (0 if none).
 */
static int scan_tasks(pid_t pid, pid_t *other)
{
	char path[64];
	struct dirent *e;
	int n = 0;
	DIR *d;

	if (other)
		*other = 0;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		if (other && atoi(e->d_name) != pid)
			*other = atoi(e->d_name);
	}
	closedir(d);
	return n;
}

static int count_tasks(pid_t pid)
{
	return scan_tasks(pid, NULL);
}

/*
 * idler with its extra thread made on SIGUSR1, which we send once ksee
 * says it is tracing: so that thread is surely created during the trace.
 */
static void test_attach_idler(void **state)
{
	const char *idler[] = { harness_prog("idler"), "30", "0", NULL };
	char pidarg[16];
	const char *args[] = { "attach", "-p", pidarg, "-d", "1", NULL };
	struct harness_proc p;
	json_object *r, *proc, *main_t, *extra;
	pid_t pid;

	harness_require_root();
	pid = harness_start(idler);
	snprintf(pidarg, sizeof(pidarg), "%d", pid);
	harness_msleep(100);
	harness_expect_eq("idler tasks before attach", count_tasks(pid), 1);

	harness_spawn(&p, NULL, 1, args);
	harness_wait_stderr(&p, "ksee: tracing", HARNESS_TIMEOUT_S);
	harness_msleep(100);
	kill(pid, SIGUSR1);
	harness_expect_eq("ksee status", harness_wait(&p, HARNESS_TIMEOUT_S), 0);
	harness_expect_eq("idler tasks after the trace", count_tasks(pid), 2);

	r = harness_json(&p);
	assert_string_equal(json_object_get_string(harness_get(r, "mode")), "attach");
	/* -d 1: one second of trace, give or take start-up and the poll period. */
	harness_expect_range("wall_ns", harness_int(r, "wall_ns"), 900 * MS, 3000 * MS);
	proc = harness_process(r, pid);
	assert_true(harness_int(proc, "alive"));

	main_t = harness_thread(proc, pid);
	assert_non_null(main_t);
	assert_true(harness_int(main_t, "adopted"));
	/* /proc: about 100 sleeps of 10 ms per second. */
	harness_expect_range("main voluntary", harness_int(main_t, "voluntary"), 50, 150);
	harness_expect_range("main off_cpu.by_reason.sleep",
			     harness_int(main_t, "off_cpu.by_reason.sleep"), 500 * MS, 3000 * MS);
	/*
	 * No --syscalls: each sleep in nanosleep is a blocked call, the one it
	 * was in when adopted too (not a switch ksee saw), and the family's
	 * time is the reason's time, the sleep in progress at the end included.
	 */
	harness_expect_range("main syscalls.sleep.blocked_calls",
			     harness_int(main_t, "syscalls.sleep.blocked_calls"),
			     harness_int(main_t, "voluntary") - 3, harness_int(main_t, "voluntary") + 1);
	harness_expect_eq("main syscalls.sleep.blocked_ns == off_cpu.by_reason.sleep",
			  harness_int(main_t, "syscalls.sleep.blocked_ns"),
			  harness_int(main_t, "off_cpu.by_reason.sleep"));

	extra = harness_thread_by_comm(proc, "idler-extra");
	if (!extra)
		fail_msg("the thread created during the trace is missing: %s",
			 json_object_to_json_string(harness_get(proc, "threads")));
	assert_false(harness_int(extra, "adopted"));
	assert_true(harness_int(extra, "start_ns") > 0);
	/* Created about 100 ms after tracing began: up to about 90 sleeps. */
	harness_expect_range("extra voluntary", harness_int(extra, "voluntary"), 30, 150);
	harness_expect_eq("tasks", harness_int(proc, "tasks"), 2);
	/* We started idler: we are its parent. */
	harness_expect_eq("ppid (this test's pid)", harness_int(proc, "ppid"), getpid());
	harness_proc_free(&p);
}

/*
 * A thread that spins all the time: attach -d cuts the kernel side at the
 * same instant as the report, so its on-CPU time is never above the
 * window (it was, by the time to detach, in 5 of 8 runs), nor its on- and
 * off-CPU time together.
 */
static void test_attach_window_cut(void **state)
{
	const char *spin[] = { harness_prog("kcounters"), "spin", "1", "600000", NULL };
	char pidarg[16];
	const char *args[] = { "attach", "-p", pidarg, "-d", "0.3", NULL };
	struct harness_proc p;
	json_object *r, *t;
	pid_t pid, tid;
	int i;

	harness_require_root();
	pid = harness_start(spin);
	snprintf(pidarg, sizeof(pidarg), "%d", pid);
	while (scan_tasks(pid, &tid) < 2 || !tid)
		harness_msleep(10);
	for (i = 0; i < 4; i++) {
		harness_spawn(&p, NULL, 1, args);
		harness_expect_eq("ksee status", harness_wait(&p, HARNESS_TIMEOUT_S), 0);
		r = harness_json(&p);
		harness_expect_eq("wall_ns == the window", harness_int(r, "wall_ns"), 300 * MS);
		t = harness_thread_by_comm(harness_process(r, pid), "spin0");
		assert_non_null(t);
		/* a busy machine may take the CPU from it, never give it more */
		harness_expect_range("spinner on_cpu_ns within the window",
				     harness_int(t, "on_cpu_ns"), 1, 300 * MS);
		/*
		 * Adopted when the window opened: on and off CPU fill it, no
		 * more. Less when the kernel's run-queue wait is short of the
		 * wall time (a queued task moved to another CPU is timed on
		 * its first run queue's clock, which may lag; seen: 10 ms).
		 * The kernel's clock for run-queue waits is not ksee's: its
		 * wait of a preempted task begins when its run queue's clock
		 * was last updated, before the switch ksee timestamps, and
		 * after a migration it ends on another CPU's clock; seen
		 * under load: 1.16 ms over the window for a spinner
		 * preempted a few hundred times. So 1 ms (adoption and the
		 * window's two ends) and up to 20 us per wait.
		 */
		harness_expect_range("spinner on-CPU + off-CPU",
				     harness_int(t, "on_cpu_ns") + harness_int(t, "off_cpu.total_ns"),
				     200 * MS,
				     301 * MS + 20000 * harness_int(t, "runq_latency.count"));
		harness_proc_free(&p);
	}
	kill(pid, SIGKILL);
}

/* Two pids at once: both are in the report. */
static void test_attach_two_pids(void **state)
{
	const char *idler[] = { harness_prog("idler"), "30", NULL };
	char pidarg[32];
	const char *args[] = { "attach", "-p", pidarg, "-d", "1", NULL };
	struct harness_proc p;
	json_object *r;
	pid_t a, b;

	harness_require_root();
	a = harness_start(idler);
	b = harness_start(idler);
	snprintf(pidarg, sizeof(pidarg), "%d,%d", a, b);
	harness_expect_eq("ksee status", harness_run(&p, NULL, 1, args), 0);
	r = harness_json(&p);
	harness_expect_range("a voluntary", harness_int(harness_process(r, a), "voluntary"), 50,
			     400);
	harness_expect_range("b voluntary", harness_int(harness_process(r, b), "voluntary"), 50,
			     400);
	harness_expect_eq("totals.processes", harness_int(r, "totals.processes"), 2);
	harness_proc_free(&p);
}

/* The traced process exits after 3 s: ksee stops then, not after -d 20. */
static void test_attach_target_exits(void **state)
{
	const char *idler[] = { harness_prog("idler"), "3", "0", NULL };
	char pidarg[16];
	const char *args[] = { "attach", "-p", pidarg, "-d", "20", NULL };
	struct harness_proc p;
	json_object *r, *proc;
	pid_t pid;

	harness_require_root();
	pid = harness_start(idler);
	snprintf(pidarg, sizeof(pidarg), "%d", pid);
	harness_expect_eq("ksee status", harness_run(&p, NULL, 1, args), 0);
	r = harness_json(&p);
	harness_expect_range("wall_ns", harness_int(r, "wall_ns"), 1, 5000 * MS);
	proc = harness_process(r, pid);
	assert_false(harness_int(proc, "alive"));
	harness_expect_range("voluntary", harness_int(proc, "voluntary"), 10, 400);
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_attach_idler, harness_teardown),
		cmocka_unit_test_teardown(test_attach_window_cut, harness_teardown),
		cmocka_unit_test_teardown(test_attach_two_pids, harness_teardown),
		cmocka_unit_test_teardown(test_attach_target_exits, harness_teardown),
	};

	return cmocka_run_group_tests_name("integration_attach", tests, NULL, NULL);
}

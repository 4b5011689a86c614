// SPDX-License-Identifier: GPL-2.0-only
/*
 * The traced program misbehaves (tests/progs/misbehave.c): it exits at
 * once, execs another binary, renames itself, calls setuid, closes its
 * standard streams, floods stdout. ksee's report stays right, and ksee's
 * own output (the report, its stderr lines) stays apart from the program's.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#define MS	1000000LL

static const char *const syscalls_opt[] = { "--syscalls", NULL };
#define FLOOD_LINE	"misbehave flood\n"

static void expect_one_task(json_object *r)
{
	json_object *proc = harness_main_process(r);

	harness_expect_eq("totals.processes", harness_int(r, "totals.processes"), 1);
	harness_expect_eq("tasks", harness_int(proc, "tasks"), 1);
	harness_expect_eq("alive", harness_int(proc, "alive"), 0);
}

static const char *comm_of(json_object *r)
{
	return json_object_get_string(harness_get(harness_main_process(r), "comm"));
}

static void test_misbehave_exit_at_once(void **state)
{
	const char *argv[] = { harness_prog("misbehave"), "exit", NULL };
	struct harness_proc p;
	json_object *r;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 7);
	expect_one_task(r);
	harness_expect_eq("exit.code", harness_int(r, "exit.code"), 7);
	harness_expect_eq("exit_code", harness_int(harness_main_process(r), "exit_code"), 7 << 8);
	harness_expect_range("wall_ns", harness_int(r, "wall_ns"), 1, 1000 * MS);
	harness_proc_free(&p);
}

static void test_misbehave_exec(void **state)
{
	const char *argv[] = { harness_prog("misbehave"), "exec", harness_prog("sleeper"), NULL };
	struct harness_proc p;
	json_object *r, *proc;

	harness_require_root();
	/* With the sys_exit hook: the execve's own return must not count. */
	r = harness_run_prog_opts(&p, NULL, syscalls_opt, argv, 0);
	expect_one_task(r);
	assert_string_equal(comm_of(r), "sleeper");
	proc = harness_main_process(r);
	/* The exec'd sleeper's 20 x 5 ms are all there. */
	harness_expect_eq("syscalls.sleep.calls", harness_int(proc, "syscalls.sleep.calls"), 20);
	harness_expect_slept(proc, 100 * MS, 200 * MS);
	harness_proc_free(&p);
}

static void test_misbehave_rename(void **state)
{
	const char *argv[] = { harness_prog("misbehave"), "rename", "renamed-task", NULL };
	struct harness_proc p;
	json_object *r;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	expect_one_task(r);
	/* comm is 15 characters at most. */
	assert_string_equal(comm_of(r), "renamed-task");
	assert_non_null(harness_thread_by_comm(harness_main_process(r), "renamed-task"));
	harness_proc_free(&p);
}

static void test_misbehave_setuid(void **state)
{
	const char *argv[] = { harness_prog("misbehave"), "setuid", "65534", NULL };
	struct harness_proc p;
	json_object *r, *proc;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	expect_one_task(r);
	proc = harness_main_process(r);
	/* Traced to its end across the change of credentials. */
	harness_expect_eq("syscalls.sleep.blocked_calls",
			  harness_int(proc, "syscalls.sleep.blocked_calls"), 1);
	harness_expect_slept(proc, 20 * MS, 100 * MS);
	harness_proc_free(&p);
}

/* The program closes its stdout: ksee's text report still reaches ksee's. */
static void test_misbehave_close_stdio(void **state)
{
	const char *args[] = { "run", "--no-hist", "--", harness_prog("misbehave"), "closeio", NULL };
	struct harness_proc p;

	harness_require_root();
	harness_expect_eq("status", harness_run(&p, NULL, 0, args), 0);
	if (!strstr(p.out, "ksee run: ") || !strstr(p.out, "exit code 0") ||
	    !strstr(p.out, "lost: nothing"))
		fail_msg("no report on ksee's stdout after the program closed its own:\n%s", p.out);
	if (!strstr(p.err, "ksee: tracing"))
		fail_msg("ksee's own stderr line is missing:\n%s", p.err);
	harness_proc_free(&p);
}

/* Checks that BUF is N whole flood lines and nothing else. */
static void expect_flood(const char *buf, size_t len, size_t n)
{
	size_t i, l = strlen(FLOOD_LINE);

	harness_expect_eq("flood bytes", len, n * l);
	for (i = 0; i < n; i++)
		if (memcmp(buf + i * l, FLOOD_LINE, l))
			fail_msg("flood line %zu is broken: '%.40s'", i, buf + i * l);
}

/* 20 MB on stdout: the report goes to -o intact, stdout carries only the flood. */
static void test_misbehave_flood(void **state)
{
	const char *argv[] = { harness_prog("misbehave"), "flood", "20", NULL };
	const char *text_args[] = { "run", "--no-hist", "--", harness_prog("misbehave"), "flood",
				    "4", NULL };
	size_t lines20 = 20 * (1 << 20) / strlen(FLOOD_LINE), lines4 = lines20 / 5, flood_len;
	struct harness_proc p;
	json_object *r;
	const char *report;

	harness_require_root();
	r = harness_run_prog_opts(&p, NULL, syscalls_opt, argv, 0);
	expect_one_task(r);
	expect_flood(p.out, p.out_len, lines20);
	harness_expect_range("syscalls.write.calls",
			     harness_int(harness_main_process(r), "syscalls.write.calls"), 1, 1 << 20);
	if (strstr(p.err, FLOOD_LINE))
		fail_msg("the program's stdout leaked into ksee's stderr");
	harness_proc_free(&p);

	/* Text report on the same stdout: after every line of the program, whole. */
	harness_expect_eq("text status", harness_run(&p, NULL, 0, text_args), 0);
	report = strstr(p.out, "ksee run: ");
	if (!report)
		fail_msg("no text report on stdout (%zu bytes)", p.out_len);
	flood_len = report - p.out;
	expect_flood(p.out, flood_len, lines4);
	if (strstr(report, FLOOD_LINE))
		fail_msg("program output inside ksee's report");
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_misbehave_exit_at_once, harness_teardown),
		cmocka_unit_test_teardown(test_misbehave_exec, harness_teardown),
		cmocka_unit_test_teardown(test_misbehave_rename, harness_teardown),
		cmocka_unit_test_teardown(test_misbehave_setuid, harness_teardown),
		cmocka_unit_test_teardown(test_misbehave_close_stdio, harness_teardown),
		cmocka_unit_test_teardown(test_misbehave_flood, harness_teardown),
	};

	return cmocka_run_group_tests_name("integration_misbehave", tests, NULL, NULL);
}

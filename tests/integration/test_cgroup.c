// SPDX-License-Identifier: GPL-2.0-only
/*
 * --cgroup for run and attach: every process in the cgroup is traced,
 * also one that joins it while tracing, and nothing outside it; a cgroup
 * that does not exist is refused before tracing.
 */
#include "harness.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Whether the report has the process PID. */
static int in_report(json_object *r, pid_t pid)
{
	json_object *procs = harness_get(r, "processes");
	size_t i;

	for (i = 0; procs && i < json_object_array_length(procs); i++)
		if (harness_int(json_object_array_get_idx(procs, i), "pid") == pid)
			return 1;
	return 0;
}

static void test_cgroup_attach_follows_the_cgroup(void **state)
{
	const char *ticker[] = { harness_prog("ticker"), "20", NULL };
	struct harness_proc p;
	char cg[256];
	pid_t first, later, outside;
	json_object *r;

	harness_require_root();
	harness_cgroup_make(cg, sizeof(cg));
	first = harness_start_in_cgroup(cg, ticker);
	outside = harness_start(ticker);
	harness_msleep(300);
	harness_spawn(&p, NULL, 1, (const char *[]){ "attach", "--cgroup", cg, "-d", "4", NULL });
	harness_wait_stderr(&p, "(Ctrl-C to stop)", 20);
	later = harness_start_in_cgroup(cg, ticker);
	harness_expect_eq("ksee attach status", harness_wait(&p, HARNESS_TIMEOUT_S), 0);
	r = harness_json(&p);
	/* 50 ticks a second for 4 s; fewer on a busy machine */
	harness_expect_range("first voluntary", harness_int(harness_process(r, first), "voluntary"),
			     80, 205);
	/* joined within the first second, found within the next one */
	harness_expect_range("later voluntary", harness_int(harness_process(r, later), "voluntary"),
			     10, 205);
	if (in_report(r, outside))
		fail_msg("pid %d, outside the cgroup, is in the report", outside);
	harness_proc_free(&p);
	harness_expect_eq("BPF programs left behind", harness_ksee_progs_settled(), 0);
}

static void test_cgroup_run_traces_the_cgroup_too(void **state)
{
	const char *ticker[] = { harness_prog("ticker"), "20", NULL };
	const char *sleeper[] = { harness_prog("sleeper"), "100", NULL };
	struct harness_proc p;
	char cg[256];
	pid_t resident;
	json_object *r, *main_p;

	harness_require_root();
	harness_cgroup_make(cg, sizeof(cg));
	resident = harness_start_in_cgroup(cg, ticker);
	harness_msleep(300);
	r = harness_run_prog_opts(&p, NULL, (const char *[]){ "--cgroup", cg, NULL }, sleeper, 0);
	main_p = harness_main_process(r);
	harness_expect_range("sleeper voluntary", harness_int(main_p, "voluntary"), 100, 130);
	/* the command slept 100 x 5 ms: about 25 ticks of the resident meanwhile */
	harness_expect_range("resident voluntary",
			     harness_int(harness_process(r, resident), "voluntary"), 5, 60);
	harness_proc_free(&p);
}

static void test_cgroup_refused(void **state)
{
	struct harness_proc p;
	int st;

	harness_require_root();
	st = harness_run(&p, NULL, 0, (const char *[]){ "attach", "--cgroup",
			 "/sys/fs/cgroup/ksee-no-such", "-d", "1", NULL });
	harness_expect_eq("attach with a missing cgroup", st, 1);
	if (!strstr(p.err, "ksee attach: no cgroup at /sys/fs/cgroup/ksee-no-such"))
		fail_msg("stderr lacks the reason:\n%s", p.err);
	harness_proc_free(&p);
	st = harness_run(&p, NULL, 0, (const char *[]){ "run", "--cgroup", "no/such", "--",
			 "/bin/true", NULL });
	harness_expect_eq("run with a missing cgroup", st, 1);
	if (!strstr(p.err, "ksee run: no cgroup at no/such"))
		fail_msg("stderr lacks the reason:\n%s", p.err);
	harness_proc_free(&p);
	st = harness_run(&p, NULL, 0, (const char *[]){ "attach", "-d", "1", NULL });
	harness_expect_eq("attach with no target", st, 64);
	if (!strstr(p.err, "-p PID or --cgroup PATH"))
		fail_msg("stderr lacks the fix:\n%s", p.err);
	harness_proc_free(&p);
	harness_expect_eq("BPF programs left behind", harness_ksee_progs_settled(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_cgroup_attach_follows_the_cgroup, harness_teardown),
		cmocka_unit_test_teardown(test_cgroup_run_traces_the_cgroup_too, harness_teardown),
		cmocka_unit_test_teardown(test_cgroup_refused, harness_teardown),
	};

	return cmocka_run_group_tests_name("cgroup", tests, NULL, NULL);
}

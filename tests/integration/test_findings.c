// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ksee run` on programs made to show one pattern each
 * (tests/progs/findings_cases.c) and on a quiet one: each gets its
 * finding (docs/findings.md), and no warning it should not. A busy
 * machine may add cpu-saturated (other work held the CPUs) or
 * tracing-incomplete (events lost); nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "findings_check.h"

static const char *const busy[] = { "cpu-saturated", "tracing-incomplete", NULL };

static void run_case(const char *mode, const char *const *expect, const char *const *allow)
{
	const char *argv[] = { harness_prog("findings_cases"), mode, NULL };
	struct harness_proc p;
	json_object *r;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	fc_expect(mode, r, expect, allow);
	harness_proc_free(&p);
}

static void test_findings_loop_blocked(void **state)
{
	static const char *const expect[] = { "loop-blocked", NULL };

	run_case("loop-blocked", expect, busy);
}

static void test_findings_uring_punted(void **state)
{
	static const char *const expect[] = { "io-uring-punted", NULL };

	run_case("uring-punted", expect, busy);
}

static void test_findings_futile_wakeups(void **state)
{
	static const char *const expect[] = { "futile-wakeups", NULL };

	run_case("herd", expect, busy);
}

/* 5 threads, 3 of them wanting a CPU at once: contention, never serialized. */
static void test_findings_lock_contention(void **state)
{
	static const char *const expect[] = { "lock-contention", NULL };

	run_case("contend", expect, busy);
}

static void test_findings_quiet_program_no_warning(void **state)
{
	const char *argv[] = { harness_prog("sleeper"), NULL };
	static const char *const lost[] = { "tracing-incomplete", NULL };
	struct harness_proc p;
	json_object *r;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	fc_expect("sleeper", r, NULL, lost);
	harness_proc_free(&p);
}

/* A recording keeps them: `ksee report` shows the same findings, as nobody. */
static void test_findings_kept_by_report(void **state)
{
	const char *dir = harness_tmpdir();
	char rec[512], live[512], later[512], text[512], cmd[4096];
	const char *args[10];
	struct fc_found a[FC_MAX], b[FC_MAX];
	struct harness_proc p = { 0 };
	json_object *x, *y;
	char *out;
	int n, i;
	FILE *f;

	harness_require_root();
	snprintf(rec, sizeof(rec), "%s/herd.ksee", dir);
	snprintf(live, sizeof(live), "%s/live.json", dir);
	snprintf(later, sizeof(later), "%s/later.json", dir);
	snprintf(text, sizeof(text), "%s/later.txt", dir);
	args[0] = "run";
	args[1] = "--record";
	args[2] = rec;
	args[3] = "-j";
	args[4] = "-o";
	args[5] = live;
	args[6] = "--";
	args[7] = harness_prog("findings_cases");
	args[8] = "herd";
	args[9] = NULL;
	harness_expect_eq("ksee run status", harness_run(&p, NULL, 0, args), 0);
	snprintf(cmd, sizeof(cmd), "setpriv --reuid=65534 --regid=65534 --clear-groups "
		 "%s report %s -j > %s && setpriv --reuid=65534 --regid=65534 --clear-groups "
		 "%s report %s > %s", getenv("KSEE"), rec, later, getenv("KSEE"), rec, text);
	harness_expect_eq("ksee report as nobody", system(cmd), 0);
	x = json_object_from_file(live);
	y = json_object_from_file(later);
	assert_non_null(x);
	assert_non_null(y);
	n = fc_collect(x, a);
	harness_expect_eq("findings in the report", fc_collect(y, b), n);
	harness_expect_range("findings", n, 1, FC_MAX);
	for (i = 0; i < n; i++) {
		assert_string_equal(b[i].id, a[i].id);
		assert_string_equal(b[i].summary, a[i].summary);
	}
	fc_expect("herd, from the recording", y, (const char *const[]){ "futile-wakeups", NULL },
		  busy);
	f = fopen(text, "r");
	assert_non_null(f);
	out = calloc(1, 1 << 20);
	assert_non_null(out);
	n = fread(out, 1, (1 << 20) - 1, f);
	harness_expect_range("text report bytes", n, 1, (1 << 20) - 2);
	fclose(f);
	assert_non_null(strstr(out, "\nfindings (rules and thresholds: docs/findings.md)\n"));
	assert_non_null(strstr(out, "  warning futile-wakeups: "));
	free(out);
	json_object_put(x);
	json_object_put(y);
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_findings_loop_blocked, harness_teardown),
		cmocka_unit_test_teardown(test_findings_uring_punted, harness_teardown),
		cmocka_unit_test_teardown(test_findings_futile_wakeups, harness_teardown),
		cmocka_unit_test_teardown(test_findings_lock_contention, harness_teardown),
		cmocka_unit_test_teardown(test_findings_quiet_program_no_warning,
					  harness_teardown),
		cmocka_unit_test_teardown(test_findings_kept_by_report, harness_teardown),
	};

	return cmocka_run_group_tests_name("findings", tests, NULL, NULL);
}

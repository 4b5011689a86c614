// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel features missing: KSEE_DISABLE=io_uring,syscalls,irq pretends a
 * tracepoint family is absent. The report still comes out (with the
 * program's exit status), marks the family false in "features", carries
 * exactly one notice naming it (JSON "notices", text "notice:" line), and
 * leaves out what that family would have measured; the rest stays right.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#define MS	1000000LL

static const char *const families[] = { "syscalls", "io_uring", "irq" };

static int count_substr(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay += strlen(needle))
		n++;
	return n;
}

/* Is FAMILY in the comma-separated list DISABLE? */
static int disabled(const char *disable, const char *family)
{
	char buf[128], *save = NULL, *f;

	snprintf(buf, sizeof(buf), "%s", disable);
	for (f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save))
		if (!strcmp(f, family))
			return 1;
	return 0;
}

/*
 * Runs PROG with --syscalls (so that every family is asked for) and
 * KSEE_DISABLE=DISABLE ("" for none), as JSON into P and as
 * text; checks features, notices and the text's notice lines. Returns the
 * JSON report (owned by P).
 */
static json_object *run_degraded(struct harness_proc *p, const char *disable, const char *prog)
{
	char env_s[128], what[160], line[160];
	const char *env[] = { env_s, NULL };
	const char *argv[] = { harness_prog(prog), NULL };
	const char *text_args[] = { "run", "--syscalls", "--no-hist", "--", harness_prog(prog),
				    NULL };
	const char *opts[] = { "--syscalls", NULL };
	struct harness_proc tp;
	json_object *r, *notices;
	size_t i, j, n;
	int off, nfound, ndisabled = 0;

	snprintf(env_s, sizeof(env_s), "KSEE_DISABLE=%s", disable);
	r = harness_run_prog_opts(p, env, opts, argv, 0);
	harness_expect_eq("features.sched", harness_int(r, "features.sched"), 1);
	notices = harness_get(r, "notices");
	if (!notices || !json_object_is_type(notices, json_type_array))
		fail_msg("report has no notices[]");
	n = json_object_array_length(notices);

	harness_expect_eq("text report status", harness_run(&tp, env, 0, text_args), 0);
	for (i = 0; i < 3; i++) {
		off = disabled(disable, families[i]);
		ndisabled += off;
		snprintf(what, sizeof(what), "features.%s", families[i]);
		harness_expect_eq(what, harness_int(r, what), !off);
		/* Exactly one notice names the family when it is off, none when on. */
		snprintf(line, sizeof(line), "%s tracepoints unavailable (disabled by KSEE_DISABLE)",
			 families[i]);
		for (j = 0, nfound = 0; j < n; j++)
			nfound += !!strstr(json_object_get_string(json_object_array_get_idx(notices, j)),
					   line);
		snprintf(what, sizeof(what), "JSON notices about %s (KSEE_DISABLE=%s)", families[i],
			 disable);
		harness_expect_eq(what, nfound, off);
		snprintf(line, sizeof(line), "\nnotice: %s tracepoints unavailable", families[i]);
		snprintf(what, sizeof(what), "text 'notice: %s' lines (KSEE_DISABLE=%s)", families[i],
			 disable);
		harness_expect_eq(what, count_substr(tp.out, line), off);
	}
	harness_expect_eq("notices[] length", n, ndisabled);
	harness_expect_eq("text notice lines", count_substr(tp.out, "\nnotice: "), ndisabled);
	/* The notice is part of the report: on stdout, not stderr. */
	harness_expect_eq("notice lines on stderr", count_substr(tp.err, "notice:"), 0);
	if (!strstr(tp.out, "lost: nothing"))
		fail_msg("degraded text report has no 'lost: nothing' header:\n%.500s", tp.out);
	harness_proc_free(&tp);
	return r;
}

/* The control: nothing disabled, no notice, all features. */
static void test_degraded_none(void **state)
{
	struct harness_proc p;
	json_object *proc;

	harness_require_root();
	proc = harness_main_process(run_degraded(&p, "", "sleeper"));
	harness_expect_eq("syscalls.sleep.calls", harness_int(proc, "syscalls.sleep.calls"), 20);
	harness_proc_free(&p);
}

static void test_degraded_io_uring(void **state)
{
	struct harness_proc p;
	json_object *proc, *reqs;

	harness_require_root();
	proc = harness_main_process(run_degraded(&p, "io_uring", "uring_ops"));
	reqs = harness_get(proc, "io_uring_requests");
	harness_expect_eq("io_uring_requests[] without io_uring tracepoints",
			  reqs ? (int64_t)json_object_array_length(reqs) : 0, 0);
	/* The io-wq worker is still seen (sched tracepoints), so are the enters. */
	harness_expect_range("tasks", harness_int(proc, "tasks"), 2, 3);
	harness_expect_range("kernel_workers", harness_int(proc, "kernel_workers"), 1, 2);
	harness_expect_eq("io_uring_enter.calls", harness_int(proc, "io_uring_enter.calls"), 4);
	harness_expect_eq("io_uring_enter.submitted", harness_int(proc, "io_uring_enter.submitted"),
			  9);
	harness_proc_free(&p);
}

static void test_degraded_syscalls(void **state)
{
	struct harness_proc p;
	json_object *proc, *sys;

	harness_require_root();
	proc = harness_main_process(run_degraded(&p, "syscalls", "sleeper"));
	/* As without --syscalls: sleeps counted from the switches, calls unknown. */
	sys = harness_get(proc, "syscalls");
	harness_expect_eq("syscall families without syscall tracepoints",
			  sys ? json_object_object_length(sys) : -1, 1);
	harness_expect_eq("syscalls.sleep.blocked_calls",
			  harness_int(proc, "syscalls.sleep.blocked_calls"), 20);
	harness_expect_null(proc, "syscalls.sleep.calls");
	/* Reasons come from the registers saved at kernel entry, not the tracepoint. */
	harness_expect_slept(proc, 100 * MS, 200 * MS);
	/* The scheduler side is intact: 20 sleeps of 5 ms. */
	harness_expect_range("voluntary", harness_int(proc, "voluntary"), 20, 30);
	harness_expect_range("off_cpu.blocked_ns", harness_int(proc, "off_cpu.blocked_ns"),
			     100 * MS, 200 * MS);
	harness_proc_free(&p);
}

static void test_degraded_irq(void **state)
{
	struct harness_proc p;
	json_object *r, *edges, *e;
	size_t i, n;

	harness_require_root();
	r = run_degraded(&p, "irq", "irq_wake");
	/* Without irq tracepoints no wakeup can be named an interrupt's. */
	edges = harness_get(r, "wakeups");
	n = edges ? json_object_array_length(edges) : 0;
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(edges, i);
		if (!strcmp(json_object_get_string(harness_get(e, "waker_kind")), "interrupt"))
			fail_msg("an 'interrupt' wakeup edge with irq tracepoints off: %s",
				 json_object_to_json_string(e));
	}
	harness_proc_free(&p);
}

static void test_degraded_two_families(void **state)
{
	struct harness_proc p;
	json_object *proc;

	harness_require_root();
	proc = harness_main_process(run_degraded(&p, "io_uring,syscalls", "uring_ops"));
	harness_expect_null(proc, "io_uring_enter.calls");
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_degraded_none, harness_teardown),
		cmocka_unit_test_teardown(test_degraded_io_uring, harness_teardown),
		cmocka_unit_test_teardown(test_degraded_syscalls, harness_teardown),
		cmocka_unit_test_teardown(test_degraded_irq, harness_teardown),
		cmocka_unit_test_teardown(test_degraded_two_families, harness_teardown),
	};

	return cmocka_run_group_tests_name("integration_degraded", tests, NULL, NULL);
}

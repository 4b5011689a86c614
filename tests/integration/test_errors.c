// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksee's exit status and error messages, and SIGKILL of ksee: nothing of
 * it stays loaded in the kernel.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Fails unless ksee's stderr contains S. */
static void expect_stderr(struct harness_proc *p, const char *s)
{
	if (!strstr(p->err, s))
		fail_msg("ksee's stderr does not mention '%s':\n%s", s, p->err);
}

static void test_errors_exit_code(void **state)
{
	const char *argv[] = { harness_prog("exit_code"), "3", NULL };
	struct harness_proc p;
	json_object *r;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 3);
	harness_expect_eq("exit.code", harness_int(r, "exit.code"), 3);
	harness_expect_eq("exit.signal", harness_int(r, "exit.signal"), 0);
	harness_expect_eq("exit.status", harness_int(r, "exit.status"), 3);
	harness_expect_eq("process exit_code", harness_int(harness_main_process(r), "exit_code"),
			  3 << 8);
	harness_proc_free(&p);
}

static void test_errors_killed_by_signal(void **state)
{
	const char *argv[] = { harness_prog("exit_code"), "-s", "15", NULL };
	struct harness_proc p;
	json_object *r;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 128 + SIGTERM);
	harness_expect_eq("exit.signal", harness_int(r, "exit.signal"), SIGTERM);
	harness_expect_eq("exit.status", harness_int(r, "exit.status"), 128 + SIGTERM);
	harness_expect_eq("process exit_code", harness_int(harness_main_process(r), "exit_code"),
			  SIGTERM);
	harness_proc_free(&p);
}

static void test_errors_command_not_found(void **state)
{
	const char *abs[] = { "run", "--", "/nonexistent/ksee-no-such-cmd", NULL };
	const char *path[] = { "run", "--", "ksee-no-such-cmd", NULL };
	struct harness_proc p;

	harness_require_root();
	harness_expect_eq("status, absolute path", harness_run(&p, NULL, 0, abs), 127);
	expect_stderr(&p, "/nonexistent/ksee-no-such-cmd");
	harness_proc_free(&p);
	harness_expect_eq("status, PATH lookup", harness_run(&p, NULL, 0, path), 127);
	expect_stderr(&p, "ksee-no-such-cmd");
	harness_proc_free(&p);
}

static void test_errors_not_executable(void **state)
{
	char file[4096];
	const char *args[] = { "run", "--", file, NULL };
	struct harness_proc p;
	int fd;

	harness_require_root();
	snprintf(file, sizeof(file), "%s/not-executable", harness_tmpdir());
	fd = open(file, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	close(fd);
	harness_expect_eq("status", harness_run(&p, NULL, 0, args), 126);
	expect_stderr(&p, "not-executable");
	harness_proc_free(&p);
}

static void test_errors_bad_options(void **state)
{
	const char *bad_opt[] = { "run", "--no-such-option", "--", "/bin/true", NULL };
	const char *no_cmd[] = { "run", NULL };
	const char *no_pid[] = { "attach", "-d", "1", NULL };
	const char *bad_pid[] = { "attach", "-p", "abc", NULL };
	const char *bad_sub[] = { "no-such-subcommand", NULL };
	const char *const *cases[] = { bad_opt, no_cmd, no_pid, bad_pid, bad_sub };
	struct harness_proc p;
	char what[128];
	size_t i;

	harness_require_root();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "ksee %s %s: exit status", cases[i][0],
			 cases[i][1] ? cases[i][1] : "");
		harness_expect_eq(what, harness_run(&p, NULL, 0, cases[i]), 64);
		if (!p.err_len)
			fail_msg("%s: nothing on stderr", what);
		harness_proc_free(&p);
	}
}

static void test_errors_attach_no_such_pid(void **state)
{
	const char *args[] = { "attach", "-p", "999999", "-d", "1", NULL };
	struct harness_proc p;
	int status;

	harness_require_root();
	if (kill(999999, 0) == 0 || errno != ESRCH) {
		fprintf(stderr, "SKIPPED: pid 999999 exists here, so it cannot stand for a "
			"missing pid\n");
		skip();	/* the reason is printed above */
	}
	status = harness_run(&p, NULL, 0, args);
	harness_expect_range("status", status, 1, 125);
	expect_stderr(&p, "999999");
	harness_proc_free(&p);
}

/* SIGKILL ksee while it traces: the kernel must drop all of its programs. */
static void test_errors_sigkill_leaves_nothing(void **state)
{
	const char *args[] = { "run", "--", harness_prog("idler"), "30", NULL };
	struct harness_proc p;
	pid_t child;
	int left, held = 0, st;

	harness_require_root();
	left = harness_ksee_progs_settled();
	if (left)
		fail_msg("%d ksee_ BPF programs stay loaded, held by nobody, before the test "
			 "(leaked by an earlier ksee?)", left);
	harness_spawn(&p, NULL, 0, args);
	harness_wait_stderr(&p, "ksee: tracing", HARNESS_TIMEOUT_S);
	child = harness_child_of(p.pid);
	/* Not vacuous: while tracing, ksee holds its ksee_* programs. */
	harness_expect_eq("leaked ksee_ programs while tracing", harness_ksee_progs(&held), 0);
	harness_expect_range("ksee_ programs held while tracing", held, 1, 1000);
	/* The traced program must not inherit them, or it would keep them alive. */
	if (child <= 0)
		fail_msg("no child of ksee %d found in /proc", p.pid);
	harness_expect_eq("BPF fds in the traced program", harness_bpf_fds(child), 0);
	kill(p.pid, SIGKILL);
	harness_expect_eq("ksee status after SIGKILL", harness_wait(&p, 10), 128 + SIGKILL);

	harness_expect_eq("ksee_ programs left after SIGKILL", harness_ksee_progs_settled(), 0);

	/* The traced child was orphaned (to us, a subreaper): end it. */
	if (child > 0 && kill(child, SIGKILL) == 0)
		waitpid(child, &st, 0);
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_errors_exit_code, harness_teardown),
		cmocka_unit_test_teardown(test_errors_killed_by_signal, harness_teardown),
		cmocka_unit_test_teardown(test_errors_command_not_found, harness_teardown),
		cmocka_unit_test_teardown(test_errors_not_executable, harness_teardown),
		cmocka_unit_test_teardown(test_errors_bad_options, harness_teardown),
		cmocka_unit_test_teardown(test_errors_attach_no_such_pid, harness_teardown),
		cmocka_unit_test_teardown(test_errors_sigkill_leaves_nothing, harness_teardown),
	};

	return cmocka_run_group_tests_name("integration_errors", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bad input matrix: every command and option with wrong, missing, huge
 * and non-numeric values, special PIDs, bad commands and bad output paths.
 * Each row gives the exact exit status (README: 64 for bad options, 1 for
 * ksee's own errors, 126/127 for a command that cannot run) and a piece of
 * the one message on stderr; nothing goes to stdout, and when ksee refuses
 * before tracing the traced command never runs.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Placeholders in a row's arguments, replaced at run time. */
#define SELF	"@SELF"		/* the pid ksee will have (through sh -c 'exec ...') */
#define TMP	"@TMP"		/* a fresh directory */
#define NOPID	"@NOPID"	/* a pid that does not exist */

struct bad_row {
	const char *args[10];
	int status;
	const char *msg;	/* part of stderr */
};

static const struct bad_row rows[] = {
	/* commands */
	{ { NULL }, 64, "Usage: ksee COMMAND" },
	{ { "no-such-command" }, 64, "ksee: unknown command 'no-such-command'" },
	{ { "--no-such-option" }, 64, "unknown" },
	/* run */
	{ { "run" }, 64, "ksee run: no command given" },
	{ { "run", "--" }, 64, "ksee run: no command given" },
	{ { "run", "-x", "--", "/bin/true" }, 64, "ksee run: unknown option '-x'" },
	{ { "run", "--jsn", "--", "/bin/true" }, 64, "ksee run: unknown option" },
	{ { "run", "-i" }, 64, "ksee run: option '-i' needs a value" },
	{ { "run", "-i", "abc", "--", "/bin/true" }, 64, "ksee run: invalid interval 'abc'" },
	{ { "run", "-i", "0", "--", "/bin/true" }, 64, "ksee run: invalid interval '0'" },
	{ { "run", "-i", "-1", "--", "/bin/true" }, 64, "ksee run: invalid interval '-1'" },
	{ { "run", "-i", "99999999999999999999", "--", "/bin/true" }, 64,
	  "ksee run: invalid interval '99999999999999999999'" },
	{ { "run", "--threads" }, 64, "ksee run: option '--threads' needs a value" },
	{ { "run", "--threads", "x", "--", "/bin/true" }, 64, "ksee run: invalid count 'x'" },
	{ { "run", "--threads", "-5", "--", "/bin/true" }, 64, "ksee run: invalid count '-5'" },
	{ { "run", "--threads", "1000001", "--", "/bin/true" }, 64,
	  "ksee run: invalid count '1000001'" },
	{ { "run", "--edges", "99999999999999999999", "--", "/bin/true" }, 64,
	  "ksee run: invalid count" },
	{ { "run", "--edges", "1x", "--", "/bin/true" }, 64, "ksee run: invalid count '1x'" },
	{ { "run", "-o" }, 64, "ksee run: option '-o' needs a value" },
	{ { "run", "-o", "", "--", "/bin/true" }, 64, "ksee run: empty output file name" },
	{ { "run", "-o", "/nonexistent-dir/x", "--", "/bin/true" }, 1,
	  "ksee run: cannot write /nonexistent-dir/x: No such file or directory" },
	{ { "run", "-o", TMP, "--", "/bin/true" }, 1, "it is a directory" },
	{ { "run", "-o", "/sys/kernel/ksee-test", "--", "/bin/true" }, 1,
	  "ksee run: cannot write /sys/kernel/ksee-test: Permission denied" },
	{ { "run", "--", "/nonexistent/ksee-cmd" }, 127, "/nonexistent/ksee-cmd" },
	{ { "run", "--", TMP }, 126, "ksee-test-" },
	/* attach */
	{ { "attach" }, 64, "ksee attach: no process given" },
	{ { "attach", "-d", "1" }, 64, "ksee attach: no process given" },
	{ { "attach", "-p" }, 64, "ksee attach: option '-p' needs a value" },
	{ { "attach", "-p", "abc" }, 64, "ksee attach: invalid pid 'abc'" },
	{ { "attach", "-p", "12a" }, 64, "ksee attach: invalid pid '12a'" },
	{ { "attach", "-p", "0", "-d", "1" }, 64, "ksee attach: invalid pid '0'" },
	{ { "attach", "-p", "-5", "-d", "1" }, 64, "ksee attach: invalid pid '-5'" },
	{ { "attach", "-p", "4194305", "-d", "1" }, 64, "ksee attach: invalid pid '4194305'" },
	{ { "attach", "-p", "99999999999999999999" }, 64,
	  "ksee attach: invalid pid '99999999999999999999'" },
	{ { "attach", "-p", ",,", "-d", "1" }, 64, "ksee attach: invalid pid list ',,'" },
	{ { "attach", "-p", NOPID, "-d", "1" }, 1, "ksee attach: no process with pid" },
	{ { "attach", "-p", SELF, "-d", "1" }, 1, "is ksee itself" },
	{ { "attach", "-p", "1", "-d" }, 64, "ksee attach: option '-d' needs a value" },
	{ { "attach", "-p", "1", "-d", "abc" }, 64, "ksee attach: invalid duration 'abc'" },
	{ { "attach", "-p", "1", "-d", "0" }, 64, "ksee attach: invalid duration '0'" },
	{ { "attach", "-p", "1", "-d", "-1" }, 64, "ksee attach: invalid duration '-1'" },
	{ { "attach", "-p", "1", "-d", "99999999999999999999" }, 64,
	  "ksee attach: invalid duration" },
	{ { "attach", "-p", "1", "extra" }, 64, "ksee attach: unexpected argument 'extra'" },
	{ { "attach", "-p", NOPID, "-o", "/nonexistent-dir/x", "-d", "1" }, 1, "" },
	/* compare */
	{ { "compare", "--models" }, 64, "ksee compare: option '--models' needs a value" },
	{ { "compare", "--models", "bogus" }, 64, "ksee compare: unknown model 'bogus'" },
	{ { "compare", "--models", "" }, 64, "ksee compare:" },
	{ { "compare", "--requests", "0" }, 64, "ksee compare: invalid request count '0'" },
	{ { "compare", "--requests", "abc" }, 64, "ksee compare: invalid request count 'abc'" },
	{ { "compare", "--requests", "99999999999999999999" }, 64,
	  "ksee compare: invalid request count" },
	{ { "compare", "--concurrency", "0" }, 64, "ksee compare: invalid concurrency '0'" },
	{ { "compare", "--io-ms", "-1" }, 64, "ksee compare: invalid I/O delay '-1'" },
	{ { "compare", "--cpu-us", "x" }, 64, "ksee compare: invalid CPU work 'x'" },
	{ { "compare", "--workers", "0" }, 64, "ksee compare: invalid worker count '0'" },
	{ { "compare", "--workers", "100000" }, 64, "ksee compare: invalid worker count '100000'" },
	{ { "compare", "--timeout", "0" }, 64, "ksee compare: invalid timeout '0'" },
	{ { "compare", "--timeout", "abc" }, 64, "ksee compare: invalid timeout 'abc'" },
	{ { "compare", "extra" }, 64, "ksee compare: unexpected argument 'extra'" },
	{ { "compare", "-o", "/nonexistent-dir/x" }, 1,
	  "ksee compare: cannot write /nonexistent-dir/x: No such file or directory" },
};

static pid_t no_such_pid(void)
{
	pid_t pid;

	for (pid = 4194000; pid > 300000; pid--)
		if (kill(pid, 0) && errno == ESRCH)
			return pid;
	fail_msg("no free pid found");
	return -1;
}

static void test_badinput_matrix(void **state)
{
	char nopid[16], line[512], argstr[256];
	const char *tmp, *args[16], *cmd[8];
	struct harness_proc p;
	size_t i, j;
	int self, n;

	harness_require_root();
	tmp = harness_tmpdir();
	snprintf(nopid, sizeof(nopid), "%d", no_such_pid());
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		self = 0;
		argstr[0] = '\0';
		for (j = 0, n = 0; rows[i].args[j]; j++) {
			const char *a = rows[i].args[j];

			if (!strcmp(a, TMP))
				a = tmp;
			else if (!strcmp(a, NOPID))
				a = nopid;
			else if (!strcmp(a, SELF))
				self = 1, a = "$$";
			args[n++] = a;
			snprintf(argstr + strlen(argstr), sizeof(argstr) - strlen(argstr), " %s", a);
		}
		args[n] = NULL;
		if (self) {
			/* sh execs ksee, so $$ is ksee's own pid. */
			snprintf(line, sizeof(line), "exec \"$KSEE\"%s", argstr);
			cmd[0] = "/bin/sh";
			cmd[1] = "-c";
			cmd[2] = line;
			cmd[3] = NULL;
			harness_spawn_cmd(&p, NULL, cmd);
		} else {
			harness_spawn(&p, NULL, 0, args);
		}
		harness_wait(&p, HARNESS_TIMEOUT_S);
		snprintf(line, sizeof(line), "status of 'ksee%s'", argstr);
		harness_expect_eq(line, p.status, rows[i].status);
		if (!strstr(p.err, rows[i].msg))
			fail_msg("'ksee%s': stderr does not say '%s':\n%s", argstr, rows[i].msg,
				 p.err);
		/* A usage error is short: the message, a hint, or the usage itself. */
		if (rows[i].status == 64 && rows[i].args[0] && strchr(p.err, '\n') &&
		    strchr(strchr(p.err, '\n') + 1, '\n') &&
		    strchr(strchr(strchr(p.err, '\n') + 1, '\n') + 1, '\n'))
			fail_msg("'ksee%s': more than 2 lines on stderr:\n%s", argstr, p.err);
		if (rows[i].status == 64 || rows[i].status == 1)
			harness_expect_eq("bytes on stdout", p.out_len, 0);
		if (rows[i].status == 1 && strstr(p.err, "ksee: tracing"))
			fail_msg("'ksee%s' started tracing before refusing:\n%s", argstr, p.err);
		harness_proc_free(&p);
	}
	harness_expect_eq("leaked ksee_ programs", harness_ksee_progs_settled(), 0);
}

/* A refused -o never runs the command: it would run untraced for nothing. */
static void test_badinput_bad_output_runs_nothing(void **state)
{
	char mark[PATH_MAX];
	const char *args[] = { "run", "-o", "/nonexistent-dir/x", "--", "/usr/bin/touch", mark, NULL };
	struct harness_proc p;

	harness_require_root();
	snprintf(mark, sizeof(mark), "%s/ran", harness_tmpdir());
	harness_expect_eq("status", harness_run(&p, NULL, 0, args), 1);
	if (access(mark, F_OK) == 0)
		fail_msg("the command ran although ksee refused its -o");
	harness_proc_free(&p);
}

/* Without privileges: status 1 and the missing capabilities by name. */
static void test_badinput_not_root(void **state)
{
	const char *const cmds[][12] = {
		{ "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
		  getenv("KSEE"), "run", "--", "/bin/true", NULL },
		{ "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
		  getenv("KSEE"), "attach", "-p", "1", "-d", "1", NULL },
		{ "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
		  getenv("KSEE"), "compare", "--models", "epoll", NULL },
	};
	struct harness_proc p;
	size_t i;

	harness_require_root();
	if (access("/usr/bin/setpriv", X_OK))
		fail_msg("/usr/bin/setpriv missing (Debian package util-linux)");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		harness_spawn_cmd(&p, NULL, cmds[i]);
		harness_expect_eq("status as nobody", harness_wait(&p, HARNESS_TIMEOUT_S), 1);
		if (!strstr(p.err, "needs root, or the capabilities CAP_BPF and CAP_PERFMON") ||
		    !strstr(p.err, "missing: CAP_BPF CAP_PERFMON"))
			fail_msg("as nobody, ksee %s does not name the missing capabilities:\n%s",
				 cmds[i][5], p.err);
		harness_expect_eq("bytes on stdout", p.out_len, 0);
		harness_proc_free(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_badinput_matrix, harness_teardown),
		cmocka_unit_test_teardown(test_badinput_bad_output_runs_nothing, harness_teardown),
		cmocka_unit_test_teardown(test_badinput_not_root, harness_teardown),
	};

	return cmocka_run_group_tests_name("integration_badinput", tests, NULL, NULL);
}

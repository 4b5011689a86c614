// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include "cli/opts.h"
#include "output/render.h"

static char err[256];

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, cmd, ...) opts_parse(o, cmd, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), err, sizeof(err))

static void test_opts_run_defaults(void **state)
{
	struct ksee_opts o;

	assert_int_equal(PARSE(&o, &opts_run, "run", "--", "./prog", "-x"), 0);
	assert_int_equal(o.argc, 2);
	assert_string_equal(o.argv[0], "./prog");
	assert_string_equal(o.argv[1], "-x");
	assert_false(o.json);
	assert_null(o.output);
	assert_int_equal(o.threads, 20);
	assert_int_equal(o.edges, 10);
	assert_true(o.histograms);
}

static void test_opts_run_stops_at_the_command(void **state)
{
	struct ksee_opts o;

	/* options after the command belong to the command */
	assert_int_equal(PARSE(&o, &opts_run, "run", "-j", "ls", "-j", "-o", "x"), 0);
	assert_true(o.json);
	assert_null(o.output);
	assert_int_equal(o.argc, 4);
	assert_string_equal(o.argv[0], "ls");
}

static void test_opts_run_all_options(void **state)
{
	struct ksee_opts o;

	assert_int_equal(PARSE(&o, &opts_run, "run", "-j", "-o", "r.json", "-i", "0.5",
			       "--threads", "0", "--edges", "3", "--no-hist", "-v", "--no-markers",
			       "--", "p"), 0);
	assert_true(o.no_markers);
	assert_true(o.json);
	assert_string_equal(o.output, "r.json");
	assert_true(o.interval > 0.49 && o.interval < 0.51);
	assert_int_equal(o.threads, 0);
	assert_int_equal(o.edges, 3);
	assert_false(o.histograms);
	assert_true(o.verbose);
}

static void test_opts_run_needs_a_command(void **state)
{
	struct ksee_opts o;

	assert_int_equal(PARSE(&o, &opts_run, "run", "-j"), -EINVAL);
	assert_non_null(strstr(err, "no command"));
}

static void test_opts_bad_values(void **state)
{
	struct ksee_opts o;

	assert_int_equal(PARSE(&o, &opts_run, "run", "-i", "abc", "p"), -EINVAL);
	assert_non_null(strstr(err, "interval"));
	assert_int_equal(PARSE(&o, &opts_run, "run", "-i", "-1", "p"), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_run, "run", "-i", "nan", "p"), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_run, "run", "--threads", "-3", "p"), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_run, "run", "--threads", "99999999999", "p"), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_run, "run", "-o", "", "p"), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_run, "run", "--bogus", "p"), -EINVAL);
	assert_non_null(strstr(err, "unknown option"));
	assert_int_equal(PARSE(&o, &opts_run, "run", "-p", "1", "p"), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_run, "run", "-o"), -EINVAL);
	assert_non_null(strstr(err, "needs a value"));
}

static void test_opts_stacks(void **state)
{
	struct ksee_opts o;

	assert_int_equal(PARSE(&o, &opts_run, "run", "p"), 0);
	assert_false(o.stacks);
	assert_int_equal(PARSE(&o, &opts_run, "run", "--stacks", "--stacks-top", "3", "p"), 0);
	assert_true(o.stacks);
	assert_int_equal(o.stacks_top, 3);
	assert_int_equal(PARSE(&o, &opts_run, "run", "--stacks", "-o", "x.folded", "p"), 0);
	assert_int_equal(o.format, KS_FMT_FOLDED);
	assert_int_equal(PARSE(&o, &opts_attach, "attach", "-p", "1", "--stacks"), 0);
	assert_true(o.stacks);
	assert_int_equal(PARSE(&o, &opts_run, "run", "--stacks-top", "0", "p"), -EINVAL);
	assert_non_null(strstr(err, "invalid stack count '0'"));
	assert_int_equal(PARSE(&o, &opts_run, "run", "--stacks-top", "99999999999", "p"),
			 -EINVAL);
	assert_int_equal(PARSE(&o, &opts_run, "run", "--stacks-top", "-1", "p"), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_run, "run", "--format", "folded", "p"), -EINVAL);
	assert_non_null(strstr(err, "needs --stacks"));
	assert_int_equal(PARSE(&o, &opts_report, "report", "--stacks-top", "2", "f"), 0);
	assert_int_equal(PARSE(&o, &opts_report, "report", "--stacks", "f"), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--stacks"), 0);
	assert_true(o.stacks);
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--format", "folded"), -EINVAL);
	assert_non_null(strstr(err, "no folded form"));
}

static void test_opts_help(void **state)
{
	struct ksee_opts o;

	assert_int_equal(PARSE(&o, &opts_run, "run", "--help"), 1);
	assert_int_equal(PARSE(&o, &opts_attach, "attach", "-h"), 1);
}

static void test_opts_attach(void **state)
{
	struct ksee_opts o;

	assert_int_equal(PARSE(&o, &opts_attach, "attach", "-p", "12,34,12", "-d", "2.5"), 0);
	assert_int_equal(o.npids, 2);	/* a pid listed twice counts once */
	assert_int_equal(o.pids[0], 12);
	assert_int_equal(o.pids[1], 34);
	assert_true(o.duration > 2.49 && o.duration < 2.51);
}

static void test_opts_attach_bad_pids(void **state)
{
	struct ksee_opts o;

	assert_int_equal(PARSE(&o, &opts_attach, "attach"), -EINVAL);
	assert_non_null(strstr(err, "no process"));
	assert_int_equal(PARSE(&o, &opts_attach, "attach", "-p", "abc"), -EINVAL);
	assert_non_null(strstr(err, "invalid pid 'abc'"));
	assert_int_equal(PARSE(&o, &opts_attach, "attach", "-p", "0"), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_attach, "attach", "-p", "-5"), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_attach, "attach", "-p", ","), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_attach, "attach", "-p", "99999999999"), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_attach, "attach", "-p", "1", "-d", "0"), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_attach, "attach", "-p", "1", "extra"), -EINVAL);
	assert_non_null(strstr(err, "unexpected argument"));
}

/* Each command takes only its own options, and an unknown one is named, not its value. */
static void test_opts_each_command_its_own(void **state)
{
	struct ksee_opts o;

	assert_int_equal(PARSE(&o, &opts_run, "run", "--models", "epoll", "x"), -EINVAL);
	assert_string_equal(err, "unknown option '--models'");
	assert_int_equal(PARSE(&o, &opts_report, "report", "--pid", "5", "x"), -EINVAL);
	assert_string_equal(err, "unknown option '--pid'");
	assert_int_equal(PARSE(&o, &opts_report, "report", "-v", "x"), -EINVAL);
	assert_string_equal(err, "unknown option '-v'");
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "-i", "1"), -EINVAL);
	assert_string_equal(err, "unknown option '-i'");
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--timeline"), -EINVAL);
	assert_string_equal(err, "--timeline is for run, attach and compare --cmd, not the demo "
			    "models");
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--timeline", "--cmd", "a=x",
			       "--cmd", "b=y"), -EINVAL);
	assert_non_null(strstr(err, "add -o FILE.html, -o FILE.perfetto.json or --record FILE"));
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--timeline", "--cmd", "a=x",
			       "--cmd", "b=y", "-o", "x.html"), 0);
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--timeline", "--cmd", "a=x",
			       "--cmd", "b=y", "-o", "x.perfetto.json"), 0);
	assert_int_equal(o.format, KS_FMT_PERFETTO);
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--timeline", "--cmd", "a=x",
			       "--cmd", "b=y", "--record", "x.ksee"), 0);
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--cmd", "a=x", "--cmd", "b=y",
			       "--format", "perfetto"), -EINVAL);
	assert_non_null(strstr(err, "no perfetto form without --cmd and --timeline"));
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--format", "perfetto"), -EINVAL);
	assert_non_null(strstr(err, "no perfetto form"));
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--models", "epoll,pool",
			       "--requests", "7", "--threads", "3"), 0);
	assert_true(o.models[CMP_EPOLL] && o.models[CMP_POOL] && !o.models[CMP_GIL]);
	assert_int_equal(o.wl.requests, 7);
	assert_int_equal(o.threads, 3);
	assert_int_equal(PARSE(&o, &opts_report, "report", "x.ksee", "--format", "md"), 0);
	assert_string_equal(o.input, "x.ksee");
	assert_false(opts_run.traces == false || opts_report.traces);
}

/* compare --cmd / --cmds / --repeat, and diff's two recordings. */
static void test_opts_compare_cmds_and_diff(void **state)
{
	struct ksee_opts o;

	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--cmd", "a=./x 1", "--cmd",
			       "b=sleep 1", "--repeat", "3"), 0);
	assert_int_equal(o.ncmds, 2);
	assert_string_equal(o.cmds[1], "b=sleep 1");
	assert_int_equal(o.repeat, 3);
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--cmds", "f"), 0);
	assert_string_equal(o.cmds_file, "f");
	assert_int_equal(o.repeat, 1);
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--cmd", "=./x", "--cmd", "b=y"),
			 -EINVAL);
	assert_non_null(strstr(err, "empty name"));
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--cmd", "a\x01=./x", "--cmd",
			       "b=y"), -EINVAL);
	assert_non_null(strstr(err, "control characters"));
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--cmd", "a=./x"), -EINVAL);
	assert_non_null(strstr(err, "at least two"));
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--cmd", "a=x", "--cmd", "b=y",
			       "--requests", "5"), -EINVAL);
	assert_non_null(strstr(err, "for the demos"));
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--cmd", "a=x", "--cmd", "b=y",
			       "--repeat", "0"), -EINVAL);
	assert_non_null(strstr(err, "repeat count"));
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--cmd", "a=x", "--cmd", "b=y",
			       "--repeat", "2", "--record", "r.ksee"), 0);
	assert_string_equal(o.record, "r.ksee");
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--models", "epoll", "--repeat",
			       "2"), 0);
	assert_int_equal(o.repeat, 2);
	assert_int_equal(PARSE(&o, &opts_compare, "compare", "--repeat", "2", "--record", "r"),
			 0);
	assert_int_equal(PARSE(&o, &opts_diff, "diff", "a.ksee", "b.ksee", "-j"), 0);
	assert_string_equal(o.input, "a.ksee");
	assert_string_equal(o.input2, "b.ksee");
	assert_true(o.json);
	assert_int_equal(PARSE(&o, &opts_diff, "diff", "a.ksee"), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_diff, "diff", "a", "b", "c"), -EINVAL);
	assert_int_equal(PARSE(&o, &opts_diff, "diff", "a", "b", "--format", "perfetto"),
			 -EINVAL);
	assert_false(opts_diff.traces);
}

static void test_opts_parse_uint(void **state)
{
	unsigned long v;

	assert_int_equal(opts_parse_uint("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(opts_parse_uint("101", 0, 100, &v), -EINVAL);
	assert_int_equal(opts_parse_uint("4x", 0, 100, &v), -EINVAL);
	assert_int_equal(opts_parse_uint("", 0, 100, &v), -EINVAL);
	assert_int_equal(opts_parse_uint("+4", 0, 100, &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opts_run_defaults),
		cmocka_unit_test(test_opts_compare_cmds_and_diff),
		cmocka_unit_test(test_opts_run_stops_at_the_command),
		cmocka_unit_test(test_opts_run_all_options),
		cmocka_unit_test(test_opts_run_needs_a_command),
		cmocka_unit_test(test_opts_bad_values),
		cmocka_unit_test(test_opts_stacks),
		cmocka_unit_test(test_opts_help),
		cmocka_unit_test(test_opts_attach),
		cmocka_unit_test(test_opts_attach_bad_pids),
		cmocka_unit_test(test_opts_each_command_its_own),
		cmocka_unit_test(test_opts_parse_uint),
	};

	return cmocka_run_group_tests_name("opts", tests, NULL, NULL);
}

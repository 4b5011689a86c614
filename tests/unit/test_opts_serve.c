// SPDX-License-Identifier: GPL-2.0-only
/* Options of `ksee serve`: defaults, targets, the listen address, bad values. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include "cli/opts_serve.h"

static char err[256];

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, ...) serve_opts_parse(o, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), err, sizeof(err))

static void test_opts_serve_defaults(void **state)
{
	struct serve_opts o;

	assert_int_equal(PARSE(&o, "serve", "-p", "12,34"), 0);
	assert_string_equal(o.host, "127.0.0.1");
	assert_string_equal(o.port, "9464");
	assert_int_equal(o.npids, 2);
	assert_int_equal(o.pids[0], 12);
	assert_int_equal(o.pids[1], 34);
	assert_null(o.comm);
	assert_null(o.cgroup);
	assert_false(o.per_thread);
	assert_int_equal(o.max_threads, 100);
	assert_true(o.grace_s == 120);
	assert_false(o.bpf_stats);
}

static void test_opts_serve_all(void **state)
{
	struct serve_opts o;

	assert_int_equal(PARSE(&o, "serve", "--comm", "python3", "--cgroup", "system.slice/x",
			       "--listen", "[::1]:9100", "--per-thread", "--max-threads", "7",
			       "--grace", "2.5", "--bpf-stats", "--syscalls", "-v"), 0);
	assert_string_equal(o.comm, "python3");
	assert_string_equal(o.cgroup, "system.slice/x");
	assert_string_equal(o.host, "::1");
	assert_string_equal(o.port, "9100");
	assert_true(o.per_thread);
	assert_int_equal(o.max_threads, 7);
	assert_true(o.grace_s == 2.5);
	assert_true(o.bpf_stats && o.syscalls && o.verbose);
	assert_int_equal(PARSE(&o, "serve", "-h"), 1);
}

static void test_opts_serve_listen(void **state)
{
	char host[64], port[8], big[80];

#define LISTEN(s) serve_parse_listen(s, host, sizeof(host), port, sizeof(port), err, sizeof(err))
	assert_int_equal(LISTEN("0.0.0.0:80"), 0);
	assert_string_equal(host, "0.0.0.0");
	assert_string_equal(port, "80");
	assert_int_equal(LISTEN("localhost:9464"), 0);
	assert_string_equal(host, "localhost");
	assert_int_equal(LISTEN(":9464"), -EINVAL);
	assert_non_null(strstr(err, "the address is missing"));
	assert_int_equal(LISTEN("127.0.0.1"), -EINVAL);
	assert_int_equal(LISTEN("127.0.0.1:0"), -EINVAL);
	assert_int_equal(LISTEN("127.0.0.1:65536"), -EINVAL);
	assert_int_equal(LISTEN("127.0.0.1:http"), -EINVAL);
	assert_int_equal(LISTEN("::1:9464"), -EINVAL);	/* IPv6 needs brackets */
	assert_int_equal(LISTEN("[::1]9464"), -EINVAL);
	assert_int_equal(LISTEN("[]:9464"), -EINVAL);
	memset(big, 'h', sizeof(big) - 3);
	memcpy(big + sizeof(big) - 3, ":1", 3);
	assert_int_equal(LISTEN(big), -EINVAL);	/* longer than the buffer */
#undef LISTEN
}

static void test_opts_serve_bad(void **state)
{
	struct serve_opts o;

	assert_int_equal(PARSE(&o, "serve"), -EINVAL);
	assert_non_null(strstr(err, "nothing to trace"));
	assert_int_equal(PARSE(&o, "serve", "-p", "x"), -EINVAL);
	assert_int_equal(PARSE(&o, "serve", "-p"), -EINVAL);
	assert_non_null(strstr(err, "needs a value"));
	assert_int_equal(PARSE(&o, "serve", "--comm", "a-name-of-16-chr"), -EINVAL);
	assert_int_equal(PARSE(&o, "serve", "--comm", ""), -EINVAL);
	assert_int_equal(PARSE(&o, "serve", "--cgroup", ""), -EINVAL);
	assert_int_equal(PARSE(&o, "serve", "-p", "1", "--max-threads", "0"), -EINVAL);
	assert_int_equal(PARSE(&o, "serve", "-p", "1", "--grace", "-1"), -EINVAL);
	assert_int_equal(PARSE(&o, "serve", "-p", "1", "--bogus"), -EINVAL);
	assert_non_null(strstr(err, "unknown option '--bogus'"));
	assert_int_equal(PARSE(&o, "serve", "-p", "1", "extra"), -EINVAL);
	assert_non_null(strstr(err, "unexpected argument 'extra'"));
}

/* --cgroup of run and attach (the shared option table) */
static void test_opts_cgroup_for_run_and_attach(void **state)
{
	struct ksee_opts o;
	char *run[] = { "run", "--cgroup", "system.slice/x.service", "--", "/bin/true", NULL };
	char *attach[] = { "attach", "--cgroup", "/sys/fs/cgroup/x", "-d", "2", NULL };
	char *attach_none[] = { "attach", "-d", "2", NULL };
	char *empty[] = { "run", "--cgroup", "", "--", "/bin/true", NULL };

	assert_int_equal(opts_parse(&o, &opts_run, 5, run, err, sizeof(err)), 0);
	assert_string_equal(o.cgroup, "system.slice/x.service");
	assert_int_equal(o.argc, 1);
	assert_int_equal(opts_parse(&o, &opts_attach, 5, attach, err, sizeof(err)), 0);
	assert_string_equal(o.cgroup, "/sys/fs/cgroup/x");
	assert_int_equal(o.npids, 0);
	assert_int_equal(opts_parse(&o, &opts_attach, 3, attach_none, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "-p PID or --cgroup PATH"));
	assert_int_equal(opts_parse(&o, &opts_run, 5, empty, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "the path is empty"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opts_serve_defaults),
		cmocka_unit_test(test_opts_serve_all),
		cmocka_unit_test(test_opts_serve_listen),
		cmocka_unit_test(test_opts_serve_bad),
		cmocka_unit_test(test_opts_cgroup_for_run_and_attach),
	};

	return cmocka_run_group_tests_name("opts_serve", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs the fuzzers for a bounded time: the recording reader's for
 * $KSEE_FUZZ_SECONDS (20 by default) from a corpus seeded with a good
 * recording, the timeline spool reader's for half that from a few good
 * events. Fails on any crash, leak or hang.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>
#include "ksee.h"

/* Runs @fuzzer ($@env) for @secs on the corpus in @dir; fails on what it finds. */
static void run_fuzzer(const char *env, const char *dir, long secs)
{
	const char *fuzzer = getenv(env);
	char cmd[8192];
	int ret;

	snprintf(cmd, sizeof(cmd), "%s -max_total_time=%ld -timeout=10 -rss_limit_mb=2048 "
		 "-artifact_prefix=%s/ -print_final_stats=1 %s 2>&1 | tail -15", fuzzer, secs, dir,
		 dir);
	ret = system(cmd);
	snprintf(cmd, sizeof(cmd), "ls %s/crash-* %s/leak-* %s/timeout-* 2>/dev/null", dir, dir,
		 dir);
	if (system(cmd) == 0)
		fail_msg("%s found inputs that break a reader or a renderer: in %s", fuzzer, dir);
	assert_int_equal(ret, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ret = system(cmd);
	(void)ret;
}

static long seconds(void)
{
	const char *secs = getenv("KSEE_FUZZ_SECONDS");
	long s = secs ? atol(secs) : 20;

	return s > 0 ? s : 20;
}

static void need(const char *env)
{
	const char *path = getenv(env);

	if (!path || access(path, X_OK)) {
		fprintf(stderr, "SKIPPED: $%s unset or missing (the fuzzer was not built): run "
			"it through 'make test'\n", env);
		skip();	/* the reason is printed above */
	}
}

static void test_fuzz_recording_reader(void **state)
{
	char dir[] = "/tmp/ksee-fuzz-XXXXXX", cmd[8192];

	need("KSEE_FUZZER");
	need("KSEE_FUZZ_SEEDER");
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "KSEE_FUZZ_CORPUS=%s %s >/dev/null 2>&1", dir,
		 getenv("KSEE_FUZZ_SEEDER"));
	assert_int_equal(system(cmd), 0);
	run_fuzzer("KSEE_FUZZER", dir, seconds());
}

/* A thread created, run, blocked, woken and dead, and its creator: a spool's worth. */
static void test_fuzz_spool_reader(void **state)
{
	static const struct ksee_event seed[] = {
		{ .ts_ns = 1000, .tid = 10, .tgid = 10, .type = KSEE_EV_RUN },
		{ .ts_ns = 2000, .tid = 11, .tgid = 10, .arg = 10, .type = KSEE_EV_NEW },
		{ .ts_ns = 3000, .tid = 10, .tgid = 10, .arg = 1, .type = KSEE_EV_BLOCK },
		{ .ts_ns = 4000, .tid = 11, .tgid = 10, .type = KSEE_EV_RUN, .cpu = 1 },
		{ .ts_ns = 5000, .tid = 10, .tgid = 10, .arg = 11, .arg2 = 10, .type = KSEE_EV_WAKE },
		{ .ts_ns = 6000, .tid = 11, .tgid = 10, .type = KSEE_EV_PREEMPT, .cpu = 1 },
		{ .ts_ns = 7000, .tid = 10, .tgid = 10, .type = KSEE_EV_RUN },
		{ .ts_ns = 8000, .tid = 11, .tgid = 10, .type = KSEE_EV_EXIT },
	};
	char dir[] = "/tmp/ksee-fuzz-XXXXXX", path[64];
	FILE *f;

	need("KSEE_FUZZER_SPOOL");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/seed", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(seed, sizeof(seed), 1, f), 1);
	assert_int_equal(fclose(f), 0);
	run_fuzzer("KSEE_FUZZER_SPOOL", dir, seconds() / 2 ? seconds() / 2 : 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fuzz_recording_reader),
		cmocka_unit_test(test_fuzz_spool_reader),
	};

	return cmocka_run_group_tests_name("fuzz", tests, NULL, NULL);
}

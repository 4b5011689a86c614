// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs the recording fuzzer for a bounded time ($KSEE_FUZZ_SECONDS, 20 by
 * default) from a corpus seeded with a good recording; fails on any crash.
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

static void test_fuzz_recording_reader(void **state)
{
	const char *fuzzer = getenv("KSEE_FUZZER"), *seeder = getenv("KSEE_FUZZ_SEEDER");
	const char *secs = getenv("KSEE_FUZZ_SECONDS");
	char dir[] = "/tmp/ksee-fuzz-XXXXXX", cmd[8192];
	int ret;

	if (!fuzzer || !seeder || access(fuzzer, X_OK) || access(seeder, X_OK)) {
		fprintf(stderr, "SKIPPED: the fuzzer was not built ($KSEE_FUZZER, $KSEE_FUZZ_SEEDER "
			"unset or missing): run it through 'make test'\n");
		skip();	/* the reason is printed above */
	}
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "KSEE_FUZZ_CORPUS=%s %s >/dev/null 2>&1", dir, seeder);
	assert_int_equal(system(cmd), 0);
	/* -artifact_prefix keeps any crash input for the report */
	snprintf(cmd, sizeof(cmd), "%s -max_total_time=%s -timeout=10 -rss_limit_mb=2048 "
		 "-artifact_prefix=%s/ -print_final_stats=1 %s 2>&1 | tail -15", fuzzer,
		 secs ? secs : "20", dir, dir);
	ret = system(cmd);
	snprintf(cmd, sizeof(cmd), "ls %s/crash-* %s/leak-* %s/timeout-* 2>/dev/null", dir, dir,
		 dir);
	if (system(cmd) == 0)
		fail_msg("the fuzzer found inputs that break the reader or a renderer: in %s", dir);
	assert_int_equal(ret, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ret = system(cmd);
	(void)ret;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fuzz_recording_reader),
	};

	return cmocka_run_group_tests_name("fuzz", tests, NULL, NULL);
}

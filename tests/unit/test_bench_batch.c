// SPDX-License-Identifier: GPL-2.0-only
/* The benchmark workloads' batch times (bench/batch.c): marks, percentiles, summary. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include "batch.h"

static void test_batch_percentile_nearest_rank(void **state)
{
	double v[] = { 9, 1, 8, 2, 7, 3, 6, 4, 5, 10 };

	/* 10 values: p10 is the 1st smallest, p50 the 5th, p100 the largest */
	assert_true(batch_percentile(v, 10, 10) == 1);
	assert_true(batch_percentile(v, 10, 50) == 5);
	assert_true(batch_percentile(v, 10, 51) == 6);
	assert_true(batch_percentile(v, 10, 100) == 10);
	/* sorted in place */
	assert_true(v[0] == 1 && v[9] == 10);
}

static void test_batch_percentile_rank_is_exact_at_round_counts(void **state)
{
	long n = 400, i;
	double *v = malloc(n * sizeof(*v));

	assert_non_null(v);
	for (i = 0; i < n; i++)
		v[i] = n - i;	/* 400 .. 1 */
	/* p10 of 400 is the 40th smallest, not the 41st */
	assert_true(batch_percentile(v, n, 10) == 40);
	assert_true(batch_percentile(v, n, 50) == 200);
	free(v);
}

static void test_batch_percentile_small_and_empty(void **state)
{
	double one = 42, two[] = { 3, 2 };

	assert_true(batch_percentile(&one, 1, 10) == 42);
	assert_true(batch_percentile(two, 2, 10) == 2);
	assert_true(batch_percentile(two, 2, 50) == 2);
	assert_true(batch_percentile(two, 2, 90) == 3);
	assert_true(batch_percentile(NULL, 0, 10) == 0);
}

static void test_batch_mark_per_op_times(void **state)
{
	struct batch_log log = { 0 };

	assert_int_equal(batch_mark(&log, 1.0, 0), 0);	/* starts, records nothing */
	assert_int_equal(log.n, 0);
	assert_int_equal(batch_mark(&log, 1.001, 500), 0);	/* 1 ms over 500 ops */
	assert_int_equal(batch_mark(&log, 1.003, 1000), 0);	/* 2 ms over 500 ops */
	assert_int_equal(log.n, 2);
	assert_float_equal(log.per_op_ns[0], 2000, 1e-6);
	assert_float_equal(log.per_op_ns[1], 4000, 1e-6);
	batch_log_free(&log);
	assert_null(log.per_op_ns);
	assert_int_equal(log.n, 0);
}

static void test_batch_mark_skips_empty_batches(void **state)
{
	struct batch_log log = { 0 };

	batch_mark(&log, 1.0, 100);
	batch_mark(&log, 1.5, 100);	/* no operation since the last mark */
	assert_int_equal(log.n, 0);
	batch_mark(&log, 1.6, 200);	/* 0.1 s over 100 ops, from the later mark */
	assert_int_equal(log.n, 1);
	assert_float_equal(log.per_op_ns[0], 1e6, 1e-3);
	batch_log_free(&log);
}

static void test_batch_mark_grows(void **state)
{
	struct batch_log log = { 0 };
	long i;

	for (i = 0; i <= 5000; i++)
		assert_int_equal(batch_mark(&log, i * 1e-3, i * 10), 0);
	assert_int_equal(log.n, 5000);
	assert_true(log.cap >= 5000);
	assert_float_equal(log.per_op_ns[4999], 1e5, 1e-3);
	batch_log_free(&log);
}

/*
 * The case the method is for: a vCPU that runs some batches at full speed
 * and others at 60% of it. The fastest decile is the fast state's time as
 * long as at least a tenth of the batches ran fast; the median is not.
 */
static void test_batch_summarize_finds_the_fast_state(void **state)
{
	struct batch_log log = { 0 };
	struct batch_summary s;
	double t = 0;
	long i, ops = 0;

	batch_mark(&log, t, ops);
	for (i = 0; i < 400; i++) {
		/* 500 ops of 2.45 us, or 4.1 us in 3 batches of 4 */
		t += 500 * (i % 4 == 0 ? 2.45e-6 : 4.1e-6) + (i % 7) * 1e-9;
		ops += 500;
		batch_mark(&log, t, ops);
	}
	assert_int_equal(batch_summarize(&log, &s), 0);
	assert_int_equal(s.batches, 400);
	assert_in_range((long)s.fast_ns, 2450, 2451);
	assert_in_range((long)s.median_ns, 4100, 4101);
	batch_log_free(&log);
}

static void test_batch_summarize_empty_log(void **state)
{
	struct batch_log log = { 0 };
	struct batch_summary s = { .batches = 7, .fast_ns = 1 };

	assert_int_equal(batch_summarize(&log, &s), -EINVAL);
	assert_int_equal(s.batches, 0);
	assert_true(s.fast_ns == 0 && s.median_ns == 0);
	batch_mark(&log, 1.0, 10);	/* one mark: no finished batch yet */
	assert_int_equal(batch_summarize(&log, &s), -EINVAL);
	batch_log_free(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_percentile_nearest_rank),
		cmocka_unit_test(test_batch_percentile_rank_is_exact_at_round_counts),
		cmocka_unit_test(test_batch_percentile_small_and_empty),
		cmocka_unit_test(test_batch_mark_per_op_times),
		cmocka_unit_test(test_batch_mark_skips_empty_batches),
		cmocka_unit_test(test_batch_mark_grows),
		cmocka_unit_test(test_batch_summarize_finds_the_fast_state),
		cmocka_unit_test(test_batch_summarize_empty_log),
	};

	return cmocka_run_group_tests_name("bench_batch", tests, NULL, NULL);
}

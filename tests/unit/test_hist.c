// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "model/hist.h"
#include "ksee.h"

static void test_hist_slot_bounds(void **state)
{
	assert_int_equal(hist_slot_low(0), 0);
	assert_int_equal(hist_slot_high(0), 1);
	assert_int_equal(hist_slot_low(1), 2);
	assert_int_equal(hist_slot_high(1), 3);
	assert_int_equal(hist_slot_low(10), 1024);
	assert_int_equal(hist_slot_high(10), 2047);
}

static void test_hist_percentile_empty_is_zero(void **state)
{
	__u64 h[KSEE_SLOTS] = {};

	assert_int_equal(hist_percentile(h, KSEE_SLOTS, 0.5), 0);
	assert_int_equal(hist_total(h, KSEE_SLOTS), 0);
}

static void test_hist_percentile_single_bucket_interpolates(void **state)
{
	__u64 h[KSEE_SLOTS] = {};

	h[10] = 100;	/* 1024..2047 */
	assert_int_equal(hist_percentile(h, KSEE_SLOTS, 0.0), 1024);
	assert_in_range(hist_percentile(h, KSEE_SLOTS, 0.5), 1500, 1560);
	assert_int_equal(hist_percentile(h, KSEE_SLOTS, 1.0), 2047);
}

static void test_hist_percentile_picks_the_right_bucket(void **state)
{
	__u64 h[KSEE_SLOTS] = {};

	h[3] = 98;	/* 8..15 */
	h[20] = 2;	/* about 1 ms */
	assert_in_range(hist_percentile(h, KSEE_SLOTS, 0.50), 8, 15);
	assert_in_range(hist_percentile(h, KSEE_SLOTS, 0.98), 8, 15);
	assert_in_range(hist_percentile(h, KSEE_SLOTS, 0.99), 1 << 20, (1 << 21) - 1);
}

static void test_hist_add_sums_slots(void **state)
{
	__u64 a[KSEE_SLOTS] = { 1, 2, 3 }, b[KSEE_SLOTS] = { 10, 0, 5 };

	hist_add(a, b, KSEE_SLOTS);
	assert_int_equal(a[0], 11);
	assert_int_equal(a[1], 2);
	assert_int_equal(a[2], 8);
	assert_int_equal(hist_total(a, KSEE_SLOTS), 21);
}

static void test_hist_print_log2_shape(void **state)
{
	__u64 h[KSEE_SLOTS] = {};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	h[22] = 20;	/* 4194304..8388607: 5 ms sleeps */
	h[17] = 1;
	hist_print_log2(f, h, KSEE_SLOTS, "");
	fclose(f);
	/* header, then rows from the first to the last non-empty bucket */
	assert_non_null(strstr(buf, "nsecs"));
	assert_non_null(strstr(buf, "4194304 -> 8388607    : 20       |*****"));
	assert_non_null(strstr(buf, "131072 -> 262143     : 1        |**  "));
	assert_null(strstr(buf, "65536 ->"));	/* leading empty bucket left out */
	assert_null(strstr(buf, "8388608 ->"));	/* trailing empty bucket left out */
	free(buf);
}

static void test_hist_print_log2_empty(void **state)
{
	__u64 h[KSEE_SLOTS] = {};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	hist_print_log2(f, h, KSEE_SLOTS, "  ");
	fclose(f);
	assert_string_equal(buf, "  (no samples)\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hist_slot_bounds),
		cmocka_unit_test(test_hist_percentile_empty_is_zero),
		cmocka_unit_test(test_hist_percentile_single_bucket_interpolates),
		cmocka_unit_test(test_hist_percentile_picks_the_right_bucket),
		cmocka_unit_test(test_hist_add_sums_slots),
		cmocka_unit_test(test_hist_print_log2_shape),
		cmocka_unit_test(test_hist_print_log2_empty),
	};

	return cmocka_run_group_tests_name("hist", tests, NULL, NULL);
}

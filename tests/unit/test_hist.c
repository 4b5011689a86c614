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
/* The program's side, as a marked program compiles it; its block under another name. */
#define ksee_marks usdt_ksee_marks
#include "../../include/ksee/usdt.h"
#undef ksee_marks

/* The kernel side reads the program's block: one layout, one bucket count. */
_Static_assert(sizeof(struct usdt_ksee_marks) == sizeof(struct ksee_marks), "marker blocks differ");
_Static_assert(offsetof(struct usdt_ksee_marks, latency_hist) ==
	       offsetof(struct ksee_marks, latency_hist), "marker blocks differ");
_Static_assert(KSEE_MARKS_LAT_SLOTS == KSEE_BILL_SLOTS, "bill buckets differ");

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

/* Every value lies in the fine bucket the program's marker puts it in, an eighth wide. */
static void test_hist_fine_bounds_match_the_markers(void **state)
{
	unsigned long long d, step;
	unsigned int slot, prev = 0;
	int i;

	for (d = 0; d < (1ULL << 40); d += step) {
		slot = ksee_marks_lat_slot(d);
		/* the kernel side's (--markers=usdt) counts each value where the program would */
		assert_int_equal(ksee_bill_slot(d), slot);
		assert_true(slot >= prev);	/* monotonic */
		prev = slot;
		assert_in_range(slot, 0, KSEE_BILL_SLOTS - 1);
		assert_true(hist_fine_low(slot) <= d);
		assert_true(d <= hist_fine_high(slot));
		/* each bucket at most an eighth of its low end wide; the last is open */
		if (d >= 16 && slot < KSEE_BILL_SLOTS - 1)
			assert_true((hist_fine_high(slot) - hist_fine_low(slot) + 1) * 8 <=
				    hist_fine_low(slot));
		step = d < 4096 ? 1 : d / 1000 + 1;
	}
	/* the buckets tile the values: each begins right after the one before */
	for (i = 1; i < KSEE_BILL_SLOTS; i++)
		assert_int_equal(hist_fine_low(i), hist_fine_high(i - 1) + 1);
	assert_int_equal(ksee_marks_lat_slot(hist_fine_low(KSEE_BILL_SLOTS - 1)),
			 KSEE_BILL_SLOTS - 1);
	assert_int_equal(ksee_marks_lat_slot(~0ULL), KSEE_BILL_SLOTS - 1);
	assert_int_equal(ksee_bill_slot(~0ULL), KSEE_BILL_SLOTS - 1);
	assert_int_equal(ksee_bill_slot(1ULL << 40), KSEE_BILL_SLOTS - 1);
	assert_true(hist_fine_high(KSEE_BILL_SLOTS - 1) == ~0ULL);	/* open above */
}

/* Percentiles of the fine buckets: within an eighth of the true value. */
static void test_hist_fine_percentile_within_an_eighth(void **state)
{
	__u64 h[KSEE_BILL_SLOTS] = {};
	unsigned long long v, p50, p99;
	int i;

	/* 1000 latencies spread from 20 ms to 30 ms: p50 25 ms, p99 29.9 ms */
	for (i = 0; i < 1000; i++) {
		v = 20000000ULL + (unsigned long long)i * 10000ULL;
		h[ksee_marks_lat_slot(v)]++;
	}
	p50 = hist_fine_percentile(h, KSEE_BILL_SLOTS, 0.50);
	p99 = hist_fine_percentile(h, KSEE_BILL_SLOTS, 0.99);
	assert_in_range(p50, 25000000ULL * 7 / 8, 25000000ULL * 9 / 8);
	assert_in_range(p99, 29900000ULL * 7 / 8, 29900000ULL * 9 / 8);
	/* the log2 scheme could only say 16.8 to 33.6 ms */
	assert_int_equal(hist_fine_percentile(h, KSEE_BILL_SLOTS, 0.0), hist_fine_low(
		ksee_marks_lat_slot(20000000ULL)));
	/* the open last bucket gives its low end, never an invented value */
	memset(h, 0, sizeof(h));
	h[KSEE_BILL_SLOTS - 1] = 3;
	assert_int_equal(hist_fine_percentile(h, KSEE_BILL_SLOTS, 0.99),
			 hist_fine_low(KSEE_BILL_SLOTS - 1));
	memset(h, 0, sizeof(h));
	assert_int_equal(hist_fine_percentile(h, KSEE_BILL_SLOTS, 0.5), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hist_slot_bounds),
		cmocka_unit_test(test_hist_fine_bounds_match_the_markers),
		cmocka_unit_test(test_hist_fine_percentile_within_an_eighth),
		cmocka_unit_test(test_hist_percentile_empty_is_zero),
		cmocka_unit_test(test_hist_percentile_single_bucket_interpolates),
		cmocka_unit_test(test_hist_percentile_picks_the_right_bucket),
		cmocka_unit_test(test_hist_add_sums_slots),
		cmocka_unit_test(test_hist_print_log2_shape),
		cmocka_unit_test(test_hist_print_log2_empty),
	};

	return cmocka_run_group_tests_name("hist", tests, NULL, NULL);
}

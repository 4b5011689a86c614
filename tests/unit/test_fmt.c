// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "output/fmt.h"

static void test_fmt_ns_units(void **state)
{
	char b[FMT_LEN];

	assert_string_equal(fmt_ns(b, sizeof(b), 0), "0");
	assert_string_equal(fmt_ns(b, sizeof(b), 850), "850 ns");
	assert_string_equal(fmt_ns(b, sizeof(b), 12345), "12.3 us");
	assert_string_equal(fmt_ns(b, sizeof(b), 4560000), "4.56 ms");
	assert_string_equal(fmt_ns(b, sizeof(b), 1234000000), "1.234 s");
}

static void test_fmt_ns_short_three_digits(void **state)
{
	char b[FMT_LEN];

	assert_string_equal(fmt_ns_short(b, sizeof(b), 0), "0");
	assert_string_equal(fmt_ns_short(b, sizeof(b), 850), "850ns");
	assert_string_equal(fmt_ns_short(b, sizeof(b), 1000), "1.00us");
	assert_string_equal(fmt_ns_short(b, sizeof(b), 12345), "12.3us");
	assert_string_equal(fmt_ns_short(b, sizeof(b), 123456), "123us");
	assert_string_equal(fmt_ns_short(b, sizeof(b), 999499), "999us");
	assert_string_equal(fmt_ns_short(b, sizeof(b), 999500), "1.00ms");
	assert_string_equal(fmt_ns_short(b, sizeof(b), 4560000), "4.56ms");
	assert_string_equal(fmt_ns_short(b, sizeof(b), 9996000), "10.0ms");
	assert_string_equal(fmt_ns_short(b, sizeof(b), 456700000), "457ms");
	assert_string_equal(fmt_ns_short(b, sizeof(b), 1234000000), "1.23s");
	assert_string_equal(fmt_ns_short(b, sizeof(b), 1234000000000ULL), "1234s");
}

static void test_fmt_ns_short_fits_a_cell(void **state)
{
	char b[FMT_LEN];
	__u64 ns;

	for (ns = 1; ns < 100000000000000ULL; ns = ns * 3 + 1)
		assert_in_range(strlen(fmt_ns_short(b, sizeof(b), ns)), 1, 7);
}

static void test_fmt_pct(void **state)
{
	char b[FMT_LEN];

	assert_string_equal(fmt_pct(b, sizeof(b), 1, 0), "0%");
	assert_string_equal(fmt_pct(b, sizeof(b), 1, 1000), "<1%");
	assert_string_equal(fmt_pct(b, sizeof(b), 47, 100), "47%");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_ns_units),
		cmocka_unit_test(test_fmt_ns_short_three_digits),
		cmocka_unit_test(test_fmt_ns_short_fits_a_cell),
		cmocka_unit_test(test_fmt_pct),
	};

	return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0-only
/* CPUs available and free: /proc/stat and cpu.max arithmetic. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "model/cpuload.h"

static const char stat_text[] =
	"cpu  300 10 100 1000 20 0 5 7 0 0\n"
	"cpu0 100 0 50 500 10 0 2 3 0 0\n"
	"cpu1 200 10 50 500 10 0 3 4 40 0\n"
	"cpu12 1 1 1 1 1 1 1 1 0 0\n"
	"intr 12345 0 0\n"
	"ctxt 999\n";

static void test_cpuload_stat_sums_the_mask(void **state)
{
	struct ks_cpumask m;
	unsigned long long busy, total;

	memset(&m, 0, sizeof(m));
	m.bits[0] = 1;			/* cpu0 only */
	assert_int_equal(ks_cpuload_parse_stat(stat_text, &m, &busy, &total), 1);
	/* all 8 fields, less idle, iowait and steal: 100 + 50 + 2 */
	assert_int_equal(total, 665);
	assert_int_equal(busy, 152);
	m.bits[0] = 1 << 1 | 1 << 12;	/* guest time is part of user already */
	assert_int_equal(ks_cpuload_parse_stat(stat_text, &m, &busy, &total), 2);
	assert_int_equal(busy, 263 + 5);
	m.bits[0] = 1 << 5;		/* not online: no line */
	assert_int_equal(ks_cpuload_parse_stat(stat_text, &m, &busy, &total), 0);
	assert_int_equal(busy, 0);
}

static void test_cpuload_cpu_max(void **state)
{
	assert_float_equal(ks_cpuload_parse_max("max 100000\n"), 0, 1e-12);
	assert_float_equal(ks_cpuload_parse_max("150000 100000\n"), 1.5, 1e-12);
	assert_float_equal(ks_cpuload_parse_max("50000 100000"), 0.5, 1e-12);
	assert_float_equal(ks_cpuload_parse_max(""), -1, 1e-12);
	assert_float_equal(ks_cpuload_parse_max("x 100000"), -1, 1e-12);
	assert_float_equal(ks_cpuload_parse_max("100 0"), -1, 1e-12);
}

static void test_cpuload_free(void **state)
{
	/* 2 CPUs, 1 s: 1.5 s busy of which 1.1 s was the program's own: 0.4 used by others */
	assert_float_equal(ks_cpuload_free(2, 2, 1.5e9, 1.1e9, 1e9), 1.6, 1e-9);
	/* never more than the cpu.max limit */
	assert_float_equal(ks_cpuload_free(2, 1.5, 1.5e9, 1.1e9, 1e9), 1.5, 1e-9);
	/* tick rounding may make the program's own time exceed the busy time */
	assert_float_equal(ks_cpuload_free(2, 2, 1.0e9, 1.1e9, 1e9), 2, 1e-9);
	/* others used more than there was: 0, not negative */
	assert_float_equal(ks_cpuload_free(1, 1, 3e9, 0, 1e9), 0, 1e-9);
	assert_float_equal(ks_cpuload_free(0, 2, 1e9, 0, 1e9), -1, 1e-9);
	assert_float_equal(ks_cpuload_free(2, 2, 1e9, 0, 0), -1, 1e-9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpuload_stat_sums_the_mask),
		cmocka_unit_test(test_cpuload_cpu_max),
		cmocka_unit_test(test_cpuload_free),
	};

	return cmocka_run_group_tests_name("cpuload", tests, NULL, NULL);
}

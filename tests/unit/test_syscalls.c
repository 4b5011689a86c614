// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sys/syscall.h>
#include <linux/io_uring.h>
#include "model/syscalls.h"

static void test_syscalls_families(void **state)
{
	__u8 t[KSEE_MAX_SYSCALLS];

	syscalls_fill_families(t);
	assert_int_equal(t[SYS_epoll_wait], KSEE_R_EPOLL);
	assert_int_equal(t[SYS_epoll_pwait], KSEE_R_EPOLL);
	assert_int_equal(t[SYS_io_uring_enter], KSEE_R_IO_URING);
	assert_int_equal(t[SYS_futex], KSEE_R_FUTEX);
	assert_int_equal(t[SYS_read], KSEE_R_READ);
	assert_int_equal(t[SYS_recvfrom], KSEE_R_READ);
	assert_int_equal(t[SYS_accept4], KSEE_R_READ);
	assert_int_equal(t[SYS_write], KSEE_R_WRITE);
	assert_int_equal(t[SYS_ppoll], KSEE_R_POLL);
	assert_int_equal(t[SYS_clock_nanosleep], KSEE_R_SLEEP);
	assert_int_equal(t[SYS_wait4], KSEE_R_WAIT);
	assert_int_equal(t[SYS_openat], KSEE_R_OTHER);
	assert_int_equal(t[KSEE_MAX_SYSCALLS - 1], KSEE_R_OTHER);
}

static void test_syscalls_names(void **state)
{
	assert_string_equal(syscalls_family_name(KSEE_R_NONE), "none");
	assert_string_equal(syscalls_family_name(KSEE_R_IO_URING), "io_uring");
	assert_string_equal(syscalls_family_name(KSEE_R_OTHER), "other");
	assert_string_equal(syscalls_family_name(KSEE_R_NR), "?");
	assert_string_equal(syscalls_uring_op_name(IORING_OP_NOP), "NOP");
	assert_string_equal(syscalls_uring_op_name(IORING_OP_READ), "READ");
	assert_null(syscalls_uring_op_name(9999));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syscalls_families),
		cmocka_unit_test(test_syscalls_names),
	};

	return cmocka_run_group_tests_name("syscalls", tests, NULL, NULL);
}

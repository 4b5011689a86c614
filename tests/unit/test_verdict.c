// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "fixtures.h"

enum { C1, C2, C3, C4, C5, C6, C7, C8, C9 };

static struct cmp_run run;

static int setup(void **state)
{
	fx_compare_run(&run);
	return 0;
}

/* The verdict on claim @c after cmp_verdicts(). */
static const struct cmp_verdict *judge(int c)
{
	cmp_verdicts(&run);
	return &run.verdicts[c];
}

static void assert_verdict(int c, enum cmp_verdict_kind want)
{
	const struct cmp_verdict *v = judge(c);

	if (v->kind != want)
		fail_msg("%s: %s, want %s; numbers: %s; note: %s", v->id,
			 cmp_verdict_name(v->kind), cmp_verdict_name(want), v->numbers, v->note);
}

static void test_verdict_all_hold_on_fixture(void **state)
{
	char id[4];
	int c;

	cmp_verdicts(&run);
	for (c = 0; c < CMP_NCLAIMS; c++) {
		snprintf(id, sizeof(id), "C%d", c + 1);
		assert_string_equal(run.verdicts[c].id, id);
		assert_non_null(run.verdicts[c].claim);
		assert_non_null(run.verdicts[c].models);
		assert_verdict(c, CMP_HOLDS);
	}
}

static void test_verdict_names(void **state)
{
	assert_string_equal(cmp_verdict_name(CMP_HOLDS), "holds");
	assert_string_equal(cmp_verdict_name(CMP_PARTLY), "partly");
	assert_string_equal(cmp_verdict_name(CMP_DOES_NOT_HOLD), "does not hold");
	assert_string_equal(cmp_verdict_name(CMP_NOT_MEASURED), "not measured");
}

static void test_verdict_c1_counts_kernel_workers_apart(void **state)
{
	const struct cmp_verdict *v = judge(C1);

	assert_int_equal(v->kind, CMP_HOLDS);
	assert_non_null(strstr(v->numbers, "epoll 1 task"));
	assert_non_null(strstr(v->numbers, "uring 1 task + 2 kernel io-wq workers"));
	assert_non_null(strstr(v->note, "one thread of the program, 3 kernel tasks"));
}

static void test_verdict_c1_second_thread_partly_or_not(void **state)
{
	run.res[CMP_CORO].user_tasks = 2;
	assert_verdict(C1, CMP_PARTLY);
	run.res[CMP_EPOLL].user_tasks = 2;
	run.res[CMP_URING].processes = 2;
	assert_verdict(C1, CMP_DOES_NOT_HOLD);
}

static void test_verdict_c1_not_measured_when_loops_fail(void **state)
{
	const struct cmp_verdict *v;

	run.res[CMP_EPOLL].failed = true;
	run.res[CMP_CORO].ran = false;
	run.res[CMP_URING].sum.tasks = 0;
	v = judge(C1);
	assert_int_equal(v->kind, CMP_NOT_MEASURED);
	assert_non_null(strstr(v->note, "epoll failed"));
	assert_non_null(strstr(v->note, "coro did not run"));
	assert_non_null(strstr(v->note, "uring: no task traced"));
}

static void test_verdict_c1_failed_model_left_out(void **state)
{
	run.res[CMP_CORO].user_tasks = 5;
	run.res[CMP_CORO].failed = true;
	assert_verdict(C1, CMP_HOLDS);
	assert_non_null(strstr(run.verdicts[C1].note, "coro failed"));
}

static void test_verdict_c2_switches_per_await(void **state)
{
	const struct cmp_verdict *v = judge(C2);

	assert_non_null(strstr(v->numbers, "epoll 0.25"));
	assert_non_null(strstr(v->note, "epoll 10 blocked epoll_wait"));
	assert_non_null(strstr(v->note, "uring 12 blocked io_uring_enter"));
	fx_cmp_markers(&run.res[CMP_EPOLL], 30, 40);	/* 0.75 per await */
	assert_verdict(C2, CMP_PARTLY);
	fx_cmp_markers(&run.res[CMP_EPOLL], 50, 40);	/* 1.25 per await */
	assert_verdict(C2, CMP_DOES_NOT_HOLD);
}

static void test_verdict_c2_not_measured_without_markers(void **state)
{
	int m;

	for (m = CMP_EPOLL; m <= CMP_CORO; m++)
		run.res[m].sum.markers.voluntary_per_await = -1;
	assert_verdict(C2, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C2].note, "no awaits seen"));
}

static void test_verdict_c3_same_thread(void **state)
{
	assert_non_null(strstr(judge(C3)->numbers, "coro 40/40"));
	fx_cmp_markers(&run.res[CMP_URING], 12, 39);
	assert_verdict(C3, CMP_PARTLY);
	fx_cmp_markers(&run.res[CMP_EPOLL], 10, 30);
	fx_cmp_markers(&run.res[CMP_CORO], 4, 20);
	assert_verdict(C3, CMP_DOES_NOT_HOLD);
	run.res[CMP_EPOLL].ran = run.res[CMP_CORO].ran = run.res[CMP_URING].ran = false;
	assert_verdict(C3, CMP_NOT_MEASURED);
}

static void test_verdict_c4_pool_any_thread(void **state)
{
	struct cmp_result *pool = &run.res[CMP_POOL];

	assert_non_null(strstr(judge(C4)->numbers, "20/40 resumes (50.0%)"));
	fx_cmp_markers(pool, 60, 38);		/* 95% */
	assert_verdict(C4, CMP_PARTLY);
	fx_cmp_markers(pool, 60, 20);
	pool->cross_thread_wakeups = 0;		/* moved, but no wakeup between threads */
	assert_verdict(C4, CMP_PARTLY);
	fx_cmp_markers(pool, 60, 40);
	assert_verdict(C4, CMP_DOES_NOT_HOLD);
	assert_non_null(strstr(run.verdicts[C4].note, "every continuation"));
}

static void test_verdict_c4_not_measured_with_one_worker(void **state)
{
	run.res[CMP_POOL].demo.workers = 1;
	assert_verdict(C4, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C4].note, "1 worker"));
}

static void test_verdict_c5_loop_lag(void **state)
{
	run.c5.lag_busy_ms = 10;	/* W is 20 ms: less than one request's work */
	assert_verdict(C5, CMP_PARTLY);
	run.c5.lag_busy_ms = 0.1;
	assert_verdict(C5, CMP_DOES_NOT_HOLD);
	run.c5.measured = false;
	assert_verdict(C5, CMP_NOT_MEASURED);
	run.c5.measured = true;
	run.wl.cpu_us = 0;
	assert_verdict(C5, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C5].note, "W = 0"));
}

static void test_verdict_c6_gil(void **state)
{
	struct cmp_result *gil = &run.res[CMP_GIL];
	const struct cmp_verdict *v = judge(C6);

	assert_non_null(strstr(v->numbers, "gil: parallelism 1.01"));
	assert_non_null(strstr(v->numbers, "600.0 ms blocked in futex"));
	assert_non_null(strstr(v->numbers, "threads (no lock): 1.82"));
	gil->sum.parallelism = 1.3;
	assert_verdict(C6, CMP_PARTLY);
	gil->sum.parallelism = 1.9;
	assert_verdict(C6, CMP_DOES_NOT_HOLD);
}

static void test_verdict_c6_c9_not_measured_when_workload_cannot_tell(void **state)
{
	run.wl.cpu_us = 500;	/* 4 workers x 0.5 / (0.5 + 5) = 0.36 CPUs at most */
	assert_verdict(C6, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C6].note, "at most 0.36 CPUs busy"));
	assert_verdict(C9, CMP_NOT_MEASURED);
	run.wl.cpu_us = 20000;
	run.ncpus = 1;
	assert_verdict(C9, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C9].note, "one CPU"));
	assert_verdict(C6, CMP_NOT_MEASURED);
}

static void test_verdict_c7_overlap(void **state)
{
	struct cmp_result *b = &run.res[CMP_BLOCKING];

	assert_non_null(strstr(judge(C7)->numbers, "R x D = 200 ms, R x W = 800 ms"));
	run.res[CMP_EPOLL].demo.wall_ms = 950;	/* 150 ms of waiting: not overlapped */
	assert_verdict(C7, CMP_PARTLY);
	b->demo.wall_ms = 850;			/* 50 ms of waiting: not sequential */
	assert_verdict(C7, CMP_DOES_NOT_HOLD);
	run.wl.concurrency = 1;
	assert_verdict(C7, CMP_NOT_MEASURED);
	run.wl.concurrency = 8;
	b->failed = true;
	assert_verdict(C7, CMP_NOT_MEASURED);
}

static void test_verdict_c7_uses_trace_wall_without_demo_line(void **state)
{
	struct cmp_result *b = &run.res[CMP_BLOCKING];

	b->demo.parsed = false;
	b->sum.wall_ns = 900 * MS;
	assert_verdict(C7, CMP_PARTLY);
}

static void test_verdict_c8_parked(void **state)
{
	struct cmp_result *b = &run.res[CMP_BLOCKING];

	assert_non_null(strstr(judge(C8)->numbers, "parked in I/O 195 ms of R x D = 200 ms (98%)"));
	b->io_blocked_ns = 100 * MS;
	assert_verdict(C8, CMP_PARTLY);
	run.res[CMP_EPOLL].sum.on_cpu_ns = 1200 * MS;	/* spins: 1 s work + 40 ms allowed */
	assert_verdict(C8, CMP_DOES_NOT_HOLD);
	b->ran = false;
	assert_verdict(C8, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C8].note, "blocking did not run"));
}

static void test_verdict_c9_procs(void **state)
{
	struct cmp_result *p = &run.res[CMP_PROCS];

	assert_non_null(strstr(judge(C9)->numbers, "procs: parallelism 1.80 with 4 worker"));
	p->sum.parallelism = 1.3;
	assert_verdict(C9, CMP_PARTLY);
	p->sum.parallelism = 1.0;
	assert_verdict(C9, CMP_DOES_NOT_HOLD);
	p->failed = true;
	assert_verdict(C9, CMP_NOT_MEASURED);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_verdict_all_hold_on_fixture),
		T(test_verdict_names),
		T(test_verdict_c1_counts_kernel_workers_apart),
		T(test_verdict_c1_second_thread_partly_or_not),
		T(test_verdict_c1_not_measured_when_loops_fail),
		T(test_verdict_c1_failed_model_left_out),
		T(test_verdict_c2_switches_per_await),
		T(test_verdict_c2_not_measured_without_markers),
		T(test_verdict_c3_same_thread),
		T(test_verdict_c4_pool_any_thread),
		T(test_verdict_c4_not_measured_with_one_worker),
		T(test_verdict_c5_loop_lag),
		T(test_verdict_c6_gil),
		T(test_verdict_c6_c9_not_measured_when_workload_cannot_tell),
		T(test_verdict_c7_overlap),
		T(test_verdict_c7_uses_trace_wall_without_demo_line),
		T(test_verdict_c8_parked),
		T(test_verdict_c9_procs),
	};

	return cmocka_run_group_tests_name("verdict", tests, NULL, NULL);
}

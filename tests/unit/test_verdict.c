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
	for (c = 0; c < CMP_NDEMO_CLAIMS; c++) {
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

	/* every voluntary switch of the fixture's loops is a blocked loop wait */
	assert_non_null(strstr(v->numbers, "epoll 0.00, coro 0.00, uring 0.00 voluntary"));
	assert_non_null(strstr(v->note, "epoll 10 blocked epoll_wait"));
	assert_non_null(strstr(v->note, "uring 12 blocked io_uring_enter"));
	fx_cmp_markers(&run.res[CMP_EPOLL], 30, 40);	/* 10 idle waits + 20: 0.50 per await */
	assert_verdict(C2, CMP_HOLDS);
	fx_cmp_markers(&run.res[CMP_EPOLL], 31, 40);	/* 0.53 per await */
	assert_verdict(C2, CMP_PARTLY);
	fx_cmp_markers(&run.res[CMP_EPOLL], 49, 40);	/* 0.98 */
	assert_verdict(C2, CMP_PARTLY);
	fx_cmp_markers(&run.res[CMP_EPOLL], 50, 40);	/* 1.00 per await */
	assert_verdict(C2, CMP_DOES_NOT_HOLD);
}

/* C = 1: the loop sleeps in epoll_wait once per await; that is not the await's cost. */
static void test_verdict_c2_idle_loop_waits_left_out(void **state)
{
	struct cmp_result *e = &run.res[CMP_EPOLL];

	fx_cmp_markers(e, 41, 40);
	e->sum.sys[KSEE_R_EPOLL].blocked_calls = 40;
	assert_verdict(C2, CMP_HOLDS);
	assert_non_null(strstr(run.verdicts[C2].numbers, "epoll 0.03"));
	assert_non_null(strstr(run.verdicts[C2].note, "epoll 40 blocked epoll_wait"));
	/* fewer blocked waits than switches are never a negative count */
	e->sum.sys[KSEE_R_EPOLL].blocked_calls = 90;
	assert_verdict(C2, CMP_HOLDS);
	assert_non_null(strstr(run.verdicts[C2].numbers, "epoll 0.00"));
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
	assert_non_null(strstr(judge(C5)->numbers, "60.0 ms late with W = 20.0 ms"));
	assert_non_null(strstr(run.verdicts[C5].numbers, "0.05 ms without"));
	run.c5.lag_busy_ms = 10.05;	/* W is 20 ms: extra 10 ms, half of it */
	assert_verdict(C5, CMP_HOLDS);
	run.c5.lag_busy_ms = 10;	/* extra 9.95 ms; the p99 waited 140 ms */
	assert_verdict(C5, CMP_PARTLY);
	run.c5.lag_busy_ms = 0.1;
	run.c5.lag_busy_p99_ms = 10.2;	/* extra p99 10 ms: half a request's work */
	assert_verdict(C5, CMP_PARTLY);
	run.c5.lag_busy_p99_ms = 10.1;
	assert_verdict(C5, CMP_DOES_NOT_HOLD);
	run.c5.measured = false;
	assert_verdict(C5, CMP_NOT_MEASURED);
	run.c5.measured = true;
	run.wl.cpu_us = 0;
	assert_verdict(C5, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C5].note, "W = 0"));
}

static void test_verdict_c5_needs_other_tasks(void **state)
{
	run.wl.concurrency = 3;
	assert_verdict(C5, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C5].note, "fewer than 4 requests in flight"));
	run.wl.concurrency = 4;
	assert_verdict(C5, CMP_HOLDS);
}

static void test_verdict_c5_from_demo_lines(void **state)
{
	struct cmp_demo_line busy = { .parsed = true, .wait_p50_ms = 24.72, .wait_p99_ms = 31.5 };
	struct cmp_demo_line idle = { .parsed = true, .wait_p50_ms = 20.26, .wait_p99_ms = 19 };
	struct cmp_c5 c5;

	assert_true(cmp_c5_from_demo(&c5, &busy, &idle, 20));
	assert_true(c5.measured);
	assert_float_equal(c5.lag_busy_ms, 4.72, 1e-9);
	assert_float_equal(c5.lag_idle_ms, 0.26, 1e-9);
	assert_float_equal(c5.lag_busy_p99_ms, 11.5, 1e-9);
	assert_float_equal(c5.lag_idle_p99_ms, 0, 1e-9);	/* never below 0 */
	idle.wait_p50_ms = NAN;					/* an older demo */
	assert_false(cmp_c5_from_demo(&c5, &busy, &idle, 20));
	assert_false(c5.measured);
}

static void test_verdict_c6_gil(void **state)
{
	struct cmp_result *gil = &run.res[CMP_GIL];
	const struct cmp_verdict *v = judge(C6);

	assert_non_null(strstr(v->numbers, "gil: parallelism 1.01"));
	assert_non_null(strstr(v->numbers, "on 2 CPUs"));
	assert_non_null(strstr(v->numbers, "its workers blocked 600.0 ms in futex"));
	assert_non_null(strstr(v->numbers, "threads (no lock): 1.82"));
	gil->sum.parallelism = 1.15;
	assert_verdict(C6, CMP_HOLDS);
	gil->sum.parallelism = 1.16;
	assert_verdict(C6, CMP_PARTLY);
	gil->sum.parallelism = 1.49;
	assert_verdict(C6, CMP_PARTLY);
	gil->sum.parallelism = 1.5;
	assert_verdict(C6, CMP_DOES_NOT_HOLD);
}

/* The main thread's pthread_join is a futex sleep too; only the workers' count. */
static void test_verdict_c6_lock_is_the_workers_futex(void **state)
{
	struct cmp_result *gil = &run.res[CMP_GIL];

	gil->sum.blocked_ns[KSEE_R_FUTEX] = 1565 * MS;
	gil->lock_wait_ns = 0;
	assert_non_null(strstr(judge(C6)->numbers, "its workers blocked 0.0 ms in futex"));
}

static void test_verdict_result_lock_wait_leaves_main_out(void **state)
{
	struct ksee_task kt;
	struct ks_trace tr;
	struct cmp_result r;

	ks_trace_init(&tr);
	memset(&kt, 0, sizeof(kt));
	kt.st.tgid = kt.st.tid = 100;
	kt.st.flags = KSEE_TF_LEADER | KSEE_TF_EXITED;
	kt.st.blocked_ns[KSEE_R_FUTEX] = 1565 * MS;	/* pthread_join */
	assert_int_equal(ks_trace_add_task(&tr, &kt, false), 0);
	kt.st.tid = 101;
	kt.st.flags = KSEE_TF_EXITED;
	kt.st.blocked_ns[KSEE_R_FUTEX] = 7 * MS;	/* the lock */
	assert_int_equal(ks_trace_add_task(&tr, &kt, false), 0);
	tr.cpus_available = 1;
	tr.cpus_free = 0.5;
	ks_trace_finish(&tr);
	memset(&r, 0, sizeof(r));
	cmp_result_from_trace(&r, &tr);
	assert_int_equal(r.lock_wait_ns, 7 * MS);
	assert_int_equal(r.sum.blocked_ns[KSEE_R_FUTEX], 1572 * MS);
	assert_float_equal(r.cpus_available, 1, 1e-9);
	assert_float_equal(r.cpus_free, 0.5, 1e-9);
	ks_trace_free(&tr);
}

/* taskset -c 0: two CPUs online, one usable; the threads control reached 0.93. */
static void test_verdict_c6_c9_pinned_to_one_cpu(void **state)
{
	int m;

	for (m = 0; m < CMP_NDEMOS; m++)
		run.res[m].cpus_available = 1;
	run.res[CMP_THREADS].sum.parallelism = 0.93;
	run.res[CMP_PROCS].sum.parallelism = 0.99;
	assert_verdict(C6, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C6].note, "only 1 CPU usable"));
	assert_verdict(C9, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C9].note, "only 1 CPU usable"));
	assert_non_null(strstr(run.verdicts[C9].numbers, "on 1 CPU;"));
}

/* Other work left 1.2 CPUs free: the workload cannot show 1.5. */
static void test_verdict_c6_c9_busy_machine(void **state)
{
	run.res[CMP_GIL].cpus_free = 1.2;
	run.res[CMP_PROCS].cpus_free = 1.2;
	assert_verdict(C6, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C6].numbers, "1.2 of 2 CPUs free"));
	assert_non_null(strstr(run.verdicts[C6].note, "at most 1.20 CPUs busy"));
	assert_verdict(C9, CMP_NOT_MEASURED);
	run.res[CMP_PROCS].cpus_free = 1.5;
	assert_verdict(C9, CMP_HOLDS);
}

/* The lock-free control must show parallelism before C6 and C9 are judged. */
static void test_verdict_c6_c9_need_the_control(void **state)
{
	struct cmp_result *t = &run.res[CMP_THREADS];

	t->sum.parallelism = 1.29;
	assert_verdict(C6, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C6].note, "control (threads) reached only 1.29"));
	assert_verdict(C9, CMP_NOT_MEASURED);
	t->sum.parallelism = 1.3;
	assert_verdict(C6, CMP_HOLDS);
	t->ran = false;
	assert_verdict(C9, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C9].note, "threads) did not run"));
}

static void test_verdict_c6_c9_not_measured_when_workload_cannot_tell(void **state)
{
	run.wl.cpu_us = 500;	/* 4 workers x 0.5 / (0.5 + 5) = 0.36 CPUs at most */
	assert_verdict(C6, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C6].note, "at most 0.36 CPUs busy"));
	assert_verdict(C9, CMP_NOT_MEASURED);
	run.wl.cpu_us = 20000;
	run.res[CMP_PROCS].demo.workers = 1;
	assert_verdict(C9, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C9].note, "one worker"));
}

static void test_verdict_c7_overlap(void **state)
{
	struct cmp_result *b = &run.res[CMP_BLOCKING];

	/* waiting part = wall - (on-CPU - start-up): blocking 1000 - 803 = 197 ms */
	assert_non_null(strstr(judge(C7)->numbers, "R x D = 200 ms; wall minus on-CPU: "
					"blocking 197 ms, threads 0, pool 0, epoll 6"));
	b->demo.wall_ms = 983;			/* 180 ms: 90% of R x D, sequential */
	assert_verdict(C7, CMP_HOLDS);
	run.res[CMP_EPOLL].demo.wall_ms = 904;	/* 100 ms: half of R x D, overlapped */
	assert_verdict(C7, CMP_HOLDS);
	run.res[CMP_EPOLL].demo.wall_ms = 950;	/* 146 ms of waiting: not overlapped */
	assert_verdict(C7, CMP_PARTLY);
	b->demo.wall_ms = 982;			/* 179 ms */
	assert_verdict(C7, CMP_DOES_NOT_HOLD);
	b->demo.wall_ms = 850;			/* 47 ms of waiting: not sequential */
	assert_verdict(C7, CMP_DOES_NOT_HOLD);
	run.wl.concurrency = 1;
	assert_verdict(C7, CMP_NOT_MEASURED);
	run.wl.concurrency = 8;
	b->failed = true;
	assert_verdict(C7, CMP_NOT_MEASURED);
}

/* R x D small against the measured CPU work, or too few ms: not judged. */
static void test_verdict_c7_not_measured_in_the_noise(void **state)
{
	struct cmp_result *b = &run.res[CMP_BLOCKING];

	b->sum.on_cpu_ns = 1002 * MS;		/* 1000 ms served: R x D = 200 is 20% */
	b->demo.wall_ms = 1200;
	assert_verdict(C7, CMP_HOLDS);
	b->sum.on_cpu_ns = 1003 * MS;		/* 1001 ms: R x D under 20% of it */
	assert_verdict(C7, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C7].note, "too small against the CPU work"));
	fx_compare_run(&run);
	run.wl.io_ms = 1;
	run.wl.requests = 19;			/* 19 ms of waits */
	assert_verdict(C7, CMP_NOT_MEASURED);
}

static void test_verdict_c7_not_measured_on_a_busy_machine(void **state)
{
	run.res[CMP_POOL].cpus_free = 0.9;
	assert_verdict(C7, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C7].note, "0.9 CPUs free while pool ran"));
	run.res[CMP_POOL].cpus_free = 1.0;
	assert_verdict(C7, CMP_HOLDS);
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
	/* on-CPU - start-up - work: blocking 805 - 2 - 800, threads 820 - 802, epoll 806 - 802 */
	assert_non_null(strstr(run.verdicts[C8].numbers, "(allowed 1200 us: 20% of D + 1% of W): blocking 75 us, "
				"threads 450 us, epoll 100 us"));
	b->io_blocked_ns = 160 * MS;			/* 80% of R x D */
	assert_verdict(C8, CMP_HOLDS);
	b->io_blocked_ns = 159 * MS;
	assert_verdict(C8, CMP_PARTLY);
	run.res[CMP_EPOLL].sum.on_cpu_ns = 1200 * MS;	/* spins: 1 s work + 40 ms allowed */
	assert_verdict(C8, CMP_DOES_NOT_HOLD);
	run.res[CMP_EPOLL].sum.on_cpu_ns = 806 * MS;
	/* busy machine: 0.5 CPUs free; 159 ms asleep + 1 ms waiting for a CPU */
	b->cpus_free = 0.5;
	b->sum.runq_ns = 1 * MS;
	assert_verdict(C8, CMP_HOLDS);
	assert_non_null(strstr(run.verdicts[C8].note, "the machine was busy (0.5 CPUs free)"));
	b->sum.runq_ns = 0;
	assert_verdict(C8, CMP_PARTLY);
	b->cpus_free = 1.0;				/* not busy: waits for a CPU do not count */
	b->sum.runq_ns = 100 * MS;
	assert_verdict(C8, CMP_PARTLY);
	b->ran = false;
	assert_verdict(C8, CMP_NOT_MEASURED);
	assert_non_null(strstr(run.verdicts[C8].note, "blocking did not run"));
}

/* The allowance is 20% of D per request, whatever W is. */
static void test_verdict_c8_allowance_scales_with_d(void **state)
{
	struct cmp_result *t = &run.res[CMP_THREADS];

	/* 40 ms outside: 20% of R x D, + 8 ms: 1% of the 800 ms of work */
	t->sum.on_cpu_ns = 850 * MS;
	assert_verdict(C8, CMP_HOLDS);
	t->sum.on_cpu_ns = 851 * MS;
	assert_verdict(C8, CMP_PARTLY);
	assert_non_null(strstr(run.verdicts[C8].note, "more than 20% of R x D (+1% of its work)"));
	run.wl.cpu_us = 40000;			/* twice the work: 1% of it is 16 ms */
	t->demo.work_cpu_ms = 1600;
	t->sum.on_cpu_ns = 1658 * MS;		/* 2 + 1600 + 40 + 16 */
	assert_verdict(C8, CMP_HOLDS);
	t->sum.on_cpu_ns = 1659 * MS;
	assert_verdict(C8, CMP_PARTLY);
}

/* Start-up is not waiting; less than the work is never a negative number. */
static void test_verdict_c8_start_up_and_negatives(void **state)
{
	struct cmp_result *e = &run.res[CMP_EPOLL];

	e->demo.setup_cpu_ms = 250;		/* calibration: 250 ms of it */
	e->sum.on_cpu_ns = 1050 * MS;
	assert_verdict(C8, CMP_HOLDS);
	e->sum.on_cpu_ns = 700 * MS;		/* less than start-up + work */
	assert_verdict(C8, CMP_HOLDS);
	assert_non_null(strstr(run.verdicts[C8].numbers, "epoll 0 us"));
	assert_null(strstr(run.verdicts[C8].numbers, " -"));
	e->demo.work_cpu_ms = NAN;		/* an older demo */
	assert_verdict(C8, CMP_HOLDS);
	assert_non_null(strstr(run.verdicts[C8].note, "epoll did not report its CPU time"));
}

/*
 * The demo's own total CPU time is the kernel's clock, as are start-up and
 * W: taken over the trace's on-CPU time, which also holds hypervisor steal.
 */
static void test_verdict_c8_kernel_cpu_clock(void **state)
{
	struct cmp_result *t = &run.res[CMP_THREADS];

	t->sum.on_cpu_ns = 900 * MS;		/* 50 ms stolen from the virtual CPU */
	assert_verdict(C8, CMP_PARTLY);
	t->demo.cpu_ms = 850;			/* 2 + 800 + 48 allowed */
	assert_verdict(C8, CMP_HOLDS);
	assert_non_null(strstr(run.verdicts[C8].numbers, "threads 1200 us"));
	t->demo.cpu_ms = 851;
	assert_verdict(C8, CMP_PARTLY);
	t->sum.on_cpu_ns = 700 * MS;		/* the trace lower: the demo's clock still */
	assert_verdict(C8, CMP_PARTLY);
}

static void test_verdict_c8_explains_blocking_switches(void **state)
{
	struct cmp_result *b = &run.res[CMP_BLOCKING];

	b->sum.voluntary = 80;
	b->sum.sys[KSEE_R_READ].blocked_calls = 80;
	assert_non_null(strstr(judge(C8)->note, "blocking: 2.00 voluntary switches per request, "
				"2.00 of them sleeps in read: one waits for the reply"));
	b->sum.sys[KSEE_R_READ].blocked_calls = 44;	/* 1.1 per request: no note */
	assert_null(strstr(judge(C8)->note, "sleeps in read"));
}

static void test_verdict_c9_procs(void **state)
{
	struct cmp_result *p = &run.res[CMP_PROCS];

	assert_non_null(strstr(judge(C9)->numbers, "procs: parallelism 1.80 with 4 worker"));
	/* reachable: min(2 CPUs, 4 x 20 / 25, threads 1.82) = 1.82; 70% of it */
	assert_non_null(strstr(run.verdicts[C9].numbers, "reachable 1.82"));
	p->sum.parallelism = 1.28;
	assert_verdict(C9, CMP_HOLDS);
	p->sum.parallelism = 1.27;
	assert_verdict(C9, CMP_PARTLY);
	p->sum.parallelism = 1.2;
	assert_verdict(C9, CMP_PARTLY);
	p->sum.parallelism = 1.1;
	assert_verdict(C9, CMP_DOES_NOT_HOLD);
	p->sum.parallelism = 1.0;
	assert_verdict(C9, CMP_DOES_NOT_HOLD);
	p->failed = true;
	assert_verdict(C9, CMP_NOT_MEASURED);
}

/*
 * W 3 ms, D 5 ms, N 4: the workload keeps at most 1.5 CPUs busy; 70% of
 * it is 1.05, so the bar is "more than one CPU" (1.1), where procs sits
 * (1.17 to 1.20 measured).
 */
static void test_verdict_c9_bar_follows_the_workload(void **state)
{
	run.wl.cpu_us = 3000;
	run.res[CMP_PROCS].sum.parallelism = 1.37;
	assert_verdict(C9, CMP_HOLDS);
	assert_non_null(strstr(run.verdicts[C9].numbers, "reachable 1.50"));
	assert_non_null(strstr(run.verdicts[C9].numbers, "holds from 1.10"));
	run.res[CMP_PROCS].sum.parallelism = 1.17;
	assert_verdict(C9, CMP_HOLDS);
	run.res[CMP_PROCS].sum.parallelism = 1.09;
	assert_verdict(C9, CMP_DOES_NOT_HOLD);
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
		T(test_verdict_c2_idle_loop_waits_left_out),
		T(test_verdict_c2_not_measured_without_markers),
		T(test_verdict_c3_same_thread),
		T(test_verdict_c4_pool_any_thread),
		T(test_verdict_c4_not_measured_with_one_worker),
		T(test_verdict_c5_loop_lag),
		T(test_verdict_c5_needs_other_tasks),
		T(test_verdict_c5_from_demo_lines),
		T(test_verdict_c6_gil),
		T(test_verdict_c6_lock_is_the_workers_futex),
		T(test_verdict_result_lock_wait_leaves_main_out),
		T(test_verdict_c6_c9_pinned_to_one_cpu),
		T(test_verdict_c6_c9_busy_machine),
		T(test_verdict_c6_c9_need_the_control),
		T(test_verdict_c6_c9_not_measured_when_workload_cannot_tell),
		T(test_verdict_c7_overlap),
		T(test_verdict_c7_not_measured_in_the_noise),
		T(test_verdict_c7_not_measured_on_a_busy_machine),
		T(test_verdict_c7_uses_trace_wall_without_demo_line),
		T(test_verdict_c8_parked),
		T(test_verdict_c8_allowance_scales_with_d),
		T(test_verdict_c8_start_up_and_negatives),
		T(test_verdict_c8_kernel_cpu_clock),
		T(test_verdict_c8_explains_blocking_switches),
		T(test_verdict_c9_procs),
		T(test_verdict_c9_bar_follows_the_workload),
	};

	return cmocka_run_group_tests_name("verdict", tests, NULL, NULL);
}

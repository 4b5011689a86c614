// SPDX-License-Identifier: GPL-2.0-only
/* The verdicts on the real runtimes (model/verdict_runtimes.c), on fixed columns. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "fixtures.h"

/* run->verdicts[] index of each claim on the runtimes */
enum { R_C1 = CMP_NDEMO_CLAIMS, R_C2, R_C3, R_C4, R_C5, R_C5B, R_C6, R_C9, R_NM };

static struct cmp_run run;

/* A thread of a runtime's column, busiest first. */
static void add_thread(struct cmp_result *r, const char *comm, __u32 tid, double cpu_ms,
		       enum ksee_reason mostly)
{
	struct cmp_thread *t = &r->threads[r->nthreads_listed++];

	snprintf(t->comm, sizeof(t->comm), "%s", comm);
	t->tid = tid;
	t->pid = r->threads[0].tid ? r->threads[0].tid : tid;
	t->on_cpu_ns = cpu_ms * MS;
	t->blocked_ns = mostly == KSEE_R_NONE ? 0 : 10 * MS;
	t->mostly = mostly;
	if (cpu_ms >= CMP_BUSY_SHARE * r->sum.on_cpu_ns / MS)
		r->busy_threads++;
	r->threads_on_cpu++;
}

static void loop_blocked(struct cmp_result *r)
{
	struct ks_finding *f = &r->findings.list[r->findings.n++];

	f->id = "loop-blocked";
	f->severity = KS_SEV_WARNING;
	snprintf(f->summary, sizeof(f->summary), "thread 9 (python3) serves an event loop but "
		 "was blocked 121 ms in other calls");
}

/*
 * R 40, C 8, D 5 ms, W 20 ms, N 4 on 2 CPUs; every runtime ran and the
 * kernel saw what the seeds claim.
 */
static int setup(void **state)
{
	struct cmp_result *r;

	memset(&run, 0, sizeof(run));
	run.wl = (struct cmp_workload){ .requests = 40, .concurrency = 8, .io_ms = 5,
					.cpu_us = 20000, .workers = 4 };
	run.ncpus = 2;

	r = fx_cmp_model(&run, CMP_PY_ASYNCIO, 1, 820, 810);
	add_thread(r, "python3", 10, 810, KSEE_R_EPOLL);
	r->sum.sys[KSEE_R_EPOLL].blocked_calls = 10;
	r->sum.voluntary = 12;

	r = fx_cmp_model(&run, CMP_PY_ASYNCIO_BLOCKING, 1, 1000, 810);
	add_thread(r, "python3", 20, 810, KSEE_R_SLEEP);
	r->sum.sys[KSEE_R_EPOLL].blocked_calls = 11;
	r->sum.voluntary = 16;
	loop_blocked(r);

	r = fx_cmp_model(&run, CMP_PY_THREADS, 5, 830, 825);
	r->demo.workers = 4;
	r->lock_wait_ns = 700 * MS;
	for (int i = 0; i < 4; i++)
		add_thread(r, "python3", 31 + i, 200, KSEE_R_FUTEX);

	r = fx_cmp_model(&run, CMP_PY_PROCS, 5, 450, 810);
	r->processes = 5;
	r->demo.workers = 4;

	r = fx_cmp_model(&run, CMP_CS_ASYNC, 9, 450, 810);
	r->cross_thread_wakeups = 60;
	for (int i = 0; i < 4; i++)
		add_thread(r, "Threadpool work", 51 + i, 200, KSEE_R_FUTEX);

	r = fx_cmp_model(&run, CMP_GO, 6, 440, 815);
	add_thread(r, "goroutines", 61, 400, KSEE_R_FUTEX);
	add_thread(r, "goroutines", 62, 400, KSEE_R_EPOLL);

	r = fx_cmp_model(&run, CMP_NODE, 7, 830, 815);
	add_thread(r, "node", 70, 800, KSEE_R_EPOLL);
	add_thread(r, "node", 71, 6, KSEE_R_FUTEX);
	add_thread(r, "node", 72, 5, KSEE_R_FUTEX);
	add_thread(r, "libuv-worker", 73, 1, KSEE_R_FUTEX);

	run.c5_asyncio = (struct cmp_c5){ .measured = true, .lag_idle_ms = 0.05,
					  .lag_busy_ms = 60, .lag_idle_p99_ms = 0.2,
					  .lag_busy_p99_ms = 140 };
	return 0;
}

/*
 * Judge the run again; verdict @c must be @want, and its note must say
 * @note (if not NULL). Returns the verdict.
 */
static const struct cmp_verdict *expect(int c, enum cmp_verdict_kind want, const char *note)
{
	const struct cmp_verdict *v;

	cmp_verdicts(&run);
	v = &run.verdicts[c];
	if (!v->id)
		fail_msg("verdict %d not judged", c);
	if (v->kind != want || (note && !strstr(v->note, note)))
		fail_msg("%s: %s, want %s%s%s; numbers: %s; note: %s", v->id,
			 cmp_verdict_name(v->kind), cmp_verdict_name(want), note ? " saying " : "",
			 note ? note : "", v->numbers, v->note);
	return v;
}

static void test_verdict_runtimes_fixture(void **state)
{
	static const char *const ids[] = { "C1", "C2", "C3", "C4", "C5", "C5b", "C6", "C9",
					   "N:M" };
	int i;

	cmp_verdicts(&run);
	for (i = 0; i < CMP_NDEMO_CLAIMS; i++)		/* no demo asked for: not judged */
		assert_null(run.verdicts[i].id);
	for (i = 0; i < CMP_NRT_CLAIMS; i++)
		assert_string_equal(run.verdicts[R_C1 + i].id, ids[i]);
	expect(R_C1, CMP_HOLDS, NULL);
	expect(R_C2, CMP_NOT_MEASURED, "task markers");
	expect(R_C3, CMP_NOT_MEASURED, NULL);
	expect(R_C4, CMP_HOLDS, NULL);
	expect(R_C5, CMP_HOLDS, NULL);
	assert_non_null(strstr(run.verdicts[R_C5].numbers, "py-asyncio: a ready reply"));
	expect(R_C5B, CMP_HOLDS, NULL);
	expect(R_C6, CMP_HOLDS, NULL);
	assert_non_null(strstr(run.verdicts[R_C6].numbers, "700.0 ms in futex"));
	expect(R_C9, CMP_HOLDS, NULL);
	expect(R_NM, CMP_HOLDS, NULL);
	assert_string_equal(cmp_verdict_heading(&run, R_C1), "claims on the real runtimes");
	assert_null(cmp_verdict_heading(&run, R_C2));
	assert_null(cmp_verdict_heading(&run, 0));
}

/* With the demos too, both lists; a claim whose runtimes were not asked for is left out. */
static void test_verdict_runtimes_with_demos(void **state)
{
	struct cmp_run demos;
	int m;

	fx_compare_run(&demos);
	for (m = 0; m < CMP_NDEMOS; m++)
		run.res[m] = demos.res[m];
	run.c5 = demos.c5;
	run.res[CMP_GO].selected = run.res[CMP_GO].ran = false;
	cmp_verdicts(&run);
	assert_string_equal(run.verdicts[0].id, "C1");
	assert_int_equal(run.verdicts[0].kind, CMP_HOLDS);
	assert_string_equal(cmp_verdict_heading(&run, 0), "claims");
	assert_null(run.verdicts[R_NM].id);
	assert_string_equal(run.verdicts[R_C9].id, "C9");
}

/* Node's helper threads are named, grouped by name; one busy thread still holds. */
static void test_verdict_runtimes_c1_helpers(void **state)
{
	expect(R_C1, CMP_HOLDS, "node: 6 other threads: 2 x node (11.0 ms on CPU, mostly in "
	       "futex), 1 x libuv-worker (1.0 ms on CPU, mostly in futex) and 3 more");
	assert_non_null(strstr(run.verdicts[R_C1].numbers, "thread node 70 ran 98.2%"));
	/* the loop thread ran 80%: other threads ran the program's code */
	run.res[CMP_NODE].threads[0].on_cpu_ns = 650 * MS;
	run.res[CMP_NODE].threads[1].on_cpu_ns = 165 * MS;
	expect(R_C1, CMP_PARTLY, NULL);
	run.res[CMP_PY_ASYNCIO].processes = 2;
	expect(R_C1, CMP_DOES_NOT_HOLD, NULL);
}

static void test_verdict_runtimes_not_run(void **state)
{
	struct cmp_result *r = &run.res[CMP_CS_ASYNC];

	memset(r, 0, sizeof(*r));
	r->model = CMP_CS_ASYNC;
	r->selected = true;
	snprintf(r->error, sizeof(r->error), "mono not found on PATH");
	expect(R_C4, CMP_NOT_MEASURED, "cs-async not run: mono not found on PATH");
	/* C6 and C9 take their control from another lock-free column */
	expect(R_C6, CMP_HOLDS, NULL);
	r->selected = false;
	cmp_verdicts(&run);
	assert_null(run.verdicts[R_C4].id);
}

static void test_verdict_runtimes_c4(void **state)
{
	struct cmp_result *r = &run.res[CMP_CS_ASYNC];

	r->busy_threads = 1;
	expect(R_C4, CMP_PARTLY, "the work ran on one thread");
	r->cross_thread_wakeups = 10;		/* 0.25 a request */
	expect(R_C4, CMP_DOES_NOT_HOLD, NULL);
	r->busy_threads = 3;
	expect(R_C4, CMP_PARTLY, "fewer than 0.5 wakeups");
	r->cross_thread_wakeups = 20;		/* 0.5 a request: the threshold */
	expect(R_C4, CMP_HOLDS, NULL);
	run.wl.concurrency = 1;
	expect(R_C4, CMP_NOT_MEASURED, NULL);
}

static void test_verdict_runtimes_c5b(void **state)
{
	struct cmp_result *bad = &run.res[CMP_PY_ASYNCIO_BLOCKING];

	expect(R_C5B, CMP_HOLDS, "wall 1000 ms against 820 ms");
	assert_non_null(strstr(run.verdicts[R_C5B].numbers, "serves an event loop"));
	loop_blocked(&run.res[CMP_PY_ASYNCIO]);
	expect(R_C5B, CMP_PARTLY, NULL);
	run.res[CMP_PY_ASYNCIO].findings.n = 0;
	/* no finding, but the loop waited in epoll_wait: the blocking call did not show */
	bad->findings.n = 0;
	expect(R_C5B, CMP_DOES_NOT_HOLD, NULL);
	/* the loop seldom waited: busy all the time, not a loop to the kernel */
	bad->sum.sys[KSEE_R_EPOLL].blocked_calls = 3;
	expect(R_C5B, CMP_NOT_MEASURED, "seldom waited in epoll_wait");
	/* the control not asked for: judged alone */
	loop_blocked(bad);
	run.res[CMP_PY_ASYNCIO].selected = false;
	expect(R_C5B, CMP_HOLDS, NULL);
	assert_null(strstr(run.verdicts[R_C5B].numbers, "py-asyncio:"));
}

static void test_verdict_runtimes_c6_c9(void **state)
{
	run.res[CMP_PY_THREADS].sum.parallelism = 1.3;
	expect(R_C6, CMP_PARTLY, NULL);
	run.res[CMP_PY_THREADS].sum.parallelism = 1.8;
	expect(R_C6, CMP_DOES_NOT_HOLD, NULL);
	/* the control: the best lock-free column but the one judged */
	assert_non_null(strstr(run.verdicts[R_C6].numbers, "go (no lock): 1.85"));
	run.res[CMP_PY_PROCS].sum.parallelism = 1.0;
	expect(R_C9, CMP_DOES_NOT_HOLD, NULL);
	assert_non_null(strstr(run.verdicts[R_C9].numbers, "holds from 1.30"));
	/* no lock-free column reached 1.3: the machine did not give two CPUs */
	run.res[CMP_GO].sum.parallelism = 1.1;
	run.res[CMP_CS_ASYNC].sum.parallelism = 1.2;
	expect(R_C9, CMP_NOT_MEASURED, "the lock-free control (cs-async) reached only 1.20");
	/* other work left one CPU free */
	run.res[CMP_PY_THREADS].cpus_free = 1.0;
	expect(R_C6, CMP_NOT_MEASURED, "could keep at most 1.00 CPUs busy");
	/* none of the lock-free columns ran */
	run.res[CMP_GO].selected = run.res[CMP_CS_ASYNC].selected = false;
	run.res[CMP_GO].ran = run.res[CMP_CS_ASYNC].ran = false;
	run.res[CMP_PY_THREADS].cpus_free = -1;
	expect(R_C9, CMP_NOT_MEASURED, "control (threads, go, cs-async or py-procs) did not run");
}

static void test_verdict_runtimes_nm(void **state)
{
	struct cmp_result *r = &run.res[CMP_GO];

	assert_non_null(strstr(expect(R_NM, CMP_HOLDS, NULL)->numbers,
			       "40 goroutines (one per request), 8 at once, on 6 kernel tasks"));
	r->busy_threads = 1;
	expect(R_NM, CMP_PARTLY, "N:1");
	r->busy_threads = 2;
	r->user_tasks = 8;
	expect(R_NM, CMP_PARTLY, "1:1");
	run.wl.concurrency = 4;
	expect(R_NM, CMP_NOT_MEASURED, NULL);
}

/* The busiest threads of a trace, sorted, and how many did a share of the work. */
static void test_verdict_runtimes_threads_from_trace(void **state)
{
	struct cmp_result r = { 0 };
	struct ks_trace tr;

	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	cmp_result_from_trace(&r, &tr);
	assert_int_equal(r.nthreads_listed, 2);
	assert_string_equal(r.threads[0].comm, "worker");
	assert_int_equal(r.threads[0].tid, 101);
	assert_int_equal(r.threads[0].pid, 100);
	assert_int_equal(r.threads[0].mostly, KSEE_R_READ);
	assert_string_equal(r.threads[1].comm, "demo");
	assert_int_equal(r.threads[1].mostly, KSEE_R_FUTEX);
	assert_true(r.threads[0].on_cpu_ns > r.threads[1].on_cpu_ns);
	assert_int_equal(r.busy_threads, 2);
	assert_int_equal(r.threads_on_cpu, 2);
	ks_trace_free(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_verdict_runtimes_fixture, setup),
		cmocka_unit_test_setup(test_verdict_runtimes_with_demos, setup),
		cmocka_unit_test_setup(test_verdict_runtimes_c1_helpers, setup),
		cmocka_unit_test_setup(test_verdict_runtimes_not_run, setup),
		cmocka_unit_test_setup(test_verdict_runtimes_c4, setup),
		cmocka_unit_test_setup(test_verdict_runtimes_c5b, setup),
		cmocka_unit_test_setup(test_verdict_runtimes_c6_c9, setup),
		cmocka_unit_test_setup(test_verdict_runtimes_nm, setup),
		cmocka_unit_test(test_verdict_runtimes_threads_from_trace),
	};

	return cmocka_run_group_tests_name("verdict_runtimes", tests, NULL, NULL);
}

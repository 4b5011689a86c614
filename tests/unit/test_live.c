// SPDX-License-Identifier: GPL-2.0-only
/* The long-running model of `ksee serve`: folding, forgetting, merging with live tasks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include "fixtures.h"
#include "model/live.h"

/* Dead threads fold into one row whose sums are the same. */
static void test_live_fold_keeps_sums(void **state)
{
	struct ks_trace acc;
	struct ksee_task c = fx_task(102, 100, "worker", 3);
	struct ks_process *p;

	fx_two_threads(&acc);
	c.st.runq_hist[3] = 2;
	c.st.cpus_mask = 2;
	ks_trace_add_task(&acc, &c, false);
	assert_int_equal(ks_live_fold(&acc), 0);
	p = ks_trace_find(&acc, 100);
	assert_non_null(p);
	assert_int_equal(p->nthreads, 1);
	assert_int_equal(p->threads[0].st.tid, KS_LIVE_FOLDED_TID);
	assert_false(p->threads[0].alive);
	assert_int_equal(p->threads[0].st.on_cpu_ns, 13 * MS);
	assert_int_equal(p->threads[0].st.voluntary, 9);
	assert_int_equal(p->threads[0].st.blocked_ns[KSEE_R_FUTEX], 80 * MS);
	assert_int_equal(p->threads[0].st.blocked_ns[KSEE_R_READ], 90 * MS);
	assert_int_equal(p->threads[0].st.sys[KSEE_R_READ].blocked_calls, 4);
	assert_int_equal(p->threads[0].st.runq_hist[14], 5);
	assert_int_equal(p->threads[0].st.runq_hist[3], 2);
	assert_int_equal(p->threads[0].st.cpus_mask, 3);
	assert_int_equal(p->threads[0].st.start_ns, 1000 * MS);
	assert_string_equal(p->threads[0].st.comm, "demo");	/* the leader's */
	/* folding again changes nothing */
	ks_live_fold(&acc);
	assert_int_equal(p->nthreads, 1);
	assert_int_equal(p->threads[0].st.on_cpu_ns, 13 * MS);
	ks_trace_free(&acc);
}

static void test_live_forget_after_grace(void **state)
{
	struct ks_trace acc;
	struct ksee_task t = fx_task(200, 200, "other", 1);
	size_t i;

	fx_two_threads(&acc);	/* pid 100 ended at 1100 ms */
	ks_trace_add_task(&acc, &t, false);	/* pid 200: a thread died, no process record */
	assert_int_equal(ks_live_forget(&acc, 1100 * MS), 0);
	assert_int_equal(acc.nprocs, 2);
	assert_int_equal(ks_live_forget(&acc, 1101 * MS), 1);
	assert_int_equal(acc.nprocs, 1);
	assert_null(ks_trace_find(&acc, 100));
	assert_non_null(ks_trace_find(&acc, 200));
	/* many come and go: the arrays do not keep them */
	for (i = 0; i < 1000; i++) {
		struct ksee_task k = fx_task(1000 + i, 1000 + i, "short", 1);
		struct ksee_proc p = fx_proc(1000 + i, 1000, 1050);

		ks_trace_add_task(&acc, &k, false);
		ks_trace_add_proc(&acc, &p, false);
	}
	ks_live_fold(&acc);
	assert_true(acc.cap_procs >= 1001);
	assert_int_equal(ks_live_forget(&acc, 2000 * MS), 1000);
	assert_int_equal(acc.nprocs, 1);
	assert_int_equal(acc.cap_procs, 16);	/* the room for 1,000 given back */
	assert_non_null(ks_trace_find(&acc, 200));
	ks_trace_free(&acc);
}

/* A task that died between the live dump and the drain is counted once: its final record. */
static void test_live_merge_counts_a_dying_task_once(void **state)
{
	struct ks_trace acc, snap;
	struct ksee_task live_a = fx_task(100, 100, "demo", 2), live_c = fx_task(102, 100, "w2", 1);
	struct ksee_task dead_a = fx_task(100, 100, "demo", 4), dead_b = fx_task(101, 100, "w", 6);
	struct ksee_proc p = fx_proc(100, 1000, 0);
	struct ks_process *sp;

	ks_trace_init(&acc);
	ks_trace_add_task(&acc, &dead_b, false);
	ks_live_fold(&acc);	/* 101 died long ago: folded */
	ks_trace_add_task(&acc, &dead_a, false);	/* 100 just died */
	ks_trace_init(&snap);
	live_a.st.flags &= ~KSEE_TF_EXITED;
	live_c.st.flags &= ~KSEE_TF_EXITED;
	ks_trace_add_task(&snap, &live_a, true);
	ks_trace_add_task(&snap, &live_c, true);
	p.live_tasks = 2;
	ks_trace_add_proc(&snap, &p, true);
	assert_int_equal(ks_live_merge(&snap, &acc), 0);
	snap.start_ns = 1000 * MS;
	snap.end_ns = 1100 * MS;
	ks_trace_finish(&snap);
	sp = ks_trace_find(&snap, 100);
	assert_non_null(sp);
	assert_int_equal(sp->nthreads, 3);	/* folded, 100's final record, live 102 */
	assert_int_equal(sp->sum.on_cpu_ns, 11 * MS);
	assert_true(sp->alive);
	ks_trace_free(&snap);
	ks_trace_free(&acc);
}

/* An ended process's record wins over the live one taken just before it ended. */
static void test_live_merge_ended_process(void **state)
{
	struct ks_trace acc, snap;
	struct ksee_task dead = fx_task(300, 300, "gone", 5);
	struct ksee_proc live = fx_proc(300, 1000, 0), ended = fx_proc(300, 1000, 1090);
	struct ks_process *sp;

	ks_trace_init(&acc);
	ks_trace_add_task(&acc, &dead, false);
	ks_trace_add_proc(&acc, &ended, false);
	ks_trace_init(&snap);
	live.live_tasks = 1;
	ks_trace_add_proc(&snap, &live, true);
	assert_int_equal(ks_live_merge(&snap, &acc), 0);
	snap.start_ns = 1000 * MS;
	snap.end_ns = 1100 * MS;
	ks_trace_finish(&snap);
	sp = ks_trace_find(&snap, 300);
	assert_non_null(sp);
	assert_false(sp->alive);
	assert_int_equal(sp->kp.end_ns, 1090 * MS);
	assert_int_equal(sp->sum.on_cpu_ns, 5 * MS);
	ks_trace_free(&snap);
	ks_trace_free(&acc);
}

/* The pid came back as a new process after the old one ended: the old one is left out. */
static void test_live_merge_reused_pid(void **state)
{
	struct ks_trace acc, snap;
	struct ksee_task dead = fx_task(400, 400, "old", 5), now = fx_task(400, 400, "new", 1);
	struct ksee_proc old = fx_proc(400, 1000, 1010), fresh = fx_proc(400, 1050, 0);
	struct ks_process *sp;

	ks_trace_init(&acc);
	ks_trace_add_task(&acc, &dead, false);
	ks_trace_add_proc(&acc, &old, false);
	ks_trace_init(&snap);
	now.st.flags &= ~KSEE_TF_EXITED;
	ks_trace_add_task(&snap, &now, true);
	ks_trace_add_proc(&snap, &fresh, true);
	assert_int_equal(ks_live_merge(&snap, &acc), 0);
	snap.start_ns = 1000 * MS;
	snap.end_ns = 1100 * MS;
	ks_trace_finish(&snap);
	sp = ks_trace_find(&snap, 400);
	assert_non_null(sp);
	assert_int_equal(sp->nthreads, 1);
	assert_int_equal(sp->sum.on_cpu_ns, 1 * MS);
	ks_trace_free(&snap);
	ks_trace_free(&acc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_fold_keeps_sums),
		cmocka_unit_test(test_live_forget_after_grace),
		cmocka_unit_test(test_live_merge_counts_a_dying_task_once),
		cmocka_unit_test(test_live_merge_ended_process),
		cmocka_unit_test(test_live_merge_reused_pid),
	};

	return cmocka_run_group_tests_name("live", tests, NULL, NULL);
}

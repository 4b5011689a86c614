// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "fixtures.h"
#include "model/hist.h"

static void test_model_settle_running_task_counts_cpu_until_now(void **state)
{
	struct ksee_task kt = fx_task(1, 1, "a", 10);

	kt.now.switch_in_ns = 500 * MS;
	ks_task_settle(&kt, 503 * MS);
	assert_int_equal(kt.st.on_cpu_ns, 13 * MS);
	/* settling twice does not count the same stretch twice */
	ks_task_settle(&kt, 503 * MS);
	assert_int_equal(kt.st.on_cpu_ns, 13 * MS);
}

static void test_model_settle_asleep_is_blocked_by_reason(void **state)
{
	struct ksee_task kt = fx_task(1, 1, "a", 0);

	kt.now.switch_out_ns = 100 * MS;
	kt.now.reason_out = KSEE_R_EPOLL;
	kt.now.state_out = 0x1;	/* TASK_INTERRUPTIBLE */
	ks_task_settle(&kt, 130 * MS);
	assert_int_equal(kt.st.blocked_ns[KSEE_R_EPOLL], 30 * MS);
	assert_int_equal(kt.st.runq_ns, 0);
	assert_int_equal(kt.st.uninterruptible_ns, 0);
}

static void test_model_settle_woken_splits_blocked_and_runq(void **state)
{
	struct ksee_task kt = fx_task(1, 1, "a", 0);

	kt.now.switch_out_ns = 100 * MS;
	kt.now.wake_ns = 120 * MS;
	kt.now.reason_out = KSEE_R_READ;
	kt.now.state_out = 0x2;	/* TASK_UNINTERRUPTIBLE: counted apart too */
	ks_task_settle(&kt, 125 * MS);
	assert_int_equal(kt.st.blocked_ns[KSEE_R_READ], 20 * MS);
	assert_int_equal(kt.st.uninterruptible_ns, 20 * MS);
	assert_int_equal(kt.st.runq_ns, 5 * MS);
}

/* Without the sys_exit hook the family's blocked time is the reason's, the sleep in progress too. */
static void test_model_settle_without_syscalls_blocks_the_family(void **state)
{
	struct ksee_task kt = fx_task(1, 1, "a", 0), kn = fx_task(2, 1, "b", 0);
	struct ks_trace tr;
	const struct ks_thread *t;

	kt.now.switch_out_ns = 100 * MS;
	kt.now.reason_out = KSEE_R_FUTEX;
	kt.now.state_out = 0x1;
	ks_task_settle(&kt, 110 * MS);
	kn.now.switch_out_ns = 100 * MS;
	kn.now.reason_out = KSEE_R_NONE;
	ks_task_settle(&kn, 110 * MS);
	assert_int_equal(kt.st.blocked_ns[KSEE_R_FUTEX], 10 * MS);
	assert_int_equal(kn.st.blocked_ns[KSEE_R_NONE], 10 * MS);

	ks_trace_init(&tr);
	tr.features.syscalls = false;
	ks_trace_add_task(&tr, &kt, true);
	ks_trace_add_task(&tr, &kn, true);
	ks_trace_finish(&tr);
	t = &tr.procs[0].threads[0];
	assert_int_equal(t->st.sys[KSEE_R_FUTEX].blocked_ns, 10 * MS);
	/* a sleep outside any syscall belongs to no family */
	t = &tr.procs[0].threads[1];
	assert_int_equal(t->st.sys[KSEE_R_NONE].blocked_ns, 0);
	assert_int_equal(tr.total.sys[KSEE_R_FUTEX].blocked_ns, 10 * MS);
	ks_trace_free(&tr);

	/* with it, sys_exit closes the call: the family is left as the kernel gave it */
	ks_trace_init(&tr);
	ks_trace_add_task(&tr, &kt, true);
	ks_trace_finish(&tr);
	assert_int_equal(tr.procs[0].threads[0].st.sys[KSEE_R_FUTEX].blocked_ns, 0);
	ks_trace_free(&tr);
}

static void test_model_settle_bad_reason_goes_to_other(void **state)
{
	struct ksee_task kt = fx_task(1, 1, "a", 0);

	kt.now.switch_out_ns = 100 * MS;
	kt.now.reason_out = 99;
	ks_task_settle(&kt, 101 * MS);
	assert_int_equal(kt.st.blocked_ns[KSEE_R_OTHER], 1 * MS);
}

static void test_model_sums_and_parallelism(void **state)
{
	struct ks_trace tr;
	struct ks_process *p;

	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	assert_int_equal(tr.nprocesses, 1);
	p = ks_trace_find(&tr, 100);
	assert_non_null(p);
	assert_int_equal(p->sum.tasks, 2);
	assert_int_equal(p->sum.on_cpu_ns, 10 * MS);
	assert_int_equal(p->sum.voluntary, 9);
	assert_int_equal(p->sum.involuntary, 1);
	assert_int_equal(p->sum.blocked_total_ns, 170 * MS);
	assert_int_equal(p->sum.wall_ns, 100 * MS);
	assert_true(p->sum.parallelism > 0.099 && p->sum.parallelism < 0.101);
	assert_int_equal(p->sum.peak_running, 2);
	assert_int_equal(p->sum.sys[KSEE_R_READ].blocked_calls, 4);
	/* threads sorted by on-CPU time, busiest first */
	assert_int_equal(p->threads[0].st.tid, 101);
	assert_int_equal(p->threads[0].kind, KS_KIND_THREAD);
	assert_int_equal(p->threads[1].kind, KS_KIND_MAIN);
	assert_int_equal(tr.total.on_cpu_ns, 10 * MS);
	assert_int_equal(tr.total.tasks, 2);
	ks_trace_free(&tr);
}

static void test_model_top_reason(void **state)
{
	__u64 b[KSEE_R_NR] = {};

	assert_int_equal(ks_top_reason(b), KSEE_R_NONE);
	b[KSEE_R_SLEEP] = 5;
	b[KSEE_R_FUTEX] = 7;
	assert_int_equal(ks_top_reason(b), KSEE_R_FUTEX);
}

static void test_model_io_workers_are_kernel_workers(void **state)
{
	struct ksee_task w = fx_task(201, 200, "iou-wrk-200", 1), m = fx_task(200, 200, "u", 1);
	struct ksee_task q = fx_task(202, 200, "iou-sqp-200", 1);
	struct ks_trace tr;
	struct ks_process *p;

	w.st.flags |= KSEE_TF_IO_WORKER;
	q.st.flags |= KSEE_TF_IO_WORKER;
	ks_trace_init(&tr);
	ks_trace_add_task(&tr, &m, false);
	ks_trace_add_task(&tr, &w, false);
	ks_trace_add_task(&tr, &q, false);
	ks_trace_finish(&tr);
	p = ks_trace_find(&tr, 200);
	assert_int_equal(p->sum.tasks, 3);
	assert_int_equal(p->sum.kernel_workers, 2);
	assert_string_equal(ks_kind_name(p->threads[0].kind), "main");
	assert_string_equal(ks_kind_name(p->threads[1].kind), "io_worker");
	assert_string_equal(ks_kind_name(p->threads[2].kind), "sqpoll");
	ks_trace_free(&tr);
}

static void test_model_anchor_span_and_self_edges(void **state)
{
	struct ksee_edge_key self = { .wakee_tgid = 100, .wakee_tid = 100, .waker_tid = 42,
				      .waker_tgid = 42 };
	struct ksee_edge e = { .count = 1 };
	struct ks_trace tr;

	fx_two_threads(&tr);
	tr.start_ns = 990 * MS;	/* ksee started before exec */
	tr.end_ns = 1200 * MS;	/* and noticed the end late */
	tr.anchor_pid = 100;
	tr.self_pid = 42;
	ks_trace_add_edge(&tr, &self, &e);
	ks_trace_finish(&tr);
	assert_int_equal(tr.total.wall_ns, 100 * MS);
	assert_int_equal(tr.nedges, 1);
	assert_int_equal(tr.edges[0].key.waker_tgid, 100);
	assert_int_equal(tr.edges[0].kind, KS_WAKER_THREAD);
	ks_trace_free(&tr);
}

static void test_model_edge_kinds_and_order(void **state)
{
	struct ksee_edge_key k1 = { 100, 101, 0, 0, 0 }, k2 = { 100, 101, 7, 7, 0 };
	struct ksee_edge e1 = { .count = 1 }, e2 = { .count = 9 };
	struct ks_trace tr;

	ks_trace_init(&tr);
	ks_trace_add_edge(&tr, &k1, &e1);
	ks_trace_add_edge(&tr, &k2, &e2);
	ks_trace_finish(&tr);
	assert_int_equal(tr.edges[0].e.count, 9);
	assert_int_equal(tr.edges[0].kind, KS_WAKER_EXTERNAL);
	assert_int_equal(tr.edges[1].kind, KS_WAKER_IDLE);
	ks_trace_free(&tr);
}

static void test_model_alive_process_ends_at_trace_end(void **state)
{
	struct ksee_task kt = fx_task(300, 300, "srv", 50);
	struct ksee_proc p = fx_proc(300, 1000, 0);
	struct ks_trace tr;

	kt.st.end_ns = 0;
	kt.st.flags = KSEE_TF_ADOPTED | KSEE_TF_LEADER;
	ks_trace_init(&tr);
	tr.start_ns = 1000 * MS;
	tr.end_ns = 1500 * MS;
	ks_trace_add_task(&tr, &kt, true);
	ks_trace_add_proc(&tr, &p, true);
	ks_trace_finish(&tr);
	assert_true(tr.procs[0].alive);
	assert_int_equal(tr.procs[0].sum.wall_ns, 500 * MS);
	assert_true(tr.procs[0].sum.parallelism > 0.099 && tr.procs[0].sum.parallelism < 0.101);
	ks_trace_free(&tr);
}

static void test_model_markers_shares(void **state)
{
	struct ks_trace tr;
	struct ks_process *p;

	fx_two_threads(&tr);
	p = ks_trace_find(&tr, 100);
	p->kp.awaits = 18;
	p->kp.resumes = 16;
	p->kp.resumes_same_thread = 4;
	p->kp.requests_started = 8;
	ks_trace_finish(&tr);
	/* 9 voluntary switches for 18 awaits; 4 of 16 resumes on the awaiting thread */
	assert_true(p->sum.markers.voluntary_per_await > 0.499 &&
		    p->sum.markers.voluntary_per_await < 0.501);
	assert_true(p->sum.markers.same_thread_share > 0.249 &&
		    p->sum.markers.same_thread_share < 0.251);
	assert_int_equal(tr.total.markers.awaits, 18);
	ks_trace_free(&tr);
}

/* The bill: on CPU is the held time less the kernel's off-CPU time while held. */
static void test_model_bill_parts(void **state)
{
	struct ks_trace tr;
	struct ks_process *p;

	fx_two_threads(&tr);
	p = ks_trace_find(&tr, 100);
	p->kp.billed = 10;
	p->kp.bill_latency_ns = 100 * MS;
	p->kp.bill_held_ns = 40 * MS;
	p->kp.bill_off_ns = 60 * MS;
	{
		__u64 slots[KSEE_BILL_SLOTS] = {};

		slots[(23 - 2) << 3] = 5;	/* 8.39 to 9.44 ms */
		assert_int_equal(ks_trace_add_bill(&tr, 100, slots), 0);
		assert_int_equal(ks_trace_add_bill(&tr, 100, slots), 0);	/* adds up */
	}
	p->threads[0].st.held_runq_ns = 8 * MS;
	p->threads[1].st.held_wakelat_ns = 2 * MS;
	p->threads[1].st.held_blocked_ns[KSEE_R_FUTEX] = 5 * MS;
	ks_trace_finish(&tr);
	assert_int_equal(p->sum.bill.requests, 10);
	assert_int_equal(p->sum.bill.latency_hist[(23 - 2) << 3], 10);
	assert_in_range(hist_fine_percentile(p->sum.bill.latency_hist, KSEE_BILL_SLOTS, 0.5),
			8388608, 9437183);
	assert_int_equal(tr.total.bill.latency_hist[(23 - 2) << 3], 10);
	assert_int_equal(p->sum.bill.runq_ns, 8 * MS);
	assert_int_equal(p->sum.bill.wakelat_ns, 2 * MS);
	assert_int_equal(p->sum.bill.blocked_ns[KSEE_R_FUTEX], 5 * MS);
	assert_int_equal(p->sum.bill.blocked_total_ns, 5 * MS);
	assert_int_equal(p->sum.bill.oncpu_ns, 25 * MS);
	assert_int_equal(p->sum.bill.oncpu_ns + p->sum.bill.wakelat_ns + p->sum.bill.runq_ns +
			 p->sum.bill.blocked_total_ns + p->sum.bill.off_ns, 100 * MS);
	assert_true(p->sum.bill.share_wakelat > 0.0199 && p->sum.bill.share_wakelat < 0.0201);
	assert_true(p->sum.bill.share_off > 0.599 && p->sum.bill.share_off < 0.601);
	assert_true(p->sum.bill.share_oncpu > 0.249 && p->sum.bill.share_oncpu < 0.251);
	assert_int_equal(tr.total.bill.requests, 10);
	/* more off-CPU time than held time (not billed requests): on CPU 0, never below */
	p->threads[0].st.held_runq_ns = 50 * MS;
	tr.finished = false;
	ks_trace_finish(&tr);
	assert_int_equal(p->sum.bill.oncpu_ns, 0);
	ks_trace_free(&tr);
}

/* No request billed: every share is -1 (JSON null), not 0. */
static void test_model_bill_absent_is_negative(void **state)
{
	struct ks_trace tr;

	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	assert_int_equal(tr.total.bill.requests, 0);
	assert_true(tr.total.bill.share_oncpu < 0 && tr.total.bill.share_off < 0);
	ks_trace_free(&tr);
}

static void test_model_markers_absent_are_negative(void **state)
{
	struct ks_trace tr;

	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	assert_true(tr.total.markers.same_thread_share < 0);
	assert_true(tr.total.markers.voluntary_per_await < 0);
	ks_trace_free(&tr);
}

/*
 * Thread-time and idle tasks on fixed inputs: a 1 s trace (1000 to 2000
 * ms) of one process: main busy 600 ms; three threads idle the whole time
 * (two in futex, one in read); one just over the on-CPU bar (1.1 ms of 1 s),
 * one asleep in two reasons, one born at 1500 ms and idle its half second,
 * one born at 1600 ms, asleep its 400 ms (too short a life to be idle);
 * one idle that began before the trace and lived past it (its life is
 * the trace's 1 s).
 */
static void idle_fixture(struct ks_trace *tr)
{
	struct ksee_task t;
	__u32 tid;

	ks_trace_init(tr);
	tr->mode = "run";
	tr->start_ns = 1000 * MS;
	tr->end_ns = 2000 * MS;
	t = fx_task(10, 10, "main", 600);
	t.st.blocked_ns[KSEE_R_EPOLL] = 300 * MS;
	t.st.runq_ns = 80 * MS;
	t.st.wakelat_ns = 20 * MS;
	ks_trace_add_task(tr, &t, false);
	for (tid = 11; tid <= 13; tid++) {
		t = fx_task(tid, 10, tid == 13 ? "reader" : "pool", 0);
		t.st.on_cpu_ns = 900000;	/* 0.09% */
		t.st.blocked_ns[tid == 13 ? KSEE_R_READ : KSEE_R_FUTEX] = 999 * MS;
		ks_trace_add_task(tr, &t, false);
	}
	t = fx_task(14, 10, "almost", 0);
	t.st.on_cpu_ns = 1100000;	/* 0.11%: not idle */
	t.st.blocked_ns[KSEE_R_FUTEX] = 998 * MS;
	ks_trace_add_task(tr, &t, false);
	t = fx_task(15, 10, "mixed", 0);
	t.st.blocked_ns[KSEE_R_FUTEX] = 900 * MS;	/* 90% in one reason: not idle */
	t.st.blocked_ns[KSEE_R_SLEEP] = 99 * MS;
	ks_trace_add_task(tr, &t, false);
	t = fx_task(16, 10, "late", 0);
	t.st.start_ns = 1500 * MS;
	t.st.blocked_ns[KSEE_R_FUTEX] = 499 * MS;
	ks_trace_add_task(tr, &t, false);
	t = fx_task(18, 10, "short", 0);	/* asleep all of its 400 ms: too short to tell */
	t.st.start_ns = 1600 * MS;
	t.st.blocked_ns[KSEE_R_FUTEX] = 400 * MS;
	ks_trace_add_task(tr, &t, false);
	t = fx_task(17, 10, "old", 0);
	t.st.start_ns = 500 * MS;
	t.st.end_ns = 2500 * MS;
	t.st.on_cpu_ns = 500000;
	t.st.blocked_ns[KSEE_R_FUTEX] = 999 * MS;
	ks_trace_add_task(tr, &t, false);
	ks_trace_finish(tr);
}

static const struct ks_thread *thread_of(const struct ks_process *p, __u32 tid)
{
	size_t i;

	for (i = 0; i < p->nthreads; i++)
		if (p->threads[i].st.tid == tid)
			return &p->threads[i];
	fail_msg("no thread %u", tid);
	return NULL;
}

static void test_model_idle_tasks_and_thread_time(void **state)
{
	const struct ks_thread *named[8];
	const struct ks_process *p;
	struct ks_trace tr;
	const struct ks_sum *s;

	idle_fixture(&tr);
	p = &tr.procs[0];
	s = &p->sum;
	assert_int_equal(thread_of(p, 10)->life_ns, 1000 * MS);
	assert_int_equal(thread_of(p, 16)->life_ns, 500 * MS);
	assert_int_equal(thread_of(p, 17)->life_ns, 1000 * MS);
	assert_false(thread_of(p, 10)->idle);
	assert_true(thread_of(p, 11)->idle);
	assert_true(thread_of(p, 12)->idle);
	assert_true(thread_of(p, 13)->idle);
	assert_false(thread_of(p, 14)->idle);
	assert_false(thread_of(p, 15)->idle);
	assert_true(thread_of(p, 16)->idle);
	assert_true(thread_of(p, 17)->idle);
	assert_false(thread_of(p, 18)->idle);
	assert_float_equal(thread_of(p, 10)->share_on_cpu, 0.6, 1e-9);
	assert_float_equal(thread_of(p, 16)->share_blocked, 0.998, 1e-9);

	/* thread-time: six tasks of 1 s, one of 0.5 s, one of 0.4 s */
	assert_int_equal(s->thread_ns, 7900 * MS);
	assert_int_equal(s->idle.tasks, 5);
	assert_int_equal(s->idle.thread_ns, 4500 * MS);
	assert_int_equal(s->idle.tasks_in[KSEE_R_FUTEX], 4);
	assert_int_equal(s->idle.tasks_in[KSEE_R_READ], 1);
	assert_int_equal(s->idle.blocked_ns[KSEE_R_FUTEX], (2 * 999 + 499 + 999) * MS);
	assert_int_equal(s->idle.blocked_ns[KSEE_R_READ], 999 * MS);
	/* shares of thread-time, not of the wall */
	assert_float_equal(s->shares.on_cpu, (double)s->on_cpu_ns / (7900 * MS), 1e-12);
	assert_float_equal(s->shares.reason[KSEE_R_EPOLL], 300.0 / 7900, 1e-12);
	assert_float_equal(s->shares.runq, 80.0 / 7900, 1e-12);
	assert_float_equal(s->shares.waking, 20.0 / 7900, 1e-12);
	assert_float_equal(s->shares.idle, 4500.0 / 7900, 1e-12);
	assert_float_equal(s->shares.blocked, (double)s->blocked_total_ns / (7900 * MS), 1e-12);
	/* the whole trace sums the same */
	assert_int_equal(tr.total.thread_ns, 7900 * MS);
	assert_int_equal(tr.total.idle.tasks, 5);

	/* named busiest first, at most as many as asked */
	assert_int_equal(ks_idle_tasks(p, KSEE_R_FUTEX, named, 8), 4);
	assert_int_equal(named[0]->st.tid, 11);	/* 0.9 ms on CPU: the busiest */
	assert_int_equal(ks_idle_tasks(p, KSEE_R_FUTEX, named, 2), 2);
	assert_int_equal(ks_idle_tasks(p, KSEE_R_READ, named, 8), 1);
	assert_int_equal(named[0]->st.tid, 13);
	assert_int_equal(ks_idle_tasks(p, KSEE_R_SLEEP, named, 8), 0);
	ks_trace_free(&tr);
}

/* No thread-time: the shares are absent (-1), never a division by 0. */
static void test_model_shares_absent_without_thread_time(void **state)
{
	struct ks_trace tr;

	ks_trace_init(&tr);
	tr.start_ns = tr.end_ns = 1000 * MS;
	ks_trace_finish(&tr);
	assert_int_equal(tr.total.thread_ns, 0);
	assert_true(tr.total.shares.on_cpu < 0);
	assert_true(tr.total.shares.idle < 0);
	assert_true(tr.total.shares.reason[KSEE_R_FUTEX] < 0);
	ks_trace_free(&tr);
}

/* A waker named at the wakeup, renamed later by its program: the latest name. */
static void test_model_waker_takes_latest_name(void **state)
{
	struct ks_trace tr;

	fx_two_threads(&tr);
	snprintf(tr.edges[0].e.waker_comm, sizeof(tr.edges[0].e.waker_comm), "before-rename");
	ks_trace_finish(&tr);
	assert_string_equal(tr.edges[0].e.waker_comm, "demo");
	ks_trace_free(&tr);
}

/* The kernel's compact task: every field reaches the model's, the buckets widened. */
static void test_model_widen_keeps_every_field(void **state)
{
	struct ksee_ktask k;
	struct ksee_task kt;
	int r;

	memset(&k, 0, sizeof(k));
	memset(&kt, 0xa5, sizeof(kt));
	k.st.start_ns = 1;
	k.st.end_ns = 2;
	k.st.on_cpu_ns = 3;
	k.st.voluntary = 4;
	k.st.involuntary = 5;
	for (r = 0; r < KSEE_R_NR; r++) {
		k.st.blocked_ns[r] = 100 + r;
		k.st.sys[r].calls = 200 + r;
		k.st.sys[r].total_ns = 300 + r;
		k.st.sys[r].blocked_calls = 400 + r;
		k.st.sys[r].blocked_ns = 500 + r;
		k.st.held_blocked_ns[r] = 600 + r;
	}
	k.st.uninterruptible_ns = 6;
	k.st.runq_ns = 7;
	k.st.runq_count = 8;
	k.st.migrations = 9;
	k.st.wakeups = 10;
	k.st.cpus_mask = 1ULL << 63;
	k.st.epoll_events = 11;
	k.st.uring_submitted = 12;
	k.st.uring_waits = 13;
	k.st.awaits = 14;
	k.st.resumes = 15;
	k.st.held_runq_ns = 16;
	k.st.held_wakelat_ns = 17;
	k.st.wakelat_ns = 18;
	k.st.wakelat_count = 19;
	k.st.off_hist[0] = 20;
	k.st.off_hist[KSEE_SLOTS - 1] = UINT32_MAX;	/* a full bucket stays full */
	k.st.runq_hist[3] = 21;
	k.st.wakelat_hist[KSEE_SLOTS - 1] = 22;
	k.st.tid = 23;
	k.st.tgid = 24;
	k.st.ppid = 25;
	k.st.uid = 26;
	k.st.flags = KSEE_TF_EXITED;
	k.st.exit_code = -27;
	snprintf(k.st.comm, sizeof(k.st.comm), "worker-%d", 7);
	k.now.waker_pending = 28;
	k.now.waker_tid = 29;
	snprintf(k.now.waker_comm, sizeof(k.now.waker_comm), "waker");

	ks_task_widen(&kt, &k);
	assert_int_equal(kt.st.start_ns, 1);
	assert_int_equal(kt.st.end_ns, 2);
	assert_int_equal(kt.st.on_cpu_ns, 3);
	assert_int_equal(kt.st.voluntary, 4);
	assert_int_equal(kt.st.involuntary, 5);
	for (r = 0; r < KSEE_R_NR; r++) {
		assert_int_equal(kt.st.blocked_ns[r], 100 + r);
		assert_int_equal(kt.st.sys[r].calls, 200 + r);
		assert_int_equal(kt.st.sys[r].total_ns, 300 + r);
		assert_int_equal(kt.st.sys[r].blocked_calls, 400 + r);
		assert_int_equal(kt.st.sys[r].blocked_ns, 500 + r);
		assert_int_equal(kt.st.held_blocked_ns[r], 600 + r);
	}
	assert_int_equal(kt.st.uninterruptible_ns, 6);
	assert_int_equal(kt.st.runq_ns, 7);
	assert_int_equal(kt.st.runq_count, 8);
	assert_int_equal(kt.st.migrations, 9);
	assert_int_equal(kt.st.wakeups, 10);
	assert_true(kt.st.cpus_mask == 1ULL << 63);
	assert_int_equal(kt.st.epoll_events, 11);
	assert_int_equal(kt.st.uring_submitted, 12);
	assert_int_equal(kt.st.uring_waits, 13);
	assert_int_equal(kt.st.awaits, 14);
	assert_int_equal(kt.st.resumes, 15);
	assert_int_equal(kt.st.held_runq_ns, 16);
	assert_int_equal(kt.st.held_wakelat_ns, 17);
	assert_int_equal(kt.st.wakelat_ns, 18);
	assert_int_equal(kt.st.wakelat_count, 19);
	assert_int_equal(kt.st.off_hist[0], 20);
	assert_int_equal(kt.st.off_hist[KSEE_SLOTS - 1], UINT32_MAX);
	assert_int_equal(kt.st.runq_hist[3], 21);
	assert_int_equal(kt.st.wakelat_hist[KSEE_SLOTS - 1], 22);
	for (r = 1; r < KSEE_SLOTS - 1; r++)
		assert_int_equal(kt.st.off_hist[r], 0);
	assert_int_equal(kt.st.tid, 23);
	assert_int_equal(kt.st.tgid, 24);
	assert_int_equal(kt.st.ppid, 25);
	assert_int_equal(kt.st.uid, 26);
	assert_int_equal(kt.st.flags, KSEE_TF_EXITED);
	assert_int_equal(kt.st.exit_code, -27);
	assert_string_equal(kt.st.comm, "worker-7");
	assert_int_equal(kt.now.waker_pending, 28);
	assert_int_equal(kt.now.waker_tid, 29);
	assert_string_equal(kt.now.waker_comm, "waker");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_settle_running_task_counts_cpu_until_now),
		cmocka_unit_test(test_model_settle_asleep_is_blocked_by_reason),
		cmocka_unit_test(test_model_settle_woken_splits_blocked_and_runq),
		cmocka_unit_test(test_model_settle_without_syscalls_blocks_the_family),
		cmocka_unit_test(test_model_settle_bad_reason_goes_to_other),
		cmocka_unit_test(test_model_sums_and_parallelism),
		cmocka_unit_test(test_model_top_reason),
		cmocka_unit_test(test_model_io_workers_are_kernel_workers),
		cmocka_unit_test(test_model_anchor_span_and_self_edges),
		cmocka_unit_test(test_model_edge_kinds_and_order),
		cmocka_unit_test(test_model_alive_process_ends_at_trace_end),
		cmocka_unit_test(test_model_markers_shares),
		cmocka_unit_test(test_model_markers_absent_are_negative),
		cmocka_unit_test(test_model_bill_parts),
		cmocka_unit_test(test_model_bill_absent_is_negative),
		cmocka_unit_test(test_model_idle_tasks_and_thread_time),
		cmocka_unit_test(test_model_shares_absent_without_thread_time),
		cmocka_unit_test(test_model_waker_takes_latest_name),
		cmocka_unit_test(test_model_widen_keeps_every_field),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}

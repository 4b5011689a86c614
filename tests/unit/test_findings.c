// SPDX-License-Identifier: GPL-2.0-only
/*
 * The findings rules (user/model/findings.c) on hand-made traces, each on
 * both sides of its thresholds, and the findings in every output format
 * and through a recording.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "fixtures.h"
#include "jsonpath.h"
#include "model/findings.h"
#include "output/recording.h"
#include "output/render.h"
#include "output/report.h"

#define PID	500

static struct ks_trace tr;

/* A 1 s trace (1000 to 2000 ms) on 2 CPUs, no tasks yet. */
static int setup(void **state)
{
	ks_trace_init(&tr);
	tr.mode = "run";
	tr.start_ns = 1000 * MS;
	tr.end_ns = 2000 * MS;
	tr.cpus_available = 2;
	return 0;
}

static int teardown(void **state)
{
	ks_trace_free(&tr);
	return 0;
}

/* A thread of process PID living the whole trace, @on_ms on a CPU. */
static struct ksee_task thread(__u32 tid, __u64 on_ms)
{
	return fx_task(tid, PID, tid == PID ? "app" : "worker", on_ms);
}

static void put(struct ksee_task *kt)
{
	assert_int_equal(ks_trace_add_task(&tr, kt, false), 0);
}

static void edge(__u32 waker, __u32 wakee, __u64 count)
{
	struct ksee_edge_key k = { .wakee_tgid = PID, .wakee_tid = wakee, .waker_tid = waker,
				   .waker_tgid = PID };
	struct ksee_edge e = { .count = count };

	assert_int_equal(ks_trace_add_edge(&tr, &k, &e), 0);
}

static const struct ks_finding *found(const char *id)
{
	ks_trace_finish(&tr);
	return ks_findings_get(&tr.findings, id, 0);
}

static double num(const struct ks_finding *f, const char *name)
{
	int i;

	for (i = 0; i < f->nnumbers; i++)
		if (!strcmp(f->numbers[i].name, name))
			return f->numbers[i].value;
	fail_msg("finding %s has no number %s", f->id, name);
	return 0;
}

/* An event-loop thread: 10 of its 20 blocks in epoll_wait, 400 ms there. */
static struct ksee_task loop_thread(__u64 on_ms)
{
	struct ksee_task t = thread(PID, on_ms);

	t.st.voluntary = 20;
	t.st.sys[KSEE_R_EPOLL].blocked_calls = 10;
	t.st.blocked_ns[KSEE_R_EPOLL] = 400 * MS;
	return t;
}

static void test_findings_loop_cpu_bound_above_80_percent(void **state)
{
	struct ksee_task t = thread(PID, 780);
	const struct ks_finding *f;

	t.st.voluntary = 2;
	t.st.sys[KSEE_R_EPOLL].blocked_calls = 1;
	t.st.runq_ns = 30 * MS;		/* busy 81% */
	put(&t);
	f = found("loop-cpu-bound");
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_WARNING);
	assert_int_equal(f->pid, PID);
	assert_int_equal(f->ntids, 1);
	assert_int_equal(f->tids[0], PID);
	assert_true(num(f, "busy_share") > 0.80 && num(f, "busy_share") < 0.82);
	assert_non_null(strstr(f->summary, "thread 500 (app)"));
	assert_non_null(strstr(f->summary, "threshold 80%"));
	assert_non_null(strstr(f->summary, "epoll_wait"));
	assert_true(f->advice[0] != 0);
}

static void test_findings_loop_cpu_bound_below_80_percent(void **state)
{
	struct ksee_task t = thread(PID, 770);

	t.st.voluntary = 2;
	t.st.sys[KSEE_R_EPOLL].blocked_calls = 1;
	t.st.runq_ns = 20 * MS;		/* busy 79% */
	put(&t);
	assert_null(found("loop-cpu-bound"));
	assert_int_equal(tr.findings.n, 0);
}

static void test_findings_loop_cpu_bound_needs_a_loop_thread(void **state)
{
	struct ksee_task t = thread(PID, 990);

	t.st.voluntary = 5;		/* 1 of 5 blocks in epoll: under 1 in 4 */
	t.st.sys[KSEE_R_EPOLL].blocked_calls = 1;
	put(&t);
	assert_null(found("loop-cpu-bound"));
}

static void test_findings_loop_blocked_above_thresholds(void **state)
{
	struct ksee_task t = loop_thread(100);
	const struct ks_finding *f;

	t.st.blocked_ns[KSEE_R_SLEEP] = 60 * MS;	/* 13% of blocked, 6% of life */
	t.st.blocked_ns[KSEE_R_READ] = 2 * MS;
	t.st.uninterruptible_ns = 1 * MS;
	put(&t);
	f = found("loop-blocked");
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_WARNING);
	assert_int_equal(f->tids[0], PID);
	assert_non_null(strstr(f->summary, "sleep 60 ms, read 2 ms"));
	assert_non_null(strstr(f->summary, "D state"));
	assert_true(num(f, "other_blocked_share") > 0.10);
	assert_null(ks_findings_get(&tr.findings, "loop-cpu-bound", 0));
}

static void test_findings_loop_blocked_below_blocked_share(void **state)
{
	struct ksee_task t = loop_thread(100);

	t.st.blocked_ns[KSEE_R_SLEEP] = 40 * MS;	/* 9% of blocked */
	put(&t);
	assert_null(found("loop-blocked"));
}

static void test_findings_loop_blocked_below_life_share(void **state)
{
	struct ksee_task t = loop_thread(100);

	t.st.blocked_ns[KSEE_R_EPOLL] = 100 * MS;
	t.st.blocked_ns[KSEE_R_SLEEP] = 40 * MS;	/* 29% of blocked, 4% of life */
	put(&t);
	assert_null(found("loop-blocked"));
}

/* Three threads on 2 CPUs, each @on_ms on a CPU and @runq_ms waiting for one. */
static void busy_threads(int n, __u64 on_ms, __u64 runq_ms)
{
	struct ksee_task t;
	int i;

	for (i = 0; i < n; i++) {
		t = thread(PID + i, on_ms);
		t.st.runq_ns = runq_ms * MS;
		t.st.runq_count = 10;
		t.st.runq_hist[20] = 10;
		put(&t);
	}
}

static void test_findings_cpu_saturated_more_runnable_than_cpus(void **state)
{
	const struct ks_finding *f;

	busy_threads(3, 700, 300);	/* 30% waiting, 3 wanting 2 CPUs */
	f = found("cpu-saturated");
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_WARNING);
	assert_int_equal(f->pid, 0);
	assert_true(num(f, "runnable_avg") > 2.9 && num(f, "runnable_avg") < 3.1);
	assert_non_null(strstr(f->summary, "more than the 2 CPUs"));
}

static void test_findings_cpu_saturated_below_share(void **state)
{
	busy_threads(3, 700, 200);	/* 22% waiting */
	assert_null(found("cpu-saturated"));
}

static void test_findings_cpu_saturated_by_other_work_is_info(void **state)
{
	const struct ks_finding *f;

	tr.cpus_free = 0.5;
	busy_threads(1, 600, 300);	/* 0.9 wanting 2 CPUs */
	f = found("cpu-saturated");
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_INFO);
	assert_non_null(strstr(f->summary, "other work on the machine"));
	assert_non_null(strstr(f->summary, "0.5 CPUs were free"));
}

static void test_findings_cpu_saturated_free_unknown_says_so(void **state)
{
	const struct ks_finding *f;

	busy_threads(1, 600, 300);
	f = found("cpu-saturated");
	assert_non_null(f);
	assert_non_null(strstr(f->summary, "free CPU time not measured"));
}

static void test_findings_cpu_saturated_needs_half_a_task(void **state)
{
	busy_threads(1, 100, 300);	/* 0.4 wanting a CPU */
	assert_null(found("cpu-saturated"));
}

/*
 * @n threads, each @on_ms on a CPU, @futex_ms in futex and @runq_ms
 * waiting for a CPU, waking the next @wake times.
 */
static void lock_threads_runq(int n, __u64 on_ms, __u64 futex_ms, __u64 wake, __u64 runq_ms)
{
	struct ksee_task t;
	int i;

	for (i = 0; i < n; i++) {
		t = thread(PID + i, on_ms);
		t.st.blocked_ns[KSEE_R_FUTEX] = futex_ms * MS;
		t.st.runq_ns = runq_ms * MS;
		t.st.voluntary = wake;
		put(&t);
		edge(PID + i, PID + (i + 1) % n, wake);
	}
}

static void lock_threads(int n, __u64 on_ms, __u64 futex_ms, __u64 wake)
{
	lock_threads_runq(n, on_ms, futex_ms, wake, 0);
}

static void test_findings_lock_serialized(void **state)
{
	const struct ks_finding *f;

	lock_threads(4, 240, 700, 10);	/* parallelism 0.96, 40 wakeups */
	f = found("lock-serialized");
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_WARNING);
	assert_int_equal(f->ntids, 4);
	assert_int_equal(num(f, "wakeups"), 40);
	assert_true(num(f, "futex_share") > 0.69 && num(f, "futex_share") < 0.71);
	assert_null(ks_findings_get(&tr.findings, "lock-contention", 0));
}

static void test_findings_lock_too_few_wakeups(void **state)
{
	lock_threads(4, 240, 700, 4);	/* 16: under 20 */
	assert_null(found("lock-serialized"));
	assert_null(ks_findings_get(&tr.findings, "lock-contention", 0));
}

static void test_findings_lock_too_little_futex(void **state)
{
	lock_threads(4, 240, 190, 10);	/* 19% of their lives */
	assert_null(found("lock-serialized"));
	assert_null(ks_findings_get(&tr.findings, "lock-contention", 0));
}

static void test_findings_lock_contention_in_parallel(void **state)
{
	const struct ks_finding *f;

	lock_threads(4, 400, 500, 10);	/* parallelism 1.6 */
	f = found("lock-contention");
	assert_non_null(f);
	assert_null(ks_findings_get(&tr.findings, "lock-serialized", 0));
	assert_non_null(strstr(f->summary, "do not run one at a time"));
}

static void test_findings_lock_one_cpu_cannot_tell(void **state)
{
	const struct ks_finding *f;

	tr.cpus_available = 1;
	lock_threads(4, 240, 700, 10);
	f = found("lock-contention");
	assert_non_null(f);
	assert_non_null(strstr(f->summary, "too few to tell"));
	assert_null(ks_findings_get(&tr.findings, "lock-serialized", 0));
}

/* Parallelism near 1 but 1.6 tasks wanting a CPU: the CPU shortage may be why. */
static void test_findings_lock_busy_machine_cannot_tell(void **state)
{
	const struct ks_finding *f;

	lock_threads_runq(4, 240, 550, 10, 160);
	f = found("lock-contention");
	assert_non_null(f);
	assert_non_null(strstr(f->summary, "cannot be told"));
	assert_null(ks_findings_get(&tr.findings, "lock-serialized", 0));
}

static void test_findings_lock_busy_machine_still_serialized(void **state)
{
	lock_threads_runq(4, 240, 550, 10, 120);	/* 1.44 wanting a CPU */
	assert_non_null(found("lock-serialized"));
}

/* @n threads from tid @first idle the whole time: asleep in futex for all of the trace. */
static void idle_threads(__u32 first, int n)
{
	struct ksee_task t;
	int i;

	for (i = 0; i < n; i++) {
		t = thread(first + i, 0);
		t.st.on_cpu_ns = 50000;	/* 50 us of 1 s */
		t.st.blocked_ns[KSEE_R_FUTEX] = 1000 * MS - 50000;
		t.st.voluntary = 1;
		put(&t);
	}
}

/*
 * Idle pool threads asleep in futex are no part of a lock: summed in,
 * four of them would lift 19% of futex to 60% and fire.
 */
static void test_findings_lock_idle_threads_not_summed(void **state)
{
	lock_threads(4, 240, 190, 10);	/* 19% of their lives */
	idle_threads(PID + 10, 4);
	assert_null(found("lock-serialized"));
	assert_null(ks_findings_get(&tr.findings, "lock-contention", 0));
	assert_int_equal(tr.procs[0].sum.idle.tasks, 4);
}

static void test_findings_lock_idle_threads_left_out(void **state)
{
	const struct ks_finding *f;

	lock_threads(4, 240, 700, 10);
	idle_threads(PID + 10, 4);
	f = found("lock-serialized");
	assert_non_null(f);
	assert_int_equal(f->ntids, 4);
	assert_int_equal(num(f, "threads"), 4);
	assert_true(num(f, "futex_share") > 0.69 && num(f, "futex_share") < 0.71);
}

static void test_findings_lock_idle_waiters_are_not_a_lock(void **state)
{
	lock_threads(4, 100, 700, 10);	/* 0.4 wanting a CPU */
	assert_null(found("lock-serialized"));
	assert_null(ks_findings_get(&tr.findings, "lock-contention", 0));
}

/* @n threads born and dead in the trace, each living @life_ms. */
static void short_threads(int n, __u64 life_ms, __u32 flags)
{
	struct ksee_task t;
	int i;

	for (i = 0; i < n; i++) {
		t = thread(PID + 1 + i, 1);
		t.st.start_ns = (1100 + i * 10) * MS;
		t.st.end_ns = t.st.start_ns + life_ms * MS;
		t.st.flags |= flags;
		put(&t);
	}
}

static void test_findings_thread_churn(void **state)
{
	const struct ks_finding *f;

	short_threads(30, 10, 0);	/* 30 per second */
	f = found("thread-churn");
	assert_non_null(f);
	assert_int_equal(f->pid, 0);
	assert_int_equal(num(f, "tasks"), 30);
	assert_int_equal(num(f, "median_life_ns"), 10 * MS);
	assert_non_null(strstr(f->summary, "30 threads and 0 processes"));
}

static void test_findings_thread_churn_too_few(void **state)
{
	short_threads(19, 10, 0);
	assert_null(found("thread-churn"));
}

static void test_findings_thread_churn_too_slow(void **state)
{
	tr.end_ns = 3000 * MS;		/* 2 s: 19.5 per second */
	short_threads(39, 10, 0);
	assert_null(found("thread-churn"));
}

static void test_findings_thread_churn_long_lives(void **state)
{
	tr.end_ns = 4000 * MS;
	short_threads(80, 1100, 0);	/* 26.7 per second, median 1.1 s */
	assert_null(found("thread-churn"));
}

static void test_findings_thread_churn_not_adopted(void **state)
{
	short_threads(30, 10, KSEE_TF_ADOPTED);
	assert_null(found("thread-churn"));
}

static void uring(__u32 opcode, __u64 count, __u64 punted)
{
	struct ksee_uring_key k = { .tgid = PID, .opcode = opcode };
	struct ksee_uring_op op = { .count = count, .punted = punted };
	struct ksee_task t = thread(PID, 10);

	put(&t);
	assert_int_equal(ks_trace_add_uring(&tr, &k, &op), 0);
}

static void test_findings_uring_punted(void **state)
{
	const struct ks_finding *f;

	uring(22, 100, 10);		/* READ: 10%, 10 */
	f = found("io-uring-punted");
	assert_non_null(f);
	assert_int_equal(f->pid, PID);
	assert_non_null(strstr(f->summary, "READ 10"));
}

static void test_findings_uring_punted_too_few(void **state)
{
	uring(22, 50, 9);
	assert_null(found("io-uring-punted"));
}

static void test_findings_uring_punted_too_small_a_share(void **state)
{
	uring(22, 200, 15);		/* 7.5% */
	assert_null(found("io-uring-punted"));
}

/* @n futex waiters woken @wakeups times, running @run_us each time. */
static void waiters(int n, __u64 wakeups, __u64 run_us)
{
	struct ksee_task t;
	int i;

	for (i = 0; i < n; i++) {
		t = thread(PID + 1 + i, 0);
		t.st.on_cpu_ns = wakeups * run_us * 1000;
		t.st.wakeups = wakeups;
		t.st.voluntary = wakeups;
		t.st.blocked_ns[KSEE_R_FUTEX] = 900 * MS;
		put(&t);
	}
}

static void test_findings_futile_wakeups_herd(void **state)
{
	const struct ks_finding *f;

	waiters(2, 60, 19);
	f = found("futile-wakeups");
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_WARNING);
	assert_int_equal(f->ntids, 2);
	assert_non_null(strstr(f->summary, "thundering herd"));
}

static void test_findings_futile_wakeups_one_thread_is_info(void **state)
{
	const struct ks_finding *f;

	waiters(1, 60, 19);
	f = found("futile-wakeups");
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_INFO);
}

static void test_findings_futile_wakeups_too_few(void **state)
{
	waiters(2, 49, 19);
	assert_null(found("futile-wakeups"));
}

static void test_findings_futile_wakeups_real_work(void **state)
{
	waiters(2, 60, 21);
	assert_null(found("futile-wakeups"));
}

static void resumes(__u64 n, __u64 same)
{
	struct ksee_proc p = fx_proc(PID, 1000, 2000);
	struct ksee_task t = thread(PID, 10);

	p.resumes = n;
	p.resumes_same_thread = same;
	p.awaits = n;
	p.await_hist[20] = n;
	put(&t);
	assert_int_equal(ks_trace_add_proc(&tr, &p, false), 0);
}

static void test_findings_cross_thread_resume(void **state)
{
	const struct ks_finding *f;

	resumes(20, 17);		/* 85% on the same thread */
	f = found("cross-thread-resume");
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_INFO);
	assert_non_null(strstr(f->summary, "15% of 20 continuations"));
}

static void test_findings_cross_thread_resume_mostly_same(void **state)
{
	resumes(20, 18);		/* 90% */
	assert_null(found("cross-thread-resume"));
}

static void test_findings_cross_thread_resume_too_few(void **state)
{
	resumes(9, 0);
	assert_null(found("cross-thread-resume"));
}

static void test_findings_tracing_incomplete_first(void **state)
{
	const struct ks_finding *f;

	resumes(20, 0);			/* an info */
	busy_threads(3, 700, 300);	/* a warning */
	tr.drops.edges = 1;
	f = found("tracing-incomplete");
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_WARNING);
	assert_int_equal(tr.findings.n, 3);
	assert_string_equal(tr.findings.list[0].id, "tracing-incomplete");
	assert_string_equal(tr.findings.list[1].id, "cpu-saturated");
	assert_string_equal(tr.findings.list[2].id, "cross-thread-resume");
}

static void test_findings_switches_inferred(void **state)
{
	struct ksee_task t = thread(PID, 10);
	const struct ks_finding *f;

	t.st.voluntary = 1000;
	put(&t);
	tr.drops.switches_inferred = 10;	/* 1% */
	f = found("tracing-incomplete");
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_INFO);
}

static void test_findings_switches_inferred_few(void **state)
{
	struct ksee_task t = thread(PID, 10);

	t.st.voluntary = 1000;
	put(&t);
	tr.drops.switches_inferred = 9;
	assert_null(found("tracing-incomplete"));
}

static void test_findings_quiet_program_has_none(void **state)
{
	struct ksee_task t = thread(PID, 2);

	t.st.voluntary = 20;
	t.st.blocked_ns[KSEE_R_SLEEP] = 990 * MS;
	t.st.sys[KSEE_R_SLEEP].blocked_calls = 20;
	put(&t);
	ks_trace_finish(&tr);
	assert_int_equal(tr.findings.n, 0);
}

/* A control byte in a task name does not reach a sentence. */
static void test_findings_comm_is_cleaned(void **state)
{
	struct ksee_task t = thread(PID, 790);
	const struct ks_finding *f;

	t.st.comm[1] = '\033';
	t.st.voluntary = 2;
	t.st.sys[KSEE_R_EPOLL].blocked_calls = 1;
	t.st.runq_ns = 30 * MS;
	put(&t);
	f = found("loop-cpu-bound");
	assert_non_null(f);
	assert_null(strchr(f->summary, '\033'));
	assert_non_null(strstr(f->summary, "(a?p)"));
}

static char *render(enum ks_format fmt, size_t *len)
{
	struct report_opts ro = { 0 };
	struct ks_report r = { .tr = &tr };
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_int_equal(ks_render(f, fmt, &r, &ro), 0);
	fclose(f);
	return buf;
}

/* A loop-cpu-bound warning (process) and a cpu-saturated info (trace). */
static void two_findings(void)
{
	struct ksee_task t = thread(PID, 600);

	t.st.voluntary = 2;
	t.st.sys[KSEE_R_EPOLL].blocked_calls = 1;
	t.st.runq_ns = 300 * MS;
	put(&t);
	ks_trace_finish(&tr);
	assert_int_equal(tr.findings.n, 2);
}

static void test_findings_in_every_format(void **state)
{
	struct json_object *o;
	size_t len;
	char *s;

	two_findings();
	s = render(KS_FMT_TEXT, &len);
	assert_non_null(strstr(s, "\nfindings (rules and thresholds: docs/findings.md)\n"));
	assert_non_null(strstr(s, "  warning loop-cpu-bound: thread 500 (app)"));
	assert_non_null(strstr(s, "  info cpu-saturated: "));
	assert_non_null(strstr(s, "    next: "));
	free(s);
	s = render(KS_FMT_JSON, &len);
	o = json_tokener_parse(s);
	assert_non_null(o);
	assert_string_equal(json_object_get_string(get(o, "processes.0.findings.0.id")),
			    "loop-cpu-bound");
	assert_string_equal(json_object_get_string(get(o, "processes.0.findings.0.severity")),
			    "warning");
	assert_int_equal(geti(o, "processes.0.findings.0.pid"), PID);
	assert_int_equal(geti(o, "processes.0.findings.0.tids.0"), PID);
	assert_non_null(get(o, "processes.0.findings.0.numbers.busy_share_min"));
	assert_non_null(get(o, "processes.0.findings.0.summary"));
	assert_string_equal(json_object_get_string(get(o, "findings.0.id")), "cpu-saturated");
	assert_true(json_object_is_type(get(o, "findings.0.pid"), json_type_null) ||
		    !get(o, "findings.0.pid"));
	assert_int_equal(json_object_array_length(get(o, "findings")), 1);
	json_object_put(o);
	free(s);
	s = render(KS_FMT_MD, &len);
	assert_non_null(strstr(s, "### Findings"));
	assert_non_null(strstr(s, "- **warning** `loop-cpu-bound`: "));
	free(s);
	s = render(KS_FMT_HTML, &len);
	assert_non_null(strstr(s, "<section id=\"findings\">"));
	assert_non_null(strstr(s, "data-id=\"loop-cpu-bound\""));
	assert_non_null(strstr(s, "data-id=\"cpu-saturated\""));
	free(s);
}

static void test_findings_none_said_so(void **state)
{
	size_t len;
	char *s;

	ks_trace_finish(&tr);
	s = render(KS_FMT_TEXT, &len);
	assert_non_null(strstr(s, "\nfindings: none (rules: docs/findings.md)\n"));
	free(s);
}

/* A recording keeps what the findings were computed from, CPUs included. */
static void test_findings_kept_in_recordings(void **state)
{
	struct rec_file rf;
	char *buf = NULL, err[256];
	size_t len;
	FILE *f;

	tr.cpus_free = 0.25;
	two_findings();
	f = open_memstream(&buf, &len);
	assert_int_equal(rec_write_header(f), 0);
	assert_int_equal(rec_write_trace(f, 1, &tr, NULL), 0);
	assert_int_equal(rec_write_end(f), 0);
	fclose(f);
	f = fmemopen(buf, len, "rb");
	assert_non_null(f);
	assert_int_equal(rec_read(&rf, f, err, sizeof(err)), 0);
	assert_true(rf.traces[1].cpus_available == 2);
	assert_true(rf.traces[1].cpus_free == 0.25);
	assert_int_equal(rf.traces[1].findings.n, 2);
	assert_string_equal(rf.traces[1].findings.list[0].summary, tr.findings.list[0].summary);
	assert_string_equal(rf.traces[1].findings.list[1].summary, tr.findings.list[1].summary);
	rec_free(&rf);
	fclose(f);
	free(buf);
}

/* A comparison's model column carries its trace's findings, in every format. */
static void test_findings_in_compare(void **state)
{
	struct cmp_run *run = calloc(1, sizeof(*run));
	struct report_opts ro = { 0 };
	struct ks_report r = { .cmp = run };
	struct json_object *o;
	char *buf = NULL;
	size_t len;
	FILE *f;

	assert_non_null(run);
	two_findings();
	run->ncpus = 2;
	run->res[CMP_EPOLL].model = CMP_EPOLL;
	run->res[CMP_EPOLL].selected = run->res[CMP_EPOLL].ran = true;
	cmp_result_from_trace(&run->res[CMP_EPOLL], &tr);
	cmp_verdicts(run);
	assert_int_equal(run->res[CMP_EPOLL].findings.n, 2);
	f = open_memstream(&buf, &len);
	assert_int_equal(ks_render(f, KS_FMT_JSON, &r, &ro), 0);
	fclose(f);
	o = json_tokener_parse(buf);
	assert_non_null(o);
	assert_string_equal(json_object_get_string(get(o, "models.0.findings.0.id")),
			    "loop-cpu-bound");
	assert_string_equal(json_object_get_string(get(o, "models.0.findings.1.id")),
			    "cpu-saturated");
	json_object_put(o);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(ks_render(f, KS_FMT_TEXT, &r, &ro), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\nfindings, epoll model (rules and thresholds"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(ks_render(f, KS_FMT_MD, &r, &ro), 0);
	fclose(f);
	assert_non_null(strstr(buf, "#### Findings: epoll model"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(ks_render(f, KS_FMT_HTML, &r, &ro), 0);
	fclose(f);
	assert_non_null(strstr(buf, "<h3>epoll model</h3>"));
	assert_non_null(strstr(buf, "data-id=\"loop-cpu-bound\""));
	free(buf);
	free(run);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_findings_loop_cpu_bound_above_80_percent),
		T(test_findings_loop_cpu_bound_below_80_percent),
		T(test_findings_loop_cpu_bound_needs_a_loop_thread),
		T(test_findings_loop_blocked_above_thresholds),
		T(test_findings_loop_blocked_below_blocked_share),
		T(test_findings_loop_blocked_below_life_share),
		T(test_findings_cpu_saturated_more_runnable_than_cpus),
		T(test_findings_cpu_saturated_below_share),
		T(test_findings_cpu_saturated_by_other_work_is_info),
		T(test_findings_cpu_saturated_free_unknown_says_so),
		T(test_findings_cpu_saturated_needs_half_a_task),
		T(test_findings_lock_serialized),
		T(test_findings_lock_too_few_wakeups),
		T(test_findings_lock_too_little_futex),
		T(test_findings_lock_contention_in_parallel),
		T(test_findings_lock_one_cpu_cannot_tell),
		T(test_findings_lock_busy_machine_cannot_tell),
		T(test_findings_lock_busy_machine_still_serialized),
		T(test_findings_lock_idle_threads_not_summed),
		T(test_findings_lock_idle_threads_left_out),
		T(test_findings_lock_idle_waiters_are_not_a_lock),
		T(test_findings_thread_churn),
		T(test_findings_thread_churn_too_few),
		T(test_findings_thread_churn_too_slow),
		T(test_findings_thread_churn_long_lives),
		T(test_findings_thread_churn_not_adopted),
		T(test_findings_uring_punted),
		T(test_findings_uring_punted_too_few),
		T(test_findings_uring_punted_too_small_a_share),
		T(test_findings_futile_wakeups_herd),
		T(test_findings_futile_wakeups_one_thread_is_info),
		T(test_findings_futile_wakeups_too_few),
		T(test_findings_futile_wakeups_real_work),
		T(test_findings_cross_thread_resume),
		T(test_findings_cross_thread_resume_mostly_same),
		T(test_findings_cross_thread_resume_too_few),
		T(test_findings_tracing_incomplete_first),
		T(test_findings_switches_inferred),
		T(test_findings_switches_inferred_few),
		T(test_findings_quiet_program_has_none),
		T(test_findings_comm_is_cleaned),
		T(test_findings_in_every_format),
		T(test_findings_none_said_so),
		T(test_findings_kept_in_recordings),
		T(test_findings_in_compare),
	};

	return cmocka_run_group_tests_name("findings", tests, NULL, NULL);
}

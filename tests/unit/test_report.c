// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "jsonpath.h"
#include <stdlib.h>
#include <json-c/json.h>
#include "fixtures.h"
#include "output/report.h"

static char *render_text(const struct ks_trace *tr, unsigned int max_threads)
{
	struct report_opts o = { .max_threads = max_threads, .max_edges = 10, .histograms = true };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	report_text(f, tr, &o);
	fclose(f);
	return buf;
}

static void test_report_text_summary(void **state)
{
	struct ks_trace tr;
	char *s;

	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	s = render_text(&tr, 20);
	assert_non_null(strstr(s, "process 100 demo (uid 1000, parent 1), wall 100.00 ms, exited"));
	assert_non_null(strstr(s, "on-CPU        10.00 ms   parallelism 0.10"));
	assert_non_null(strstr(s, "9 voluntary, 1 involuntary"));
	assert_non_null(strstr(s, "off-CPU       173.00 ms = blocked 170.00 ms + waking up 1.00 ms + "
			       "waiting for a CPU 2.00 ms"));
	assert_non_null(strstr(s, "wake-up       3 wakeups timed, latency p50 "));
	/* shares of thread-time: two tasks of 100 ms */
	assert_non_null(strstr(s, "thread-time   200.00 ms (each task's time in the trace, summed): "
			       "on CPU 5%, blocked 85%,\n                waking up <1%, waiting for "
			       "a CPU 1%\n"));
	assert_non_null(strstr(s, "futex 80.00 ms (40%)"));
	assert_non_null(strstr(s, "read 90.00 ms (45%)"));
	assert_non_null(strstr(s, "  101     worker          thread      6.00 ms   6%"));
	assert_null(strstr(s, "idle"));
	assert_non_null(strstr(s, "read: 4 calls, 4 blocked (90.00 ms)"));
	assert_non_null(strstr(s, "100 demo                                 -> 101 worker"));
	assert_non_null(strstr(s, "lost: nothing"));
	free(s);
	ks_trace_free(&tr);
}

static void test_report_text_fits_100_columns(void **state)
{
	struct ks_trace tr;
	char *s, *line;

	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	s = render_text(&tr, 20);
	for (line = strtok(s, "\n"); line; line = strtok(NULL, "\n"))
		assert_in_range(strlen(line), 0, 100);
	free(s);
	ks_trace_free(&tr);
}

/* The text of 10 requests, 100 ms in all, 60 ms off their thread: IO_MS and AFTER_MS told apart. */
static char *bill_text(__u64 io_ms, __u64 after_ms)
{
	struct ks_trace tr;
	struct ks_process *p;
	char *s;

	fx_two_threads(&tr);
	p = ks_trace_find(&tr, 100);
	p->kp.billed = 10;
	p->kp.bill_latency_ns = 100 * MS;
	p->kp.bill_held_ns = 40 * MS;
	p->kp.bill_off_ns = 60 * MS;
	p->kp.bill_io_ns = io_ms * MS;
	p->kp.bill_after_io_ns = after_ms * MS;
	ks_trace_finish(&tr);
	s = render_text(&tr, 20);
	ks_trace_free(&tr);
	return s;
}

/* The bill, with its time off its thread told apart or not, in 100 columns. */
static void test_report_text_bill(void **state)
{
	char *s = bill_text(30, 20), *line;

	assert_non_null(strstr(s, "  bill          10 requests, latency p50 "));
	assert_non_null(strstr(s, "off its thread 60%: waiting for I/O 30%, then for its thread "
			       "20%,\n                not told apart 10%; total 100.00 ms\n"));
	for (line = strtok(s, "\n"); line; line = strtok(NULL, "\n"))
		assert_in_range(strlen(line), 0, 100);
	free(s);
	/* nothing told apart: one part, and it says so */
	s = bill_text(0, 0);
	assert_non_null(strstr(s, "off its thread 60% (waiting for I/O, then for its thread: not "
			       "told apart); total 100.00 ms\n"));
	free(s);
}

/* Fewer io_uring completions than submissions: the report says so, in 100 columns. */
static void test_report_text_uring_completions_short(void **state)
{
	struct ksee_uring_key k = { .tgid = 100, .opcode = 27 };	/* RECV */
	struct ksee_uring_op op = { .count = 6, .latency_ns = 6000000 };
	struct ks_trace tr;
	char *s, *line;

	fx_two_threads(&tr);
	ks_trace_find(&tr, 100)->threads[0].st.uring_submitted = 10;
	assert_int_equal(ks_trace_add_uring(&tr, &k, &op), 0);
	ks_trace_finish(&tr);
	s = render_text(&tr, 20);
	assert_non_null(strstr(s, "completions of 6 of the 10 requests submitted; the rest were "
			       "in flight at\n                the end, or the kernel completed "
			       "them without its io_uring_complete event\n"));
	for (line = strtok(s, "\n"); line; line = strtok(NULL, "\n"))
		assert_in_range(strlen(line), 0, 100);
	free(s);
	ks_trace_free(&tr);
	/* all completions seen: no such line */
	fx_two_threads(&tr);
	ks_trace_find(&tr, 100)->threads[0].st.uring_submitted = 6;
	assert_int_equal(ks_trace_add_uring(&tr, &k, &op), 0);
	ks_trace_finish(&tr);
	s = render_text(&tr, 20);
	assert_non_null(strstr(s, "RECV"));
	assert_null(strstr(s, "completions of"));
	free(s);
	ks_trace_free(&tr);
}

static void test_report_text_caps_threads_and_shows_drops(void **state)
{
	struct ks_trace tr;
	char *s;

	fx_two_threads(&tr);
	tr.drops.ringbuf = 3;
	tr.drops.hists = 4;
	ks_trace_notice(&tr, "io_uring tracepoints unavailable");
	ks_trace_finish(&tr);
	s = render_text(&tr, 1);
	assert_non_null(strstr(s, "... 1 more threads"));
	assert_non_null(strstr(s, "3 records"));
	assert_non_null(strstr(s, "4 histogram counts (a task's bucket was full, or no room for a "
			       "bill's)"));
	assert_non_null(strstr(s, "NOT accounted"));
	assert_non_null(strstr(s, "notice: io_uring tracepoints unavailable"));
	free(s);
	ks_trace_free(&tr);
}

static void test_report_json_shape(void **state)
{
	struct json_object *o;
	struct ks_trace tr;

	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	o = report_json(&tr);
	assert_int_equal(geti(o, "schema"), 2);
	assert_string_equal(json_object_get_string(get(o, "mode")), "run");
	assert_int_equal(geti(o, "totals.tasks"), 2);
	assert_int_equal(geti(o, "totals.processes"), 1);
	assert_int_equal(geti(o, "processes.0.pid"), 100);
	assert_int_equal(geti(o, "processes.0.uid"), 1000);
	assert_int_equal(geti(o, "processes.0.on_cpu_ns"), 10 * MS);
	assert_int_equal(geti(o, "processes.0.off_cpu.by_reason.read"), 90 * MS);
	/* blocked 170 ms + waking up 1 ms + waiting for a CPU 2 ms */
	assert_int_equal(geti(o, "processes.0.off_cpu.total_ns"), 173 * MS);
	assert_int_equal(geti(o, "processes.0.off_cpu.wakelat_ns"), 1 * MS);
	assert_int_equal(geti(o, "processes.0.wakeup_latency.count"), 3);
	assert_int_equal(geti(o, "processes.0.threads.0.wakeup_latency.count"), 3);
	assert_int_equal(geti(o, "processes.0.histograms.wakeup_latency.0.low"), 262144);
	assert_int_equal(geti(o, "processes.0.syscalls.futex.blocked_calls"), 5);
	assert_null(get(o, "processes.0.syscalls.epoll"));	/* no calls: left out */
	assert_int_equal(geti(o, "processes.0.threads.0.tid"), 101);
	assert_string_equal(json_object_get_string(get(o, "processes.0.threads.0.kind")), "thread");
	assert_int_equal(geti(o, "processes.0.threads.0.runq_latency.count"), 5);
	assert_int_equal(geti(o, "processes.0.histograms.runq.0.low"), 16384);
	assert_int_equal(geti(o, "wakeups.0.waker_tid"), 100);
	assert_string_equal(json_object_get_string(get(o, "wakeups.0.waker_kind")), "thread");
	assert_int_equal(geti(o, "drops.ringbuf"), 0);
	assert_int_equal(geti(o, "drops.hists"), 0);
	assert_null(get(o, "exit"));	/* only when the exit is known */
	/* thread-time and its shares; no task idle */
	assert_int_equal(geti(o, "processes.0.thread_ns"), 200 * MS);
	assert_int_equal(geti(o, "totals.thread_ns"), 200 * MS);
	assert_int_equal(geti(o, "processes.0.idle.tasks"), 0);
	assert_int_equal(json_object_object_length(get(o, "processes.0.idle.by_reason")), 0);
	assert_float_equal(json_object_get_double(get(o, "processes.0.shares.on_cpu")), 0.05,
			   1e-9);
	assert_float_equal(json_object_get_double(get(o,
			   "processes.0.shares.blocked_by_reason.read")), 0.45, 1e-9);
	assert_float_equal(json_object_get_double(get(o, "processes.0.shares.waiting_for_cpu")),
			   0.01, 1e-9);
	assert_int_equal(geti(o, "processes.0.threads.0.life_ns"), 100 * MS);
	assert_false(json_object_get_boolean(get(o, "processes.0.threads.0.idle")));
	assert_float_equal(json_object_get_double(get(o, "processes.0.threads.0.shares.on_cpu")),
			   0.06, 1e-9);
	json_object_put(o);
	ks_trace_free(&tr);
}

/* Idle tasks in JSON: counted, by reason, each thread marked. */
static void test_report_json_idle_tasks(void **state)
{
	struct ksee_task t = fx_task(102, 100, "pool", 0);
	struct json_object *o;
	struct ks_trace tr;
	char *s;

	fx_two_threads(&tr);
	tr.end_ns = 1600 * MS;	/* every task lived 600 ms of it */
	t.st.on_cpu_ns = 50000;
	t.st.blocked_ns[KSEE_R_FUTEX] = 599 * MS;
	ks_trace_add_task(&tr, &t, false);
	ks_trace_finish(&tr);
	o = report_json(&tr);
	assert_int_equal(geti(o, "processes.0.thread_ns"), 1800 * MS);
	assert_int_equal(geti(o, "processes.0.idle.tasks"), 1);
	assert_int_equal(geti(o, "processes.0.idle.thread_ns"), 600 * MS);
	assert_int_equal(geti(o, "processes.0.idle.by_reason.futex.tasks"), 1);
	assert_int_equal(geti(o, "processes.0.idle.by_reason.futex.blocked_ns"), 599 * MS);
	assert_true(json_object_get_boolean(get(o, "processes.0.threads.2.idle")));
	json_object_put(o);
	s = render_text(&tr, 20);
	assert_non_null(strstr(s, "tasks         3 (0 kernel-created io_uring workers); 1 idle the "
			       "whole time\n"));
	assert_non_null(strstr(s, "futex 679.00 ms (38%; 599.00 ms of it in 1 idle task)"));
	assert_non_null(strstr(s, "  1 task idle the whole time in futex (599.00 ms asleep): 102 "
			       "pool\n"));
	assert_null(strstr(s, "  102     pool"));	/* not a row of the table */
	free(s);
	ks_trace_free(&tr);
}

/* True if OBJ has KEY and its value is JSON null. */
static bool null_member(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;

	return obj && json_object_object_get_ex(obj, key, &v) && !v;
}

/* Without the sys_exit hook: sleeps per family, and what was not measured says so. */
static void test_report_without_syscalls(void **state)
{
	struct json_object *o;
	struct ks_trace tr;
	char *s;

	fx_two_threads(&tr);
	tr.features.syscalls = false;
	ks_trace_finish(&tr);
	s = render_text(&tr, 20);
	assert_non_null(strstr(s, "read: blocked 4 times (90.00 ms)"));
	assert_non_null(strstr(s, "(calls, events returned: --syscalls)"));
	assert_null(strstr(s, "calls, 4 blocked"));
	free(s);

	o = report_json(&tr);
	assert_int_equal(geti(o, "processes.0.syscalls.read.blocked_calls"), 4);
	assert_int_equal(geti(o, "processes.0.syscalls.read.blocked_ns"), 90 * MS);
	assert_true(null_member(get(o, "processes.0.syscalls.read"), "calls"));
	assert_true(null_member(get(o, "processes.0.syscalls.read"), "total_ns"));
	assert_true(null_member(get(o, "processes.0.epoll"), "calls"));
	assert_true(null_member(get(o, "processes.0.epoll"), "events"));
	assert_true(null_member(get(o, "processes.0.io_uring_enter"), "waits"));
	assert_int_equal(geti(o, "processes.0.io_uring_enter.submitted"), 0);
	assert_true(null_member(get(o, "processes.0.threads.0"), "epoll_events"));
	json_object_put(o);

	ks_trace_free(&tr);

	/* with it, the same numbers are numbers */
	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	o = report_json(&tr);
	assert_int_equal(geti(o, "processes.0.syscalls.read.calls"), 4);
	assert_int_equal(geti(o, "processes.0.epoll.calls"), 0);
	json_object_put(o);
	ks_trace_free(&tr);
}

static void test_report_json_exit_and_escaping(void **state)
{
	char *argv[] = { "./prog", "a \"quoted\"\narg" };
	struct json_object *o, *back;
	struct ks_trace tr;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	fx_two_threads(&tr);
	tr.argv = argv;
	tr.argc = 2;
	tr.have_exit = true;
	tr.exit_signal = 9;
	tr.exit_status = 137;
	ks_trace_finish(&tr);
	f = open_memstream(&buf, &len);
	assert_int_equal(report_json_print(f, &tr), 0);
	fclose(f);
	back = json_tokener_parse(buf);
	assert_non_null(back);
	assert_string_equal(json_object_get_string(get(back, "command.1")), argv[1]);
	assert_int_equal(geti(back, "exit.status"), 137);
	assert_int_equal(geti(back, "exit.signal"), 9);
	json_object_put(back);
	(void)o;
	free(buf);
	ks_trace_free(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_text_summary),
		cmocka_unit_test(test_report_text_fits_100_columns),
		cmocka_unit_test(test_report_text_caps_threads_and_shows_drops),
		cmocka_unit_test(test_report_text_uring_completions_short),
		cmocka_unit_test(test_report_text_bill),
		cmocka_unit_test(test_report_json_shape),
		cmocka_unit_test(test_report_json_idle_tasks),
		cmocka_unit_test(test_report_without_syscalls),
		cmocka_unit_test(test_report_json_exit_and_escaping),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}

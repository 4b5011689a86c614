// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "jsonpath.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <json-c/json.h>
#include "fixtures.h"

static void test_compare_model_names_round_trip(void **state)
{
	static const char *const want[] = { "blocking", "threads", "pool", "epoll", "uring",
					    "coro", "gil", "procs", "py-asyncio",
					    "py-asyncio-blocking", "py-threads", "py-procs",
					    "cs-async", "go", "node" };
	int m;

	assert_int_equal(sizeof(want) / sizeof(want[0]), CMP_NMODELS);
	for (m = 0; m < CMP_NMODELS; m++) {
		assert_string_equal(cmp_model_name(m), want[m]);
		assert_int_equal(cmp_model_parse(want[m]), m);
		assert_int_equal(cmp_model_is_runtime(m), m >= CMP_NDEMOS);
	}
	assert_int_equal(cmp_model_parse("asyncio"), -1);
	assert_int_equal(cmp_model_parse(""), -1);
	assert_int_equal(cmp_model_parse(NULL), -1);
	assert_string_equal(cmp_model_name(CMP_NMODELS), "?");
}

static void test_compare_demo_line_parsed(void **state)
{
	struct cmp_demo_line d;

	assert_int_equal(cmp_parse_demo_line("model=epoll requests=40 errors=0 wall_ms=123.4 "
					     "p50_ms=20.3 p99_ms=21.0 concurrency=8 workers=1 "
					     "io_ms=20 cpu_us=500 future_key=x\n", &d), 0);
	assert_true(d.parsed);
	assert_int_equal(d.requests, 40);
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.workers, 1);
	assert_float_equal(d.wall_ms, 123.4, 1e-9);
	assert_float_equal(d.p50_ms, 20.3, 1e-9);
	assert_float_equal(d.p99_ms, 21.0, 1e-9);
	/* an older demo: the newer fields are unknown */
	assert_true(isnan(d.wait_p50_ms) && isnan(d.wait_p99_ms));
	assert_true(isnan(d.setup_cpu_ms) && isnan(d.work_cpu_ms) && isnan(d.cpu_ms));
}

static void test_compare_demo_line_cpu_and_wait(void **state)
{
	struct cmp_demo_line d;

	assert_int_equal(cmp_parse_demo_line("model=epoll requests=40 errors=0 wall_ms=123.4 "
					     "p50_ms=30.3 p99_ms=31.0 concurrency=8 workers=1 "
					     "io_ms=20 cpu_us=500 wait_p50_ms=20.262 "
					     "wait_p99_ms=24.5 setup_cpu_ms=4.536 work_cpu_ms=20.1 "
					     "cpu_ms=25.75", &d), 0);
	assert_float_equal(d.wait_p50_ms, 20.262, 1e-9);
	assert_float_equal(d.wait_p99_ms, 24.5, 1e-9);
	assert_float_equal(d.setup_cpu_ms, 4.536, 1e-9);
	assert_float_equal(d.work_cpu_ms, 20.1, 1e-9);
	assert_float_equal(d.cpu_ms, 25.75, 1e-9);
	assert_int_equal(cmp_parse_demo_line("model=epoll requests=40 errors=0 wall_ms=1 "
					     "work_cpu_ms=x", &d), -EINVAL);
}

static void test_compare_demo_line_nan_latency(void **state)
{
	struct cmp_demo_line d;

	assert_int_equal(cmp_parse_demo_line("model=pool requests=0 errors=40 wall_ms=5.0 "
					     "p50_ms=nan p99_ms=-nan", &d), 0);
	assert_int_equal(d.errors, 40);
	assert_true(isnan(d.p50_ms));
}

static void test_compare_demo_line_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"requests=40 errors=0 wall_ms=1.0",			/* no model */
		"model=epoll errors=0 wall_ms=1.0",			/* no requests */
		"model=epoll requests=40 wall_ms=1.0",			/* no errors */
		"model=epoll requests=40 errors=0",			/* no wall_ms */
		"model=asyncio requests=40 errors=0 wall_ms=1.0",	/* unknown model */
		"model=epoll requests=forty errors=0 wall_ms=1.0",
		"model=epoll requests=-1 errors=0 wall_ms=1.0",
		"model=epoll requests=40 errors=0 wall_ms=1.0ms",
		"model=epoll requests=40 errors=0 wall_ms=",
		"model=epoll requests=40 errors=0 wall_ms=1.0 p50_ms=x",
		"model=epoll requests=40 errors=0 wall_ms=1.0 garbage",
		"epoll: cannot connect to the server: Connection refused",
	};
	struct cmp_demo_line d;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.parsed = true;
		if (cmp_parse_demo_line(bad[i], &d) != -EINVAL)
			fail_msg("accepted: \"%s\"", bad[i]);
		assert_false(d.parsed);
	}
}

static void test_compare_result_from_trace(void **state)
{
	struct ksee_task w = fx_task(102, 100, "iou-wrk-100", 1);
	struct ksee_edge_key self = { .wakee_tgid = 100, .wakee_tid = 101, .waker_tid = 101,
				      .waker_tgid = 100 };
	struct ksee_edge_key ext = { .wakee_tgid = 100, .wakee_tid = 100, .waker_tid = 7,
				     .waker_tgid = 7 };
	struct ksee_edge e = { .count = 3 };
	struct cmp_result res;
	struct ks_trace tr;

	fx_two_threads(&tr);	/* 100 wakes 101 four times */
	w.st.flags |= KSEE_TF_IO_WORKER;
	w.st.blocked_ns[KSEE_R_IO_URING] = 7 * MS;
	w.st.blocked_ns[KSEE_R_SLEEP] = 50 * MS;	/* not I/O */
	ks_trace_add_task(&tr, &w, false);
	ks_trace_add_edge(&tr, &self, &e);	/* a task waking itself: not cross-thread */
	ks_trace_add_edge(&tr, &ext, &e);	/* another process: not cross-thread */
	ks_trace_finish(&tr);

	memset(&res, 0, sizeof(res));
	res.model = CMP_URING;
	cmp_result_from_trace(&res, &tr);
	assert_int_equal(res.model, CMP_URING);
	assert_int_equal(res.processes, 1);
	assert_int_equal(res.sum.tasks, 3);
	assert_int_equal(res.sum.kernel_workers, 1);
	assert_int_equal(res.user_tasks, 2);
	assert_int_equal(res.cross_thread_wakeups, 4);
	assert_int_equal(res.io_blocked_ns, 90 * MS + 7 * MS);	/* read + io_uring */
	assert_int_equal(res.sum.on_cpu_ns, 11 * MS);
	ks_trace_free(&tr);
}

static char *render_text(const struct cmp_run *run)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cmp_report_text(f, run);
	fclose(f);
	return buf;
}

/* Every line of @s at most 100 columns; returns how many lines. */
static int assert_fits_100(const char *s)
{
	const char *p = s, *nl;
	int lines = 0;

	for (; *p; p = nl + 1, lines++) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		if (nl - p > 100)
			fail_msg("line of %d columns: %.*s", (int)(nl - p), (int)(nl - p), p);
	}
	return lines;
}

static void test_compare_text_fits_100_columns(void **state)
{
	struct cmp_run run;
	char *s;

	fx_compare_run(&run);
	cmp_verdicts(&run);
	s = render_text(&run);
	assert_in_range(assert_fits_100(s), 40, 200);
	assert_non_null(strstr(s, "ksee compare: R 40 requests, C 8 in flight, D 5 ms"));
	assert_non_null(strstr(s, "                       blocking  threads     pool    epoll"
				  "    uring     coro      gil    procs\n"));
	assert_non_null(strstr(s, "\nkernel tasks                  1       41        5        1"
				  "        3        1        5        4\n"));
	assert_non_null(strstr(s, "\n  made by the kernel          0        0        0        0"
				  "        2"));
	assert_non_null(strstr(s, "\nparallelism avg/peak     0.81/1   1.82/2"));
	assert_non_null(strstr(s, "\nwall (demo)               1.00s    450ms"));
	assert_non_null(strstr(s, "\nsame-thread resumes           -        -    50.0%   100.0%"));
	assert_non_null(strstr(s, "\nC1 holds         an event loop (asyncio-style) is one kernel "
				  "thread (epoll, coro, uring)\n"));
	assert_non_null(strstr(s, "\n                 epoll 1 task, coro 1 task, uring 1 task"));
	assert_non_null(strstr(s, "\n                 note: the kernel added 2 io-wq workers"));
	free(s);
}

static void test_compare_text_failed_model(void **state)
{
	struct cmp_run run;
	char *s;

	fx_compare_run(&run);
	run.res[CMP_POOL].failed = true;
	run.res[CMP_POOL].exit_status = 1;
	snprintf(run.res[CMP_POOL].error, sizeof(run.res[CMP_POOL].error),
		 "3 of 40 requests failed: /a/very/long/path/without/any/spaces/in/it/that/goes"
		 "/on/and/on/and/on/well/past/one/hundred/columns/of/terminal/width/x");
	run.res[CMP_GIL].ran = false;
	run.res[CMP_PROCS].selected = run.res[CMP_PROCS].ran = false;
	run.interrupted = true;
	cmp_verdicts(&run);
	s = render_text(&run);
	assert_fits_100(s);
	assert_non_null(strstr(s, "\nstatus                       ok       ok   FAILED       ok"
				  "       ok       ok  not run\n"));	/* procs not selected */
	assert_non_null(strstr(s, "\nkernel tasks                  1       41        -        1"));
	assert_non_null(strstr(s, "\npool FAILED (exit status 1): 3 of 40 requests failed:"));
	assert_non_null(strstr(s, "\ngil: not run\n"));
	assert_non_null(strstr(s, "interrupted (Ctrl-C)"));
	assert_non_null(strstr(s, "\nC4 not measured  a thread-pool runtime"));
	assert_non_null(strstr(s, "note: pool failed"));
	free(s);
}

static const char *gets_(struct json_object *o, const char *path)
{
	struct json_object *v = get(o, path);

	if (!v)
		fail_msg("no %s", path);
	return json_object_get_string(v);
}

static void test_compare_json_round_trip(void **state)
{
	struct json_object *o, *x;
	struct cmp_run run;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	fx_compare_run(&run);
	run.res[CMP_POOL].failed = true;
	strcpy(run.res[CMP_POOL].error, "timed out after 30 s \"quoted\"");
	run.res[CMP_GIL].ran = false;
	run.res[CMP_PROCS].selected = false;
	run.res[CMP_CORO].demo.p50_ms = NAN;
	cmp_verdicts(&run);
	f = open_memstream(&buf, &len);
	assert_int_equal(cmp_report_json(f, &run), 0);
	fclose(f);
	o = json_tokener_parse(buf);
	assert_non_null(o);
	assert_int_equal(geti(o, "schema"), 1);
	assert_string_equal(gets_(o, "kind"), "compare");
	assert_int_equal(geti(o, "workload.requests"), 40);
	assert_int_equal(geti(o, "workload.cpu_us"), 20000);
	assert_int_equal(geti(o, "ncpus"), 2);
	assert_string_equal(gets_(o, "kernel"), "6.18.0-test");
	assert_false(json_object_get_boolean(get(o, "interrupted")));
	assert_int_equal(json_object_array_length(get(o, "models")), 7);	/* procs not selected */
	assert_string_equal(gets_(o, "models.0.model"), "blocking");
	assert_true(json_object_get_boolean(get(o, "models.0.ran")));
	assert_null(get(o, "models.0.error"));
	assert_int_equal(geti(o, "models.0.demo.requests"), 40);
	assert_int_equal(geti(o, "models.0.io_blocked_ns"), 195 * MS);
	assert_int_equal(geti(o, "models.0.off_cpu.by_reason.read"), 195 * MS);
	assert_int_equal(geti(o, "models.0.runq_latency.count"), 0);
	assert_int_equal(geti(o, "models.0.epoll.blocked_calls"), 0);
	assert_non_null(get(o, "models.0.io_uring_enter"));
	assert_string_equal(gets_(o, "models.2.model"), "pool");
	assert_true(json_object_get_boolean(get(o, "models.2.failed")));
	assert_string_equal(gets_(o, "models.2.error"), "timed out after 30 s \"quoted\"");
	assert_int_equal(geti(o, "models.3.epoll.blocked_calls"), 10);
	assert_int_equal(geti(o, "models.3.markers.awaits"), 40);
	x = get(o, "models.3.markers.same_thread_share");
	assert_float_equal(json_object_get_double(x), 1.0, 1e-9);
	assert_int_equal(geti(o, "models.4.user_tasks"), 1);
	assert_int_equal(geti(o, "models.4.kernel_workers"), 2);
	assert_null(get(o, "models.5.demo.p50_ms"));		/* NaN: null */
	assert_true(json_object_object_get_ex(get(o, "models.5.demo"), "p50_ms", NULL));
	assert_string_equal(gets_(o, "models.6.model"), "gil");
	assert_false(json_object_get_boolean(get(o, "models.6.ran")));
	assert_null(get(o, "models.6.on_cpu_ns"));
	assert_true(json_object_get_boolean(get(o, "c5.measured")));
	assert_float_equal(json_object_get_double(get(o, "c5.lag_busy_ms")), 60, 1e-9);
	assert_int_equal(json_object_array_length(get(o, "verdicts")), CMP_NDEMO_CLAIMS);
	assert_string_equal(gets_(o, "verdicts.0.id"), "C1");
	assert_string_equal(gets_(o, "verdicts.0.verdict"), "holds");
	assert_string_equal(gets_(o, "verdicts.0.models"), "epoll, coro, uring");
	assert_non_null(strstr(gets_(o, "verdicts.0.numbers"), "uring 1 task"));
	assert_string_equal(gets_(o, "verdicts.3.verdict"), "not measured");
	assert_null(get(o, "verdicts.2.note"));
	json_object_put(o);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_model_names_round_trip),
		cmocka_unit_test(test_compare_demo_line_parsed),
		cmocka_unit_test(test_compare_demo_line_cpu_and_wait),
		cmocka_unit_test(test_compare_demo_line_nan_latency),
		cmocka_unit_test(test_compare_demo_line_malformed),
		cmocka_unit_test(test_compare_result_from_trace),
		cmocka_unit_test(test_compare_text_fits_100_columns),
		cmocka_unit_test(test_compare_text_failed_model),
		cmocka_unit_test(test_compare_json_round_trip),
	};

	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}

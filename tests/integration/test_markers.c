// SPDX-License-Identifier: GPL-2.0-only
/*
 * The task markers of tests/progs/marks.c, whose counts are known, read
 * both ways: by the marker block (the default of `ksee run`) and by the
 * USDT probes (--markers=usdt). Both must give exactly those counts; a
 * block that is garbage must be refused and counted, never believed.
 * The per-request bill against the demo models: test_bill.c.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N	1000

static const char *const block_opt[] = { "--markers=block", NULL };
static const char *const usdt_opt[] = { "--markers=usdt", NULL };

static void expect_counts(json_object *m, int64_t started, int64_t awaits, int64_t matched,
			  int64_t unmatched, int64_t same)
{
	harness_expect_eq("requests_started", harness_int(m, "requests_started"), started);
	harness_expect_eq("requests_done", harness_int(m, "requests_done"), started);
	harness_expect_eq("awaits", harness_int(m, "awaits"), awaits);
	harness_expect_eq("resumes (matched)", harness_int(m, "resumes"), matched);
	harness_expect_eq("resumes_unmatched", harness_int(m, "resumes_unmatched"), unmatched);
	harness_expect_eq("resumes_same_thread", harness_int(m, "resumes_same_thread"), same);
}

static void known_counts(const char *const *opts, const char *path)
{
	const char *argv[] = { harness_prog("marks"), "1000", NULL };
	struct harness_proc p;
	json_object *r, *proc, *m;
	int64_t hist = 0;
	size_t i;

	harness_require_root();
	r = harness_run_prog_opts(&p, NULL, opts, argv, 0);
	assert_string_equal(json_object_get_string(harness_get(r, "features.marker_path")), path);
	harness_expect_eq("drops.marker_blocks", harness_int(r, "drops.marker_blocks"), 0);
	proc = harness_main_process(r);
	m = harness_get(proc, "markers");
	assert_non_null(m);
	assert_string_equal(json_object_get_string(harness_get(m, "path")), path);
	expect_counts(m, 2 * N, 2 * N + 2, 2 * N + 1, 4, N + 1);
	harness_expect_eq("collisions", harness_int(m, "collisions"), 0);
	/* every matched resume has its await-to-resume time */
	for (i = 0; i < json_object_array_length(harness_get(m, "await_to_resume.histogram"));
	     i++)
		hist += harness_int(json_object_array_get_idx(
				harness_get(m, "await_to_resume.histogram"), i), "count");
	harness_expect_eq("await_to_resume samples", hist, 2 * N + 1);
	/* per thread: all resumes, matched or not */
	harness_expect_eq("threads' awaits", harness_sum_threads(proc, "awaits"), 2 * N + 2);
	harness_expect_eq("threads' resumes", harness_sum_threads(proc, "resumes"), 2 * N + 5);
	/* both paths bill the local and the handed-off requests, not id -1 (never started) */
	harness_expect_eq("bill.requests", harness_int(proc, "bill.requests"), 2 * N);
	harness_proc_free(&p);
}

static void test_markers_block(void **state)
{
	known_counts(block_opt, "block");
}

static void test_markers_usdt(void **state)
{
	known_counts(usdt_opt, "usdt");
}

/*
 * Marker blocks at a bad address, not a block, of the previous layout, or
 * lying, and an offset from the thread pointer that is not the thread's:
 * refused, counted; the main thread's block is still found from the
 * offset the liar thread handed over (the main thread's first marker does
 * not trap).
 */
static void test_markers_garbage(void **state)
{
	const char *argv[] = { harness_prog("marks"), "bad", NULL };
	struct harness_proc p;
	json_object *r, *m;

	harness_require_root();
	r = harness_run_prog_opts(&p, NULL, block_opt, argv, 0);
	harness_expect_eq("drops.marker_blocks", harness_int(r, "drops.marker_blocks"), 5);
	m = harness_get(harness_main_process(r), "markers");
	/* only the main thread's own block counts: 2 awaits sharing a slot */
	expect_counts(m, 0, 2, 1, 1, 1);
	harness_expect_eq("collisions", harness_int(m, "collisions"), 1);
	harness_expect_eq("exit.code", harness_int(r, "exit.code"), 0);
	harness_proc_free(&p);
}

/* A process still alive when the trace ends: its block is read then. */
static void test_markers_alive_at_end(void **state)
{
	const char *argv[] = { harness_prog("marks"), "orphan", NULL };
	const char *const *opts[] = { block_opt, usdt_opt };
	struct harness_proc p;
	json_object *r, *procs, *proc;
	int64_t started;
	size_t i, k;

	harness_require_root();
	for (k = 0; k < 2; k++) {
		r = harness_run_prog_opts(&p, NULL, opts[k], argv, 0);
		procs = harness_get(r, "processes");
		started = 0;
		for (i = 0; i < json_object_array_length(procs); i++) {
			proc = json_object_array_get_idx(procs, i);
			started += harness_int(proc, "markers.requests_started");
		}
		harness_expect_eq(k ? "usdt: requests_started" : "block: requests_started",
				  started, 50);
		harness_proc_free(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_markers_block, harness_teardown),
		cmocka_unit_test_teardown(test_markers_usdt, harness_teardown),
		cmocka_unit_test_teardown(test_markers_garbage, harness_teardown),
		cmocka_unit_test_teardown(test_markers_alive_at_end, harness_teardown),
	};

	return cmocka_run_group_tests_name("integration_markers", tests, NULL, NULL);
}

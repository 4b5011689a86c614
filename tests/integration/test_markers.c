// SPDX-License-Identifier: GPL-2.0-only
/*
 * The task markers of tests/progs/marks.c, whose counts are known, read
 * both ways: by the marker block (the default of `ksee run`) and by the
 * USDT probes (--markers=usdt). Both must give exactly those counts; a
 * block that is garbage must be refused and counted, never believed.
 * The per-request bill (marker block only) against the demo models, whose
 * behaviour is known.
 */
#include "harness.h"

#include <libgen.h>
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
	/* the bill needs the block: the local and handed-off requests, not id -1 */
	harness_expect_eq("bill.requests", harness_int(proc, "bill.requests"),
			  strcmp(path, "block") ? 0 : 2 * N);
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
 * Marker blocks at a bad address, of another layout, or lying, and an
 * offset from the thread pointer that is not the thread's: refused,
 * counted; the main thread's block is still found from the offset the
 * liar thread handed over (the main thread's first marker does not trap).
 */
static void test_markers_garbage(void **state)
{
	const char *argv[] = { harness_prog("marks"), "bad", NULL };
	struct harness_proc p;
	json_object *r, *m;

	harness_require_root();
	r = harness_run_prog_opts(&p, NULL, block_opt, argv, 0);
	harness_expect_eq("drops.marker_blocks", harness_int(r, "drops.marker_blocks"), 4);
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

#define MS	1000000LL

/* Absolute path of demo model NAME: $DEMOS, or demos/ beside $KSEE. */
static const char *demo(const char *name)
{
	static char path[4096];
	const char *d = getenv("DEMOS");
	char ksee[4096];

	if (d) {
		snprintf(path, sizeof(path), "%s/%s", d, name);
	} else {
		snprintf(ksee, sizeof(ksee), "%s", getenv("KSEE") ? getenv("KSEE") : ".");
		snprintf(path, sizeof(path), "%s/demos/%s", dirname(ksee), name);
	}
	return path;
}

/* The demo's own summary line (stdout): VALUE of KEY=VALUE. */
static double demo_field(const struct harness_proc *p, const char *key)
{
	char want[64];
	const char *v;

	snprintf(want, sizeof(want), " %s=", key);
	v = p->out ? strstr(p->out, want) : NULL;
	if (!v)
		fail_msg("no %s in the demo's output:\n%s", key, p->out ? p->out : "");
	return atof(v + strlen(want));
}

/* Run demo MODEL with ARGS (NULL-terminated) under ksee; the bill of its process. */
static json_object *bill_of(struct harness_proc *p, const char *const *argv)
{
	json_object *r, *b;
	int64_t parts;

	r = harness_run_prog_opts(p, NULL, block_opt, argv, 0);
	b = harness_get(harness_main_process(r), "bill");
	assert_non_null(b);
	/* the parts add up to the latency, exactly: the model derives on-CPU from it */
	parts = harness_int(b, "parts.on_cpu_ns") + harness_int(b, "parts.waking_up_ns") +
		harness_int(b, "parts.waiting_for_cpu_ns") + harness_int(b, "parts.blocked_ns") +
		harness_int(b, "parts.off_thread_ns");
	harness_expect_eq("bill parts == latency.total_ns", parts,
			  harness_int(b, "latency.total_ns"));
	return b;
}

/*
 * blocking, one request at a time: each waits off its thread for its I/O
 * (D = 20 ms, blocked in recv), then computes 1 ms. The requests' latency
 * adds up to the demo's own wall time (one after the other), within 5%.
 */
static void test_bill_blocking(void **state)
{
	const char *argv[] = { demo("blocking"), "-r", "20", "-c", "1", "-d", "20", "-w", "1000",
			       NULL };
	struct harness_proc p;
	json_object *b;
	double wall_ns;

	harness_require_root();
	b = bill_of(&p, argv);
	harness_expect_eq("bill.requests", harness_int(b, "requests"), 20);
	wall_ns = demo_field(&p, "wall_ms") * MS;
	harness_expect_range("latency.total_ns (demo wall 5%)", harness_int(b, "latency.total_ns"),
			     (int64_t)(wall_ns * 0.95), (int64_t)(wall_ns * 1.05));
	harness_expect_range("off_thread per request (D = 20 ms)",
			     harness_int(b, "parts.off_thread_ns") / 20, 20 * MS, 35 * MS);
	harness_expect_range("on CPU per request (W = 1 ms)", harness_int(b, "parts.on_cpu_ns") / 20,
			     MS / 2, 10 * MS);
	harness_proc_free(&p);
}

/*
 * threads, 32 in flight on 2 CPUs, each computing 5 ms: they wait for a
 * CPU while they hold their thread far longer than they run.
 */
static void test_bill_threads_wait_for_cpu(void **state)
{
	const char *argv[] = { demo("threads"), "-r", "64", "-c", "32", "-d", "1", "-w", "5000",
			       NULL };
	struct harness_proc p;
	json_object *b;

	harness_require_root();
	b = bill_of(&p, argv);
	harness_expect_eq("bill.requests", harness_int(b, "requests"), 64);
	harness_expect_range("on CPU (64 x 5 ms)", harness_int(b, "parts.on_cpu_ns"), 64 * 5 * MS / 2,
			     64 * 5 * MS * 4);
	if (harness_int(b, "parts.waiting_for_cpu_ns") < 2 * harness_int(b, "parts.on_cpu_ns"))
		fail_msg("waiting for a CPU %lld ns, not above twice on CPU %lld ns",
			 (long long)harness_int(b, "parts.waiting_for_cpu_ns"),
			 (long long)harness_int(b, "parts.on_cpu_ns"));
	harness_proc_free(&p);
}

/*
 * epoll, C = 8 in flight, W = 3 ms each, I/O 1 ms: the loop runs one
 * request at a time, so (Little's law, a closed loop of C requests) each
 * waits off its thread for the loop to run the C - 1 others: about
 * (C - 1) x H + D, H the time a request holds the loop (its W, plus any
 * wait for a CPU on a busy machine). Queueing and I/O are one part here.
 */
static void test_bill_epoll_queueing(void **state)
{
	const char *argv[] = { demo("epoll"), "-r", "80", "-c", "8", "-d", "1", "-w", "3000", NULL };
	struct harness_proc p;
	int64_t held, want;
	json_object *b;

	harness_require_root();
	b = bill_of(&p, argv);
	harness_expect_eq("bill.requests", harness_int(b, "requests"), 80);
	held = (harness_int(b, "parts.on_cpu_ns") + harness_int(b, "parts.waking_up_ns") +
		harness_int(b, "parts.waiting_for_cpu_ns") + harness_int(b, "parts.blocked_ns")) / 80;
	want = 7 * held + 1 * MS;
	harness_expect_range("off_thread per request ((C-1) x H + D)",
			     harness_int(b, "parts.off_thread_ns") / 80, want * 6 / 10,
			     want * 14 / 10);
	harness_expect_range("on CPU per request (W = 3 ms)", harness_int(b, "parts.on_cpu_ns") / 80,
			     3 * MS / 2, 3 * MS * 4);
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_markers_block, harness_teardown),
		cmocka_unit_test_teardown(test_markers_usdt, harness_teardown),
		cmocka_unit_test_teardown(test_markers_garbage, harness_teardown),
		cmocka_unit_test_teardown(test_markers_alive_at_end, harness_teardown),
		cmocka_unit_test_teardown(test_bill_blocking, harness_teardown),
		cmocka_unit_test_teardown(test_bill_threads_wait_for_cpu, harness_teardown),
		cmocka_unit_test_teardown(test_bill_epoll_queueing, harness_teardown),
	};

	return cmocka_run_group_tests_name("integration_markers", tests, NULL, NULL);
}

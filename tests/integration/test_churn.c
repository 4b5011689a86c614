// SPDX-License-Identifier: GPL-2.0-only
/*
 * Process and thread churn: 10,000 short-lived children, 10,000 short-lived
 * threads. Every one is accounted, the kernel side's maps are empty again
 * at the end (kernel_state), and when a map does fill the report counts
 * what it could not account instead of dropping it silently.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#define NCHURN		10000
#define KSEE_MAX_EDGES	16384	/* bpf/ksee.h */

/* Every drops.* counter must be 0. */
static void expect_no_drops(json_object *r)
{
	json_object *d = harness_get(r, "drops");

	if (!d)
		fail_msg("report has no drops");
	json_object_object_foreach(d, key, val) {
		if (json_object_get_int64(val))
			fail_msg("drops.%s = %lld, expected 0 (drops: %s)", key,
				 (long long)json_object_get_int64(val),
				 json_object_to_json_string(d));
	}
}

/* Once every traced process is gone, only wakeup edges stay in the maps. */
static void expect_maps_reclaimed(json_object *r)
{
	harness_expect_eq("kernel_state.procs", harness_int(r, "kernel_state.procs"), 0);
	harness_expect_eq("kernel_state.uring_inflight",
			  harness_int(r, "kernel_state.uring_inflight"), 0);
	harness_expect_eq("kernel_state.awaiting", harness_int(r, "kernel_state.awaiting"), 0);
	harness_expect_eq("kernel_state.live_tasks", harness_int(r, "kernel_state.live_tasks"), 0);
	harness_expect_range("kernel_state.edges", harness_int(r, "kernel_state.edges"), 0,
			     KSEE_MAX_EDGES);
}

static void test_churn_fork_10000(void **state)
{
	char n[16];
	const char *argv[] = { harness_prog("churn_fork"), n, NULL };
	struct harness_proc p;
	json_object *r, *procs, *proc;
	int64_t parent, codes[100] = { 0 }, code;
	size_t i, nprocs;
	struct rusage ru;
	char what[64];

	harness_require_root();
	snprintf(n, sizeof(n), "%d", NCHURN);
	r = harness_run_prog(&p, NULL, argv, 0);
	if (!strstr(p.out, "churn_fork: 10000 children reaped"))
		fail_msg("churn_fork did not finish its work; stdout:\n%s", p.out);
	/*
	 * Issue 12, item 6: ksee's peak memory with 10,000 processes (the first
	 * ksee this binary reaps: the largest of its reaped descendants).
	 */
	getrusage(RUSAGE_CHILDREN, &ru);
	harness_expect_range("peak RSS of ksee -j with 10,000 children, KiB", ru.ru_maxrss, 1,
			     150 * 1024);
	expect_no_drops(r);
	expect_maps_reclaimed(r);
	harness_expect_eq("totals.processes", harness_int(r, "totals.processes"), NCHURN + 1);
	harness_expect_eq("totals.tasks", harness_int(r, "totals.tasks"), NCHURN + 1);

	parent = harness_int(harness_main_process(r), "pid");
	procs = harness_get(r, "processes");
	nprocs = json_object_array_length(procs);
	harness_expect_eq("processes[]", nprocs, NCHURN + 1);
	for (i = 0; i < nprocs; i++) {
		proc = json_object_array_get_idx(procs, i);
		if (harness_int(proc, "pid") == parent)
			continue;
		snprintf(what, sizeof(what), "child %lld ppid", (long long)harness_int(proc, "pid"));
		harness_expect_eq(what, harness_int(proc, "ppid"), parent);
		harness_expect_eq("child tasks", harness_int(proc, "tasks"), 1);
		harness_expect_eq("child alive", harness_int(proc, "alive"), 0);
		code = harness_int(proc, "exit_code");
		harness_expect_range("child exit_code >> 8", code >> 8, 0, 99);
		harness_expect_eq("child exit_code & 0xff", code & 0xff, 0);
		codes[code >> 8]++;
	}
	/* Child i exited with i % 100: each status exactly NCHURN / 100 times. */
	for (i = 0; i < 100; i++) {
		snprintf(what, sizeof(what), "children that exited with %zu", i);
		harness_expect_eq(what, codes[i], NCHURN / 100);
	}
	harness_proc_free(&p);
}

static void test_churn_threads_10000(void **state)
{
	char n[16];
	const char *argv[] = { harness_prog("churn_threads"), n, NULL };
	struct harness_proc p;
	json_object *r, *proc, *threads, *t;
	int64_t pid, dead = 0;
	size_t i, nthreads;

	harness_require_root();
	snprintf(n, sizeof(n), "%d", NCHURN);
	r = harness_run_prog(&p, NULL, argv, 0);
	if (!strstr(p.out, "churn_threads: 10000 threads joined"))
		fail_msg("churn_threads did not finish its work; stdout:\n%s", p.out);
	expect_no_drops(r);
	expect_maps_reclaimed(r);
	harness_expect_eq("totals.processes", harness_int(r, "totals.processes"), 1);
	proc = harness_main_process(r);
	pid = harness_int(proc, "pid");
	harness_expect_eq("tasks", harness_int(proc, "tasks"), NCHURN + 1);
	threads = harness_get(proc, "threads");
	nthreads = json_object_array_length(threads);
	harness_expect_eq("threads[]", nthreads, NCHURN + 1);
	for (i = 0; i < nthreads; i++) {
		t = json_object_array_get_idx(threads, i);
		dead += !harness_int(t, "alive");
		if (harness_int(t, "tid") != pid)
			assert_string_equal(json_object_get_string(harness_get(t, "kind")),
					    "thread");
	}
	harness_expect_eq("dead threads", dead, NCHURN + 1);
	harness_proc_free(&p);
}

/*
 * 20,000 children each wake their parent once from exit (each waits
 * until the parent sleeps in waitpid, or it might not need waking): more distinct
 * wakeup edges than the edge map holds. The report must count what did
 * not fit, and say so in the text header too.
 */
static void test_churn_full_map_is_counted(void **state)
{
	const char *argv[] = { harness_prog("churn_fork"), "20000", "wake", NULL };
	const char *text_args[] = { "run", "--no-hist", "--threads", "1", "--edges", "1", "--",
				    harness_prog("churn_fork"), "20000", "wake", NULL };
	struct harness_proc p;
	json_object *r;
	int64_t edges_kept, edges_lost, tasks, lost_tasks;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	edges_kept = harness_int(r, "kernel_state.edges");
	edges_lost = harness_int(r, "drops.edges");
	harness_expect_eq("kernel_state.edges (the edge map is full)", edges_kept, KSEE_MAX_EDGES);
	/* About 20000 - 16384 edges did not fit; each failed insert is counted. */
	harness_expect_range("drops.edges", edges_lost, 1000, 1000000);
	/*
	 * Every task is either in the report or counted as lost: a task the
	 * kernel side could not track (drops.tasks) or whose final record the
	 * ring buffer could not take (drops.ringbuf, one record per task).
	 */
	tasks = harness_int(r, "totals.tasks");
	lost_tasks = harness_int(r, "drops.tasks") + harness_int(r, "drops.ringbuf");
	if (tasks + lost_tasks < 20001)
		fail_msg("20001 tasks ran; the report accounts %lld and counts %lld lost",
			 (long long)tasks, (long long)lost_tasks);
	harness_proc_free(&p);

	harness_expect_eq("text run status", harness_run(&p, NULL, 0, text_args), 0);
	if (!strstr(p.out, "lost: ") || strstr(p.out, "lost: nothing"))
		fail_msg("the text header does not say what was lost:\n%.600s", p.out);
	harness_proc_free(&p);
}

/*
 * 20,000 threads, each woken once by main, then dead: more wakees than
 * the edge map holds. A dying thread's pending wakeups go to user space
 * in its final record, not through the map: none is lost, and every
 * thread is named as woken by main.
 */
static void test_churn_dead_threads_wakeups_kept(void **state)
{
	const char *argv[] = { harness_prog("churn_threads"), "20000", "wake", NULL };
	struct harness_proc p;
	json_object *r, *proc, *edges, *e;
	int64_t pid, from_main = 0, sum = 0;
	size_t i, n;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	if (!strstr(p.out, "churn_threads: 20000 threads woken"))
		fail_msg("churn_threads did not finish its work; stdout:\n%s", p.out);
	harness_expect_eq("drops.edges", harness_int(r, "drops.edges"), 0);
	harness_expect_eq("drops.ringbuf", harness_int(r, "drops.ringbuf"), 0);
	harness_expect_eq("drops.tasks", harness_int(r, "drops.tasks"), 0);
	proc = harness_main_process(r);
	pid = harness_int(proc, "pid");
	harness_expect_eq("tasks", harness_int(proc, "tasks"), 20001);
	edges = harness_get(r, "wakeups");
	n = json_object_array_length(edges);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(edges, i);
		if (harness_int(e, "wakee_pid") != pid)
			continue;
		sum += harness_int(e, "count");
		if (harness_int(e, "waker_tid") == pid && harness_int(e, "wakee_tid") != pid)
			from_main++;
	}
	harness_expect_eq("threads woken by main (one edge each)", from_main, 20000);
	harness_expect_eq("wakeups of the process, summed over its edges", sum,
			  harness_int(proc, "wakeups"));
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_churn_fork_10000, harness_teardown),
		cmocka_unit_test_teardown(test_churn_threads_10000, harness_teardown),
		cmocka_unit_test_teardown(test_churn_full_map_is_counted, harness_teardown),
		cmocka_unit_test_teardown(test_churn_dead_threads_wakeups_kept, harness_teardown),
	};

	return cmocka_run_group_tests_name("integration_churn", tests, NULL, NULL);
}

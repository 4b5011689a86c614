// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksee against the kernel's own counters: tests/progs/kcounters prints, for
 * each of its threads, what /proc/thread-self/schedstat and status say
 * (run_delay, sum_exec_runtime, voluntary and involuntary switches), and
 * for each child what wait4() says; the same run traced by ksee must agree.
 *
 * After a thread reads its counters it runs a few us more and switches out
 * for the last time; if it is preempted in that tail (a busy machine), the
 * kernel's involuntary count read before is one lower than ksee's and ksee
 * has one more run-queue wait. The tolerances follow from that and only
 * that.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MS	1000000LL

struct kthread {
	int tid;
	long long run_delay, sum_exec, nvcsw, nivcsw;
};

static size_t parse_threads(const char *out, struct kthread *k, size_t max)
{
	const char *l = out;
	size_t n = 0;

	while (l && *l && n < max) {
		if (sscanf(l, "thread %d run_delay %lld sum_exec %lld nvcsw %lld nivcsw %lld",
			   &k[n].tid, &k[n].run_delay, &k[n].sum_exec, &k[n].nvcsw,
			   &k[n].nivcsw) == 5)
			n++;
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	return n;
}

/* Stolen time of the whole machine so far (ns), from /proc/stat. */
static long long steal_ns(void)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "re");

	assert_non_null(f);
	assert_int_equal(fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
				&v[2], &v[3], &v[4], &v[5], &v[6], &v[7]), 8);
	fclose(f);
	return (long long)(v[7] * (1000000000ULL / (unsigned long long)sysconf(_SC_CLK_TCK)));
}

/* No sample of 0 ns: the lowest bucket of a histogram starts above 0. */
static void expect_no_zero_bucket(json_object *proc, const char *hist)
{
	char path[96];

	snprintf(path, sizeof(path), "histograms.%s.0.low", hist);
	if (harness_get(proc, path) && harness_int(proc, path) == 0)
		fail_msg("%s: samples of 0 ns", hist);
}

/* Preemptions of a thread after it read its counters (a busy machine). */
static long long tail_preemptions(const struct kthread *k, json_object *t)
{
	return harness_int(t, "involuntary") - k->nivcsw;
}

/*
 * Run-queue wait equal to the kernel's run_delay (0.1% and 20 us for the
 * clocks), but for the waits after the kernel's numbers were read: up to
 * 50 ms for each preemption in that tail.
 */
static void expect_runq(const struct kthread *k, json_object *t)
{
	long long ksee = harness_int(t, "off_cpu.runq_ns"), tail = tail_preemptions(k, t);
	char what[96];

	snprintf(what, sizeof(what), "thread %d runq_ns vs run_delay %lld (%lld preemptions "
		 "after it was read)", k->tid, k->run_delay, tail);
	harness_expect_range(what, tail, 0, 2);
	harness_expect_range(what, ksee, k->run_delay - k->run_delay / 1000,
			     k->run_delay + k->run_delay / 1000 + 20000 + tail * 50 * MS);
}

/*
 * Runs kcounters ARGV under ksee until no thread was preempted after it
 * read its counters (at most 3 times): NK threads into K.
 */
static json_object *run_clean(struct harness_proc *p, const char *const *argv,
			      struct kthread *k, size_t nk)
{
	json_object *r = NULL, *proc, *t;
	size_t i, n;
	int tries, dirty = 1;

	for (tries = 0; tries < 3 && dirty; tries++) {
		if (tries)
			harness_proc_free(p);
		r = harness_run_prog(p, NULL, argv, 0);
		n = parse_threads(p->out, k, nk);
		harness_expect_eq("threads reported by kcounters", n, nk);
		proc = harness_main_process(r);
		for (dirty = 0, i = 0; i < n; i++) {
			t = harness_thread(proc, k[i].tid);
			assert_non_null(t);
			dirty |= tail_preemptions(&k[i], t) != 0;
		}
	}
	return r;
}

/*
 * Two threads bounce a byte over pipes: the kernel counts little run-queue
 * wait; the rest of each wakeup-to-run interval is wake-up latency.
 */
static void test_kcounters_pingpong(void **state)
{
	const char *argv[] = { harness_prog("kcounters"), "pingpong", "3000", NULL };
	struct kthread k[2];
	struct harness_proc p;
	json_object *r, *proc, *t;
	size_t i;

	harness_require_root();
	r = run_clean(&p, argv, k, 2);
	proc = harness_main_process(r);
	for (i = 0; i < 2; i++) {
		t = harness_thread(proc, k[i].tid);
		expect_runq(&k[i], t);
		/* every switch the kernel counted, plus the last one of the dying thread */
		harness_expect_eq("voluntary == voluntary_ctxt_switches + 1",
				  harness_int(t, "voluntary"), k[i].nvcsw + 1);
		harness_expect_range("wakeup_latency.count", harness_int(t, "wakeup_latency.count"),
				     k[i].nvcsw / 2, k[i].nvcsw + 2);
		harness_expect_range("off_cpu.wakelat_ns", harness_int(t, "off_cpu.wakelat_ns"), 1,
				     10000 * MS);
	}
	expect_no_zero_bucket(proc, "runq");
	expect_no_zero_bucket(proc, "wakeup_latency");
	harness_proc_free(&p);
}

/*
 * Three CPU-bound threads on this machine's CPUs (2 here) wait for each
 * other in the run queue: seconds of it. On-CPU as sum_exec_runtime, but
 * for time a hypervisor stole (the kernel does not charge it).
 */
static void test_kcounters_contention(void **state)
{
	const char *argv[] = { harness_prog("kcounters"), "spin", "3", "300", NULL };
	struct kthread k[3];
	struct harness_proc p;
	json_object *r, *proc, *t;
	long long steal0, stolen, on, slack;
	size_t i;

	harness_require_root();
	steal0 = steal_ns();
	r = run_clean(&p, argv, k, 3);
	stolen = steal_ns() - steal0;
	proc = harness_main_process(r);
	for (i = 0; i < 3; i++) {
		t = harness_thread(proc, k[i].tid);
		expect_runq(&k[i], t);
		on = harness_int(t, "on_cpu_ns");
		/*
		 * 0.5%, plus what the kernel does not charge: the machine's
		 * steal, and up to 10 us per slice (its clock reads sit a
		 * few us from the switch events).
		 */
		slack = k[i].sum_exec / 200 + 10000 * (k[i].nivcsw + k[i].nvcsw);
		harness_expect_range("on_cpu_ns vs sum_exec_runtime (+ the machine's steal)", on,
				     k[i].sum_exec - slack, k[i].sum_exec + slack + stolen);
		harness_expect_eq("voluntary == voluntary_ctxt_switches + 1",
				  harness_int(t, "voluntary"), k[i].nvcsw + 1);
	}
	expect_no_zero_bucket(proc, "runq");
	harness_proc_free(&p);
}

/* Exited processes: ksee's voluntary switches are the kernel's (wait4). */
static void test_kcounters_children(void **state)
{
	const char *argv[] = { harness_prog("kcounters"), "children", "3", "20", NULL };
	struct harness_proc p;
	json_object *r, *proc, *t;
	const char *l;
	long nv, niv;
	int pid, seen = 0;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	for (l = p.out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (sscanf(l, "child %d nvcsw %ld nivcsw %ld", &pid, &nv, &niv) != 3)
			continue;
		seen++;
		proc = harness_process(r, pid);
		assert_non_null(proc);
		t = harness_thread(proc, pid);
		assert_non_null(t);
		harness_expect_eq("child voluntary == ru_nvcsw", harness_int(t, "voluntary"), nv);
		harness_expect_eq("child involuntary == ru_nivcsw", harness_int(t, "involuntary"),
				  niv);
		/* forked by the traced program, never exec'd: the same program */
		assert_string_equal(json_object_get_string(harness_get(proc, "role")), "fork");
	}
	harness_expect_eq("children reported", seen, 3);
	assert_string_equal(json_object_get_string(harness_get(harness_main_process(r), "role")),
			    "target");
	harness_proc_free(&p);
}

/* A child that execs another program is told apart from a plain fork. */
static void test_kcounters_exec_role(void **state)
{
	const char *argv[] = { harness_prog("kcounters"), "exec", harness_prog("exit_code"), NULL };
	struct harness_proc p;
	json_object *r, *proc;
	int pid, status;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	if (!strstr(p.out, "exec child ") ||
	    sscanf(strstr(p.out, "exec child "), "exec child %d status %d", &pid, &status) != 2)
		fail_msg("kcounters said: %s", p.out);
	proc = harness_process(r, pid);
	assert_non_null(proc);
	assert_string_equal(json_object_get_string(harness_get(proc, "role")), "fork+exec");
	assert_string_equal(json_object_get_string(harness_get(harness_main_process(r), "role")),
			    "target");
	harness_proc_free(&p);
}

/*
 * Four threads that do nothing while main spins: the kernel's own run time
 * says they were on a CPU under 0.1% of their lives, so ksee groups them
 * as idle the whole time in read, under the names main gave them while
 * they slept (and main, the waker of each, by the name it gave itself
 * after the wakeups); the process's shares are of thread-time (five
 * tasks), so
 * the 4 s asleep read as 80% of it, not as 400% of the wall.
 */
static void test_kcounters_idle_threads(void **state)
{
	const char *argv[] = { harness_prog("kcounters"), "idle", "4", "1000", NULL };
	char rec[4096], name[16];
	const char *opts[] = { "--record", rec, NULL }, *args[3] = { "report", rec, NULL };
	long long tid, delay, exec, nv, niv, life, sum_life = 0, sum_thread = 0;
	struct harness_proc p, q = { 0 };
	json_object *r, *proc, *t, *threads, *edges;
	const char *l;
	double thread_ns, wall;
	int seen = 0, seen_edge;
	size_t i;

	harness_require_root();
	snprintf(rec, sizeof(rec), "%s/idle.ksee", harness_tmpdir());
	r = harness_run_prog_opts(&p, NULL, opts, argv, 0);
	proc = harness_main_process(r);
	for (l = p.out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (sscanf(l, "thread %lld run_delay %lld sum_exec %lld nvcsw %lld nivcsw %lld "
			   "life %lld", &tid, &delay, &exec, &nv, &niv, &life) != 6)
			continue;
		/* the kernel's own count: idle by the definition */
		harness_expect_range("kernel's sum_exec_runtime of an idle thread (ns)", exec, 1,
				     life / 1000);
		t = harness_thread(proc, tid);
		assert_non_null(t);
		snprintf(name, sizeof(name), "idle%d", seen);
		assert_string_equal(json_object_get_string(harness_get(t, "comm")), name);
		assert_true(json_object_get_boolean(harness_get(t, "idle")));
		harness_expect_range("ksee's on-CPU vs sum_exec_runtime", harness_int(t, "on_cpu_ns"),
				     exec - exec / 200, exec + MS);
		harness_expect_range("ksee's life vs the thread's own", harness_int(t, "life_ns"),
				     life, life + 100 * MS);
		harness_expect_range("asleep in read, of its life (ns)",
				     harness_int(t, "off_cpu.by_reason.read"),
				     harness_int(t, "life_ns") * 99 / 100, harness_int(t, "life_ns"));
		sum_life += life;
		seen++;
	}
	/*
	 * main woke each of them (it released them one at a time), and named
	 * itself afterwards: the waker is named as it is now, not as it was
	 */
	edges = harness_get(r, "wakeups");
	for (i = 0, seen_edge = 0; i < json_object_array_length(edges); i++) {
		json_object *e = json_object_array_get_idx(edges, i);

		if (harness_int(e, "waker_tid") != harness_int(proc, "pid") ||
		    strcmp(json_object_get_string(harness_get(e, "waker_kind")), "thread"))
			continue;
		seen_edge++;
		assert_string_equal(json_object_get_string(harness_get(e, "waker_comm")),
				    "idle-boss");
	}
	harness_expect_range("edges from main to the idle threads", seen_edge, 4, 4);
	assert_string_equal(json_object_get_string(harness_get(proc, "comm")), "idle-boss");
	harness_expect_eq("idle threads reported by kcounters", seen, 4);
	harness_expect_eq("idle tasks", harness_int(proc, "idle.tasks"), 4);
	harness_expect_eq("idle tasks in read", harness_int(proc, "idle.by_reason.read.tasks"), 4);
	assert_false(json_object_get_boolean(harness_get(harness_thread(proc, harness_int(proc,
				"pid")), "idle")));

	/* thread-time: each task's life, summed; at least the idle ones' and main's */
	threads = harness_get(proc, "threads");
	for (i = 0; i < json_object_array_length(threads); i++)
		sum_thread += harness_int(json_object_array_get_idx(threads, i), "life_ns");
	thread_ns = harness_int(proc, "thread_ns");
	wall = harness_int(proc, "wall_ns");
	harness_expect_eq("thread_ns == the threads' life_ns summed", thread_ns, sum_thread);
	harness_expect_range("thread_ns vs lives (ns)", thread_ns, sum_life + wall * 99 / 100,
			     5 * wall);
	assert_float_equal(harness_num(proc, "shares.on_cpu"),
			   harness_int(proc, "on_cpu_ns") / thread_ns, 1e-9);
	assert_float_equal(harness_num(proc, "shares.idle"),
			   harness_int(proc, "idle.thread_ns") / thread_ns, 1e-9);
	/* four of five tasks asleep all their lives: about 80% of thread-time, under 100% */
	harness_expect_range("read share of thread-time (%)",
			     100 * harness_num(proc, "shares.blocked_by_reason.read"), 70, 81);
	harness_expect_range("blocked / wall (%), what a share of wall would say",
			     100 * harness_int(proc, "off_cpu.blocked_ns") / wall, 300, 401);

	/* the text report of the recording groups them */
	harness_expect_eq("ksee report", harness_run(&q, NULL, 0, args), 0);
	if (!strstr(q.out, "4 tasks idle the whole time in read (") ||
	    !strstr(q.out, "idle0, ") || !strstr(q.out, "of it in 4 idle tasks)") ||
	    !strstr(q.out, "; 4 idle the whole time\n"))
		fail_msg("text report:\n%s", q.out);
	harness_proc_free(&q);
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_kcounters_pingpong, harness_teardown),
		cmocka_unit_test_teardown(test_kcounters_contention, harness_teardown),
		cmocka_unit_test_teardown(test_kcounters_children, harness_teardown),
		cmocka_unit_test_teardown(test_kcounters_exec_role, harness_teardown),
		cmocka_unit_test_teardown(test_kcounters_idle_threads, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

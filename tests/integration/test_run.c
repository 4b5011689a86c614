// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ksee run` on the programs in tests/progs, whose behaviour is known (see
 * the comment at the top of each): assert what the kernel saw. Tolerances
 * leave room for start-up (exec, dynamic loading), timer slack and
 * scheduling noise on a loaded 2-CPU machine, nothing more.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MS	1000000LL

static const char *const syscalls_opt[] = { "--syscalls", NULL };

static void test_run_sleeper(void **state)
{
	const char *argv[] = { harness_prog("sleeper"), NULL };
	struct harness_proc p;
	json_object *r, *proc, *t;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	assert_non_null(strstr(p.err, "ksee: tracing"));
	assert_string_equal(json_object_get_string(harness_get(r, "mode")), "run");
	harness_expect_eq("schema", harness_int(r, "schema"), 2);
	harness_expect_eq("exit.code", harness_int(r, "exit.code"), 0);
	harness_expect_range("wall_ns", harness_int(r, "wall_ns"), 100 * MS, 10000 * MS);
	harness_expect_eq("totals.processes", harness_int(r, "totals.processes"), 1);

	proc = harness_main_process(r);
	harness_expect_eq("tasks", harness_int(proc, "tasks"), 1);
	harness_expect_eq("threads[]", json_object_array_length(harness_get(proc, "threads")), 1);
	/* 20 sleeps; a few more from start-up (exec, page faults) at most. */
	harness_expect_range("voluntary", harness_int(proc, "voluntary"), 20, 30);
	/* 20 x 5 ms plus timer slack (about 60 us each here). */
	harness_expect_slept(proc, 100 * MS, 200 * MS);
	assert_string_equal(harness_top_reason(proc), "sleep");
	/* No sys_exit hook by default: sleeps are counted, calls are not measured. */
	harness_expect_eq("features.syscalls", harness_int(r, "features.syscalls"), 0);
	harness_expect_null(proc, "syscalls.sleep.calls");
	harness_expect_eq("syscalls.sleep.blocked_calls",
			  harness_int(proc, "syscalls.sleep.blocked_calls"), 20);
	harness_expect_eq("syscalls.sleep.blocked_ns == off_cpu.by_reason.sleep",
			  harness_int(proc, "syscalls.sleep.blocked_ns"),
			  harness_int(proc, "off_cpu.by_reason.sleep"));
	/* perf stat says under 1 ms of task-clock; ksee's own start-up adds a bit. */
	harness_expect_range("on_cpu_ns", harness_int(proc, "on_cpu_ns"), 1, 50 * MS);

	t = harness_thread(proc, harness_int(proc, "pid"));
	assert_non_null(t);
	assert_string_equal(json_object_get_string(harness_get(t, "kind")), "main");
	assert_string_equal(json_object_get_string(harness_get(t, "comm")), "sleeper");
	harness_expect_eq("thread voluntary == process voluntary", harness_int(t, "voluntary"),
			  harness_int(proc, "voluntary"));
	/* ksee forks the command itself: the command's parent is ksee. */
	harness_expect_eq("ppid (ksee's pid)", harness_int(proc, "ppid"), p.pid);
	harness_proc_free(&p);
}

/* --syscalls: the sys_exit hook closes every call; strace counts 20 nanosleeps. */
static void test_run_sleeper_syscalls(void **state)
{
	const char *argv[] = { harness_prog("sleeper"), NULL };
	const char *opts[] = { "--syscalls", NULL };
	struct harness_proc p;
	json_object *r, *proc;

	harness_require_root();
	r = harness_run_prog_opts(&p, NULL, opts, argv, 0);
	harness_expect_eq("features.syscalls", harness_int(r, "features.syscalls"), 1);
	proc = harness_main_process(r);
	harness_expect_eq("syscalls.sleep.calls", harness_int(proc, "syscalls.sleep.calls"), 20);
	harness_expect_eq("syscalls.sleep.blocked_calls",
			  harness_int(proc, "syscalls.sleep.blocked_calls"), 20);
	/* From the first sleep in each call to its return: at least the sleeps. */
	harness_expect_range("syscalls.sleep.total_ns", harness_int(proc, "syscalls.sleep.total_ns"),
			     harness_int(proc, "syscalls.sleep.blocked_ns"), 200 * MS);
	harness_expect_slept(proc, 100 * MS, 200 * MS);
	harness_proc_free(&p);
}

static void test_run_pipe_wakeups(void **state)
{
	const char *argv[] = { harness_prog("pipe_wakeups"), NULL };
	struct harness_proc p;
	json_object *r, *proc, *threads, *main_t;
	size_t i, n;
	int64_t pid, readers = 0;
	char what[128];

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	assert_non_null(strstr(p.out, "pipe_wakeups: main woke 4 reader threads"));
	proc = harness_main_process(r);
	pid = harness_int(proc, "pid");
	harness_expect_eq("tasks", harness_int(proc, "tasks"), 5);
	threads = harness_get(proc, "threads");
	n = json_object_array_length(threads);
	harness_expect_eq("threads[]", n, 5);

	main_t = harness_thread(proc, pid);
	assert_non_null(main_t);
	/* Main sleeps 50 ms before writing. */
	harness_expect_slept(main_t, 50 * MS, 100 * MS);

	for (i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(threads, i);
		int64_t tid = harness_int(t, "tid");

		if (tid == pid)
			continue;
		readers++;
		snprintf(what, sizeof(what), "wakeup edge main %lld -> reader %lld",
			 (long long)pid, (long long)tid);
		harness_expect_range(what, harness_edge(r, pid, tid), 1, 2);
		snprintf(what, sizeof(what), "reader %lld top off-CPU reason is read: %s",
			 (long long)tid, harness_top_reason(t));
		if (strcmp(harness_top_reason(t), "read"))
			fail_msg("%s", what);
		/* Readers start within a few ms, then wait for main's 50 ms sleep. */
		snprintf(what, sizeof(what), "reader %lld off_cpu.by_reason.read", (long long)tid);
		harness_expect_range(what, harness_int(t, "off_cpu.by_reason.read"), 30 * MS,
				     100 * MS);
		harness_expect_eq("reader syscalls.read.blocked_calls",
				  harness_int(t, "syscalls.read.blocked_calls"), 1);
		assert_string_equal(json_object_get_string(harness_get(t, "kind")), "thread");
	}
	harness_expect_eq("reader threads", readers, 4);

	/* The readers named themselves before blocking: the report shows the names. */
	for (i = 0; i < 4; i++) {
		snprintf(what, sizeof(what), "reader%zu", i);
		if (!harness_thread_by_comm(proc, what))
			fail_msg("no thread with comm %s: %s", what,
				 json_object_to_json_string(threads));
	}
	harness_proc_free(&p);
}

static void test_run_cpu_contend(void **state)
{
	const char *argv[] = { harness_prog("cpu_contend"), NULL };
	struct harness_proc p;
	json_object *r, *proc;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	proc = harness_main_process(r);
	harness_expect_eq("tasks", harness_int(proc, "tasks"), 3);
	/* 2 x 300 ms of CPU on one CPU: about 600 ms on CPU, about 600 ms wall. */
	harness_expect_range("on_cpu_ns", harness_int(proc, "on_cpu_ns"), 590 * MS, 1000 * MS);
	/* /proc says about 110 preemptions per spinner; far more than 10. */
	harness_expect_range("involuntary", harness_int(proc, "involuntary"), 10, 100000);
	harness_expect_range("runq_latency.count", harness_int(proc, "runq_latency.count"), 10,
			     100000);
	/*
	 * Each spinner waits while the other runs: about 300 ms each, more
	 * when other work shares that CPU, never more than the wall time each.
	 */
	harness_expect_range("off_cpu.runq_ns", harness_int(proc, "off_cpu.runq_ns"), 200 * MS,
			     2 * harness_int(proc, "wall_ns"));
	harness_expect_range("runq_latency.p99_ns", harness_int(proc, "runq_latency.p99_ns"), 1,
			     1000 * MS);
	harness_expect_range("involuntary summed over threads",
			     harness_sum_threads(proc, "involuntary"), 10, 100000);
	harness_proc_free(&p);
}

static void test_run_epoll_pair(void **state)
{
	const char *argv[] = { harness_prog("epoll_pair"), NULL };
	struct harness_proc p;
	json_object *r, *proc, *main_t, *writer;
	int64_t pid;

	harness_require_root();
	/* Without --syscalls: the sleeps in epoll_wait, no call or event counts. */
	r = harness_run_prog(&p, NULL, argv, 0);
	proc = harness_main_process(r);
	harness_expect_range("epoll.blocked_calls (no --syscalls)",
			     harness_int(proc, "epoll.blocked_calls"), 5, 10);
	harness_expect_null(proc, "epoll.calls");
	harness_expect_null(proc, "epoll.events");
	harness_proc_free(&p);

	r = harness_run_prog_opts(&p, NULL, syscalls_opt, argv, 0);
	proc = harness_main_process(r);
	pid = harness_int(proc, "pid");
	harness_expect_eq("tasks", harness_int(proc, "tasks"), 2);
	/* strace: exactly 10 epoll_wait calls, 1 event each. */
	harness_expect_eq("epoll.calls", harness_int(proc, "epoll.calls"), 10);
	harness_expect_eq("epoll.events", harness_int(proc, "epoll.events"), 10);
	/* The writer waits 10 ms before each write: nearly every wait blocks. */
	harness_expect_range("epoll.blocked_calls", harness_int(proc, "epoll.blocked_calls"), 5,
			     10);
	harness_expect_range("epoll.blocked_ns", harness_int(proc, "epoll.blocked_ns"), 50 * MS,
			     300 * MS);

	main_t = harness_thread(proc, pid);
	assert_non_null(main_t);
	harness_expect_eq("main epoll_events", harness_int(main_t, "epoll_events"), 10);
	assert_string_equal(harness_top_reason(main_t), "epoll");
	harness_expect_range("main off_cpu.by_reason.epoll",
			     harness_int(main_t, "off_cpu.by_reason.epoll"), 50 * MS, 300 * MS);

	writer = harness_thread_by_comm(proc, "writer");
	assert_non_null(writer);
	assert_string_equal(harness_top_reason(writer), "sleep");
	/*
	 * Each write that finds main asleep in epoll_wait wakes it; the
	 * writer's exit may wake main once more, in pthread_join (seen under load).
	 */
	harness_expect_range("wakeup edge writer -> main",
			     harness_edge(r, harness_int(writer, "tid"), pid), 5, 11);
	harness_proc_free(&p);
}

/* The io_uring_requests[] entry of PROC with this opcode, or NULL. */
static json_object *uring_op(json_object *proc, int opcode)
{
	json_object *reqs = harness_get(proc, "io_uring_requests");
	size_t i, n = reqs ? json_object_array_length(reqs) : 0;

	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(reqs, i);

		if (harness_int(e, "opcode") == opcode)
			return e;
	}
	fail_msg("no io_uring request with opcode %d: %s", opcode,
		 reqs ? json_object_to_json_string(reqs) : "(no io_uring_requests)");
	return NULL;
}

static void test_run_uring_ops(void **state)
{
	const char *argv[] = { harness_prog("uring_ops"), NULL };
	struct harness_proc p;
	json_object *r, *proc, *nop, *rd, *wr, *worker;
	char pfx[32];

	harness_require_root();
	/* SQEs come from the io_uring tracepoints, with or without --syscalls. */
	r = harness_run_prog(&p, NULL, argv, 0);
	proc = harness_main_process(r);
	harness_expect_eq("io_uring_enter.submitted (no --syscalls)",
			  harness_int(proc, "io_uring_enter.submitted"), 9);
	harness_expect_null(proc, "io_uring_enter.calls");
	harness_proc_free(&p);

	r = harness_run_prog_opts(&p, NULL, syscalls_opt, argv, 0);
	if (!harness_int(r, "features.io_uring"))
		fail_msg("features.io_uring is false on a kernel with io_uring tracepoints");
	proc = harness_main_process(r);

	nop = uring_op(proc, 0);	/* IORING_OP_NOP */
	rd = uring_op(proc, 22);	/* IORING_OP_READ */
	wr = uring_op(proc, 23);	/* IORING_OP_WRITE */
	assert_string_equal(json_object_get_string(harness_get(nop, "name")), "NOP");
	assert_string_equal(json_object_get_string(harness_get(rd, "name")), "READ");
	assert_string_equal(json_object_get_string(harness_get(wr, "name")), "WRITE");
	harness_expect_eq("NOP count", harness_int(nop, "count"), 4);
	harness_expect_eq("READ count", harness_int(rd, "count"), 4);
	harness_expect_eq("WRITE count", harness_int(wr, "count"), 1);
	/* Only the IOSQE_ASYNC read is punted (perf: 1 io_uring_queue_async_work). */
	harness_expect_eq("READ punted", harness_int(rd, "punted"), 1);
	harness_expect_eq("NOP punted", harness_int(nop, "punted"), 0);

	/* strace: 4 io_uring_enter calls, 9 SQEs in all, each call waits. */
	harness_expect_eq("io_uring_enter.calls", harness_int(proc, "io_uring_enter.calls"), 4);
	harness_expect_eq("io_uring_enter.submitted",
			  harness_int(proc, "io_uring_enter.submitted"), 9);
	harness_expect_eq("io_uring_enter.waits", harness_int(proc, "io_uring_enter.waits"), 4);

	worker = harness_thread_by_kind(proc, "io_worker");
	if (!worker)
		fail_msg("no thread of kind io_worker: %s",
			 json_object_to_json_string(harness_get(proc, "threads")));
	snprintf(pfx, sizeof(pfx), "iou-wrk-%lld", (long long)harness_int(proc, "pid"));
	assert_string_equal(json_object_get_string(harness_get(worker, "comm")), pfx);
	harness_expect_range("kernel_workers", harness_int(proc, "kernel_workers"), 1, 2);
	harness_expect_range("tasks", harness_int(proc, "tasks"), 2, 3);
	harness_proc_free(&p);
}

static void test_run_forker(void **state)
{
	const char *argv[] = { harness_prog("forker"), NULL };
	struct harness_proc p;
	json_object *r, *procs, *parent;
	int64_t pid, seen[3] = { 0 };
	size_t i, n;
	char what[64];

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	harness_expect_eq("totals.processes", harness_int(r, "totals.processes"), 4);
	procs = harness_get(r, "processes");
	n = json_object_array_length(procs);
	harness_expect_eq("processes[]", n, 4);
	parent = harness_main_process(r);
	pid = harness_int(parent, "pid");
	harness_expect_eq("parent exit_code", harness_int(parent, "exit_code"), 0);
	/* The parent waits in wait4 for the children's 10 ms sleeps. */
	assert_string_equal(harness_top_reason(parent), "wait");

	for (i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(procs, i);
		int64_t code;

		if (harness_int(c, "pid") == pid)
			continue;
		harness_expect_eq("child ppid", harness_int(c, "ppid"), pid);
		harness_expect_eq("child tasks", harness_int(c, "tasks"), 1);
		harness_expect_slept(c, 10 * MS, 100 * MS);
		assert_false(harness_int(c, "alive"));
		/* Wait-status form: exit(11 + i) is (11 + i) << 8. */
		code = harness_int(c, "exit_code");
		snprintf(what, sizeof(what), "child %lld exit_code", (long long)harness_int(c, "pid"));
		harness_expect_range(what, code, 11 << 8, 13 << 8);
		if (code & 0xff)
			fail_msg("%s = %lld is not in wait-status form", what, (long long)code);
		seen[(code >> 8) - 11]++;
	}
	harness_expect_eq("children exiting 11", seen[0], 1);
	harness_expect_eq("children exiting 12", seen[1], 1);
	harness_expect_eq("children exiting 13", seen[2], 1);
	harness_proc_free(&p);
}

/*
 * Timer wakeups in hard-interrupt context while another thread of the
 * process is current on that CPU: that thread is not the waker.
 */
static void test_run_irq_wake(void **state)
{
	const char *argv[] = { harness_prog("irq_wake"), NULL };
	struct harness_proc p;
	json_object *r, *proc, *napper, *spinner;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	proc = harness_main_process(r);
	napper = harness_thread_by_comm(proc, "napper");
	spinner = harness_thread_by_comm(proc, "spinner");
	assert_non_null(napper);
	assert_non_null(spinner);
	harness_expect_range("napper voluntary", harness_int(napper, "voluntary"), 20, 30);
	harness_expect_slept(napper, 100 * MS, 200 * MS);
	/* perf: all 20 sched_waking of napper run in irq context with spinner current. */
	harness_expect_eq("wakeup edge spinner -> napper (the timer interrupt's, not spinner's)",
			  harness_edge(r, harness_int(spinner, "tid"), harness_int(napper, "tid")),
			  0);
	harness_proc_free(&p);
}

/* Copies the whoami program into DIR, where any user may run it. */
static void copy_prog(const char *src, const char *dst)
{
	char cmd[2 * 4096 + 32];

	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 0755 '%s'", src, dst, dst);
	if (system(cmd))
		fail_msg("cannot copy %s to %s", src, dst);
}

static void test_run_sudo_user(void **state)
{
	const char *env[] = { "SUDO_UID=65534", "SUDO_GID=65534", "SUDO_USER=nobody", NULL };
	char prog[4096], ids[4096], line[512], *groups, *g;
	struct harness_proc p;
	const char *dir, *argv[3];
	json_object *r, *proc;
	FILE *f;

	harness_require_root();
	dir = harness_tmpdir();
	snprintf(prog, sizeof(prog), "%s/whoami", dir);
	snprintf(ids, sizeof(ids), "%s/ids", dir);
	copy_prog(harness_prog("whoami"), prog);
	argv[0] = prog;
	argv[1] = ids;
	argv[2] = NULL;
	r = harness_run_prog(&p, env, argv, 0);

	f = fopen(ids, "r");
	if (!f)
		fail_msg("the child wrote no %s", ids);
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	fprintf(stderr, "# child: %s", line);
	assert_non_null(strstr(line, "uid=65534 euid=65534 gid=65534 egid=65534 groups="));
	/* Root's supplementary groups must be gone. */
	groups = strstr(line, "groups=") + strlen("groups=");
	for (g = strtok(groups, ",\n"); g; g = strtok(NULL, ",\n"))
		if (!strcmp(g, "0"))
			fail_msg("the child kept supplementary group 0: %s", line);

	proc = harness_main_process(r);
	harness_expect_eq("process uid", harness_int(proc, "uid"), 65534);
	harness_proc_free(&p);
}

static void test_run_text_report(void **state)
{
	const char *args[] = { "run", "--", harness_prog("sleeper"), "2", NULL };
	struct harness_proc p;

	harness_require_root();
	harness_expect_eq("ksee exit status", harness_run(&p, NULL, 0, args), 0);
	/* The text report goes to stdout and names the command. */
	if (!strstr(p.out, "sleeper"))
		fail_msg("text report does not name the command; stdout:\n%s", p.out);
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_run_sleeper, harness_teardown),
		cmocka_unit_test_teardown(test_run_sleeper_syscalls, harness_teardown),
		cmocka_unit_test_teardown(test_run_pipe_wakeups, harness_teardown),
		cmocka_unit_test_teardown(test_run_cpu_contend, harness_teardown),
		cmocka_unit_test_teardown(test_run_epoll_pair, harness_teardown),
		cmocka_unit_test_teardown(test_run_uring_ops, harness_teardown),
		cmocka_unit_test_teardown(test_run_forker, harness_teardown),
		cmocka_unit_test_teardown(test_run_irq_wake, harness_teardown),
		cmocka_unit_test_teardown(test_run_sudo_user, harness_teardown),
		cmocka_unit_test_teardown(test_run_text_report, harness_teardown),
	};

	return cmocka_run_group_tests_name("integration_run", tests, NULL, NULL);
}

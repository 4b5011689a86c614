// SPDX-License-Identifier: GPL-2.0-only
/*
 * --stacks on tests/progs/stackprog, built like every test program with
 * -O2 -g and no frame pointers: each thread sleeps in a named function
 * called from a named caller (see the comment at the top of stackprog.c).
 * The stack of each reason must name that function, its caller and the
 * thread's start (or main), through glibc; times within the tolerances of
 * test_run.c (start-up, timer slack, a busy 2-CPU machine).
 */
#include "harness.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MS	1000000LL

static const char *const stacks_opt[] = { "--stacks", NULL };

/* Frame @i's name, NULL past the end. */
static const char *frame_name(json_object *st, size_t i)
{
	json_object *frames = harness_get(st, "frames");

	if (!frames || i >= json_object_array_length(frames))
		return NULL;
	return json_object_get_string(harness_get(json_object_array_get_idx(frames, i), "name"));
}

/* The index of the first user frame at or after @from whose name starts with @prefix; -1. */
static int find_frame(json_object *st, size_t from, const char *prefix)
{
	json_object *frames = harness_get(st, "frames");
	size_t i, n = frames ? json_object_array_length(frames) : 0;

	for (i = from; i < n; i++) {
		json_object *fr = json_object_array_get_idx(frames, i);
		const char *name = json_object_get_string(harness_get(fr, "name"));

		if (!json_object_get_boolean(harness_get(fr, "kernel")) && name &&
		    !strncmp(name, prefix, strlen(prefix)))
			return (int)i;
	}
	return -1;
}

/* The frames @names (leaf to root, prefixes) appear in this order in @st. */
static bool has_chain(json_object *st, const char *const *names)
{
	int at = 0;

	for (; *names; names++) {
		at = find_frame(st, at, *names);
		if (at < 0)
			return false;
		at++;
	}
	return true;
}

static void dump_stacks(json_object *proc)
{
	json_object *a = harness_get(proc, "stacks");
	size_t i, j;

	for (i = 0; a && i < json_object_array_length(a); i++) {
		json_object *st = json_object_array_get_idx(a, i);

		fprintf(stderr, "  stack %zu: %s %lld ns:", i,
			json_object_get_string(harness_get(st, "reason")),
			(long long)harness_int(st, "blocked_ns"));
		for (j = 0; frame_name(st, j); j++)
			fprintf(stderr, " %s", frame_name(st, j));
		fputc('\n', stderr);
	}
}

/* The stack of @reason whose frames hold the chain @names; fails if none. */
static json_object *stack_with(json_object *proc, const char *reason, const char *const *names)
{
	json_object *a = harness_get(proc, "stacks");
	size_t i;

	for (i = 0; a && i < json_object_array_length(a); i++) {
		json_object *st = json_object_array_get_idx(a, i);

		if (!strcmp(json_object_get_string(harness_get(st, "reason")), reason) &&
		    has_chain(st, names))
			return st;
	}
	dump_stacks(proc);
	fail_msg("no %s stack with %s <- %s <- %s", reason, names[0], names[1], names[2]);
	return NULL;
}

/* Complete: not cut, unwound to its end, a glibc frame in it, kernel frames first. */
static void expect_complete(json_object *st, const char *what)
{
	json_object *frames = harness_get(st, "frames");
	size_t i, n = json_object_array_length(frames);
	bool libc = false;

	harness_expect_eq(what, harness_int(st, "truncated"), 0);
	harness_expect_eq(what, harness_int(st, "unwind_error"), 0);
	harness_expect_eq(what, harness_int(st, "user_lost"), 0);
	harness_expect_eq(what, harness_int(st, "kernel_lost"), 0);
	harness_expect_eq(what, harness_int(st, "user_hidden"), 0);
	assert_true(json_object_get_boolean(harness_get(json_object_array_get_idx(frames, 0),
							 "kernel")));
	for (i = 0; i < n; i++) {
		const char *mod = json_object_get_string(
			harness_get(json_object_array_get_idx(frames, i), "module"));

		libc = libc || (mod && !strncmp(mod, "libc.so", 7));
	}
	if (!libc)
		fail_msg("%s: no frame in libc.so", what);
}

/* The stacks' time of @reason is the process's blocked time for it, to the nanosecond. */
static void expect_reason_sum(json_object *proc, const char *reason)
{
	json_object *a = harness_get(proc, "stacks");
	char path[64];
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++) {
		json_object *st = json_object_array_get_idx(a, i);

		if (!strcmp(json_object_get_string(harness_get(st, "reason")), reason))
			sum += harness_int(st, "blocked_ns");
	}
	snprintf(path, sizeof(path), "off_cpu.by_reason.%s", reason);
	harness_expect_eq(path, sum, harness_int(proc, path));
}

static void test_stacks_named_functions(void **state)
{
	const char *argv[] = { harness_prog("stackprog"), "child", NULL };
	const char *const rd[] = { "wait_for_pipe", "reader_loop", "start_thread", NULL };
	const char *const mx[] = { "take_lock", "lock_waiter", "start_thread", NULL };
	const char *const nap[] = { "nap", "sleeper_loop", "start_thread", NULL };
	const char *const mp[] = { "main_pause", "main", "__libc_start_call_main", NULL };
	const char *const ep[] = { "wait_events", "poller_loop", "start_thread", NULL };
	const char *const child[] = { "child_nap", "main", "__libc_start_call_main", NULL };
	const char *const reasons[] = { "read", "futex", "sleep", "epoll" };
	struct harness_proc p;
	json_object *r, *proc, *st, *procs;
	int64_t wall;
	size_t i;

	harness_require_root();
	r = harness_run_prog_opts(&p, NULL, stacks_opt, argv, 0);
	harness_expect_eq("features.stacks", harness_int(r, "features.stacks"), 1);
	harness_expect_eq("drops.stacks", harness_int(r, "drops.stacks"), 0);
	proc = harness_main_process(r);

	/*
	 * The reader and the locker wait for main, which writes and unlocks
	 * after main_pause's 200 ms sleep and its own wait for a CPU: on a
	 * busy machine that can be seconds, bounded by the process's life.
	 * The timed sleeps end at their timers, whatever the load.
	 */
	wall = harness_int(proc, "wall_ns");
	st = stack_with(proc, "read", rd);
	expect_complete(st, "read stack");
	harness_expect_range("read stack blocked_ns", harness_int(st, "blocked_ns"), 150 * MS,
			     wall);
	harness_expect_eq("read stack count", harness_int(st, "count"), 1);

	st = stack_with(proc, "futex", mx);
	expect_complete(st, "mutex stack");
	harness_expect_range("mutex stack blocked_ns", harness_int(st, "blocked_ns"), 150 * MS,
			     wall);

	st = stack_with(proc, "sleep", nap);
	expect_complete(st, "nanosleep stack");
	harness_expect_eq("nanosleep stack count", harness_int(st, "count"), 4);
	harness_expect_range("nanosleep stack blocked_ns", harness_int(st, "blocked_ns"),
			     190 * MS, 1000 * MS);

	st = stack_with(proc, "sleep", mp);
	expect_complete(st, "main's sleep stack");
	/* msleep() is inlined into main_pause at -O2: the debug info says so */
	harness_expect_range("main_pause stack blocked_ns", harness_int(st, "blocked_ns"),
			     190 * MS, 1000 * MS);

	st = stack_with(proc, "epoll", ep);
	expect_complete(st, "epoll stack");
	harness_expect_eq("epoll stack count", harness_int(st, "count"), 4);
	harness_expect_range("epoll stack blocked_ns", harness_int(st, "blocked_ns"), 190 * MS,
			     1000 * MS);

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		expect_reason_sum(proc, reasons[i]);

	/* The child slept 100 ms and exited long before ksee ended: still named. */
	procs = harness_get(r, "processes");
	harness_expect_eq("processes", json_object_array_length(procs), 2);
	proc = json_object_array_get_idx(procs, 1);
	if (harness_int(proc, "pid") == harness_int(harness_main_process(r), "pid"))
		proc = json_object_array_get_idx(procs, 0);
	st = stack_with(proc, "sleep", child);
	expect_complete(st, "child's stack");
	harness_expect_range("child stack blocked_ns", harness_int(st, "blocked_ns"), 95 * MS,
			     1000 * MS);
	harness_proc_free(&p);
}

/* No --stacks: no stacks in the report, and the feature says so. */
static void test_stacks_off_by_default(void **state)
{
	const char *argv[] = { harness_prog("stackprog"), NULL };
	struct harness_proc p;
	json_object *r;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	harness_expect_eq("features.stacks", harness_int(r, "features.stacks"), 0);
	assert_null(harness_get(harness_main_process(r), "stacks"));
	harness_proc_free(&p);
}

/* A stripped copy: its own frames are module+offset, glibc's still named, nothing wrong. */
static void test_stacks_stripped(void **state)
{
	const char *dir;
	char bin[512], cmd[1200];
	const char *argv[] = { bin, NULL };
	struct harness_proc p;
	json_object *r, *proc, *a;
	size_t i, j;
	int offsets = 0;

	harness_require_root();
	dir = harness_tmpdir();
	snprintf(bin, sizeof(bin), "%s/stripped", dir);
	snprintf(cmd, sizeof(cmd), "strip -o %s %s", bin, harness_prog("stackprog"));
	if (system(cmd))
		fail_msg("'%s' failed", cmd);
	r = harness_run_prog_opts(&p, NULL, stacks_opt, argv, 0);
	proc = harness_main_process(r);
	a = harness_get(proc, "stacks");
	for (i = 0; i < json_object_array_length(a); i++) {
		json_object *st = json_object_array_get_idx(a, i), *frames = harness_get(st, "frames");

		for (j = 0; j < json_object_array_length(frames); j++) {
			json_object *fr = json_object_array_get_idx(frames, j);
			const char *name = json_object_get_string(harness_get(fr, "name"));

			if (strstr(name, "wait_for_pipe") || strstr(name, "take_lock") ||
			    strstr(name, "sleeper_loop"))
				fail_msg("a stripped binary cannot name %s", name);
			if (!strncmp(name, "stripped+0x", 11)) {
				offsets++;
				harness_expect_eq("symbol", harness_int(fr, "symbol"), 0);
			}
		}
	}
	if (offsets < 4) {
		dump_stacks(proc);
		fail_msg("only %d stripped+0x... frames", offsets);
	}
	/* glibc is not stripped of its debug link: its frames are still named */
	stack_with(proc, "read", (const char *const[]){ "read", "start_thread", "__clone", NULL });
	harness_proc_free(&p);
}

/* The program's binary is deleted while it runs: no crash, a report, its stacks. */
static void test_stacks_deleted_binary(void **state)
{
	const char *dir = NULL;
	char script[1400];
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct harness_proc p;
	json_object *r, *procs;
	size_t i, with_stacks = 0;

	harness_require_root();
	dir = harness_tmpdir();
	snprintf(script, sizeof(script), "cp %s %s/gone && %s/gone & sleep 0.05; rm -f %s/gone; wait",
		 harness_prog("stackprog"), dir, dir, dir);
	r = harness_run_prog_opts(&p, NULL, stacks_opt, argv, 0);
	procs = harness_get(r, "processes");
	for (i = 0; i < json_object_array_length(procs); i++)
		with_stacks += json_object_array_length(
			harness_get(json_object_array_get_idx(procs, i), "stacks")) > 0;
	harness_expect_range("processes with stacks", with_stacks, 1, 10);
	harness_proc_free(&p);
}

/*
 * Under sudo the command runs as the invoking user, whose own stacks are
 * shown in full; only processes of other users (a setuid program) are not
 * unwound (the unit test of the unwinder covers that side).
 */
static void test_stacks_sudo_user(void **state)
{
	const char *env[] = { "SUDO_UID=65534", "SUDO_GID=65534", "SUDO_USER=nobody", NULL };
	const char *const rd[] = { "wait_for_pipe", "reader_loop", "start_thread", NULL };
	char prog[512], cmd[1200];
	const char *argv[] = { prog, NULL };
	struct harness_proc p;
	json_object *r, *proc, *st;

	harness_require_root();
	snprintf(prog, sizeof(prog), "%s/stackprog", harness_tmpdir());
	snprintf(cmd, sizeof(cmd), "cp %s %s && chmod 755 %s", harness_prog("stackprog"), prog,
		 prog);
	if (system(cmd))
		fail_msg("'%s' failed", cmd);
	r = harness_run_prog_opts(&p, env, stacks_opt, argv, 0);
	proc = harness_main_process(r);
	harness_expect_eq("process uid", harness_int(proc, "uid"), 65534);
	st = stack_with(proc, "read", rd);
	expect_complete(st, "the invoking user's read stack");
	harness_expect_eq("user_hidden", harness_int(st, "user_hidden"), 0);
	harness_proc_free(&p);
}

static json_object *model_of(json_object *r, const char *name)
{
	json_object *a = harness_get(r, "models");
	size_t i;

	for (i = 0; a && i < json_object_array_length(a); i++)
		if (!strcmp(json_object_get_string(harness_get(json_object_array_get_idx(a, i),
							       "model")), name))
			return json_object_array_get_idx(a, i);
	fail_msg("model %s missing from the compare report", name);
	return NULL;
}

/*
 * compare --stacks: the pool's workers wait in its queue's condition
 * variable, the gil model's threads in the lock; several threads each.
 */
static void test_stacks_compare(void **state)
{
	static const char *const args[] = { "compare", "--stacks", "--models", "pool,gil",
		"--requests", "60", "--concurrency", "8", "--io-ms", "5", "--cpu-us", "2000",
		"--workers", "4", NULL };
	const char *const cond[] = { "pthread_cond_wait", "worker_main", "start_thread", NULL };
	const char *const gil[] = { "__pthread_mutex_lock", "demo_", NULL };
	struct harness_proc p;
	json_object *r, *a, *st = NULL;
	size_t i;
	int status;

	harness_require_root();
	harness_spawn(&p, NULL, 1, args);
	status = harness_wait(&p, 150);
	if (status)
		fail_msg("ksee compare --stacks exited %d:\n%s", status, p.err);
	r = harness_json(&p);
	a = harness_get(model_of(r, "pool"), "stacks");
	for (i = 0; a && i < json_object_array_length(a) && !st; i++)
		if (has_chain(json_object_array_get_idx(a, i), cond))
			st = json_object_array_get_idx(a, i);
	if (!st)
		fail_msg("no pool stack in pthread_cond_wait <- worker_main: %s",
			 json_object_to_json_string(a));
	harness_expect_range("pool workers in the condition variable", harness_int(st, "threads"),
			     2, 4);
	st = NULL;
	a = harness_get(model_of(r, "gil"), "stacks");
	for (i = 0; a && i < json_object_array_length(a) && !st; i++)
		if (has_chain(json_object_array_get_idx(a, i), gil))
			st = json_object_array_get_idx(a, i);
	if (!st)
		fail_msg("no gil stack in __pthread_mutex_lock: %s", json_object_to_json_string(a));
	harness_expect_range("gil threads waiting for the lock", harness_int(st, "threads"), 2, 4);
	assert_string_equal(json_object_get_string(harness_get(st, "reason")), "futex");
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_stacks_named_functions, harness_teardown),
		cmocka_unit_test_teardown(test_stacks_off_by_default, harness_teardown),
		cmocka_unit_test_teardown(test_stacks_stripped, harness_teardown),
		cmocka_unit_test_teardown(test_stacks_deleted_binary, harness_teardown),
		cmocka_unit_test_teardown(test_stacks_sudo_user, harness_teardown),
		cmocka_unit_test_teardown(test_stacks_compare, harness_teardown),
	};

	return cmocka_run_group_tests_name("integration_stacks", tests, NULL, NULL);
}

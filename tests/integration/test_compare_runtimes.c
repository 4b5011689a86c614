// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksee compare --runtimes on small workloads: the kernel facts of the real
 * runtimes (CPython asyncio, threads and multiprocessing, Mono, Go, Node)
 * that the seeds' claims are about. A runtime that is not installed (or
 * not built) must show as "not run" with the reason; the test works out
 * on its own which ones are there ($RUNTIMES, the interpreters on PATH)
 * and says loudly which it could not check. A runtime that is there must
 * have run. The verdicts that need free CPUs are judged against the CPUs
 * actually free, as the demos' verdict tests do.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "harness.h"

#define COMPARE_TIMEOUT_S	180
/* The PATH the runtimes are looked up in: Debian's, not a shim of a version manager. */
#define TEST_PATH		"/usr/local/bin:/usr/bin:/bin"

static struct harness_proc proc;
static char runtimes_env[PATH_MAX + 32];

static int teardown(void **state)
{
	harness_proc_free(&proc);
	memset(&proc, 0, sizeof(proc));
	return harness_teardown(state);
}

/* Where the runtime programs are: $RUNTIMES (make test), else build/runtimes beside $KSEE. */
static const char *runtimes_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("RUNTIMES"), *ksee = getenv("KSEE");

	if (env && *env)
		return env;
	snprintf(dir, sizeof(dir), "%.4000s", ksee ? ksee : "build/ksee");
	if (strrchr(dir, '/'))
		strcpy(strrchr(dir, '/'), "/runtimes");
	return dir;
}

static bool in_dir(const char *dir, const char *file)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Is runtime @name there to run: its program in $RUNTIMES, its interpreter on TEST_PATH? */
static bool installed(const char *name)
{
	static const struct { const char *name, *file, *interp, *interp2; } rt[] = {
		{ "py-asyncio", "py_asyncio.py", "python3", NULL },
		{ "py-asyncio-blocking", "py_asyncio_blocking.py", "python3", NULL },
		{ "py-threads", "py_threads.py", "python3", NULL },
		{ "py-procs", "py_procs.py", "python3", NULL },
		{ "cs-async", "cs_async.exe", "mono", NULL },
		{ "go", "goroutines", NULL, NULL },
		{ "node", "node_async.js", "node", "nodejs" },
	};
	static const char *const bins[] = { "/usr/local/bin", "/usr/bin", "/bin" };
	size_t i, j;
	bool interp;

	for (i = 0; i < sizeof(rt) / sizeof(rt[0]); i++) {
		if (strcmp(rt[i].name, name))
			continue;
		interp = !rt[i].interp;
		for (j = 0; j < 3 && !interp; j++)
			interp = in_dir(bins[j], rt[i].interp) ||
				 (rt[i].interp2 && in_dir(bins[j], rt[i].interp2));
		return interp && in_dir(runtimes_dir(), rt[i].file);
	}
	fail_msg("unknown runtime %s", name);
	return false;
}

/* Run `ksee compare ARGS -j` with PATH=TEST_PATH and $KSEE_RUNTIMES; it must exit 0. */
static json_object *compare(const char *path, const char *const *args)
{
	char path_env[256];
	const char *env[] = { path_env, runtimes_env, NULL };
	int status;

	snprintf(path_env, sizeof(path_env), "PATH=%s", path);
	snprintf(runtimes_env, sizeof(runtimes_env), "KSEE_RUNTIMES=%s", runtimes_dir());
	harness_spawn(&proc, env, 1, args);
	status = harness_wait(&proc, COMPARE_TIMEOUT_S);
	if (status != 0)
		fail_msg("ksee compare exited %d:\n%s", status, proc.err);
	return harness_json(&proc);
}

static const char *str(json_object *o, const char *key)
{
	json_object *s = harness_get(o, key);

	return s && json_object_get_type(s) == json_type_string ? json_object_get_string(s) : "";
}

/* Runtime @name's column; NULL when it was not run (and then it must not be installed). */
static json_object *column(json_object *report, const char *name)
{
	json_object *a = harness_get(report, "runtimes"), *c;
	size_t i;

	for (i = 0; a && i < json_object_array_length(a); i++) {
		c = json_object_array_get_idx(a, i);
		if (strcmp(str(c, "runtime"), name))
			continue;
		if (json_object_get_boolean(harness_get(c, "failed")))
			fail_msg("%s FAILED: %s", name, str(c, "error"));
		if (!json_object_get_boolean(harness_get(c, "ran"))) {
			if (installed(name))
				fail_msg("%s is installed in %s but was not run: %s", name,
					 runtimes_dir(), str(c, "not_run"));
			if (!*str(c, "not_run"))
				fail_msg("%s not run without a reason", name);
			fprintf(stderr, "NOT CHECKED: %s is not installed here (%s): its column "
				"says \"not run: %s\"\n", name, runtimes_dir(), str(c, "not_run"));
			return NULL;
		}
		if (!installed(name))
			fail_msg("%s ran but the test thinks it is not installed", name);
		return c;
	}
	fail_msg("runtime %s missing from the report", name);
	return NULL;
}

static json_object *claim(json_object *report, const char *id)
{
	json_object *vs = harness_get(report, "verdicts"), *v;
	size_t i;

	for (i = 0; vs && i < json_object_array_length(vs); i++) {
		v = json_object_array_get_idx(vs, i);
		if (!strcmp(str(v, "on"), "runtimes") && !strcmp(str(v, "id"), id))
			return v;
	}
	fail_msg("verdict %s on the runtimes missing", id);
	return NULL;
}

static void fail_verdict(json_object *v, const char *why)
{
	fail_msg("%s %s: %s; numbers: %s; note: %s", str(v, "id"), str(v, "verdict"), why,
		 str(v, "numbers"), str(v, "note"));
}

/* Element @i of array @key of @o (NULL if none). */
static json_object *nth(json_object *o, const char *key, size_t i)
{
	json_object *a = harness_get(o, key);

	return a && json_object_get_type(a) == json_type_array &&
	       i < json_object_array_length(a) ? json_object_array_get_idx(a, i) : NULL;
}

static bool has_finding(json_object *col, const char *id)
{
	json_object *a = harness_get(col, "findings"), *f;
	size_t i;

	for (i = 0; a && i < json_object_array_length(a); i++) {
		f = json_object_array_get_idx(a, i);
		if (!strcmp(str(f, "id"), id))
			return true;
	}
	return false;
}

/* The best parallelism of the lock-free columns other than @self (the verdicts' control). */
static double control(json_object *report, const char *self)
{
	static const char *const ctl[] = { "go", "cs-async", "py-procs" };
	json_object *c;
	double best = 0, p;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (!strcmp(ctl[i], self) || !(c = column(report, ctl[i])))
			continue;
		p = harness_num(c, "parallelism");
		if (p > best)
			best = p;
	}
	return best;
}

/*
 * CPU work heavy enough for two CPUs (N x W / (W + D) = 4 x 8 / 13): the
 * GIL holds py-threads near one CPU while processes, goroutines and the
 * C# pool spread; 32 goroutines in flight on Go's few threads.
 */
static void test_compare_runtimes_cpu(void **state)
{
	static const char *const args[] = { "compare", "--runtimes=py-threads,py-procs,go,"
					     "cs-async", "--requests", "64", "--concurrency",
					     "32", "--io-ms", "5", "--cpu-us", "8000", "--workers",
					     "4", NULL };
	json_object *r, *c, *v;
	double free_cpus;

	harness_require_root();
	r = compare(TEST_PATH, args);
	if (!strcmp(str(nth(r, "verdicts", 0), "on"), "demos"))
		fail_msg("verdicts on the demos with --runtimes alone");
	if ((c = column(r, "py-threads"))) {
		/* one interpreter: its 4 workers take turns on the GIL, a futex */
		if (harness_num(c, "parallelism") > 1.3)
			fail_msg("py-threads: parallelism %.2f, over 1.3 under the GIL",
				 harness_num(c, "parallelism"));
		if (harness_int(c, "lock_wait_ns") <= 0)
			fail_msg("py-threads: no futex wait of its workers (the GIL)");
		harness_expect_range("py-threads user tasks", harness_int(c, "user_tasks"), 5, 8);
		v = claim(r, "C6");
		free_cpus = harness_num(c, "cpus_free");
		if (strcmp(str(v, "verdict"), "holds") &&
		    !(!strcmp(str(v, "verdict"), "not measured") &&
		      (free_cpus < 1.5 || control(r, "py-threads") < 1.3)))
			fail_verdict(v, "want holds, or not measured on a busy machine");
	}
	if ((c = column(r, "py-procs"))) {
		/* the pool's processes: parallelism above 1 when the CPUs were free */
		harness_expect_range("py-procs processes", harness_int(c, "processes"), 5, 6);
		v = claim(r, "C9");
		free_cpus = harness_num(c, "cpus_free");
		if (free_cpus >= 1.5 && control(r, "py-procs") >= 1.3 &&
		    harness_num(c, "parallelism") <= 1.1)
			fail_verdict(v, "py-procs reached no parallelism with 2 CPUs free");
		if (strcmp(str(v, "verdict"), "holds") && strcmp(str(v, "verdict"), "partly") &&
		    !(!strcmp(str(v, "verdict"), "not measured") &&
		      (free_cpus < 1.5 || control(r, "py-procs") < 1.3)))
			fail_verdict(v, "want holds or partly, or not measured on a busy machine");
	}
	if ((c = column(r, "go"))) {
		/* 64 goroutines, 32 at once, on few kernel threads, the work on more than one */
		if (harness_int(c, "user_tasks") >= 32)
			fail_msg("go: %lld kernel tasks for 32 goroutines in flight",
				 (long long)harness_int(c, "user_tasks"));
		v = claim(r, "N:M");
		if (strcmp(str(v, "verdict"), "holds") &&
		    !(!strcmp(str(v, "verdict"), "partly") && strstr(str(v, "note"), "N:1") &&
		      harness_num(c, "cpus_free") < 1.5))
			fail_verdict(v, "want holds (N:1 only if the machine was busy)");
	}
	if ((c = column(r, "cs-async"))) {
		/* continuations handed between pool threads: wakeups between them */
		if (harness_int(c, "cross_thread_wakeups") < 32)
			fail_msg("cs-async: %lld cross-thread wakeups for 64 requests",
				 (long long)harness_int(c, "cross_thread_wakeups"));
		if (harness_int(c, "busy_threads") < 2)
			fail_msg("cs-async: the work ran on %lld thread(s)",
				 (long long)harness_int(c, "busy_threads"));
		v = claim(r, "C4");
		if (strcmp(str(v, "verdict"), "holds"))
			fail_verdict(v, "want holds");
	}
}

/*
 * Light CPU work, so that the loop has idle time: asyncio is one thread;
 * the mistaken variant's synchronous call gets ksee's loop-blocked
 * warning; Node runs the JavaScript on one thread among its helpers.
 */
static void test_compare_runtimes_loops(void **state)
{
	static const char *const args[] = { "compare", "--runtimes=py-asyncio,"
					     "py-asyncio-blocking,node", "--requests", "96",
					     "--concurrency", "8", "--io-ms", "10", "--cpu-us",
					     "500", NULL };
	json_object *r, *c, *v;

	harness_require_root();
	r = compare(TEST_PATH, args);
	if ((c = column(r, "py-asyncio"))) {
		harness_expect_eq("py-asyncio processes", harness_int(c, "processes"), 1);
		harness_expect_eq("py-asyncio tasks", harness_int(c, "user_tasks"), 1);
		if (has_finding(c, "loop-blocked"))
			fail_msg("py-asyncio (no blocking call) got loop-blocked");
		v = claim(r, "C2");
		if (strcmp(str(v, "verdict"), "not measured") ||
		    !strstr(str(v, "note"), "task markers"))
			fail_verdict(v, "want not measured: no task markers");
	}
	if ((c = column(r, "py-asyncio-blocking"))) {
		harness_expect_eq("py-asyncio-blocking tasks", harness_int(c, "user_tasks"), 1);
		if (!has_finding(c, "loop-blocked"))
			fail_msg("py-asyncio-blocking: no loop-blocked finding; blocked in epoll "
				 "%lld ns, in sleep %lld ns, %lld voluntary switches",
				 (long long)harness_int(c, "off_cpu.by_reason.epoll"),
				 (long long)harness_int(c, "off_cpu.by_reason.sleep"),
				 (long long)harness_int(c, "voluntary"));
		v = claim(r, "C5b");
		if (strcmp(str(v, "verdict"), "holds"))
			fail_verdict(v, "want holds");
	}
	if ((c = column(r, "node"))) {
		/* libuv and V8 start helper threads; one thread runs the JavaScript */
		if (harness_int(c, "user_tasks") < 2)
			fail_msg("node: %lld task(s): where are its helper threads?",
				 (long long)harness_int(c, "user_tasks"));
		if (harness_num(nth(c, "busiest_threads", 0), "on_cpu_ns") <
		    0.9 * harness_num(c, "on_cpu_ns"))
			fail_msg("node: its busiest thread ran under 90%% of its CPU time");
	}
	v = claim(r, "C1");
	if (strcmp(str(v, "verdict"), "holds") && (installed("py-asyncio") || installed("node")))
		fail_verdict(v, "want holds");
}

/*
 * Runtimes that cannot run are "not run" with the reason, and the
 * comparison still succeeds: an empty runtimes directory, then a PATH
 * without the interpreters (the Go program needs none).
 */
static void test_compare_runtimes_missing(void **state)
{
	static const char *const args[] = { "compare", "--runtimes=py-asyncio,go", "--requests",
					     "16", "--concurrency", "8", "--io-ms", "1",
					     "--cpu-us", "100", NULL };
	char empty[PATH_MAX], path_env[PATH_MAX + 8], rt_env[PATH_MAX + 32];
	const char *env[] = { path_env, rt_env, NULL };
	json_object *r, *v;
	int status;

	harness_require_root();
	snprintf(empty, sizeof(empty), "%s", harness_tmpdir());
	snprintf(path_env, sizeof(path_env), "PATH=%s", TEST_PATH);
	snprintf(rt_env, sizeof(rt_env), "KSEE_RUNTIMES=%s", empty);
	harness_spawn(&proc, env, 1, args);
	status = harness_wait(&proc, COMPARE_TIMEOUT_S);
	if (status)
		fail_msg("compare with no runtimes exited %d:\n%s", status, proc.err);
	r = harness_json(&proc);
	if (json_object_get_boolean(harness_get(nth(r, "runtimes", 0), "ran")) ||
	    json_object_get_boolean(harness_get(nth(r, "runtimes", 1), "ran")))
		fail_msg("a runtime ran from an empty directory");
	if (!strstr(str(nth(r, "runtimes", 0), "not_run"), "no py_asyncio.py in "
		    "$KSEE_RUNTIMES") ||
	    !strstr(str(nth(r, "runtimes", 1), "not_run"), "no goroutines in"))
		fail_msg("not run without the reason: %s / %s",
			 str(nth(r, "runtimes", 0), "not_run"),
			 str(nth(r, "runtimes", 1), "not_run"));
	v = claim(r, "N:M");
	if (strcmp(str(v, "verdict"), "not measured") || !strstr(str(v, "note"), "go not run"))
		fail_verdict(v, "want not measured: go not run");
	harness_proc_free(&proc);
	memset(&proc, 0, sizeof(proc));

	/* the programs there, but no interpreter on PATH: python3 missing, go runs */
	r = compare(harness_tmpdir(), args);
	if (!strstr(str(nth(r, "runtimes", 0), "not_run"), "python3 not found on PATH"))
		fail_msg("py-asyncio: %s", str(nth(r, "runtimes", 0), "not_run"));
	if (installed("go"))
		column(r, "go");
}

/*
 * A wrapper script named python3 first on PATH (as pyenv's shims are):
 * the interpreter run is the program after it, so that the column holds
 * the runtime's one process, not the wrapper's shell.
 */
static void test_compare_runtimes_wrapper_skipped(void **state)
{
	static const char *const args[] = { "compare", "--runtimes=py-asyncio", "--requests",
					     "16", "--concurrency", "8", "--io-ms", "1",
					     "--cpu-us", "100", NULL };
	char wrapper[PATH_MAX], path[PATH_MAX + 64];
	const char *dir;
	json_object *r, *c;
	FILE *f;

	harness_require_root();
	if (!installed("py-asyncio"))
		fail_msg("py-asyncio is not installed: make deps-runtimes runtimes");
	dir = harness_tmpdir();
	snprintf(wrapper, sizeof(wrapper), "%s/python3", dir);
	f = fopen(wrapper, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n/bin/true\nexec /usr/bin/env PATH=%s python3 \"$@\"\n", TEST_PATH);
	fclose(f);
	assert_int_equal(chmod(wrapper, 0755), 0);
	snprintf(path, sizeof(path), "%s:%s", dir, TEST_PATH);
	r = compare(path, args);
	c = column(r, "py-asyncio");
	assert_non_null(c);
	harness_expect_eq("py-asyncio processes (behind a wrapper script)",
			  harness_int(c, "processes"), 1);
	if (strstr(str(c, "command"), dir))
		fail_msg("the wrapper ran: %s", str(c, "command"));
}

/* The text report: a column per runtime, "not run" with the reason under the table. */
static void test_compare_runtimes_text(void **state)
{
	static const char *const args[] = { "compare", "--runtimes=py-procs,go", "--models",
					     "epoll", "--requests", "16", "--concurrency", "8",
					     "--io-ms", "1", "--cpu-us", "100", NULL };
	char path_env[64], rt_env[PATH_MAX + 32];
	const char *env[] = { path_env, rt_env, NULL };
	int status;

	harness_require_root();
	snprintf(path_env, sizeof(path_env), "PATH=%s", harness_tmpdir());
	snprintf(rt_env, sizeof(rt_env), "KSEE_RUNTIMES=%s", runtimes_dir());
	harness_spawn(&proc, env, 0, args);
	status = harness_wait(&proc, COMPARE_TIMEOUT_S);
	if (status)
		fail_msg("compare exited %d:\n%s", status, proc.err);
	if (!strstr(proc.out, "    epoll py-procs       go\n") || !strstr(proc.out, "  not run") ||
	    !strstr(proc.out, "py-procs: not run: python3 not found on PATH") ||
	    !strstr(proc.out, "\nclaims (thresholds") ||
	    !strstr(proc.out, "\nclaims on the real runtimes (thresholds") ||
	    !strstr(proc.out, "\nN:M "))
		fail_msg("text report:\n%s", proc.out);
	if (installed("go") && !strstr(proc.out, "findings, go runtime"))
		fail_msg("no findings of the go column:\n%s", proc.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_compare_runtimes_cpu, teardown),
		cmocka_unit_test_teardown(test_compare_runtimes_loops, teardown),
		cmocka_unit_test_teardown(test_compare_runtimes_missing, teardown),
		cmocka_unit_test_teardown(test_compare_runtimes_text, teardown),
		cmocka_unit_test_teardown(test_compare_runtimes_wrapper_skipped, teardown),
	};

	return cmocka_run_group_tests_name("compare_runtimes", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * The runtime programs (examples/runtimes/, built into $RUNTIMES by `make
 * runtimes`), each against a private ioserver ($DEMOS/ioserver): --help
 * and a bad option, one run on its own (the summary line), one under `ksee
 * run` with the kernel facts that are the point of each program (its
 * header comment and examples/runtimes/README.md). A runtime that is not
 * installed is a skipped test that says why.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "harness.h"

#define MS 1000000LL

/* The workload of one run; N is used by py-threads and py-procs only. */
struct workload {
	int r, c, d, w, n;
};

struct runtime {
	const char *model;	/* the summary's model= */
	const char *interp;	/* runs the file; NULL: the file is the program */
	const char *file;	/* in $RUNTIMES */
	const char *compiler;	/* builds the file; NULL for a script */
	struct workload wl;
	/* The kernel facts, from `ksee run`'s report. */
	void (*check)(const struct runtime *rt, json_object *report);
};

/*
 * CMD's path: Debian's /usr/bin first (what `make deps-runtimes` installs),
 * then $PATH. A wrapper such as a pyenv shim is a shell script that runs
 * dozens of processes before the interpreter: the process counts below
 * would be the shim's.
 */
static int find_cmd(const char *cmd, char *buf, size_t len)
{
	const char *path = getenv("PATH");
	char *dirs, *dir, *save;
	int found = 0;

	snprintf(buf, len, "/usr/bin/%s", cmd);
	if (!access(buf, X_OK))
		return 1;
	dirs = strdup(path ? path : "");
	for (dir = strtok_r(dirs, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		snprintf(buf, len, "%s/%s", dir, cmd);
		found = *dir == '/' && !access(buf, X_OK);
	}
	free(dirs);
	return found;
}

/* The interpreter and the program of RT into argv[0..1] (argv[0] alone without one). */
static int program_argv(const struct runtime *rt, const char **argv, char *interp, char *file)
{
	const char *dir = getenv("RUNTIMES");
	char why[PATH_MAX + 128], cc[PATH_MAX];
	int n = 0;

	if (!dir)
		fail_msg("RUNTIMES (the directory of the built runtime programs) is not set; "
			 "run through 'make test'");
	if (rt->interp) {
		if (!find_cmd(rt->interp, interp, PATH_MAX)) {
			snprintf(why, sizeof(why), "%s: no %s installed (sudo make deps-runtimes)",
				 rt->model, rt->interp);
			harness_skip(why);
		}
		argv[n++] = interp;
	}
	snprintf(file, PATH_MAX, "%s/%s", dir, rt->file);
	if (access(file, R_OK)) {
		if (rt->compiler && !find_cmd(rt->compiler, cc, sizeof(cc))) {
			snprintf(why, sizeof(why), "%s: %s not built: no %s installed "
				 "(sudo make deps-runtimes; make runtimes)", rt->model, file,
				 rt->compiler);
			harness_skip(why);
		}
		fail_msg("%s is missing: run 'make runtimes'", file);
	}
	argv[n++] = file;
	return n;
}

/* A private ioserver on a Unix socket; its address into ADDR once it accepts. */
static void start_server(char *addr, size_t len)
{
	const char *demos = getenv("DEMOS");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char exe[PATH_MAX], sock[sizeof(sa.sun_path)];
	int i, fd, ok = 0;

	if (!demos)
		fail_msg("DEMOS (the directory of the demos and the ioserver) is not set");
	snprintf(exe, sizeof(exe), "%s/ioserver", demos);
	snprintf(sock, sizeof(sock), "%s/io.sock", harness_tmpdir());
	snprintf(addr, len, "unix:%s", sock);
	harness_start((const char *const[]){ exe, "--listen", addr, NULL });
	memcpy(sa.sun_path, sock, sizeof(sock));
	for (i = 0; i < 100 && !ok; i++) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		ok = fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa));
		if (fd >= 0)
			close(fd);
		if (!ok)
			harness_msleep(50);
	}
	if (!ok)
		fail_msg("the ioserver did not listen on %s within 5 s", sock);
}

/* The number after " KEY=" (or "KEY=" at the start) in the summary LINE. */
static double field(const char *line, const char *key)
{
	char pat[64];
	const char *at;
	char *end;
	double v;

	snprintf(pat, sizeof(pat), " %s=", key);
	at = strstr(line, pat);
	if (!at)
		fail_msg("no %s= in the summary: %s", key, line);
	v = strtod(at + strlen(pat), &end);
	if (end == at + strlen(pat) || isnan(v))
		fail_msg("%s= is not a number in the summary: %s", key, line);
	return v;
}

/* The one summary line of a run of RT with workload WL, as the demos print it. */
static void check_summary(const struct runtime *rt, const struct workload *w, const char *out)
{
	double wall = field(out, "wall_ms"), waves = ceil((double)w->r / w->c);
	char model[64];

	snprintf(model, sizeof(model), "model=%s ", rt->model);
	if (strncmp(out, model, strlen(model)) || strchr(out, '\n') != out + strlen(out) - 1)
		fail_msg("%s: not one summary line starting with %s: '%s'", rt->model, model, out);
	harness_expect_eq("requests", (int64_t)field(out, "requests"), w->r);
	harness_expect_eq("errors", (int64_t)field(out, "errors"), 0);
	harness_expect_eq("concurrency", (int64_t)field(out, "concurrency"), w->c);
	harness_expect_eq("io_ms", (int64_t)field(out, "io_ms"), w->d);
	harness_expect_eq("cpu_us", (int64_t)field(out, "cpu_us"), w->w);
	field(out, "workers");
	/* every request waits D at the server, then computes W at least */
	if (field(out, "p50_ms") < w->d || field(out, "p99_ms") < field(out, "p50_ms") ||
	    field(out, "wait_p50_ms") < w->d)
		fail_msg("%s: a request took less than D = %d ms: %s", rt->model, w->d, out);
	if (field(out, "work_cpu_ms") < (double)w->r * w->w / 1000 - 0.001)
		fail_msg("%s: less CPU work than R x W = %.1f ms: %s", rt->model,
			 (double)w->r * w->w / 1000, out);
	field(out, "setup_cpu_ms");
	/* all the process's CPU time (its workers' too) holds the work's */
	if (field(out, "cpu_ms") < field(out, "work_cpu_ms") + field(out, "setup_cpu_ms") - 0.01)
		fail_msg("%s: cpu_ms below setup_cpu_ms + work_cpu_ms: %s", rt->model, out);
	/* at most C waits overlap: ceil(R / C) waits of D one after another at least */
	if (wall < waves * w->d || wall > HARNESS_TIMEOUT_S * 1000)
		fail_msg("%s: wall_ms %.1f not within %.0f..%d ms: %s", rt->model, wall,
			 waves * w->d, HARNESS_TIMEOUT_S * 1000, out);
}

/* argv[n..]: the workload's options; returns the new count. */
static int workload_argv(const struct workload *wl, const char **argv, int n, char num[5][16],
			 const char *addr)
{
	static const char *const opt[] = { "-r", "-c", "-d", "-w", "-n" };
	const int v[] = { wl->r, wl->c, wl->d, wl->w, wl->n };
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(num[i], sizeof(num[i]), "%d", v[i]);
		argv[n++] = opt[i];
		argv[n++] = num[i];
	}
	argv[n++] = "--server";
	argv[n++] = addr;
	argv[n] = NULL;
	return n;
}

/* Runs ARGV (NULL-terminated), expects exit STATUS; P keeps the output. */
static void run_expect(struct harness_proc *p, const char **argv, int status)
{
	int got;

	harness_spawn_cmd(p, NULL, argv);
	got = harness_wait(p, HARNESS_TIMEOUT_S);
	if (got != status)
		fail_msg("%s %s ... exited %d, expected %d; stdout: %s stderr: %s", argv[0],
			 argv[1] ? argv[1] : "", got, status, p->out, p->err);
}

static void run_runtime(const struct runtime *rt)
{
	char interp[PATH_MAX], file[PATH_MAX], addr[PATH_MAX + 8], num[5][16];
	const char *argv[32], *kargv[40] = { "run", "--" };
	struct harness_proc p;
	json_object *report;
	int n, k, i;

	harness_require_root();
	n = program_argv(rt, argv, interp, file);
	start_server(addr, sizeof(addr));

	argv[n] = "--help";
	argv[n + 1] = NULL;
	run_expect(&p, argv, 0);
	if (!strstr(p.out, "sage:"))
		fail_msg("%s --help printed no usage: %s", rt->model, p.out);
	harness_proc_free(&p);
	argv[n] = "--no-such-option";
	argv[n + 1] = "--server";
	argv[n + 2] = addr;
	argv[n + 3] = NULL;
	run_expect(&p, argv, 2);
	harness_proc_free(&p);
	argv[n] = "--requests";
	argv[n + 1] = "0";
	argv[n + 2] = "--server";
	argv[n + 3] = addr;
	argv[n + 4] = NULL;
	run_expect(&p, argv, 2);
	if (!strstr(p.err, "--requests"))
		fail_msg("%s -r 0: the error does not name --requests: %s", rt->model, p.err);
	harness_proc_free(&p);

	k = workload_argv(&rt->wl, argv, n, num, addr);
	run_expect(&p, argv, 0);
	check_summary(rt, &rt->wl, p.out);
	harness_proc_free(&p);

	for (i = 0; i < k; i++)
		kargv[2 + i] = argv[i];
	kargv[2 + k] = NULL;
	harness_spawn(&p, NULL, 1, kargv);
	if (harness_wait(&p, HARNESS_TIMEOUT_S))
		fail_msg("ksee run -- %s exited %d: %s", rt->model, p.status, p.err);
	check_summary(rt, &rt->wl, p.out);
	report = harness_json(&p);
	rt->check(rt, report);
	harness_proc_free(&p);
}

static int64_t thread_num(json_object *t, const char *path)
{
	return harness_int(t, path);
}

/* The integer at PATH, 0 when absent (syscalls.* lists only the reasons seen). */
static int64_t num_or_0(json_object *o, const char *path)
{
	json_object *v = harness_get(o, path);

	return v ? json_object_get_int64(v) : 0;
}

static json_object *threads_of(json_object *proc)
{
	json_object *a = harness_get(proc, "threads");

	if (!a || !json_object_array_length(a))
		fail_msg("the process has no threads[]");
	return a;
}

static size_t processes(json_object *report)
{
	json_object *a = harness_get(report, "processes");

	return a ? json_object_array_length(a) : 0;
}

static int64_t work_ns(const struct runtime *rt)
{
	return (int64_t)rt->wl.r * rt->wl.w * 1000;
}

/*
 * asyncio: one thread runs the Python code. CPython 3.11 starts no other
 * thread here (asyncio's default executor only for run_in_executor or a
 * name lookup, and the address is numeric or a Unix socket), but any
 * helper thread would only be allowed a small share of the CPU time.
 */
static void check_py_asyncio(const struct runtime *rt, json_object *report)
{
	json_object *proc = harness_main_process(report), *ths = threads_of(proc), *t;
	int64_t total = harness_int(proc, "on_cpu_ns"), busy = 0;
	int64_t pid = harness_int(proc, "pid");
	size_t i;

	harness_expect_eq("processes", (int64_t)processes(report), 1);
	for (i = 0; i < json_object_array_length(ths); i++) {
		t = json_object_array_get_idx(ths, i);
		if (thread_num(t, "on_cpu_ns") * 20 <= total)	/* 5% */
			continue;
		busy++;
		harness_expect_eq("the busy thread is the main thread", thread_num(t, "tid"), pid);
		harness_expect_range("its on-CPU time covers R x W", thread_num(t, "on_cpu_ns"),
				     work_ns(rt), INT64_MAX);
	}
	harness_expect_eq("threads with more than 5% of the CPU time", busy, 1);
}

/*
 * The blocking call: one thread, asleep in nanosleep for D ms in one
 * request out of 8 (time.sleep inside a coroutine: nothing else runs
 * meanwhile), the other requests awaited as in py-asyncio.
 */
static void check_py_asyncio_blocking(const struct runtime *rt, json_object *report)
{
	json_object *proc = harness_main_process(report);
	const struct workload *w = &rt->wl;
	int64_t sleeps = (int64_t)(w->r / 8) * w->d * MS;

	harness_expect_eq("processes", (int64_t)processes(report), 1);
	harness_expect_eq("tasks", harness_int(proc, "tasks"), 1);
	harness_expect_range("asleep in the synchronous calls",
			     harness_int(proc, "off_cpu.by_reason.sleep"), sleeps, INT64_MAX);
	harness_expect_range("wall", harness_int(proc, "wall_ns"), sleeps, INT64_MAX);
}

/* Threads under the GIL: N workers beside the main thread, waiting in futex for the lock. */
static void check_py_threads(const struct runtime *rt, json_object *report)
{
	json_object *proc = harness_main_process(report), *ths = threads_of(proc), *t;
	int64_t pid = harness_int(proc, "pid"), waits = 0, futex;
	size_t i;

	harness_expect_eq("processes", (int64_t)processes(report), 1);
	harness_expect_eq("tasks: the main thread and N workers", harness_int(proc, "tasks"),
			  rt->wl.n + 1);
	for (i = 0; i < json_object_array_length(ths); i++) {
		t = json_object_array_get_idx(ths, i);
		if (thread_num(t, "tid") == pid)
			continue;	/* it waits for the futures, in futex too */
		futex = num_or_0(t, "syscalls.futex.blocked_calls");
		harness_expect_range("a worker's futex waits", futex, 1, INT64_MAX);
		waits += futex;
	}
	/* W = 5 ms per request against the lock: most replies find it taken */
	harness_expect_range("the workers' futex waits", waits, rt->wl.r / 4, INT64_MAX);
}

/* multiprocessing: the parent and N forked workers, each with CPU time. */
static void check_py_procs(const struct runtime *rt, json_object *report)
{
	json_object *procs = harness_get(report, "processes"), *p;
	int64_t main_pid = harness_int(harness_main_process(report), "pid");
	size_t i;

	harness_expect_eq("processes: the parent and N workers", (int64_t)processes(report),
			  rt->wl.n + 1);
	for (i = 0; i < json_object_array_length(procs); i++) {
		p = json_object_array_get_idx(procs, i);
		if (harness_int(p, "pid") == main_pid)
			continue;
		if (strcmp(json_object_get_string(harness_get(p, "role")), "fork"))
			fail_msg("worker %lld: role %s, expected fork",
				 (long long)harness_int(p, "pid"),
				 json_object_get_string(harness_get(p, "role")));
		harness_expect_range("a worker's on-CPU time", harness_int(p, "on_cpu_ns"), 1,
				     INT64_MAX);
	}
}

/* N:M: R goroutines, C of them waiting at once, on few kernel threads. */
static void check_go(const struct runtime *rt, json_object *report)
{
	json_object *proc = harness_main_process(report);

	harness_expect_eq("processes", (int64_t)processes(report), 1);
	/* GOMAXPROCS threads run Go code, with sysmon and a spare or two */
	harness_expect_range("threads for R goroutines", harness_int(proc, "tasks"), 1,
			     rt->wl.r / 4 - 1);
}

/* Mono: continuations on several pool workers, which wake one another. */
static void check_cs_async(const struct runtime *rt, json_object *report)
{
	json_object *proc = harness_main_process(report), *ths = threads_of(proc);
	json_object *edges = harness_get(report, "wakeups"), *t, *e;
	int64_t tids[64], cross = 0;
	size_t i, j, nt = 0;
	int waker, wakee;

	(void)rt;
	for (i = 0; i < json_object_array_length(ths) && nt < 64; i++) {
		t = json_object_array_get_idx(ths, i);
		/* "Thread Pool Worker" cut to 15 characters; the I/O selector: "Thread Pool I/O" */
		if (!strcmp(json_object_get_string(harness_get(t, "comm")), "Thread Pool Wor") &&
		    thread_num(t, "on_cpu_ns") > 0)
			tids[nt++] = thread_num(t, "tid");
	}
	harness_expect_range("pool workers that ran", (int64_t)nt, 2, 64);
	for (i = 0; edges && i < json_object_array_length(edges); i++) {
		e = json_object_array_get_idx(edges, i);
		waker = wakee = 0;
		for (j = 0; j < nt; j++) {
			waker |= harness_int(e, "waker_tid") == tids[j];
			wakee |= harness_int(e, "wakee_tid") == tids[j];
		}
		if (waker && wakee && harness_int(e, "waker_tid") != harness_int(e, "wakee_tid"))
			cross += harness_int(e, "count");
	}
	harness_expect_range("wakeups from one pool worker to another", cross, 1, INT64_MAX);
}

/*
 * Node: the main thread runs the JavaScript. Node 20 also starts 4 V8
 * platform workers (garbage collection, compilation), the platform's
 * delayed-task thread and the inspector's signal thread; libuv's thread
 * pool only on the first file, DNS or crypto call.
 */
static void check_node(const struct runtime *rt, json_object *report)
{
	json_object *proc = harness_main_process(report), *ths = threads_of(proc), *t;
	int64_t pid = harness_int(proc, "pid"), total = harness_int(proc, "on_cpu_ns");
	int64_t main_ns = -1;
	size_t i;

	harness_expect_eq("processes", (int64_t)processes(report), 1);
	for (i = 0; i < json_object_array_length(ths); i++) {
		t = json_object_array_get_idx(ths, i);
		if (thread_num(t, "tid") == pid)
			main_ns = thread_num(t, "on_cpu_ns");
	}
	harness_expect_range("the main thread's on-CPU time covers R x W", main_ns, work_ns(rt),
			     INT64_MAX);
	harness_expect_range("the main thread's share of on-CPU, percent", main_ns * 100 / total,
			     80, 100);
}

static const struct runtime runtimes[] = {
	{ "py-asyncio", "python3", "py_asyncio.py", NULL, { 40, 8, 10, 500, 4 },
	  check_py_asyncio },
	{ "py-asyncio-blocking", "python3", "py_asyncio_blocking.py", NULL, { 40, 8, 10, 500, 4 },
	  check_py_asyncio_blocking },
	{ "py-threads", "python3", "py_threads.py", NULL, { 40, 8, 10, 5000, 4 },
	  check_py_threads },
	{ "py-procs", "python3", "py_procs.py", NULL, { 40, 8, 10, 500, 4 }, check_py_procs },
	{ "go", NULL, "goroutines", "go", { 200, 50, 10, 500, 4 }, check_go },
	{ "cs-async", "mono", "cs_async.exe", "mcs", { 100, 8, 10, 500, 4 }, check_cs_async },
	{ "node", "node", "node_async.js", NULL, { 40, 8, 10, 500, 4 }, check_node },
};

/* One test per runtime, named after it; the runtime is the test's state. */
static void test_runtime(void **state)
{
	run_runtime(*state);
}

int main(void)
{
	enum { N = sizeof(runtimes) / sizeof(runtimes[0]) };
	struct CMUnitTest tests[N];
	static char names[N][64];
	size_t i;

	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "test_runtime_%s", runtimes[i].model);
		tests[i] = (struct CMUnitTest){ .name = names[i], .test_func = test_runtime,
						.teardown_func = harness_teardown,
						.initial_state = (void *)&runtimes[i] };
	}
	return cmocka_run_group_tests_name("runtimes_progs", tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * Every model against one shared ioserver: all requests done without
 * errors, the wall time each model promises, and the threads/processes it
 * really runs in (sampled from /proc while it runs, and clone calls
 * counted by strace).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "lib/spawn.h"

/* The workload: R=40 requests, C=8 in flight, D=20 ms, W=200 us, N=4. */
#define R	40
#define D	20
#define N	4
#define ARGS(addr)	"--requests", "40", "--concurrency", "8", "--io-ms", "20", \
			"--cpu-us", "200", "--workers", "4", "--server", addr

static struct server_proc server;

static int setup(void **state)
{
	(void)state;
	/* a private server a demo forgets becomes our child: see test_own_server */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (server_spawn(&server, demo_bin("ioserver"), NULL)) {
		fprintf(stderr, "cannot start %s\n", demo_bin("ioserver"));
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&server);
	return 0;
}

/* Run a model on the standard workload; check it served everything. */
static void run_model(const char *model, struct run *r, struct summary *s)
{
	char *argv[] = { (char *)demo_bin(model), ARGS(server.addr), NULL };

	assert_int_equal(run_cmd(r, argv), 0);
	printf("# %s", r->out);
	printf("#   max threads %u, max child processes %u, cpu %.1f ms\n", r->max_threads,
	       r->max_children, r->cpu_ms);
	assert_true(WIFEXITED(r->status));
	assert_int_equal(WEXITSTATUS(r->status), 0);
	assert_int_equal(summary_parse(r->out, s), 0);
	assert_string_equal(s->model, model);
	assert_int_equal(s->requests, R);
	assert_int_equal(s->errors, 0);
	/*
	 * cpu_ms is the kernel's count of all of it, read just before the
	 * exit: at least start-up plus the work, at most what wait4 reports.
	 */
	if (s->cpu_ms < s->setup_cpu_ms + s->work_cpu_ms - 0.01 || s->cpu_ms > r->cpu_ms + 0.01)
		fail_msg("%s: cpu_ms %.3f, setup %.3f + work %.3f, wait4 %.3f", model, s->cpu_ms,
			 s->setup_cpu_ms, s->work_cpu_ms, r->cpu_ms);
}

/*
 * Run a concurrent model: its waits overlap, so it takes well under R x D
 * (about R/C x D).  The wall time is checked on up to three runs, so that
 * a burst of other work on a shared machine does not fail the claim; every
 * run must still serve everything.
 */
static void run_overlapping(const char *model, struct run *r, struct summary *s)
{
	int attempt;

	for (attempt = 1; attempt <= 3; attempt++) {
		run_model(model, r, s);
		if (s->wall_ms < 0.5 * R * D)
			return;
		printf("# %s took %.1f ms, not under %d ms (run %d of 3; machine busy?)\n", model,
		       s->wall_ms, R * D / 2, attempt);
	}
	fail_msg("%s never took under half of R x D", model);
}

static void test_models_blocking(void **state)
{
	struct summary s;
	struct run r;

	(void)state;
	run_model("blocking", &r, &s);
	assert_true(s.wall_ms >= R * D);	/* C7: waits in sequence add up */
	assert_int_equal(r.max_threads, 1);
	assert_int_equal(r.max_children, 0);
}

static void test_models_threads(void **state)
{
	struct summary s;
	struct run r;

	(void)state;
	run_overlapping("threads", &r, &s);
	assert_true(r.max_threads > 2);		/* main + a thread per request */
	/*
	 * C request threads and main; one more while a joined thread is
	 * still leaving the kernel (it is counted until it is released)
	 */
	assert_true(r.max_threads <= 8 + 2);
}

static void test_models_pool(void **state)
{
	struct summary s;
	struct run r;

	(void)state;
	run_overlapping("pool", &r, &s);
	assert_int_equal(r.max_threads, N + 2);	/* main, poller, N workers */
	assert_int_equal(s.workers, N);
}

static void test_models_single_thread(const char *model)
{
	struct summary s;
	struct run r;

	run_overlapping(model, &r, &s);
	assert_int_equal(r.max_threads, 1);	/* C1: one kernel thread */
	assert_int_equal(r.max_children, 0);
}

static void test_models_epoll(void **state)
{
	(void)state;
	test_models_single_thread("epoll");
}

static void test_models_uring(void **state)
{
	(void)state;
	test_models_single_thread("uring");
}

static void test_models_coro(void **state)
{
	(void)state;
	test_models_single_thread("coro");
}

static void test_models_gil(void **state)
{
	struct summary s;
	struct run r;

	(void)state;
	/* the waits overlap across the N threads ... */
	run_overlapping("gil", &r, &s);
	assert_int_equal(r.max_threads, N + 1);
}

/* C6: under the lock, CPU-heavy requests get no parallelism. */
static void test_models_gil_no_parallelism(void **state)
{
	char *argv[] = { (char *)demo_bin("gil"), "--requests", "40", "--concurrency", "8",
			 "--io-ms", "1", "--cpu-us", "5000", "--workers", "4",
			 "--server", server.addr, NULL };
	struct run r;

	(void)state;
	assert_int_equal(run_cmd(&r, argv), 0);
	printf("# %s#   cpu %.1f ms over wall %.1f ms\n", r.out, r.cpu_ms, r.wall_ms);
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_true(r.cpu_ms < 1.15 * r.wall_ms);
}

static void test_models_procs(void **state)
{
	struct summary s;
	struct run r;

	(void)state;
	run_model("procs", &r, &s);
	assert_int_equal(r.max_children, N);	/* N worker processes */
	assert_int_equal(r.max_threads, 1);
	assert_int_equal(s.workers, N);
}

/* Count thread/process creations of a model with strace -f. */
static int count_clones(const char *model, unsigned long *n)
{
	char out[] = "/tmp/ksee-test-strace-XXXXXX";
	char *argv[] = { "/usr/bin/strace", "-f", "-qq", "-e", "trace=clone,clone3,fork,vfork",
			 "-o", out, (char *)demo_bin(model), "--requests", "16", "--concurrency",
			 "8", "--io-ms", "5", "--cpu-us", "100", "--workers", "4", "--server",
			 server.addr, NULL };
	char line[1024], *p;
	struct run r;
	FILE *f;
	int fd;

	fd = mkstemp(out);
	if (fd < 0)
		return -errno;
	close(fd);
	if (run_cmd_quiet(&r, argv) || !WIFEXITED(r.status) || WEXITSTATUS(r.status)) {
		unlink(out);
		return -ECHILD;
	}
	f = fopen(out, "r");
	unlink(out);
	if (!f)
		return -errno;
	*n = 0;
	/* "PID  clone3(...) = TID" or "PID  clone3(... <unfinished ...>", once per call */
	while (fgets(line, sizeof(line), f)) {
		p = line + strspn(line, "0123456789 ");
		if (!strncmp(p, "clone(", 6) || !strncmp(p, "clone3(", 7) ||
		    !strncmp(p, "fork(", 5) || !strncmp(p, "vfork(", 6))
			(*n)++;
	}
	fclose(f);
	return 0;
}

static void test_models_clone_counts(void **state)
{
	static const struct {
		const char *model;
		unsigned long clones;
	} want[] = {
		{ "blocking", 0 }, { "epoll", 0 }, { "uring", 0 }, { "coro", 0 },
		{ "threads", 16 },	/* 1:1: one thread per request */
		{ "pool", N + 1 },	/* N workers and the poller, for all requests */
		{ "gil", N },
		{ "procs", N },
	};
	unsigned long n;
	size_t i;

	(void)state;
	if (access("/usr/bin/strace", X_OK)) {
		printf("# SKIP: /usr/bin/strace is not installed (apt-get install strace)\n");
		skip();	/* the reason is printed above */
	}
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(count_clones(want[i].model, &n), 0);
		printf("# %s: %lu clone/fork calls\n", want[i].model, n);
		assert_int_equal(n, want[i].clones);
	}
}

/* With no --server a model starts its own ioserver, and stops it at exit. */
static void test_models_own_server(void **state)
{
	char *argv[] = { (char *)demo_bin("epoll"), "--requests", "10", "--io-ms", "5", NULL };
	struct summary s;
	struct run r;

	(void)state;
	assert_int_equal(run_cmd(&r, argv), 0);
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_int_equal(summary_parse(r.out, &s), 0);
	assert_int_equal(s.errors, 0);
	assert_true(r.max_children >= 1);	/* the server ran as its child */
	/* as subreaper we would have inherited a server left running */
	assert_int_equal(count_children(getpid()), 1);	/* only the shared server */
}

/* Any failed request: exit 1, counted in errors=. */
static void test_models_errors_exit_nonzero(void **state)
{
	/* the server refuses delays over 60 s with an error reply */
	char *argv[] = { (char *)demo_bin("coro"), "--requests", "10", "--io-ms", "100000",
			 "--server", server.addr, NULL };
	char *gone[] = { (char *)demo_bin("blocking"), "--requests", "3",
			 "--server", "unix:/nonexistent/ksee.sock", NULL };
	struct summary s;
	struct run r;

	(void)state;
	assert_int_equal(run_cmd_quiet(&r, argv), 0);
	assert_int_equal(WEXITSTATUS(r.status), 1);
	assert_int_equal(summary_parse(r.out, &s), 0);
	assert_int_equal(s.requests, 0);
	assert_int_equal(s.errors, 10);

	assert_int_equal(run_cmd_quiet(&r, gone), 0);
	assert_int_equal(WEXITSTATUS(r.status), 1);
	assert_int_equal(summary_parse(r.out, &s), 0);
	assert_int_equal(s.errors, 3);
}

static void test_models_usage(void **state)
{
	char *help[] = { (char *)demo_bin("pool"), "--help", NULL };
	char *bad[] = { (char *)demo_bin("pool"), "--requests", "0", NULL };
	char *unknown[] = { (char *)demo_bin("uring"), "--bogus", NULL };
	struct run r;

	(void)state;
	assert_int_equal(run_cmd(&r, help), 0);
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_non_null(strstr(r.out, "--concurrency"));
	assert_int_equal(run_cmd_quiet(&r, bad), 0);
	assert_int_equal(WEXITSTATUS(r.status), 64);
	assert_int_equal(run_cmd_quiet(&r, unknown), 0);
	assert_int_equal(WEXITSTATUS(r.status), 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_models_blocking),
		cmocka_unit_test(test_models_threads),
		cmocka_unit_test(test_models_pool),
		cmocka_unit_test(test_models_epoll),
		cmocka_unit_test(test_models_uring),
		cmocka_unit_test(test_models_coro),
		cmocka_unit_test(test_models_gil),
		cmocka_unit_test(test_models_gil_no_parallelism),
		cmocka_unit_test(test_models_procs),
		cmocka_unit_test(test_models_clone_counts),
		cmocka_unit_test(test_models_own_server),
		cmocka_unit_test(test_models_errors_exit_nonzero),
		cmocka_unit_test(test_models_usage),
	};

	return cmocka_run_group_tests_name("demo_models", tests, setup, teardown);
}

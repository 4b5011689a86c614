// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksee killed with SIGKILL at random moments of run, attach and compare
 * (before attach, while tracing, while reporting): no ksee program stays
 * loaded, no traced process is left stopped or waiting for a tracer that
 * is gone, and the -o file is either absent or a whole report. The random
 * delays come from KSEE_TEST_SEED (default: the time), printed for replay.
 */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "faults.h"

static void test_faults_run(void **state)
{
	const char *progs[] = { "sleeper", "churn_threads" };
	char out[PATH_MAX];
	struct harness_proc p;
	int i, delay, st, rc;
	pid_t child;

	harness_require_root();
	faults_seed();
	for (i = 0; i < 8; i++) {
		const char *args[] = { "run", "-j", "-o", out, "--", harness_prog(progs[i % 2]),
				       NULL };

		snprintf(out, sizeof(out), "%s/out.json", harness_tmpdir());
		/* 0-40 ms: before the go-ahead; later: tracing or reporting. */
		delay = i < 2 ? rand() % 40 : rand() % 600;
		fprintf(stderr, "# SIGKILL after %d ms\n", delay);
		harness_spawn(&p, NULL, 0, args);
		harness_msleep(delay);
		child = harness_child_of(p.pid);
		kill(p.pid, SIGKILL);
		rc = harness_wait(&p, 10);
		harness_expect_range("ksee status (killed or done)", rc, 0, 128 + SIGKILL);
		harness_expect_eq("ksee_ programs left", harness_ksee_progs_settled(), 0);
		faults_expect_output_whole(out);
		if (child > 0) {
			/* Orphaned to us: it must end by itself, never stopped. */
			faults_expect_not_stuck(child, 10);
			if (waitpid(child, &st, 0) == child)
				harness_expect_range("child exit status (0, or 127: never exec'd)",
						     WEXITSTATUS(st), 0, 127);
		}
		harness_proc_free(&p);
	}
}

static void test_faults_attach(void **state)
{
	const char *target[] = { harness_prog("idler"), "30", NULL };
	char out[PATH_MAX], pid_s[16];
	const char *args[] = { "attach", "-p", pid_s, "-d", "1", "-j", "-o", out, NULL };
	struct harness_proc p;
	int i, delay;
	pid_t pid;

	harness_require_root();
	faults_seed();
	pid = harness_start(target);
	snprintf(pid_s, sizeof(pid_s), "%d", pid);
	for (i = 0; i < 6; i++) {
		snprintf(out, sizeof(out), "%s/out.json", harness_tmpdir());
		delay = rand() % 1400;
		fprintf(stderr, "# SIGKILL after %d ms\n", delay);
		harness_spawn(&p, NULL, 0, args);
		harness_msleep(delay);
		kill(p.pid, SIGKILL);
		harness_wait(&p, 10);
		harness_expect_eq("ksee_ programs left", harness_ksee_progs_settled(), 0);
		faults_expect_output_whole(out);
		/* The target goes on as before: alive, not stopped. */
		if (kill(pid, 0))
			fail_msg("the attached process %d died with ksee", pid);
		faults_expect_state_ok(pid);
		harness_proc_free(&p);
	}
}

static void test_faults_compare(void **state)
{
	char out[PATH_MAX];
	const char *args[] = { "compare", "--models", "epoll,threads", "--requests", "40",
			       "--cpu-us", "1000", "--io-ms", "5", "-j", "-o", out, NULL };
	struct harness_proc p;
	int i, delay;

	harness_require_root();
	faults_seed();
	for (i = 0; i < 3; i++) {
		snprintf(out, sizeof(out), "%s/out.json", harness_tmpdir());
		delay = rand() % 2000;
		fprintf(stderr, "# SIGKILL after %d ms\n", delay);
		harness_spawn(&p, NULL, 0, args);
		harness_msleep(delay);
		kill(p.pid, SIGKILL);
		harness_wait(&p, 10);
		harness_expect_eq("ksee_ programs left", harness_ksee_progs_settled(), 0);
		faults_expect_output_whole(out);
		/* The demo that was running finishes its workload and exits. */
		faults_expect_no_demo_left("epoll", 10);
		faults_expect_no_demo_left("threads", 10);
		harness_proc_free(&p);
		harness_teardown(NULL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_faults_run, harness_teardown),
		cmocka_unit_test_teardown(test_faults_attach, harness_teardown),
		cmocka_unit_test_teardown(test_faults_compare, harness_teardown),
	};

	return cmocka_run_group_tests_name("integration_faults", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * --record and --timeline, and `ksee report` on what they wrote: the same
 * numbers later, without privileges, and clear errors on bad files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"

static int64_t num(json_object *o, const char *path)
{
	return harness_int(o, path);
}

static void test_record_report_matches_live(void **state)
{
	const char *dir;
	char rec[4096], live[4096], later[4096], cmd[16384];
	const char *args[16];
	struct harness_proc p = { 0 }, q = { 0 };
	json_object *a, *b;
	int status;

	harness_require_root();
	dir = harness_tmpdir();
	snprintf(rec, sizeof(rec), "%s/run.ksee", dir);
	snprintf(live, sizeof(live), "%s/live.json", dir);
	snprintf(later, sizeof(later), "%s/later.json", dir);
	args[0] = "run";
	args[1] = "--timeline";
	args[2] = "--record";
	args[3] = rec;
	args[4] = "-j";
	args[5] = "-o";
	args[6] = live;
	args[7] = "--";
	args[8] = harness_prog("pipe_wakeups");
	args[9] = NULL;
	status = harness_run(&p, NULL, 0, args);
	harness_expect_eq("ksee run status", status, 0);
	/* Rendering needs no privileges: do it as nobody. */
	snprintf(cmd, sizeof(cmd), "setpriv --reuid=65534 --regid=65534 --clear-groups "
		 "%s report %s -j > %s", getenv("KSEE"), rec, later);
	harness_expect_eq("ksee report as nobody", system(cmd), 0);

	a = json_object_from_file(live);
	b = json_object_from_file(later);
	assert_non_null(a);
	assert_non_null(b);
	harness_expect_eq("tasks", num(b, "totals.tasks"), num(a, "totals.tasks"));
	harness_expect_eq("tasks", num(b, "totals.tasks"), 5);
	harness_expect_eq("on_cpu_ns", num(b, "totals.on_cpu_ns"), num(a, "totals.on_cpu_ns"));
	harness_expect_eq("voluntary", num(b, "totals.voluntary"), num(a, "totals.voluntary"));
	harness_expect_eq("wall_ns", num(b, "wall_ns"), num(a, "wall_ns"));
	harness_expect_eq("edges", json_object_array_length(harness_get(b, "wakeups")),
			  json_object_array_length(harness_get(a, "wakeups")));
	/* 5 tasks, each created or adopted, run, block, woken, exit: dozens of events */
	harness_expect_range("timeline events", num(b, "timeline.events"), 25, 100000);
	harness_expect_eq("timeline lost", num(b, "timeline.lost"), 0);
	assert_true(json_object_get_boolean(harness_get(b, "timeline.recorded")));
	json_object_put(a);
	json_object_put(b);
	harness_proc_free(&p);
	harness_proc_free(&q);
}

static void test_record_report_rejects_bad_files(void **state)
{
	const char *dir;
	char path[4096], cmd[8192];
	struct harness_proc p = { 0 };
	const char *args[4] = { "report", path, NULL };
	FILE *f;
	int status;

	harness_require_root();
	dir = harness_tmpdir();
	snprintf(path, sizeof(path), "%s/junk.ksee", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is not a recording\n", f);
	fclose(f);
	status = harness_run(&p, NULL, 0, args);
	harness_expect_eq("status for junk", status, 1);
	if (!strstr(p.err, "not a ksee recording"))
		fail_msg("stderr: %s", p.err);
	harness_proc_free(&p);

	snprintf(path, sizeof(path), "%s/missing.ksee", dir);
	status = harness_run(&p, NULL, 0, args);
	harness_expect_eq("status for a missing file", status, 1);
	if (!strstr(p.err, "cannot open"))
		fail_msg("stderr: %s", p.err);
	harness_proc_free(&p);
	(void)cmd;
}

/*
 * A recording of an older format (its header as a version 1 ksee wrote
 * it: no checksum, task records of 1216 bytes) is refused with what it
 * is and what to do, and nothing is written.
 */
static void test_record_report_refuses_older_format(void **state)
{
	const char *dir;
	char rec[4096], out[4096];
	const char *args[16];
	struct harness_proc p = { 0 };
	struct {
		char magic[8];
		uint32_t version, header_size, task_size;
	} h;
	FILE *f;
	int status;

	harness_require_root();
	dir = harness_tmpdir();
	snprintf(rec, sizeof(rec), "%s/old.ksee", dir);
	snprintf(out, sizeof(out), "%s/old.txt", dir);
	args[0] = "run";
	args[1] = "--record";
	args[2] = rec;
	args[3] = "--";
	args[4] = harness_prog("sleeper");
	args[5] = "2";
	args[6] = NULL;
	status = harness_run(&p, NULL, 0, args);
	harness_expect_eq("status of the run", status, 0);
	harness_proc_free(&p);

	f = fopen(rec, "r+");
	assert_non_null(f);
	assert_int_equal(fread(&h, sizeof(h), 1, f), 1);
	assert_memory_equal(h.magic, "KSEEREC", 8);
	h.version = 1;
	h.task_size = 1216;
	rewind(f);
	assert_int_equal(fwrite(&h, sizeof(h), 1, f), 1);
	assert_int_equal(fclose(f), 0);

	args[0] = "report";
	args[1] = rec;
	args[2] = "-o";
	args[3] = out;
	args[4] = NULL;
	status = harness_run(&p, NULL, 0, args);
	harness_expect_eq("status for an older format", status, 1);
	if (!strstr(p.err, "from an older ksee (format 1,") ||
	    !strstr(p.err, "re-record it with this ksee"))
		fail_msg("stderr: %s", p.err);
	assert_int_equal(access(out, F_OK), -1);
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_record_report_matches_live, harness_teardown),
		cmocka_unit_test_teardown(test_record_report_rejects_bad_files, harness_teardown),
		cmocka_unit_test_teardown(test_record_report_refuses_older_format, harness_teardown),
	};

	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}

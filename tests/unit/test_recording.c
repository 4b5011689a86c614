// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fixtures.h"
#include "output/recording.h"

static char err[512];

/* A recording of fx_two_threads() with three timeline events, in memory. */
static char *make_recording(size_t *len)
{
	struct ksee_event ev[3] = {
		{ .ts_ns = 1001 * MS, .tid = 100, .tgid = 100, .type = KSEE_EV_RUN },
		{ .ts_ns = 1002 * MS, .tid = 100, .tgid = 100, .type = KSEE_EV_BLOCK,
		  .arg = KSEE_R_FUTEX },
		{ .ts_ns = 1003 * MS, .tid = 101, .tgid = 100, .type = KSEE_EV_WAKE, .arg = 100,
		  .arg2 = 100 },
	};
	char *argv[] = { "./demo", "--flag" };
	__u32 pid = 100;
	struct ks_events spool;
	struct ks_trace tr;
	char *buf = NULL;
	FILE *f;

	fx_two_threads(&tr);
	tr.argv = argv;
	tr.argc = 2;
	tr.pids = &pid;
	tr.npids = 1;
	tr.have_exit = true;
	tr.exit_status = 3;
	tr.exit_code = 3;
	tr.drops.events = 7;
	tr.drops.switches_inferred = 3;
	tr.drops.hists = 5;
	ks_trace_notice(&tr, "irq tracepoints unavailable");
	ks_trace_finish(&tr);
	assert_int_equal(ks_events_spool(&spool), 0);
	assert_int_equal(ks_events_append(&spool, ev, 3), 0);
	spool.lost = 7;
	f = open_memstream(&buf, len);
	assert_int_equal(rec_write_header(f), 0);
	assert_int_equal(rec_write_trace(f, 1, &tr, &spool), 0);
	assert_int_equal(rec_write_end(f), 0);
	fclose(f);
	ks_events_close(&spool);
	ks_trace_free(&tr);
	return buf;
}

static int read_mem(struct rec_file *rf, const char *buf, size_t len, FILE **fp)
{
	*fp = fmemopen((void *)buf, len ? len : 1, "rb");
	assert_non_null(*fp);
	if (!len) {
		/* fmemopen cannot open an empty buffer: an empty file */
		fclose(*fp);
		*fp = tmpfile();
	}
	return rec_read(rf, *fp, err, sizeof(err));
}

static int count_event(const struct ksee_event *e, void *ctx)
{
	(*(int *)ctx)++;
	return e->type == KSEE_EV_WAKE && e->arg != 100 ? -EINVAL : 0;
}

static void test_recording_round_trip(void **state)
{
	struct rec_file rf;
	struct ks_trace *tr;
	size_t len;
	char *buf = make_recording(&len);
	FILE *f;
	int n = 0;

	assert_int_equal(read_mem(&rf, buf, len, &f), 0);
	assert_false(rf.is_compare);
	assert_true(rf.have[1]);
	tr = &rf.traces[1];
	assert_int_equal(tr->nprocesses, 1);
	assert_int_equal(tr->total.tasks, 2);
	assert_int_equal(tr->total.on_cpu_ns, 10 * MS);
	assert_int_equal(tr->total.blocked_ns[KSEE_R_READ], 90 * MS);
	assert_int_equal(tr->total.wall_ns, 100 * MS);
	assert_int_equal(tr->nedges, 1);
	assert_int_equal(tr->argc, 2);
	assert_string_equal(tr->argv[1], "--flag");
	assert_int_equal(tr->pids[0], 100);
	assert_int_equal(tr->exit_status, 3);
	assert_int_equal(tr->drops.events, 7);
	assert_int_equal(tr->drops.switches_inferred, 3);
	assert_int_equal(tr->drops.hists, 5);
	assert_int_equal(tr->nnotices, 1);
	assert_int_equal(rf.events[1].count, 3);
	assert_int_equal(rf.events[1].lost, 7);
	assert_int_equal(ks_events_foreach(&rf.events[1], count_event, &n), 0);
	assert_int_equal(n, 3);
	rec_free(&rf);
	fclose(f);
	free(buf);
}

/* Every prefix of a good recording is rejected cleanly, never read past. */
static void test_recording_truncated_everywhere(void **state)
{
	struct rec_file rf;
	size_t len, cut;
	char *buf = make_recording(&len);
	FILE *f;

	for (cut = 0; cut < len; cut++) {
		assert_int_not_equal(read_mem(&rf, buf, cut, &f), 0);
		assert_true(strlen(err) > 0);
		rec_free(&rf);
		fclose(f);
	}
	free(buf);
}

static void expect_error(char *buf, size_t len, const char *what)
{
	struct rec_file rf;
	FILE *f;

	assert_int_not_equal(read_mem(&rf, buf, len, &f), 0);
	if (!strstr(err, what))
		fail_msg("error '%s' does not say '%s'", err, what);
	rec_free(&rf);
	fclose(f);
}

static void test_recording_rejects_bad_files(void **state)
{
	struct rec_header *h;
	struct rec_section *s;
	size_t len;
	char *buf = make_recording(&len), *copy = malloc(len);

	memcpy(copy, buf, len);
	memcpy(copy, "NOTKSEE", 8);
	expect_error(copy, len, "not a ksee recording");

	memcpy(copy, buf, len);
	h = (struct rec_header *)copy;
	h->version = REC_VERSION + 1;
	expect_error(copy, len, "newer than this ksee");

	memcpy(copy, buf, len);
	h->task_size += 8;	/* as an incompatible build would write it, checksum and all */
	h->header_crc = 0;
	h->header_crc = rec_crc32c(0, h, sizeof(*h));
	expect_error(copy, len, "from another ksee build (task records of");
	expect_error(copy, len, "re-record it with this ksee");

	/* older formats, as they were: their task records were 1216 bytes */
	memcpy(copy, buf, len);
	h->version = 2;
	h->task_size = 1216;
	h->header_crc = 0;
	h->header_crc = rec_crc32c(0, h, sizeof(*h));
	expect_error(copy, len, "from an older ksee (format 2, before the task records of "
		     "format 3: the kernel's run-queue wait");
	expect_error(copy, len, "this ksee reads format 4: re-record it with this ksee");
	h->version = 1;
	h->header_crc = 0;
	expect_error(copy, len, "from an older ksee (format 1, before checksums");
	/* format 3: its process records had no bill histogram */
	memcpy(copy, buf, len);
	h->version = 3;
	h->proc_size = sizeof(struct rec_proc) - sizeof(((struct rec_proc *)0)->bill_hist);
	h->header_crc = 0;
	h->header_crc = rec_crc32c(0, h, sizeof(*h));
	expect_error(copy, len, "from an older ksee (format 3, before the bill's latency "
		     "histogram of 8 buckets a power of two); this ksee reads format 4");

	memcpy(copy, buf, len);
	s = (struct rec_section *)(copy + sizeof(*h));
	s->length = ~0ULL;	/* oversized */
	expect_error(copy, len, "truncated");

	memcpy(copy, buf, len);
	s->type = 99;
	expect_error(copy, len, "corrupt");

	memcpy(copy, buf, len);
	copy[sizeof(*h) + sizeof(*s)] = '[';	/* META no longer an object */
	expect_error(copy, len, "corrupt");

	memcpy(copy, buf, len);
	s->type = REC_TASKS;	/* data before the META that describes it */
	expect_error(copy, len, "corrupt");

	expect_error(buf, sizeof(*h), "truncated");
	memcpy(copy, buf, sizeof(*h));
	/* header + end (and its checksum) */
	memcpy(copy + sizeof(*h), buf + len - sizeof(*s) - 4, sizeof(*s) + 4);
	expect_error(copy, sizeof(*h) + sizeof(*s) + 4, "no trace");
	free(copy);
	free(buf);
}

/* CRC32C's check value, and the empty string's. */
static void test_recording_crc32c(void **state)
{
	assert_int_equal(rec_crc32c(0, "123456789", 9), 0xe3069283);
	assert_int_equal(rec_crc32c(rec_crc32c(0, "1234", 4), "56789", 5), 0xe3069283);
	assert_int_equal(rec_crc32c(0, "", 0), 0);
}

/*
 * Issue 12, item 10: 1 to 8 bytes changed anywhere (1000 copies) never
 * render; a change inside a section names it.
 */
static void test_recording_every_change_refused(void **state)
{
	struct rec_file rf;
	size_t len, i, k, at, named = 0;
	char *buf = make_recording(&len), *copy = malloc(len);
	FILE *f;

	srand(12);
	for (i = 0; i < 1000; i++) {
		memcpy(copy, buf, len);
		for (k = 0, at = 0; k <= (size_t)rand() % 8; k++) {
			at = rand() % len;
			copy[at] ^= 1 + rand() % 255;	/* never 0: a real change */
		}
		if (read_mem(&rf, copy, len, &f) == 0)
			fail_msg("copy %zu with a change at byte %zu was accepted", i, at);
		named += strstr(err, "fails its checksum") != NULL;
		rec_free(&rf);
		fclose(f);
	}
	/* most changes fall in the payloads: each named by its section */
	assert_in_range(named, 500, 1000);
	memcpy(copy, buf, len);
	copy[len / 2] ^= 0x10;
	expect_error(copy, len, "fails its checksum (CRC32C)");
	free(copy);
	free(buf);
}

/* A version 1 or 2 file with this ksee's record sizes is still read (1 marked unchecked). */
static void test_recording_reads_version_1(void **state)
{
	struct rec_header *h;
	struct rec_section s;
	struct rec_file rf;
	size_t len, pos, out = 0;
	char *buf = make_recording(&len), *v1 = malloc(len);
	FILE *f;

	/* drop every section's checksum, as version 1 wrote them */
	memcpy(v1, buf, sizeof(*h));
	h = (struct rec_header *)v1;
	h->version = 1;
	h->header_crc = 0;
	out = pos = sizeof(*h);
	while (pos < len) {
		memcpy(&s, buf + pos, sizeof(s));
		memcpy(v1 + out, buf + pos, sizeof(s) + s.length);
		out += sizeof(s) + s.length;
		pos += sizeof(s) + s.length + sizeof(__u32);
	}
	assert_int_equal(read_mem(&rf, v1, out, &f), 0);
	assert_true(rf.unchecked);
	assert_true(rf.have[1]);
	rec_free(&rf);
	fclose(f);
	assert_int_equal(read_mem(&rf, buf, len, &f), 0);
	assert_false(rf.unchecked);
	rec_free(&rf);
	fclose(f);
	/* a format 2 file with this ksee's records (written since the run-queue wait) */
	h = (struct rec_header *)buf;
	h->version = 2;
	h->header_crc = 0;
	h->header_crc = rec_crc32c(0, h, sizeof(*h));
	assert_int_equal(read_mem(&rf, buf, len, &f), 0);
	assert_false(rf.unchecked);
	rec_free(&rf);
	fclose(f);
	free(v1);
	free(buf);
}

static void test_recording_garbage_never_crashes(void **state)
{
	struct rec_file rf;
	size_t len, i;
	char *buf = make_recording(&len), *copy = malloc(len);
	FILE *f;

	srand(42);
	for (i = 0; i < 2000; i++) {
		memcpy(copy, buf, len);
		copy[rand() % len] ^= 1 << (rand() % 8);
		copy[rand() % len] = rand();
		if (read_mem(&rf, copy, len, &f) == 0)
			assert_true(rf.have[1]);
		rec_free(&rf);
		fclose(f);
	}
	free(copy);
	free(buf);
}

static void test_recording_compare_round_trip(void **state)
{
	struct cmp_run *run = calloc(1, sizeof(*run));
	struct ks_trace tr;
	struct rec_file rf;
	char *buf = NULL;
	size_t len;
	FILE *f;
	int i;

	fx_compare_run(run);
	run->res[CMP_EPOLL].demo.wait_p50_ms = 5.25;
	cmp_verdicts(run);
	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	tr.cpus_available = 2;
	tr.cpus_free = 1.25;
	f = open_memstream(&buf, &len);
	assert_int_equal(rec_write_header(f), 0);
	assert_int_equal(rec_write_compare(f, run), 0);
	assert_int_equal(rec_write_trace(f, 1 + CMP_POOL, &tr, NULL), 0);
	assert_int_equal(rec_write_end(f), 0);
	fclose(f);

	assert_int_equal(read_mem(&rf, buf, len, &f), 0);
	assert_true(rf.is_compare);
	assert_non_null(rf.cmp);
	assert_int_equal(rf.cmp->wl.requests, run->wl.requests);
	assert_true(rf.cmp->res[CMP_POOL].ran);
	/* the pool column comes from its recorded trace */
	assert_int_equal(rf.cmp->res[CMP_POOL].sum.tasks, 2);
	assert_int_equal(rf.cmp->res[CMP_EPOLL].demo.requests, run->res[CMP_EPOLL].demo.requests);
	/* the demo's CPU times and waits, the CPUs free during the model's run */
	assert_float_equal(rf.cmp->res[CMP_EPOLL].demo.wait_p50_ms, 5.25, 1e-9);
	assert_true(isnan(rf.cmp->res[CMP_EPOLL].demo.wait_p99_ms));
	assert_float_equal(rf.cmp->res[CMP_EPOLL].demo.work_cpu_ms, 800, 1e-9);
	assert_float_equal(rf.cmp->res[CMP_EPOLL].demo.setup_cpu_ms, 2, 1e-9);
	assert_float_equal(rf.cmp->res[CMP_POOL].cpus_available, 2, 1e-9);
	assert_float_equal(rf.cmp->res[CMP_POOL].cpus_free, 1.25, 1e-9);
	for (i = 0; i < CMP_NDEMO_CLAIMS; i++)
		assert_string_equal(rf.cmp->verdicts[i].id, run->verdicts[i].id);
	rec_free(&rf);
	fclose(f);
	free(buf);
	ks_trace_free(&tr);
	free(run);
}

/*
 * compare --cmd --repeat --record: every run of every column, the first
 * run's timeline, a run that failed without a trace; read back whole.
 */
static char *make_columns_recording(size_t *len)
{
	struct ksee_event ev[2] = {
		{ .ts_ns = 1001 * MS, .tid = 100, .tgid = 100, .type = KSEE_EV_RUN },
		{ .ts_ns = 1002 * MS, .tid = 100, .tgid = 100, .type = KSEE_EV_BLOCK,
		  .arg = KSEE_R_FUTEX },
	};
	struct col_cmp *cc = calloc(1, sizeof(*cc));
	struct ks_events spool;
	struct ks_trace tr;
	char *buf = NULL;
	FILE *f;

	assert_non_null(cc);
	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	assert_int_equal(ks_events_spool(&spool), 0);
	assert_int_equal(ks_events_append(&spool, ev, 2), 0);
	cc->kind = "commands";
	cc->repeat = 2;
	cc->ncpus = 2;
	strcpy(cc->kernel, "6.18");
	cc->ncols = 2;
	strcpy(cc->cols[0].name, "two");
	strcpy(cc->cols[0].command, "./two threads");
	cc->cols[0].nruns = 2;
	cc->cols[0].runs[0].ran = cc->cols[0].runs[1].ran = true;
	strcpy(cc->cols[1].name, "gone");
	strcpy(cc->cols[1].command, "./gone");
	cc->cols[1].nruns = 1;
	cc->cols[1].runs[0].ran = cc->cols[1].runs[0].failed = true;
	strcpy(cc->cols[1].runs[0].error, "exit status 127: command not found");
	cc->cols[1].failed = true;
	strcpy(cc->cols[1].error, "run 1: exit status 127: command not found");
	f = open_memstream(&buf, len);
	assert_int_equal(rec_write_header(f), 0);
	assert_int_equal(rec_write_trace(f, rec_column_trace(0, 0), &tr, &spool), 0);
	assert_int_equal(rec_write_trace(f, rec_column_trace(0, 1), &tr, NULL), 0);
	assert_int_equal(rec_write_columns(f, cc), 0);
	assert_int_equal(rec_write_end(f), 0);
	fclose(f);
	ks_events_close(&spool);
	ks_trace_free(&tr);
	free(cc);
	return buf;
}

static void test_recording_columns_round_trip(void **state)
{
	const struct col_column *c;
	struct rec_file rf;
	size_t len;
	char *buf = make_columns_recording(&len);
	FILE *f;

	assert_int_equal(read_mem(&rf, buf, len, &f), 0);
	assert_true(rf.is_compare);
	assert_null(rf.cmp);
	assert_non_null(rf.cols);
	assert_string_equal(rf.cols->kind, "commands");
	assert_int_equal(rf.cols->repeat, 2);
	assert_int_equal(rf.cols->ncols, 2);
	c = &rf.cols->cols[0];
	assert_string_equal(c->name, "two");
	assert_string_equal(c->command, "./two threads");
	assert_int_equal(c->nruns, 2);
	/* each run from its own trace */
	assert_int_equal(c->runs[0].sum.tasks, 2);
	assert_int_equal(c->runs[1].sum.tasks, 2);
	assert_int_equal(col_good_runs(c), 2);
	/* the first run's timeline and trace, for the strips and Perfetto */
	assert_non_null(c->timeline);
	assert_int_equal(c->timeline->count, 2);
	assert_non_null(c->tl_trace);
	assert_int_equal(c->tl_start_ns, c->tl_trace->start_ns);
	c = &rf.cols->cols[1];
	assert_true(c->failed);
	assert_string_equal(c->error, "run 1: exit status 127: command not found");
	assert_true(c->runs[0].failed);
	assert_string_equal(c->runs[0].error, "exit status 127: command not found");
	assert_null(c->timeline);
	rec_free(&rf);
	fclose(f);
	free(buf);
}

/* Columns written under version 2 (which has none), cut files, bad columns: refused. */
static void test_recording_columns_refused(void **state)
{
	struct rec_header *h;
	struct rec_file rf;
	size_t len, cut;
	char *buf = make_columns_recording(&len), *copy = malloc(len), *p;
	FILE *f;

	assert_non_null(copy);
	memcpy(copy, buf, len);
	h = (struct rec_header *)copy;
	h->version = 2;
	h->header_crc = 0;
	h->header_crc = rec_crc32c(0, h, sizeof(*h));
	expect_error(copy, len, "columns in a version 2 file");
	/* a name with '=' is no column's */
	memcpy(copy, buf, len);
	p = memmem(copy, len, "\"gone\"", 6);
	assert_non_null(p);
	p[2] = '=';
	expect_error(copy, len, "corrupt");
	for (cut = 0; cut < len; cut += 3) {
		assert_int_not_equal(read_mem(&rf, buf, cut, &f), 0);
		assert_true(strlen(err) > 0);
		rec_free(&rf);
		fclose(f);
	}
	free(copy);
	free(buf);
}

/* With KSEE_FUZZ_CORPUS set, leave a seed there for the fuzzer. */
static void test_recording_seed_corpus(void **state)
{
	const char *dir = getenv("KSEE_FUZZ_CORPUS");
	char path[4096];
	size_t len;
	char *buf;
	FILE *f;

	if (!dir)
		return;
	buf = make_recording(&len);
	snprintf(path, sizeof(path), "%s/seed-run.ksee", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recording_round_trip),
		cmocka_unit_test(test_recording_truncated_everywhere),
		cmocka_unit_test(test_recording_rejects_bad_files),
		cmocka_unit_test(test_recording_crc32c),
		cmocka_unit_test(test_recording_every_change_refused),
		cmocka_unit_test(test_recording_reads_version_1),
		cmocka_unit_test(test_recording_garbage_never_crashes),
		cmocka_unit_test(test_recording_compare_round_trip),
		cmocka_unit_test(test_recording_columns_round_trip),
		cmocka_unit_test(test_recording_columns_refused),
		cmocka_unit_test(test_recording_seed_corpus),
	};

	return cmocka_run_group_tests_name("recording", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * The comparison of named columns (model/columns.c) and its text and JSON
 * forms (output/columns_report.c): medians and ranges, what differs (the
 * thresholds and the overlap rule from both sides), names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "model/columns.h"
#include "output/columns_report.h"
#include "output/render.h"

#define MS 1000000ULL

static struct col_cmp *new_cmp(void)
{
	struct col_cmp *cc = calloc(1, sizeof(*cc));

	assert_non_null(cc);
	cc->kind = "commands";
	cc->repeat = 1;
	return cc;
}

/* Column @name with runs of @on_ms on-CPU and @blocked_ms asleep each. */
static struct col_column *add(struct col_cmp *cc, const char *name, unsigned int n,
			      const double *on_ms, const double *blocked_ms)
{
	struct col_column *c = &cc->cols[cc->ncols++];
	struct ks_sum *s;
	unsigned int i;

	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->command, sizeof(c->command), "./%s", name);
	c->nruns = n;
	for (i = 0; i < n; i++) {
		c->runs[i].ran = true;
		s = &c->runs[i].sum;
		s->tasks = 1;
		s->on_cpu_ns = on_ms[i] * MS;
		s->blocked_ns[KSEE_R_SLEEP] = blocked_ms[i] * MS;
		s->blocked_total_ns = blocked_ms[i] * MS;
		s->wall_ns = (on_ms[i] + blocked_ms[i]) * MS;
		s->markers.same_thread_share = -1;
		s->markers.voluntary_per_await = -1;
		c->runs[i].processes = 1;
	}
	return c;
}

static void test_columns_median_and_range(void **state)
{
	struct col_cmp *cc = new_cmp();
	struct col_column *c;
	struct col_stat st;
	char buf[COL_CELL_LEN];

	c = add(cc, "odd", 3, (double[]){ 30, 10, 20 }, (double[]){ 0, 0, 0 });
	col_stat(c, COL_M_ON_CPU, &st);
	assert_int_equal(st.n, 3);
	assert_float_equal(st.median, 20 * MS, 1);
	assert_float_equal(st.lo, 10 * MS, 1);
	assert_float_equal(st.hi, 30 * MS, 1);
	col_cell(buf, sizeof(buf), c, COL_M_ON_CPU);
	assert_string_equal(buf, "20.0ms (10.0ms..30.0ms)");
	col_cell(buf, sizeof(buf), c, COL_M_TASKS);
	assert_string_equal(buf, "1");	/* one value: no range */

	c = add(cc, "even", 4, (double[]){ 40, 10, 20, 30 }, (double[]){ 0, 0, 0, 0 });
	col_stat(c, COL_M_ON_CPU, &st);
	assert_float_equal(st.median, 25 * MS, 1);

	/* A failed run counts for nothing; the markers rows are absent without markers. */
	c->runs[0].failed = true;
	col_stat(c, COL_M_ON_CPU, &st);
	assert_int_equal(st.n, 3);
	assert_float_equal(st.median, 20 * MS, 1);
	assert_float_equal(st.hi, 30 * MS, 1);
	assert_int_equal(col_good_runs(c), 3);
	col_stat(c, COL_M_AWAITS, &st);
	assert_int_equal(st.n, 0);
	col_cell(buf, sizeof(buf), c, COL_M_SAME_THREAD);
	assert_string_equal(buf, "-");
	assert_false(col_metric_shown(cc, COL_M_AWAITS));
	assert_true(col_metric_shown(cc, COL_M_ON_CPU));
	/* A detail row with 0 everywhere is left out; with a value it is shown. */
	assert_false(col_metric_shown(cc, COL_M_BLOCKED_EPOLL));
	cc->cols[0].runs[0].sum.blocked_ns[KSEE_R_EPOLL] = 1;
	assert_true(col_metric_shown(cc, COL_M_BLOCKED_EPOLL));
	free(cc);
}

/* The spinner and the sleeper: on-CPU one way, blocked the other, in words. */
static void test_columns_what_differs_direction(void **state)
{
	struct col_cmp *cc = new_cmp();
	char line[512];
	unsigned int i;
	bool on = false, blocked = false;

	add(cc, "spin", 1, (double[]){ 1020 }, (double[]){ 0 });
	add(cc, "naps", 1, (double[]){ 33 }, (double[]){ 200 });
	cc->cols[1].runs[0].sum.voluntary = 10;
	col_what_differs(cc);
	assert_true(cc->ndiffs >= 2);
	for (i = 0; i < cc->ndiffs; i++) {
		col_diff_text(line, sizeof(line), cc, &cc->diffs[i]);
		if (cc->diffs[i].m == COL_M_ON_CPU) {
			on = true;
			assert_int_equal(cc->diffs[i].big, 0);
			assert_string_equal(line, "spin spends 31x more time on a CPU than naps: "
					    "1.02s vs 33.0ms");
		}
		if (cc->diffs[i].m == COL_M_BLOCKED) {
			blocked = true;
			assert_int_equal(cc->diffs[i].big, 1);
			assert_string_equal(line, "naps spends more time blocked than spin: "
					    "200ms vs 0");
		}
		/* "in sleep" says nothing "blocked" has not said */
		assert_int_not_equal(cc->diffs[i].m, COL_M_BLOCKED_SLEEP);
		/* 10 voluntary switches against 0 is within the floor of 10 */
		assert_int_not_equal(cc->diffs[i].m, COL_M_VOLUNTARY);
	}
	assert_true(on);
	assert_true(blocked);
	/* the largest first: blocked (200 ms over a 1 ms floor) before on-CPU (31x) */
	assert_int_equal(cc->diffs[0].m, COL_M_BLOCKED);
	free(cc);
}

/*
 * ksee diff of two comparisons: what differs compares a group's columns
 * (one name in A and in B) with each other only, never across groups.
 */
static void test_columns_groups(void **state)
{
	struct col_cmp *cc = new_cmp();
	unsigned int i;

	cc->kind = "comparisons";
	add(cc, "a/spin", 1, (double[]){ 1000 }, (double[]){ 0 })->group = 1;
	add(cc, "b/spin", 1, (double[]){ 100 }, (double[]){ 0 })->group = 1;
	add(cc, "a/naps", 1, (double[]){ 2 }, (double[]){ 200 })->group = 2;
	add(cc, "b/naps", 1, (double[]){ 2 }, (double[]){ 200 })->group = 2;
	col_what_differs(cc);
	assert_true(cc->ndiffs >= 1);
	assert_int_equal(cc->diffs[0].m, COL_M_ON_CPU);
	assert_int_equal(cc->diffs[0].big, 0);
	assert_int_equal(cc->diffs[0].small, 1);
	for (i = 0; i < cc->ndiffs; i++) {
		/* spin against naps (1000 ms vs 2 ms, 0 vs 200 ms) is not a difference here */
		assert_int_equal(cc->cols[cc->diffs[i].big].group,
				 cc->cols[cc->diffs[i].small].group);
		assert_int_not_equal(cc->diffs[i].m, COL_M_BLOCKED);
	}
	/* one group for all (0): the same columns differ across the names too */
	for (i = 0; i < cc->ncols; i++)
		cc->cols[i].group = 0;
	col_what_differs(cc);
	assert_int_equal(cc->diffs[0].m, COL_M_ON_CPU);
	assert_int_equal(cc->diffs[0].big, 0);
	assert_non_null(strstr(cc->cols[cc->diffs[0].small].name, "naps"));
	free(cc);
}

/*
 * A reason that differs the way the total does is not named apart, even
 * when its own ratio is larger (0 on one side); one that differs the
 * other way is.
 */
static void test_columns_details_under_their_total(void **state)
{
	struct col_cmp *cc = new_cmp();
	struct ks_sum *a, *b;
	unsigned int i;
	bool total = false, epoll = false;

	add(cc, "threads", 1, (double[]){ 100 }, (double[]){ 1000 });
	add(cc, "loop", 1, (double[]){ 100 }, (double[]){ 100 });
	a = &cc->cols[0].runs[0].sum;
	b = &cc->cols[1].runs[0].sum;
	a->blocked_ns[KSEE_R_SLEEP] = 400 * MS;
	a->blocked_ns[KSEE_R_READ] = 600 * MS;
	b->blocked_ns[KSEE_R_SLEEP] = 0;
	b->blocked_ns[KSEE_R_EPOLL] = 100 * MS;
	a->wall_ns = b->wall_ns = 1100 * MS;
	col_what_differs(cc);
	for (i = 0; i < cc->ndiffs; i++) {
		assert_int_not_equal(cc->diffs[i].m, COL_M_BLOCKED_READ);
		assert_int_not_equal(cc->diffs[i].m, COL_M_BLOCKED_SLEEP);
		total |= cc->diffs[i].m == COL_M_BLOCKED && cc->diffs[i].big == 0;
		epoll |= cc->diffs[i].m == COL_M_BLOCKED_EPOLL && cc->diffs[i].big == 1;
	}
	assert_true(total);
	assert_true(epoll);
	free(cc);
}

/* Ranges that overlap name nothing, however far apart the medians are. */
static void test_columns_overlap_names_nothing(void **state)
{
	struct col_cmp *cc = new_cmp();
	unsigned int i;

	cc->repeat = 3;
	add(cc, "a", 3, (double[]){ 10, 100, 110 }, (double[]){ 0, 0, 0 });
	add(cc, "b", 3, (double[]){ 20, 20, 105 }, (double[]){ 0, 0, 0 });
	col_what_differs(cc);
	for (i = 0; i < cc->ndiffs; i++)
		assert_int_not_equal(cc->diffs[i].m, COL_M_ON_CPU);

	/* Apart by a hair: named, with the medians. */
	cc->cols[1].runs[2].sum.on_cpu_ns = 9 * MS;
	cc->cols[1].runs[0].sum.on_cpu_ns = 9 * MS;
	cc->cols[1].runs[1].sum.on_cpu_ns = 9 * MS;
	col_what_differs(cc);
	assert_true(cc->ndiffs >= 1);
	assert_int_equal(cc->diffs[0].m, COL_M_ON_CPU);
	assert_float_equal(cc->diffs[0].big_v, 100 * MS, 1);
	assert_float_equal(cc->diffs[0].small_v, 9 * MS, 1);
	free(cc);
}

/* Under the thresholds: a 1.4x difference, or one smaller than the floor. */
static void test_columns_thresholds(void **state)
{
	struct col_cmp *cc = new_cmp();

	add(cc, "a", 1, (double[]){ 140 }, (double[]){ 0.5 });
	add(cc, "b", 1, (double[]){ 100 }, (double[]){ 0 });
	col_what_differs(cc);
	assert_int_equal(cc->ndiffs, 0);	/* 1.4x < 1.5x; 0.5 ms blocked < 1 ms floor */
	cc->cols[0].runs[0].sum.on_cpu_ns = 150 * MS + 1;
	col_what_differs(cc);
	assert_int_equal(cc->ndiffs, 1);
	assert_int_equal(cc->diffs[0].m, COL_M_ON_CPU);
	free(cc);
}

/* Three columns: the largest against the smallest. */
static void test_columns_three(void **state)
{
	struct col_cmp *cc = new_cmp();
	char line[512];

	add(cc, "mid", 1, (double[]){ 50 }, (double[]){ 0 });
	add(cc, "low", 1, (double[]){ 10 }, (double[]){ 0 });
	add(cc, "high", 1, (double[]){ 90 }, (double[]){ 0 });
	col_what_differs(cc);
	assert_int_equal(cc->ndiffs, 2);	/* on-CPU, and wall (all of it on a CPU) */
	assert_int_equal(cc->diffs[0].m, COL_M_ON_CPU);	/* a tie: the earlier row first */
	assert_int_equal(cc->diffs[1].m, COL_M_WALL);
	col_diff_text(line, sizeof(line), cc, &cc->diffs[0]);
	assert_string_equal(line, "high spends 9.0x more time on a CPU than low: 90.0ms vs 10.0ms");
	free(cc);
}

static void test_columns_names(void **state)
{
	char name[COL_NAME_LEN], cmd[64], err[256];

	assert_int_equal(col_parse_spec("spin=./spinner 100", name, sizeof(name), cmd,
					sizeof(cmd), err, sizeof(err)), 0);
	assert_string_equal(name, "spin");
	assert_string_equal(cmd, "./spinner 100");
	/* the first '=' splits: the command may hold more */
	assert_int_equal(col_parse_spec("env=FOO=1 ./x", name, sizeof(name), cmd, sizeof(cmd),
					err, sizeof(err)), 0);
	assert_string_equal(name, "env");
	assert_string_equal(cmd, "FOO=1 ./x");
	assert_int_equal(col_parse_spec("=./x", name, sizeof(name), cmd, sizeof(cmd), err,
					sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "empty name"));
	assert_int_equal(col_parse_spec("noequals", name, sizeof(name), cmd, sizeof(cmd), err,
					sizeof(err)), -EINVAL);
	assert_int_equal(col_parse_spec("a=  ", name, sizeof(name), cmd, sizeof(cmd), err,
					sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "empty command"));
	assert_int_equal(col_parse_spec("a\tb=./x", name, sizeof(name), cmd, sizeof(cmd), err,
					sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "control"));
	assert_int_equal(col_parse_spec("a,b=./x", name, sizeof(name), cmd, sizeof(cmd), err,
					sizeof(err)), -EINVAL);
	assert_int_equal(col_parse_spec("a-name-much-longer-than-thirty-one=./x", name,
					sizeof(name), cmd, sizeof(cmd), err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "longer than 31"));
	assert_int_equal(col_name_check("a=b", err, sizeof(err)), -EINVAL);
	assert_int_equal(col_name_check("x", err, sizeof(err)), 0);
}

static void test_columns_failures_and_status(void **state)
{
	struct col_cmp *cc = new_cmp();
	char buf[64];
	struct col_column *c;

	cc->repeat = 3;
	add(cc, "a", 3, (double[]){ 1, 2, 3 }, (double[]){ 0, 0, 0 });
	c = add(cc, "b", 3, (double[]){ 1, 2, 3 }, (double[]){ 0, 0, 0 });
	assert_false(col_any_failed(cc));
	col_status(buf, sizeof(buf), c);
	assert_string_equal(buf, "ok");
	c->runs[1].failed = true;
	c->failed = true;
	assert_true(col_any_failed(cc));
	col_status(buf, sizeof(buf), c);
	assert_string_equal(buf, "1 of 3 FAILED");
	c->nruns = 0;	/* a name given twice: never ran */
	col_status(buf, sizeof(buf), c);
	assert_string_equal(buf, "FAILED");
	c->failed = false;
	cc->interrupted = true;
	assert_true(col_any_failed(cc));
	free(cc);
}

/* JSON keeps every run, the medians and ranges, and what differs. */
static void test_columns_json(void **state)
{
	struct col_cmp *cc = new_cmp();
	struct json_object *o, *cols, *c0, *x;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cc->repeat = 3;
	add(cc, "spin", 3, (double[]){ 100, 101, 99 }, (double[]){ 0, 0, 0 });
	add(cc, "naps", 3, (double[]){ 2, 3, 2 }, (double[]){ 200, 201, 202 });
	col_what_differs(cc);
	assert_int_equal(col_report_json(f, cc), 0);
	fclose(f);
	o = json_tokener_parse(buf);
	assert_non_null(o);
	assert_string_equal(json_object_get_string(json_object_object_get(o, "kind")),
			    "compare-commands");
	assert_int_equal(json_object_get_int(json_object_object_get(o, "repeat")), 3);
	cols = json_object_object_get(o, "columns");
	assert_int_equal(json_object_array_length(cols), 2);
	c0 = json_object_array_get_idx(cols, 0);
	assert_string_equal(json_object_get_string(json_object_object_get(c0, "name")), "spin");
	assert_int_equal(json_object_array_length(json_object_object_get(c0, "runs")), 3);
	x = json_object_object_get(json_object_object_get(c0, "stats"), "on_cpu_ns");
	assert_float_equal(json_object_get_double(json_object_object_get(x, "median")), 100e6, 1);
	assert_float_equal(json_object_get_double(json_object_object_get(x, "min")), 99e6, 1);
	assert_float_equal(json_object_get_double(json_object_object_get(x, "max")), 101e6, 1);
	x = json_object_object_get(o, "what_differs");
	assert_true(json_object_array_length(x) >= 2);
	assert_non_null(strstr(json_object_get_string(json_object_object_get(
		json_object_array_get_idx(x, 0), "text")), "naps spends"));
	json_object_put(o);
	free(buf);
	free(cc);
}

static void test_columns_text(void **state)
{
	struct col_cmp *cc = new_cmp();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cc->repeat = 2;
	add(cc, "spin", 2, (double[]){ 100, 110 }, (double[]){ 0, 0 });
	add(cc, "naps", 2, (double[]){ 2, 3 }, (double[]){ 200, 210 });
	snprintf(cc->cols[1].command, sizeof(cc->cols[1].command), "./naps\n--evil");
	cc->cols[1].failed = true;
	snprintf(cc->cols[1].error, sizeof(cc->cols[1].error), "run 2: exit status 3");
	cc->cols[1].runs[1].failed = true;
	col_what_differs(cc);
	col_report_text(f, cc);
	fclose(f);
	assert_non_null(strstr(buf, "ksee compare: 2 commands, 2 runs each (interleaved)"));
	assert_non_null(strstr(buf, "105ms (100ms..110ms)"));
	assert_non_null(strstr(buf, "1 of 2 FAILED"));
	assert_non_null(strstr(buf, "naps FAILED: run 2: exit status 3"));
	assert_non_null(strstr(buf, "./naps?--evil"));	/* no control character gets out */
	assert_non_null(strstr(buf, "what differs (medians; only where the ranges"));
	free(buf);
	free(cc);
}

/* compare --repeat: the median run by wall time, failed runs left out. */
static void test_columns_median_run(void **state)
{
	struct cmp_result r[4] = { 0 };
	int i;

	for (i = 0; i < 4; i++)
		r[i].ran = true;
	r[0].sum.wall_ns = 300;
	r[1].sum.wall_ns = 100;
	r[2].sum.wall_ns = 200;
	r[3].sum.wall_ns = 50;
	r[3].failed = true;
	assert_int_equal(cmp_median_run(r, 4), 2);	/* 100 200 300: 200 */
	assert_int_equal(cmp_median_run(r, 2), 1);	/* 100 300: the lower middle */
	r[0].failed = r[1].failed = r[2].failed = true;
	assert_int_equal(cmp_median_run(r, 4), 0);	/* all failed: the first */
}

/* Verdicts that differ between runs say so in their note; agreeing ones do not. */
static void test_columns_verdict_spread(void **state)
{
	struct cmp_run *run = calloc(1, sizeof(*run));
	enum cmp_verdict_kind kinds[3][CMP_NCLAIMS];
	int i;

	assert_non_null(run);
	for (i = 0; i < CMP_NCLAIMS; i++) {
		run->verdicts[i].id = "Cx";
		run->verdicts[i].kind = CMP_HOLDS;
		kinds[0][i] = kinds[1][i] = kinds[2][i] = CMP_HOLDS;
	}
	snprintf(run->verdicts[1].note, sizeof(run->verdicts[1].note), "coro did not run");
	kinds[1][1] = CMP_PARTLY;
	kinds[2][5] = CMP_DOES_NOT_HOLD;
	kinds[1][5] = CMP_PARTLY;
	cmp_verdicts_spread(run, (const enum cmp_verdict_kind (*)[CMP_NCLAIMS])kinds, 3);
	assert_string_equal(run->verdicts[0].note, "");
	assert_string_equal(run->verdicts[1].note, "coro did not run; uncertain: holds in 2 of 3 "
			    "runs, partly in 1");
	assert_string_equal(run->verdicts[5].note, "uncertain: holds in 1 of 3 runs, partly in 1, "
			    "does not hold in 1");
	free(run);
}

/* Markdown and HTML: the same cells and sentences as the text; names escaped. */
static void test_columns_md_and_html(void **state)
{
	struct col_cmp *cc = new_cmp();
	struct ks_report r = { .cols = cc };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	cc->repeat = 2;
	add(cc, "spin", 2, (double[]){ 100, 110 }, (double[]){ 0, 0 });
	add(cc, "<naps>", 2, (double[]){ 2, 3 }, (double[]){ 200, 210 });
	col_what_differs(cc);
	f = open_memstream(&buf, &len);
	assert_int_equal(ks_render(f, KS_FMT_MD, &r, NULL), 0);
	fclose(f);
	assert_non_null(strstr(buf, "## ksee compare: 2 commands, 2 runs each (interleaved)"));
	assert_non_null(strstr(buf, "| on-CPU | 105ms (100ms..110ms) |"));
	assert_non_null(strstr(buf, "### What differs"));
	assert_non_null(strstr(buf, "&lt;naps&gt; spends more time blocked than spin"));
	assert_null(strstr(buf, "<naps>"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(ks_render(f, KS_FMT_HTML, &r, NULL), 0);
	fclose(f);
	assert_non_null(strstr(buf, "<h2 id=\"differs\">What differs</h2>"));
	assert_non_null(strstr(buf, "<td class=\"n\">105ms (100ms..110ms)</td>"));
	assert_non_null(strstr(buf, "&lt;naps&gt; spends more time blocked than spin"));
	assert_null(strstr(buf, "<naps>"));
	assert_null(strstr(buf, "id=\"timelines\""));	/* no --timeline: no strips */
	free(buf);
	free(cc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns_median_and_range),
		cmocka_unit_test(test_columns_what_differs_direction),
		cmocka_unit_test(test_columns_groups),
		cmocka_unit_test(test_columns_details_under_their_total),
		cmocka_unit_test(test_columns_overlap_names_nothing),
		cmocka_unit_test(test_columns_thresholds),
		cmocka_unit_test(test_columns_three),
		cmocka_unit_test(test_columns_names),
		cmocka_unit_test(test_columns_failures_and_status),
		cmocka_unit_test(test_columns_json),
		cmocka_unit_test(test_columns_text),
		cmocka_unit_test(test_columns_median_run),
		cmocka_unit_test(test_columns_verdict_spread),
		cmocka_unit_test(test_columns_md_and_html),
	};

	return cmocka_run_group_tests_name("columns", tests, NULL, NULL);
}

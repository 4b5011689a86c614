// SPDX-License-Identifier: GPL-2.0-only
/*
 * A comparison of named columns as text and as JSON: the cells (median and
 * range), the sentences of "what differs", the failures.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <json-c/json.h>
#include "output/columns_report.h"
#include "output/fmt.h"
#include "output/json_util.h"
#include "output/report.h"

#define LABEL_W 24

static void value(char *buf, size_t len, enum col_unit unit, double v)
{
	switch (unit) {
	case COL_UNIT_NS:
		fmt_ns_short(buf, len, v > 0 ? (__u64)(v + 0.5) : 0);
		break;
	case COL_UNIT_COUNT:
		if (v == (double)(long long)v)
			snprintf(buf, len, "%.0f", v);
		else
			snprintf(buf, len, "%.1f", v);
		break;
	case COL_UNIT_RATIO:
		snprintf(buf, len, "%.2f", v);
		break;
	case COL_UNIT_SHARE:
		snprintf(buf, len, "%.0f%%", 100 * v);
		break;
	}
}

void col_cell(char *buf, size_t len, const struct col_column *c, enum col_metric m)
{
	const struct col_metric_def *def = col_metric(m);
	char med[FMT_LEN], lo[FMT_LEN], hi[FMT_LEN];
	struct col_stat st;

	col_stat(c, m, &st);
	if (!st.n || !def) {
		snprintf(buf, len, "-");
		return;
	}
	value(med, sizeof(med), def->unit, st.median);
	if (st.n == 1 || st.lo == st.hi) {
		snprintf(buf, len, "%s", med);
		return;
	}
	value(lo, sizeof(lo), def->unit, st.lo);
	value(hi, sizeof(hi), def->unit, st.hi);
	snprintf(buf, len, "%s (%s..%s)", med, lo, hi);
}

void col_status(char *buf, size_t len, const struct col_column *c)
{
	unsigned int good = col_good_runs(c);

	if (!c->nruns)
		snprintf(buf, len, c->failed ? "FAILED" : "not run");
	else if (!c->failed)
		snprintf(buf, len, "ok");
	else if (!good)
		snprintf(buf, len, "FAILED");
	else
		snprintf(buf, len, "%u of %u FAILED", c->nruns - good, c->nruns);
}

void col_diff_text(char *buf, size_t len, const struct col_cmp *cc, const struct col_diff *d)
{
	const struct col_metric_def *def = col_metric(d->m);
	char factor[32] = "", more[160], a[FMT_LEN], b[FMT_LEN];

	if (!def || !def->more || d->big >= cc->ncols || d->small >= cc->ncols) {
		snprintf(buf, len, "?");
		return;
	}
	if (d->ratio >= 10)
		snprintf(factor, sizeof(factor), "%.0fx ", d->ratio);
	else if (d->ratio > 0)
		snprintf(factor, sizeof(factor), "%.1fx ", d->ratio);
	/* def->more is one of the model's constant phrases, with one %s */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(more, sizeof(more), def->more, factor);
#pragma GCC diagnostic pop
	value(a, sizeof(a), def->unit, d->big_v);
	value(b, sizeof(b), def->unit, d->small_v);
	snprintf(buf, len, "%s %s %s: %s vs %s", cc->cols[d->big].name, more,
		 cc->cols[d->small].name, a, b);
}

void col_title(char *buf, size_t len, const struct col_cmp *cc)
{
	bool diff = !strcmp(cc->kind, "recordings");
	const char *what = !strcmp(cc->kind, "models") ? "models" : "commands";

	if (diff)
		snprintf(buf, len, "ksee diff: %u recordings", cc->ncols);
	else if (!strcmp(cc->kind, "comparisons"))
		snprintf(buf, len, "ksee diff: two comparisons, %u columns (each name against "
			 "itself)", cc->ncols);
	else if (cc->repeat > 1)
		snprintf(buf, len, "ksee compare: %u %s, %u runs each (interleaved)", cc->ncols,
			 what, cc->repeat);
	else
		snprintf(buf, len, "ksee compare: %u %s", cc->ncols, what);
}

/* @s with control characters shown as '?': a command may hold anything. */
static void put_safe(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

static void text_header(FILE *f, const struct col_cmp *cc)
{
	char title[128];
	unsigned int i;

	col_title(title, sizeof(title), cc);
	fprintf(f, "%s; %u CPU%s, kernel %s\n", title, cc->ncpus, cc->ncpus == 1 ? "" : "s",
		cc->kernel[0] ? cc->kernel : "?");
	if (cc->interrupted)
		fprintf(f, "interrupted (Ctrl-C): what was measured until then\n");
	for (i = 0; i < cc->ncols; i++) {
		fprintf(f, "  %-12s ", cc->cols[i].name);
		put_safe(f, cc->cols[i].command);
		fputc('\n', f);
	}
}

/* Width of column @i: its name, its status and its widest cell, plus two spaces. */
static int text_width(const struct col_cmp *cc, unsigned int i)
{
	char buf[COL_CELL_LEN];
	size_t w = strlen(cc->cols[i].name);
	int m;

	col_status(buf, sizeof(buf), &cc->cols[i]);
	if (strlen(buf) > w)
		w = strlen(buf);
	for (m = 0; m < COL_NMETRICS; m++) {
		col_cell(buf, sizeof(buf), &cc->cols[i], m);
		if (strlen(buf) > w)
			w = strlen(buf);
	}
	return w + 2;
}

static void text_table(FILE *f, const struct col_cmp *cc)
{
	char buf[COL_CELL_LEN];
	int w[COL_MAX], m;
	unsigned int i;

	for (i = 0; i < cc->ncols; i++)
		w[i] = text_width(cc, i);
	fprintf(f, "\n%-*s", LABEL_W, "");
	for (i = 0; i < cc->ncols; i++)
		fprintf(f, "%*s", w[i], cc->cols[i].name);
	fprintf(f, "\n%-*s", LABEL_W, "status");
	for (i = 0; i < cc->ncols; i++) {
		col_status(buf, sizeof(buf), &cc->cols[i]);
		fprintf(f, "%*s", w[i], buf);
	}
	fputc('\n', f);
	for (m = 0; m < COL_NMETRICS; m++) {
		if (!col_metric_shown(cc, m))
			continue;
		fprintf(f, "%-*s", LABEL_W, col_metric(m)->label);
		for (i = 0; i < cc->ncols; i++) {
			col_cell(buf, sizeof(buf), &cc->cols[i], m);
			fprintf(f, "%*s", w[i], buf);
		}
		fputc('\n', f);
	}
}

static void text_differs(FILE *f, const struct col_cmp *cc)
{
	char line[512];
	unsigned int i;

	fprintf(f, "\nwhat differs%s:\n", cc->repeat > 1 ? " (medians; only where the ranges "
		"do not overlap)" : "");
	if (!cc->ndiffs)
		fprintf(f, "  nothing beyond the thresholds (docs/metrics.md, what differs)\n");
	for (i = 0; i < cc->ndiffs; i++) {
		col_diff_text(line, sizeof(line), cc, &cc->diffs[i]);
		fprintf(f, "  %s\n", line);
	}
}

static void text_failures(FILE *f, const struct col_cmp *cc)
{
	const struct col_column *c;
	unsigned int i;

	for (i = 0; i < cc->ncols; i++) {
		c = &cc->cols[i];
		if (!c->failed)
			continue;
		fprintf(f, "%s FAILED: ", c->name);
		put_safe(f, c->error[0] ? c->error : "no reason recorded");
		fputc('\n', f);
	}
}

void col_report_table_text(FILE *f, const struct col_cmp *cc)
{
	text_table(f, cc);
	text_differs(f, cc);
}

/* Each column's findings: those of its median run. */
static void text_findings(FILE *f, const struct col_cmp *cc)
{
	const struct cmp_result *r;
	char whose[COL_NAME_LEN + 32];
	unsigned int i;

	for (i = 0; i < cc->ncols; i++) {
		r = col_shown_run(&cc->cols[i]);
		if (!r)
			continue;
		snprintf(whose, sizeof(whose), ", %s%s", cc->cols[i].name,
			 cc->cols[i].nruns > 1 ? " (median run)" : "");
		report_findings_text(f, &r->findings, whose);
	}
}

void col_report_text(FILE *f, const struct col_cmp *cc)
{
	text_header(f, cc);
	col_report_table_text(f, cc);
	text_findings(f, cc);
	if (col_any_failed(cc))
		fputc('\n', f);
	text_failures(f, cc);
}

static struct json_object *run_json(const struct cmp_result *r)
{
	struct json_object *o = json_object_new_object();

	json_add_bool(o, "failed", r->failed);
	json_add_str_or_null(o, "error", r->failed ? r->error : NULL);
	json_add_int(o, "exit_status", r->exit_status);
	cmp_result_facts_json(o, r);
	return o;
}

/* A statistic: durations in whole nanoseconds, anything else as it is. */
static void add_stat(struct json_object *o, const char *k, enum col_unit unit, double v)
{
	if (unit == COL_UNIT_NS)
		json_add_u64(o, k, v > 0 ? (__u64)(v + 0.5) : 0);
	else
		json_add_double(o, k, v);
}

static struct json_object *stats_json(const struct col_column *c)
{
	struct json_object *o = json_object_new_object(), *s;
	enum col_unit u;
	struct col_stat st;
	int m;

	for (m = 0; m < COL_NMETRICS; m++) {
		col_stat(c, m, &st);
		if (!st.n) {
			json_object_object_add(o, col_metric(m)->key, NULL);
			continue;
		}
		s = json_object_new_object();
		u = col_metric(m)->unit;
		add_stat(s, "median", u, st.median);
		add_stat(s, "min", u, st.lo);
		add_stat(s, "max", u, st.hi);
		json_add_u64(s, "runs", st.n);
		json_object_object_add(o, col_metric(m)->key, s);
	}
	return o;
}

static struct json_object *column_json(const struct col_column *c)
{
	struct json_object *o = json_object_new_object(), *a;
	unsigned int i;

	json_add_str_or_null(o, "name", c->name);
	json_add_str_or_null(o, "command", c->command);
	json_add_bool(o, "failed", c->failed);
	json_add_str_or_null(o, "error", c->failed ? c->error : NULL);
	json_add_u64(o, "group", c->group);
	json_add_u64(o, "runs_made", c->nruns);
	json_add_u64(o, "runs_ok", col_good_runs(c));
	json_object_object_add(o, "stats", stats_json(c));
	a = json_object_new_array();
	for (i = 0; i < c->nruns && i < COL_RUNS_MAX; i++)
		json_object_array_add(a, run_json(&c->runs[i]));
	json_object_object_add(o, "runs", a);
	return o;
}

static struct json_object *diff_json(const struct col_cmp *cc, const struct col_diff *d)
{
	struct json_object *o = json_object_new_object();
	char text[512];

	col_diff_text(text, sizeof(text), cc, d);
	json_add_str_or_null(o, "metric", col_metric(d->m)->key);
	json_add_str_or_null(o, "more", cc->cols[d->big].name);
	json_add_str_or_null(o, "less", cc->cols[d->small].name);
	add_stat(o, "more_value", col_metric(d->m)->unit, d->big_v);
	add_stat(o, "less_value", col_metric(d->m)->unit, d->small_v);
	if (d->ratio > 0)
		json_add_double(o, "ratio", d->ratio);
	else
		json_object_object_add(o, "ratio", NULL);
	json_add_str_or_null(o, "text", text);
	return o;
}

struct json_object *col_json(const struct col_cmp *cc)
{
	struct json_object *o = json_object_new_object(), *a;
	unsigned int i;

	json_add_int(o, "schema", 1);
	json_add_str_or_null(o, "kind", !strcmp(cc->kind, "recordings") ? "diff" :
			     !strcmp(cc->kind, "comparisons") ? "diff-comparisons" :
			     !strcmp(cc->kind, "models") ? "compare-models" : "compare-commands");
	json_add_u64(o, "repeat", cc->repeat);
	json_add_u64(o, "ncpus", cc->ncpus);
	json_add_str_or_null(o, "kernel", cc->kernel);
	json_add_bool(o, "interrupted", cc->interrupted);
	a = json_object_new_array();
	for (i = 0; i < cc->ncols; i++)
		json_object_array_add(a, column_json(&cc->cols[i]));
	json_object_object_add(o, "columns", a);
	a = json_object_new_array();
	for (i = 0; i < cc->ndiffs; i++)
		json_object_array_add(a, diff_json(cc, &cc->diffs[i]));
	json_object_object_add(o, "what_differs", a);
	return o;
}

int col_report_json(FILE *f, const struct col_cmp *cc)
{
	return json_print_put(f, col_json(cc));
}

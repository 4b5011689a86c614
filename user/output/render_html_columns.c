// SPDX-License-Identifier: GPL-2.0-only
/*
 * A comparison of named columns (compare --cmd, diff) as HTML: the
 * side-by-side table with the same cells as the text report, what differs,
 * and the failures.
 */
#include <string.h>
#include "output/columns_report.h"
#include "output/html_sections.h"

static void header(FILE *f, const struct col_cmp *cc)
{
	char title[128];
	unsigned int i;

	col_title(title, sizeof(title), cc);
	fputs("<header>\n<h1>", f);
	html_esc(f, title);
	fprintf(f, "</h1>\n<p class=\"meta\">%u CPU%s, kernel ", cc->ncpus,
		cc->ncpus == 1 ? "" : "s");
	html_esc_n(f, cc->kernel[0] ? cc->kernel : "?", sizeof(cc->kernel));
	fputs("</p>\n<ul class=\"meta\">\n", f);
	for (i = 0; i < cc->ncols; i++) {
		fputs("<li><b>", f);
		html_esc(f, cc->cols[i].name);
		fputs("</b>: <span class=\"mono\">", f);
		html_esc(f, cc->cols[i].command);
		fputs("</span></li>\n", f);
	}
	fputs("</ul>\n", f);
	if (cc->interrupted)
		fputs("<div class=\"warn\">Interrupted (Ctrl-C): what was measured until then."
		      "</div>\n", f);
	fputs("</header>\n", f);
}

static void td(FILE *f, const char *s, const char *cls)
{
	fprintf(f, "<td%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	html_esc(f, s);
	fputs("</td>", f);
}

static void table(FILE *f, const struct col_cmp *cc)
{
	char buf[COL_CELL_LEN];
	const char *label;
	unsigned int i;
	int m;

	fputs("<div class=\"scroll\"><table>\n<tr><th></th>", f);
	for (i = 0; i < cc->ncols; i++) {
		fputs("<th class=\"n\">", f);
		html_esc(f, cc->cols[i].name);
		fputs("</th>", f);
	}
	fputs("</tr>\n<tr><td>status</td>", f);
	for (i = 0; i < cc->ncols; i++) {
		col_status(buf, sizeof(buf), &cc->cols[i]);
		td(f, buf, cc->cols[i].failed ? "n failed" : "n");
	}
	fputs("</tr>\n", f);
	for (m = 0; m < COL_NMETRICS; m++) {
		if (!col_metric_shown(cc, m))
			continue;
		label = col_metric(m)->label;
		fprintf(f, "<tr%s>", label[0] == ' ' ? " class=\"sub\"" : "");
		td(f, label + strspn(label, " "), NULL);
		for (i = 0; i < cc->ncols; i++) {
			col_cell(buf, sizeof(buf), &cc->cols[i], m);
			td(f, buf, "n");
		}
		fputs("</tr>\n", f);
	}
	fputs("</table></div>\n", f);
}

static void differs(FILE *f, const struct col_cmp *cc)
{
	char line[512];
	unsigned int i;

	fputs("<h2 id=\"differs\">What differs</h2>\n", f);
	if (cc->repeat > 1)
		fputs("<p class=\"meta\">Medians; a difference is named only where the ranges "
		      "of the runs do not overlap.</p>\n", f);
	fputs("<ul class=\"differs\">\n", f);
	if (!cc->ndiffs)
		fputs("<li>nothing beyond the thresholds</li>\n", f);
	for (i = 0; i < cc->ndiffs; i++) {
		col_diff_text(line, sizeof(line), cc, &cc->diffs[i]);
		fputs("<li>", f);
		html_esc(f, line);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

static void failures(FILE *f, const struct col_cmp *cc)
{
	unsigned int i;

	for (i = 0; i < cc->ncols; i++) {
		if (!cc->cols[i].failed)
			continue;
		fputs("<p class=\"warn\"><b>", f);
		html_esc(f, cc->cols[i].name);
		fputs(" FAILED</b>: ", f);
		html_esc(f, cc->cols[i].error[0] ? cc->cols[i].error : "no reason recorded");
		fputs("</p>\n", f);
	}
}

#define STRIP_COLS	600	/* time columns across the widest timeline */
#define STRIP_ROWS	400	/* tasks drawn per column at most */

/* The state a task spent most of time column @c in; -1 if none (not alive). */
static int top_state(const struct timeline *tl, const struct tl_row *row, unsigned int c)
{
	__u64 best = 0, ns;
	int s, top = -1;

	for (s = 0; s < TL_NSTATES; s++) {
		ns = timeline_cell_ns(tl, row, c, s);
		if (ns > best) {
			best = ns;
			top = s;
		}
	}
	return top;
}

/* One column's strip: a row per task, run-length merged rects, one scale for all. */
static int strip(FILE *f, const struct col_column *c, __u64 span_ns)
{
	struct timeline tl;
	const struct tl_row *row;
	unsigned int x, start, h;
	size_t i;
	int err, cur, s;

	err = timeline_build(&tl, c->timeline, c->tl_start_ns, c->tl_start_ns + span_ns,
			     STRIP_COLS, STRIP_ROWS);
	if (err) {
		timeline_free(&tl);
		return err;
	}
	h = tl.nrows > 100 ? 2 : tl.nrows > 30 ? 4 : 8;
	fputs("<figure class=\"strip\"><figcaption><b>", f);
	html_esc(f, c->name);
	fprintf(f, "</b> %zu task%s%s</figcaption>\n", tl.nrows, tl.nrows == 1 ? "" : "s",
		tl.tasks_dropped ? " (more not drawn)" : "");
	fprintf(f, "<svg class=\"strips\" data-span-ns=\"%llu\" viewBox=\"0 0 %u %zu\" "
		"width=\"100%%\" height=\"%zu\" preserveAspectRatio=\"none\">",
		(unsigned long long)span_ns, STRIP_COLS, tl.nrows * h, tl.nrows * h);
	for (i = 0; i < tl.nrows; i++) {
		row = &tl.rows[i];
		cur = -1;
		start = 0;
		for (x = 0; x <= tl.ncols; x++) {
			s = x < tl.ncols ? top_state(&tl, row, x) : -1;
			if (x && s == cur)
				continue;
			if (cur >= 0)
				fprintf(f, "<rect class=\"s%d\" x=\"%u\" y=\"%zu\" width=\"%u\" "
					"height=\"%u\"/>", cur, start, i * h, x - start, h - (h > 2));
			cur = s;
			start = x;
		}
	}
	fputs("</svg></figure>\n", f);
	html_legend(f, timeline_states(&tl));
	timeline_free(&tl);
	return 0;
}

/* --timeline: every column's tasks, on one time scale (the longest first run). */
static int strips(FILE *f, const struct col_cmp *cc)
{
	char buf[32];
	__u64 span = 0;
	unsigned int i;
	int err = 0;

	for (i = 0; i < cc->ncols; i++)
		if (cc->cols[i].timeline && cc->cols[i].tl_end_ns - cc->cols[i].tl_start_ns > span)
			span = cc->cols[i].tl_end_ns - cc->cols[i].tl_start_ns;
	if (!span)
		return 0;
	fprintf(f, "<section id=\"timelines\">\n<h2>Timelines</h2>\n<p class=\"meta\">Each "
		"command's first run, a row per task, all on one time scale: 0 to %s.</p>\n",
		html_ns(buf, sizeof(buf), span));
	for (i = 0; i < cc->ncols && !err; i++)
		if (cc->cols[i].timeline)
			err = strip(f, &cc->cols[i], span);
	fputs("</section>\n", f);
	return err;
}

/* Each column's findings: those of its median run. */
static void findings(FILE *f, const struct col_cmp *cc)
{
	const struct cmp_result *r;
	char title[COL_NAME_LEN + 32];
	unsigned int i;

	fputs("<section id=\"findings\">\n<h2>Findings</h2>\n<p class=\"meta\">What each "
	      "column's numbers mean (its median run), with the rules and thresholds of "
	      "docs/findings.md.</p>\n", f);
	for (i = 0; i < cc->ncols; i++) {
		r = col_shown_run(&cc->cols[i]);
		if (!r)
			continue;
		snprintf(title, sizeof(title), "%s", cc->cols[i].name);
		html_findings(f, &r->findings, title);
	}
	fputs("</section>\n", f);
}

int html_columns(FILE *f, const struct col_cmp *cc)
{
	header(f, cc);
	fputs("<section id=\"table\">\n<h2>Side by side</h2>\n", f);
	table(f, cc);
	differs(f, cc);
	failures(f, cc);
	fputs("</section>\n", f);
	findings(f, cc);
	return strips(f, cc);
}

void html_columns_runs(FILE *f, const struct col_cmp *cc)
{
	fprintf(f, "<section id=\"runs\">\n<h2>Every run</h2>\n<p class=\"meta\">Every model ran "
		"%u times, interleaved; the table above shows each model's median run (by wall "
		"time), this one the median and range of every number.</p>\n", cc->repeat);
	table(f, cc);
	differs(f, cc);
	fputs("</section>\n", f);
}

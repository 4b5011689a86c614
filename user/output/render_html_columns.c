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

int html_columns(FILE *f, const struct col_cmp *cc)
{
	header(f, cc);
	fputs("<section id=\"table\">\n<h2>Side by side</h2>\n", f);
	table(f, cc);
	differs(f, cc);
	failures(f, cc);
	fputs("</section>\n", f);
	return 0;
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

// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ksee compare` as HTML: the side-by-side table, the verdicts, and one
 * small chart per model, all on the same scales.
 *
 * The table comes from the comparison's table API (cmp_table_*), as the
 * text and Markdown reports' do: the same rows and numbers by construction.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "output/fmt.h"
#include "output/html_sections.h"

static void header(FILE *f, const struct cmp_run *run)
{
	const struct cmp_workload *wl = &run->wl;

	fputs("<header>\n<h1>ksee compare</h1>\n<p class=\"meta\">", f);
	fprintf(f, "R %lu requests, C %lu in flight, D %lu ms of I/O and W %lu us of CPU work per "
		"request, N %lu workers; %u CPU%s, kernel ", wl->requests, wl->concurrency,
		wl->io_ms, wl->cpu_us, wl->workers, run->ncpus, run->ncpus == 1 ? "" : "s");
	html_esc_n(f, run->kernel[0] ? run->kernel : "?", sizeof(run->kernel));
	fputs("</p>\n", f);
	if (run->interrupted)
		fputs("<div class=\"warn\">Interrupted (Ctrl-C): what was measured until then."
		      "</div>\n", f);
	fputs("</header>\n<nav><a href=\"#table\">side by side</a><a href=\"#verdicts\">verdicts"
	      "</a><a href=\"#findings\">findings</a><a href=\"#models\">per model</a></nav>\n", f);
}

/* A label or a cell of the table, without the text table's padding. */
static void cell(FILE *f, const char *s, bool label, const char *cls)
{
	if (label)
		s += strspn(s, " ");
	fprintf(f, label ? "<td>" : "<td class=\"n%s\">", cls);
	html_esc(f, s);
	fputs("</td>", f);
}

/* The rows of the side-by-side table (cmp_table_*), as the text and Markdown show them. */
static void table(FILE *f, const struct cmp_run *run)
{
	const struct cmp_result *r;
	const char *label;
	char buf[FMT_LEN];
	size_t i;
	int m;

	fputs("<section id=\"table\">\n<h2>Side by side</h2>\n<div class=\"scroll\"><table>\n", f);
	fputs("<tr><th></th>", f);
	for (m = 0; m < CMP_NMODELS; m++)
		if (run->res[m].selected)
			fprintf(f, "<th class=\"n\">%s</th>", cmp_model_name(m));
	fputs("</tr>\n<tr>", f);
	cell(f, "status", true, "");
	for (m = 0; m < CMP_NMODELS; m++) {
		r = &run->res[m];
		if (r->selected)
			cell(f, cmp_status_name(r), false, r->failed ? " failed" : "");
	}
	fputs("</tr>\n", f);
	for (i = 0; i < cmp_table_rows(); i++) {
		label = cmp_table_label(i);
		fprintf(f, "<tr%s>", label[0] == ' ' ? " class=\"sub\"" : "");
		cell(f, label, true, "");
		for (m = 0; m < CMP_NMODELS; m++) {
			if (!run->res[m].selected)
				continue;
			cmp_table_cell(buf, sizeof(buf), i, run, &run->res[m]);
			cell(f, buf, false, "");
		}
		fputs("</tr>\n", f);
	}
	fputs("</table></div>\n", f);
}

static void failures(FILE *f, const struct cmp_run *run)
{
	const struct cmp_result *r;
	int m;

	for (m = 0; m < CMP_NMODELS; m++) {
		r = &run->res[m];
		if (r->selected && !r->ran && r->error[0]) {
			fprintf(f, "<p class=\"meta\"><b>%s not run</b>: ", cmp_model_name(m));
			html_esc(f, r->error);
			fputs("</p>\n", f);
		}
		if (!r->selected || !r->failed)
			continue;
		fprintf(f, "<p class=\"warn\"><b>%s FAILED</b> (exit status %d): ", cmp_model_name(m),
			r->exit_status);
		html_esc(f, r->error[0] ? r->error : "no error message");
		fputs("</p>\n", f);
	}
}

static const char *verdict_class(enum cmp_verdict_kind k)
{
	switch (k) {
	case CMP_HOLDS: return "v-holds";
	case CMP_PARTLY: return "v-partly";
	case CMP_DOES_NOT_HOLD: return "v-no";
	case CMP_NOT_MEASURED: return "v-na";
	}
	return "v-na";
}

static void verdicts(FILE *f, const struct cmp_run *run)
{
	const struct cmp_verdict *v;
	int i;

	fputs("<section id=\"verdicts\">\n<h2>Claims</h2>\n<p class=\"meta\">Each verdict is "
	      "computed from the numbers above with the thresholds in docs/verdicts.md."
	      "</p>\n<div class=\"verdicts\">\n", f);
	for (i = 0; i < CMP_NCLAIMS; i++) {
		v = &run->verdicts[i];
		if (!v->id)
			continue;
		if (i >= CMP_NDEMO_CLAIMS && cmp_verdict_heading(run, i))
			fputs("</div>\n<h3>On the real runtimes</h3>\n<div class=\"verdicts\">\n", f);
		fprintf(f, "<div class=\"verdict %s\"><p><b>", verdict_class(v->kind));
		html_esc(f, v->id);
		fprintf(f, "</b> <b class=\"k\">%s</b> ", cmp_verdict_name(v->kind));
		html_esc(f, v->claim ? v->claim : "");
		fputs(" <span class=\"mute\">(", f);
		html_esc(f, v->models ? v->models : "");
		fputs(")</span></p>", f);
		if (v->numbers[0]) {
			fputs("<p class=\"mono\">", f);
			html_esc_n(f, v->numbers, sizeof(v->numbers));
			fputs("</p>", f);
		}
		if (v->note[0]) {
			fputs("<p><i>note:</i> ", f);
			html_esc_n(f, v->note, sizeof(v->note));
			fputs("</p>", f);
		}
		fputs("</div>\n", f);
	}
	fputs("</div>\n</section>\n", f);
}

/* Small multiples: the same chart for every model, on shared scales. */
#define SM_W		320
#define SM_LABEL	128
#define SM_BAR		130
#define SM_PITCH	22

enum sm_metric { SM_VOL, SM_INVOL, SM_SAME, SM_PAR, SM_NMETRICS };

static const char *const sm_names[SM_NMETRICS] = {
	"voluntary / request", "involuntary / request", "same-thread resumes", "parallelism",
};

/* -1: not measured. */
static double metric(const struct cmp_run *run, const struct cmp_result *r, enum sm_metric k)
{
	double req = cmp_requests(run, r);

	switch (k) {
	case SM_VOL: return req ? r->sum.voluntary / req : -1;
	case SM_INVOL: return req ? r->sum.involuntary / req : -1;
	case SM_SAME: return r->sum.markers.same_thread_share < 0 ? -1 :
			     100 * r->sum.markers.same_thread_share;
	case SM_PAR: return r->sum.parallelism;
	default: return -1;
	}
}

static void time_bar(FILE *f, const struct ks_sum *s)
{
	__u64 runnable = s->wakelat_ns + s->runq_ns, blocked = 0, parts[TL_NSTATES] = { 0 };
	__u64 total = s->on_cpu_ns + runnable;
	char b[FMT_LEN];
	double x = 0, w;
	int i;

	parts[TL_RUN] = s->on_cpu_ns;
	parts[TL_RUNQ] = runnable;
	for (i = 0; i < KSEE_R_NR; i++) {
		parts[TL_BLOCKED + i] = s->blocked_ns[i];
		blocked += s->blocked_ns[i];
	}
	total += blocked;
	for (i = 0; i < TL_NSTATES && total; i++) {
		if (!parts[i])
			continue;
		w = (double)parts[i] / total * SM_W;
		fprintf(f, "<rect class=\"s%d\" x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"16\">"
			"<title>%s: %s (%.1f%%)</title></rect>", i, x, w, tl_state_name(i),
			fmt_ns(b, sizeof(b), parts[i]), 100.0 * parts[i] / total);
		x += w;
	}
	fprintf(f, "<text x=\"0\" y=\"30\">task time %s: ", fmt_ns(b, sizeof(b), total));
	fprintf(f, "%.0f%% on-CPU, %.0f%% waiting, %.0f%% blocked</text>",
		total ? 100.0 * s->on_cpu_ns / total : 0, total ? 100.0 * runnable / total : 0,
		total ? 100.0 * blocked / total : 0);
}

static void model_card(FILE *f, const struct cmp_run *run, int m, const double *max)
{
	const struct cmp_result *r = &run->res[m];
	double v, w;
	int k, y;

	fprintf(f, "<figure><figcaption>%s</figcaption>\n", cmp_model_name(m));
	if (!r->ran || r->failed) {
		fprintf(f, "<p class=\"%s\">%s</p></figure>\n", r->failed ? "failed" : "mute",
			r->failed ? "FAILED" : "not run");
		return;
	}
	fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\">",
		SM_W, 44 + SM_NMETRICS * SM_PITCH);
	time_bar(f, &r->sum);
	for (k = 0; k < SM_NMETRICS; k++) {
		v = metric(run, r, k);
		y = 44 + k * SM_PITCH;
		fprintf(f, "<text x=\"0\" y=\"%d\">%s</text>", y + 12, sm_names[k]);
		fprintf(f, "<rect class=\"tl-bg\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\"/>",
			SM_LABEL, y + 1, SM_BAR);
		if (v < 0) {
			fprintf(f, "<text class=\"v\" x=\"%d\" y=\"%d\">-</text>",
				SM_LABEL + SM_BAR + 6, y + 12);
			continue;
		}
		w = max[k] > 0 ? v / max[k] * SM_BAR : 0;
		fprintf(f, "<rect class=\"hb\" x=\"%d\" y=\"%d\" width=\"%.2f\" height=\"14\"/>"
			"<text class=\"v\" x=\"%d\" y=\"%d\">%.*f%s</text>", SM_LABEL, y + 1, w,
			SM_LABEL + SM_BAR + 6, y + 12, k == SM_SAME ? 0 : 2, v, k == SM_SAME ? "%" : "");
	}
	fputs("</svg>\n", f);
	if (r->sum.bill.requests) {
		fputs("<p class=\"meta\">Where the requests' time went (the bill):</p>\n", f);
		html_bill_bar(f, &r->sum.bill);
	}
	fputs("</figure>\n", f);
}

static void models(FILE *f, const struct cmp_run *run)
{
	double max[SM_NMETRICS] = { 0 }, v;
	unsigned int states = 0;
	int m, k;

	for (m = 0; m < CMP_NMODELS; m++) {
		const struct cmp_result *r = &run->res[m];

		if (r->ran && !r->failed)
			states |= html_states_of(&r->sum);
		for (k = 0; r->ran && !r->failed && k < SM_NMETRICS; k++) {
			v = metric(run, r, k);
			if (v > max[k])
				max[k] = v;
		}
	}
	max[SM_SAME] = 100;
	if (max[SM_PAR] < run->ncpus)
		max[SM_PAR] = run->ncpus;
	fputs("<section id=\"models\">\n<h2>Per model</h2>\n<p class=\"meta\">The bar on top is "
	      "the time of all the model's tasks: on a CPU, waiting for one, blocked by syscall "
	      "family. Below, each measure on one scale for every model (parallelism up to the "
	      "number of CPUs).</p>\n", f);
	html_legend(f, states & ~(1u << TL_D));
	fputs("<div class=\"cards\">\n", f);
	for (m = 0; m < CMP_NMODELS; m++)
		if (run->res[m].selected)
			model_card(f, run, m, max);
	fputs("</div>\n</section>\n", f);
}

static void findings(FILE *f, const struct cmp_run *run)
{
	char title[48];
	int m;

	fputs("<section id=\"findings\">\n<h2>Findings</h2>\n<p class=\"meta\">What each "
	      "model's numbers mean, with the rules and thresholds of docs/findings.md.</p>\n", f);
	for (m = 0; m < CMP_NMODELS; m++) {
		if (!run->res[m].selected || !run->res[m].ran)
			continue;
		snprintf(title, sizeof(title), "%s %s", cmp_model_name(m),
			 cmp_model_is_runtime(m) ? "runtime" : "model");
		html_findings(f, &run->res[m].findings, title);
	}
	fputs("</section>\n", f);
}

int html_compare(FILE *f, const struct cmp_run *run)
{
	header(f, run);
	table(f, run);
	failures(f, run);
	fputs("</section>\n", f);
	if (run->repeats)
		html_columns_runs(f, run->repeats);
	verdicts(f, run);
	findings(f, run);
	models(f, run);
	html_compare_stacks(f, run);
	return 0;
}

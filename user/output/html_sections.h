/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sections of the HTML pages, each written by one file and put
 * together by render_html.c: the timeline and the per-thread breakdown
 * (render_html_timeline.c), histograms and the wakeup graph
 * (render_html_charts.c), the off-CPU stacks (render_html_stacks.c), the
 * comparison (render_html_compare.c), the comparison of named columns
 * (render_html_columns.c). The
 * sections build on html_base.h only, never on each other or on the page.
 */
#ifndef KSEE_HTML_SECTIONS_H
#define KSEE_HTML_SECTIONS_H

#include <stdio.h>
#include "output/html_base.h"
#include "output/render.h"

/* A log2 histogram as an SVG bar chart in a <figure>; nothing if empty. */
void html_hist(FILE *f, const char *title, const __u64 *slots);

/* Sections of a run / attach report. */
void html_timeline(FILE *f, const struct ks_report *r, int *err);
void html_breakdown(FILE *f, const struct ks_trace *tr);
void html_histograms(FILE *f, const struct ks_trace *tr);
void html_wakeups(FILE *f, const struct ks_trace *tr);
void html_stacks(FILE *f, const struct ks_trace *tr);	/* --stacks: the icicle graph */

/* --stacks in a compare report: each model's top stacks, one click away. */
void html_compare_stacks(FILE *f, const struct cmp_run *run);

/* The whole body of a compare report. */
int html_compare(FILE *f, const struct cmp_run *run);

/* The whole body of a comparison of named columns (compare --cmd, diff). */
int html_columns(FILE *f, const struct col_cmp *cc);

/* compare --repeat: every run of every model, medians and ranges, as a section. */
void html_columns_runs(FILE *f, const struct col_cmp *cc);

#endif

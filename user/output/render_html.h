/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The pieces of the HTML report (render_html*.c), shared between its
 * files only. Everything from the trace is text an attacker may choose
 * (a task names itself): it goes through html_esc().
 */
#ifndef KSEE_RENDER_HTML_H
#define KSEE_RENDER_HTML_H

#include <stdio.h>
#include "output/render.h"
#include "model/timeline.h"

/* Write @s with & < > " ' escaped; control bytes become '?'. */
void html_esc(FILE *f, const char *s);

/* The same for at most @max bytes (fixed-size fields such as comm). */
void html_esc_n(FILE *f, const char *s, size_t max);

/* A duration with its unit, for text ("4.56 ms"); returns @buf. */
const char *html_ns(char *buf, size_t len, __u64 ns);

/* The states with time in @s: a mask of 1 << enum tl_state. */
unsigned int html_states_of(const struct ks_sum *s);

/* The legend of the state colours (CSS classes s0 .. s<TL_NSTATES - 1>) in @states. */
void html_legend(FILE *f, unsigned int states);

/* A log2 histogram as an SVG bar chart in a <figure>; nothing if empty. */
void html_hist(FILE *f, const char *title, const __u64 *slots);

/* Sections of a run / attach report. */
void html_timeline(FILE *f, const struct ks_report *r, int *err);
void html_breakdown(FILE *f, const struct ks_trace *tr);
void html_histograms(FILE *f, const struct ks_trace *tr);
void html_wakeups(FILE *f, const struct ks_trace *tr);

/* The whole body of a compare report. */
int html_compare(FILE *f, const struct cmp_run *run);

#endif

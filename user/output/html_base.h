/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The building blocks of the HTML pages (html_base.c), used by every
 * section. Everything from the trace is text an attacker may choose (a
 * task names itself): it goes through html_esc().
 */
#ifndef KSEE_HTML_BASE_H
#define KSEE_HTML_BASE_H

#include <stdio.h>
#include "model/model.h"
#include "model/timeline.h"

/* Write @s with & < > " ' escaped; control bytes become '?'. */
void html_esc(FILE *f, const char *s);

/* The same for at most @max bytes (fixed-size fields such as comm). */
void html_esc_n(FILE *f, const char *s, size_t max);

/* A duration with its unit, for text ("4.56 ms"); returns @buf. */
const char *html_ns(char *buf, size_t len, __u64 ns);

/* The states with time in @s: a mask of 1 << enum tl_state. */
unsigned int html_states_of(const struct ks_sum *s);

/*
 * The per-request bill as one stacked bar in its own <svg>: on CPU, waiting
 * for a CPU, blocked, off the thread, as shares of the requests' time;
 * nothing when no request was billed.
 */
void html_bill_bar(FILE *f, const struct ks_bill *b);

/* The legend of the state colours (CSS classes s0 .. s<TL_NSTATES - 1>) in @states. */
void html_legend(FILE *f, unsigned int states);

/* Findings (model/findings.h) under an <h3> @title, as cards. */
void html_findings(FILE *f, const struct ks_findings *fs, const char *title);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Output formats beyond the terminal: each renders a finished trace (and,
 * when recorded with --timeline, its event stream), or a comparison.
 */
#ifndef KSEE_RENDER_H
#define KSEE_RENDER_H

#include <stdio.h>
#include "model/columns.h"
#include "model/comparison.h"
#include "model/events.h"
#include "model/model.h"

enum ks_format {
	KS_FMT_TEXT,
	KS_FMT_JSON,
	KS_FMT_MD,
	KS_FMT_HTML,
	KS_FMT_PERFETTO,	/* Chrome / Perfetto trace-event JSON */
	KS_FMT_FOLDED,		/* folded stacks (--stacks): flamegraph.pl, inferno, speedscope */
};

/* What a renderer gets. Exactly one of @tr, @cmp and @cols is set. */
struct ks_report {
	const struct ks_trace *tr;	/* run / attach */
	const struct ks_events *events;	/* the timeline; NULL when not recorded */
	const struct cmp_run *cmp;	/* compare */
	const struct col_cmp *cols;	/* compare --cmd, diff */
};

/* "text", "json", "md", "html", "perfetto", "folded"; -1 if unknown. */
int ks_format_parse(const char *name);
const char *ks_format_name(enum ks_format f);

/*
 * The format a file name asks for: .json, .md, .html/.htm, and
 * .perfetto.json / .trace.json / .pftrace.json for perfetto, .folded; -1 if none.
 */
int ks_format_from_path(const char *path);

struct report_opts;

/* Render @r in format @fmt; 0 or -errno. */
int ks_render(FILE *f, enum ks_format fmt, const struct ks_report *r,
	      const struct report_opts *ro);

/* Each returns 0 or -errno; a format that cannot show @r says why in an error. */
int render_markdown(FILE *f, const struct ks_report *r);
int render_html(FILE *f, const struct ks_report *r);
int render_perfetto(FILE *f, const struct ks_report *r);
int render_folded(FILE *f, const struct ks_report *r);

#endif

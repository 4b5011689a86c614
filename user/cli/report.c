// SPDX-License-Identifier: GPL-2.0-only
/* ksee report: render a recording; no privileges needed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "output/recording.h"
#include "output/render.h"
#include "output/report.h"
#include "cli/session.h"
#include "trace/asuser.h"

int do_report(int argc, char **argv)
{
	struct rec_file rf = { 0 };
	struct ks_report r = { 0 };
	struct report_opts ro;
	struct session s;
	char err[512];
	FILE *in = NULL;
	int ret, i;

	ret = session_init(&s, &opts_report, argc, argv);
	if (ret)
		goto out;
	in = asuser_fopen(s.o.input, "rbe");	/* with the invoking user's rights */
	if (!in) {
		session_error(&s, "cannot open %s: %s", s.o.input, strerror(errno));
		ret = 1;
		goto out;
	}
	if (rec_read(&rf, in, err, sizeof(err))) {
		session_error(&s, "%s: %s", s.o.input, err);
		ret = 1;
		goto out;
	}
	if (rf.unchecked)
		session_error(&s, "warning: %s is a version 1 recording, without checksums: "
			      "corruption in it cannot be detected", s.o.input);
	if (rf.is_compare) {
		/* a comparison of the demos (with its --repeat runs), or of commands */
		if (rf.cmp)
			r.cmp = rf.cmp;
		else
			r.cols = rf.cols;
		if (s.o.format == KS_FMT_FOLDED ||
		    (s.o.format == KS_FMT_PERFETTO && (!r.cols || !col_any_timeline(r.cols)))) {
			session_error(&s, "%s is a comparison, which has no %s form%s: use text, "
				      "json, md or html", s.o.input, ks_format_name(s.o.format),
				      r.cols ? " without --timeline" : "");
			ret = 1;
			goto out;
		}
	} else {
		for (i = 1; i < REC_MAX_TRACES && !rf.have[i]; i++)
			;
		r.tr = &rf.traces[i];
		r.events = rf.events[i].count || rf.events[i].lost ? &rf.events[i] : NULL;
	}
	ro.max_threads = s.o.threads;
	ro.max_edges = s.o.edges;
	ro.histograms = s.o.histograms;
	ro.stacks_top = s.o.stacks_top;
	if (s.o.format == KS_FMT_FOLDED && !r.tr->features.stacks) {
		session_error(&s, "%s was recorded without --stacks: it has no stacks to fold",
			      s.o.input);
		ret = 1;
		goto out;
	}
	ret = session_output_done(&s, ks_render(s.have_of ? s.of.f : stdout, s.o.format, &r, &ro));
out:
	rec_free(&rf);
	if (in)
		fclose(in);
	session_cleanup(&s);
	return ret == SESSION_DONE ? 0 : ret;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksee diff A B: two recordings of `run` or `attach` side by side, with
 * what differs between them; no privileges needed.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/commands.h"
#include "cli/session.h"
#include "model/columns.h"
#include "output/recording.h"
#include "output/render.h"

/* The trace of a run / attach recording; NULL (with the reason) for any other. */
static const struct ks_trace *the_trace(const struct rec_file *rf, const char *path,
					char *err, size_t errlen)
{
	int i;

	if (rf->is_compare) {
		snprintf(err, errlen, "%s is a recording of 'compare': ksee diff takes two "
			 "recordings of 'run' or 'attach' (render it with 'ksee report')", path);
		return NULL;
	}
	for (i = 1; i < REC_MAX_TRACES && !rf->have[i]; i++)
		;
	if (i == REC_MAX_TRACES) {
		snprintf(err, errlen, "%s holds no trace", path);
		return NULL;
	}
	return &rf->traces[i];
}

/* The column's name: the file's name without its directory and extension. */
static void column_name(char *buf, size_t len, const char *path)
{
	char copy[4096], *base, *dot;
	char err[128];

	snprintf(copy, sizeof(copy), "%s", path);
	base = basename(copy);
	dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = '\0';
	snprintf(buf, len, "%.*s", (int)len - 1, base);
	if (col_name_check(buf, err, sizeof(err)))
		buf[0] = '\0';
}

/* "run: ./spin 100 (exit status 0)" or "attach: pid 1234". */
static void describe(char *buf, size_t len, const char *path, const struct ks_trace *tr)
{
	size_t n = snprintf(buf, len, "%s: %s", path, tr->mode ? tr->mode : "run");
	int i;

	for (i = 0; tr->argv && i < tr->argc && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? " " : " of ", tr->argv[i]);
	for (i = 0; !tr->argv && i < tr->npids && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%u", i ? "," : " of pid ", tr->pids[i]);
	if (tr->have_exit && n < len)
		snprintf(buf + n, len - n, " (exit status %d)", tr->exit_status);
}

static int load(struct session *s, struct rec_file *rf, FILE **in, const char *path,
		const struct ks_trace **tr)
{
	char err[512];

	*in = fopen(path, "rbe");
	if (!*in) {
		session_error(s, "cannot open %s: %s", path, strerror(errno));
		return 1;
	}
	if (rec_read(rf, *in, err, sizeof(err))) {
		session_error(s, "%s: %s", path, err);
		return 1;
	}
	*tr = the_trace(rf, path, err, sizeof(err));
	if (!*tr) {
		session_error(s, "%s", err);
		return 1;
	}
	return 0;
}

int do_diff(int argc, char **argv)
{
	struct rec_file rf[2] = { 0 };
	const struct ks_trace *tr[2];
	const char *path[2];
	struct col_cmp *cc = NULL;
	struct ks_report r = { 0 };
	struct col_column *c;
	struct session s;
	FILE *in[2] = { NULL, NULL };
	int ret, i;

	ret = session_init(&s, &opts_diff, argc, argv);
	if (ret)
		goto out;
	path[0] = s.o.input;
	path[1] = s.o.input2;
	for (i = 0; i < 2 && !ret; i++)
		ret = load(&s, &rf[i], &in[i], path[i], &tr[i]);
	if (ret)
		goto out;
	cc = calloc(1, sizeof(*cc));
	if (!cc) {
		ret = 1;
		goto out;
	}
	cc->kind = "recordings";
	cc->repeat = 1;
	cc->ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	snprintf(cc->kernel, sizeof(cc->kernel), "%s", tr[0]->kernel);
	cc->ncols = 2;
	for (i = 0; i < 2; i++) {
		c = &cc->cols[i];
		column_name(c->name, sizeof(c->name), path[i]);
		describe(c->command, sizeof(c->command), path[i], tr[i]);
		c->nruns = 1;
		c->runs[0].ran = true;
		cmp_result_from_trace(&c->runs[0], tr[i]);
		c->runs[0].exit_status = tr[i]->exit_status;
	}
	if (!cc->cols[0].name[0] || !cc->cols[1].name[0] ||
	    !strcmp(cc->cols[0].name, cc->cols[1].name)) {
		strcpy(cc->cols[0].name, "A");
		strcpy(cc->cols[1].name, "B");
	}
	col_what_differs(cc);
	r.cols = cc;
	ret = session_output_done(&s, ks_render(s.have_of ? s.of.f : stdout, s.o.format, &r,
						NULL));
out:
	free(cc);
	for (i = 0; i < 2; i++) {
		rec_free(&rf[i]);
		if (in[i])
			fclose(in[i]);
	}
	session_cleanup(&s);
	return ret == SESSION_DONE ? 0 : ret;
}

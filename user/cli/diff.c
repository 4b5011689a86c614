// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksee diff A B: two recordings of `run` or `attach` side by side, with
 * what differs between them; or two recordings of `compare`, each column
 * of A against the column of the same name in B. No privileges needed.
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

/* The trace of a run / attach recording; NULL (with the reason) for none. */
static const struct ks_trace *the_trace(const struct rec_file *rf, const char *path,
					char *err, size_t errlen)
{
	int i;

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

	*tr = NULL;
	*in = fopen(path, "rbe");
	if (!*in) {
		session_error(s, "cannot open %s: %s", path, strerror(errno));
		return 1;
	}
	if (rec_read(rf, *in, err, sizeof(err))) {
		session_error(s, "%s: %s", path, err);
		return 1;
	}
	if (rf->is_compare)
		return 0;
	*tr = the_trace(rf, path, err, sizeof(err));
	if (!*tr) {
		session_error(s, "%s", err);
		return 1;
	}
	return 0;
}

/*
 * The columns of a compare recording into @out: its own (--cmd, --repeat),
 * or one run of each demo model that was asked for.
 */
static void columns_of(const struct rec_file *rf, struct col_cmp *out)
{
	const struct cmp_result *r;
	struct col_column *c;
	int m;

	if (rf->cols) {
		*out = *rf->cols;
		return;
	}
	out->kind = "models";
	out->repeat = 1;
	out->ncpus = rf->cmp->ncpus;
	snprintf(out->kernel, sizeof(out->kernel), "%s", rf->cmp->kernel);
	out->interrupted = rf->cmp->interrupted;
	for (m = 0; m < CMP_NMODELS; m++) {
		r = &rf->cmp->res[m];
		if (!r->selected)
			continue;
		c = &out->cols[out->ncols++];
		snprintf(c->name, sizeof(c->name), "%s", cmp_model_name(m));
		snprintf(c->command, sizeof(c->command), "the %s demo", cmp_model_name(m));
		c->nruns = r->ran;
		c->runs[0] = *r;
		c->failed = r->failed;
		snprintf(c->error, sizeof(c->error), "%s", r->error);
	}
}

/*
 * Column @from of side @side (0: A, 1: B) as "LABEL/NAME" in @cc, in group
 * @g; "A/NAME" or "B/NAME" when that is too long. 0 or -E2BIG.
 */
static int add_side(struct col_cmp *cc, const struct col_column *from, int side,
		    const char *label, const char *path, unsigned int g, bool alone)
{
	char name[COL_NAME_LEN * 2 + 2];
	struct col_column *c;

	if (cc->ncols >= COL_MAX)
		return -E2BIG;
	c = &cc->cols[cc->ncols];
	snprintf(name, sizeof(name), "%s/%s", label, from->name);
	if (strlen(name) >= COL_NAME_LEN)
		snprintf(name, sizeof(name), "%c/%s", "AB"[side], from->name);
	*c = *from;
	memcpy(c->name, name, COL_NAME_LEN - 1);
	c->name[COL_NAME_LEN - 1] = '\0';
	snprintf(c->command, sizeof(c->command), "%.200s%s: %.290s", path,
		 alone ? " (only here)" : "", from->command);
	c->group = g;
	c->timeline = NULL;
	c->tl_trace = NULL;
	cc->ncols++;
	return 0;
}

/*
 * Two compare recordings: each column of A beside the column of the same
 * name in B (a group of two: what differs compares them only), then B's
 * columns that A lacks. A column only one side has stands alone.
 */
static int diff_comparisons(struct session *s, struct col_cmp *cc, struct rec_file *rf,
			    const char **path, char (*label)[COL_NAME_LEN])
{
	struct col_cmp *side = calloc(2, sizeof(*side));
	const struct col_column *c;
	unsigned int i, g = 0;
	int j, ret = 0;

	if (!side)
		return -ENOMEM;
	columns_of(&rf[0], &side[0]);
	columns_of(&rf[1], &side[1]);
	cc->kind = "comparisons";
	cc->repeat = side[0].repeat > side[1].repeat ? side[0].repeat : side[1].repeat;
	cc->ncpus = side[0].ncpus;
	snprintf(cc->kernel, sizeof(cc->kernel), "%s", side[0].kernel);
	cc->interrupted = side[0].interrupted || side[1].interrupted;
	for (i = 0; !ret && i < side[0].ncols; i++) {
		c = &side[0].cols[i];
		j = col_find(&side[1], c->name);
		g++;
		ret = add_side(cc, c, 0, label[0], path[0], g, j < 0);
		if (!ret && j >= 0)
			ret = add_side(cc, &side[1].cols[j], 1, label[1], path[1], g, false);
	}
	for (i = 0; !ret && i < side[1].ncols; i++) {
		c = &side[1].cols[i];
		if (col_find(&side[0], c->name) < 0)
			ret = add_side(cc, c, 1, label[1], path[1], ++g, true);
	}
	if (ret == -E2BIG)
		session_error(s, "the two comparisons have more than %d columns together: "
			      "ksee diff shows at most %d", COL_MAX, COL_MAX);
	free(side);
	return ret;
}

int do_diff(int argc, char **argv)
{
	struct rec_file rf[2] = { 0 };
	const struct ks_trace *tr[2];
	char label[2][COL_NAME_LEN];
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
	if (rf[0].is_compare != rf[1].is_compare) {
		i = rf[1].is_compare;
		session_error(&s, "%s is a recording of 'compare' and %s one of '%s': ksee diff "
			      "takes two recordings of one kind (two of 'run' or 'attach', or two "
			      "of 'compare')", path[i], path[!i], tr[!i]->mode ? tr[!i]->mode :
			      "run");
		ret = 1;
		goto out;
	}
	cc = calloc(1, sizeof(*cc));
	if (!cc) {
		ret = 1;
		goto out;
	}
	for (i = 0; i < 2; i++)
		column_name(label[i], sizeof(label[i]), path[i]);
	if (!label[0][0] || !label[1][0] || !strcmp(label[0], label[1])) {
		strcpy(label[0], "A");
		strcpy(label[1], "B");
	}
	if (rf[0].is_compare) {
		if (diff_comparisons(&s, cc, rf, path, label)) {
			ret = 1;
			goto out;
		}
		goto render;
	}
	cc->kind = "recordings";
	cc->repeat = 1;
	cc->ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	snprintf(cc->kernel, sizeof(cc->kernel), "%s", tr[0]->kernel);
	cc->ncols = 2;
	for (i = 0; i < 2; i++) {
		c = &cc->cols[i];
		snprintf(c->name, sizeof(c->name), "%s", label[i]);
		describe(c->command, sizeof(c->command), path[i], tr[i]);
		c->nruns = 1;
		c->runs[0].ran = true;
		cmp_result_from_trace(&c->runs[0], tr[i]);
		c->runs[0].exit_status = tr[i]->exit_status;
	}
render:
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

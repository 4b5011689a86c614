// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksee compare --cmd NAME=COMMAND ...: run the user's own commands, each
 * traced from its first instruction, --repeat N times interleaved (a b a
 * b ...), and report them side by side with what differs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/commands.h"
#include "cli/session.h"
#include "model/columns.h"
#include "output/recording.h"
#include "output/render.h"
#include "trace/target.h"

/* What the runs leave behind: the first run's timelines, and the recording. */
struct kept {
	struct ks_events ev[COL_MAX];	/* --timeline: each column's first run */
	struct ks_trace tr[COL_MAX];	/* and its trace (the threads' names) */
	__u32 pids[COL_MAX];
	bool rec_started;		/* --record: the header is written */
	int rec_err;			/* --record: the first write error (-errno) */
};

/* Add column @name running @cmd; a name given twice makes a FAILED column. */
static void add_column(struct col_cmp *cc, const char *name, const char *cmd)
{
	struct col_column *c = &cc->cols[cc->ncols];

	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->command, sizeof(c->command), "%s", cmd);
	if (col_find(cc, name) >= 0) {
		c->failed = true;
		snprintf(c->error, sizeof(c->error), "the name '%s' is given twice", name);
	}
	cc->ncols++;
}

/* One NAME=COMMAND of --cmd or --cmds; 0 or EXIT_USAGE (the reason printed). */
static int add_spec(struct session *s, struct col_cmp *cc, const char *spec, const char *where)
{
	char name[COL_NAME_LEN], cmd[sizeof(cc->cols[0].command)], err[256];

	if (cc->ncols >= COL_MAX) {
		session_error(s, "%s: too many commands: at most %d", where, COL_MAX);
		return EXIT_USAGE;
	}
	if (col_parse_spec(spec, name, sizeof(name), cmd, sizeof(cmd), err, sizeof(err))) {
		session_error(s, "%s: %s", where, err);
		return EXIT_USAGE;
	}
	add_column(cc, name, cmd);
	return 0;
}

/* --cmds FILE: one NAME=COMMAND a line; blank lines and '#' comments skipped. */
static int read_cmds_file(struct session *s, struct col_cmp *cc, const char *path)
{
	char line[1024], where[64];
	FILE *f = fopen(path, "re");
	int ret = 0, n = 0;
	size_t len;
	char *p;

	if (!f) {
		session_error(s, "cannot open %s: %s", path, strerror(errno));
		return 1;
	}
	while (!ret && fgets(line, sizeof(line), f)) {
		n++;
		len = strlen(line);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			session_error(s, "%s:%d: line longer than %zu characters", path, n,
				      sizeof(line) - 2);
			ret = EXIT_USAGE;
			break;
		}
		line[strcspn(line, "\r\n")] = '\0';
		p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		snprintf(where, sizeof(where), "%.40s:%d", path, n);
		ret = add_spec(s, cc, p, where);
	}
	if (!ret && ferror(f)) {
		session_error(s, "cannot read %s: %s", path, strerror(errno));
		ret = 1;
	}
	fclose(f);
	return ret;
}

/*
 * The command's program, when the command is a plain "program args..."
 * (no shell syntax, and the program a file, not a shell builtin such as
 * "exit"): the shell then execs it ("exec COMMAND"), so that
 * the column holds the program alone, not a shell waiting for it, and its
 * task markers are counted. Else "": the shell runs the command as it is.
 */
static void first_word(const char *cmd, char *buf, size_t len)
{
	char exe[4096];
	size_t n;

	cmd += strspn(cmd, " \t");
	n = strcspn(cmd, " \t");
	buf[0] = '\0';
	if (!n || n >= len || strpbrk(cmd, "$`\"'\\;|&<>()*?[]{}~\n") ||
	    memchr(cmd, '=', n))
		return;
	memcpy(buf, cmd, n);
	buf[n] = '\0';
	if (target_resolve(buf, exe, sizeof(exe)))
		buf[0] = '\0';
}

/*
 * --record: the trace of run @k of column @i, as it ends (the first run's
 * with its timeline); a write error is kept for the end, and the runs go on.
 */
static void record_run(struct session *s, struct kept *kp, unsigned int i, unsigned int k)
{
	if (!s->have_rec || kp->rec_err)
		return;
	if (!kp->rec_started)
		kp->rec_err = rec_write_header(s->rec.f);
	kp->rec_started = true;
	if (!kp->rec_err)
		kp->rec_err = rec_write_trace(s->rec.f, rec_column_trace(i, k), &s->tr,
					      k == 0 && s->have_events ? &s->events : NULL);
}

/*
 * Run of column @i number @k, traced; fill its runs[k]. Returns 0 (even
 * when the command failed: that is a result) or ksee's own exit status.
 */
static int run_one(struct session *s, struct col_cmp *cc, struct kept *kp, unsigned int i,
		   unsigned int k)
{
	struct col_column *c = &cc->cols[i];
	char why[sizeof(c->error)], prog[256], script[sizeof(c->command) + 8];
	char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct run_spec rs = { .argv = argv, .stdout_fd = STDERR_FILENO, .quiet = true,
			       .timeout_s = s->o.timeout };
	struct cmp_result *res = &c->runs[k];
	int ret;

	first_word(c->command, prog, sizeof(prog));
	snprintf(script, sizeof(script), "%s%s", prog[0] ? "exec " : "", c->command);
	rs.markers_of = prog[0] ? prog : NULL;
	memset(res, 0, sizeof(*res));
	ret = session_restart(s);
	if (ret)
		return ret;
	res->ran = true;
	c->nruns = k + 1;
	ret = session_run_command(s, &rs);
	if (ret == 126 || ret == 127) {
		res->failed = true;
		snprintf(res->error, sizeof(res->error), "cannot run /bin/sh");
	} else if (ret) {
		return ret;
	} else {
		ret = session_collect(s, s->tr.end_ns);
		if (ret)
			return ret;
		res->exit_status = s->tr.exit_status;
		cmp_result_from_trace(res, &s->tr);
		res->failed = session_describe_end(s, &rs, res->error, sizeof(res->error));
		record_run(s, kp, i, k);
	}
	if (res->failed && !c->failed) {
		c->failed = true;
		memcpy(why, res->error, sizeof(why));
		if (c->nruns > 1 || s->o.repeat > 1)
			snprintf(c->error, sizeof(c->error), "run %u: %.140s", k + 1, why);
		else
			snprintf(c->error, sizeof(c->error), "%s", why);
	}
	return 0;
}

static void progress(const struct col_cmp *cc, const struct col_column *c, unsigned int k,
		     int i, int n, double secs)
{
	const struct cmp_result *res = &c->runs[k];

	fprintf(stderr, "ksee compare: [%d/%d] %s", i, n, c->name);
	if (cc->repeat > 1)
		fprintf(stderr, " (run %u of %u)", k + 1, cc->repeat);
	if (res->failed)
		fprintf(stderr, ": FAILED: %s\n", res->error);
	else
		fprintf(stderr, ": %.2f s, %u task%s, on-CPU %.3f s\n", secs, res->sum.tasks,
			res->sum.tasks == 1 ? "" : "s", res->sum.on_cpu_ns / 1e9);
}

/*
 * --timeline: the first run of column @i keeps its event stream and its
 * trace in @kp; a fresh spool takes the next column's. After the first
 * round, no more.
 */
static int keep_timeline(struct session *s, struct col_column *c, struct kept *kp,
			 unsigned int i, bool last_of_round)
{
	int ret;

	kp->ev[i] = s->events;
	c->timeline = &kp->ev[i];
	c->tl_start_ns = s->tr.start_ns;
	c->tl_end_ns = s->tr.end_ns;
	s->have_events = false;
	/* the trace too, for the threads' names; what it borrowed is gone */
	kp->tr[i] = s->tr;
	kp->pids[i] = s->target_pid;
	kp->tr[i].argv = NULL;
	kp->tr[i].argc = 0;
	kp->tr[i].pids = &kp->pids[i];
	c->tl_trace = &kp->tr[i];
	ks_trace_init(&s->tr);
	if (last_of_round)
		return 0;
	ret = ks_events_spool(&s->events);
	if (ret) {
		session_error(s, "cannot create the timeline's spool file: %s", strerror(-ret));
		return 1;
	}
	s->have_events = true;
	return 0;
}

/* Every column's run @k, in order: a b a b ... over the repeats. */
static int run_all(struct session *s, struct col_cmp *cc, struct kept *kp)
{
	struct col_column *c;
	unsigned int k, i;
	int ret, done = 0, n = 0;
	__u64 t0;

	for (i = 0; i < cc->ncols; i++)
		n += cc->cols[i].failed ? 0 : cc->repeat;
	for (k = 0; k < cc->repeat; k++) {
		for (i = 0; i < cc->ncols && !session_signals; i++) {
			c = &cc->cols[i];
			if (c->failed && !c->nruns)	/* a name given twice */
				continue;
			t0 = tracer_now();
			ret = run_one(s, cc, kp, i, k);
			if (!ret && k == 0 && s->have_events)
				ret = keep_timeline(s, c, kp, i, i + 1 == cc->ncols);
			if (ret)
				return ret;
			progress(cc, c, k, ++done, n, (tracer_now() - t0) / 1e9);
		}
	}
	cc->interrupted = session_signals > 0;
	return 0;
}

/* --record: the columns after their runs' traces, and the end; then committed. */
static int record(struct session *s, const struct col_cmp *cc, struct kept *kp)
{
	int ret = kp->rec_err;

	if (!s->have_rec)
		return 0;
	if (!ret && !kp->rec_started)
		ret = rec_write_header(s->rec.f);
	if (!ret)
		ret = rec_write_columns(s->rec.f, cc);
	if (!ret)
		ret = rec_write_end(s->rec.f);
	return session_record_done(s, ret);
}

int compare_commands(struct session *s)
{
	struct col_cmp *cc = calloc(1, sizeof(*cc));
	struct kept *kp = calloc(1, sizeof(*kp));
	struct ks_report r = { .cols = cc };
	char where[32];
	int ret = 0, i;

	if (!cc || !kp) {
		session_error(s, "out of memory");
		ret = 1;
		goto out;
	}
	for (i = 0; i < COL_MAX; i++)
		ks_trace_init(&kp->tr[i]);
	cc->kind = "commands";
	cc->repeat = s->o.repeat ? s->o.repeat : 1;
	cc->ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	snprintf(cc->kernel, sizeof(cc->kernel), "%s", s->tr.kernel);
	for (i = 0; !ret && i < s->o.ncmds; i++) {
		snprintf(where, sizeof(where), "--cmd %d", i + 1);
		ret = add_spec(s, cc, s->o.cmds[i], where);
	}
	if (!ret && s->o.cmds_file)
		ret = read_cmds_file(s, cc, s->o.cmds_file);
	if (!ret && cc->ncols < 2) {
		session_error(s, "%u command%s: compare needs at least two", cc->ncols,
			      cc->ncols == 1 ? "" : "s");
		ret = EXIT_USAGE;
	}
	if (ret)
		goto out;
	fprintf(stderr, "ksee compare: %u commands, %u run%s each%s\n", cc->ncols, cc->repeat,
		cc->repeat == 1 ? "" : "s", cc->repeat == 1 ? "" : ", interleaved");
	session_catch_signals();
	ret = run_all(s, cc, kp);
	if (ret)
		goto out;
	col_what_differs(cc);
	/* each output on its own: a recording that fails keeps the report */
	ret = record(s, cc, kp);
	ret = session_output_done(s, ks_render(s->have_of ? s->of.f : stdout, s->o.format, &r,
					       NULL)) ?: ret;
	if (!ret && col_any_failed(cc))
		ret = 1;
out:
	for (i = 0; kp && i < COL_MAX; i++) {
		if (kp->ev[i].f)
			ks_events_close(&kp->ev[i]);
		ks_trace_free(&kp->tr[i]);
	}
	free(kp);
	free(cc);
	return ret;
}

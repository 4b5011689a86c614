// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-thread timeline (SVG, from the downsampled event stream) and
 * the per-thread on / off CPU bars (from the aggregates).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "output/fmt.h"
#include "output/html_sections.h"
#include "output/report.h"
#include "model/syscalls.h"

#define ROW_H		14	/* px of a task's bar */
#define ROW_PITCH	17
#define RUN_LEVELS	7	/* a column's on-CPU share, in steps of ROW_H / RUN_LEVELS px */
#define LABEL_W		240
#define MAX_BAR_THREADS	200	/* per process in the on / off CPU bars */
#define IDLE_NAMED	8	/* idle tasks named on their line */

/* A growable string: one SVG path per state, height and row. */
struct sbuf {
	char *s;
	size_t len, cap;
	unsigned int x;		/* where the last segment ended */
};

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	size_t need;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	need = b->len + n + 1;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *s;

		while (cap < need)
			cap *= 2;
		s = realloc(b->s, cap);
		if (!s)
			return;	/* the row loses a segment; nothing else */
		b->s = s;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += n;
}

/* What a column shows: the on-CPU level and the state that had most of the rest. */
struct colview {
	int level;	/* 0 .. RUN_LEVELS */
	int off;	/* enum tl_state other than TL_RUN, or -1: none */
};

static struct colview col_view(const struct timeline *tl, const struct tl_row *row,
			       unsigned int c)
{
	struct colview v = { 0, -1 };
	__u64 total = 0, run, best = 0, ns;
	int s;

	for (s = 0; s < TL_NSTATES; s++)
		total += timeline_cell_ns(tl, row, c, s);
	if (!total)
		return v;
	run = timeline_cell_ns(tl, row, c, TL_RUN);
	if (run)	/* any time on a CPU shows: at least one level */
		v.level = (run * RUN_LEVELS + total - 1) / total;
	for (s = TL_RUNQ; s < TL_NSTATES; s++) {
		ns = timeline_cell_ns(tl, row, c, s);
		if (ns > best) {
			best = ns;
			v.off = s;
		}
	}
	if (v.level == RUN_LEVELS)
		v.off = -1;
	else if (v.off < 0)
		v.level = RUN_LEVELS;
	return v;
}

#define NPATHS	(TL_NSTATES * (ROW_H + 1))

/*
 * A bar from column @x0 to @x1, @h px high, its top at @top: a horizontal
 * stroke @h wide, in the path of its state and height, relative to the
 * previous one (about 7 bytes a bar).
 */
static void bar(struct sbuf *paths, int state, unsigned int x0, unsigned int x1, unsigned int top,
		unsigned int h)
{
	struct sbuf *b = &paths[state * (ROW_H + 1) + h];

	if (!b->len)
		sb_printf(b, "M%u %uh%u", x0, top + h / 2, x1 - x0);
	else
		sb_printf(b, "m%u 0h%u", x0 - b->x, x1 - x0);
	b->x = x1;
}

/* One row: run-length merged bars, one <path> per state and height. */
static void draw_row(FILE *f, const struct timeline *tl, const struct tl_row *row, unsigned int y,
		     struct sbuf *paths)
{
	struct colview v, cur = { 0, -1 };
	unsigned int c, start = 0, runh;
	int i;

	for (i = 0; i < NPATHS; i++)
		paths[i].len = 0;
	for (c = 0; c <= tl->ncols; c++) {
		v = c < tl->ncols ? col_view(tl, row, c) : (struct colview){ -1, -1 };
		if (c && v.level == cur.level && v.off == cur.off)
			continue;
		if (c && (cur.level > 0 || cur.off >= 0)) {
			runh = cur.level * ROW_H / RUN_LEVELS;
			if (cur.off >= 0)
				bar(paths, cur.off, start, c, y, ROW_H - runh);
			if (runh)
				bar(paths, TL_RUN, start, c, y + ROW_H - runh, runh);
		}
		cur = v;
		start = c;
	}
	for (i = 0; i < NPATHS; i++)
		if (paths[i].len)
			fprintf(f, "<path class=\"s%d\" stroke-width=\"%d\" d=\"%s\"/>",
				i / (ROW_H + 1), i % (ROW_H + 1), paths[i].s);
}

/* The tooltip of a task: "tid comm (kind)" and its numbers. */
static void row_title(FILE *f, const struct ks_thread *t)
{
	char b1[FMT_LEN], b2[FMT_LEN], b3[FMT_LEN];

	fprintf(f, "<title>%u ", t->st.tid);
	html_esc_n(f, t->st.comm, KSEE_COMM_LEN);
	fprintf(f, " (%s): on-CPU %s, blocked %s, runnable %s, %llu vol / %llu invol "
		"switches</title>", ks_kind_name(t->kind), fmt_ns(b1, sizeof(b1), t->st.on_cpu_ns),
		fmt_ns(b2, sizeof(b2), t->blocked_total_ns),
		fmt_ns(b3, sizeof(b3), t->st.wakelat_ns + t->st.runq_ns),
		(unsigned long long)t->st.voluntary, (unsigned long long)t->st.involuntary);
}

struct tl_line {
	const struct tl_row *row;	/* NULL: a process heading */
	const struct ks_process *p;
	const struct ks_thread *t;	/* NULL: a task only the events know */
};

/* Rows in the report's order: by process, busiest thread first; then the unknown. */
static struct tl_line *order_rows(const struct ks_trace *tr, const struct timeline *tl,
				  size_t *n)
{
	struct tl_line *lines = calloc(tl->nrows + tr->nprocs + 1, sizeof(*lines));
	bool *used = calloc(tl->nrows + 1, sizeof(*used));
	const struct tl_row *row;
	bool heading;
	size_t i, j, k = 0;

	if (!lines || !used) {
		free(lines);
		free(used);
		return NULL;
	}
	for (i = 0; i < tr->nprocs; i++) {
		const struct ks_process *p = &tr->procs[i];

		for (heading = false, j = 0; j < p->nthreads; j++) {
			row = timeline_find(tl, p->threads[j].st.tid);
			if (!row || used[row - tl->rows])
				continue;
			if (!heading)
				lines[k++] = (struct tl_line){ NULL, p, NULL };
			heading = true;
			used[row - tl->rows] = true;
			lines[k++] = (struct tl_line){ row, p, &p->threads[j] };
		}
	}
	for (heading = false, i = 0; i < tl->nrows; i++) {
		if (used[i])
			continue;
		if (!heading)
			lines[k++] = (struct tl_line){ NULL, NULL, NULL };
		heading = true;
		lines[k++] = (struct tl_line){ &tl->rows[i], NULL, NULL };
	}
	free(used);
	*n = k;
	return lines;
}

static void label(FILE *f, const struct tl_line *l, unsigned int y)
{
	if (!l->row) {
		fprintf(f, "<text class=\"p\" x=\"2\" y=\"%u\">", y + ROW_H - 2);
		if (l->p) {
			fprintf(f, "process %u ", l->p->pid);
			html_esc_n(f, ks_process_comm(l->p), KSEE_COMM_LEN);
		} else {
			fputs("tasks not in the summary", f);
		}
		fputs("</text>\n", f);
		return;
	}
	fprintf(f, "<text x=\"10\" y=\"%u\">", y + ROW_H - 3);
	if (l->t) {
		row_title(f, l->t);
		fprintf(f, "%u ", l->t->st.tid);
		html_esc_n(f, l->t->st.comm, KSEE_COMM_LEN);
		if (l->t->kind != KS_KIND_THREAD)
			fprintf(f, " [%s]", ks_kind_name(l->t->kind));
	} else {
		fprintf(f, "%u (pid %u)", l->row->tid, l->row->tgid);
	}
	fputs("</text>\n", f);
}

static void axis(FILE *f, const struct timeline *tl)
{
	__u64 span = tl->end_ns - tl->start_ns;
	char b[FMT_LEN];
	int i;

	/* The script redraws it on zoom; this one is for pages read without script. */
	fputs("<svg class=\"axis\" id=\"tl-axis\" width=\"100%\" height=\"20\">", f);
	for (i = 0; i <= 4; i++)
		fprintf(f, "<line x1=\"%d%%\" x2=\"%d%%\" y1=\"14\" y2=\"20\"/><text x=\"%d%%\" "
			"y=\"11\" text-anchor=\"%s\">%s</text>", i * 25, i * 25, i * 25,
			i == 0 ? "start" : i == 4 ? "end" : "middle",
			fmt_ns_short(b, sizeof(b), span * i / 4));
	fputs("</svg>\n", f);
}

static int draw_timeline(FILE *f, const struct ks_trace *tr, const struct timeline *tl)
{
	struct sbuf paths[NPATHS];
	struct tl_line *lines;
	size_t i, n = 0;
	unsigned int h;
	char b[FMT_LEN];

	lines = order_rows(tr, tl, &n);
	if (!lines)
		return -ENOMEM;
	h = n * ROW_PITCH;
	memset(paths, 0, sizeof(paths));
	fprintf(f, "<p class=\"meta\">%zu tasks, %llu events; one column is %s (%u columns); "
		"a column's bar height in green is its share on a CPU, its colour the state it "
		"spent most of the rest in.</p>\n", tl->nrows, (unsigned long long)tl->events,
		fmt_ns(b, sizeof(b), tl->col_ns), tl->ncols);
	if (tl->tasks_dropped)
		fprintf(f, "<p class=\"warn\">%s%u more tasks (%llu events) are not drawn: the "
			"timeline shows the first %zu tasks seen.</p>\n",
			tl->nrows + tl->tasks_dropped >= tl->nslots / 2 ? "at least " : "",
			tl->tasks_dropped, (unsigned long long)tl->dropped, tl->max_rows);
	html_legend(f, timeline_states(tl) | 1u << TL_RUN);
	fputs("<div class=\"tl-tools\"><button type=\"button\" data-zoom=\"in\">zoom in</button>"
	      "<button type=\"button\" data-zoom=\"out\">zoom out</button><button type=\"button\" "
	      "data-zoom=\"reset\">all</button><span class=\"mute\">drag to pan; ctrl+wheel or "
	      "double-click to zoom</span> <span id=\"tl-at\" class=\"mono\"></span></div>\n", f);
	fprintf(f, "<div class=\"tl\"><div></div><div>");
	axis(f, tl);
	fprintf(f, "</div>\n<svg class=\"tl-labels\" width=\"%d\" height=\"%u\">\n", LABEL_W, h);
	for (i = 0; i < n; i++)
		label(f, &lines[i], i * ROW_PITCH);
	fprintf(f, "</svg>\n<div class=\"tl-main\"><svg id=\"tl-svg\" xmlns=\"http://www.w3.org/"
		"2000/svg\" width=\"100%%\" height=\"%u\" viewBox=\"0 0 %u %u\" "
		"preserveAspectRatio=\"none\" shape-rendering=\"crispEdges\" data-cols=\"%u\" "
		"data-span=\"%llu\" data-h=\"%u\">\n", h, tl->ncols, h, tl->ncols,
		(unsigned long long)(tl->end_ns - tl->start_ns), h);
	for (i = 0; i < n; i++) {
		if (!lines[i].row)
			continue;
		fprintf(f, "<g><rect class=\"tl-bg\" x=\"0\" y=\"%zu\" width=\"%u\" height=\"%d\"/>",
			i * ROW_PITCH, tl->ncols, ROW_H);
		if (lines[i].t)
			row_title(f, lines[i].t);
		draw_row(f, tl, lines[i].row, i * ROW_PITCH, paths);
		fputs("</g>\n", f);
	}
	fputs("</svg></div></div>\n", f);
	for (i = 0; i < NPATHS; i++)
		free(paths[i].s);
	free(lines);
	return 0;
}

void html_timeline(FILE *f, const struct ks_report *r, int *err)
{
	const struct ks_trace *tr = r->tr;
	struct timeline tl;
	bool span = tr->end_ns > tr->start_ns;

	fputs("<section id=\"timeline\">\n<h2>Timeline</h2>\n", f);
	if (!r->events || !r->events->count) {
		fputs("<p class=\"note\">Recorded without --timeline: there is no per-event "
		      "timeline. The bars below show each thread's on-CPU, waiting and blocked "
		      "time from the aggregates.</p>\n</section>\n", f);
		return;
	}
	*err = timeline_build(&tl, r->events, span ? tr->start_ns : 0, span ? tr->end_ns : 0,
			      TL_DEFAULT_COLS, TL_DEFAULT_ROWS);
	if (!*err)
		*err = draw_timeline(f, tr, &tl);
	if (*err)
		fprintf(f, "<p class=\"warn\">the timeline could not be read: %s</p>\n",
			strerror(-*err));
	timeline_free(&tl);
	fputs("</section>\n", f);
}

static void bar_part(FILE *f, int state, __u64 ns, __u64 total, const char *what)
{
	char b[FMT_LEN];

	if (!ns || !total)
		return;
	fprintf(f, "<span class=\"s%d\" style=\"width:%.2f%%\" title=\"%s %s (%.1f%%)\"></span>",
		state, 100.0 * ns / total, what, fmt_ns(b, sizeof(b), ns), 100.0 * ns / total);
}

static void thread_bar(FILE *f, const struct ks_thread *t)
{
	const struct ksee_task_stats *st = &t->st;
	__u64 runnable = st->wakelat_ns + st->runq_ns, blocked = t->blocked_total_ns;
	__u64 total = st->on_cpu_ns + runnable + blocked;
	char b1[FMT_LEN], b2[FMT_LEN], b3[FMT_LEN], b4[FMT_LEN];
	int r;

	fprintf(f, "<tr><td class=\"n\">%u</td><td class=\"mono\">", st->tid);
	html_esc_n(f, st->comm, KSEE_COMM_LEN);
	fprintf(f, "</td><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
		"<td class=\"n\">%s</td><td class=\"n\">%s</td><td>%s</td><td><div class=\"bar\">",
		ks_kind_name(t->kind), fmt_ns(b1, sizeof(b1), st->on_cpu_ns),
		fmt_ns(b2, sizeof(b2), runnable), fmt_ns(b3, sizeof(b3), blocked),
		st->uninterruptible_ns ? fmt_ns(b4, sizeof(b4), st->uninterruptible_ns) : "-",
		ks_thread_mostly_in(t));
	bar_part(f, TL_RUN, st->on_cpu_ns, total, "on-CPU");
	bar_part(f, TL_RUNQ, runnable, total, "runnable (waking up, waiting for a CPU)");
	for (r = 0; r < KSEE_R_NR; r++)
		bar_part(f, TL_BLOCKED + r, st->blocked_ns[r], total, tl_state_name(TL_BLOCKED + r));
	fputs("</div></td></tr>\n", f);
}

/* The tasks idle the whole time, named under their process's bars rather than drawn. */
static void idle_tasks(FILE *f, const struct ks_process *p)
{
	const struct ks_thread *t[IDLE_NAMED];
	char b[FMT_LEN];
	size_t j, n;
	int r;

	for (r = 0; r < KSEE_R_NR; r++) {
		if (!p->sum.idle.tasks_in[r])
			continue;
		fprintf(f, "<p class=\"meta\">%u task%s idle the whole time in %s (%s asleep): ",
			p->sum.idle.tasks_in[r], p->sum.idle.tasks_in[r] == 1 ? "" : "s",
			syscalls_reason_label(r), fmt_ns(b, sizeof(b), p->sum.idle.blocked_ns[r]));
		n = ks_idle_tasks(p, r, t, IDLE_NAMED);
		for (j = 0; j < n; j++) {
			fprintf(f, "%s%u <span class=\"mono\">", j ? ", " : "", t[j]->st.tid);
			html_esc_n(f, t[j]->st.comm, KSEE_COMM_LEN);
			fputs("</span>", f);
		}
		if (n < p->sum.idle.tasks_in[r])
			fprintf(f, " and %zu more", p->sum.idle.tasks_in[r] - n);
		fputs("</p>\n", f);
	}
}

void html_breakdown(FILE *f, const struct ks_trace *tr)
{
	size_t i, j, n, shown;

	fputs("<section id=\"offcpu\">\n<h2>On and off CPU, per thread</h2>\n<p class=\"meta\">"
	      "Each bar is one thread's accounted time: on a CPU, waiting for one, and blocked "
	      "by the syscall family it slept in (D state is part of blocked, shown apart)."
	      "</p>\n", f);
	html_legend(f, html_states_of(&tr->total) & ~(1u << TL_D));
	for (i = 0; i < tr->nprocs; i++) {
		const struct ks_process *p = &tr->procs[i];

		if (!p->nthreads)
			continue;
		fprintf(f, "<h3 id=\"p%u\">process %u ", p->pid, p->pid);
		html_esc_n(f, ks_process_comm(p), KSEE_COMM_LEN);
		fputs("</h3>\n<div class=\"scroll\"><table class=\"bars\"><tr><th class=\"n\">tid"
		      "</th><th>comm</th><th>kind</th><th class=\"n\">on-CPU</th><th class=\"n\">"
		      "runnable</th><th class=\"n\">blocked</th><th class=\"n\">D</th>"
		      "<th>mostly in</th><th style=\"width:45%\">share of its time</th></tr>\n", f);
		n = p->nthreads - p->sum.idle.tasks;
		for (j = 0, shown = 0; j < p->nthreads && shown < MAX_BAR_THREADS; j++) {
			if (p->threads[j].idle)
				continue;
			thread_bar(f, &p->threads[j]);
			shown++;
		}
		fputs("</table></div>\n", f);
		if (shown < n)
			fprintf(f, "<p class=\"mute\">%zu more threads (the busiest are shown)</p>\n",
				n - shown);
		idle_tasks(f, p);
	}
	fputs("</section>\n", f);
}

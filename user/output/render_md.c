// SPDX-License-Identifier: GPL-2.0-only
/*
 * Markdown (GitHub-flavoured) for pull requests and notes
 * (docs/formats.md): a trace's summary, process, thread and wakeup
 * tables and notices; or a comparison's side-by-side table (the rows of
 * compare_report.c) and its verdicts. Every string from the traced
 * program is escaped, so that it cannot break a table or add markup.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "output/columns_report.h"
#include "output/fmt.h"
#include "model/hist.h"
#include "output/render.h"
#include "output/report.h"
#include "model/syscalls.h"

#define MD_MAX_THREADS	50	/* thread rows over all processes */
#define MD_MAX_PROCS	50
#define MD_MAX_EDGES	20
#define MD_IDLE_NAMED	8	/* idle tasks named on their line */
#define MD_MAX_STACKS	40	/* stack rows over all processes */
#define MD_STACKS_PER_REASON	3
#define MD_STACK_FRAMES	8	/* program frames in a stack cell */

/*
 * @s as inline text: markup characters backslash-escaped, HTML's made
 * entities, line breaks and control characters turned into spaces, bytes
 * that are not UTF-8 read as Latin-1 (fmt_utf8()).
 */
static void md_text(FILE *f, const char *text)
{
	char *clean = fmt_utf8_dup(text);
	const char *s = clean ? clean : "?";
	unsigned char c;

	for (; (c = *s); s++) {
		if (c < 0x20 || c == 0x7f)
			fputc(' ', f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '&')
			fputs("&amp;", f);
		else if (strchr("\\`*_[]|#~!", c))
			fprintf(f, "\\%c", c);
		else
			fputc(c, f);
	}
	free(clean);
}

/* A comm: at most KSEE_COMM_LEN bytes, maybe not terminated. */
static void md_comm(FILE *f, const char *comm)
{
	char buf[KSEE_COMM_LEN + 1];

	snprintf(buf, sizeof(buf), "%.*s", KSEE_COMM_LEN, comm);
	md_text(f, buf);
}

static void header_row(FILE *f, const char *const *cols, int n, int left)
{
	int i;

	for (i = 0; i < n; i++)
		fprintf(f, "| %s ", cols[i]);
	fprintf(f, "|\n");
	for (i = 0; i < n; i++)
		fprintf(f, "|%s", i < left ? "---" : "---:");
	fprintf(f, "|\n");
}

/* The per-request bill of all traced processes, one row of the summary table. */
static void md_bill(FILE *f, const struct ks_bill *b)
{
	char t[FMT_LEN], p1[FMT_LEN], p2[FMT_LEN], p3[FMT_LEN], p4[FMT_LEN], p5[FMT_LEN];

	fprintf(f, "| request bill | %llu requests, latency p50 %s: %s on CPU, %s waking up, %s "
		"waiting for a CPU, %s blocked inside, %s off its thread (I/O, then waiting for its "
		"thread", (unsigned long long)b->requests,
		fmt_ns(t, sizeof(t), b->p50_ns),
		fmt_pct(p1, sizeof(p1), b->oncpu_ns, b->latency_ns),
		fmt_pct(p5, sizeof(p5), b->wakelat_ns, b->latency_ns),
		fmt_pct(p2, sizeof(p2), b->runq_ns, b->latency_ns),
		fmt_pct(p3, sizeof(p3), b->blocked_total_ns, b->latency_ns),
		fmt_pct(p4, sizeof(p4), b->off_ns, b->latency_ns));
	if (b->io_ns || b->after_io_ns)
		fprintf(f, ": %s waiting for I/O, %s then for its thread, %s not told apart",
			fmt_pct(p1, sizeof(p1), b->io_ns, b->latency_ns),
			fmt_pct(p2, sizeof(p2), b->after_io_ns, b->latency_ns),
			fmt_pct(p3, sizeof(p3), b->untold_ns, b->latency_ns));
	fputs(") |\n", f);
}

/* Thread-time and its shares, and the tasks idle the whole time: rows of the summary. */
static void md_thread_time(FILE *f, const struct ks_sum *s)
{
	char t[FMT_LEN], p1[FMT_LEN], p2[FMT_LEN], p3[FMT_LEN], p4[FMT_LEN];

	fprintf(f, "| thread-time | %s (each task's time in the trace, summed): %s on CPU, %s "
		"blocked, %s waking up, %s waiting for a CPU |\n",
		fmt_ns(t, sizeof(t), s->thread_ns), fmt_share(p1, sizeof(p1), s->shares.on_cpu),
		fmt_share(p2, sizeof(p2), s->shares.blocked),
		fmt_share(p3, sizeof(p3), s->shares.waking),
		fmt_share(p4, sizeof(p4), s->shares.runq));
	if (s->idle.tasks)
		fprintf(f, "| idle tasks | %u, idle the whole time (docs/metrics.md): %s of "
			"thread-time |\n", s->idle.tasks, fmt_share(p1, sizeof(p1), s->shares.idle));
}

static void print_header(FILE *f, const struct ks_trace *tr)
{
	const struct ksee_drops *d = &tr->drops;
	char b[FMT_LEN];
	int i;

	fprintf(f, "## ksee %s:", tr->mode ? tr->mode : "run");
	for (i = 0; i < tr->argc; i++) {
		fputc(' ', f);
		md_text(f, tr->argv[i]);
	}
	for (i = 0; i < tr->npids; i++)
		fprintf(f, "%s%u", i ? "," : " pid ", tr->pids[i]);
	fprintf(f, "\n\n| | |\n|---|---|\n");
	if (tr->have_exit) {
		if (tr->exit_signal)
			fprintf(f, "| exit | killed by signal %d |\n", tr->exit_signal);
		else
			fprintf(f, "| exit | code %d |\n", tr->exit_code);
	}
	fprintf(f, "| wall | %s |\n", fmt_ns(b, sizeof(b), tr->total.wall_ns));
	fprintf(f, "| processes, tasks | %u, %u |\n", tr->nprocesses, tr->total.tasks);
	fprintf(f, "| on-CPU | %s, parallelism %.2f, peak %u running |\n",
		fmt_ns(b, sizeof(b), tr->total.on_cpu_ns), tr->total.parallelism,
		tr->peak_running_all);
	md_thread_time(f, &tr->total);
	if (tr->total.bill.requests)
		md_bill(f, &tr->total.bill);
	if (!d->ringbuf && !d->tasks && !d->procs && !d->edges && !d->uring && !d->awaits &&
	    !d->events && !d->marks_bad && !d->hists)
		fprintf(f, "| lost | nothing |\n");
	else
		fprintf(f, "| lost | **NOT accounted:** %llu records, %llu tasks, %llu processes, "
			"%llu wakeups, %llu io_uring requests, %llu awaits, %llu timeline events, "
			"%llu marker blocks, %llu histogram counts |\n",
			(unsigned long long)d->ringbuf, (unsigned long long)d->tasks,
			(unsigned long long)d->procs, (unsigned long long)d->edges,
			(unsigned long long)d->uring, (unsigned long long)d->awaits,
			(unsigned long long)d->events, (unsigned long long)d->marks_bad,
			(unsigned long long)d->hists);
	if (tr->kernel[0]) {
		fprintf(f, "| kernel | ");
		md_text(f, tr->kernel);
		fprintf(f, " |\n");
	}
	for (i = 0; i < tr->nnotices; i++) {
		fprintf(f, "%s> **notice:** ", i ? "" : "\n");
		md_text(f, tr->notices[i]);
		fprintf(f, "\n>\n");
	}
}

static void print_processes(FILE *f, const struct ks_trace *tr)
{
	static const char *const cols[] = {
		"PID", "comm", "tasks", "idle tasks", "on-CPU", "parallelism avg/peak",
		"voluntary", "involuntary", "blocked", "mostly in", "waking up",
		"waiting for a CPU", "run-queue p50/p99", "wall", "thread-time",
		"on CPU / blocked (of thread-time)", "state",
	};
	char b1[FMT_LEN], b2[FMT_LEN], b3[FMT_LEN], b4[FMT_LEN], b5[FMT_LEN], b6[FMT_LEN];
	char b7[FMT_LEN], b8[FMT_LEN], p1[FMT_LEN], p2[FMT_LEN];
	const struct ks_process *p;
	const struct ks_sum *s;
	size_t i, shown = 0;

	fprintf(f, "\n### Processes\n\n");
	header_row(f, cols, sizeof(cols) / sizeof(cols[0]), 2);
	for (i = 0; i < tr->nprocs; i++) {
		p = &tr->procs[i];
		s = &p->sum;
		if (!p->nthreads)
			continue;
		if (shown++ == MD_MAX_PROCS) {
			fprintf(f, "\n_%zu more processes left out (`-j` shows all)._\n",
				(size_t)tr->nprocesses - MD_MAX_PROCS);
			break;
		}
		fprintf(f, "| %u | ", p->pid);
		md_comm(f, ks_process_comm(p));
		fprintf(f, " | %u | %u | %s | %.2f/%u | %llu | %llu | %s | %s | %s | %s | %s / %s "
			"| %s | %s | %s / %s | %s |\n",
			s->tasks, s->idle.tasks, fmt_ns(b1, sizeof(b1), s->on_cpu_ns), s->parallelism,
			s->peak_running, (unsigned long long)s->voluntary,
			(unsigned long long)s->involuntary,
			fmt_ns(b2, sizeof(b2), s->blocked_total_ns), ks_sum_mostly_in(s),
			fmt_ns(b7, sizeof(b7), s->wakelat_ns), fmt_ns(b3, sizeof(b3), s->runq_ns),
			fmt_ns(b4, sizeof(b4), hist_percentile(s->runq_hist, KSEE_SLOTS, 0.5)),
			fmt_ns(b5, sizeof(b5), hist_percentile(s->runq_hist, KSEE_SLOTS, 0.99)),
			fmt_ns(b6, sizeof(b6), s->wall_ns), fmt_ns(b8, sizeof(b8), s->thread_ns),
			fmt_share(p1, sizeof(p1), s->shares.on_cpu),
			fmt_share(p2, sizeof(p2), s->shares.blocked), p->alive ? "running" : "exited");
	}
}

/* The tasks idle the whole time, under the table: one line per process and reason. */
static void print_idle(FILE *f, const struct ks_trace *tr)
{
	const struct ks_thread *t[MD_IDLE_NAMED];
	const struct ks_process *p;
	char b[FMT_LEN];
	size_t i, j, n, lines = 0;
	int r;

	for (i = 0; i < tr->nprocs && lines < MD_MAX_PROCS; i++) {
		p = &tr->procs[i];
		for (r = 0; r < KSEE_R_NR; r++) {
			if (!p->sum.idle.tasks_in[r])
				continue;
			fprintf(f, "%s- process %u: %u task%s idle the whole time in %s (%s asleep): ",
				lines++ ? "" : "\n", p->pid, p->sum.idle.tasks_in[r],
				p->sum.idle.tasks_in[r] == 1 ? "" : "s", syscalls_reason_label(r),
				fmt_ns(b, sizeof(b), p->sum.idle.blocked_ns[r]));
			n = ks_idle_tasks(p, r, t, MD_IDLE_NAMED);
			for (j = 0; j < n; j++) {
				fprintf(f, "%s%u ", j ? ", " : "", t[j]->st.tid);
				md_comm(f, t[j]->st.comm);
			}
			if (n < p->sum.idle.tasks_in[r])
				fprintf(f, " and %zu more", p->sum.idle.tasks_in[r] - n);
			fputc('\n', f);
		}
	}
}

static void print_threads(FILE *f, const struct ks_trace *tr)
{
	static const char *const cols[] = {
		"PID", "TID", "comm", "kind", "on-CPU", "on-CPU share", "voluntary",
		"involuntary", "blocked", "mostly in", "waiting for a CPU",
	};
	char b1[FMT_LEN], b2[FMT_LEN], b3[FMT_LEN], pc[FMT_LEN];
	const struct ks_process *p;
	const struct ks_thread *t;
	size_t i, j, shown = 0, total = 0;

	for (i = 0; i < tr->nprocs; i++)
		total += tr->procs[i].nthreads - tr->procs[i].sum.idle.tasks;
	fprintf(f, "\n### Threads\n\n");
	header_row(f, cols, sizeof(cols) / sizeof(cols[0]), 4);
	for (i = 0; i < tr->nprocs && shown < MD_MAX_THREADS; i++) {
		p = &tr->procs[i];
		for (j = 0; j < p->nthreads && shown < MD_MAX_THREADS; j++) {
			t = &p->threads[j];
			if (t->idle)
				continue;
			shown++;
			fprintf(f, "| %u | %u | ", p->pid, t->st.tid);
			md_comm(f, t->st.comm);
			fprintf(f, " | %s | %s | %s | %llu | %llu | %s | %s | %s |\n",
				ks_kind_name(t->kind), fmt_ns(b1, sizeof(b1), t->st.on_cpu_ns),
				fmt_share(pc, sizeof(pc), t->share_on_cpu),
				(unsigned long long)t->st.voluntary,
				(unsigned long long)t->st.involuntary,
				fmt_ns(b2, sizeof(b2), t->blocked_total_ns), ks_thread_mostly_in(t),
				fmt_ns(b3, sizeof(b3), t->st.runq_ns));
		}
	}
	if (shown < total)
		fprintf(f, "\n_%zu of %zu threads shown; %zu left out (`-j` shows all)._\n", shown,
			total, total - shown);
	print_idle(f, tr);
}

static const char *wakee_comm(const struct ks_trace *tr, const struct ks_edge *e)
{
	return ks_thread_comm(tr, e->key.wakee_tgid, e->key.wakee_tid);
}

static void print_edges(FILE *f, const struct ks_trace *tr)
{
	static const char *const cols[] = { "waker", "wakee", "count" };
	size_t i, n = tr->nedges < MD_MAX_EDGES ? tr->nedges : MD_MAX_EDGES;
	const struct ks_edge *e;

	if (!tr->nedges)
		return;
	fprintf(f, "\n### Wakeups: who woke whom (%zu of %zu edges)\n\n", n, tr->nedges);
	header_row(f, cols, 3, 2);
	for (i = 0; i < n; i++) {
		e = &tr->edges[i];
		fprintf(f, "| ");
		if (e->kind == KS_WAKER_INTERRUPT) {
			fprintf(f, "interrupt (timer, device, softirq)");
		} else if (e->kind == KS_WAKER_IDLE) {
			fprintf(f, "idle task");
		} else {
			fprintf(f, "%u ", e->key.waker_tid);
			md_comm(f, e->e.waker_comm);
			if (e->kind == KS_WAKER_EXTERNAL)
				fprintf(f, " (other process)");
			if (e->via_softirq)
				fprintf(f, " via softirq");
		}
		fprintf(f, " | %u ", e->key.wakee_tid);
		md_comm(f, wakee_comm(tr, e));
		fprintf(f, " | %llu |\n", (unsigned long long)e->e.count);
	}
}

/* The findings of @fs under a heading of level @h ("###"), @title after "Findings". */
static void md_findings(FILE *f, const struct ks_findings *fs, const char *h, const char *title)
{
	int i;

	fprintf(f, "\n%s Findings", h);
	md_text(f, title);	/* a column's name is the user's */
	fprintf(f, "\n\nRules and thresholds: docs/findings.md.\n\n");
	if (!fs->n)
		fprintf(f, "None.\n");
	for (i = 0; i < fs->n; i++) {
		const struct ks_finding *x = &fs->list[i];

		fprintf(f, "- **%s** `%s`: ", ks_severity_name(x->severity), x->id);
		md_text(f, x->summary);
		if (x->advice[0]) {
			fprintf(f, "  \n  _next:_ ");
			md_text(f, x->advice);
		}
		fputc('\n', f);
	}
	if (fs->left_out)
		fprintf(f, "- %d more findings not kept\n", fs->left_out);
}

/* One stack in a cell: the program's frames, leaf first, then the kernel's innermost. */
static void md_stack(FILE *f, const struct ks_stack *s)
{
	__u32 i, k, shown = 0;

	for (i = s->nkernel; i < s->nframes && shown < MD_STACK_FRAMES; i++, shown++) {
		fputs(shown ? " < " : "", f);
		md_text(f, s->frames[i].name);
	}
	if (i < s->nframes)
		fputs(" < ...", f);
	/* the kernel's frames below the scheduler's own say where in the kernel */
	for (k = 0; k < s->nkernel && (!strcmp(s->frames[k].name, "__schedule") ||
				       !strcmp(s->frames[k].name, "schedule")); k++)
		;
	if (k < s->nkernel)
		fprintf(f, "%s(kernel: ", shown ? " " : "");
	for (i = k; i < s->nkernel && i < k + 2; i++) {
		fputs(i > k ? " < " : "", f);
		md_text(f, s->frames[i].name);
	}
	if (k < s->nkernel)
		fputs(s->nkernel > k + 2 ? " < ...)" : ")", f);
}

/* --stacks: the top stacks of each process and reason. */
static void print_stacks(FILE *f, const struct ks_trace *tr)
{
	static const char *const cols[] = {
		"PID", "reason", "stack (leaf first)", "blocked", "share", "sleeps", "threads",
	};
	const struct ks_stack_group *g;
	char b[FMT_LEN];
	size_t i, j, n, rows = 0, rank = 0;

	if (!tr->features.stacks)
		return;
	fprintf(f, "\n### Where they slept: top %d stacks per process and reason\n\n",
		MD_STACKS_PER_REASON);
	if (tr->drops.stacks)
		fprintf(f, "_%llu sleeps have no stack (the stack map or ring was full): their time "
			"is in the totals, not here._\n\n", (unsigned long long)tr->drops.stacks);
	header_row(f, cols, sizeof(cols) / sizeof(cols[0]), 3);
	for (i = 0; i < tr->nprocs && rows < MD_MAX_STACKS; i++) {
		g = ks_stacks_of(&tr->stacks, tr->procs[i].pid, &n);
		for (j = 0; j < n && rows < MD_MAX_STACKS; j++) {
			rank = j && g[j].reason == g[j - 1].reason ? rank + 1 : 0;
			if (rank >= MD_STACKS_PER_REASON)
				continue;
			fprintf(f, "| %u | %s | ", g[j].tgid, syscalls_reason_label(g[j].reason));
			md_stack(f, g[j].stack);
			if (g[j].flags & (KS_STACK_TRUNCATED | KS_STACK_UNWIND_ERR))
				fputs(" _(incomplete)_", f);
			if (g[j].flags & KS_STACK_USER_LOST)
				fputs(" _(user stack unknown)_", f);
			if (g[j].flags & KS_STACK_USER_HIDDEN)
				fputs(" _(user stack not shown: another user's process)_", f);
			fprintf(f, " | %s | %.1f%% | %llu | %u |\n", fmt_ns(b, sizeof(b), g[j].blocked_ns),
				100.0 * g[j].share, (unsigned long long)g[j].count, g[j].nthreads);
			rows++;
		}
	}
	if (!tr->stacks.ngroups)
		fprintf(f, "| | | no stack taken | | | | |\n");
}

static void trace_md(FILE *f, const struct ks_trace *tr, const struct ks_events *ev)
{
	print_header(f, tr);
	print_processes(f, tr);
	print_threads(f, tr);
	print_stacks(f, tr);
	print_edges(f, tr);
	if (ev)
		fprintf(f, "\n_Timeline: %llu events recorded, %llu lost; `--format perfetto` or "
			"`--format html` shows them._\n", (unsigned long long)ev->count,
			(unsigned long long)ev->lost);
	md_findings(f, &tr->findings, "###", "");
}

/* A table label: sub-rows ("  in read") keep their indent. */
static void md_label(FILE *f, const char *label)
{
	for (; *label == ' '; label++)
		fputs("&nbsp;", f);
	md_text(f, label);
}

static void compare_table(FILE *f, const struct cmp_run *run)
{
	const struct cmp_result *r;
	char buf[FMT_LEN];
	size_t i;
	int m;

	fprintf(f, "\n| |");
	for (m = 0; m < CMP_NMODELS; m++)
		if (run->res[m].selected)
			fprintf(f, " %s |", cmp_model_name(m));
	fprintf(f, "\n|---|");
	for (m = 0; m < CMP_NMODELS; m++)
		if (run->res[m].selected)
			fprintf(f, "---:|");
	fprintf(f, "\n| status |");
	for (m = 0; m < CMP_NMODELS; m++)
		if (run->res[m].selected)
			fprintf(f, " %s |", cmp_status_name(&run->res[m]));
	fputc('\n', f);
	for (i = 0; i < cmp_table_rows(); i++) {
		fprintf(f, "| ");
		md_label(f, cmp_table_label(i));
		fprintf(f, " |");
		for (m = 0; m < CMP_NMODELS; m++) {
			r = &run->res[m];
			if (!r->selected)
				continue;
			cmp_table_cell(buf, sizeof(buf), i, run, r);
			fputc(' ', f);
			md_text(f, buf);
			fprintf(f, " |");
		}
		fputc('\n', f);
	}
}

static void compare_failures(FILE *f, const struct cmp_run *run)
{
	const struct cmp_result *r;
	bool first = true;
	int m;

	for (m = 0; m < CMP_NMODELS; m++) {
		r = &run->res[m];
		if (!r->selected || (r->ran && !r->failed))
			continue;
		fprintf(f, "%s- **%s**: ", first ? "\n" : "", cmp_model_name(m));
		first = false;
		if (!r->failed) {
			fprintf(f, "not run%s", r->error[0] ? ": " : "");
			md_text(f, r->error);
			fputc('\n', f);
			continue;
		}
		fprintf(f, "FAILED (exit status %d): ", r->exit_status);
		md_text(f, r->error[0] ? r->error : "no error message");
		fputc('\n', f);
	}
}

static void compare_verdicts(FILE *f, const struct cmp_run *run)
{
	const struct cmp_verdict *v;
	int i;

	for (i = 0; i < CMP_NCLAIMS; i++) {
		v = &run->verdicts[i];
		if (!v->id)
			continue;
		if (cmp_verdict_heading(run, i))
			fprintf(f, "\n### C%s\n\nThresholds: docs/verdicts.md.\n\n",
				cmp_verdict_heading(run, i) + 1);
		fprintf(f, "- **%s %s**: ", v->id, cmp_verdict_name(v->kind));
		md_text(f, v->claim);
		fprintf(f, " (");
		md_text(f, v->models);
		fprintf(f, ")");
		if (v->numbers[0]) {
			fprintf(f, "  \n  ");
			md_text(f, v->numbers);
		}
		if (v->note[0]) {
			fprintf(f, "  \n  _note:_ ");
			md_text(f, v->note);
		}
		fputc('\n', f);
	}
}

static void columns_md_body(FILE *f, const struct col_cmp *cc);

static void compare_md(FILE *f, const struct cmp_run *run)
{
	const struct cmp_workload *wl = &run->wl;
	char title[48];
	int m;

	fprintf(f, "## ksee compare\n\n");
	fprintf(f, "Workload: R %lu requests, C %lu in flight, D %lu ms of I/O and W %lu us of CPU "
		"work per request, N %lu workers; %u CPU%s, kernel ", wl->requests,
		wl->concurrency, wl->io_ms, wl->cpu_us, wl->workers, run->ncpus,
		run->ncpus == 1 ? "" : "s");
	md_text(f, run->kernel[0] ? run->kernel : "?");
	fprintf(f, ".\n");
	if (run->interrupted)
		fprintf(f, "\n**Interrupted (Ctrl-C):** what was measured until then.\n");
	compare_table(f, run);
	compare_failures(f, run);
	if (run->repeats) {
		fprintf(f, "\n### Every run\n\nEvery model ran %u times, interleaved; the table "
			"above shows each model's median run (by wall time), this one the median "
			"and range of every number.\n", run->repeat);
		columns_md_body(f, run->repeats);
	}
	compare_verdicts(f, run);
	for (m = 0; m < CMP_NMODELS; m++) {
		if (!run->res[m].selected || !run->res[m].ran)
			continue;
		snprintf(title, sizeof(title), ": %s %s", cmp_model_name(m),
			 cmp_model_is_runtime(m) ? "runtime" : "model");
		md_findings(f, &run->res[m].findings, "####", title);
	}
}

/* A comparison of named columns (compare --cmd, diff): the table, what differs, failures. */
static void columns_md(FILE *f, const struct col_cmp *cc)
{
	const struct cmp_result *r;
	char buf[512];
	unsigned int i;

	col_title(buf, sizeof(buf), cc);
	fprintf(f, "## ");
	md_text(f, buf);
	fprintf(f, "\n\n%u CPU%s, kernel ", cc->ncpus, cc->ncpus == 1 ? "" : "s");
	md_text(f, cc->kernel[0] ? cc->kernel : "?");
	fprintf(f, ".\n\n");
	for (i = 0; i < cc->ncols; i++) {
		fprintf(f, "- **");
		md_text(f, cc->cols[i].name);
		fprintf(f, "**: ");
		md_text(f, cc->cols[i].command);
		fputc('\n', f);
	}
	if (cc->interrupted)
		fprintf(f, "\n**Interrupted (Ctrl-C):** what was measured until then.\n");
	columns_md_body(f, cc);
	for (i = 0; i < cc->ncols; i++) {
		r = col_shown_run(&cc->cols[i]);
		if (!r)
			continue;
		snprintf(buf, sizeof(buf), ": %s%s", cc->cols[i].name,
			 cc->cols[i].nruns > 1 ? " (median run)" : "");
		md_findings(f, &r->findings, "####", buf);
	}
}

/* The table, what differs and the failures of a comparison of named columns. */
static void columns_md_body(FILE *f, const struct col_cmp *cc)
{
	char buf[512];
	unsigned int i;
	int m;

	fprintf(f, "\n| |");
	for (i = 0; i < cc->ncols; i++) {
		fputc(' ', f);
		md_text(f, cc->cols[i].name);
		fprintf(f, " |");
	}
	fprintf(f, "\n|---|");
	for (i = 0; i < cc->ncols; i++)
		fprintf(f, "---:|");
	fprintf(f, "\n| status |");
	for (i = 0; i < cc->ncols; i++) {
		col_status(buf, sizeof(buf), &cc->cols[i]);
		fprintf(f, " %s |", buf);
	}
	fputc('\n', f);
	for (m = 0; m < COL_NMETRICS; m++) {
		if (!col_metric_shown(cc, m))
			continue;
		fprintf(f, "| ");
		md_label(f, col_metric(m)->label);
		fprintf(f, " |");
		for (i = 0; i < cc->ncols; i++) {
			col_cell(buf, sizeof(buf), &cc->cols[i], m);
			fputc(' ', f);
			md_text(f, buf);
			fprintf(f, " |");
		}
		fputc('\n', f);
	}
	fprintf(f, "\n### What differs\n\n");
	if (cc->repeat > 1)
		fprintf(f, "Medians; named only where the ranges of the runs do not overlap.\n\n");
	if (!cc->ndiffs)
		fprintf(f, "- nothing beyond the thresholds\n");
	for (i = 0; i < cc->ndiffs; i++) {
		col_diff_text(buf, sizeof(buf), cc, &cc->diffs[i]);
		fprintf(f, "- ");
		md_text(f, buf);
		fputc('\n', f);
	}
	for (i = 0; i < cc->ncols; i++) {
		if (!cc->cols[i].failed)
			continue;
		fprintf(f, "\n**");
		md_text(f, cc->cols[i].name);
		fprintf(f, " FAILED:** ");
		md_text(f, cc->cols[i].error[0] ? cc->cols[i].error : "no reason recorded");
		fputc('\n', f);
	}
}

int render_markdown(FILE *f, const struct ks_report *r)
{
	if (r->cols)
		columns_md(f, r->cols);
	else if (r->cmp)
		compare_md(f, r->cmp);
	else if (r->tr)
		trace_md(f, r->tr, r->events);
	else
		return -EINVAL;
	if (fflush(f) || ferror(f))
		return -EIO;
	return 0;
}

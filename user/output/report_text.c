// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>
#include "output/report.h"
#include "output/fmt.h"
#include "model/hist.h"
#include "model/syscalls.h"

#define MAX_PROCS_SHOWN 20
#define IDLE_NAMED 8	/* idle tasks named on their line */

/* Only the counters that are not zero, so the line stays short. */
static void print_drops(FILE *f, const struct ksee_drops *d)
{
	const struct {
		__u64 n;
		const char *what;
	} c[] = {
		{ d->ringbuf, "records (ring buffer full)" },
		{ d->tasks, "tasks" },
		{ d->procs, "processes" },
		{ d->edges, "wakeups" },
		{ d->uring, "io_uring requests" },
		{ d->awaits, "awaits or requests (USDT markers: map full)" },
		{ d->marks_bad, "marker blocks (unreadable, not a block, or from another version of "
				"<ksee/usdt.h>: rebuild the program, or use --markers=usdt)" },
		{ d->events, "timeline events" },
		{ d->stacks, "sleeps' stacks (--stacks)" },
		{ d->hists, "histogram counts (a task's bucket was full, or no room for a bill's)" },
	};
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (c[i].n)
			fprintf(f, "%s%llu %s", n++ ? ", " : "SOME, NOT accounted:\n  ",
				(unsigned long long)c[i].n, c[i].what);
	fprintf(f, "%s\n", n ? "" : "nothing");
	if (d->switches_inferred)
		fprintf(f, "  (%llu switch-ins had no sched_switch event; timed from the kernel's run time)\n",
			(unsigned long long)d->switches_inferred);
}

/* The per-request bill: parts of the requests' time, in the order of a request's life. */
static void print_bill(FILE *f, const struct ks_bill *b)
{
	char b1[FMT_LEN], b2[FMT_LEN], b3[FMT_LEN], p1[FMT_LEN], p2[FMT_LEN], p3[FMT_LEN];
	char p4[FMT_LEN], p5[FMT_LEN];

	if (!b->requests)
		return;
	fprintf(f, "  bill          %llu requests, latency p50 %s, p99 %s; of their time:\n",
		(unsigned long long)b->requests,
		fmt_ns(b1, sizeof(b1), b->p50_ns),
		fmt_ns(b2, sizeof(b2), b->p99_ns));
	fprintf(f, "                on CPU %s, waking up %s, waiting for a CPU %s, blocked inside "
		"%s\n", fmt_pct(p1, sizeof(p1), b->oncpu_ns, b->latency_ns),
		fmt_pct(p5, sizeof(p5), b->wakelat_ns, b->latency_ns),
		fmt_pct(p2, sizeof(p2), b->runq_ns, b->latency_ns),
		fmt_pct(p3, sizeof(p3), b->blocked_total_ns, b->latency_ns));
	if (!b->io_ns && !b->after_io_ns) {
		fprintf(f, "                off its thread %s (waiting for I/O, then for its thread: "
			"not told apart); total %s\n",
			fmt_pct(p4, sizeof(p4), b->off_ns, b->latency_ns),
			fmt_ns(b3, sizeof(b3), b->latency_ns));
		return;
	}
	fprintf(f, "                off its thread %s: waiting for I/O %s, then for its thread %s,\n"
		"                not told apart %s; total %s\n",
		fmt_pct(p4, sizeof(p4), b->off_ns, b->latency_ns),
		fmt_pct(p1, sizeof(p1), b->io_ns, b->latency_ns),
		fmt_pct(p2, sizeof(p2), b->after_io_ns, b->latency_ns),
		fmt_pct(p3, sizeof(p3), b->untold_ns, b->latency_ns),
		fmt_ns(b3, sizeof(b3), b->latency_ns));
}

static void print_header(FILE *f, const struct ks_trace *tr)
{
	char b[FMT_LEN];
	int i;

	fprintf(f, "ksee %s:", tr->mode ? tr->mode : "run");
	for (i = 0; i < tr->argc && i < 8; i++) {
		char arg[FMT_VISIBLE(256)];

		fprintf(f, " %s", fmt_visible(arg, sizeof(arg), tr->argv[i]));
	}
	if (tr->argc > 8)
		fprintf(f, " ...");
	for (i = 0; i < tr->npids; i++)
		fprintf(f, "%s%u", i ? "," : " pid ", tr->pids[i]);
	if (tr->have_exit) {
		if (tr->exit_signal)
			fprintf(f, ", killed by signal %d", tr->exit_signal);
		else
			fprintf(f, ", exit code %d", tr->exit_code);
	}
	fputc('\n', f);
	fprintf(f, "traced %s: %u process%s, %u task%s; lost: ", fmt_ns(b, sizeof(b), tr->total.wall_ns),
		tr->nprocesses, tr->nprocesses == 1 ? "" : "es",
		tr->total.tasks, tr->total.tasks == 1 ? "" : "s");
	print_drops(f, &tr->drops);
	for (i = 0; i < tr->nnotices; i++)
		fprintf(f, "notice: %s\n", tr->notices[i]);
}

/* Blocked time by reason, each a share of thread-time, and how much of it idle tasks slept. */
static void print_reasons(FILE *f, const struct ks_sum *s)
{
	char b[FMT_LEN], p[FMT_LEN], b2[FMT_LEN], item[128];
	int r, shown = 0, col = 16, n;

	fprintf(f, "    blocked in  ");
	for (r = 0; r < KSEE_R_NR; r++) {
		if (!s->blocked_ns[r])
			continue;
		n = snprintf(item, sizeof(item), "%s %s (%s", syscalls_reason_label(r),
			     fmt_ns(b, sizeof(b), s->blocked_ns[r]),
			     fmt_share(p, sizeof(p), s->shares.reason[r]));
		if (s->idle.tasks_in[r] && n > 0 && (size_t)n < sizeof(item))
			n += snprintf(item + n, sizeof(item) - n, "; %s of it in %u idle task%s",
				      fmt_ns(b2, sizeof(b2), s->idle.blocked_ns[r]),
				      s->idle.tasks_in[r], s->idle.tasks_in[r] == 1 ? "" : "s");
		if (n > 0 && (size_t)n < sizeof(item))
			n += snprintf(item + n, sizeof(item) - n, ")");
		if (shown && col + 2 + n > 98) {
			fprintf(f, ",\n%16s", "");
			col = 16;
		} else if (shown) {
			col += fprintf(f, ", ");
		}
		col += fprintf(f, "%s", item);
		shown++;
	}
	fprintf(f, "%s\n", shown ? "" : "nothing");
}

/*
 * The wait lines: the I/O families first (syscalls_family_is_io), then
 * the other named families; "no syscall" and "other" are not calls to list.
 */
static size_t wait_families(int *out)
{
	size_t n = 0;
	int io, r;

	for (io = 1; io >= 0; io--)
		for (r = KSEE_R_NONE + 1; r < KSEE_R_OTHER; r++)
			if (syscalls_family_is_io(r) == io)
				out[n++] = r;
	return n;
}

static const char *io_call_name(int r)
{
	return r == KSEE_R_EPOLL ? "epoll_wait" : r == KSEE_R_IO_URING ? "io_uring_enter" :
	       syscalls_family_name(r);
}

/* Without --syscalls: sleeps in calls of a family, no call counts. */
static void print_io_blocked(FILE *f, const struct ks_sum *s)
{
	const char *lead = "  I/O waits     ";
	char b[FMT_LEN];
	bool shown = false;
	int fam[KSEE_R_NR];
	size_t i, n = wait_families(fam);

	for (i = 0; i < n; i++) {
		const struct ksee_sys *sy = &s->sys[fam[i]];

		if (!sy->blocked_calls)
			continue;
		fprintf(f, "%s%s: blocked %llu time%s (%s)", lead, io_call_name(fam[i]),
			(unsigned long long)sy->blocked_calls, sy->blocked_calls == 1 ? "" : "s",
			fmt_ns(b, sizeof(b), sy->blocked_ns));
		if (fam[i] == KSEE_R_IO_URING && s->uring_submitted)
			fprintf(f, ", %llu SQEs submitted", (unsigned long long)s->uring_submitted);
		fputc('\n', f);
		lead = "                ";
		shown = true;
	}
	if (shown)
		fprintf(f, "%s(calls, events returned: --syscalls)\n", lead);
}

static void print_io(FILE *f, const struct ks_sum *s)
{
	const struct ksee_sys *ep = &s->sys[KSEE_R_EPOLL], *ur = &s->sys[KSEE_R_IO_URING];
	const char *lead = "  I/O waits     ";
	char b[FMT_LEN];
	int fam[KSEE_R_NR];
	size_t i, n = wait_families(fam);

	if (!s->syscalls) {
		print_io_blocked(f, s);
		return;
	}
	if (ep->calls) {
		fprintf(f, "%sepoll_wait: %llu calls, %llu blocked (%s), %llu events\n", lead,
			(unsigned long long)ep->calls, (unsigned long long)ep->blocked_calls,
			fmt_ns(b, sizeof(b), ep->blocked_ns), (unsigned long long)s->epoll_events);
		lead = "                ";
	}
	if (ur->calls) {
		fprintf(f, "%sio_uring_enter: %llu calls, %llu SQEs, %llu waits, %llu blocked (%s)\n",
			lead, (unsigned long long)ur->calls,
			(unsigned long long)s->uring_submitted, (unsigned long long)s->uring_waits,
			(unsigned long long)ur->blocked_calls, fmt_ns(b, sizeof(b), ur->blocked_ns));
		lead = "                ";
	}
	for (i = 0; i < n; i++) {
		const struct ksee_sys *sy = &s->sys[fam[i]];

		/* epoll and io_uring have their own lines above */
		if (!sy->calls || fam[i] == KSEE_R_EPOLL || fam[i] == KSEE_R_IO_URING)
			continue;
		fprintf(f, "%s%s: %llu calls, %llu blocked (%s)\n", lead,
			syscalls_family_name(fam[i]), (unsigned long long)sy->calls,
			(unsigned long long)sy->blocked_calls, fmt_ns(b, sizeof(b), sy->blocked_ns));
		lead = "                ";
	}
}

static void print_markers(FILE *f, const struct ks_markers *m)
{
	char b1[FMT_LEN], b2[FMT_LEN];

	if (!m->requests_started && !m->awaits && !m->resumes_unmatched)
		return;
	fprintf(f, "  markers       %llu requests (%llu done), %llu awaits, %llu resumes",
		(unsigned long long)m->requests_started, (unsigned long long)m->requests_done,
		(unsigned long long)m->awaits, (unsigned long long)m->resumes);
	if (m->same_thread_share >= 0)
		fprintf(f, ", %.0f%% on the awaiting thread", 100 * m->same_thread_share);
	if (m->path[0])
		fprintf(f, " (read by %s)", m->path);
	fputc('\n', f);
	if (m->resumes_unmatched)
		fprintf(f, "                %llu resumes without a seen await\n",
			(unsigned long long)m->resumes_unmatched);
	if (m->collisions)
		fprintf(f, "                %llu awaits lost to another id in the same slot of the "
			"marker table (their resumes count as unmatched)\n",
			(unsigned long long)m->collisions);
	if (m->voluntary_per_await >= 0)
		fprintf(f, "                %.3f voluntary switches per await; await to resume p50 %s, "
			"p99 %s\n", m->voluntary_per_await,
			fmt_ns(b1, sizeof(b1), hist_percentile(m->await_hist, KSEE_SLOTS, 0.5)),
			fmt_ns(b2, sizeof(b2), hist_percentile(m->await_hist, KSEE_SLOTS, 0.99)));
}

/*
 * Thread-time, the whole that a process's percentages are of: several
 * tasks at once add up to more than the wall time.
 */
static void print_thread_time(FILE *f, const struct ks_sum *s)
{
	char b[FMT_LEN], p1[FMT_LEN], p2[FMT_LEN], p3[FMT_LEN], p4[FMT_LEN];
	const struct ks_shares *sh = &s->shares;

	fprintf(f, "  thread-time   %s (each task's time in the trace, summed): on CPU %s, "
		"blocked %s,\n", fmt_ns(b, sizeof(b), s->thread_ns),
		fmt_share(p1, sizeof(p1), sh->on_cpu), fmt_share(p2, sizeof(p2), sh->blocked));
	fprintf(f, "                waking up %s, waiting for a CPU %s", fmt_share(p3, sizeof(p3),
		sh->waking), fmt_share(p4, sizeof(p4), sh->runq));
	if (s->idle.tasks)
		fprintf(f, "; idle tasks %s", fmt_share(p1, sizeof(p1), sh->idle));
	fputc('\n', f);
}

static void print_sum(FILE *f, const struct ks_sum *s)
{
	char b1[FMT_LEN], b2[FMT_LEN], b3[FMT_LEN], b4[FMT_LEN];

	fprintf(f, "  tasks         %u (%u kernel-created io_uring workers)", s->tasks,
		s->kernel_workers);
	if (s->idle.tasks)
		fprintf(f, "; %u idle the whole time", s->idle.tasks);
	fputc('\n', f);
	print_thread_time(f, s);
	fprintf(f, "  on-CPU        %s   parallelism %.2f (on-CPU / wall), peak %u running at once\n",
		fmt_ns(b1, sizeof(b1), s->on_cpu_ns), s->parallelism, s->peak_running);
	fprintf(f, "  switches      %llu voluntary, %llu involuntary; %llu migrations; "
		"%llu wakeups received\n",
		(unsigned long long)s->voluntary, (unsigned long long)s->involuntary,
		(unsigned long long)s->migrations, (unsigned long long)s->wakeups);
	fprintf(f, "  off-CPU       %s = blocked %s + waking up %s + waiting for a CPU %s\n",
		fmt_ns(b1, sizeof(b1), s->blocked_total_ns + s->wakelat_ns + s->runq_ns),
		fmt_ns(b2, sizeof(b2), s->blocked_total_ns), fmt_ns(b3, sizeof(b3), s->wakelat_ns),
		fmt_ns(b4, sizeof(b4), s->runq_ns));
	print_reasons(f, s);
	if (s->uninterruptible_ns)
		fprintf(f, "    of which uninterruptible (D): %s\n",
			fmt_ns(b1, sizeof(b1), s->uninterruptible_ns));
	fprintf(f, "  run-queue     %llu waits, latency p50 %s, p99 %s\n",
		(unsigned long long)s->runq_count,
		fmt_ns(b1, sizeof(b1), hist_percentile(s->runq_hist, KSEE_SLOTS, 0.50)),
		fmt_ns(b2, sizeof(b2), hist_percentile(s->runq_hist, KSEE_SLOTS, 0.99)));
	fprintf(f, "  wake-up       %llu wakeups timed, latency p50 %s, p99 %s (wakeup to enqueued)\n",
		(unsigned long long)s->wakelat_count,
		fmt_ns(b1, sizeof(b1), hist_percentile(s->wakelat_hist, KSEE_SLOTS, 0.50)),
		fmt_ns(b2, sizeof(b2), hist_percentile(s->wakelat_hist, KSEE_SLOTS, 0.99)));
	print_io(f, s);
	print_markers(f, &s->markers);
	print_bill(f, &s->bill);
}

static void print_uring_ops(FILE *f, const struct ks_process *p)
{
	char b[FMT_LEN];
	const char *name;
	__u64 done = 0;
	size_t i;

	if (!p->nops)
		return;
	fprintf(f, "  io_uring      requests by opcode: count, punted to io-wq, avg latency\n");
	for (i = 0; i < p->nops; i++) {
		const struct ksee_uring_op *op = &p->ops[i].op;

		name = syscalls_uring_op_name(p->ops[i].opcode);
		fprintf(f, "                %-14s %8llu %8llu  %s\n", name ? name : "?",
			(unsigned long long)op->count, (unsigned long long)op->punted,
			fmt_ns(b, sizeof(b), op->count ? op->latency_ns / op->count : 0));
		done += op->count;
	}
	/* the kernel posts some completions without its tracepoint: never a silent gap */
	if (done < p->sum.uring_submitted)
		fprintf(f, "                completions of %llu of the %llu requests submitted; the rest "
			"were in flight at\n                the end, or the kernel completed them "
			"without its io_uring_complete event\n", (unsigned long long)done,
			(unsigned long long)p->sum.uring_submitted);
}

static void print_cpus(char *buf, size_t len, __u64 mask)
{
	size_t used = 0;
	int c;

	buf[0] = 0;
	for (c = 0; c < 64 && used + 4 < len; c++)
		if (mask & (1ULL << c))
			used += snprintf(buf + used, len - used, "%s%d", used ? "," : "", c);
	if (!used)
		snprintf(buf, len, "-");
}

/* A comm (at most KSEE_COMM_LEN bytes, maybe not terminated) made visible. */
static const char *comm_visible(char *buf, size_t len, const char *comm)
{
	char c[KSEE_COMM_LEN + 1];

	snprintf(c, sizeof(c), "%.*s", KSEE_COMM_LEN, comm);
	return fmt_visible(buf, len, c);
}

/*
 * The tasks idle the whole time, one line per reason, named rather than
 * listed in the table: "4 tasks idle the whole time in futex: 12 a, 13 b".
 */
static void print_idle(FILE *f, const struct ks_process *p)
{
	char line[1024], first[96], comm[FMT_VISIBLE(KSEE_COMM_LEN)], b[FMT_LEN];
	const struct ks_thread *t[IDLE_NAMED];
	size_t i, n;
	int r;

	for (r = 0; r < KSEE_R_NR; r++) {
		if (!p->sum.idle.tasks_in[r])
			continue;
		line[0] = 0;
		n = ks_idle_tasks(p, r, t, IDLE_NAMED);
		for (i = 0; i < n; i++)
			ks_appendf(line, sizeof(line), "%s%u %s", i ? ", " : "", t[i]->st.tid,
				   comm_visible(comm, sizeof(comm), t[i]->st.comm));
		if (n < p->sum.idle.tasks_in[r])
			ks_appendf(line, sizeof(line), " and %zu more", p->sum.idle.tasks_in[r] - n);
		snprintf(first, sizeof(first), "  %u task%s idle the whole time in %s (%s asleep):",
			 p->sum.idle.tasks_in[r], p->sum.idle.tasks_in[r] == 1 ? "" : "s",
			 syscalls_reason_label(r), fmt_ns(b, sizeof(b), p->sum.idle.blocked_ns[r]));
		fmt_wrap(f, first, 10, 100, line);
	}
}

static void print_threads(FILE *f, const struct ks_process *p, unsigned int max)
{
	char b1[FMT_LEN], b2[FMT_LEN], b3[FMT_LEN], cpus[24], comm[FMT_VISIBLE(KSEE_COMM_LEN)];
	char pct[FMT_LEN];
	size_t i, n = 0, active = p->nthreads - p->sum.idle.tasks;

	if (active)
		fprintf(f, "\n  %-7s %-15s %-9s %9s %4s %6s %5s %9s %-9s %9s %s\n", "TID", "COMM",
			"KIND", "ON-CPU", "ON%", "VOL", "INVOL", "BLOCKED", "MOSTLY IN", "RUNQ",
			"CPUS");
	else
		fputc('\n', f);
	for (i = 0; i < p->nthreads && (!max || n < max); i++) {
		const struct ks_thread *t = &p->threads[i];

		if (t->idle)
			continue;
		n++;
		print_cpus(cpus, sizeof(cpus), t->st.cpus_mask);
		fprintf(f, "  %-7u %-15s %-9s %9s %4s %6llu %5llu %9s %-9s %9s %s\n", t->st.tid,
			comm_visible(comm, sizeof(comm), t->st.comm), ks_kind_name(t->kind),
			fmt_ns(b1, sizeof(b1), t->st.on_cpu_ns),
			fmt_share(pct, sizeof(pct), t->share_on_cpu),
			(unsigned long long)t->st.voluntary, (unsigned long long)t->st.involuntary,
			fmt_ns(b2, sizeof(b2), t->blocked_total_ns), ks_thread_mostly_in(t),
			fmt_ns(b3, sizeof(b3), t->st.runq_ns), cpus);
	}
	if (n < active)
		fprintf(f, "  ... %zu more threads (--threads 0 shows all)\n", active - n);
	print_idle(f, p);
}

static void print_process(FILE *f, const struct ks_trace *tr, const struct ks_process *p,
			  const struct report_opts *o)
{
	static const char *const role[] = {
		[KS_ROLE_TARGET] = "", [KS_ROLE_FORK] = ", forked from it, no exec",
		[KS_ROLE_EXEC] = ", forked from it, then exec'd",
	};
	char b[FMT_LEN], comm[FMT_VISIBLE(KSEE_COMM_LEN)];

	fprintf(f, "\nprocess %u %s (uid %u, parent %u%s), wall %s, %s\n", p->pid,
		comm_visible(comm, sizeof(comm), ks_process_comm(p)),
		p->have_kp ? p->kp.uid : p->threads[0].st.uid,
		p->have_kp ? p->kp.ppid : p->threads[0].st.ppid, role[p->role],
		fmt_ns(b, sizeof(b), p->sum.wall_ns), p->alive ? "still running" : "exited");
	print_sum(f, &p->sum);
	print_uring_ops(f, p);
	report_text_stacks(f, tr, p, o->stacks_top);
	print_threads(f, p, o->max_threads);
}

static void print_edges(FILE *f, const struct ks_trace *tr, unsigned int max)
{
	char waker[48 + FMT_VISIBLE(KSEE_COMM_LEN)], wakee[32 + FMT_VISIBLE(KSEE_COMM_LEN)];
	char c1[FMT_VISIBLE(KSEE_COMM_LEN)], c2[FMT_VISIBLE(KSEE_COMM_LEN)];
	size_t i, n = tr->nedges;

	if (!n)
		return;
	if (max && n > max)
		n = max;
	fprintf(f, "\nwakeups: who woke whom (%zu of %zu edges)\n", n, tr->nedges);
	fprintf(f, "  %-40s    %-28s %8s\n", "WAKER", "WAKEE", "COUNT");
	for (i = 0; i < n; i++) {
		const struct ks_edge *e = &tr->edges[i];
		const char *comm = ks_thread_comm(tr, e->key.wakee_tgid, e->key.wakee_tid);

		if (e->kind == KS_WAKER_INTERRUPT)
			snprintf(waker, sizeof(waker), "interrupt (timer, device, softirq)");
		else if (e->kind == KS_WAKER_IDLE)
			snprintf(waker, sizeof(waker), "idle task");
		else
			snprintf(waker, sizeof(waker), "%u %s%s%s", e->key.waker_tid,
				 comm_visible(c1, sizeof(c1), e->e.waker_comm),
				 e->kind == KS_WAKER_EXTERNAL ? " (other process)" : "",
				 e->via_softirq ? " via softirq" : "");
		snprintf(wakee, sizeof(wakee), "%u %s", e->key.wakee_tid,
			 comm_visible(c2, sizeof(c2), comm));
		fprintf(f, "  %-40s -> %-28s %8llu\n", waker, wakee, (unsigned long long)e->e.count);
	}
}

static void print_hists(FILE *f, const struct ks_sum *s)
{
	fprintf(f, "\noff-CPU intervals, all tasks (switch-out to switch-in)\n");
	hist_print_log2(f, s->off_hist, KSEE_SLOTS, "");
	fprintf(f, "\nrun-queue wait, all tasks (enqueued to switch-in, as the kernel counts it)\n");
	hist_print_log2(f, s->runq_hist, KSEE_SLOTS, "");
	fprintf(f, "\nwake-up latency, all tasks (wakeup to enqueued on a run queue)\n");
	hist_print_log2(f, s->wakelat_hist, KSEE_SLOTS, "");
	if (hist_total(s->epoll_hist, KSEE_SLOTS)) {
		fprintf(f, "\nepoll wait calls, duration\n");
		hist_print_log2(f, s->epoll_hist, KSEE_SLOTS, "");
	}
	if (hist_total(s->uring_hist, KSEE_SLOTS)) {
		fprintf(f, "\nio_uring requests, submit to complete\n");
		hist_print_log2(f, s->uring_hist, KSEE_SLOTS, "");
	}
}

void report_findings_text(FILE *f, const struct ks_findings *fs, const char *whose)
{
	char first[64];
	int i;

	if (!fs->n) {
		fprintf(f, "\nfindings%s: none (rules: docs/findings.md)\n", whose);
		return;
	}
	fprintf(f, "\nfindings%s (rules and thresholds: docs/findings.md)\n", whose);
	for (i = 0; i < fs->n; i++) {
		const struct ks_finding *x = &fs->list[i];

		snprintf(first, sizeof(first), "  %s %s:", ks_severity_name(x->severity), x->id);
		fmt_wrap(f, first, 4, 100, x->summary);
		if (x->advice[0])
			fmt_wrap(f, "    next:", 10, 100, x->advice);
	}
	if (fs->left_out)
		fprintf(f, "  ... %d more findings not kept\n", fs->left_out);
}

void report_text(FILE *f, const struct ks_trace *tr, const struct report_opts *o)
{
	size_t i, shown = 0;

	print_header(f, tr);
	if (tr->nprocesses > 1) {
		fprintf(f, "\nall %u processes together\n", tr->nprocesses);
		print_sum(f, &tr->total);
	}
	for (i = 0; i < tr->nprocs; i++) {
		if (!tr->procs[i].nthreads)
			continue;
		if (shown++ == MAX_PROCS_SHOWN) {
			fprintf(f, "\n... %zu more processes (-j shows all)\n",
				(size_t)tr->nprocesses - MAX_PROCS_SHOWN);
			break;
		}
		print_process(f, tr, &tr->procs[i], o);
	}
	print_edges(f, tr, o->max_edges);
	if (o->histograms)
		print_hists(f, &tr->total);
	report_findings_text(f, &tr->findings, "");
}

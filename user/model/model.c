// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "model/model.h"
#include "model/syscalls.h"
#include "model/hist.h"

void ks_trace_init(struct ks_trace *tr)
{
	memset(tr, 0, sizeof(*tr));
	tr->features.sched = tr->features.syscalls = tr->features.io_uring = true;
	tr->features.irq = true;
	tr->cpus_free = -1;
}

void ks_trace_free(struct ks_trace *tr)
{
	size_t i;
	int n;

	for (i = 0; i < tr->nprocs; i++) {
		free(tr->procs[i].threads);
		free(tr->procs[i].ops);
		free(tr->procs[i].bill_hist);
	}
	for (n = 0; n < tr->nnotices; n++)
		free(tr->notices[n]);
	free(tr->procs);
	free(tr->pid_index);
	free(tr->edges);
	ks_stacks_free(&tr->stacks);
	memset(tr, 0, sizeof(*tr));
}

/* Make room for one more element of @size in *@arr; 0 or -ENOMEM. */
static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	/* large elements (a thread is 1.2 KB) start with room for one: most processes have one */
	ncap = *cap ? *cap * 2 : size >= 1024 ? 1 : 16;
	p = realloc(*arr, ncap * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

int ks_trace_notice(struct ks_trace *tr, const char *msg)
{
	char *s;

	if (tr->nnotices >= KS_MAX_NOTICES)
		return 0;
	s = strdup(msg);
	if (!s)
		return -ENOMEM;
	tr->notices[tr->nnotices++] = s;
	return 0;
}

/*
 * Processes by pid: a hash index over procs[], so that a trace of tens of
 * thousands of short-lived processes takes them in at the pace they come.
 */
static size_t slot_of(__u32 pid, size_t cap)
{
	return (pid * 2654435761u) & (cap - 1);
}

static void index_put(struct ks_trace *tr, size_t i)
{
	size_t s = slot_of(tr->procs[i].pid, tr->index_cap);

	while (tr->pid_index[s])
		s = (s + 1) & (tr->index_cap - 1);
	tr->pid_index[s] = i + 1;
}

/* (Re)build the index for at least @n processes; 0 or -ENOMEM. */
static int index_build(struct ks_trace *tr, size_t n)
{
	size_t cap = 64, i;
	__u32 *idx;

	while (cap < 2 * n + 2)
		cap *= 2;
	idx = calloc(cap, sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	free(tr->pid_index);
	tr->pid_index = idx;
	tr->index_cap = cap;
	for (i = 0; i < tr->nprocs; i++)
		index_put(tr, i);
	return 0;
}

struct ks_process *ks_trace_find(const struct ks_trace *tr, __u32 pid)
{
	struct ks_trace *w = (struct ks_trace *)tr;	/* the index is a cache */
	size_t s, i;

	if (!tr->index_cap && (!tr->nprocs || index_build(w, tr->nprocs))) {
		for (i = 0; i < tr->nprocs; i++)
			if (tr->procs[i].pid == pid)
				return &w->procs[i];
		return NULL;
	}
	for (s = slot_of(pid, tr->index_cap); tr->pid_index[s]; s = (s + 1) & (tr->index_cap - 1))
		if (tr->procs[tr->pid_index[s] - 1].pid == pid)
			return &w->procs[tr->pid_index[s] - 1];
	return NULL;
}

const char *ks_thread_comm(const struct ks_trace *tr, __u32 tgid, __u32 tid)
{
	const struct ks_process *p = ks_trace_find(tr, tgid);
	size_t j;

	for (j = 0; p && j < p->nthreads; j++)
		if (p->threads[j].st.tid == tid)
			return p->threads[j].st.comm;
	return "?";
}

static struct ks_process *find_or_add(struct ks_trace *tr, __u32 pid)
{
	struct ks_process *p = ks_trace_find(tr, pid);

	if (p)
		return p;
	if (grow((void **)&tr->procs, &tr->cap_procs, tr->nprocs, sizeof(*tr->procs)))
		return NULL;
	if (2 * (tr->nprocs + 1) + 2 > tr->index_cap && index_build(tr, tr->nprocs + 1))
		return NULL;
	p = &tr->procs[tr->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	index_put(tr, tr->nprocs - 1);
	return p;
}

static enum ks_thread_kind kind_of(const struct ksee_task_stats *st)
{
	if (st->flags & (KSEE_TF_IO_WORKER | KSEE_TF_SQPOLL))
		return strncmp(st->comm, "iou-sqp", 7) == 0 ? KS_KIND_SQPOLL : KS_KIND_IO_WORKER;
	return st->tid == st->tgid ? KS_KIND_MAIN : KS_KIND_THREAD;
}

int ks_trace_add_task(struct ks_trace *tr, const struct ksee_task *kt, bool alive)
{
	struct ks_process *p = find_or_add(tr, kt->st.tgid);
	struct ks_thread *t;

	if (!p || grow((void **)&p->threads, &p->cap_threads, p->nthreads, sizeof(*p->threads)))
		return -ENOMEM;
	t = &p->threads[p->nthreads++];
	t->st = kt->st;
	t->kind = kind_of(&kt->st);
	t->alive = alive;
	return 0;
}

int ks_trace_add_proc(struct ks_trace *tr, const struct ksee_proc *kp, bool alive)
{
	struct ks_process *p = find_or_add(tr, kp->tgid);

	if (!p)
		return -ENOMEM;
	p->kp = *kp;
	p->have_kp = true;
	p->alive = alive;
	return 0;
}

int ks_trace_add_bill(struct ks_trace *tr, __u32 tgid, const __u64 *slots)
{
	struct ks_process *p = find_or_add(tr, tgid);

	if (!p)
		return -ENOMEM;
	if (!p->bill_hist) {
		p->bill_hist = calloc(KSEE_BILL_SLOTS, sizeof(*p->bill_hist));
		if (!p->bill_hist)
			return -ENOMEM;
	}
	hist_add(p->bill_hist, slots, KSEE_BILL_SLOTS);
	return 0;
}

int ks_trace_add_edge(struct ks_trace *tr, const struct ksee_edge_key *k, const struct ksee_edge *e)
{
	struct ks_edge *ed;

	if (grow((void **)&tr->edges, &tr->cap_edges, tr->nedges, sizeof(*tr->edges)))
		return -ENOMEM;
	ed = &tr->edges[tr->nedges++];
	ed->key = *k;
	ed->e = *e;
	if (k->waker_tgid == KSEE_WAKER_IRQ)
		ed->kind = KS_WAKER_INTERRUPT;
	else if (k->waker_tid == 0)
		ed->kind = KS_WAKER_IDLE;
	else if (k->waker_tgid == k->wakee_tgid)
		ed->kind = KS_WAKER_THREAD;
	else
		ed->kind = KS_WAKER_EXTERNAL;
	ed->via_softirq = (k->flags & KSEE_EDGE_SOFTIRQ) && ed->kind != KS_WAKER_INTERRUPT;
	return 0;
}

/* Up to the histograms, the kernel's stats are the model's, field by field. */
_Static_assert(offsetof(struct ksee_kstats, wakelat_ns) ==
	       offsetof(struct ksee_task_stats, off_hist), "stats prefix differs");
_Static_assert(offsetof(struct ksee_kstats, tid) - offsetof(struct ksee_kstats, off_hist) ==
	       3 * KSEE_SLOTS * sizeof(__u32), "kernel histograms are not 32-bit");
_Static_assert(sizeof(struct ksee_kstats) - offsetof(struct ksee_kstats, tid) ==
	       sizeof(struct ksee_task_stats) - offsetof(struct ksee_task_stats, tid),
	       "identity fields differ");

void ks_task_widen(struct ksee_task *kt, const struct ksee_ktask *k)
{
	struct ksee_task_stats *st = &kt->st;
	int i;

	memcpy(st, &k->st, offsetof(struct ksee_kstats, wakelat_ns));
	st->wakelat_ns = k->st.wakelat_ns;
	st->wakelat_count = k->st.wakelat_count;
	for (i = 0; i < KSEE_SLOTS; i++) {
		st->off_hist[i] = k->st.off_hist[i];
		st->runq_hist[i] = k->st.runq_hist[i];
		st->wakelat_hist[i] = k->st.wakelat_hist[i];
	}
	memcpy(&st->tid, &k->st.tid, sizeof(*st) - offsetof(struct ksee_task_stats, tid));
	kt->now = k->now;
}

int ks_trace_add_pending_edge(struct ks_trace *tr, const struct ksee_task *kt)
{
	struct ksee_edge_key k = {
		.wakee_tgid = kt->st.tgid,
		.wakee_tid = kt->st.tid,
		.waker_tid = kt->now.waker_tid,
		.waker_tgid = kt->now.waker_tgid,
		.flags = kt->now.waker_flags,
	};
	struct ksee_edge e = { .count = kt->now.waker_pending };

	if (!e.count)
		return 0;
	memcpy(e.waker_comm, kt->now.waker_comm, sizeof(e.waker_comm));
	e.waker_comm[KSEE_COMM_LEN - 1] = 0;
	return ks_trace_add_edge(tr, &k, &e);
}

int ks_trace_add_uring(struct ks_trace *tr, const struct ksee_uring_key *k,
		       const struct ksee_uring_op *op)
{
	struct ks_process *p = find_or_add(tr, k->tgid);
	struct ks_uring_op *o;

	if (!p || grow((void **)&p->ops, &p->cap_ops, p->nops, sizeof(*p->ops)))
		return -ENOMEM;
	o = &p->ops[p->nops++];
	o->opcode = k->opcode;
	o->op = *op;
	return 0;
}

void ks_task_settle(struct ksee_task *kt, __u64 now)
{
	__u64 out = kt->now.switch_out_ns, wake = kt->now.wake_ns, blocked, runq = 0;
	__u32 reason = kt->now.reason_out;

	if (kt->now.switch_in_ns) {
		if (now > kt->now.switch_in_ns)
			kt->st.on_cpu_ns += now - kt->now.switch_in_ns;
		kt->now.switch_in_ns = now;
		return;
	}
	if (!out || now <= out)
		return;
	if (wake >= out && wake <= now) {
		blocked = wake - out;
		runq = now - wake;
	} else {
		blocked = now - out;
	}
	if (reason >= KSEE_R_NR)
		reason = KSEE_R_OTHER;
	kt->st.blocked_ns[reason] += blocked;
	if (ksee_state_uninterruptible(kt->now.state_out))
		kt->st.uninterruptible_ns += blocked;
	kt->st.runq_ns += runq;
	kt->now.switch_out_ns = now;
	if (wake)
		kt->now.wake_ns = now;
}

static void sum_task(struct ks_sum *s, const struct ks_thread *t)
{
	const struct ksee_task_stats *st = &t->st;
	int r;

	s->tasks++;
	if (t->kind == KS_KIND_IO_WORKER || t->kind == KS_KIND_SQPOLL)
		s->kernel_workers++;
	s->on_cpu_ns += st->on_cpu_ns;
	s->voluntary += st->voluntary;
	s->involuntary += st->involuntary;
	s->migrations += st->migrations;
	s->wakeups += st->wakeups;
	for (r = 0; r < KSEE_R_NR; r++) {
		s->blocked_ns[r] += st->blocked_ns[r];
		s->blocked_total_ns += st->blocked_ns[r];
		s->sys[r].calls += st->sys[r].calls;
		s->sys[r].total_ns += st->sys[r].total_ns;
		s->sys[r].blocked_calls += st->sys[r].blocked_calls;
		s->sys[r].blocked_ns += st->sys[r].blocked_ns;
	}
	s->uninterruptible_ns += st->uninterruptible_ns;
	s->runq_ns += st->runq_ns;
	s->runq_count += st->runq_count;
	s->bill.runq_ns += st->held_runq_ns;
	s->bill.wakelat_ns += st->held_wakelat_ns;
	for (r = 0; r < KSEE_R_NR; r++) {
		s->bill.blocked_ns[r] += st->held_blocked_ns[r];
		s->bill.blocked_total_ns += st->held_blocked_ns[r];
	}
	s->wakelat_ns += st->wakelat_ns;
	s->wakelat_count += st->wakelat_count;
	s->epoll_events += st->epoll_events;
	s->uring_submitted += st->uring_submitted;
	s->uring_waits += st->uring_waits;
	hist_add(s->off_hist, st->off_hist, KSEE_SLOTS);
	hist_add(s->runq_hist, st->runq_hist, KSEE_SLOTS);
	hist_add(s->wakelat_hist, st->wakelat_hist, KSEE_SLOTS);
	s->thread_ns += t->life_ns;
	if (t->idle) {
		s->idle.tasks++;
		s->idle.thread_ns += t->life_ns;
		s->idle.tasks_in[t->top_reason]++;
		for (r = 0; r < KSEE_R_NR; r++)
			s->idle.blocked_ns[r] += st->blocked_ns[r];
	}
}

static void sum_proc_extras(struct ks_sum *s, const struct ks_process *p)
{
	struct ks_markers *m = &s->markers;

	if (!p->have_kp)
		return;
	hist_add(s->epoll_hist, p->kp.epoll_hist, KSEE_SLOTS);
	hist_add(s->uring_hist, p->kp.uring_hist, KSEE_SLOTS);
	hist_add(m->await_hist, p->kp.await_hist, KSEE_SLOTS);
	m->requests_started += p->kp.requests_started;
	m->requests_done += p->kp.requests_done;
	m->awaits += p->kp.awaits;
	m->resumes += p->kp.resumes;
	m->resumes_same_thread += p->kp.resumes_same_thread;
	m->resumes_unmatched += p->kp.resumes_unmatched;
	m->collisions += p->kp.marks_collisions;
	s->bill.requests += p->kp.billed;
	s->bill.latency_ns += p->kp.bill_latency_ns;
	s->bill.held_ns += p->kp.bill_held_ns;
	s->bill.off_ns += p->kp.bill_off_ns;
	s->bill.io_ns += p->kp.bill_io_ns;
	s->bill.after_io_ns += p->kp.bill_after_io_ns;
	if (p->bill_hist)
		hist_add(s->bill.latency_hist, p->bill_hist, KSEE_BILL_SLOTS);
	if (p->kp.peak_running > s->peak_running)
		s->peak_running = p->kp.peak_running;
}

const char *ks_marker_path_name(enum ks_marker_path path)
{
	return path == KS_MARKERS_USDT ? "usdt" : "block";
}

static double ratio(__u64 a, __u64 b)
{
	return b ? (double)a / (double)b : 0;
}

static double share_of(__u64 part, __u64 whole)
{
	return whole ? (double)part / (double)whole : -1;
}

/*
 * On CPU is what is left of the held time: the kernel's off-CPU time
 * while held lies within it (the program marks the thread held before it
 * reads the clock at a start or resume, free after it reads it at an
 * await or done); never below 0.
 */
static void finish_bill(struct ks_bill *b)
{
	__u64 off_cpu = b->wakelat_ns + b->runq_ns + b->blocked_total_ns;

	b->oncpu_ns = b->held_ns > off_cpu ? b->held_ns - off_cpu : 0;
	b->share_oncpu = share_of(b->oncpu_ns, b->latency_ns);
	b->share_wakelat = share_of(b->wakelat_ns, b->latency_ns);
	b->share_runq = share_of(b->runq_ns, b->latency_ns);
	b->share_blocked = share_of(b->blocked_total_ns, b->latency_ns);
	b->share_off = share_of(b->off_ns, b->latency_ns);
	b->p50_ns = hist_fine_percentile(b->latency_hist, KSEE_BILL_SLOTS, 0.50);
	b->p99_ns = hist_fine_percentile(b->latency_hist, KSEE_BILL_SLOTS, 0.99);
	/*
	 * The kernel side's split lies within the off time it measured
	 * itself; a recording may hold anything: never an underflow.
	 */
	if (b->io_ns + b->after_io_ns > b->off_ns)
		b->io_ns = b->after_io_ns = 0;
	b->untold_ns = b->off_ns - b->io_ns - b->after_io_ns;
	b->share_io = share_of(b->io_ns, b->latency_ns);
	b->share_after_io = share_of(b->after_io_ns, b->latency_ns);
	b->share_untold = share_of(b->untold_ns, b->latency_ns);
}

static void finish_markers(const struct ks_trace *tr, struct ks_sum *s)
{
	struct ks_markers *m = &s->markers;

	snprintf(m->path, sizeof(m->path), "%s", tr->features.marker_path);

	m->same_thread_share = m->resumes ? ratio(m->resumes_same_thread, m->resumes) : -1;
	m->voluntary_per_await = m->awaits ? ratio(s->voluntary, m->awaits) : -1;
	finish_bill(&s->bill);
}

/*
 * Without the sys_exit hook the time blocked in a family's calls is the
 * off-CPU time of that reason: the same sleeps, kept once by the kernel.
 */
static void family_sleeps(struct ksee_task_stats *st)
{
	int r;

	for (r = KSEE_R_NONE + 1; r < KSEE_R_NR; r++)
		st->sys[r].blocked_ns = st->blocked_ns[r];
}

/* How long @t existed within the trace. */
static __u64 thread_life(const struct ks_trace *tr, const struct ks_thread *t)
{
	__u64 start = t->st.start_ns > tr->start_ns ? t->st.start_ns : tr->start_ns;
	__u64 end = !t->alive && t->st.end_ns ? t->st.end_ns : tr->end_ns;

	if (end > tr->end_ns)
		end = tr->end_ns;
	return end > start ? end - start : 0;
}

static void finish_thread(const struct ks_trace *tr, struct ks_thread *t)
{
	int r;

	if (!tr->features.syscalls)
		family_sleeps(&t->st);
	t->blocked_total_ns = 0;
	for (r = 0; r < KSEE_R_NR; r++)
		t->blocked_total_ns += t->st.blocked_ns[r];
	t->top_reason = ks_top_reason(t->st.blocked_ns);
	t->life_ns = thread_life(tr, t);
	t->share_on_cpu = share_of(t->st.on_cpu_ns, t->life_ns);
	t->share_blocked = share_of(t->blocked_total_ns, t->life_ns);
	t->idle = t->life_ns >= KS_IDLE_MIN_LIFE_NS && t->blocked_total_ns &&
		  (double)t->st.on_cpu_ns < KS_IDLE_MAX_ONCPU_SHARE * (double)t->life_ns &&
		  (double)t->st.blocked_ns[t->top_reason] >=
		  KS_IDLE_MIN_ASLEEP_SHARE * (double)t->life_ns;
}

static void finish_shares(struct ks_sum *s)
{
	struct ks_shares *sh = &s->shares;
	int r;

	sh->on_cpu = share_of(s->on_cpu_ns, s->thread_ns);
	sh->blocked = share_of(s->blocked_total_ns, s->thread_ns);
	for (r = 0; r < KSEE_R_NR; r++)
		sh->reason[r] = share_of(s->blocked_ns[r], s->thread_ns);
	sh->waking = share_of(s->wakelat_ns, s->thread_ns);
	sh->runq = share_of(s->runq_ns, s->thread_ns);
	sh->idle = share_of(s->idle.thread_ns, s->thread_ns);
}

static void finish_process(struct ks_trace *tr, struct ks_process *p)
{
	__u32 ppid = p->have_kp ? p->kp.ppid : (p->nthreads ? p->threads[0].st.ppid : 0);
	__u64 start = ~0ULL, end = 0;
	size_t i;

	if (!ppid || ppid == p->pid || !ks_trace_find(tr, ppid))
		p->role = KS_ROLE_TARGET;
	else
		p->role = p->have_kp && p->kp.execs ? KS_ROLE_EXEC : KS_ROLE_FORK;

	memset(&p->sum, 0, sizeof(p->sum));
	p->sum.syscalls = tr->features.syscalls;
	for (i = 0; i < p->nthreads; i++) {
		finish_thread(tr, &p->threads[i]);
		sum_task(&p->sum, &p->threads[i]);
		if (p->threads[i].st.start_ns < start)
			start = p->threads[i].st.start_ns;
		if (p->threads[i].alive)
			p->alive = true;
		else if (p->threads[i].st.end_ns > end)
			end = p->threads[i].st.end_ns;
	}
	sum_proc_extras(&p->sum, p);
	if (p->have_kp && p->kp.start_ns)
		start = p->kp.start_ns;
	if (p->have_kp && p->kp.end_ns && !p->alive)
		end = p->kp.end_ns;
	if (p->alive || !end)
		end = tr->end_ns;
	if (start < tr->start_ns)
		start = tr->start_ns;
	p->sum.wall_ns = end > start ? end - start : 0;
	p->sum.parallelism = ratio(p->sum.on_cpu_ns, p->sum.wall_ns);
	p->sum.top_reason = ks_top_reason(p->sum.blocked_ns);
	finish_shares(&p->sum);
	finish_markers(tr, &p->sum);
}

static int cmp_thread(const void *a, const void *b)
{
	const struct ks_thread *x = a, *y = b;

	if (x->st.on_cpu_ns != y->st.on_cpu_ns)
		return x->st.on_cpu_ns < y->st.on_cpu_ns ? 1 : -1;
	return x->st.tid < y->st.tid ? -1 : x->st.tid > y->st.tid;
}

static int cmp_proc(const void *a, const void *b)
{
	const struct ks_process *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int cmp_op(const void *a, const void *b)
{
	const struct ks_uring_op *x = a, *y = b;

	return x->opcode < y->opcode ? -1 : x->opcode > y->opcode;
}

static int cmp_edge_key(const void *a, const void *b)
{
	const struct ks_edge *x = a, *y = b;

	return memcmp(&x->key, &y->key, sizeof(x->key));
}

/* One row per waker and wakee: the map's count plus what a live task held back. */
static void merge_edges(struct ks_trace *tr)
{
	size_t i, n = 0;

	if (!tr->nedges)
		return;
	qsort(tr->edges, tr->nedges, sizeof(*tr->edges), cmp_edge_key);
	for (i = 1; i < tr->nedges; i++) {
		if (!memcmp(&tr->edges[i].key, &tr->edges[n].key, sizeof(tr->edges[n].key))) {
			tr->edges[n].e.count += tr->edges[i].e.count;
			if (!tr->edges[n].e.waker_comm[0])
				memcpy(tr->edges[n].e.waker_comm, tr->edges[i].e.waker_comm,
				       sizeof(tr->edges[n].e.waker_comm));
		} else {
			tr->edges[++n] = tr->edges[i];
		}
	}
	tr->nedges = n + 1;
}

static int cmp_edge(const void *a, const void *b)
{
	const struct ks_edge *x = a, *y = b;

	if (x->e.count != y->e.count)
		return x->e.count < y->e.count ? 1 : -1;
	return x->key.wakee_tid < y->key.wakee_tid ? -1 : x->key.wakee_tid > y->key.wakee_tid;
}

/* `ksee run`: the trace spans the command's life, exec to last task's death. */
static void anchor_span(struct ks_trace *tr)
{
	struct ks_process *p = tr->anchor_pid ? ks_trace_find(tr, tr->anchor_pid) : NULL;

	if (!p || !p->have_kp)
		return;
	if (p->kp.start_ns > tr->start_ns && p->kp.start_ns < tr->end_ns)
		tr->start_ns = p->kp.start_ns;
	if (p->kp.end_ns > tr->start_ns && p->kp.end_ns < tr->end_ns)
		tr->end_ns = p->kp.end_ns;
}

struct tid_name {
	__u32 tid;
	const char *comm;
};

static int cmp_tid_name(const void *a, const void *b)
{
	const struct tid_name *x = a, *y = b;

	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/*
 * A waker's name as the kernel had it at the wakeup may be older than the
 * one its program gave it later (pthread_setname_np while it ran): a
 * traced waker is named as its thread is, by its latest name.
 */
static void name_wakers(struct ks_trace *tr)
{
	struct tid_name *v, key, *hit;
	size_t i, j, n = 0;

	for (i = 0; i < tr->nprocs; i++)
		n += tr->procs[i].nthreads;
	if (!n || !tr->nedges)
		return;
	v = malloc(n * sizeof(*v));
	if (!v)
		return;	/* the names stay as they were at the wakeups */
	for (i = 0, n = 0; i < tr->nprocs; i++)
		for (j = 0; j < tr->procs[i].nthreads; j++)
			v[n++] = (struct tid_name){ tr->procs[i].threads[j].st.tid,
						    tr->procs[i].threads[j].st.comm };
	qsort(v, n, sizeof(*v), cmp_tid_name);
	for (i = 0; i < tr->nedges; i++) {
		struct ks_edge *e = &tr->edges[i];

		if (e->kind != KS_WAKER_THREAD && e->kind != KS_WAKER_EXTERNAL)
			continue;
		key.tid = e->key.waker_tid;
		hit = bsearch(&key, v, n, sizeof(*v), cmp_tid_name);
		if (hit)
			memcpy(e->e.waker_comm, hit->comm, sizeof(e->e.waker_comm));
	}
	free(v);
}

/* ksee's own wakeups of its targets (the go-ahead, signals) are not theirs. */
static void drop_self_edges(struct ks_trace *tr)
{
	size_t i, n = 0;

	for (i = 0; i < tr->nedges; i++)
		if (!tr->self_pid || tr->edges[i].key.waker_tgid != tr->self_pid)
			tr->edges[n++] = tr->edges[i];
	tr->nedges = n;
}

void ks_trace_finish(struct ks_trace *tr)
{
	size_t i, j;

	if (tr->finished)
		return;
	anchor_span(tr);
	drop_self_edges(tr);
	merge_edges(tr);
	if (tr->nprocs) {
		qsort(tr->procs, tr->nprocs, sizeof(*tr->procs), cmp_proc);
		if (index_build(tr, tr->nprocs)) {	/* the order changed */
			free(tr->pid_index);
			tr->pid_index = NULL;
			tr->index_cap = 0;	/* lookups scan */
		}
	}
	memset(&tr->total, 0, sizeof(tr->total));
	tr->total.syscalls = tr->features.syscalls;
	tr->nprocesses = 0;
	for (i = 0; i < tr->nprocs; i++) {
		struct ks_process *p = &tr->procs[i];

		finish_process(tr, p);
		if (p->nthreads)
			qsort(p->threads, p->nthreads, sizeof(*p->threads), cmp_thread);
		if (p->nops)
			qsort(p->ops, p->nops, sizeof(*p->ops), cmp_op);
		for (j = 0; j < p->nthreads; j++)
			sum_task(&tr->total, &p->threads[j]);
		sum_proc_extras(&tr->total, p);
		if (p->nthreads)
			tr->nprocesses++;
	}
	tr->total.wall_ns = tr->end_ns > tr->start_ns ? tr->end_ns - tr->start_ns : 0;
	tr->total.parallelism = ratio(tr->total.on_cpu_ns, tr->total.wall_ns);
	if (tr->peak_running_all > tr->total.peak_running)
		tr->total.peak_running = tr->peak_running_all;
	tr->total.top_reason = ks_top_reason(tr->total.blocked_ns);
	finish_shares(&tr->total);
	finish_markers(tr, &tr->total);
	name_wakers(tr);
	if (tr->nedges)
		qsort(tr->edges, tr->nedges, sizeof(*tr->edges), cmp_edge);
	ks_findings_compute(tr, &tr->findings);
	if (ks_stacks_finish(tr))
		ks_trace_notice(tr, "out of memory: the call stacks are not grouped");
	tr->finished = true;
}

const char *ks_kind_name(enum ks_thread_kind k)
{
	switch (k) {
	case KS_KIND_MAIN: return "main";
	case KS_KIND_THREAD: return "thread";
	case KS_KIND_IO_WORKER: return "io_worker";
	case KS_KIND_SQPOLL: return "sqpoll";
	}
	return "?";
}

const char *ks_role_name(enum ks_proc_role r)
{
	switch (r) {
	case KS_ROLE_TARGET: return "target";
	case KS_ROLE_FORK: return "fork";
	case KS_ROLE_EXEC: return "fork+exec";
	}
	return "?";
}

const char *ks_waker_kind_name(enum ks_waker_kind k)
{
	switch (k) {
	case KS_WAKER_THREAD: return "thread";
	case KS_WAKER_EXTERNAL: return "external";
	case KS_WAKER_IDLE: return "idle";
	case KS_WAKER_INTERRUPT: return "interrupt";
	}
	return "?";
}

enum ksee_reason ks_top_reason(const __u64 *blocked_ns)
{
	enum ksee_reason best = KSEE_R_NONE;
	__u64 max = 0;
	int r;

	for (r = 0; r < KSEE_R_NR; r++) {
		if (blocked_ns[r] > max) {
			max = blocked_ns[r];
			best = r;
		}
	}
	return best;
}

size_t ks_idle_tasks(const struct ks_process *p, enum ksee_reason r,
		     const struct ks_thread **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < p->nthreads && n < max; i++)
		if (p->threads[i].idle && p->threads[i].top_reason == r)
			out[n++] = &p->threads[i];
	return n;
}

const char *ks_process_comm(const struct ks_process *p)
{
	size_t i;

	for (i = 0; i < p->nthreads; i++)
		if (p->threads[i].kind == KS_KIND_MAIN)
			return p->threads[i].st.comm;
	if (p->have_kp && p->kp.comm[0])
		return p->kp.comm;
	return p->nthreads ? p->threads[0].st.comm : "?";
}

const char *ks_thread_mostly_in(const struct ks_thread *t)
{
	return t->blocked_total_ns ? syscalls_reason_label(t->top_reason) : "-";
}

const char *ks_sum_mostly_in(const struct ks_sum *s)
{
	return s->blocked_total_ns ? syscalls_reason_label(s->top_reason) : "-";
}

void ks_appendf(char *buf, size_t size, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
}

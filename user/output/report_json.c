// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <json-c/json.h>
#include <stddef.h>
#include <string.h>
#include "output/json_util.h"
#include "output/report.h"
#include "model/hist.h"
#include "model/syscalls.h"

#define KSEE_SCHEMA 2

/* The non-empty buckets of a histogram of @n buckets, each with its bounds. */
static struct json_object *buckets_json(const __u64 *slots, int n, __u64 (*low_of)(int),
					__u64 (*high_of)(int))
{
	struct json_object *a = json_object_new_array(), *b;
	int i;

	for (i = 0; i < n; i++) {
		if (!slots[i])
			continue;
		b = json_object_new_object();
		json_add_u64(b, "low", low_of(i));
		json_add_u64(b, "high", high_of(i));
		json_add_u64(b, "count", slots[i]);
		json_object_array_add(a, b);
	}
	return a;
}

static struct json_object *hist_json(const __u64 *slots)
{
	return buckets_json(slots, KSEE_SLOTS, hist_slot_low, hist_slot_high);
}

static struct json_object *off_cpu_json(const __u64 *blocked, __u64 blocked_total,
					__u64 wakelat_ns, __u64 runq_ns, __u64 d_ns)
{
	struct json_object *o = json_object_new_object(), *r = json_object_new_object();
	int i;

	json_add_u64(o, "total_ns", blocked_total + wakelat_ns + runq_ns);
	json_add_u64(o, "blocked_ns", blocked_total);
	json_add_u64(o, "wakelat_ns", wakelat_ns);
	json_add_u64(o, "runq_ns", runq_ns);
	json_add_u64(o, "uninterruptible_ns", d_ns);
	for (i = 0; i < KSEE_R_NR; i++)
		json_add_u64(r, syscalls_family_name(i), blocked[i]);
	json_object_object_add(o, "by_reason", r);
	return o;
}

static struct json_object *runq_json(__u64 count, const __u64 *hist)
{
	struct json_object *o = json_object_new_object();

	json_add_u64(o, "count", count);
	json_add_u64(o, "p50_ns", hist_percentile(hist, KSEE_SLOTS, 0.50));
	json_add_u64(o, "p99_ns", hist_percentile(hist, KSEE_SLOTS, 0.99));
	return o;
}

/* A count only the sys_exit hook (--syscalls) measures: null without it. */
static void add_exit_u64(struct json_object *o, const char *key, __u64 v, bool measured)
{
	if (measured)
		json_add_u64(o, key, v);
	else
		json_object_object_add(o, key, NULL);
}

static struct json_object *syscalls_json(const struct ksee_sys *sys, bool exits)
{
	struct json_object *o = json_object_new_object(), *f;
	int i;

	for (i = 1; i < KSEE_R_NR; i++) {
		if (!sys[i].calls && !sys[i].blocked_calls)
			continue;
		f = json_object_new_object();
		add_exit_u64(f, "calls", sys[i].calls, exits);
		add_exit_u64(f, "total_ns", sys[i].total_ns, exits);
		json_add_u64(f, "blocked_calls", sys[i].blocked_calls);
		json_add_u64(f, "blocked_ns", sys[i].blocked_ns);
		json_object_object_add(o, syscalls_family_name(i), f);
	}
	return o;
}

static struct json_object *share_json(double v)
{
	return v < 0 ? NULL : json_object_new_double(v);
}

static struct json_object *markers_json(const struct ks_markers *m)
{
	struct json_object *o = json_object_new_object(), *l = json_object_new_object();

	json_add_u64(o, "requests_started", m->requests_started);
	json_add_u64(o, "requests_done", m->requests_done);
	json_add_u64(o, "awaits", m->awaits);
	json_add_u64(o, "resumes", m->resumes);
	json_add_u64(o, "resumes_same_thread", m->resumes_same_thread);
	json_add_u64(o, "resumes_unmatched", m->resumes_unmatched);
	json_add_u64(o, "collisions", m->collisions);
	json_add_str_or_null(o, "path", m->path);
	json_object_object_add(o, "same_thread_share", share_json(m->same_thread_share));
	json_object_object_add(o, "voluntary_per_await", share_json(m->voluntary_per_await));
	json_add_u64(l, "p50_ns", hist_percentile(m->await_hist, KSEE_SLOTS, 0.50));
	json_add_u64(l, "p99_ns", hist_percentile(m->await_hist, KSEE_SLOTS, 0.99));
	json_object_object_add(l, "histogram", hist_json(m->await_hist));
	json_object_object_add(o, "await_to_resume", l);
	return o;
}

static struct json_object *bill_json(const struct ks_bill *b)
{
	struct json_object *o = json_object_new_object(), *x = json_object_new_object();
	struct json_object *r = json_object_new_object(), *sh = json_object_new_object();
	int i;

	json_add_u64(o, "requests", b->requests);
	json_add_u64(x, "total_ns", b->latency_ns);
	json_add_u64(x, "p50_ns", b->p50_ns);
	json_add_u64(x, "p99_ns", b->p99_ns);
	json_object_object_add(x, "histogram", buckets_json(b->latency_hist, KSEE_BILL_SLOTS,
							     hist_fine_low, hist_fine_high));
	json_object_object_add(o, "latency", x);
	x = json_object_new_object();
	json_add_u64(x, "on_cpu_ns", b->oncpu_ns);
	json_add_u64(x, "waking_up_ns", b->wakelat_ns);
	json_add_u64(x, "waiting_for_cpu_ns", b->runq_ns);
	json_add_u64(x, "blocked_ns", b->blocked_total_ns);
	for (i = 0; i < KSEE_R_NR; i++)
		json_add_u64(r, syscalls_family_name(i), b->blocked_ns[i]);
	json_object_object_add(x, "blocked_by_reason", r);
	json_add_u64(x, "off_thread_ns", b->off_ns);
	r = json_object_new_object();
	json_add_u64(r, "io_wait_ns", b->io_ns);
	json_add_u64(r, "after_io_ns", b->after_io_ns);
	json_add_u64(r, "not_told_apart_ns", b->untold_ns);
	json_object_object_add(x, "off_thread_split", r);
	json_object_object_add(o, "parts", x);
	json_object_object_add(sh, "on_cpu", share_json(b->share_oncpu));
	json_object_object_add(sh, "waking_up", share_json(b->share_wakelat));
	json_object_object_add(sh, "waiting_for_cpu", share_json(b->share_runq));
	json_object_object_add(sh, "blocked", share_json(b->share_blocked));
	json_object_object_add(sh, "off_thread", share_json(b->share_off));
	json_object_object_add(sh, "io_wait", share_json(b->share_io));
	json_object_object_add(sh, "after_io", share_json(b->share_after_io));
	json_object_object_add(sh, "not_told_apart", share_json(b->share_untold));
	json_object_object_add(o, "shares", sh);
	return o;
}

/* Thread-time, the tasks idle the whole time, and the shares of thread-time. */
static void thread_time_json(struct json_object *o, const struct ks_sum *s)
{
	struct json_object *x = json_object_new_object(), *r = json_object_new_object(), *e;
	const struct ks_shares *sh = &s->shares;
	int i;

	json_add_u64(o, "thread_ns", s->thread_ns);
	json_add_u64(x, "tasks", s->idle.tasks);
	json_add_u64(x, "thread_ns", s->idle.thread_ns);
	for (i = 0; i < KSEE_R_NR; i++) {
		if (!s->idle.tasks_in[i])
			continue;
		e = json_object_new_object();
		json_add_u64(e, "tasks", s->idle.tasks_in[i]);
		json_add_u64(e, "blocked_ns", s->idle.blocked_ns[i]);
		json_object_object_add(r, syscalls_family_name(i), e);
	}
	json_object_object_add(x, "by_reason", r);
	json_object_object_add(o, "idle", x);
	x = json_object_new_object();
	r = json_object_new_object();
	json_object_object_add(x, "on_cpu", share_json(sh->on_cpu));
	json_object_object_add(x, "blocked", share_json(sh->blocked));
	for (i = 0; i < KSEE_R_NR; i++)
		json_object_object_add(r, syscalls_family_name(i), share_json(sh->reason[i]));
	json_object_object_add(x, "blocked_by_reason", r);
	json_object_object_add(x, "waking_up", share_json(sh->waking));
	json_object_object_add(x, "waiting_for_cpu", share_json(sh->runq));
	json_object_object_add(x, "idle", share_json(sh->idle));
	json_object_object_add(o, "shares", x);
}

void sum_json(struct json_object *o, const struct ks_sum *s)
{
	const struct ksee_sys *ep = &s->sys[KSEE_R_EPOLL], *ur = &s->sys[KSEE_R_IO_URING];
	struct json_object *x, *h;

	json_add_u64(o, "tasks", s->tasks);
	json_add_u64(o, "kernel_workers", s->kernel_workers);
	json_add_u64(o, "wall_ns", s->wall_ns);
	json_add_u64(o, "on_cpu_ns", s->on_cpu_ns);
	json_object_object_add(o, "parallelism", json_object_new_double(s->parallelism));
	json_add_u64(o, "peak_running", s->peak_running);
	json_add_u64(o, "voluntary", s->voluntary);
	json_add_u64(o, "involuntary", s->involuntary);
	json_add_u64(o, "migrations", s->migrations);
	json_add_u64(o, "wakeups", s->wakeups);
	json_object_object_add(o, "off_cpu", off_cpu_json(s->blocked_ns, s->blocked_total_ns,
							  s->wakelat_ns, s->runq_ns,
							  s->uninterruptible_ns));
	json_object_object_add(o, "runq_latency", runq_json(s->runq_count, s->runq_hist));
	json_object_object_add(o, "wakeup_latency", runq_json(s->wakelat_count, s->wakelat_hist));
	thread_time_json(o, s);
	json_object_object_add(o, "syscalls", syscalls_json(s->sys, s->syscalls));

	x = json_object_new_object();
	add_exit_u64(x, "calls", ep->calls, s->syscalls);
	json_add_u64(x, "blocked_calls", ep->blocked_calls);
	json_add_u64(x, "blocked_ns", ep->blocked_ns);
	add_exit_u64(x, "events", s->epoll_events, s->syscalls);
	json_object_object_add(o, "epoll", x);

	x = json_object_new_object();
	add_exit_u64(x, "calls", ur->calls, s->syscalls);
	json_add_u64(x, "submitted", s->uring_submitted);
	add_exit_u64(x, "waits", s->uring_waits, s->syscalls);
	json_add_u64(x, "blocked_calls", ur->blocked_calls);
	json_add_u64(x, "blocked_ns", ur->blocked_ns);
	json_object_object_add(o, "io_uring_enter", x);

	json_object_object_add(o, "markers", markers_json(&s->markers));
	json_object_object_add(o, "bill", bill_json(&s->bill));

	h = json_object_new_object();
	json_object_object_add(h, "off_cpu", hist_json(s->off_hist));
	json_object_object_add(h, "runq", hist_json(s->runq_hist));
	json_object_object_add(h, "wakeup_latency", hist_json(s->wakelat_hist));
	json_object_object_add(h, "epoll_wait", hist_json(s->epoll_hist));
	json_object_object_add(h, "io_uring_latency", hist_json(s->uring_hist));
	json_object_object_add(o, "histograms", h);
}

static struct json_object *thread_json(const struct ks_thread *t, bool exits)
{
	const struct ksee_task_stats *st = &t->st;
	struct json_object *o = json_object_new_object(), *cpus = json_object_new_array(), *x;
	int c;

	json_add_u64(o, "tid", st->tid);
	json_add_text(o, "comm", st->comm);
	json_add_str(o, "kind", ks_kind_name(t->kind));
	json_add_bool(o, "alive", t->alive);
	json_add_bool(o, "adopted", st->flags & KSEE_TF_ADOPTED);
	json_add_u64(o, "start_ns", st->start_ns);
	json_add_u64(o, "end_ns", st->end_ns);
	json_add_u64(o, "life_ns", t->life_ns);
	json_add_bool(o, "idle", t->idle);
	json_add_u64(o, "on_cpu_ns", st->on_cpu_ns);
	json_add_u64(o, "voluntary", st->voluntary);
	json_add_u64(o, "involuntary", st->involuntary);
	json_add_u64(o, "migrations", st->migrations);
	json_add_u64(o, "wakeups", st->wakeups);
	for (c = 0; c < 64; c++)
		if (st->cpus_mask & (1ULL << c))
			json_object_array_add(cpus, json_object_new_int(c));
	json_object_object_add(o, "cpus", cpus);
	json_object_object_add(o, "off_cpu", off_cpu_json(st->blocked_ns, t->blocked_total_ns,
							  st->wakelat_ns, st->runq_ns,
							  st->uninterruptible_ns));
	json_object_object_add(o, "runq_latency", runq_json(st->runq_count, st->runq_hist));
	json_object_object_add(o, "wakeup_latency", runq_json(st->wakelat_count,
							      st->wakelat_hist));
	x = json_object_new_object();
	json_object_object_add(x, "on_cpu", share_json(t->share_on_cpu));
	json_object_object_add(x, "blocked", share_json(t->share_blocked));
	json_object_object_add(o, "shares", x);
	json_object_object_add(o, "syscalls", syscalls_json(st->sys, exits));
	add_exit_u64(o, "epoll_events", st->epoll_events, exits);
	json_add_u64(o, "uring_submitted", st->uring_submitted);
	add_exit_u64(o, "uring_waits", st->uring_waits, exits);
	json_add_u64(o, "awaits", st->awaits);
	json_add_u64(o, "resumes", st->resumes);
	return o;
}

struct json_object *findings_json(const struct ks_findings *fs, bool all, __u32 pid)
{
	struct json_object *a = json_object_new_array(), *o, *n, *t;
	int i, j;

	for (i = 0; i < fs->n; i++) {
		const struct ks_finding *x = &fs->list[i];

		if (!all && x->pid != pid)
			continue;
		o = json_object_new_object();
		json_add_str(o, "id", x->id);
		json_add_str(o, "severity", ks_severity_name(x->severity));
		json_add_str(o, "summary", x->summary);
		json_add_str(o, "advice", x->advice);
		json_object_object_add(o, "pid", x->pid ? json_object_new_int64(x->pid) : NULL);
		n = json_object_new_object();
		for (j = 0; j < x->nnumbers; j++)
			json_object_object_add(n, x->numbers[j].name,
					       json_object_new_double(x->numbers[j].value));
		json_object_object_add(o, "numbers", n);
		t = json_object_new_array();
		for (j = 0; j < x->ntids; j++)
			json_object_array_add(t, json_object_new_int64(x->tids[j]));
		json_object_object_add(o, "tids", t);
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *process_json(const struct ks_trace *tr, const struct ks_process *p)
{
	struct json_object *o = json_object_new_object(), *a, *x;
	const char *name;
	size_t i;

	json_add_u64(o, "pid", p->pid);
	json_add_u64(o, "ppid", p->have_kp ? p->kp.ppid : (p->nthreads ? p->threads[0].st.ppid : 0));
	json_add_u64(o, "uid", p->have_kp ? p->kp.uid : (p->nthreads ? p->threads[0].st.uid : 0));
	json_add_text(o, "comm", ks_process_comm(p));
	json_add_str(o, "role", ks_role_name(p->role));
	json_add_bool(o, "alive", p->alive);
	json_add_int(o, "exit_code", p->have_kp ? p->kp.exit_code : 0);
	sum_json(o, &p->sum);

	a = json_object_new_array();
	for (i = 0; i < p->nops; i++) {
		x = json_object_new_object();
		json_add_u64(x, "opcode", p->ops[i].opcode);
		name = syscalls_uring_op_name(p->ops[i].opcode);
		json_add_str(x, "name", name ? name : "?");
		json_add_u64(x, "count", p->ops[i].op.count);
		json_add_u64(x, "punted", p->ops[i].op.punted);
		json_add_u64(x, "latency_ns", p->ops[i].op.latency_ns);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "io_uring_requests", a);

	a = json_object_new_array();
	for (i = 0; i < p->nthreads; i++)
		json_object_array_add(a, thread_json(&p->threads[i], p->sum.syscalls));
	json_object_object_add(o, "threads", a);
	json_object_object_add(o, "findings", findings_json(&tr->findings, false, p->pid));
	if (tr->features.stacks)
		json_object_object_add(o, "stacks", report_json_stacks(tr, p->pid));
	return o;
}

static struct json_object *edge_json(const struct ks_edge *e)
{
	struct json_object *o = json_object_new_object();

	json_add_u64(o, "waker_tid", e->key.waker_tid);
	json_add_u64(o, "waker_pid", e->key.waker_tgid);
	json_add_text(o, "waker_comm", e->e.waker_comm);
	json_add_str(o, "waker_kind", ks_waker_kind_name(e->kind));
	json_object_object_add(o, "via_softirq", json_object_new_boolean(e->via_softirq));
	json_add_u64(o, "wakee_tid", e->key.wakee_tid);
	json_add_u64(o, "wakee_pid", e->key.wakee_tgid);
	json_add_u64(o, "count", e->e.count);
	return o;
}

#define TR_FIELD(group, key, member, type) \
	{ group, key, offsetof(struct ks_trace, member), type, sizeof(((struct ks_trace *)0)->member) }

/* The trace facts, in the order of docs/json.md; "notices" sits between the two tables. */
static const struct json_field features_fields[] = {
	TR_FIELD("features", "sched", features.sched, JF_BOOL),
	TR_FIELD("features", "syscalls", features.syscalls, JF_BOOL),
	TR_FIELD("features", "io_uring", features.io_uring, JF_BOOL),
	TR_FIELD("features", "irq", features.irq, JF_BOOL),
	TR_FIELD("features", "markers", features.markers, JF_BOOL),
	TR_FIELD("features", "marker_path", features.marker_path, JF_STR),
	TR_FIELD("features", "stacks", features.stacks, JF_BOOL),
};

static const struct json_field state_fields[] = {
	TR_FIELD("drops", "ringbuf", drops.ringbuf, JF_U64),
	TR_FIELD("drops", "tasks", drops.tasks, JF_U64),
	TR_FIELD("drops", "procs", drops.procs, JF_U64),
	TR_FIELD("drops", "edges", drops.edges, JF_U64),
	TR_FIELD("drops", "uring", drops.uring, JF_U64),
	TR_FIELD("drops", "awaits", drops.awaits, JF_U64),
	TR_FIELD("drops", "marker_blocks", drops.marks_bad, JF_U64),
	TR_FIELD("drops", "events", drops.events, JF_U64),
	TR_FIELD("drops", "stacks", drops.stacks, JF_U64),
	TR_FIELD("drops", "hists", drops.hists, JF_U64),
	TR_FIELD(NULL, "switches_inferred", drops.switches_inferred, JF_U64),
	TR_FIELD("kernel_state", "procs", kstate.procs, JF_U32),
	TR_FIELD("kernel_state", "edges", kstate.edges, JF_U32),
	TR_FIELD("kernel_state", "uring_inflight", kstate.uring_inflight, JF_U32),
	TR_FIELD("kernel_state", "awaiting", kstate.awaiting, JF_U32),
	TR_FIELD("kernel_state", "live_tasks", kstate.live_tasks, JF_U32),
};

#define NFIELDS(t) (sizeof(t) / sizeof((t)[0]))

void report_json_trace_facts(struct json_object *o, const struct ks_trace *tr)
{
	struct json_object *a, *x;
	int n;

	if (tr->have_exit) {
		x = json_object_new_object();
		json_add_int(x, "code", tr->exit_code);
		json_add_int(x, "signal", tr->exit_signal);
		json_add_int(x, "status", tr->exit_status);
		json_object_object_add(o, "exit", x);
	}
	json_fields_write(o, tr, features_fields, NFIELDS(features_fields));
	a = json_object_new_array();
	for (n = 0; n < tr->nnotices; n++)
		json_object_array_add(a, json_object_new_string(tr->notices[n]));
	json_object_object_add(o, "notices", a);
	json_fields_write(o, tr, state_fields, NFIELDS(state_fields));
	json_object_object_add(o, "cpus_available", tr->cpus_available > 0 ?
			       json_object_new_double(tr->cpus_available) : NULL);
	json_object_object_add(o, "cpus_free", tr->cpus_free >= 0 ?
			       json_object_new_double(tr->cpus_free) : NULL);
}

int report_json_read_trace_facts(struct json_object *o, struct ks_trace *tr)
{
	struct json_object *a, *x;
	size_t i, n;
	int ret = 0;

	x = json_get(o, "exit", json_type_object);
	if (x) {
		tr->have_exit = true;
		tr->exit_code = json_get_i64(x, "code");
		tr->exit_signal = json_get_i64(x, "signal");
		tr->exit_status = json_get_i64(x, "status");
	}
	json_fields_read(o, tr, features_fields, NFIELDS(features_fields));
	a = json_get(o, "notices", json_type_array);
	n = a ? json_object_array_length(a) : 0;
	for (i = 0; !ret && i < n; i++) {
		x = json_object_array_get_idx(a, i);
		if (json_object_is_type(x, json_type_string))
			ret = ks_trace_notice(tr, json_object_get_string(x));
	}
	json_fields_read(o, tr, state_fields, NFIELDS(state_fields));
	/* null or missing: unknown; out of range (a corrupt file): unknown too */
	tr->cpus_available = json_get_dbl(o, "cpus_available");
	if (!(tr->cpus_available > 0 && tr->cpus_available <= 1e6))
		tr->cpus_available = 0;
	tr->cpus_free = json_get(o, "cpus_free", json_type_double) ?
			json_get_dbl(o, "cpus_free") : -1;
	if (!(tr->cpus_free >= 0 && tr->cpus_free <= 1e6))
		tr->cpus_free = -1;
	return ret;
}

/* The report without its processes: "processes" holds the string PROCS_MARK stands for. */
static struct json_object *report_json_head(const struct ks_trace *tr)
{
	struct json_object *o = json_object_new_object(), *a, *x;
	size_t i;
	int n;

	json_add_int(o, "schema", KSEE_SCHEMA);
	json_add_str(o, "tool", "ksee");
	json_add_str(o, "version", KSEE_VERSION);
	json_add_str(o, "mode", tr->mode ? tr->mode : "run");
	a = json_object_new_array();
	for (n = 0; n < tr->argc; n++)
		json_object_array_add(a, json_new_text(tr->argv[n]));
	json_object_object_add(o, "command", a);
	a = json_object_new_array();
	for (n = 0; n < tr->npids; n++)
		json_object_array_add(a, json_object_new_int64(tr->pids[n]));
	json_object_object_add(o, "pids", a);
	json_add_str(o, "kernel", tr->kernel);
	json_add_u64(o, "wall_ns", tr->total.wall_ns);
	report_json_trace_facts(o, tr);

	x = json_object_new_object();
	json_add_bool(x, "recorded", tr->timeline);
	json_add_u64(x, "events", tr->timeline_events);
	json_add_u64(x, "lost", tr->drops.events);
	json_object_object_add(o, "timeline", x);

	x = json_object_new_object();
	json_add_u64(x, "processes", tr->nprocesses);
	sum_json(x, &tr->total);
	json_object_object_add(o, "totals", x);

	json_object_object_add(o, "processes", json_object_new_string("\1processes\1"));

	a = json_object_new_array();
	for (i = 0; i < tr->nedges; i++)
		json_object_array_add(a, edge_json(&tr->edges[i]));
	json_object_object_add(o, "wakeups", a);
	json_object_object_add(o, "findings", findings_json(&tr->findings, false, 0));
	json_add_int(o, "findings_left_out", tr->findings.left_out);
	return o;
}

struct json_object *report_json(const struct ks_trace *tr)
{
	struct json_object *o = report_json_head(tr), *a = json_object_new_array();
	size_t i;

	for (i = 0; i < tr->nprocs; i++)
		if (tr->procs[i].nthreads)
			json_object_array_add(a, process_json(tr, &tr->procs[i]));
	json_object_object_add(o, "processes", a);
	return o;
}

/* Where the processes go in the printed report: a string no comm can make (json-c escapes \1). */
#define PROCS_MARK "\"\\u0001processes\\u0001\""

#define PRINT_FLAGS (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)

/*
 * The same document as report_json(), but each process is built, printed
 * and freed in turn: a tree of every process would cost about 28 KB each
 * (280 MB for 10,000 short-lived children), one at a time costs nothing.
 */
int report_json_print(FILE *f, const struct ks_trace *tr)
{
	struct json_object *o = report_json_head(tr), *p;
	const char *s = o ? json_object_to_json_string_ext(o, PRINT_FLAGS) : NULL;
	const char *mark = s ? strstr(s, PROCS_MARK) : NULL;
	bool first = true;
	int err = 0;
	size_t i;

	if (!mark) {
		json_object_put(o);
		return -ENOMEM;
	}
	if (fwrite(s, 1, mark - s, f) != (size_t)(mark - s) || fputc('[', f) == EOF)
		err = -EIO;
	for (i = 0; !err && i < tr->nprocs; i++) {
		if (!tr->procs[i].nthreads)
			continue;
		p = process_json(tr, &tr->procs[i]);
		if (!p || fprintf(f, "%s\n%s", first ? "" : ",",
				  json_object_to_json_string_ext(p, PRINT_FLAGS)) < 0)
			err = p ? -EIO : -ENOMEM;
		json_object_put(p);
		first = false;
	}
	if (!err && (fputc(']', f) == EOF || fputs(mark + strlen(PROCS_MARK), f) < 0 ||
		     fputc('\n', f) == EOF))
		err = -EIO;
	json_object_put(o);
	return err;
}

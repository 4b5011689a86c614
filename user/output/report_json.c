// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <json-c/json.h>
#include "output/report.h"
#include "model/hist.h"
#include "model/syscalls.h"

#define KSEE_VERSION "0.1.0"
#define KSEE_SCHEMA 1

static void add_u64(struct json_object *o, const char *k, __u64 v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static void add_int(struct json_object *o, const char *k, long long v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static struct json_object *hist_json(const __u64 *slots)
{
	struct json_object *a = json_object_new_array(), *b;
	int i;

	for (i = 0; i < KSEE_SLOTS; i++) {
		if (!slots[i])
			continue;
		b = json_object_new_object();
		add_u64(b, "low", hist_slot_low(i));
		add_u64(b, "high", hist_slot_high(i));
		add_u64(b, "count", slots[i]);
		json_object_array_add(a, b);
	}
	return a;
}

static struct json_object *off_cpu_json(const __u64 *blocked, __u64 blocked_total,
					__u64 runq_ns, __u64 d_ns)
{
	struct json_object *o = json_object_new_object(), *r = json_object_new_object();
	int i;

	add_u64(o, "total_ns", blocked_total + runq_ns);
	add_u64(o, "blocked_ns", blocked_total);
	add_u64(o, "runq_ns", runq_ns);
	add_u64(o, "uninterruptible_ns", d_ns);
	for (i = 0; i < KSEE_R_NR; i++)
		add_u64(r, syscalls_family_name(i), blocked[i]);
	json_object_object_add(o, "by_reason", r);
	return o;
}

static struct json_object *runq_json(__u64 count, const __u64 *hist)
{
	struct json_object *o = json_object_new_object();

	add_u64(o, "count", count);
	add_u64(o, "p50_ns", hist_percentile(hist, KSEE_SLOTS, 0.50));
	add_u64(o, "p99_ns", hist_percentile(hist, KSEE_SLOTS, 0.99));
	return o;
}

/* A count only the sys_exit hook (--syscalls) measures: null without it. */
static void add_exit_u64(struct json_object *o, const char *key, __u64 v, bool measured)
{
	if (measured)
		add_u64(o, key, v);
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
		add_u64(f, "blocked_calls", sys[i].blocked_calls);
		add_u64(f, "blocked_ns", sys[i].blocked_ns);
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

	add_u64(o, "requests_started", m->requests_started);
	add_u64(o, "requests_done", m->requests_done);
	add_u64(o, "awaits", m->awaits);
	add_u64(o, "resumes", m->resumes);
	add_u64(o, "resumes_same_thread", m->resumes_same_thread);
	add_u64(o, "resumes_unmatched", m->resumes_unmatched);
	json_object_object_add(o, "same_thread_share", share_json(m->same_thread_share));
	json_object_object_add(o, "voluntary_per_await", share_json(m->voluntary_per_await));
	add_u64(l, "p50_ns", hist_percentile(m->await_hist, KSEE_SLOTS, 0.50));
	add_u64(l, "p99_ns", hist_percentile(m->await_hist, KSEE_SLOTS, 0.99));
	json_object_object_add(l, "histogram", hist_json(m->await_hist));
	json_object_object_add(o, "await_to_resume", l);
	return o;
}

void sum_json(struct json_object *o, const struct ks_sum *s)
{
	const struct ksee_sys *ep = &s->sys[KSEE_R_EPOLL], *ur = &s->sys[KSEE_R_IO_URING];
	struct json_object *x, *h;

	add_u64(o, "tasks", s->tasks);
	add_u64(o, "kernel_workers", s->kernel_workers);
	add_u64(o, "wall_ns", s->wall_ns);
	add_u64(o, "on_cpu_ns", s->on_cpu_ns);
	json_object_object_add(o, "parallelism", json_object_new_double(s->parallelism));
	add_u64(o, "peak_running", s->peak_running);
	add_u64(o, "voluntary", s->voluntary);
	add_u64(o, "involuntary", s->involuntary);
	add_u64(o, "migrations", s->migrations);
	add_u64(o, "wakeups", s->wakeups);
	json_object_object_add(o, "off_cpu", off_cpu_json(s->blocked_ns, s->blocked_total_ns,
							  s->runq_ns, s->uninterruptible_ns));
	json_object_object_add(o, "runq_latency", runq_json(s->runq_count, s->runq_hist));
	json_object_object_add(o, "syscalls", syscalls_json(s->sys, s->syscalls));

	x = json_object_new_object();
	add_exit_u64(x, "calls", ep->calls, s->syscalls);
	add_u64(x, "blocked_calls", ep->blocked_calls);
	add_u64(x, "blocked_ns", ep->blocked_ns);
	add_exit_u64(x, "events", s->epoll_events, s->syscalls);
	json_object_object_add(o, "epoll", x);

	x = json_object_new_object();
	add_exit_u64(x, "calls", ur->calls, s->syscalls);
	add_u64(x, "submitted", s->uring_submitted);
	add_exit_u64(x, "waits", s->uring_waits, s->syscalls);
	add_u64(x, "blocked_calls", ur->blocked_calls);
	add_u64(x, "blocked_ns", ur->blocked_ns);
	json_object_object_add(o, "io_uring_enter", x);

	json_object_object_add(o, "markers", markers_json(&s->markers));

	h = json_object_new_object();
	json_object_object_add(h, "off_cpu", hist_json(s->off_hist));
	json_object_object_add(h, "runq", hist_json(s->runq_hist));
	json_object_object_add(h, "epoll_wait", hist_json(s->epoll_hist));
	json_object_object_add(h, "io_uring_latency", hist_json(s->uring_hist));
	json_object_object_add(o, "histograms", h);
}

static struct json_object *thread_json(const struct ks_thread *t, bool exits)
{
	const struct ksee_task_stats *st = &t->st;
	struct json_object *o = json_object_new_object(), *cpus = json_object_new_array();
	int c;

	add_u64(o, "tid", st->tid);
	add_str(o, "comm", st->comm);
	add_str(o, "kind", ks_kind_name(t->kind));
	json_object_object_add(o, "alive", json_object_new_boolean(t->alive));
	json_object_object_add(o, "adopted",
			       json_object_new_boolean(st->flags & KSEE_TF_ADOPTED));
	add_u64(o, "start_ns", st->start_ns);
	add_u64(o, "end_ns", st->end_ns);
	add_u64(o, "on_cpu_ns", st->on_cpu_ns);
	add_u64(o, "voluntary", st->voluntary);
	add_u64(o, "involuntary", st->involuntary);
	add_u64(o, "migrations", st->migrations);
	add_u64(o, "wakeups", st->wakeups);
	for (c = 0; c < 64; c++)
		if (st->cpus_mask & (1ULL << c))
			json_object_array_add(cpus, json_object_new_int(c));
	json_object_object_add(o, "cpus", cpus);
	json_object_object_add(o, "off_cpu", off_cpu_json(st->blocked_ns, t->blocked_total_ns,
							  st->runq_ns, st->uninterruptible_ns));
	json_object_object_add(o, "runq_latency", runq_json(st->runq_count, st->runq_hist));
	json_object_object_add(o, "syscalls", syscalls_json(st->sys, exits));
	add_exit_u64(o, "epoll_events", st->epoll_events, exits);
	add_u64(o, "uring_submitted", st->uring_submitted);
	add_exit_u64(o, "uring_waits", st->uring_waits, exits);
	add_u64(o, "awaits", st->awaits);
	add_u64(o, "resumes", st->resumes);
	return o;
}

static struct json_object *process_json(const struct ks_process *p)
{
	struct json_object *o = json_object_new_object(), *a, *x;
	const char *name;
	size_t i;

	add_u64(o, "pid", p->pid);
	add_u64(o, "ppid", p->have_kp ? p->kp.ppid : (p->nthreads ? p->threads[0].st.ppid : 0));
	add_u64(o, "uid", p->have_kp ? p->kp.uid : (p->nthreads ? p->threads[0].st.uid : 0));
	add_str(o, "comm", ks_process_comm(p));
	json_object_object_add(o, "alive", json_object_new_boolean(p->alive));
	add_int(o, "exit_code", p->have_kp ? p->kp.exit_code : 0);
	sum_json(o, &p->sum);

	a = json_object_new_array();
	for (i = 0; i < p->nops; i++) {
		x = json_object_new_object();
		add_u64(x, "opcode", p->ops[i].opcode);
		name = syscalls_uring_op_name(p->ops[i].opcode);
		add_str(x, "name", name ? name : "?");
		add_u64(x, "count", p->ops[i].op.count);
		add_u64(x, "punted", p->ops[i].op.punted);
		add_u64(x, "latency_ns", p->ops[i].op.latency_ns);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "io_uring_requests", a);

	a = json_object_new_array();
	for (i = 0; i < p->nthreads; i++)
		json_object_array_add(a, thread_json(&p->threads[i], p->sum.syscalls));
	json_object_object_add(o, "threads", a);
	return o;
}

static struct json_object *edge_json(const struct ks_edge *e)
{
	struct json_object *o = json_object_new_object();

	add_u64(o, "waker_tid", e->key.waker_tid);
	add_u64(o, "waker_pid", e->key.waker_tgid);
	add_str(o, "waker_comm", e->e.waker_comm);
	add_str(o, "waker_kind", ks_waker_kind_name(e->kind));
	add_u64(o, "wakee_tid", e->key.wakee_tid);
	add_u64(o, "wakee_pid", e->key.wakee_tgid);
	add_u64(o, "count", e->e.count);
	return o;
}

void report_json_trace_facts(struct json_object *o, const struct ks_trace *tr)
{
	struct json_object *a, *x;
	int n;

	if (tr->have_exit) {
		x = json_object_new_object();
		add_int(x, "code", tr->exit_code);
		add_int(x, "signal", tr->exit_signal);
		add_int(x, "status", tr->exit_status);
		json_object_object_add(o, "exit", x);
	}
	x = json_object_new_object();
	json_object_object_add(x, "sched", json_object_new_boolean(tr->features.sched));
	json_object_object_add(x, "syscalls", json_object_new_boolean(tr->features.syscalls));
	json_object_object_add(x, "io_uring", json_object_new_boolean(tr->features.io_uring));
	json_object_object_add(x, "irq", json_object_new_boolean(tr->features.irq));
	json_object_object_add(x, "markers", json_object_new_boolean(tr->features.markers));
	json_object_object_add(o, "features", x);
	a = json_object_new_array();
	for (n = 0; n < tr->nnotices; n++)
		json_object_array_add(a, json_object_new_string(tr->notices[n]));
	json_object_object_add(o, "notices", a);
	x = json_object_new_object();
	add_u64(x, "ringbuf", tr->drops.ringbuf);
	add_u64(x, "tasks", tr->drops.tasks);
	add_u64(x, "procs", tr->drops.procs);
	add_u64(x, "edges", tr->drops.edges);
	add_u64(x, "uring", tr->drops.uring);
	add_u64(x, "awaits", tr->drops.awaits);
	add_u64(x, "events", tr->drops.events);
	json_object_object_add(o, "drops", x);
	add_u64(o, "switches_inferred", tr->drops.switches_inferred);
	x = json_object_new_object();
	add_u64(x, "procs", tr->kstate.procs);
	add_u64(x, "edges", tr->kstate.edges);
	add_u64(x, "uring_inflight", tr->kstate.uring_inflight);
	add_u64(x, "awaiting", tr->kstate.awaiting);
	add_u64(x, "live_tasks", tr->kstate.live_tasks);
	json_object_object_add(o, "kernel_state", x);
}

struct json_object *report_json(const struct ks_trace *tr)
{
	struct json_object *o = json_object_new_object(), *a, *x;
	size_t i;
	int n;

	add_int(o, "schema", KSEE_SCHEMA);
	add_str(o, "tool", "ksee");
	add_str(o, "version", KSEE_VERSION);
	add_str(o, "mode", tr->mode ? tr->mode : "run");
	a = json_object_new_array();
	for (n = 0; n < tr->argc; n++)
		json_object_array_add(a, json_object_new_string(tr->argv[n]));
	json_object_object_add(o, "command", a);
	a = json_object_new_array();
	for (n = 0; n < tr->npids; n++)
		json_object_array_add(a, json_object_new_int64(tr->pids[n]));
	json_object_object_add(o, "pids", a);
	add_str(o, "kernel", tr->kernel);
	add_u64(o, "wall_ns", tr->total.wall_ns);
	report_json_trace_facts(o, tr);

	x = json_object_new_object();
	json_object_object_add(x, "recorded", json_object_new_boolean(tr->timeline));
	add_u64(x, "events", tr->timeline_events);
	add_u64(x, "lost", tr->drops.events);
	json_object_object_add(o, "timeline", x);

	x = json_object_new_object();
	add_u64(x, "processes", tr->nprocesses);
	sum_json(x, &tr->total);
	json_object_object_add(o, "totals", x);

	a = json_object_new_array();
	for (i = 0; i < tr->nprocs; i++)
		if (tr->procs[i].nthreads)
			json_object_array_add(a, process_json(&tr->procs[i]));
	json_object_object_add(o, "processes", a);

	a = json_object_new_array();
	for (i = 0; i < tr->nedges; i++)
		json_object_array_add(a, edge_json(&tr->edges[i]));
	json_object_object_add(o, "wakeups", a);
	return o;
}

int report_json_print(FILE *f, const struct ks_trace *tr)
{
	struct json_object *o = report_json(tr);
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE);
	int err = fputs(s, f) < 0 || fputc('\n', f) == EOF ? -EIO : 0;

	json_object_put(o);
	return err;
}

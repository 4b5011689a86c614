/* SPDX-License-Identifier: GPL-2.0-only */
/* Small hand-made traces for the model and report tests. */
#ifndef KSEE_TEST_FIXTURES_H
#define KSEE_TEST_FIXTURES_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/model.h"
#include "model/comparison.h"
#include "model/events.h"

#define MS 1000000ULL

static inline struct ksee_task fx_task(__u32 tid, __u32 tgid, const char *comm, __u64 on_cpu_ms)
{
	struct ksee_task kt;

	memset(&kt, 0, sizeof(kt));
	kt.st.tid = tid;
	kt.st.tgid = tgid;
	kt.st.start_ns = 1000 * MS;
	kt.st.end_ns = 2000 * MS;
	kt.st.flags = KSEE_TF_EXITED | (tid == tgid ? KSEE_TF_LEADER : 0);
	kt.st.on_cpu_ns = on_cpu_ms * MS;
	kt.st.cpus_mask = 1;
	strncpy(kt.st.comm, comm, sizeof(kt.st.comm) - 1);
	return kt;
}

static inline struct ksee_proc fx_proc(__u32 tgid, __u64 start_ms, __u64 end_ms)
{
	struct ksee_proc p;

	memset(&p, 0, sizeof(p));
	p.tgid = tgid;
	p.ppid = 1;
	p.uid = 1000;
	p.start_ns = start_ms * MS;
	p.end_ns = end_ms * MS;
	p.peak_running = 2;
	strcpy(p.comm, "demo");
	return p;
}

/*
 * pid 100: main + worker; 4 ms and 6 ms on CPU in a 100 ms life; @main
 * names the main thread, the process and the waker of the worker.
 */
static inline void fx_two_threads_named(struct ks_trace *tr, const char *main,
					const char *worker)
{
	struct ksee_task a = fx_task(100, 100, main, 4), b = fx_task(101, 100, worker, 6);
	struct ksee_proc p = fx_proc(100, 1000, 1100);
	struct ksee_edge_key k = { .wakee_tgid = 100, .wakee_tid = 101, .waker_tid = 100,
				   .waker_tgid = 100 };
	struct ksee_edge e = { .count = 4 };

	ks_trace_init(tr);
	tr->mode = "run";
	tr->start_ns = 1000 * MS;
	tr->end_ns = 1100 * MS;
	a.st.voluntary = 5;
	a.st.blocked_ns[KSEE_R_FUTEX] = 80 * MS;
	a.st.sys[KSEE_R_FUTEX].calls = 5;
	a.st.sys[KSEE_R_FUTEX].blocked_calls = 5;
	a.st.sys[KSEE_R_FUTEX].blocked_ns = 80 * MS;
	b.st.voluntary = 4;
	b.st.involuntary = 1;
	b.st.blocked_ns[KSEE_R_READ] = 90 * MS;
	b.st.runq_ns = 2 * MS;
	b.st.runq_count = 5;
	b.st.runq_hist[14] = 5;
	b.st.wakelat_ns = 1 * MS;
	b.st.wakelat_count = 3;
	b.st.wakelat_hist[18] = 3;
	b.st.off_hist[26] = 4;
	b.st.sys[KSEE_R_READ].calls = 4;
	b.st.sys[KSEE_R_READ].blocked_calls = 4;
	b.st.sys[KSEE_R_READ].blocked_ns = 90 * MS;
	snprintf(e.waker_comm, sizeof(e.waker_comm), "%s", main);
	snprintf(p.comm, sizeof(p.comm), "%s", main);
	ks_trace_add_task(tr, &a, false);
	ks_trace_add_task(tr, &b, false);
	ks_trace_add_proc(tr, &p, false);
	ks_trace_add_edge(tr, &k, &e);
}

static inline void fx_two_threads(struct ks_trace *tr)
{
	fx_two_threads_named(tr, "demo", "worker");
}

/* One model's column: ran, ok, one process of @tasks tasks, @wall_ms long. */
static inline struct cmp_result *fx_cmp_model(struct cmp_run *run, enum cmp_model m, __u32 tasks,
					      double wall_ms, double on_cpu_ms)
{
	struct cmp_result *r = &run->res[m];

	r->model = m;
	r->selected = r->ran = true;
	r->processes = 1;
	r->sum.tasks = r->user_tasks = tasks;
	r->sum.wall_ns = (__u64)(wall_ms * MS);
	r->sum.on_cpu_ns = (__u64)(on_cpu_ms * MS);
	r->sum.parallelism = on_cpu_ms / wall_ms;
	r->sum.peak_running = 1;
	r->sum.markers.same_thread_share = -1;
	r->sum.markers.voluntary_per_await = -1;
	r->demo.parsed = true;
	r->demo.requests = run->wl.requests;
	r->demo.workers = 1;
	r->demo.wall_ms = wall_ms;
	r->demo.p50_ms = 25;
	r->demo.p99_ms = 30;
	r->demo.wait_p50_ms = r->demo.wait_p99_ms = NAN;
	r->demo.setup_cpu_ms = 2;
	r->demo.work_cpu_ms = run->wl.requests * run->wl.cpu_us / 1e3;
	r->demo.cpu_ms = NAN;			/* the trace's on-CPU time is used */
	r->cpus_available = 2;
	r->cpus_free = -1;
	return r;
}

/* Awaits and resumes of an event loop: @same of 40 resumes on the awaiting thread. */
static inline void fx_cmp_markers(struct cmp_result *r, __u64 voluntary, __u64 same)
{
	struct ks_markers *mk = &r->sum.markers;

	r->sum.voluntary = voluntary;
	mk->requests_started = mk->requests_done = 40;
	mk->awaits = mk->resumes = 40;
	mk->resumes_same_thread = same;
	mk->voluntary_per_await = voluntary / 40.0;
	mk->same_thread_share = same / 40.0;
}

/*
 * Every model ran with R 40, C 8, D 5 ms, W 20 ms, N 4 on 2 CPUs, and the
 * kernel saw what the seeds claim: every verdict holds.
 */
static inline void fx_compare_run(struct cmp_run *run)
{
	struct cmp_result *r;

	memset(run, 0, sizeof(*run));
	run->wl = (struct cmp_workload){ .requests = 40, .concurrency = 8, .io_ms = 5,
					 .cpu_us = 20000, .workers = 4 };
	run->ncpus = 2;
	strcpy(run->kernel, "6.18.0-test");

	r = fx_cmp_model(run, CMP_BLOCKING, 1, 1000, 805);
	r->sum.voluntary = 40;
	r->sum.blocked_ns[KSEE_R_READ] = r->io_blocked_ns = 195 * MS;
	r->sum.sys[KSEE_R_READ].blocked_calls = 40;

	r = fx_cmp_model(run, CMP_THREADS, 41, 450, 820);
	r->demo.workers = 40;
	r->sum.blocked_ns[KSEE_R_READ] = r->io_blocked_ns = 200 * MS;
	r->sum.peak_running = 2;

	r = fx_cmp_model(run, CMP_POOL, 5, 460, 815);
	r->demo.workers = 4;
	fx_cmp_markers(r, 60, 20);
	r->cross_thread_wakeups = 30;

	r = fx_cmp_model(run, CMP_EPOLL, 1, 810, 806);
	fx_cmp_markers(r, 10, 40);
	r->sum.sys[KSEE_R_EPOLL].calls = 50;
	r->sum.sys[KSEE_R_EPOLL].blocked_calls = 10;
	r->sum.blocked_ns[KSEE_R_EPOLL] = r->io_blocked_ns = 4 * MS;

	r = fx_cmp_model(run, CMP_URING, 3, 812, 807);
	r->user_tasks = 1;
	r->sum.kernel_workers = 2;
	fx_cmp_markers(r, 12, 40);
	r->sum.sys[KSEE_R_IO_URING].blocked_calls = 12;

	r = fx_cmp_model(run, CMP_CORO, 1, 808, 806);
	fx_cmp_markers(r, 4, 40);
	r->sum.sys[KSEE_R_EPOLL].blocked_calls = 4;

	r = fx_cmp_model(run, CMP_GIL, 5, 820, 830);
	r->demo.workers = 4;
	r->sum.blocked_ns[KSEE_R_FUTEX] = r->lock_wait_ns = 600 * MS;

	r = fx_cmp_model(run, CMP_PROCS, 4, 450, 810);
	r->processes = 4;
	r->demo.workers = 4;

	run->c5 = (struct cmp_c5){ .measured = true, .lag_idle_ms = 0.05, .lag_busy_ms = 60,
				   .lag_idle_p99_ms = 0.2, .lag_busy_p99_ms = 140 };
}

/* One timeline event at @us microseconds after the start of fx_two_threads' trace. */
static inline void fx_event(struct ks_events *ev, __u64 us, __u16 type, __u32 tid, __u32 tgid,
			    __u32 arg, __u32 arg2, __u16 cpu)
{
	struct ksee_event e;

	memset(&e, 0, sizeof(e));
	e.ts_ns = 1000 * MS + us * 1000;
	e.type = type;
	e.tid = tid;
	e.tgid = tgid;
	e.arg = arg;
	e.arg2 = arg2;
	e.cpu = cpu;
	ks_events_append(ev, &e, 1);
}

/*
 * A timeline for fx_two_threads: main (100) runs, wakes the worker (101)
 * after it was blocked 5 ms in read; main blocks in futex (D state) and
 * an interrupt wakes it; the worker creates 102, which exits.
 */
static inline void fx_two_threads_events(struct ks_events *ev)
{
	ks_events_spool(ev);
	fx_event(ev, 0, KSEE_EV_RUN, 100, 100, 0, 0, 0);
	fx_event(ev, 1000, KSEE_EV_RUN, 101, 100, 0, 0, 1);
	fx_event(ev, 2000, KSEE_EV_BLOCK, 101, 100, KSEE_R_READ, 0, 1);
	fx_event(ev, 7000, KSEE_EV_WAKE, 101, 100, 100, 100, 0);
	fx_event(ev, 7500, KSEE_EV_BLOCK, 100, 100, KSEE_R_FUTEX, 1, 0);
	fx_event(ev, 8000, KSEE_EV_RUN, 101, 100, 0, 0, 0);
	fx_event(ev, 9000, KSEE_EV_WAKE, 100, 100, 0, KSEE_WAKER_IRQ, 0);
	fx_event(ev, 9500, KSEE_EV_RUN, 100, 100, 0, 0, 1);
	fx_event(ev, 10000, KSEE_EV_NEW, 102, 100, 101, 0, 0);
	fx_event(ev, 10200, KSEE_EV_RUN, 102, 100, 0, 0, 0);
	fx_event(ev, 11000, KSEE_EV_EXIT, 102, 100, 0, 0, 0);
	fx_event(ev, 12000, KSEE_EV_PREEMPT, 101, 100, 0, 0, 0);
	fx_event(ev, 12500, KSEE_EV_RUN, 101, 100, 0, 0, 0);
}

/*
 * fx_sim: a synthetic --timeline recording of one process (pid 100) with
 * @n threads (tids 100..), simulated until @nevents events, and the
 * matching aggregates. Four kinds of thread, by tid % 4: an event loop
 * blocked in epoll (woken by interrupts and the ioserver), a CPU worker
 * (preempted, waits for work in futex, woken by main), an I/O thread
 * (blocked in read, woken by loops or interrupts), a lock taker (futex,
 * sometimes D state, woken by the other lock takers). Every seventh
 * thread is created late and exits.
 */
struct fx_sim_thread {
	struct ksee_task kt;
	int state;		/* 0 running, 1 blocked, 2 runnable, 3 not born, 4 dead */
	__u64 next_ns, since_ns, out_ns, death_ns;
	__u32 reason;
	__u32 waker;		/* index; n: interrupt, n + 1: another process */
};

static inline __u64 fx_rnd(__u64 *x, __u64 lo_us, __u64 hi_us)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return (lo_us + (*x >> 33) % (hi_us - lo_us + 1)) * 1000;
}

static inline int fx_slot(__u64 v)
{
	int s = v ? 63 - __builtin_clzll(v) : 0;

	return s < KSEE_SLOTS ? s : KSEE_SLOTS - 1;
}

static inline void fx_sim_emit(struct ks_events *ev, __u64 ts, __u16 type, __u32 tid, __u32 arg,
			       __u32 arg2)
{
	struct ksee_event e;

	memset(&e, 0, sizeof(e));
	e.ts_ns = ts;
	e.type = type;
	e.tid = tid;
	e.tgid = 100;
	e.arg = arg;
	e.arg2 = arg2;
	e.cpu = tid & 1;
	ks_events_append(ev, &e, 1);
}

/* Thread @k, now running at @ts, switches out. */
static inline void fx_sim_switch_out(struct ks_events *ev, struct fx_sim_thread *t, unsigned int k,
				     unsigned int n, __u64 ts, __u64 *x)
{
	struct ksee_task_stats *st = &t->kt.st;
	__u64 dice = fx_rnd(x, 0, 99) / 1000;
	bool d = false;

	st->on_cpu_ns += ts - t->since_ns;
	t->out_ns = ts;
	if (k % 4 == 1 && dice < 40) {
		fx_sim_emit(ev, ts, KSEE_EV_PREEMPT, st->tid, 0, 0);
		st->involuntary++;
		t->state = 2;
		t->next_ns = ts + fx_rnd(x, 20, 1500);
		return;
	}
	switch (k % 4) {
	case 0: t->reason = KSEE_R_EPOLL; t->next_ns = ts + fx_rnd(x, 1000, 8000);
		t->waker = dice < 60 ? n : n + 1; break;
	case 1: t->reason = KSEE_R_FUTEX; t->next_ns = ts + fx_rnd(x, 30000, 120000);
		t->waker = 0; break;
	case 2: t->reason = KSEE_R_READ; t->next_ns = ts + fx_rnd(x, 2000, 10000);
		t->waker = dice < 50 ? n : (k + 2) % n; break;
	default:
		d = dice < 8;
		t->reason = d ? KSEE_R_OTHER : KSEE_R_FUTEX;
		t->next_ns = ts + (d ? fx_rnd(x, 500, 3000) : fx_rnd(x, 2000, 20000));
		t->waker = (k + 4) % n;
		break;
	}
	fx_sim_emit(ev, ts, KSEE_EV_BLOCK, st->tid, t->reason, d);
	st->voluntary++;
	st->sys[t->reason].calls++;
	st->sys[t->reason].blocked_calls++;
	if (d)
		st->uninterruptible_ns += t->next_ns - ts;
	t->state = 1;
}

static inline void fx_sim_step(struct ks_events *ev, struct fx_sim_thread *th, unsigned int k,
			       unsigned int n, __u64 *edges, struct ksee_proc *p, __u64 *x)
{
	struct fx_sim_thread *t = &th[k];
	struct ksee_task_stats *st = &t->kt.st;
	__u64 ts = t->next_ns, waker_tid, waker_tgid;

	switch (t->state) {
	case 0:
		if (t->death_ns && ts >= t->death_ns) {
			st->on_cpu_ns += ts - t->since_ns;
			fx_sim_emit(ev, ts, KSEE_EV_EXIT, st->tid, 0, 0);
			st->end_ns = ts;
			t->state = 4;
			t->next_ns = ~0ULL;
			break;
		}
		fx_sim_switch_out(ev, t, k, n, ts, x);
		break;
	case 1:
		waker_tid = t->waker < n ? th[t->waker].kt.st.tid : t->waker == n ? 0 : 200;
		waker_tgid = t->waker < n ? 100 : t->waker == n ? KSEE_WAKER_IRQ : 200;
		fx_sim_emit(ev, ts, KSEE_EV_WAKE, st->tid, waker_tid, waker_tgid);
		st->blocked_ns[t->reason] += ts - t->since_ns;
		st->sys[t->reason].blocked_ns += ts - t->since_ns;
		st->sys[t->reason].total_ns += ts - t->since_ns + 2000;
		if (t->reason == KSEE_R_EPOLL) {
			p->epoll_hist[fx_slot(ts - t->since_ns)]++;
			st->epoll_events++;
		}
		st->wakeups++;
		edges[(size_t)t->waker * n + k]++;
		t->state = 2;
		t->next_ns = ts + fx_rnd(x, 5, k % 4 == 1 ? 800 : 150);
		break;
	case 2:
		fx_sim_emit(ev, ts, KSEE_EV_RUN, st->tid, 0, 0);
		st->runq_ns += ts - t->since_ns;
		st->runq_count++;
		st->runq_hist[fx_slot(ts - t->since_ns)]++;
		if (t->out_ns)
			st->off_hist[fx_slot(ts - t->out_ns)]++;
		t->state = 0;
		switch (k % 4) {
		case 0: t->next_ns = ts + fx_rnd(x, 50, 400); break;
		case 1: t->next_ns = ts + fx_rnd(x, 1000, 4000); break;
		case 2: t->next_ns = ts + fx_rnd(x, 20, 150); break;
		default: t->next_ns = ts + fx_rnd(x, 100, 800); break;
		}
		break;
	case 3:
		fx_sim_emit(ev, ts, KSEE_EV_NEW, st->tid, 100, 0);
		st->start_ns = ts;
		t->state = 2;
		t->next_ns = ts + fx_rnd(x, 5, 100);
		break;
	}
	t->since_ns = ts;
}

static inline void fx_sim(struct ks_trace *tr, struct ks_events *ev, unsigned int n,
			  __u64 nevents)
{
	static char *argv[] = { "./sim", "--threads", "50" };
	struct fx_sim_thread *th = calloc(n, sizeof(*th));
	__u64 *edges = calloc((size_t)(n + 2) * n, sizeof(*edges));
	__u64 x = 42, start = 1000 * MS, end = start, i;
	struct ksee_proc p = fx_proc(100, 1000, 1000);
	static const char *const kinds[] = { "loop", "cpu", "io", "lock" };
	struct ksee_edge_key key;
	struct ksee_edge e;
	unsigned int k, j, best;

	ks_trace_init(tr);
	ks_events_spool(ev);
	tr->mode = "run";
	tr->argv = argv;
	tr->argc = 3;
	tr->start_ns = start;
	strcpy(tr->kernel, "6.1.0-test");
	for (k = 0; k < n; k++) {
		th[k].kt = fx_task(100 + k, 100, "", 0);
		snprintf(th[k].kt.st.comm, KSEE_COMM_LEN, k ? "%s-%u" : "sim-main", kinds[k % 4], k);
		th[k].kt.st.start_ns = start;
		th[k].state = 2;
		th[k].since_ns = start;
		th[k].next_ns = start + fx_rnd(&x, 0, 2000);
		if (k % 7 == 6) {
			th[k].state = 3;
			th[k].next_ns = start + (200 + 150 * (k % 3)) * MS;
			th[k].death_ns = th[k].next_ns + 500 * MS;
		}
	}
	for (i = 0; i < nevents; i++) {
		for (best = 0, k = 1; k < n; k++)
			if (th[k].next_ns < th[best].next_ns)
				best = k;
		end = th[best].next_ns;
		fx_sim_step(ev, th, best, n, edges, &p, &x);
	}
	tr->end_ns = end;
	p.start_ns = start;
	p.end_ns = end;
	p.peak_running = 2;
	for (k = 0; k < n; k++) {
		if (th[k].state != 4)
			th[k].kt.st.end_ns = end;
		ks_trace_add_task(tr, &th[k].kt, false);
	}
	ks_trace_add_proc(tr, &p, false);
	for (j = 0; j < n + 2; j++) {
		for (k = 0; k < n; k++) {
			if (!edges[(size_t)j * n + k])
				continue;
			memset(&key, 0, sizeof(key));
			memset(&e, 0, sizeof(e));
			key.wakee_tgid = 100;
			key.wakee_tid = 100 + k;
			key.waker_tid = j < n ? 100 + j : j == n ? 0 : 200;
			key.waker_tgid = j < n ? 100 : j == n ? KSEE_WAKER_IRQ : 200;
			e.count = edges[(size_t)j * n + k];
			if (j < n)
				memcpy(e.waker_comm, th[j].kt.st.comm, KSEE_COMM_LEN);
			else if (j == n + 1)
				strcpy(e.waker_comm, "ioserver");
			ks_trace_add_edge(tr, &key, &e);
		}
	}
	free(th);
	free(edges);
}

/* --stacks: frames of a hand-made stack, leaf first; a NULL name ends them. */
struct fx_frame {
	const char *name, *module, *file;
	__u32 line, flags;
};

static inline void fx_stack(struct ks_trace *tr, __u32 tid, __u32 reason, __u64 count, __u64 ms,
		     __u32 flags, const struct fx_frame *fr, __u32 nkernel)
{
	struct ks_stack s = { .tgid = 100, .tid = tid, .reason = reason, .flags = flags,
			      .count = count, .blocked_ns = ms * MS, .nkernel = nkernel };
	__u32 n;

	for (n = 0; fr[n].name; n++)
		;
	s.frames = calloc(n, sizeof(*s.frames));
	if (!s.frames)
		abort();
	for (s.nframes = 0; s.nframes < n; s.nframes++) {
		struct ks_frame *f = &s.frames[s.nframes];

		f->name = strdup(fr[s.nframes].name);
		f->module = fr[s.nframes].module ? strdup(fr[s.nframes].module) : NULL;
		f->file = fr[s.nframes].file ? strdup(fr[s.nframes].file) : NULL;
		f->line = fr[s.nframes].line;
		f->flags = fr[s.nframes].flags;
	}
	if (ks_stacks_add(&tr->stacks, &s))
		abort();
}

/*
 * fx_two_threads() (main 100: futex 80 ms; worker 101: read 90 ms) with
 * stacks: main's futex time at two stack keys with the same frames, the
 * worker's read stack cut short, and 10 ms of main's futex time... on the
 * worker, at main's frames (two threads in one group).
 */
static inline void fx_stacks(struct ks_trace *tr)
{
	static const struct fx_frame lock_frames[] = {
		{ "schedule", NULL, NULL, 0, KS_FRAME_KERNEL },
		{ "futex_wait", NULL, NULL, 0, KS_FRAME_KERNEL },
		{ "__lll_lock_wait", "libc.so.6", NULL, 0, 0 },
		{ "take_lock", "demo", "demo.c", 10, 0 },
		{ "ns;weird", "demo", NULL, 0, KS_FRAME_INLINED },
		{ "main", "demo", "demo.c", 30, 0 },
		{ NULL },
	};

	static const struct fx_frame read_frames[] = {
		{ "schedule", NULL, NULL, 0, KS_FRAME_KERNEL },
		{ "read", "libc.so.6", NULL, 0, 0 },
		{ "demo+0x1234", "demo", NULL, 0, KS_FRAME_NOSYM },
		{ NULL },
	};

	fx_two_threads(tr);
	tr->features.stacks = true;
	fx_stack(tr, 100, KSEE_R_FUTEX, 3, 40, 0, lock_frames, 2);
	fx_stack(tr, 101, KSEE_R_READ, 4, 90, KS_STACK_TRUNCATED, read_frames, 1);
	fx_stack(tr, 100, KSEE_R_FUTEX, 2, 30, 0, lock_frames, 2);
	fx_stack(tr, 101, KSEE_R_FUTEX, 1, 10, 0, lock_frames, 2);
	ks_trace_finish(tr);
}

#endif

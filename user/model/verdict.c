// SPDX-License-Identifier: GPL-2.0-only
/*
 * A verdict on each claim of the seeds (C1..C9), computed from what the
 * kernel saw of each model. One function per claim; every threshold is a
 * named constant below, explained in docs/verdicts.md. run->res[m] is the
 * column of model m. A model that did not run, failed, or was not seen by
 * the tracer does not count; a claim left with no model is "not measured".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "model/verdict.h"

/* C1: an event loop is one task of the program, in one process. */
#define C1_TASKS		1

/*
 * C2: voluntary switches per await, the loop's own idle waits (sleeps in
 * epoll_wait or io_uring_enter) taken out: at most one per two awaits
 * holds, below one is partly.
 */
#define C2_HOLDS_PER_AWAIT	0.5
#define C2_PARTLY_PER_AWAIT	1.0

/* C3: share of resumes on the awaiting thread; "always" allowing 1 in 1000 for noise. */
#define C3_SAME_THREAD		0.999

/* C4: a pool needs two workers to move continuations; below 90% same-thread holds. */
#define C4_MIN_WORKERS		2
#define C4_HOLDS_SHARE		0.9
#define C4_PARTLY_SHARE		C3_SAME_THREAD

/*
 * C5: extra lateness of ready I/O (busy minus idle run), in units of one
 * request's CPU work W: the median reply waited for half a request's work
 * or more: holds; only the p99 did: partly. Needs 4 requests in flight.
 */
#define C5_STALL_SHARE		0.5
#define C5_MIN_CONCURRENCY	4
#define C5_MIN_CONCURRENCY_S	"4"

/* C6: parallelism of the gil model: about one CPU holds, under 1.5 partly. */
#define C6_HOLDS_PARALLELISM	1.15
#define C6_PARTLY_PARALLELISM	1.5

/*
 * C6, C9: CPUs the workload could keep busy without a lock,
 * min(CPUs free, N x W / (W + D)); below this, serial and parallel look
 * alike. The lock-free control (threads) must show it too.
 */
#define PAR_POSSIBLE_MIN	1.5
#define PAR_CONTROL_MIN		1.3

/*
 * C7: wall minus the measured on-CPU time (the waiting part): sequential
 * >= 90% of R x D, concurrent <= half of it; 4 requests in flight at
 * least, and R x D large enough against the CPU work to stand out of its
 * noise.
 */
#define C7_SEQUENTIAL_SHARE	0.9
#define C7_OVERLAP_SHARE	0.5
#define C7_MIN_CONCURRENCY	4
#define C7_MIN_CONCURRENCY_S	"4"
#define C7_MIN_WAIT_MS		20.0
#define C7_MIN_WAIT_SHARE	0.2
/*
 * C7, C8: fewer CPUs free than this during a model's run: its waits for a
 * CPU stretch its wall and overlap its I/O waits.
 */
#define C7_MIN_CPUS_FREE	1.0

/*
 * C8: the blocking model parked in I/O >= 80% of R x D; every model's
 * CPU time outside start-up and the work W <= 20% of R x D, plus 1% of
 * the work: on a loaded machine the kernel's on-CPU count and the demo's
 * CPU clock around the work were seen to differ by that much.
 */
#define C8_PARKED_SHARE		0.8
#define C8_CPU_SHARE		0.2
#define C8_WORK_NOISE		0.01
/* Above this many sleeps in read per request, the note says where the others come from. */
#define BLOCKING_EXTRA_SLEEPS	1.1

/*
 * C9: parallelism of the procs model against what the workload, the free
 * CPUs and the lock-free control allow: 70% of it holds, more than one
 * CPU (1.1) partly. Not 80%: each worker process serves its own share of
 * the requests in flight, so one waits while another's CPU work runs;
 * on an idle 2-CPU machine procs reached 1.17 to 1.20 of a reachable
 * 1.50 (W 3 ms, D 5 ms, N 4), run after run.
 */
#define C9_HOLDS_SHARE		0.7
#define C9_PARTLY_PARALLELISM	1.1

#define NS_PER_MS		1e6

/* The model's column if its numbers can be used, else NULL. */
static const struct cmp_result *usable(const struct cmp_run *run, enum cmp_model m)
{
	const struct cmp_result *r = &run->res[m];

	return r->ran && !r->failed && r->sum.tasks ? r : NULL;
}

/*
 * Say in the note which of @ms cannot be used and why; returns how many
 * can. With none, the verdict is "not measured".
 */
static int count_usable(const struct cmp_run *run, const enum cmp_model *ms, int n,
			struct cmp_verdict *v)
{
	const struct cmp_result *r;
	int i, good = 0;

	for (i = 0; i < n; i++) {
		r = &run->res[ms[i]];
		if (usable(run, ms[i]))
			good++;
		else if (!r->ran)
			NOTE(v, "%s%s did not run", sep(v->note), cmp_model_name(ms[i]));
		else if (r->failed)
			NOTE(v, "%s%s failed", sep(v->note), cmp_model_name(ms[i]));
		else
			NOTE(v, "%s%s: no task traced", sep(v->note), cmp_model_name(ms[i]));
	}
	if (!good)
		v->kind = CMP_NOT_MEASURED;
	return good;
}

/* The column of the one model a claim needs, or NULL: not measured, why in the note. */
static const struct cmp_result *need(const struct cmp_run *run, enum cmp_model m,
				     struct cmp_verdict *v)
{
	return count_usable(run, &m, 1, v) ? usable(run, m) : NULL;
}

static void not_measured(struct cmp_verdict *v, const char *why)
{
	v->kind = CMP_NOT_MEASURED;
	NOTE(v, "%s%s", sep(v->note), why);
}

/* All @good of @n models agree: holds; some: partly; none: does not hold. */
static enum cmp_verdict_kind grade(int good, int n)
{
	if (good == n)
		return CMP_HOLDS;
	return good ? CMP_PARTLY : CMP_DOES_NOT_HOLD;
}

/* Threads or processes the model used: what the demo said, else N. */
static unsigned long workers(const struct cmp_run *run, const struct cmp_result *r)
{
	return r->demo.parsed && r->demo.workers ? r->demo.workers : run->wl.workers;
}

/* Wall time in ms: the demo's own (serving only), else the trace's. */
static double wall_ms(const struct cmp_result *r)
{
	return r->demo.parsed ? r->demo.wall_ms : r->sum.wall_ns / NS_PER_MS;
}

static const enum cmp_model event_loops[] = { CMP_EPOLL, CMP_CORO, CMP_URING };
#define NLOOPS ((int)(sizeof(event_loops) / sizeof(event_loops[0])))

static void c1_one_thread(const struct cmp_run *run, struct cmp_verdict *v)
{
	const struct cmp_result *r;
	int i, n, good = 0;

	n = count_usable(run, event_loops, NLOOPS, v);
	if (!n)
		return;
	for (i = 0; i < NLOOPS; i++) {
		r = usable(run, event_loops[i]);
		if (!r)
			continue;
		NUMBERS(v, "%s%s %u task%s", sep(v->numbers), cmp_model_name(event_loops[i]),
			r->user_tasks, plural(r->user_tasks));
		if (r->sum.kernel_workers)
			NUMBERS(v, " + %u kernel io-wq worker%s", r->sum.kernel_workers,
				plural(r->sum.kernel_workers));
		if (r->processes != 1)
			NUMBERS(v, " in %u processes", r->processes);
		if (r->user_tasks == C1_TASKS && r->processes == 1)
			good++;
		if (r->sum.kernel_workers)
			NOTE(v, "%sthe kernel added %u io-wq worker%s to %s's process: one thread "
			     "of the program, %u kernel tasks", sep(v->note), r->sum.kernel_workers,
			     plural(r->sum.kernel_workers), cmp_model_name(event_loops[i]),
			     r->sum.tasks);
	}
	v->kind = grade(good, n);
}

/* Times the loop thread went to sleep waiting for I/O. */
static __u64 loop_blocked_waits(const struct cmp_result *r, const char **what)
{
	const struct ksee_sys *ep = &r->sum.sys[KSEE_R_EPOLL], *ur = &r->sum.sys[KSEE_R_IO_URING];

	*what = ur->blocked_calls > ep->blocked_calls ? "io_uring_enter" : "epoll_wait";
	return ur->blocked_calls > ep->blocked_calls ? ur->blocked_calls : ep->blocked_calls;
}

/* Voluntary switches per await besides the loop's idle waits; -1 without awaits. */
static double other_switches_per_await(const struct cmp_result *r)
{
	const char *what;
	__u64 waits = loop_blocked_waits(r, &what);
	__u64 vol = r->sum.voluntary;

	if (!r->sum.markers.awaits || r->sum.markers.voluntary_per_await < 0)
		return -1;
	return (double)(vol > waits ? vol - waits : 0) / r->sum.markers.awaits;
}

static void c2_await_no_switch(const struct cmp_run *run, struct cmp_verdict *v)
{
	const struct cmp_result *r;
	double worst = 0, vpa;
	const char *what;
	int i, n = 0;
	__u64 waits;

	if (!count_usable(run, event_loops, NLOOPS, v))
		return;
	for (i = 0; i < NLOOPS; i++) {
		r = usable(run, event_loops[i]);
		if (!r)
			continue;
		vpa = other_switches_per_await(r);
		if (vpa < 0) {
			NOTE(v, "%s%s: no awaits seen (USDT markers not attached?)", sep(v->note),
			     cmp_model_name(event_loops[i]));
			continue;
		}
		n++;
		if (vpa > worst)
			worst = vpa;
		NUMBERS(v, "%s%s %.2f", sep(v->numbers), cmp_model_name(event_loops[i]), vpa);
	}
	if (!n) {
		v->kind = CMP_NOT_MEASURED;
		return;
	}
	NUMBERS(v, " voluntary switches per await, the loop's idle waits left out");
	if (worst <= C2_HOLDS_PER_AWAIT)
		v->kind = CMP_HOLDS;
	else if (worst < C2_PARTLY_PER_AWAIT)
		v->kind = CMP_PARTLY;
	else
		v->kind = CMP_DOES_NOT_HOLD;
	NOTE(v, "%san await is a user-space switch, but the loop thread is switched out "
	     "each time its I/O wait blocks with nothing ready:", sep(v->note));
	for (i = 0, n = 0; i < NLOOPS; i++) {
		r = usable(run, event_loops[i]);
		if (!r)
			continue;
		waits = loop_blocked_waits(r, &what);
		NOTE(v, "%s %s %llu blocked %s", n++ ? "," : "", cmp_model_name(event_loops[i]),
		     (unsigned long long)waits, what);
	}
}

static void c3_same_thread(const struct cmp_run *run, struct cmp_verdict *v)
{
	const struct cmp_result *r;
	const struct ks_markers *m;
	int i, n = 0, good = 0;

	if (!count_usable(run, event_loops, NLOOPS, v))
		return;
	for (i = 0; i < NLOOPS; i++) {
		r = usable(run, event_loops[i]);
		if (!r)
			continue;
		m = &r->sum.markers;
		if (m->same_thread_share < 0) {
			NOTE(v, "%s%s: no resumes seen (USDT markers not attached?)", sep(v->note),
			     cmp_model_name(event_loops[i]));
			continue;
		}
		n++;
		if (m->same_thread_share >= C3_SAME_THREAD)
			good++;
		NUMBERS(v, "%s%s %llu/%llu", sep(v->numbers), cmp_model_name(event_loops[i]),
			(unsigned long long)m->resumes_same_thread,
			(unsigned long long)m->resumes);
	}
	if (!n) {
		v->kind = CMP_NOT_MEASURED;
		return;
	}
	NUMBERS(v, " resumes on the thread that awaited");
	v->kind = grade(good, n);
}

static void c4_any_thread(const struct cmp_run *run, struct cmp_verdict *v)
{
	const struct cmp_result *r = need(run, CMP_POOL, v);
	const struct ks_markers *m;
	unsigned long nw;

	if (!r)
		return;
	m = &r->sum.markers;
	nw = workers(run, r);
	if (nw < C4_MIN_WORKERS) {
		not_measured(v, "the pool had 1 worker: no other thread to resume on");
		return;
	}
	if (m->same_thread_share < 0) {
		not_measured(v, "pool: no resumes seen (USDT markers not attached?)");
		return;
	}
	NUMBERS(v, "pool: %lu workers, %llu/%llu resumes (%.1f%%) on the thread that awaited, "
		"%llu cross-thread wakeups", nw, (unsigned long long)m->resumes_same_thread,
		(unsigned long long)m->resumes, 100 * m->same_thread_share,
		(unsigned long long)r->cross_thread_wakeups);
	if (m->same_thread_share < C4_HOLDS_SHARE && r->cross_thread_wakeups) {
		v->kind = CMP_HOLDS;
	} else if (m->same_thread_share < C4_PARTLY_SHARE) {
		v->kind = CMP_PARTLY;
		if (!r->cross_thread_wakeups)
			NOTE(v, "%sno wakeup between two pool threads was seen", sep(v->note));
	} else {
		v->kind = CMP_DOES_NOT_HOLD;
		NOTE(v, "%severy continuation ran on the thread that awaited", sep(v->note));
	}
}

/* @ms milliseconds with the digits the measurement supports: 3 significant, 10 us at best. */
static void put_ms(char *buf, size_t len, double ms)
{
	snprintf(buf, len, "%.*f ms", ms >= 100 ? 0 : ms >= 10 ? 1 : 2, ms);
}

void cmp_judge_c5(const struct cmp_run *run, const struct cmp_c5 *c, const char *who,
		  struct cmp_verdict *v)
{
	double work_ms = run->wl.cpu_us / 1e3, extra, extra99;
	char b50[24], i50[24], b99[24], i99[24], w[24];

	if (!run->wl.cpu_us) {
		not_measured(v, "the workload has no CPU work (W = 0)");
		return;
	}
	if (run->wl.concurrency < C5_MIN_CONCURRENCY) {
		not_measured(v, "fewer than " C5_MIN_CONCURRENCY_S " requests in flight (C): "
			     "too few other tasks to stall");
		return;
	}
	if (!c->measured) {
		v->kind = CMP_NOT_MEASURED;
		NOTE(v, "%s%s was not run with and without CPU work, or did not print its "
		     "per-request waits", sep(v->note), who);
		return;
	}
	extra = c->lag_busy_ms - c->lag_idle_ms;
	extra99 = c->lag_busy_p99_ms - c->lag_idle_p99_ms;
	put_ms(b50, sizeof(b50), c->lag_busy_ms);
	put_ms(i50, sizeof(i50), c->lag_idle_ms);
	put_ms(b99, sizeof(b99), c->lag_busy_p99_ms);
	put_ms(i99, sizeof(i99), c->lag_idle_p99_ms);
	put_ms(w, sizeof(w), work_ms);
	NUMBERS(v, "%s: a ready reply handled %s late with W = %s of CPU work per request, "
		"%s without (p50, per request); p99 %s vs %s", who, b50, w, i50, b99, i99);
	if (extra >= C5_STALL_SHARE * work_ms) {
		v->kind = CMP_HOLDS;
	} else if (extra99 >= C5_STALL_SHARE * work_ms) {
		v->kind = CMP_PARTLY;
		NOTE(v, "%sthe median reply waited less than half a request's CPU work; the "
		     "slowest 1%% waited more", sep(v->note));
	} else {
		v->kind = CMP_DOES_NOT_HOLD;
		NOTE(v, "%seven the slowest 1%% of replies waited less than half a request's "
		     "CPU work", sep(v->note));
	}
}

static void c5_cpu_stalls_loop(const struct cmp_run *run, struct cmp_verdict *v)
{
	cmp_judge_c5(run, &run->c5, "epoll", v);
}

/* CPUs the model could use: free during its run, else available, else online. */
static double usable_cpus(const struct cmp_run *run, const struct cmp_result *r)
{
	if (r->cpus_free >= 0)
		return r->cpus_free;
	return r->cpus_available > 0 ? r->cpus_available : run->ncpus;
}

/* " (1.6 of 2 CPUs free)" or " on 2 CPUs" into the numbers. */
static void cpus_numbers(const struct cmp_run *run, const struct cmp_result *r,
			 struct cmp_verdict *v)
{
	double avail = r->cpus_available > 0 ? r->cpus_available : run->ncpus;

	if (r->cpus_free >= 0)
		NUMBERS(v, ", %.1f of %.3g CPU%s free", r->cpus_free, avail, avail == 1 ? "" : "s");
	else
		NUMBERS(v, " on %.3g CPU%s", avail, avail == 1 ? "" : "s");
}

/*
 * CPUs the model could keep busy with no lock: each of its N workers computes
 * W out of every W + D, while the others wait for I/O; never more than the
 * CPUs free. The lock-free control (@t, the threads model for the demos)
 * must have shown parallelism too. Returns that ceiling, also bounded by
 * what the control reached; 0 (why in the note, verdict not measured) if it
 * is too low to tell.
 */
double cmp_parallelism_possible(const struct cmp_run *run, const struct cmp_result *r,
				const struct cmp_result *t, const char *ctl_name,
				struct cmp_verdict *v)
{
	double w = run->wl.cpu_us, d = run->wl.io_ms * 1e3, busy, cpus = usable_cpus(run, r);
	double avail = r->cpus_available > 0 ? r->cpus_available : run->ncpus;
	unsigned long nw = workers(run, r);

	if (avail < PAR_POSSIBLE_MIN) {
		v->kind = CMP_NOT_MEASURED;
		NOTE(v, "%sonly %.3g CPU%s usable (online CPUs in the affinity mask, cgroup "
		     "cpu.max): too few to run in parallel", sep(v->note), avail,
		     avail == 1 ? "" : "s");
		return 0;
	}
	if (!run->wl.cpu_us) {
		not_measured(v, "the workload has no CPU work (W = 0)");
		return 0;
	}
	if (nw < 2) {
		not_measured(v, "one worker: nothing to run in parallel");
		return 0;
	}
	busy = nw * w / (w + d);
	if (busy > cpus)
		busy = cpus;
	if (busy < PAR_POSSIBLE_MIN) {
		v->kind = CMP_NOT_MEASURED;
		NOTE(v, "%sthe run could keep at most %.2f CPUs busy (min(CPUs free, N x W / "
		     "(W + D))); it takes %.1f to tell: raise W, or free CPUs", sep(v->note), busy,
		     PAR_POSSIBLE_MIN);
		return 0;
	}
	if (!t) {
		v->kind = CMP_NOT_MEASURED;
		NOTE(v, "%sthe lock-free control (%s) did not run", sep(v->note), ctl_name);
		return 0;
	}
	if (t->sum.parallelism < PAR_CONTROL_MIN) {
		v->kind = CMP_NOT_MEASURED;
		NOTE(v, "%sthe lock-free control (%s) reached only %.2f: the machine did not "
		     "give the run %.1f CPUs", sep(v->note), ctl_name, t->sum.parallelism,
		     PAR_CONTROL_MIN);
		return 0;
	}
	return t->sum.parallelism < busy ? t->sum.parallelism : busy;
}

enum cmp_verdict_kind cmp_c6_kind(double p)
{
	if (p <= C6_HOLDS_PARALLELISM)
		return CMP_HOLDS;
	return p < C6_PARTLY_PARALLELISM ? CMP_PARTLY : CMP_DOES_NOT_HOLD;
}

static void c6_gil(const struct cmp_run *run, struct cmp_verdict *v)
{
	const struct cmp_result *r = need(run, CMP_GIL, v), *t;
	double p;

	if (!r)
		return;
	p = r->sum.parallelism;
	NUMBERS(v, "gil: parallelism %.2f (peak %u running) with %lu threads", p,
		r->sum.peak_running, workers(run, r));
	cpus_numbers(run, r, v);
	NUMBERS(v, ", its workers blocked %.1f ms in futex (the lock)",
		r->lock_wait_ns / NS_PER_MS);
	t = usable(run, CMP_THREADS);
	if (t)
		NUMBERS(v, "; threads (no lock): %.2f", t->sum.parallelism);
	if (!cmp_parallelism_possible(run, r, usable(run, CMP_THREADS), "threads", v))
		return;
	v->kind = cmp_c6_kind(p);
	if (v->kind != CMP_HOLDS)
		NOTE(v, "%scode outside the lock (syscalls, I/O) ran at the same time",
		     sep(v->note));
}

/* CPU time of the serving phase in ms: on-CPU minus the demo's start-up, if it said it. */
static double serving_cpu_ms(const struct cmp_result *r)
{
	double cpu = r->sum.on_cpu_ns / NS_PER_MS;

	if (r->demo.parsed && r->demo.setup_cpu_ms >= 0 && r->demo.setup_cpu_ms < cpu)
		cpu -= r->demo.setup_cpu_ms;
	return cpu;
}

/* Wall time minus the measured CPU time, as if all that work ran on one CPU: the waiting part. */
static double waiting_ms(const struct cmp_result *r)
{
	return wall_ms(r) - serving_cpu_ms(r);
}

static void c7_overlap(const struct cmp_run *run, struct cmp_verdict *v)
{
	static const enum cmp_model conc[] = { CMP_THREADS, CMP_POOL, CMP_EPOLL, CMP_URING,
					       CMP_CORO };
	const int nconc = sizeof(conc) / sizeof(conc[0]);
	double rd = (double)run->wl.requests * run->wl.io_ms, wait;
	const struct cmp_result *b, *r;
	bool seq_ok, conc_ok = true;
	int i;

	if (!rd) {
		not_measured(v, "the workload has no I/O wait (R x D = 0)");
		return;
	}
	if (run->wl.concurrency < C7_MIN_CONCURRENCY) {
		not_measured(v, "fewer than " C7_MIN_CONCURRENCY_S " requests in flight (C): "
			     "too few to overlap");
		return;
	}
	b = need(run, CMP_BLOCKING, v);
	if (!b || !count_usable(run, conc, nconc, v)) {
		v->kind = CMP_NOT_MEASURED;
		return;
	}
	NUMBERS(v, "R x D = %.0f ms; wall minus on-CPU: blocking %.0f ms", rd,
		waiting_ms(b) > 0 ? waiting_ms(b) : 0);
	for (i = 0; i < nconc; i++) {
		r = usable(run, conc[i]);
		if (!r)
			continue;
		wait = waiting_ms(r);
		if (wait > C7_OVERLAP_SHARE * rd)
			conc_ok = false;
		NUMBERS(v, ", %s %.0f", cmp_model_name(conc[i]), wait > 0 ? wait : 0);
	}
	NUMBERS(v, " ms (blocking on-CPU %.0f ms)", serving_cpu_ms(b));
	if (rd < C7_MIN_WAIT_MS || rd < C7_MIN_WAIT_SHARE * serving_cpu_ms(b)) {
		v->kind = CMP_NOT_MEASURED;
		NOTE(v, "%sR x D is too small against the CPU work to stand out of its noise "
		     "(needs %.0f ms and %.0f%% of the blocking model's on-CPU time): raise R or D",
		     sep(v->note), C7_MIN_WAIT_MS, 100 * C7_MIN_WAIT_SHARE);
		return;
	}
	for (i = -1; i < nconc; i++) {
		r = i < 0 ? b : usable(run, conc[i]);
		if (!r || r->cpus_free < 0 || r->cpus_free >= C7_MIN_CPUS_FREE)
			continue;
		v->kind = CMP_NOT_MEASURED;
		NOTE(v, "%sthe machine was busy: %.1f CPUs free while %s ran (%.1f needed); "
		     "waiting for a CPU stretches the wall", sep(v->note), r->cpus_free,
		     cmp_model_name(r->model), C7_MIN_CPUS_FREE);
		return;
	}
	seq_ok = waiting_ms(b) >= C7_SEQUENTIAL_SHARE * rd;
	v->kind = seq_ok && conc_ok ? CMP_HOLDS : seq_ok || conc_ok ? CMP_PARTLY :
		  CMP_DOES_NOT_HOLD;
	if (!seq_ok)
		NOTE(v, "%sthe blocking model's wall minus on-CPU was under %.0f%% of R x D",
		     sep(v->note), 100 * C7_SEQUENTIAL_SHARE);
	if (!conc_ok)
		NOTE(v, "%sa concurrent model's wall minus on-CPU was over %.0f%% of R x D",
		     sep(v->note), 100 * C7_OVERLAP_SHARE);
}

/*
 * CPU time outside start-up and the work W, in ns, never below 0: an upper
 * bound on what was burned while waiting. -1 if the demo did not say.
 * Start-up and W are read by the demo from the kernel's CPU accounting, so
 * the whole is taken from the same clock (cpu_ms) when the demo gives it:
 * the trace's switch-to-switch on-CPU time also holds what the hypervisor
 * stole from the virtual CPU, which no model burned, and which grows with
 * the host's load. Demos without cpu_ms: the trace's on-CPU time.
 */
static double cpu_outside_work(const struct cmp_result *r)
{
	double x, all = r->sum.on_cpu_ns;

	if (!r->demo.parsed || !(r->demo.setup_cpu_ms >= 0) || !(r->demo.work_cpu_ms >= 0))
		return -1;
	if (r->demo.cpu_ms >= 0)
		all = r->demo.cpu_ms * NS_PER_MS;
	x = all - (r->demo.setup_cpu_ms + r->demo.work_cpu_ms) * NS_PER_MS;
	return x > 0 ? x : 0;
}

/* Why the blocking model makes more than one voluntary switch per request. */
static void blocking_switches_note(const struct cmp_run *run, const struct cmp_result *b,
				   struct cmp_verdict *v)
{
	double req = cmp_requests(run, b), sleeps = b->sum.sys[KSEE_R_READ].blocked_calls;

	if (!req || sleeps <= BLOCKING_EXTRA_SLEEPS * req)
		return;
	NOTE(v, "%sblocking: %.2f voluntary switches per request, %.2f of them sleeps in read: "
	     "one waits for the reply; the others are short, as the server taking the request "
	     "off the socket wakes the reader, which sleeps again", sep(v->note),
	     b->sum.voluntary / req, sleeps / req);
}

static void c8_parked(const struct cmp_run *run, struct cmp_verdict *v)
{
	static const enum cmp_model ms[] = { CMP_BLOCKING, CMP_THREADS, CMP_EPOLL };
	const int nms = sizeof(ms) / sizeof(ms[0]);
	const struct cmp_result *b, *r;
	double rd_ns, parked, out;
	bool parked_ok, cpu_ok = true, cpu_known = false;
	int i;

	if (!run->wl.requests || !run->wl.io_ms) {
		not_measured(v, "the workload has no I/O wait (R x D = 0)");
		return;
	}
	count_usable(run, ms, nms, v);
	b = usable(run, CMP_BLOCKING);
	if (!b) {
		v->kind = CMP_NOT_MEASURED;
		return;
	}
	rd_ns = cmp_requests(run, b) * run->wl.io_ms * NS_PER_MS;
	parked = b->io_blocked_ns / rd_ns;
	parked_ok = parked >= C8_PARKED_SHARE;
	/*
	 * On a busy machine a request's wait overlaps the task's waits for a
	 * CPU (the reply comes while it is runnable, not asleep): count those.
	 */
	if (!parked_ok && b->cpus_free >= 0 && b->cpus_free < C7_MIN_CPUS_FREE &&
	    b->io_blocked_ns + b->sum.runq_ns >= C8_PARKED_SHARE * rd_ns) {
		parked_ok = true;
		NOTE(v, "%sthe machine was busy (%.1f CPUs free): the blocking model's waits "
		     "for a CPU (%.0f ms) are counted with its I/O sleeps", sep(v->note),
		     b->cpus_free, b->sum.runq_ns / NS_PER_MS);
	}
	NUMBERS(v, "blocking parked in I/O %.0f ms of R x D = %.0f ms (%.0f%%); on-CPU per "
		"request outside start-up and W (allowed %.0f us: %.0f%% of D + %.0f%% of W):",
		b->io_blocked_ns / NS_PER_MS, rd_ns / NS_PER_MS, 100 * parked,
		C8_CPU_SHARE * run->wl.io_ms * 1e3 + C8_WORK_NOISE * run->wl.cpu_us,
		100 * C8_CPU_SHARE, 100 * C8_WORK_NOISE);
	for (i = 0; i < nms; i++) {
		r = usable(run, ms[i]);
		if (!r)
			continue;
		out = cpu_outside_work(r);
		if (out < 0) {
			NUMBERS(v, "%s %s ?", cpu_known ? "," : "", cmp_model_name(ms[i]));
			NOTE(v, "%s%s did not report its CPU time", sep(v->note),
			     cmp_model_name(ms[i]));
			continue;
		}
		if (out > C8_CPU_SHARE * cmp_requests(run, r) * run->wl.io_ms * NS_PER_MS +
			  C8_WORK_NOISE * r->demo.work_cpu_ms * NS_PER_MS)
			cpu_ok = false;
		NUMBERS(v, "%s %s %.0f us", i ? "," : "", cmp_model_name(ms[i]),
			out / cmp_requests(run, r) / 1e3);
		cpu_known = true;
	}
	blocking_switches_note(run, b, v);
	if (!cpu_known) {
		v->kind = parked_ok ? CMP_PARTLY : CMP_DOES_NOT_HOLD;
		NOTE(v, "%sCPU burned while waiting not measured", sep(v->note));
		return;
	}
	v->kind = parked_ok && cpu_ok ? CMP_HOLDS : parked_ok || cpu_ok ? CMP_PARTLY :
		  CMP_DOES_NOT_HOLD;
	if (!parked_ok)
		NOTE(v, "%sthe blocking model was parked in I/O less than %.0f%% of R x D",
		     sep(v->note), 100 * C8_PARKED_SHARE);
	if (!cpu_ok)
		NOTE(v, "%sa model spent more than %.0f%% of R x D (+%.0f%% of its work) on the "
		     "CPU outside its work", sep(v->note), 100 * C8_CPU_SHARE,
		     100 * C8_WORK_NOISE);
}

enum cmp_verdict_kind cmp_c9_kind(double p, double ceiling, double *bar)
{
	*bar = C9_HOLDS_SHARE * ceiling;
	if (*bar < C9_PARTLY_PARALLELISM)
		*bar = C9_PARTLY_PARALLELISM;
	if (p >= *bar)
		return CMP_HOLDS;
	return p > C9_PARTLY_PARALLELISM ? CMP_PARTLY : CMP_DOES_NOT_HOLD;
}

static void c9_procs(const struct cmp_run *run, struct cmp_verdict *v)
{
	const struct cmp_result *r = need(run, CMP_PROCS, v), *g;
	double p, ceiling, bar;

	if (!r)
		return;
	p = r->sum.parallelism;
	NUMBERS(v, "procs: parallelism %.2f with %lu worker processes", p, workers(run, r));
	cpus_numbers(run, r, v);
	g = usable(run, CMP_GIL);
	if (g)
		NUMBERS(v, "; gil (threads, one lock): %.2f", g->sum.parallelism);
	ceiling = cmp_parallelism_possible(run, r, usable(run, CMP_THREADS), "threads", v);
	if (!ceiling)
		return;
	v->kind = cmp_c9_kind(p, ceiling, &bar);
	NUMBERS(v, "; reachable %.2f (workload, CPUs free, threads), holds from %.2f", ceiling,
		bar);
}

struct claim {
	const char *id;
	const char *claim;
	const char *models;
	void (*judge)(const struct cmp_run *run, struct cmp_verdict *v);
};

static const struct claim claims[CMP_NDEMO_CLAIMS] = {
	{ "C1", "an event loop (asyncio-style) is one kernel thread", "epoll, coro, uring",
	  c1_one_thread },
	{ "C2", "an await in an event loop or coroutine costs no kernel context switch",
	  "epoll, coro, uring", c2_await_no_switch },
	{ "C3", "after an await, an event loop resumes on the same thread", "epoll, coro, uring",
	  c3_same_thread },
	{ "C4", "a thread-pool runtime (C#-style) resumes continuations on any pool thread",
	  "pool", c4_any_thread },
	{ "C5", "CPU-bound work in an event loop stalls every other task", "epoll",
	  c5_cpu_stalls_loop },
	{ "C6", "threads under one global lock (GIL) give no CPU parallelism",
	  "gil; threads for contrast", c6_gil },
	{ "C7", "N blocking waits in sequence cost N x wait; concurrent ones overlap",
	  "blocking vs threads, pool, epoll, uring, coro", c7_overlap },
	{ "C8", "while a task waits for I/O the kernel parks it; no CPU is burned",
	  "blocking, threads, epoll", c8_parked },
	{ "C9", "several processes give real CPU parallelism", "procs; gil for contrast",
	  c9_procs },
};

/* For the verdicts on the runtimes (model/verdict.h). */
const struct cmp_result *cmp_usable(const struct cmp_run *run, enum cmp_model m)
{
	return usable(run, m);
}

void cmp_not_measured(struct cmp_verdict *v, const char *why)
{
	not_measured(v, why);
}

unsigned long cmp_workers(const struct cmp_run *run, const struct cmp_result *r)
{
	return workers(run, r);
}

void cmp_cpus_numbers(const struct cmp_run *run, const struct cmp_result *r,
		      struct cmp_verdict *v)
{
	cpus_numbers(run, r, v);
}

void cmp_verdicts(struct cmp_run *run)
{
	struct cmp_verdict *v;
	bool demos = false, runtimes = false;
	int i;

	memset(run->verdicts, 0, sizeof(run->verdicts));
	for (i = 0; i < CMP_NMODELS; i++) {
		demos |= run->res[i].selected && !cmp_model_is_runtime(i);
		runtimes |= run->res[i].selected && cmp_model_is_runtime(i);
	}
	if (runtimes)
		cmp_runtime_verdicts(run, run->verdicts + CMP_NDEMO_CLAIMS);
	/* the demos' claims, unless only runtimes were asked for */
	for (i = 0; (demos || !runtimes) && i < CMP_NDEMO_CLAIMS; i++) {
		v = &run->verdicts[i];
		memset(v, 0, sizeof(*v));
		v->id = claims[i].id;
		v->claim = claims[i].claim;
		v->models = claims[i].models;
		v->kind = CMP_NOT_MEASURED;
		claims[i].judge(run, v);
	}
}

const char *cmp_verdict_name(enum cmp_verdict_kind k)
{
	switch (k) {
	case CMP_HOLDS:
		return "holds";
	case CMP_PARTLY:
		return "partly";
	case CMP_DOES_NOT_HOLD:
		return "does not hold";
	case CMP_NOT_MEASURED:
		return "not measured";
	}
	return "?";
}

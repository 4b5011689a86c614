// SPDX-License-Identifier: GPL-2.0-only
/*
 * Verdicts on the real runtimes (compare --runtimes): what the kernel
 * alone can decide of CPython's asyncio, threads and multiprocessing,
 * Mono's async/await, Go's goroutines and Node. The runtimes carry no
 * task markers, so the claims on awaits (C2, C3) are "not measured" with
 * that reason. Every threshold is a named constant below, explained in
 * docs/verdicts.md; a claim is judged only when one of its runtimes was
 * asked for.
 */
#include <stdio.h>
#include <string.h>
#include "model/findings.h"
#include "model/syscalls.h"
#include "model/verdict.h"

/*
 * C1: one thread runs the program's code: the busiest thread of the
 * process ran at least 90% of its on-CPU time (the rest: the runtime's
 * helper threads, named in the note).
 */
#define RT_C1_MAIN_SHARE	0.9

/*
 * C4: continuations on several pool threads: at least two threads each ran
 * CMP_BUSY_SHARE of the on-CPU time, and the threads woke each other at
 * least once per two requests (a continuation handed to another thread).
 */
#define RT_C4_MIN_THREADS	2
#define RT_C4_WAKEUPS_PER_REQ	0.5

/*
 * N:M: fewer kernel tasks than goroutines in flight (C), and the work on
 * at least two threads (M > 1). Go keeps GOMAXPROCS threads running plus
 * a few (sysmon, threads parked in syscalls): with fewer than 8 requests
 * in flight, the counts cannot tell N:M from 1:1.
 */
#define RT_NM_MIN_CONCURRENCY	8
#define RT_NM_MIN_CONCURRENCY_S	"8"
#define RT_NM_MIN_THREADS	2

#define NS_PER_MS		1e6

/*
 * The runtime's column if its numbers can be used; else NULL, and why in
 * the note ("node not run: node not found on PATH"). The verdict is "not
 * measured" until its judge says otherwise.
 */
static const struct cmp_result *rt_usable(const struct cmp_run *run, enum cmp_model m,
					  struct cmp_verdict *v)
{
	const struct cmp_result *r = &run->res[m];

	if (!r->selected)
		return NULL;	/* not asked for: nothing to say */
	if (cmp_usable(run, m))
		return r;
	if (!r->ran)
		NOTE(v, "%s%s not run%s%s", sep(v->note), cmp_model_name(m),
		     r->error[0] ? ": " : "", r->error);
	else if (r->failed)
		NOTE(v, "%s%s failed", sep(v->note), cmp_model_name(m));
	else
		NOTE(v, "%s%s: no task traced", sep(v->note), cmp_model_name(m));
	return NULL;
}

static double share(__u64 part, __u64 whole)
{
	return whole ? (double)part / whole : 0;
}

/*
 * The runtime's other threads by name, as "4 x node (11.2 ms on CPU, mostly
 * in futex)": those among the busiest listed, then how many more.
 */
static void helpers_note(const struct cmp_result *r, struct cmp_verdict *v)
{
	const struct cmp_thread *t;
	__u32 i, j, n, rest;
	__u64 cpu;

	NOTE(v, "%s%s: %u other thread%s:", sep(v->note), cmp_model_name(r->model),
	     r->user_tasks - 1, plural(r->user_tasks - 1));
	for (i = 1; i < r->nthreads_listed; i++) {
		t = &r->threads[i];
		for (j = 1; j < i && strcmp(r->threads[j].comm, t->comm); j++)
			;
		if (j < i)
			continue;	/* that name is said already */
		for (j = i, n = 0, cpu = 0; j < r->nthreads_listed; j++)
			if (!strcmp(r->threads[j].comm, t->comm)) {
				n++;
				cpu += r->threads[j].on_cpu_ns;
			}
		NOTE(v, "%s %u x %s (%.1f ms on CPU%s%s)", i > 1 ? "," : "", n, t->comm,
		     cpu / NS_PER_MS, t->blocked_ns ? ", mostly in " : "",
		     t->blocked_ns ? syscalls_reason_label(t->mostly) : "");
	}
	rest = r->user_tasks > r->nthreads_listed ? r->user_tasks - r->nthreads_listed : 0;
	if (rest)
		NOTE(v, " and %u more", rest);
}

static void c1_one_thread(const struct cmp_run *run, struct cmp_verdict *v)
{
	static const enum cmp_model loops[] = { CMP_PY_ASYNCIO, CMP_NODE };
	const struct cmp_result *r;
	int i, n = 0, good = 0;
	double main_share;

	for (i = 0; i < 2; i++) {
		r = rt_usable(run, loops[i], v);
		if (!r || !r->nthreads_listed)
			continue;
		n++;
		main_share = share(r->threads[0].on_cpu_ns, r->sum.on_cpu_ns);
		NUMBERS(v, "%s%s: %u task%s in %u process%s, thread %s %u ran %.1f%% of %.0f ms "
			"on CPU", v->numbers[0] ? "; " : "", cmp_model_name(r->model),
			r->user_tasks, plural(r->user_tasks), r->processes,
			r->processes == 1 ? "" : "es", r->threads[0].comm, r->threads[0].tid,
			100 * main_share, r->sum.on_cpu_ns / NS_PER_MS);
		if (main_share >= RT_C1_MAIN_SHARE && r->processes == 1)
			good++;
		if (r->user_tasks > 1)
			helpers_note(r, v);
	}
	if (!n) {
		v->kind = CMP_NOT_MEASURED;
		return;
	}
	v->kind = good == n ? CMP_HOLDS : good ? CMP_PARTLY : CMP_DOES_NOT_HOLD;
	if (good == n && v->note[0])
		NOTE(v, "; one kernel thread runs the code, the runtime adds its helpers");
}

static void no_markers(const struct cmp_run *run, struct cmp_verdict *v)
{
	(void)run;
	cmp_not_measured(v, "it counts awaits and resumes from task markers, which CPython's "
			 "asyncio, Node and Mono do not give (the kernel sees threads, not "
			 "coroutines)");
}

static void c4_any_thread(const struct cmp_run *run, struct cmp_verdict *v)
{
	const struct cmp_result *r = rt_usable(run, CMP_CS_ASYNC, v);
	double req, wpr;
	bool spread, handed;

	if (!r)
		return;
	req = cmp_requests(run, r);
	wpr = req ? r->cross_thread_wakeups / req : 0;
	NUMBERS(v, "cs-async: %u kernel tasks, %u of them ran at least %.0f%% of the %.0f ms on "
		"CPU; %llu cross-thread wakeups (%.2f per request)", r->user_tasks,
		r->busy_threads, 100 * CMP_BUSY_SHARE, r->sum.on_cpu_ns / NS_PER_MS,
		(unsigned long long)r->cross_thread_wakeups, wpr);
	if (run->wl.concurrency < 2) {
		cmp_not_measured(v, "one request in flight (C = 1): nothing to hand over");
		return;
	}
	spread = r->busy_threads >= RT_C4_MIN_THREADS;
	handed = wpr >= RT_C4_WAKEUPS_PER_REQ;
	v->kind = spread && handed ? CMP_HOLDS : spread || handed ? CMP_PARTLY :
		  CMP_DOES_NOT_HOLD;
	if (!spread)
		NOTE(v, "%sthe work ran on one thread", sep(v->note));
	if (!handed)
		NOTE(v, "%sfewer than %.1f wakeups between its threads per request", sep(v->note),
		     RT_C4_WAKEUPS_PER_REQ);
	NOTE(v, "%swhich thread resumed which await needs task markers: the kernel shows the "
	     "work spread and the hand-offs", sep(v->note));
}

static void c5_cpu_stalls_loop(const struct cmp_run *run, struct cmp_verdict *v)
{
	if (!rt_usable(run, CMP_PY_ASYNCIO, v))
		return;
	cmp_judge_c5(run, &run->c5_asyncio, "py-asyncio", v);
}

/*
 * A blocking call in a coroutine: ksee's loop-blocked finding on the
 * mistaken variant, none on the correct one. The finding knows a loop by
 * its waits in epoll_wait; a loop that never waited (busy all the time)
 * cannot be told from sequential code, and the verdict is not measured.
 */
static void c5b_blocking_call(const struct cmp_run *run, struct cmp_verdict *v)
{
	const struct cmp_result *bad = rt_usable(run, CMP_PY_ASYNCIO_BLOCKING, v), *good;
	const struct ks_finding *fb, *fg = NULL;
	__u64 waits;

	if (!bad)
		return;
	fb = ks_findings_get(&bad->findings, "loop-blocked", 0);
	waits = bad->sum.sys[KSEE_R_EPOLL].blocked_calls;
	if (fb)
		NUMBERS(v, "py-asyncio-blocking: %s", fb->summary);
	else
		NUMBERS(v, "py-asyncio-blocking: no loop-blocked finding; %llu of its %llu sleeps "
			"in epoll_wait, %.1f ms blocked in other calls",
			(unsigned long long)waits, (unsigned long long)bad->sum.voluntary,
			(bad->sum.blocked_total_ns - bad->sum.blocked_ns[KSEE_R_EPOLL]) / NS_PER_MS);
	good = rt_usable(run, CMP_PY_ASYNCIO, v);
	if (good) {
		fg = ks_findings_get(&good->findings, "loop-blocked", 0);
		NUMBERS(v, "; py-asyncio: %s", fg ? "loop-blocked too" : "no loop-blocked finding");
	}
	if (!fb && waits < KS_F_LOOP_MIN_BLOCK_SHARE * bad->sum.voluntary) {
		NOTE(v, "%sits loop seldom waited in epoll_wait (fewer than %.0f%% of its sleeps): "
		     "busy all the time, it cannot be told from sequential code; lower W or C so "
		     "that the loop has idle time", sep(v->note), 100 * KS_F_LOOP_MIN_BLOCK_SHARE);
		return;
	}
	if (!fb) {
		v->kind = CMP_DOES_NOT_HOLD;
		NOTE(v, "%sthe blocking call was too short to show in the loop thread's sleeps",
		     sep(v->note));
	} else {
		v->kind = fg ? CMP_PARTLY : CMP_HOLDS;
		if (fg)
			NOTE(v, "%sthe correct asyncio program was flagged too", sep(v->note));
	}
	if (fb && bad->demo.parsed && good && good->demo.parsed)
		NOTE(v, "%swall %.0f ms against %.0f ms without the blocking call", sep(v->note),
		     bad->demo.wall_ms, good->demo.wall_ms);
}

/* The best lock-free column other than @self: the threads demo, go, cs-async, py-procs. */
static const struct cmp_result *control(const struct cmp_run *run, enum cmp_model self,
					char *name, size_t len)
{
	static const enum cmp_model ctl[] = { CMP_THREADS, CMP_GO, CMP_CS_ASYNC, CMP_PY_PROCS };
	const struct cmp_result *best = NULL, *r;
	size_t i;

	snprintf(name, len, "threads, go, cs-async or py-procs");
	for (i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++) {
		r = ctl[i] == self || !run->res[ctl[i]].selected ? NULL : cmp_usable(run, ctl[i]);
		if (r && (!best || r->sum.parallelism > best->sum.parallelism))
			best = r;
	}
	if (best)
		snprintf(name, len, "%s", cmp_model_name(best->model));
	return best;
}

static void c6_gil(const struct cmp_run *run, struct cmp_verdict *v)
{
	const struct cmp_result *r = rt_usable(run, CMP_PY_THREADS, v), *t;
	char name[64];

	if (!r)
		return;
	NUMBERS(v, "py-threads: parallelism %.2f (peak %u running) with %lu threads",
		r->sum.parallelism, r->sum.peak_running, cmp_workers(run, r));
	cmp_cpus_numbers(run, r, v);
	NUMBERS(v, ", its threads blocked %.1f ms in futex (the GIL)",
		r->lock_wait_ns / NS_PER_MS);
	t = control(run, CMP_PY_THREADS, name, sizeof(name));
	if (t)
		NUMBERS(v, "; %s (no lock): %.2f", name, t->sum.parallelism);
	if (!cmp_parallelism_possible(run, r, t, name, v))
		return;
	v->kind = cmp_c6_kind(r->sum.parallelism);
	if (!r->lock_wait_ns)
		NOTE(v, "%sno futex wait was seen: the threads did not contend for the lock",
		     sep(v->note));
}

static void c9_procs(const struct cmp_run *run, struct cmp_verdict *v)
{
	const struct cmp_result *r = rt_usable(run, CMP_PY_PROCS, v), *t, *g;
	double ceiling, bar;
	char name[64];

	if (!r)
		return;
	NUMBERS(v, "py-procs: parallelism %.2f in %u processes with %lu workers",
		r->sum.parallelism, r->processes, cmp_workers(run, r));
	cmp_cpus_numbers(run, r, v);
	g = cmp_usable(run, CMP_PY_THREADS);
	if (g)
		NUMBERS(v, "; py-threads (one GIL): %.2f", g->sum.parallelism);
	t = control(run, CMP_PY_PROCS, name, sizeof(name));
	ceiling = cmp_parallelism_possible(run, r, t, name, v);
	if (!ceiling)
		return;
	v->kind = cmp_c9_kind(r->sum.parallelism, ceiling, &bar);
	NUMBERS(v, "; reachable %.2f (workload, CPUs free, %s), holds from %.2f", ceiling, name,
		bar);
}

static void nm_goroutines(const struct cmp_run *run, struct cmp_verdict *v)
{
	const struct cmp_result *r = rt_usable(run, CMP_GO, v);
	double req;
	bool few, spread;

	if (!r)
		return;
	req = cmp_requests(run, r);
	NUMBERS(v, "go: %.0f goroutines (one per request), %lu at once, on %u kernel tasks; %u "
		"of them ran at least %.0f%% of the %.0f ms on CPU", req, run->wl.concurrency,
		r->user_tasks, r->busy_threads, 100 * CMP_BUSY_SHARE,
		r->sum.on_cpu_ns / NS_PER_MS);
	if (run->wl.concurrency < RT_NM_MIN_CONCURRENCY) {
		cmp_not_measured(v, "fewer than " RT_NM_MIN_CONCURRENCY_S " requests in flight "
				 "(C): Go's own threads alone are about that many");
		return;
	}
	few = r->user_tasks < run->wl.concurrency;
	spread = r->busy_threads >= RT_NM_MIN_THREADS;
	v->kind = few && spread ? CMP_HOLDS : few || spread ? CMP_PARTLY : CMP_DOES_NOT_HOLD;
	if (!few)
		NOTE(v, "%sas many kernel tasks as goroutines in flight: 1:1", sep(v->note));
	if (few && !spread)
		NOTE(v, "%sthe work ran on one thread: N:1", sep(v->note));
}

struct rt_claim {
	const char *id;
	const char *claim;
	const char *models;
	enum cmp_model on[2];	/* the runtimes it is judged on; CMP_NMODELS: none */
	void (*judge)(const struct cmp_run *run, struct cmp_verdict *v);
};

#define NONE CMP_NMODELS

static const struct rt_claim claims[CMP_NRT_CLAIMS] = {
	{ "C1", "an event loop (asyncio-style) is one kernel thread", "py-asyncio, node",
	  { CMP_PY_ASYNCIO, CMP_NODE }, c1_one_thread },
	{ "C2", "an await in an event loop or coroutine costs no kernel context switch",
	  "py-asyncio, node", { CMP_PY_ASYNCIO, CMP_NODE }, no_markers },
	{ "C3", "after an await, an event loop resumes on the same thread", "py-asyncio, node",
	  { CMP_PY_ASYNCIO, CMP_NODE }, no_markers },
	{ "C4", "a thread-pool runtime (C#-style) resumes continuations on any pool thread",
	  "cs-async", { CMP_CS_ASYNC, NONE }, c4_any_thread },
	{ "C5", "CPU-bound work in an event loop stalls every other task", "py-asyncio",
	  { CMP_PY_ASYNCIO, NONE }, c5_cpu_stalls_loop },
	{ "C5b", "a blocking (sync) call inside a coroutine stalls the loop: ksee warns "
	  "loop-blocked", "py-asyncio-blocking; py-asyncio for contrast",
	  { CMP_PY_ASYNCIO_BLOCKING, NONE }, c5b_blocking_call },
	{ "C6", "threads under one global lock (GIL) give no CPU parallelism",
	  "py-threads; a lock-free column for contrast", { CMP_PY_THREADS, NONE }, c6_gil },
	{ "C9", "several processes give real CPU parallelism",
	  "py-procs; a lock-free column for contrast", { CMP_PY_PROCS, NONE }, c9_procs },
	{ "N:M", "many user-level tasks (goroutines) run on few kernel threads", "go",
	  { CMP_GO, NONE }, nm_goroutines },
};

void cmp_runtime_verdicts(const struct cmp_run *run, struct cmp_verdict *out)
{
	struct cmp_verdict *v;
	int i, j;

	for (i = 0; i < CMP_NRT_CLAIMS; i++) {
		v = &out[i];
		memset(v, 0, sizeof(*v));
		for (j = 0; j < 2; j++)
			if (claims[i].on[j] != NONE && run->res[claims[i].on[j]].selected)
				break;
		if (j == 2)
			continue;	/* none of its runtimes asked for: not judged */
		v->id = claims[i].id;
		v->claim = claims[i].claim;
		v->models = claims[i].models;
		v->kind = CMP_NOT_MEASURED;
		claims[i].judge(run, v);
	}
}

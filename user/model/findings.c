// SPDX-License-Identifier: GPL-2.0-only
/*
 * Findings: one small function per rule, each reading the finished model
 * and adding at most a few findings. Thresholds in findings.h, explained
 * in docs/findings.md. Pure: no libbpf, no syscalls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/findings.h"
#include "model/hist.h"
#include "model/model.h"
#include "model/syscalls.h"

#define NS_PER_S	1e9

/* A duration for a sentence: "850 ns", "12.3 us", "4.56 ms", "1.23 s". */
static const char *dur(char *buf, size_t len, double ns)
{
	if (ns < 1e3)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.3g us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.3g ms", ns / 1e6);
	else
		snprintf(buf, len, "%.3g s", ns / 1e9);
	return buf;
}

/* A task name for a sentence: control bytes become '?'. */
static const char *comm_of(char *buf, const char *comm)
{
	int i;

	for (i = 0; i < KSEE_COMM_LEN - 1 && comm[i]; i++)
		buf[i] = (unsigned char)comm[i] < 0x20 || comm[i] == 0x7f ? '?' : comm[i];
	buf[i] = 0;
	return buf;
}

static double share(double part, double whole)
{
	return whole > 0 ? part / whole : 0;
}

static struct ks_finding *add(struct ks_findings *out, const char *id, enum ks_severity sev,
			      __u32 pid)
{
	struct ks_finding *f;

	if (out->n >= KS_MAX_FINDINGS) {
		out->left_out++;
		return NULL;
	}
	f = &out->list[out->n++];
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->severity = sev;
	f->pid = pid;
	return f;
}

static void number(struct ks_finding *f, const char *name, double v)
{
	if (f->nnumbers < KS_FINDING_NUMBERS)
		f->numbers[f->nnumbers++] = (struct ks_number){ .name = name, .value = v };
}

static void tid(struct ks_finding *f, __u32 t)
{
	if (f->ntids < KS_FINDING_TIDS)
		f->tids[f->ntids++] = t;
}

/* Add to the sentence of finding @f, cutting what does not fit. */
#define SAY(f, ...)	ks_appendf((f)->summary, sizeof((f)->summary), __VA_ARGS__)

static bool user_thread(const struct ks_thread *t)
{
	return t->kind == KS_KIND_MAIN || t->kind == KS_KIND_THREAD;
}

/* Events lost, maps full, switch-ins inferred: every other finding is less certain. */
static void rule_tracing_incomplete(const struct ks_trace *tr, struct ks_findings *out)
{
	const struct ksee_drops *d = &tr->drops;
	__u64 lost = d->ringbuf + d->tasks + d->procs + d->edges + d->uring + d->awaits + d->events;
	__u64 switches = tr->total.voluntary + tr->total.involuntary;
	struct ks_finding *f;

	if (!lost && share(d->switches_inferred, switches) < KS_F_INFERRED_MIN_SHARE)
		return;
	f = add(out, "tracing-incomplete", lost ? KS_SEV_WARNING : KS_SEV_INFO, 0);
	if (!f)
		return;
	if (lost) {
		SAY(f, "the trace is incomplete, so the other "
		    "findings are less certain: lost %llu records, %llu tasks, %llu processes, "
		    "%llu wakeups, %llu io_uring requests, %llu awaits, %llu timeline events "
		    "(threshold: any)",
		    (unsigned long long)d->ringbuf, (unsigned long long)d->tasks,
		    (unsigned long long)d->procs, (unsigned long long)d->edges,
		    (unsigned long long)d->uring, (unsigned long long)d->awaits,
		    (unsigned long long)d->events);
		snprintf(f->advice, sizeof(f->advice), "trace fewer or longer-lived processes, or "
			 "for a shorter time; for lost timeline events, a larger "
			 "KSEE_TIMELINE_RING_KB");
	} else {
		SAY(f, "the kernel reported no switch-in for %llu of "
		    "%llu switches of traced tasks (%.1f%%, threshold %.0f%%); they were timed "
		    "from the kernel's run time, so on-CPU and off-CPU times hold but run-queue "
		    "waits may be short", (unsigned long long)d->switches_inferred,
		    (unsigned long long)switches, 100 * share(d->switches_inferred, switches),
		    100 * KS_F_INFERRED_MIN_SHARE);
		snprintf(f->advice, sizeof(f->advice), "nothing to do; it happens under load");
	}
	number(f, "lost", lost);	/* each kind: "drops" in the report */
	number(f, "switches_inferred", d->switches_inferred);
	number(f, "switches", switches);
	number(f, "switches_inferred_share_min", KS_F_INFERRED_MIN_SHARE);
}

static const enum ksee_reason loop_reasons[] = { KSEE_R_EPOLL, KSEE_R_IO_URING, KSEE_R_POLL };
#define N_LOOP_REASONS	(sizeof(loop_reasons) / sizeof(loop_reasons[0]))

static bool loop_reason(int r)
{
	size_t i;

	for (i = 0; i < N_LOOP_REASONS; i++)
		if ((int)loop_reasons[i] == r)
			return true;
	return false;
}

/* Blocks of @t in the event-loop waits (epoll, io_uring, poll). */
static __u64 loop_blocks(const struct ks_thread *t)
{
	__u64 n = 0;
	size_t i;

	for (i = 0; i < N_LOOP_REASONS; i++)
		n += t->st.sys[loop_reasons[i]].blocked_calls;
	return n;
}

/* A thread that serves an event loop: many of its blocks are loop waits. */
static bool is_loop_thread(const struct ks_thread *t)
{
	__u64 n = loop_blocks(t);

	return user_thread(t) && n && n >= KS_F_LOOP_MIN_BLOCK_SHARE * t->st.voluntary;
}

/* The name of the loop wait @t blocked in most. */
static const char *loop_call(const struct ks_thread *t)
{
	static const char *const names[] = { "epoll_wait", "io_uring_enter", "poll" };
	__u64 best = 0;
	size_t i, b = 0;

	for (i = 0; i < N_LOOP_REASONS; i++) {
		if (t->st.sys[loop_reasons[i]].blocked_calls > best) {
			best = t->st.sys[loop_reasons[i]].blocked_calls;
			b = i;
		}
	}
	return names[b];
}

/* An event-loop thread also blocks elsewhere: every task on the loop waits meanwhile. */
static void rule_loop_blocked(const struct ks_process *p, const struct ks_thread *t,
			      struct ks_findings *out)
{
	__u64 wall = t->life_ns, blocked = t->blocked_total_ns, other = blocked;
	__u64 top[3] = { 0 };
	int r, i, topr[3] = { -1, -1, -1 };
	char cb[KSEE_COMM_LEN];
	struct ks_finding *f;
	char b1[24], b2[24];

	for (r = 0; r < KSEE_R_NR; r++)
		if (loop_reason(r))
			other -= t->st.blocked_ns[r];
	if (wall < KS_F_MIN_WALL_NS || share(other, blocked) < KS_F_LOOP_OTHER_MIN_SHARE ||
	    share(other, wall) < KS_F_LOOP_OTHER_MIN_WALL_SHARE)
		return;
	f = add(out, "loop-blocked", KS_SEV_WARNING, p->pid);
	if (!f)
		return;
	for (r = 0; r < KSEE_R_NR; r++) {	/* the three biggest other reasons */
		if (loop_reason(r) || !t->st.blocked_ns[r])
			continue;
		for (i = 0; i < 3; i++) {
			if (t->st.blocked_ns[r] > top[i]) {
				memmove(&top[i + 1], &top[i], (2 - i) * sizeof(top[0]));
				memmove(&topr[i + 1], &topr[i], (2 - i) * sizeof(topr[0]));
				top[i] = t->st.blocked_ns[r];
				topr[i] = r;
				break;
			}
		}
	}
	SAY(f, "thread %u (%s) serves an event loop (%llu wait%s in "
	    "%s) but was blocked %s in other calls:", t->st.tid, comm_of(cb, t->st.comm),
	    (unsigned long long)loop_blocks(t), loop_blocks(t) == 1 ? "" : "s", loop_call(t),
	    dur(b1, sizeof(b1), other));
	for (i = 0; i < 3 && topr[i] >= 0; i++)
		SAY(f, "%s %s %s", i ? "," : "",
		    syscalls_reason_label(topr[i]), dur(b2, sizeof(b2), top[i]));
	if (t->st.uninterruptible_ns)
		SAY(f, " (%s of it in D state)",
		    dur(b1, sizeof(b1), t->st.uninterruptible_ns));
	SAY(f, "; %.0f%% of its blocked time (threshold %.0f%%) and "
	    "%.0f%% of its %s life (threshold %.0f%%): every task on that loop waited meanwhile",
	    100 * share(other, blocked), 100 * KS_F_LOOP_OTHER_MIN_SHARE, 100 * share(other, wall),
	    dur(b2, sizeof(b2), wall), 100 * KS_F_LOOP_OTHER_MIN_WALL_SHARE);
	snprintf(f->advice, sizeof(f->advice), "make those calls non-blocking, or move them to a "
		 "worker thread that hands the result back to the loop");
	tid(f, t->st.tid);
	number(f, "other_blocked_ns", other);
	number(f, "blocked_ns", blocked);
	number(f, "other_blocked_share", share(other, blocked));
	number(f, "other_blocked_share_min", KS_F_LOOP_OTHER_MIN_SHARE);
	number(f, "other_blocked_wall_share", share(other, wall));
	number(f, "other_blocked_wall_share_min", KS_F_LOOP_OTHER_MIN_WALL_SHARE);
	number(f, "uninterruptible_ns", t->st.uninterruptible_ns);
	number(f, "loop_waits", loop_blocks(t));
}

/* An event-loop thread on a CPU (or waiting for one) most of its life. */
static void rule_loop_cpu_bound(const struct ks_process *p, const struct ks_thread *t,
				struct ks_findings *out)
{
	__u64 wall = t->life_ns, busy = t->st.on_cpu_ns + t->st.runq_ns;
	const struct ks_markers *m = &p->sum.markers;
	char cb[KSEE_COMM_LEN];
	struct ks_finding *f;
	char b1[24], b2[24], b3[24];

	if (wall < KS_F_MIN_WALL_NS || share(busy, wall) < KS_F_LOOP_BUSY_MIN_SHARE)
		return;
	f = add(out, "loop-cpu-bound", KS_SEV_WARNING, p->pid);
	if (!f)
		return;
	SAY(f, "thread %u (%s) serves an event loop (%llu wait%s in "
	    "%s) and was on a CPU or waiting for one %.0f%% of its %s life (threshold %.0f%%; "
	    "on-CPU %s, waiting for a CPU %s): ready I/O waits until the running callback ends",
	    t->st.tid, comm_of(cb, t->st.comm), (unsigned long long)loop_blocks(t),
	    loop_blocks(t) == 1 ? "" : "s", loop_call(t),
	    100 * share(busy, wall), dur(b1, sizeof(b1), wall), 100 * KS_F_LOOP_BUSY_MIN_SHARE,
	    dur(b2, sizeof(b2), t->st.on_cpu_ns), dur(b3, sizeof(b3), t->st.runq_ns));
	tid(f, t->st.tid);
	number(f, "busy_share", share(busy, wall));
	number(f, "busy_share_min", KS_F_LOOP_BUSY_MIN_SHARE);
	number(f, "on_cpu_ns", t->st.on_cpu_ns);
	number(f, "runq_ns", t->st.runq_ns);
	number(f, "wall_ns", wall);
	if (m->awaits && hist_total(m->await_hist, KSEE_SLOTS)) {
		__u64 p50 = hist_percentile(m->await_hist, KSEE_SLOTS, 0.5);
		__u64 p99 = hist_percentile(m->await_hist, KSEE_SLOTS, 0.99);

		SAY(f, "; await to resume p50 %s, p99 %s",
		    dur(b1, sizeof(b1), p50), dur(b2, sizeof(b2), p99));
		number(f, "await_to_resume_p50_ns", p50);
		number(f, "await_to_resume_p99_ns", p99);
	}
	snprintf(f->advice, sizeof(f->advice), "move CPU-heavy work off the loop (a worker pool "
		 "or another process) or cut it into short steps that yield to the loop");
}

/* Runnable tasks waited for a CPU a large share of the time they wanted one. */
static void rule_cpu_saturated(const struct ks_trace *tr, struct ks_findings *out)
{
	const struct ks_sum *s = &tr->total;
	double want = (double)s->on_cpu_ns + (double)s->runq_ns;
	double demand = share(want, s->wall_ns);
	struct ks_finding *f;
	char b1[24], b2[24], b3[24];
	bool own;

	if (s->wall_ns < KS_F_MIN_WALL_NS || s->runq_ns < KS_F_RUNQ_MIN_NS ||
	    share(s->runq_ns, want) < KS_F_RUNQ_MIN_SHARE || demand < KS_F_RUNQ_MIN_RUNNABLE)
		return;
	/* more runnable than the CPUs it may use: the program's own doing */
	own = tr->cpus_available <= 0 || demand > tr->cpus_available;
	f = add(out, "cpu-saturated", own ? KS_SEV_WARNING : KS_SEV_INFO, 0);
	if (!f)
		return;
	SAY(f, "runnable tasks waited %s for a CPU, %.0f%% of the "
	    "%s they wanted to run (threshold %.0f%%); on average %.2f tasks wanted a CPU over "
	    "the %s trace", dur(b1, sizeof(b1), s->runq_ns), 100 * share(s->runq_ns, want),
	    dur(b2, sizeof(b2), want), 100 * KS_F_RUNQ_MIN_SHARE, demand,
	    dur(b3, sizeof(b3), s->wall_ns));
	if (tr->cpus_available <= 0)
		SAY(f, " (the CPUs it could use are unknown)");
	else
		SAY(f, ", %s than the %.3g CPUs it could use%s",
		    own ? "more" : "fewer", tr->cpus_available,
		    own ? "" : ": other work on the machine held them");
	if (tr->cpus_free >= 0)
		SAY(f, " (%.3g CPUs were free)", tr->cpus_free);
	else if (!own)
		SAY(f, " (free CPU time not measured)");
	SAY(f, "; run-queue wait p50 %s, p99 %s",
	    dur(b1, sizeof(b1), hist_percentile(s->runq_hist, KSEE_SLOTS, 0.5)),
	    dur(b2, sizeof(b2), hist_percentile(s->runq_hist, KSEE_SLOTS, 0.99)));
	snprintf(f->advice, sizeof(f->advice), own ?
		 "run fewer CPU-bound threads or processes than CPUs (a pool sized to the CPUs), "
		 "or give it more CPUs" :
		 "measure again on a quieter machine, or pin the other work elsewhere");
	number(f, "runq_ns", s->runq_ns);
	number(f, "runq_share", share(s->runq_ns, want));
	number(f, "runq_share_min", KS_F_RUNQ_MIN_SHARE);
	number(f, "runnable_avg", demand);
	if (tr->cpus_available > 0)
		number(f, "cpus_available", tr->cpus_available);
	if (tr->cpus_free >= 0)
		number(f, "cpus_free", tr->cpus_free);
	number(f, "runq_p50_ns", hist_percentile(s->runq_hist, KSEE_SLOTS, 0.5));
	number(f, "runq_p99_ns", hist_percentile(s->runq_hist, KSEE_SLOTS, 0.99));
}


/* Woken from a futex wait, then asleep again almost at once. */
static bool futile_thread(const struct ks_thread *t)
{
	return user_thread(t) && t->st.wakeups >= KS_F_FUTILE_MIN_WAKEUPS &&
	       (double)t->st.on_cpu_ns / t->st.wakeups < KS_F_FUTILE_MAX_RUN_NS &&
	       t->top_reason == KSEE_R_FUTEX;
}

/*
 * A thread waiting on futexes most of its blocked time, and doing work
 * when it runs (a thread woken for nothing is futile-wakeups, not a lock;
 * one idle the whole time, a pool thread that got no work, is no part of
 * a lock's contention).
 */
static bool futex_thread(const struct ks_thread *t)
{
	__u64 fx = t->st.blocked_ns[KSEE_R_FUTEX];

	return user_thread(t) && fx && !futile_thread(t) && !t->idle &&
	       share(fx, t->blocked_total_ns) >= KS_F_LOCK_THREAD_FUTEX_SHARE;
}

static int cmp_tid(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

static bool has_tid(const __u32 *tids, size_t n, __u32 t)
{
	return bsearch(&t, tids, n, sizeof(*tids), cmp_tid) != NULL;
}

/* Several threads blocking in futex and waking each other: a lock. */
static void rule_locks(const struct ks_trace *tr, const struct ks_process *p,
		       struct ks_findings *out)
{
	__u64 fx = 0, wall = 0, wakeups = 0;
	double fshare, runnable;
	char cb[KSEE_COMM_LEN];
	struct ks_finding *f;
	size_t i, n = 0;
	__u32 *tids;
	char b1[24];
	bool serial, few;

	for (i = 0; i < p->nthreads; i++)
		n += futex_thread(&p->threads[i]);
	if (n < 2)
		return;
	tids = malloc(n * sizeof(*tids));
	if (!tids)
		return;
	for (i = 0, n = 0; i < p->nthreads; i++) {
		if (!futex_thread(&p->threads[i]))
			continue;
		tids[n++] = p->threads[i].st.tid;
		fx += p->threads[i].st.blocked_ns[KSEE_R_FUTEX];
		wall += p->threads[i].life_ns;
	}
	qsort(tids, n, sizeof(*tids), cmp_tid);
	for (i = 0; i < tr->nedges; i++) {
		const struct ks_edge *e = &tr->edges[i];

		if (e->key.wakee_tgid == p->pid && e->kind == KS_WAKER_THREAD &&
		    e->key.waker_tid != e->key.wakee_tid && has_tid(tids, n, e->key.wakee_tid) &&
		    has_tid(tids, n, e->key.waker_tid))
			wakeups += e->e.count;
	}
	fshare = share(fx, wall);
	runnable = share((double)p->sum.on_cpu_ns + (double)p->sum.runq_ns, p->sum.wall_ns);
	if (wakeups < KS_F_LOCK_MIN_WAKEUPS || wakeups < KS_F_LOCK_MIN_WAKEUPS_PER_THREAD * n ||
	    fshare < KS_F_LOCK_MIN_FUTEX_SHARE || runnable < KS_F_LOCK_MIN_RUNNABLE ||
	    wall < KS_F_MIN_WALL_NS) {
		free(tids);
		return;
	}
	few = tr->cpus_available < KS_F_SERIAL_MIN_CPUS;
	serial = !few && p->sum.parallelism <= KS_F_SERIAL_MAX_PARALLELISM &&
		 runnable <= KS_F_SERIAL_MAX_RUNNABLE;
	f = add(out, serial ? "lock-serialized" : "lock-contention", KS_SEV_WARNING, p->pid);
	if (f) {
		SAY(f, "%zu threads of process %u (%s) spent "
		    "%.0f%% of their lives blocked in futex (threshold %.0f%%, %s) and woke each "
		    "other %llu times (threshold %d, and %d per thread); parallelism %.2f "
		    "(threshold %.2f), %.2f tasks wanting a CPU on average (threshold %.2f)", n,
		    p->pid, comm_of(cb, ks_process_comm(p)), 100 * fshare,
		    100 * KS_F_LOCK_MIN_FUTEX_SHARE, dur(b1, sizeof(b1), fx),
		    (unsigned long long)wakeups, KS_F_LOCK_MIN_WAKEUPS,
		    KS_F_LOCK_MIN_WAKEUPS_PER_THREAD, p->sum.parallelism,
		    KS_F_SERIAL_MAX_PARALLELISM, runnable, KS_F_SERIAL_MAX_RUNNABLE);
		if (few)
			SAY(f, ", %.3g CPUs it could use (%s): too "
			    "few to tell a lock that serializes them from a shortage of CPUs",
			    tr->cpus_available, tr->cpus_available > 0 ? "under 1.5" : "unknown");
		else if (serial)
			SAY(f, " with %.3g CPUs it could use: they "
			    "take turns on one lock, as under a global interpreter lock",
			    tr->cpus_available);
		else if (p->sum.parallelism <= KS_F_SERIAL_MAX_PARALLELISM)
			SAY(f, " with %.3g CPUs it could use: they "
			    "contend for a lock; whether it serializes them cannot be told, as "
			    "they also waited %s for a CPU", tr->cpus_available,
			    dur(b1, sizeof(b1), p->sum.runq_ns));
		else
			SAY(f, " with %.3g CPUs it could use: they "
			    "contend for a lock but do not run one at a time", tr->cpus_available);
		snprintf(f->advice, sizeof(f->advice), serial ?
			 "shorten what runs under the lock, split it per data, or use processes; "
			 "the wakeups section shows who hands the lock to whom" :
			 "look for the shared lock or condition variable; shorter critical "
			 "sections or per-thread data cut the waits");
		for (i = 0; i < n; i++)
			tid(f, tids[i]);
		number(f, "threads", n);
		number(f, "futex_blocked_ns", fx);
		number(f, "futex_share", fshare);
		number(f, "futex_share_min", KS_F_LOCK_MIN_FUTEX_SHARE);
		number(f, "wakeups", wakeups);
		number(f, "wakeups_min", KS_F_LOCK_MIN_WAKEUPS);
		number(f, "parallelism", p->sum.parallelism);
		number(f, "parallelism_max", KS_F_SERIAL_MAX_PARALLELISM);
		number(f, "runnable_avg", runnable);
		number(f, "cpus_available", tr->cpus_available);
	}
	free(tids);
}

/* A task born and dead within the trace (the traced command itself aside). */
static bool short_lived(const struct ks_trace *tr, const struct ks_thread *t)
{
	return !t->alive && t->st.end_ns && !(t->st.flags & KSEE_TF_ADOPTED) &&
	       t->st.start_ns > tr->start_ns && t->st.tid != tr->anchor_pid;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* Many short-lived threads or processes. */
static void rule_thread_churn(const struct ks_trace *tr, struct ks_findings *out)
{
	__u64 *life, on = 0, runq = 0, median;
	size_t i, j, n = 0, procs = 0;
	struct ks_finding *f;
	double rate;
	char b1[24], b2[24], b3[24];

	for (i = 0; i < tr->nprocs; i++)
		for (j = 0; j < tr->procs[i].nthreads; j++)
			n += short_lived(tr, &tr->procs[i].threads[j]);
	rate = share(n, tr->total.wall_ns / NS_PER_S);
	if (n < KS_F_CHURN_MIN_TASKS || rate < KS_F_CHURN_MIN_RATE)
		return;
	life = malloc(n * sizeof(*life));
	if (!life)
		return;
	for (i = 0, n = 0; i < tr->nprocs; i++) {
		for (j = 0; j < tr->procs[i].nthreads; j++) {
			const struct ks_thread *t = &tr->procs[i].threads[j];

			if (!short_lived(tr, t))
				continue;
			life[n++] = t->st.end_ns > t->st.start_ns ?
				    t->st.end_ns - t->st.start_ns : 0;
			on += t->st.on_cpu_ns;
			runq += t->st.runq_ns;
			procs += t->st.tid == t->st.tgid;
		}
	}
	qsort(life, n, sizeof(*life), cmp_u64);
	median = life[n / 2];
	free(life);
	if (median > KS_F_CHURN_MAX_MEDIAN_NS)
		return;
	f = add(out, "thread-churn", KS_SEV_WARNING, 0);
	if (!f)
		return;
	SAY(f, "%zu threads and %zu processes were created and "
	    "ended during the %s trace, %.0f per second (threshold %.0f), median life %s "
	    "(threshold %s); together they ran %s on a CPU and waited %s for one",
	    n - procs, procs, dur(b1, sizeof(b1), tr->total.wall_ns), rate, KS_F_CHURN_MIN_RATE,
	    dur(b2, sizeof(b2), median), dur(b3, sizeof(b3), KS_F_CHURN_MAX_MEDIAN_NS),
	    dur(b1, sizeof(b1), on), dur(b2, sizeof(b2), runq));
	snprintf(f->advice, sizeof(f->advice), "reuse threads or processes (a pool, pre-forked "
		 "workers): each one costs a clone, a first wait for a CPU and an exit");
	number(f, "tasks", n);
	number(f, "processes", procs);
	number(f, "per_second", rate);
	number(f, "per_second_min", KS_F_CHURN_MIN_RATE);
	number(f, "median_life_ns", median);
	number(f, "median_life_max_ns", KS_F_CHURN_MAX_MEDIAN_NS);
	number(f, "on_cpu_ns", on);
	number(f, "runq_ns", runq);
}

/* io_uring requests handed to io-wq workers instead of completing inline. */
static void rule_uring_punted(const struct ks_process *p, struct ks_findings *out)
{
	__u64 count = 0, punted = 0;
	char cb[KSEE_COMM_LEN];
	struct ks_finding *f;
	const char *name;
	size_t i, shown = 0;

	for (i = 0; i < p->nops; i++) {
		count += p->ops[i].op.count;
		punted += p->ops[i].op.punted;
	}
	if (punted < KS_F_PUNT_MIN || share(punted, count ? count : punted) < KS_F_PUNT_MIN_SHARE)
		return;
	f = add(out, "io-uring-punted", KS_SEV_WARNING, p->pid);
	if (!f)
		return;
	SAY(f, "process %u (%s) had %llu of %llu io_uring requests "
	    "(%.0f%%, threshold %.0f%% and at least %d) handed to io-wq worker threads instead "
	    "of completing inline:", p->pid, comm_of(cb, ks_process_comm(p)),
	    (unsigned long long)punted, (unsigned long long)count, 100 * share(punted, count),
	    100 * KS_F_PUNT_MIN_SHARE, KS_F_PUNT_MIN);
	for (i = 0; i < p->nops; i++) {
		if (!p->ops[i].op.punted)
			continue;
		name = syscalls_uring_op_name(p->ops[i].opcode);
		SAY(f, "%s %s %llu", shown++ ? "," : "",
		    name ? name : "?", (unsigned long long)p->ops[i].op.punted);
	}
	SAY(f, "; %u kernel worker%s ran them", p->sum.kernel_workers,
	    p->sum.kernel_workers == 1 ? "" : "s");
	snprintf(f->advice, sizeof(f->advice), "requests that would block are punted: for files "
		 "use O_DIRECT or fewer large writes, for sockets let io_uring poll, and avoid "
		 "IOSQE_ASYNC");
	number(f, "punted", punted);
	number(f, "requests", count);
	number(f, "punted_share", share(punted, count));
	number(f, "punted_share_min", KS_F_PUNT_MIN_SHARE);
	number(f, "punted_min", KS_F_PUNT_MIN);
	number(f, "kernel_workers", p->sum.kernel_workers);
}

static void rule_futile_wakeups(const struct ks_process *p, struct ks_findings *out)
{
	__u64 wakeups = 0, on = 0;
	char cb[KSEE_COMM_LEN];
	struct ks_finding *f;
	size_t i, n = 0;
	char b1[24], b2[24];

	for (i = 0; i < p->nthreads; i++) {
		if (!futile_thread(&p->threads[i]))
			continue;
		n++;
		wakeups += p->threads[i].st.wakeups;
		on += p->threads[i].st.on_cpu_ns;
	}
	if (!n)
		return;
	f = add(out, "futile-wakeups", n > 1 ? KS_SEV_WARNING : KS_SEV_INFO, p->pid);
	if (!f)
		return;
	SAY(f, "%zu thread%s of process %u (%s) %s woken %llu times "
	    "from futex waits and ran only %s on average before blocking again (threshold %s, "
	    "at least %d wakeups each)%s", n, n > 1 ? "s" : "", p->pid,
	    comm_of(cb, ks_process_comm(p)), n > 1 ? "were" : "was", (unsigned long long)wakeups,
	    dur(b1, sizeof(b1), share(on, wakeups)), dur(b2, sizeof(b2), KS_F_FUTILE_MAX_RUN_NS),
	    KS_F_FUTILE_MIN_WAKEUPS, n > 1 ? ": several are woken for each piece of work "
	    "(a thundering herd)" : "");
	snprintf(f->advice, sizeof(f->advice), "wake one waiter per piece of work (signal, not "
		 "broadcast) and check the condition before waiting");
	for (i = 0; i < p->nthreads; i++)
		if (futile_thread(&p->threads[i]))
			tid(f, p->threads[i].st.tid);
	number(f, "threads", n);
	number(f, "wakeups", wakeups);
	number(f, "wakeups_min", KS_F_FUTILE_MIN_WAKEUPS);
	number(f, "on_cpu_per_wakeup_ns", share(on, wakeups));
	number(f, "on_cpu_per_wakeup_max_ns", KS_F_FUTILE_MAX_RUN_NS);
}

/* Continuations resume on another thread than the one that awaited. */
static void rule_cross_thread_resume(const struct ks_trace *tr, const struct ks_process *p,
				     struct ks_findings *out)
{
	const struct ks_markers *m = &p->sum.markers;
	__u64 cross = 0, p50;
	char cb[KSEE_COMM_LEN];
	struct ks_finding *f;
	char b1[24];
	size_t i;

	if (m->resumes < KS_F_RESUME_MIN || m->same_thread_share < 0 ||
	    m->same_thread_share >= KS_F_RESUME_SAME_MAX)
		return;
	for (i = 0; i < tr->nedges; i++) {
		const struct ks_edge *e = &tr->edges[i];

		if (e->key.wakee_tgid == p->pid && e->kind == KS_WAKER_THREAD &&
		    e->key.waker_tid != e->key.wakee_tid)
			cross += e->e.count;
	}
	f = add(out, "cross-thread-resume", KS_SEV_INFO, p->pid);
	if (!f)
		return;
	p50 = hist_percentile(m->await_hist, KSEE_SLOTS, 0.5);
	SAY(f, "process %u (%s): %.0f%% of %llu continuations "
	    "resumed on another thread than the one that awaited (threshold: under %.0f%% on the "
	    "same thread); await to resume p50 %s, %llu wakeups between its threads hand the work "
	    "over", p->pid, comm_of(cb, ks_process_comm(p)), 100 * (1 - m->same_thread_share),
	    (unsigned long long)m->resumes, 100 * KS_F_RESUME_SAME_MAX, dur(b1, sizeof(b1), p50),
	    (unsigned long long)cross);
	snprintf(f->advice, sizeof(f->advice), "expected for a thread pool; thread-local state "
		 "does not follow a task, and each hand-off is a wakeup");
	number(f, "resumes", m->resumes);
	number(f, "same_thread_share", m->same_thread_share);
	number(f, "same_thread_share_max", KS_F_RESUME_SAME_MAX);
	number(f, "await_to_resume_p50_ns", p50);
	number(f, "cross_thread_wakeups", cross);
}

static void rules_of_process(const struct ks_trace *tr, const struct ks_process *p,
			     struct ks_findings *out)
{
	size_t i;

	for (i = 0; i < p->nthreads; i++) {
		if (!is_loop_thread(&p->threads[i]))
			continue;
		rule_loop_blocked(p, &p->threads[i], out);
		rule_loop_cpu_bound(p, &p->threads[i], out);
	}
	rule_locks(tr, p, out);
	rule_uring_punted(p, out);
	rule_futile_wakeups(p, out);
	rule_cross_thread_resume(tr, p, out);
}

/* tracing-incomplete first, then warnings, then the rest; stable otherwise. */
static int rank(const struct ks_finding *f)
{
	if (!strcmp(f->id, "tracing-incomplete"))
		return 0;
	return f->severity == KS_SEV_WARNING ? 1 : 2;
}

static void order(struct ks_findings *out)
{
	struct ks_finding tmp;
	int i, j;

	for (i = 1; i < out->n; i++) {
		for (j = i; j > 0 && rank(&out->list[j - 1]) > rank(&out->list[j]); j--) {
			tmp = out->list[j];
			out->list[j] = out->list[j - 1];
			out->list[j - 1] = tmp;
		}
	}
}

void ks_findings_compute(const struct ks_trace *tr, struct ks_findings *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	rule_tracing_incomplete(tr, out);
	rule_cpu_saturated(tr, out);
	rule_thread_churn(tr, out);
	for (i = 0; i < tr->nprocs; i++)
		if (tr->procs[i].nthreads)
			rules_of_process(tr, &tr->procs[i], out);
	order(out);
}

const char *ks_severity_name(enum ks_severity s)
{
	return s == KS_SEV_WARNING ? "warning" : "info";
}

int ks_findings_warnings(const struct ks_findings *f)
{
	int i, n = 0;

	for (i = 0; i < f->n; i++)
		n += f->list[i].severity == KS_SEV_WARNING;
	return n;
}

const struct ks_finding *ks_findings_get(const struct ks_findings *f, const char *id, __u32 pid)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->list[i].id, id) && (!pid || f->list[i].pid == pid))
			return &f->list[i];
	return NULL;
}

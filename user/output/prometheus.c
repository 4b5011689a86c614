// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "output/prometheus.h"
#include "model/hist.h"
#include "model/syscalls.h"

#define NS_PER_S 1000000000ULL
/* Histogram bounds: 2^k ns for k in [FIRST, LAST] by STEP (1.02 us .. 17.2 s). */
#define LE_FIRST 10
#define LE_LAST 34
#define LE_STEP 2

const char *prom_label_value(char *buf, size_t len, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, n, k;

	if (!len)
		return buf;
	while (*p) {
		char esc[4] = "";

		/* length of a valid UTF-8 sequence at p; 0 if invalid */
		if (*p < 0x80)
			n = 1;
		else if (*p >= 0xc2 && *p <= 0xdf)
			n = 2;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 3;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 4;
		else
			n = 0;
		for (k = 1; k < n; k++)
			if ((p[k] & 0xc0) != 0x80)
				n = 0;
		if (n == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0)))
			n = 0;	/* overlong, or a UTF-16 surrogate */
		if (n == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90)))
			n = 0;	/* overlong, or past U+10FFFF */
		if (n == 1 && (*p == '\\' || *p == '"' || *p == '\n')) {
			esc[0] = '\\';
			esc[1] = *p == '\n' ? 'n' : (char)*p;
		} else if (n == 0 || (n == 1 && (*p < 0x20 || *p == 0x7f))) {
			esc[0] = '?';
		}
		if (esc[0]) {
			if (o + strlen(esc) >= len)
				break;
			memcpy(buf + o, esc, strlen(esc));
			o += strlen(esc);
			p += n ? n : 1;
			continue;
		}
		if (o + n >= len)
			break;
		memcpy(buf + o, p, n);
		o += n;
		p += n;
	}
	buf[o] = 0;
	return buf;
}

/* Nanoseconds as seconds, exactly: "12.000345678". */
static void put_seconds(FILE *f, __u64 ns)
{
	fprintf(f, "%llu.%09llu", (unsigned long long)(ns / NS_PER_S),
		(unsigned long long)(ns % NS_PER_S));
}

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The labels of a process: pid="..",comm="..". */
static void proc_labels(char *buf, size_t len, const struct ks_process *p)
{
	char comm[4 * KSEE_COMM_LEN];

	snprintf(buf, len, "pid=\"%u\",comm=\"%s\"", p->pid,
		 prom_label_value(comm, sizeof(comm), ks_process_comm(p)));
}

static void thread_labels(char *buf, size_t len, const struct ks_process *p,
			  const struct ks_thread *t)
{
	char pl[128], comm[4 * KSEE_COMM_LEN];

	proc_labels(pl, sizeof(pl), p);
	snprintf(buf, len, "%s,tid=\"%u\",thread=\"%s\"", pl, t->st.tid,
		 prom_label_value(comm, sizeof(comm), t->st.comm));
}

/* The threads with per-thread series: alive, by pid then tid, at most the cap. */
struct pick {
	const struct ks_process *p;
	const struct ks_thread *t;
};

static int cmp_pick(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	if (x->p->pid != y->p->pid)
		return x->p->pid < y->p->pid ? -1 : 1;
	return x->t->st.tid < y->t->st.tid ? -1 : x->t->st.tid > y->t->st.tid;
}

static int pick_threads(const struct ks_trace *tr, const struct prom_info *pi,
			struct pick **out, size_t *npicked, size_t *dropped)
{
	size_t i, j, n = 0;
	struct pick *v;

	*out = NULL;
	*npicked = *dropped = 0;
	if (!pi->per_thread)
		return 0;
	for (i = 0; i < tr->nprocs; i++)
		for (j = 0; j < tr->procs[i].nthreads; j++)
			n += tr->procs[i].threads[j].alive;
	if (!n)
		return 0;
	v = malloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	n = 0;
	for (i = 0; i < tr->nprocs; i++) {
		for (j = 0; j < tr->procs[i].nthreads; j++) {
			if (!tr->procs[i].threads[j].alive)
				continue;
			v[n].p = &tr->procs[i];
			v[n].t = &tr->procs[i].threads[j];
			n++;
		}
	}
	qsort(v, n, sizeof(*v), cmp_pick);
	*npicked = n < pi->max_thread_series ? n : pi->max_thread_series;
	*dropped = n - *npicked;
	*out = v;
	return 0;
}

static void histogram(FILE *f, const char *name, const char *labels, const __u64 *hist,
			   __u64 sum_ns)
{
	__u64 cum = 0;
	int k, s = 0;

	for (k = LE_FIRST; k <= LE_LAST; k += LE_STEP) {
		for (; s < k && s < KSEE_SLOTS; s++)
			cum += hist[s];
		fprintf(f, "%s_bucket{%s,le=\"%.12g\"} %llu\n", name, labels,
			(double)(1ULL << k) / NS_PER_S, (unsigned long long)cum);
	}
	for (; s < KSEE_SLOTS; s++)
		cum += hist[s];
	fprintf(f, "%s_bucket{%s,le=\"+Inf\"} %llu\n", name, labels, (unsigned long long)cum);
	fprintf(f, "%s_sum{%s} ", name, labels);
	put_seconds(f, sum_ns);
	fprintf(f, "\n%s_count{%s} %llu\n", name, labels, (unsigned long long)cum);
}

/* A counter with one sample per process: the __u64 at @off in its struct ks_sum. */
static void per_process(FILE *f, const struct ks_trace *tr, const char *name, const char *help,
			size_t off, bool ns)
{
	char l[256];
	size_t i;
	__u64 v;

	family(f, name, "counter", help);
	for (i = 0; i < tr->nprocs; i++) {
		memcpy(&v, (const char *)&tr->procs[i].sum + off, sizeof(v));
		proc_labels(l, sizeof(l), &tr->procs[i]);
		fprintf(f, "%s{%s} ", name, l);
		if (ns)
			put_seconds(f, v);
		else
			fprintf(f, "%llu", (unsigned long long)v);
		fputc('\n', f);
	}
}

/* A histogram per process: the buckets at @hist_off in its struct ks_sum, the sum at @ns_off. */
static void per_process_histogram(FILE *f, const struct ks_trace *tr, const char *name,
				  const char *help, size_t hist_off, size_t ns_off)
{
	char l[256];
	size_t i;
	__u64 ns;

	family(f, name, "histogram", help);
	for (i = 0; i < tr->nprocs; i++) {
		const char *sum = (const char *)&tr->procs[i].sum;

		memcpy(&ns, sum + ns_off, sizeof(ns));
		proc_labels(l, sizeof(l), &tr->procs[i]);
		histogram(f, name, l, (const __u64 *)(sum + hist_off), ns);
	}
}

static void process_families(FILE *f, const struct ks_trace *tr)
{
	char l[256];
	size_t i;
	int r;

	per_process(f, tr, "ksee_on_cpu_seconds_total",
		    "Time the tasks of the process ran on a CPU.",
		    offsetof(struct ks_sum, on_cpu_ns), true);
	family(f, "ksee_off_cpu_seconds_total", "counter",
	       "Time the tasks of the process were asleep, by the syscall family they "
	       "blocked in (none: outside any syscall).");
	for (i = 0; i < tr->nprocs; i++) {
		proc_labels(l, sizeof(l), &tr->procs[i]);
		for (r = 0; r < KSEE_R_NR; r++) {
			fprintf(f, "ksee_off_cpu_seconds_total{%s,reason=\"%s\"} ", l,
				syscalls_family_name(r));
			put_seconds(f, tr->procs[i].sum.blocked_ns[r]);
			fputc('\n', f);
		}
	}
	per_process(f, tr, "ksee_uninterruptible_seconds_total",
		    "Part of that asleep time in uninterruptible sleep (D state: disk I/O, "
		    "some locks).", offsetof(struct ks_sum, uninterruptible_ns), true);
	per_process(f, tr, "ksee_runqueue_wait_seconds_total",
		    "Time the tasks of the process waited in a run queue for a CPU, as the "
		    "kernel counts it (run_delay).",
		    offsetof(struct ks_sum, runq_ns), true);
	per_process_histogram(f, tr, "ksee_runqueue_latency_seconds",
			      "Waits for a CPU, from the enqueue in a run queue (after a wakeup "
			      "or a preemption) to running; bounds are powers of two nanoseconds.",
			      offsetof(struct ks_sum, runq_hist), offsetof(struct ks_sum, runq_ns));
	per_process(f, tr, "ksee_waking_up_seconds_total",
		    "Time the tasks of the process took from a wakeup to the run queue (the "
		    "wake-up latency: the signal to the CPU, the CPU leaving idle).",
		    offsetof(struct ks_sum, wakelat_ns), true);
	per_process_histogram(f, tr, "ksee_wakeup_latency_seconds",
			      "Wake-up latencies, from a wakeup to the enqueue in a run queue; "
			      "bounds are powers of two nanoseconds.",
			      offsetof(struct ks_sum, wakelat_hist),
			      offsetof(struct ks_sum, wakelat_ns));
	family(f, "ksee_context_switches_total", "counter",
	       "Switches out of a CPU: voluntary (the task blocked) or involuntary "
	       "(preempted while runnable).");
	for (i = 0; i < tr->nprocs; i++) {
		proc_labels(l, sizeof(l), &tr->procs[i]);
		fprintf(f, "ksee_context_switches_total{%s,kind=\"voluntary\"} %llu\n", l,
			(unsigned long long)tr->procs[i].sum.voluntary);
		fprintf(f, "ksee_context_switches_total{%s,kind=\"involuntary\"} %llu\n", l,
			(unsigned long long)tr->procs[i].sum.involuntary);
	}
	per_process(f, tr, "ksee_wakeups_total", "Wakeups the tasks of the process received.",
		    offsetof(struct ks_sum, wakeups), false);
	per_process(f, tr, "ksee_migrations_total",
		    "Moves of the tasks of the process from one CPU to another.",
		    offsetof(struct ks_sum, migrations), false);
	family(f, "ksee_blocked_calls_total", "counter",
	       "Syscalls of a family during which the task blocked (without --syscalls: "
	       "sleeps inside calls of the family).");
	for (i = 0; i < tr->nprocs; i++) {
		proc_labels(l, sizeof(l), &tr->procs[i]);
		for (r = KSEE_R_NONE + 1; r < KSEE_R_NR; r++)
			fprintf(f, "ksee_blocked_calls_total{%s,family=\"%s\"} %llu\n", l,
				syscalls_family_name(r),
				(unsigned long long)tr->procs[i].sum.sys[r].blocked_calls);
	}
	family(f, "ksee_threads", "gauge", "Tasks (threads) of the process alive now.");
	for (i = 0; i < tr->nprocs; i++) {
		const struct ks_process *p = &tr->procs[i];

		proc_labels(l, sizeof(l), p);
		fprintf(f, "ksee_threads{%s} %u\n", l,
			p->have_kp && p->alive ? p->kp.live_tasks : 0);
	}
}

/* A counter in seconds with one sample per picked thread: the ns at @off in its stats. */
static void per_thread(FILE *f, const struct pick *v, size_t n, const char *name,
		       const char *help, size_t off)
{
	char l[384];
	size_t i;
	__u64 ns;

	family(f, name, "counter", help);
	for (i = 0; i < n; i++) {
		memcpy(&ns, (const char *)&v[i].t->st + off, sizeof(ns));
		thread_labels(l, sizeof(l), v[i].p, v[i].t);
		fprintf(f, "%s{%s} ", name, l);
		put_seconds(f, ns);
		fputc('\n', f);
	}
}

static void thread_families(FILE *f, const struct pick *v, size_t n)
{
	char l[384];
	size_t i;
	int r;

	per_thread(f, v, n, "ksee_thread_on_cpu_seconds_total", "Time the thread ran on a CPU.",
		   offsetof(struct ksee_task_stats, on_cpu_ns));
	family(f, "ksee_thread_off_cpu_seconds_total", "counter",
	       "Time the thread was asleep, by the syscall family it blocked in.");
	for (i = 0; i < n; i++) {
		thread_labels(l, sizeof(l), v[i].p, v[i].t);
		for (r = 0; r < KSEE_R_NR; r++) {
			fprintf(f, "ksee_thread_off_cpu_seconds_total{%s,reason=\"%s\"} ", l,
				syscalls_family_name(r));
			put_seconds(f, v[i].t->st.blocked_ns[r]);
			fputc('\n', f);
		}
	}
	per_thread(f, v, n, "ksee_thread_runqueue_wait_seconds_total",
		   "Time the thread was runnable but waiting for a CPU.",
		   offsetof(struct ksee_task_stats, runq_ns));
	per_thread(f, v, n, "ksee_thread_waking_up_seconds_total",
		   "Time the thread took from a wakeup to the run queue.",
		   offsetof(struct ksee_task_stats, wakelat_ns));
	family(f, "ksee_thread_context_switches_total", "counter",
	       "Switches of the thread out of a CPU, voluntary or involuntary.");
	for (i = 0; i < n; i++) {
		thread_labels(l, sizeof(l), v[i].p, v[i].t);
		fprintf(f, "ksee_thread_context_switches_total{%s,kind=\"voluntary\"} %llu\n", l,
			(unsigned long long)v[i].t->st.voluntary);
		fprintf(f, "ksee_thread_context_switches_total{%s,kind=\"involuntary\"} %llu\n", l,
			(unsigned long long)v[i].t->st.involuntary);
	}
}

static void self_families(FILE *f, const struct ks_trace *tr, const struct prom_info *pi,
			  size_t dropped)
{
	const struct {
		const char *what;
		__u64 n;
	} drops[] = {
		{ "ringbuf", tr->drops.ringbuf }, { "tasks", tr->drops.tasks },
		{ "procs", tr->drops.procs }, { "edges", tr->drops.edges },
		{ "uring", tr->drops.uring }, { "awaits", tr->drops.awaits },
		{ "hists", tr->drops.hists },
	};
	__u32 alive = 0;
	size_t i;

	for (i = 0; i < tr->nprocs; i++)
		alive += tr->procs[i].alive;
	family(f, "ksee_processes", "gauge", "Traced processes alive now.");
	fprintf(f, "ksee_processes %u\n", alive);
	family(f, "ksee_processes_forgotten_total", "counter",
	       "Processes that ended and whose series were dropped after the grace period.");
	fprintf(f, "ksee_processes_forgotten_total %llu\n", (unsigned long long)pi->forgotten);
	family(f, "ksee_grace_period_seconds", "gauge",
	       "How long the series of a process that ended are still exported.");
	fprintf(f, "ksee_grace_period_seconds %.9g\n", pi->grace_s);
	family(f, "ksee_dropped_events_total", "counter",
	       "What the kernel side could not account, by what was lost.");
	for (i = 0; i < sizeof(drops) / sizeof(drops[0]); i++)
		fprintf(f, "ksee_dropped_events_total{what=\"%s\"} %llu\n", drops[i].what,
			(unsigned long long)drops[i].n);
	family(f, "ksee_switches_inferred_total", "counter",
	       "Switch-ins no sched_switch event reported, timed from the kernel's run time "
	       "(not a loss).");
	fprintf(f, "ksee_switches_inferred_total %llu\n",
		(unsigned long long)tr->drops.switches_inferred);
	if (pi->per_thread) {
		family(f, "ksee_thread_series_limit", "gauge",
		       "Threads with per-thread series at most (--max-threads).");
		fprintf(f, "ksee_thread_series_limit %u\n", pi->max_thread_series);
		family(f, "ksee_thread_series_dropped", "gauge",
		       "Live threads left without per-thread series by that limit.");
		fprintf(f, "ksee_thread_series_dropped %zu\n", dropped);
	}
	family(f, "ksee_bpf_stats_enabled", "gauge",
	       "1 if the kernel's BPF run-time statistics are on (kernel.bpf_stats_enabled, "
	       "or ksee serve --bpf-stats).");
	fprintf(f, "ksee_bpf_stats_enabled %d\n", pi->bpf_stats ? 1 : 0);
	if (pi->bpf_stats) {
		family(f, "ksee_bpf_run_seconds_total", "counter",
		       "CPU time ksee's BPF programs ran, from the kernel's statistics.");
		fprintf(f, "ksee_bpf_run_seconds_total ");
		put_seconds(f, pi->bpf_run_ns);
		fputc('\n', f);
		family(f, "ksee_bpf_runs_total", "counter", "Runs of ksee's BPF programs.");
		fprintf(f, "ksee_bpf_runs_total %llu\n", (unsigned long long)pi->bpf_run_count);
	}
	family(f, "ksee_start_time_seconds", "gauge",
	       "When ksee serve began, seconds since the epoch.");
	fprintf(f, "ksee_start_time_seconds %.3f\n", pi->start_time_s);
}

int prom_write(FILE *f, const struct ks_trace *tr, const struct prom_info *pi)
{
	size_t n, dropped;
	struct pick *v;
	int ret;

	ret = pick_threads(tr, pi, &v, &n, &dropped);
	if (ret)
		return ret;
	process_families(f, tr);
	if (pi->per_thread)
		thread_families(f, v, n);
	self_families(f, tr, pi, dropped);
	free(v);
	if (fflush(f) || ferror(f))
		return -EIO;
	return dropped > (size_t)0x7fffffff ? 0x7fffffff : (int)dropped;
}

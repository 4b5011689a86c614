// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ksee compare`, the pure parts that are not verdicts or rendering: model
 * names, the demo's summary line, and one model's column from its trace.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "model/comparison.h"
#include "model/syscalls.h"

static const char *const model_names[CMP_NMODELS] = {
	[CMP_BLOCKING] = "blocking",
	[CMP_THREADS] = "threads",
	[CMP_POOL] = "pool",
	[CMP_EPOLL] = "epoll",
	[CMP_URING] = "uring",
	[CMP_CORO] = "coro",
	[CMP_GIL] = "gil",
	[CMP_PROCS] = "procs",
	[CMP_PY_ASYNCIO] = "py-asyncio",
	[CMP_PY_ASYNCIO_BLOCKING] = "py-asyncio-blocking",
	[CMP_PY_THREADS] = "py-threads",
	[CMP_PY_PROCS] = "py-procs",
	[CMP_CS_ASYNC] = "cs-async",
	[CMP_GO] = "go",
	[CMP_NODE] = "node",
};

const char *cmp_model_name(enum cmp_model m)
{
	return (unsigned int)m < CMP_NMODELS ? model_names[m] : "?";
}

bool cmp_model_is_runtime(enum cmp_model m)
{
	return m >= CMP_NDEMOS && m < CMP_NMODELS;
}

int cmp_model_parse(const char *name)
{
	int m;

	for (m = 0; name && m < CMP_NMODELS; m++)
		if (!strcmp(name, model_names[m]))
			return m;
	return -1;
}

/* A whole unsigned decimal number; 0 or -EINVAL. */
static int parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

/* A whole floating-point number ("nan" included: a demo with no latencies); 0 or -EINVAL. */
static int parse_double(const char *s, double *out)
{
	char *end;

	if (!*s)
		return -EINVAL;
	errno = 0;
	*out = strtod(s, &end);
	return errno || *end ? -EINVAL : 0;
}

/* Keys a demo line must have, as bits. */
enum {
	HAVE_MODEL = 1 << 0,
	HAVE_REQUESTS = 1 << 1,
	HAVE_ERRORS = 1 << 2,
	HAVE_WALL = 1 << 3,
	HAVE_ALL = (1 << 4) - 1,
};

/* One "key=value" pair into @out; 0, or -EINVAL for a malformed known key. */
static int demo_pair(const char *key, const char *val, struct cmp_demo_line *out,
		     unsigned int *have)
{
	if (!strcmp(key, "model")) {
		*have |= HAVE_MODEL;
		return cmp_model_parse(val) < 0 ? -EINVAL : 0;
	}
	if (!strcmp(key, "requests")) {
		*have |= HAVE_REQUESTS;
		return parse_ulong(val, &out->requests);
	}
	if (!strcmp(key, "errors")) {
		*have |= HAVE_ERRORS;
		return parse_ulong(val, &out->errors);
	}
	if (!strcmp(key, "workers"))
		return parse_ulong(val, &out->workers);
	if (!strcmp(key, "wall_ms")) {
		*have |= HAVE_WALL;
		return parse_double(val, &out->wall_ms);
	}
	if (!strcmp(key, "p50_ms"))
		return parse_double(val, &out->p50_ms);
	if (!strcmp(key, "p99_ms"))
		return parse_double(val, &out->p99_ms);
	if (!strcmp(key, "wait_p50_ms"))
		return parse_double(val, &out->wait_p50_ms);
	if (!strcmp(key, "wait_p99_ms"))
		return parse_double(val, &out->wait_p99_ms);
	if (!strcmp(key, "setup_cpu_ms"))
		return parse_double(val, &out->setup_cpu_ms);
	if (!strcmp(key, "work_cpu_ms"))
		return parse_double(val, &out->work_cpu_ms);
	if (!strcmp(key, "cpu_ms"))
		return parse_double(val, &out->cpu_ms);
	return 0;	/* unknown keys are for newer demos */
}

int cmp_parse_demo_line(const char *line, struct cmp_demo_line *out)
{
	char tok[128], *eq;
	unsigned int have = 0;
	size_t n;
	int err;

	memset(out, 0, sizeof(*out));
	out->wait_p50_ms = out->wait_p99_ms = NAN;
	out->setup_cpu_ms = out->work_cpu_ms = out->cpu_ms = NAN;
	while (line && *line) {
		line += strspn(line, " \t\r\n");
		n = strcspn(line, " \t\r\n");
		if (!n)
			break;
		if (n >= sizeof(tok))
			goto malformed;
		memcpy(tok, line, n);
		tok[n] = '\0';
		line += n;
		eq = strchr(tok, '=');
		if (!eq)
			goto malformed;
		*eq = '\0';
		err = demo_pair(tok, eq + 1, out, &have);
		if (err)
			goto malformed;
	}
	if (have != HAVE_ALL)
		goto malformed;
	out->parsed = true;
	return 0;

malformed:
	memset(out, 0, sizeof(*out));
	out->wait_p50_ms = out->wait_p99_ms = NAN;
	out->setup_cpu_ms = out->work_cpu_ms = out->cpu_ms = NAN;
	return -EINVAL;
}

double cmp_requests(const struct cmp_run *run, const struct cmp_result *r)
{
	return r->demo.parsed && r->demo.requests ? r->demo.requests : run->wl.requests;
}

/* Keep @t among the busiest threads of @res, which are sorted by on-CPU time. */
static void list_thread(struct cmp_result *res, const struct ks_thread *t, __u32 pid)
{
	struct cmp_thread *x;
	__u32 n = res->nthreads_listed, i;

	if (n == CMP_THREADS_LISTED && t->st.on_cpu_ns <= res->threads[n - 1].on_cpu_ns)
		return;
	if (n < CMP_THREADS_LISTED)
		n = ++res->nthreads_listed;
	for (i = n - 1; i > 0 && res->threads[i - 1].on_cpu_ns < t->st.on_cpu_ns; i--)
		res->threads[i] = res->threads[i - 1];
	x = &res->threads[i];
	memset(x, 0, sizeof(*x));
	memcpy(x->comm, t->st.comm, sizeof(x->comm) - 1);
	x->tid = t->st.tid;
	x->pid = pid;
	x->on_cpu_ns = t->st.on_cpu_ns;
	x->voluntary = t->st.voluntary;
	x->blocked_ns = t->blocked_total_ns;
	x->mostly = t->blocked_total_ns ? t->top_reason : KSEE_R_NONE;
}

/* The threads that ran: the busiest listed, those that did a share of the work counted. */
static void threads_from_trace(struct cmp_result *res, const struct ks_trace *tr)
{
	const struct ks_thread *t;
	size_t i, j;

	res->nthreads_listed = res->busy_threads = res->threads_on_cpu = 0;
	for (i = 0; i < tr->nprocs; i++)
		for (j = 0; j < tr->procs[i].nthreads; j++) {
			t = &tr->procs[i].threads[j];
			if (!t->st.on_cpu_ns)
				continue;
			res->threads_on_cpu++;
			if (t->st.on_cpu_ns >= CMP_BUSY_SHARE * tr->total.on_cpu_ns)
				res->busy_threads++;
			list_thread(res, t, tr->procs[i].pid);
		}
}

void cmp_result_from_trace(struct cmp_result *res, const struct ks_trace *tr)
{
	const struct ks_edge *e;
	size_t i, j;
	int f;

	res->sum = tr->total;
	res->processes = tr->nprocesses;
	res->user_tasks = tr->total.tasks - tr->total.kernel_workers;
	res->cross_thread_wakeups = 0;
	for (i = 0; i < tr->nedges; i++) {
		e = &tr->edges[i];
		if (e->kind == KS_WAKER_THREAD && e->key.waker_tid != e->key.wakee_tid)
			res->cross_thread_wakeups += e->e.count;
	}
	res->io_blocked_ns = 0;
	for (f = 0; f < KSEE_R_NR; f++)
		if (syscalls_family_is_io(f))
			res->io_blocked_ns += tr->total.blocked_ns[f];
	res->findings = tr->findings;
	/* The workers' lock waits: the main thread's futex sleeps are joins. */
	res->lock_wait_ns = 0;
	for (i = 0; i < tr->nprocs; i++)
		for (j = 0; j < tr->procs[i].nthreads; j++)
			if (tr->procs[i].threads[j].kind != KS_KIND_MAIN)
				res->lock_wait_ns +=
					tr->procs[i].threads[j].st.blocked_ns[KSEE_R_FUTEX];
	res->cpus_available = tr->cpus_available;
	res->cpus_free = tr->cpus_free;
	threads_from_trace(res, tr);
}

/* Lateness of a reply: its wait minus the server's delay, never below 0. */
static double lag(double wait_ms, unsigned long io_ms)
{
	return wait_ms > io_ms ? wait_ms - io_ms : 0;
}

bool cmp_c5_from_demo(struct cmp_c5 *c5, const struct cmp_demo_line *busy,
		      const struct cmp_demo_line *idle, unsigned long io_ms)
{
	memset(c5, 0, sizeof(*c5));
	if (!busy->parsed || !idle->parsed || isnan(busy->wait_p50_ms) ||
	    isnan(busy->wait_p99_ms) || isnan(idle->wait_p50_ms) || isnan(idle->wait_p99_ms))
		return false;
	c5->measured = true;
	c5->lag_busy_ms = lag(busy->wait_p50_ms, io_ms);
	c5->lag_busy_p99_ms = lag(busy->wait_p99_ms, io_ms);
	c5->lag_idle_ms = lag(idle->wait_p50_ms, io_ms);
	c5->lag_idle_p99_ms = lag(idle->wait_p99_ms, io_ms);
	return true;
}

unsigned int cmp_median_run(const struct cmp_result *runs, unsigned int nruns)
{
	unsigned int idx[64], n = 0, i, j, t;

	for (i = 0; i < nruns && n < 64; i++)
		if (runs[i].ran && !runs[i].failed)
			idx[n++] = i;
	if (!n)
		return 0;
	for (i = 1; i < n; i++)		/* insertion sort by wall time: n is small */
		for (j = i; j > 0 && runs[idx[j]].sum.wall_ns < runs[idx[j - 1]].sum.wall_ns; j--) {
			t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	return idx[(n - 1) / 2];
}

const char *cmp_verdict_heading(const struct cmp_run *run, int i)
{
	int j, from = i < CMP_NDEMO_CLAIMS ? 0 : CMP_NDEMO_CLAIMS;

	if (i < 0 || i >= CMP_NCLAIMS || !run->verdicts[i].id)
		return NULL;
	for (j = from; j < i; j++)
		if (run->verdicts[j].id)
			return NULL;
	return from ? "claims on the real runtimes" : "claims";
}

void cmp_verdicts_spread(struct cmp_run *run, const enum cmp_verdict_kind (*kinds)[CMP_NCLAIMS],
			 unsigned int nruns)
{
	unsigned int count[CMP_NOT_MEASURED + 1], k, c;
	struct cmp_verdict *v;
	char text[200];
	size_t n;
	int i;

	for (i = 0; i < CMP_NCLAIMS; i++) {
		v = &run->verdicts[i];
		if (!v->id)
			continue;
		memset(count, 0, sizeof(count));
		for (k = 0; k < nruns; k++)
			if ((unsigned int)kinds[k][i] <= CMP_NOT_MEASURED)
				count[kinds[k][i]]++;
		if (count[v->kind] == nruns)
			continue;
		n = snprintf(text, sizeof(text), "uncertain: %s in %u of %u runs",
			     cmp_verdict_name(v->kind), count[v->kind], nruns);
		for (c = 0; c <= CMP_NOT_MEASURED && n < sizeof(text); c++)
			if (c != v->kind && count[c])
				n += snprintf(text + n, sizeof(text) - n, ", %s in %u",
					      cmp_verdict_name(c), count[c]);
		ks_appendf(v->note, sizeof(v->note), "%s%s", v->note[0] ? "; " : "", text);
	}
}

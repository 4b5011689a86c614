// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ksee compare` renderers: one column per model side by side, then the
 * verdicts (text, 100 columns), or the same as JSON (docs/json.md).
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <json-c/json.h>
#include "model/comparison.h"
#include "output/columns_report.h"
#include "output/fmt.h"
#include "model/hist.h"
#include "model/syscalls.h"
#include "output/json_util.h"
#include "output/report.h"

#define PAGE_W		100
#define LABEL_W		22
#define CELL_W		9	/* a value of at most 8 characters and a space */
#define VERDICT_W	17	/* "C1 does not hold " */

/* What a row shows: a __u64 of struct cmp_result, or what a function makes. */
enum cell_kind {
	CELL_COUNT,
	CELL_NS,
	CELL_PER_REQUEST,
	CELL_SHARE,	/* a double of struct cmp_result in [0, 1] as a percentage; < 0: "-" */
	CELL_FN,
};

typedef void (*cell_fn)(char *buf, size_t len, const struct cmp_result *r);

struct row {
	const char *label;
	enum cell_kind kind;
	size_t off;	/* offset of the __u64 (CELL_COUNT, CELL_NS, CELL_PER_REQUEST), double */
	cell_fn fn;	/* CELL_FN */
};

#define U64(field)	offsetof(struct cmp_result, field)
#define BLOCKED(r)	U64(sum.blocked_ns[r])
#define BLOCKED_CALLS(r) U64(sum.sys[r].blocked_calls)

static void count_cell(char *buf, size_t len, __u64 v)
{
	if (v < 100000000ULL)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "%.0fM", v / 1e6);
}

/* A ratio, at most 8 characters. */
static void ratio_cell(char *buf, size_t len, double v)
{
	if (v < 100)
		snprintf(buf, len, "%.2f", v);
	else if (v < 1e7)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.1e", v);
}

/* Milliseconds as the demo printed them, as a duration; "-" if it had none. */
static void ms_cell(char *buf, size_t len, double ms)
{
	if (!isfinite(ms) || ms < 0)
		snprintf(buf, len, "-");
	else
		fmt_ns_short(buf, len, (__u64)(ms * 1e6));
}

static void cell_processes(char *buf, size_t len, const struct cmp_result *r)
{
	count_cell(buf, len, r->processes);
}

static void cell_tasks(char *buf, size_t len, const struct cmp_result *r)
{
	count_cell(buf, len, r->sum.tasks);
}

static void cell_kernel_workers(char *buf, size_t len, const struct cmp_result *r)
{
	count_cell(buf, len, r->sum.kernel_workers);
}

static void cell_parallelism(char *buf, size_t len, const struct cmp_result *r)
{
	snprintf(buf, len, "%.2f/%u", r->sum.parallelism, r->sum.peak_running);
}

/* CPUs free of other work during the model's run, of those it could use: "1.6 of 2". */
static void cell_cpus_free(char *buf, size_t len, const struct cmp_result *r)
{
	if (r->cpus_available <= 0 || r->cpus_free < 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%.1f of %.3g", r->cpus_free, r->cpus_available);
}

/* Blocked time not in a row of its own: none, write, poll, wait, other. */
static void cell_blocked_other(char *buf, size_t len, const struct cmp_result *r)
{
	const __u64 *b = r->sum.blocked_ns;

	fmt_ns_short(buf, len, b[KSEE_R_NONE] + b[KSEE_R_WRITE] + b[KSEE_R_POLL] +
			       b[KSEE_R_WAIT] + b[KSEE_R_OTHER]);
}

static void cell_runq_p50(char *buf, size_t len, const struct cmp_result *r)
{
	fmt_ns_short(buf, len, hist_percentile(r->sum.runq_hist, KSEE_SLOTS, 0.50));
}

static void cell_runq_p99(char *buf, size_t len, const struct cmp_result *r)
{
	fmt_ns_short(buf, len, hist_percentile(r->sum.runq_hist, KSEE_SLOTS, 0.99));
}

static void cell_wakelat_p50(char *buf, size_t len, const struct cmp_result *r)
{
	fmt_ns_short(buf, len, hist_percentile(r->sum.wakelat_hist, KSEE_SLOTS, 0.50));
}

static void cell_demo_wall(char *buf, size_t len, const struct cmp_result *r)
{
	ms_cell(buf, len, r->demo.parsed ? r->demo.wall_ms : -1);
}

static void cell_demo_p50(char *buf, size_t len, const struct cmp_result *r)
{
	ms_cell(buf, len, r->demo.parsed ? r->demo.p50_ms : -1);
}

static void cell_demo_p99(char *buf, size_t len, const struct cmp_result *r)
{
	ms_cell(buf, len, r->demo.parsed ? r->demo.p99_ms : -1);
}

static void cell_per_await(char *buf, size_t len, const struct cmp_result *r)
{
	double v = r->sum.markers.voluntary_per_await;

	if (v < 0)
		snprintf(buf, len, "-");
	else
		ratio_cell(buf, len, v);
}

static const struct row rows[] = {
	{ "processes", CELL_FN, 0, cell_processes },
	{ "kernel tasks", CELL_FN, 0, cell_tasks },
	{ "  made by the kernel", CELL_FN, 0, cell_kernel_workers },
	{ "on-CPU", CELL_NS, U64(sum.on_cpu_ns), NULL },
	{ "parallelism avg/peak", CELL_FN, 0, cell_parallelism },
	{ "CPUs free", CELL_FN, 0, cell_cpus_free },
	{ "voluntary switches", CELL_COUNT, U64(sum.voluntary), NULL },
	{ "involuntary switches", CELL_COUNT, U64(sum.involuntary), NULL },
	{ "  voluntary/request", CELL_PER_REQUEST, U64(sum.voluntary), NULL },
	{ "  involuntary/request", CELL_PER_REQUEST, U64(sum.involuntary), NULL },
	{ "blocked in epoll", CELL_NS, BLOCKED(KSEE_R_EPOLL), NULL },
	{ "  in io_uring", CELL_NS, BLOCKED(KSEE_R_IO_URING), NULL },
	{ "  in read", CELL_NS, BLOCKED(KSEE_R_READ), NULL },
	{ "  in futex", CELL_NS, BLOCKED(KSEE_R_FUTEX), NULL },
	{ "  in sleep", CELL_NS, BLOCKED(KSEE_R_SLEEP), NULL },
	{ "  elsewhere", CELL_FN, 0, cell_blocked_other },
	{ "waiting for a CPU", CELL_NS, U64(sum.runq_ns), NULL },
	{ "run-queue p50", CELL_FN, 0, cell_runq_p50 },
	{ "run-queue p99", CELL_FN, 0, cell_runq_p99 },
	{ "waking up", CELL_NS, U64(sum.wakelat_ns), NULL },
	{ "wake-up p50", CELL_FN, 0, cell_wakelat_p50 },
	{ "epoll_wait blocked", CELL_COUNT, BLOCKED_CALLS(KSEE_R_EPOLL), NULL },
	{ "io_uring_enter blocked", CELL_COUNT, BLOCKED_CALLS(KSEE_R_IO_URING), NULL },
	{ "read blocked", CELL_COUNT, BLOCKED_CALLS(KSEE_R_READ), NULL },
	{ "cross-thread wakeups", CELL_COUNT, U64(cross_thread_wakeups), NULL },
	{ "wall (trace)", CELL_NS, U64(sum.wall_ns), NULL },
	{ "wall (demo)", CELL_FN, 0, cell_demo_wall },
	{ "request p50", CELL_FN, 0, cell_demo_p50 },
	{ "request p99", CELL_FN, 0, cell_demo_p99 },
	{ "awaits", CELL_COUNT, U64(sum.markers.awaits), NULL },
	{ "voluntary/await", CELL_FN, 0, cell_per_await },
	{ "same-thread resumes", CELL_SHARE, U64(sum.markers.same_thread_share), NULL },
	{ "bill: requests", CELL_COUNT, U64(sum.bill.requests), NULL },
	{ "  on CPU", CELL_SHARE, U64(sum.bill.share_oncpu), NULL },
	{ "  waking up", CELL_SHARE, U64(sum.bill.share_wakelat), NULL },
	{ "  waiting for a CPU", CELL_SHARE, U64(sum.bill.share_runq), NULL },
	{ "  blocked inside", CELL_SHARE, U64(sum.bill.share_blocked), NULL },
	{ "  off its thread", CELL_SHARE, U64(sum.bill.share_off), NULL },
};

static void cell(char *buf, size_t len, const struct row *row, const struct cmp_run *run,
		 const struct cmp_result *r)
{
	__u64 v = 0;
	double d = 0;

	if (!r->ran || r->failed) {
		snprintf(buf, len, "-");
		return;
	}
	if (row->kind == CELL_SHARE)
		memcpy(&d, (const char *)r + row->off, sizeof(d));
	else if (row->kind != CELL_FN)
		memcpy(&v, (const char *)r + row->off, sizeof(v));
	switch (row->kind) {
	case CELL_COUNT:
		count_cell(buf, len, v);
		break;
	case CELL_NS:
		fmt_ns_short(buf, len, v);
		break;
	case CELL_PER_REQUEST:
		ratio_cell(buf, len, cmp_requests(run, r) ? v / cmp_requests(run, r) : 0);
		break;
	case CELL_SHARE:
		if (d < 0)
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%.1f%%", 100 * d);
		break;
	case CELL_FN:
		row->fn(buf, len, r);
		break;
	}
}

size_t cmp_table_rows(void)
{
	return sizeof(rows) / sizeof(rows[0]);
}

const char *cmp_table_label(size_t row)
{
	return row < cmp_table_rows() ? rows[row].label : "?";
}

void cmp_table_cell(char *buf, size_t len, size_t row, const struct cmp_run *run,
		    const struct cmp_result *r)
{
	if (row < cmp_table_rows())
		cell(buf, len, &rows[row], run, r);
	else
		snprintf(buf, len, "?");
}

const char *cmp_status_name(const struct cmp_result *r)
{
	return r->failed ? "FAILED" : r->ran ? "ok" : "not run";
}

static void wrap(FILE *f, const char *first, int indent, const char *text)
{
	fmt_wrap(f, first, indent, PAGE_W, text);
}

/* The fewest CPUs a model that ran could use (affinity, cpu.max); 0 if unknown. */
static double cpus_usable(const struct cmp_run *run)
{
	double least = 0;
	int m;

	for (m = 0; m < CMP_NMODELS; m++)
		if (run->res[m].ran && run->res[m].cpus_available > 0 &&
		    (!least || run->res[m].cpus_available < least))
			least = run->res[m].cpus_available;
	return least;
}

static void print_header(FILE *f, const struct cmp_run *run)
{
	const struct cmp_workload *wl = &run->wl;
	double usable = cpus_usable(run);
	char text[512], cpus[48] = "";

	if (usable > 0 && usable < run->ncpus)
		snprintf(cpus, sizeof(cpus), " (%.3g usable)", usable);
	snprintf(text, sizeof(text), "R %lu requests, C %lu in flight, D %lu ms of I/O and "
		 "W %lu us of CPU work per request, N %lu workers; %u CPU%s%s, kernel %s",
		 wl->requests, wl->concurrency, wl->io_ms, wl->cpu_us, wl->workers, run->ncpus,
		 run->ncpus == 1 ? "" : "s", cpus, run->kernel[0] ? run->kernel : "?");
	wrap(f, "ksee compare:", 2, text);
	if (run->interrupted)
		fprintf(f, "interrupted (Ctrl-C): what was measured until then\n");
}

/* A column's width: a cell, or its name (a runtime's can be longer) and a space. */
static int cell_width(enum cmp_model m)
{
	int n = strlen(cmp_model_name(m)) + 1;

	return n > CELL_W ? n : CELL_W;
}

static void print_table(FILE *f, const struct cmp_run *run)
{
	const struct cmp_result *r;
	char buf[FMT_LEN];
	size_t i;
	int m;

	fprintf(f, "\n%-*s", LABEL_W, "");
	for (m = 0; m < CMP_NMODELS; m++)
		if (run->res[m].selected)
			fprintf(f, "%*s", cell_width(m), cmp_model_name(m));
	fprintf(f, "\n%-*s", LABEL_W, "status");
	for (m = 0; m < CMP_NMODELS; m++) {
		r = &run->res[m];
		if (r->selected)
			fprintf(f, "%*s", cell_width(m), cmp_status_name(r));
	}
	fputc('\n', f);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		fprintf(f, "%-*.*s", LABEL_W, LABEL_W, rows[i].label);
		for (m = 0; m < CMP_NMODELS; m++) {
			if (!run->res[m].selected)
				continue;
			cell(buf, sizeof(buf), &rows[i], run, &run->res[m]);
			fprintf(f, "%*.*s", cell_width(m), CELL_W - 1, buf);
		}
		fputc('\n', f);
	}
}

static void print_failures(FILE *f, const struct cmp_run *run)
{
	const struct cmp_result *r;
	char first[64];
	int m;

	for (m = 0; m < CMP_NMODELS; m++) {
		r = &run->res[m];
		if (r->selected && !r->ran && !r->failed)
			fprintf(f, "%s: not run%s%s\n", cmp_model_name(m), r->error[0] ? ": " : "",
				r->error);
		if (!r->selected || !r->failed)
			continue;
		snprintf(first, sizeof(first), "%s FAILED (exit status %d):", cmp_model_name(m),
			 r->exit_status);
		wrap(f, first, 2, r->error[0] ? r->error : "no error message");
	}
}

static void print_verdicts(FILE *f, const struct cmp_run *run)
{
	const struct cmp_verdict *v;
	char first[64], text[512];
	int i;

	for (i = 0; i < CMP_NCLAIMS; i++) {
		v = &run->verdicts[i];
		if (!v->id)
			continue;
		if (cmp_verdict_heading(run, i))
			fprintf(f, "\n%s (thresholds: docs/verdicts.md)\n",
				cmp_verdict_heading(run, i));
		/* "C1 holds", "N:M partly", "C5b does not hold " */
		snprintf(first, sizeof(first), "%s %-*s%s", v->id,
			 VERDICT_W - 1 - (int)strlen(v->id), cmp_verdict_name(v->kind),
			 strlen(v->id) + strlen(cmp_verdict_name(v->kind)) + 1 < VERDICT_W ? "" :
			 " ");
		snprintf(text, sizeof(text), "%s (%s)", v->claim, v->models);
		wrap(f, first, VERDICT_W, text);
		snprintf(first, sizeof(first), "%*s", VERDICT_W, "");
		if (v->numbers[0])
			wrap(f, first, VERDICT_W, v->numbers);
		snprintf(first, sizeof(first), "%*snote:", VERDICT_W, "");
		if (v->note[0])
			wrap(f, first, VERDICT_W, v->note);
	}
}

static void print_findings(FILE *f, const struct cmp_run *run)
{
	char whose[48];
	int m;

	for (m = 0; m < CMP_NMODELS; m++) {
		if (!run->res[m].selected || !run->res[m].ran)
			continue;
		snprintf(whose, sizeof(whose), ", %s %s", cmp_model_name(m),
			 cmp_model_is_runtime(m) ? "runtime" : "model");
		report_findings_text(f, &run->res[m].findings, whose);
	}
}

void cmp_report_text(FILE *f, const struct cmp_run *run)
{
	print_header(f, run);
	print_table(f, run);
	print_failures(f, run);
	if (run->repeats) {
		fprintf(f, "\nevery model ran %u times, interleaved; above: each model's median run "
			"(by wall time), below: the median and range of every number\n",
			run->repeat);
		col_report_table_text(f, run->repeats);
	}
	print_verdicts(f, run);
	print_findings(f, run);
	report_text_cmp_stacks(f, run);
}

static struct json_object *workload_json(const struct cmp_workload *wl)
{
	struct json_object *o = json_object_new_object();

	json_add_u64(o, "requests", wl->requests);
	json_add_u64(o, "concurrency", wl->concurrency);
	json_add_u64(o, "io_ms", wl->io_ms);
	json_add_u64(o, "cpu_us", wl->cpu_us);
	json_add_u64(o, "workers", wl->workers);
	return o;
}

static struct json_object *demo_json(const struct cmp_demo_line *d)
{
	struct json_object *o;

	if (!d->parsed)
		return NULL;
	o = json_object_new_object();
	json_add_u64(o, "requests", d->requests);
	json_add_u64(o, "errors", d->errors);
	json_add_u64(o, "workers", d->workers);
	json_add_finite(o, "wall_ms", d->wall_ms);
	json_add_finite(o, "p50_ms", d->p50_ms);
	json_add_finite(o, "p99_ms", d->p99_ms);
	json_add_finite(o, "wait_p50_ms", d->wait_p50_ms);
	json_add_finite(o, "wait_p99_ms", d->wait_p99_ms);
	json_add_finite(o, "setup_cpu_ms", d->setup_cpu_ms);
	json_add_finite(o, "work_cpu_ms", d->work_cpu_ms);
	json_add_finite(o, "cpu_ms", d->cpu_ms);
	return o;
}

/* The busiest threads of a column, busiest first. */
static struct json_object *threads_json(const struct cmp_result *r)
{
	struct json_object *a = json_object_new_array(), *t;
	const struct cmp_thread *x;
	__u32 i;

	for (i = 0; i < r->nthreads_listed && i < CMP_THREADS_LISTED; i++) {
		x = &r->threads[i];
		t = json_object_new_object();
		json_add_u64(t, "tid", x->tid);
		json_add_u64(t, "pid", x->pid);
		json_add_str_or_null(t, "comm", x->comm);
		json_add_u64(t, "on_cpu_ns", x->on_cpu_ns);
		json_add_u64(t, "voluntary", x->voluntary);
		json_add_u64(t, "blocked_ns", x->blocked_ns);
		json_add_str_or_null(t, "mostly_in", x->blocked_ns ?
				     syscalls_family_name(x->mostly) : NULL);
		json_object_array_add(a, t);
	}
	return a;
}

void cmp_result_facts_json(struct json_object *o, const struct cmp_result *r)
{
	json_add_u64(o, "processes", r->processes);
	json_add_u64(o, "user_tasks", r->user_tasks);
	json_add_u64(o, "cross_thread_wakeups", r->cross_thread_wakeups);
	json_add_u64(o, "io_blocked_ns", r->io_blocked_ns);
	json_add_u64(o, "lock_wait_ns", r->lock_wait_ns);
	json_add_finite(o, "cpus_available", r->cpus_available > 0 ? r->cpus_available : NAN);
	json_add_finite(o, "cpus_free", r->cpus_free >= 0 ? r->cpus_free : NAN);
	sum_json(o, &r->sum);
	json_object_object_add(o, "findings", findings_json(&r->findings, true, 0));
	json_add_u64(o, "threads_on_cpu", r->threads_on_cpu);
	json_add_u64(o, "busy_threads", r->busy_threads);
	json_object_object_add(o, "busiest_threads", threads_json(r));
}

static struct json_object *model_json(const struct cmp_result *r, enum cmp_model m)
{
	struct json_object *o = json_object_new_object();

	json_add_str_or_null(o, cmp_model_is_runtime(m) ? "runtime" : "model", cmp_model_name(m));
	json_add_bool(o, "ran", r->ran);
	json_add_bool(o, "failed", r->failed);
	json_add_str_or_null(o, "error", r->failed ? r->error : NULL);
	if (cmp_model_is_runtime(m)) {
		json_add_str_or_null(o, "command", r->ran ? r->command : NULL);
		json_add_str_or_null(o, "not_run", !r->ran ? r->error : NULL);
	}
	json_object_object_add(o, "exit_status", json_object_new_int(r->exit_status));
	json_object_object_add(o, "demo", demo_json(&r->demo));
	if (r->ran)
		cmp_result_facts_json(o, r);
	return o;
}

static struct json_object *c5_json(const struct cmp_c5 *c)
{
	struct json_object *o = json_object_new_object();
	double nan = NAN;

	json_add_bool(o, "measured", c->measured);
	json_add_finite(o, "lag_idle_ms", c->measured ? c->lag_idle_ms : nan);
	json_add_finite(o, "lag_busy_ms", c->measured ? c->lag_busy_ms : nan);
	json_add_finite(o, "lag_idle_p99_ms", c->measured ? c->lag_idle_p99_ms : nan);
	json_add_finite(o, "lag_busy_p99_ms", c->measured ? c->lag_busy_p99_ms : nan);
	return o;
}

static struct json_object *verdict_json(const struct cmp_verdict *v, bool runtimes)
{
	struct json_object *o = json_object_new_object();

	json_add_str_or_null(o, "on", runtimes ? "runtimes" : "demos");
	json_add_str_or_null(o, "id", v->id);
	json_add_str_or_null(o, "claim", v->claim);
	json_add_str_or_null(o, "models", v->models);
	json_add_str_or_null(o, "verdict", cmp_verdict_name(v->kind));
	json_add_str_or_null(o, "numbers", v->numbers);
	json_add_str_or_null(o, "note", v->note);
	return o;
}

/* The demos' columns, or the runtimes' (@runtimes). */
static struct json_object *models_json(const struct cmp_run *run, bool runtimes)
{
	struct json_object *a = json_object_new_array(), *x;
	int i;

	for (i = 0; i < CMP_NMODELS; i++) {
		if (!run->res[i].selected || cmp_model_is_runtime(i) != runtimes)
			continue;
		x = model_json(&run->res[i], i);
		if (run->traces[i])
			json_object_object_add(x, "stacks",
					       report_json_top_stacks(run->traces[i],
								      CMP_TOP_STACKS_MAX));
		json_object_array_add(a, x);
	}
	return a;
}

static struct json_object *compare_json(const struct cmp_run *run)
{
	struct json_object *o = json_object_new_object(), *a;
	int i;

	json_object_object_add(o, "schema", json_object_new_int(1));
	json_add_str_or_null(o, "kind", "compare");
	json_object_object_add(o, "workload", workload_json(&run->wl));
	json_add_u64(o, "ncpus", run->ncpus);
	json_add_str_or_null(o, "kernel", run->kernel);
	json_add_bool(o, "interrupted", run->interrupted);
	json_object_object_add(o, "models", models_json(run, false));
	json_object_object_add(o, "runtimes", models_json(run, true));
	json_object_object_add(o, "c5", c5_json(&run->c5));
	json_object_object_add(o, "c5_py_asyncio", c5_json(&run->c5_asyncio));
	a = json_object_new_array();
	for (i = 0; i < CMP_NCLAIMS; i++)
		if (run->verdicts[i].id)
			json_object_array_add(a, verdict_json(&run->verdicts[i],
							      i >= CMP_NDEMO_CLAIMS));
	json_object_object_add(o, "verdicts", a);
	json_add_u64(o, "repeat", run->repeat > 1 ? run->repeat : 1);
	json_object_object_add(o, "runs", run->repeats ? col_json(run->repeats) : NULL);
	return o;
}

int cmp_report_json(FILE *f, const struct cmp_run *run)
{
	return json_print_put(f, compare_json(run));
}

// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include "output/recording.h"
#include "output/report.h"

#define CHUNK_BYTES (256 * 1024)

/* ---- writing ---- */

static int put(FILE *f, const void *p, size_t n)
{
	return fwrite(p, 1, n, f) == n ? 0 : -EIO;
}

static int put_section(FILE *f, __u32 type, __u32 trace, const void *p, __u64 len)
{
	struct rec_section s = { .type = type, .trace = trace, .length = len };
	int ret = put(f, &s, sizeof(s));

	return ret || !len || !p ? ret : put(f, p, len);
}

int rec_write_header(FILE *f)
{
	struct rec_header h;

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, REC_MAGIC, sizeof(REC_MAGIC));
	h.version = REC_VERSION;
	h.header_size = sizeof(h);
	h.task_size = sizeof(struct rec_task);
	h.proc_size = sizeof(struct rec_proc);
	h.edge_size = sizeof(struct rec_edge);
	h.uring_size = sizeof(struct rec_uring);
	h.event_size = sizeof(struct ksee_event);
	return put(f, &h, sizeof(h));
}

static int put_json(FILE *f, __u32 type, __u32 trace, struct json_object *o)
{
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	int ret = put_section(f, type, trace, s, strlen(s));

	json_object_put(o);
	return ret;
}

static void add_u64(struct json_object *o, const char *k, __u64 v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static void add_i64(struct json_object *o, const char *k, long long v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static struct json_object *meta_json(const struct ks_trace *tr, const struct ks_events *ev)
{
	struct json_object *o = json_object_new_object(), *a, *x;
	int i;

	json_object_object_add(o, "mode", json_object_new_string(tr->mode ? tr->mode : "run"));
	a = json_object_new_array();
	for (i = 0; i < tr->argc; i++)
		json_object_array_add(a, json_object_new_string(tr->argv[i]));
	json_object_object_add(o, "command", a);
	a = json_object_new_array();
	for (i = 0; i < tr->npids; i++)
		json_object_array_add(a, json_object_new_int64(tr->pids[i]));
	json_object_object_add(o, "pids", a);
	json_object_object_add(o, "kernel", json_object_new_string(tr->kernel));
	add_u64(o, "start_ns", tr->start_ns);
	add_u64(o, "end_ns", tr->end_ns);
	add_u64(o, "anchor_pid", tr->anchor_pid);
	add_u64(o, "self_pid", tr->self_pid);
	add_u64(o, "peak_running_all", tr->peak_running_all);
	/* the same fields as the JSON report's, read back by read_meta() */
	report_json_trace_facts(o, tr);
	x = json_object_new_object();
	json_object_object_add(x, "recorded", json_object_new_boolean(tr->timeline));
	add_u64(x, "count", ev ? ev->count : 0);
	add_u64(x, "lost", ev ? ev->lost : 0);
	json_object_object_add(o, "timeline", x);
	return o;
}

/* Copy the events of @ev into a section, a chunk at a time. */
static int copy_events(FILE *f, __u32 trace, const struct ks_events *ev)
{
	static char buf[CHUNK_BYTES];
	__u64 left = ev->count * sizeof(struct ksee_event);
	size_t n;
	int ret;

	ret = put_section(f, REC_EVENTS, trace, NULL, left);
	if (ret)
		return ret;
	if (fflush(ev->f) || fseeko(ev->f, (off_t)ev->offset, SEEK_SET))
		return -errno;
	while (left) {
		n = fread(buf, 1, left < sizeof(buf) ? left : sizeof(buf), ev->f);
		if (!n)
			return -EIO;
		ret = put(f, buf, n);
		if (ret)
			return ret;
		left -= n;
	}
	return fseeko(ev->f, 0, SEEK_END) ? -errno : 0;
}

int rec_write_trace(FILE *f, __u32 trace, const struct ks_trace *tr, const struct ks_events *ev)
{
	__u64 ntasks = 0, nops = 0;
	size_t i, j;
	int ret;

	ret = put_json(f, REC_META, trace, meta_json(tr, ev));
	for (i = 0; i < tr->nprocs; i++) {
		ntasks += tr->procs[i].nthreads;
		nops += tr->procs[i].nops;
	}
	if (!ret)
		ret = put_section(f, REC_TASKS, trace, NULL, ntasks * sizeof(struct rec_task));
	for (i = 0; !ret && i < tr->nprocs; i++) {
		for (j = 0; !ret && j < tr->procs[i].nthreads; j++) {
			struct rec_task rt = { .st = tr->procs[i].threads[j].st,
					       .alive = tr->procs[i].threads[j].alive };

			ret = put(f, &rt, sizeof(rt));
		}
	}
	if (!ret)
		ret = put_section(f, REC_PROCS, trace, NULL, tr->nprocs * sizeof(struct rec_proc));
	for (i = 0; !ret && i < tr->nprocs; i++) {
		struct rec_proc rp = { .kp = tr->procs[i].kp, .pid = tr->procs[i].pid,
				       .alive = tr->procs[i].alive,
				       .have_kp = tr->procs[i].have_kp };

		ret = put(f, &rp, sizeof(rp));
	}
	if (!ret)
		ret = put_section(f, REC_EDGES, trace, NULL, tr->nedges * sizeof(struct rec_edge));
	for (i = 0; !ret && i < tr->nedges; i++) {
		struct rec_edge re = { .key = tr->edges[i].key, .e = tr->edges[i].e };

		ret = put(f, &re, sizeof(re));
	}
	if (!ret)
		ret = put_section(f, REC_URING, trace, NULL, nops * sizeof(struct rec_uring));
	for (i = 0; !ret && i < tr->nprocs; i++) {
		for (j = 0; !ret && j < tr->procs[i].nops; j++) {
			struct rec_uring ru = { .key = { .tgid = tr->procs[i].pid,
							 .opcode = tr->procs[i].ops[j].opcode },
						.op = tr->procs[i].ops[j].op };

			ret = put(f, &ru, sizeof(ru));
		}
	}
	if (!ret && ev && ev->count)
		ret = copy_events(f, trace, ev);
	return ret;
}

int rec_write_compare(FILE *f, const struct cmp_run *run)
{
	struct json_object *o = json_object_new_object(), *a, *x, *d;
	int m;

	x = json_object_new_object();
	add_u64(x, "requests", run->wl.requests);
	add_u64(x, "concurrency", run->wl.concurrency);
	add_u64(x, "io_ms", run->wl.io_ms);
	add_u64(x, "cpu_us", run->wl.cpu_us);
	add_u64(x, "workers", run->wl.workers);
	json_object_object_add(o, "workload", x);
	add_u64(o, "ncpus", run->ncpus);
	json_object_object_add(o, "kernel", json_object_new_string(run->kernel));
	json_object_object_add(o, "interrupted", json_object_new_boolean(run->interrupted));
	x = json_object_new_object();
	json_object_object_add(x, "measured", json_object_new_boolean(run->c5.measured));
	json_object_object_add(x, "lag_idle_ms", json_object_new_double(run->c5.lag_idle_ms));
	json_object_object_add(x, "lag_busy_ms", json_object_new_double(run->c5.lag_busy_ms));
	json_object_object_add(x, "lag_idle_p99_ms",
			       json_object_new_double(run->c5.lag_idle_p99_ms));
	json_object_object_add(x, "lag_busy_p99_ms",
			       json_object_new_double(run->c5.lag_busy_p99_ms));
	json_object_object_add(o, "c5", x);
	a = json_object_new_array();
	for (m = 0; m < CMP_NMODELS; m++) {
		const struct cmp_result *r = &run->res[m];

		x = json_object_new_object();
		add_i64(x, "model", m);
		json_object_object_add(x, "selected", json_object_new_boolean(r->selected));
		json_object_object_add(x, "ran", json_object_new_boolean(r->ran));
		json_object_object_add(x, "failed", json_object_new_boolean(r->failed));
		json_object_object_add(x, "error", json_object_new_string(r->error));
		add_i64(x, "exit_status", r->exit_status);
		d = json_object_new_object();
		json_object_object_add(d, "parsed", json_object_new_boolean(r->demo.parsed));
		add_u64(d, "requests", r->demo.requests);
		add_u64(d, "errors", r->demo.errors);
		add_u64(d, "workers", r->demo.workers);
		json_object_object_add(d, "wall_ms", json_object_new_double(r->demo.wall_ms));
		json_object_object_add(d, "p50_ms", json_object_new_double(r->demo.p50_ms));
		json_object_object_add(d, "p99_ms", json_object_new_double(r->demo.p99_ms));
		json_object_object_add(x, "demo", d);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "models", a);
	return put_json(f, REC_COMPARE, 0, o);
}

int rec_write_end(FILE *f)
{
	return put_section(f, REC_END, 0, NULL, 0);
}

/* ---- reading ---- */

struct reader {
	struct rec_file *rf;
	FILE *f;
	__u64 size, pos;
	char *err;
	size_t errlen;
	bool meta[REC_MAX_TRACES];
	bool ended;
};

static int fail(struct reader *r, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct reader *r, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return ret;
}

static int get(struct reader *r, void *p, size_t n)
{
	if (n > r->size - r->pos || fread(p, 1, n, r->f) != n)
		return fail(r, -EPROTO, "the recording is truncated (at byte %llu)",
			    (unsigned long long)r->pos);
	r->pos += n;
	return 0;
}

static struct json_object *get_json(struct reader *r, __u64 len, int *ret)
{
	struct json_tokener *tok;
	struct json_object *o;
	char *buf;

	*ret = 0;
	if (len > REC_MAX_JSON) {
		*ret = fail(r, -EFBIG, "a JSON section of %llu bytes is over the %u limit",
			    (unsigned long long)len, REC_MAX_JSON);
		return NULL;
	}
	buf = malloc(len + 1);
	if (!buf) {
		*ret = -ENOMEM;
		return NULL;
	}
	*ret = get(r, buf, len);
	if (*ret) {
		free(buf);
		return NULL;
	}
	tok = json_tokener_new();
	o = tok ? json_tokener_parse_ex(tok, buf, (int)len) : NULL;
	if (o && (tok->char_offset != (int)len || !json_object_is_type(o, json_type_object))) {
		json_object_put(o);
		o = NULL;
	}
	if (tok)
		json_tokener_free(tok);
	free(buf);
	if (!o)
		*ret = fail(r, -EPROTO, "the recording is corrupt: a JSON section does not parse");
	return o;
}

static struct json_object *field(struct json_object *o, const char *k, enum json_type type)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, k, &v))
		return NULL;
	if (json_object_is_type(v, type))
		return v;
	/* numbers: either kind will do */
	if ((type == json_type_int || type == json_type_double) &&
	    (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return v;
	return NULL;
}

static __u64 u64_of(struct json_object *o, const char *k)
{
	struct json_object *v = field(o, k, json_type_int);

	return v ? json_object_get_uint64(v) : 0;
}

static long long i64_of(struct json_object *o, const char *k)
{
	struct json_object *v = field(o, k, json_type_int);

	return v ? json_object_get_int64(v) : 0;
}

static double dbl_of(struct json_object *o, const char *k)
{
	struct json_object *v = field(o, k, json_type_double);

	return v ? json_object_get_double(v) : 0;
}

static bool bool_of(struct json_object *o, const char *k)
{
	struct json_object *v = field(o, k, json_type_boolean);

	return v && json_object_get_boolean(v);
}

static void str_into(struct json_object *o, const char *k, char *buf, size_t len)
{
	struct json_object *v = field(o, k, json_type_string);

	snprintf(buf, len, "%s", v ? json_object_get_string(v) : "");
}

static int read_meta(struct reader *r, __u32 trace, struct json_object *o)
{
	struct ks_trace *tr = &r->rf->traces[trace];
	struct json_object *a, *x;
	size_t i, n;
	int ret = 0;

	x = field(o, "mode", json_type_string);
	tr->mode = x && !strcmp(json_object_get_string(x), "attach") ? "attach" : "run";
	a = field(o, "command", json_type_array);
	n = a ? json_object_array_length(a) : 0;
	if (n > 4096)
		return fail(r, -EFBIG, "the recording is corrupt: a command of %zu words", n);
	r->rf->argv[trace] = calloc(n + 1, sizeof(char *));
	if (!r->rf->argv[trace])
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		x = json_object_array_get_idx(a, i);
		r->rf->argv[trace][i] = strdup(json_object_is_type(x, json_type_string) ?
					       json_object_get_string(x) : "?");
		if (!r->rf->argv[trace][i])
			return -ENOMEM;
	}
	tr->argv = r->rf->argv[trace];
	tr->argc = n;
	a = field(o, "pids", json_type_array);
	n = a ? json_object_array_length(a) : 0;
	if (n > 4096)
		return fail(r, -EFBIG, "the recording is corrupt: %zu pids", n);
	r->rf->pids[trace] = calloc(n + 1, sizeof(__u32));
	if (!r->rf->pids[trace])
		return -ENOMEM;
	for (i = 0; i < n; i++)
		r->rf->pids[trace][i] = json_object_get_int64(json_object_array_get_idx(a, i));
	tr->pids = r->rf->pids[trace];
	tr->npids = n;
	str_into(o, "kernel", tr->kernel, sizeof(tr->kernel));
	tr->start_ns = u64_of(o, "start_ns");
	tr->end_ns = u64_of(o, "end_ns");
	tr->anchor_pid = u64_of(o, "anchor_pid");
	tr->self_pid = u64_of(o, "self_pid");
	tr->peak_running_all = u64_of(o, "peak_running_all");
	x = field(o, "exit", json_type_object);
	if (x) {
		tr->have_exit = true;
		tr->exit_code = i64_of(x, "code");
		tr->exit_signal = i64_of(x, "signal");
		tr->exit_status = i64_of(x, "status");
	}
	x = field(o, "features", json_type_object);
	tr->features.sched = bool_of(x, "sched");
	tr->features.syscalls = bool_of(x, "syscalls");
	tr->features.io_uring = bool_of(x, "io_uring");
	tr->features.irq = bool_of(x, "irq");
	tr->features.markers = bool_of(x, "markers");
	a = field(o, "notices", json_type_array);
	n = a ? json_object_array_length(a) : 0;
	for (i = 0; !ret && i < n; i++) {
		x = json_object_array_get_idx(a, i);
		if (json_object_is_type(x, json_type_string))
			ret = ks_trace_notice(tr, json_object_get_string(x));
	}
	x = field(o, "drops", json_type_object);
	tr->drops.ringbuf = u64_of(x, "ringbuf");
	tr->drops.tasks = u64_of(x, "tasks");
	tr->drops.procs = u64_of(x, "procs");
	tr->drops.edges = u64_of(x, "edges");
	tr->drops.uring = u64_of(x, "uring");
	tr->drops.awaits = u64_of(x, "awaits");
	tr->drops.events = u64_of(x, "events");
	tr->drops.switches_inferred = u64_of(o, "switches_inferred");
	x = field(o, "kernel_state", json_type_object);
	tr->kstate.procs = u64_of(x, "procs");
	tr->kstate.edges = u64_of(x, "edges");
	tr->kstate.uring_inflight = u64_of(x, "uring_inflight");
	tr->kstate.awaiting = u64_of(x, "awaiting");
	tr->kstate.live_tasks = u64_of(x, "live_tasks");
	x = field(o, "timeline", json_type_object);
	r->rf->events[trace].lost = u64_of(x, "lost");
	tr->timeline = bool_of(x, "recorded");
	return ret;
}

/* Bytes of fixed-size records: a whole number of them, not too many. */
static int check_records(struct reader *r, __u64 len, size_t size, __u64 *count)
{
	if (len % size)
		return fail(r, -EPROTO, "the recording is corrupt: a section of %llu bytes is not "
			    "a whole number of %zu-byte records", (unsigned long long)len, size);
	*count = len / size;
	if (*count > REC_MAX_RECORDS)
		return fail(r, -EFBIG, "the recording holds %llu records in one section, over the "
			    "%u limit", (unsigned long long)*count, REC_MAX_RECORDS);
	return 0;
}

static int read_records(struct reader *r, __u32 type, __u32 trace, __u64 len)
{
	struct ks_trace *tr = &r->rf->traces[trace];
	union {
		struct rec_task t;
		struct rec_proc p;
		struct rec_edge e;
		struct rec_uring u;
	} rec;
	size_t size = type == REC_TASKS ? sizeof(rec.t) : type == REC_PROCS ? sizeof(rec.p) :
		      type == REC_EDGES ? sizeof(rec.e) : sizeof(rec.u);
	struct ksee_task kt;
	__u64 n, i;
	int ret;

	ret = check_records(r, len, size, &n);
	for (i = 0; !ret && i < n; i++) {
		ret = get(r, &rec, size);
		if (ret)
			break;
		switch (type) {
		case REC_TASKS:
			memset(&kt, 0, sizeof(kt));
			kt.st = rec.t.st;
			kt.st.comm[KSEE_COMM_LEN - 1] = 0;
			ret = ks_trace_add_task(tr, &kt, rec.t.alive != 0);
			break;
		case REC_PROCS:
			rec.p.kp.comm[KSEE_COMM_LEN - 1] = 0;
			if (rec.p.have_kp) {
				rec.p.kp.tgid = rec.p.pid;
				ret = ks_trace_add_proc(tr, &rec.p.kp, rec.p.alive != 0);
			}
			break;
		case REC_EDGES:
			rec.e.e.waker_comm[KSEE_COMM_LEN - 1] = 0;
			ret = ks_trace_add_edge(tr, &rec.e.key, &rec.e.e);
			break;
		default:
			ret = ks_trace_add_uring(tr, &rec.u.key, &rec.u.op);
		}
	}
	return ret;
}

static int read_events(struct reader *r, __u32 trace, __u64 len)
{
	struct ks_events *ev = &r->rf->events[trace];
	__u64 n;
	int ret;

	if (ev->count)
		return fail(r, -EPROTO, "the recording is corrupt: two timelines for one trace");
	ret = check_records(r, len, sizeof(struct ksee_event), &n);
	if (ret)
		return ret;
	if (len > r->size - r->pos)
		return fail(r, -EPROTO, "the recording is truncated (in its timeline)");
	ev->f = r->f;
	ev->offset = r->pos;
	ev->count = n;
	r->rf->traces[trace].timeline_events = n;
	r->pos += len;
	return fseeko(r->f, (off_t)r->pos, SEEK_SET) ? -errno : 0;
}

static int read_compare(struct reader *r, struct json_object *o)
{
	struct cmp_run *run;
	struct json_object *a, *x, *d;
	size_t i, n;
	long long m;

	if (r->rf->cmp)
		return fail(r, -EPROTO, "the recording is corrupt: two comparisons");
	run = calloc(1, sizeof(*run));
	if (!run)
		return -ENOMEM;
	r->rf->cmp = run;
	r->rf->is_compare = true;
	x = field(o, "workload", json_type_object);
	run->wl.requests = u64_of(x, "requests");
	run->wl.concurrency = u64_of(x, "concurrency");
	run->wl.io_ms = u64_of(x, "io_ms");
	run->wl.cpu_us = u64_of(x, "cpu_us");
	run->wl.workers = u64_of(x, "workers");
	run->ncpus = u64_of(o, "ncpus");
	str_into(o, "kernel", run->kernel, sizeof(run->kernel));
	run->interrupted = bool_of(o, "interrupted");
	x = field(o, "c5", json_type_object);
	run->c5.measured = bool_of(x, "measured");
	run->c5.lag_idle_ms = dbl_of(x, "lag_idle_ms");
	run->c5.lag_busy_ms = dbl_of(x, "lag_busy_ms");
	run->c5.lag_idle_p99_ms = dbl_of(x, "lag_idle_p99_ms");
	run->c5.lag_busy_p99_ms = dbl_of(x, "lag_busy_p99_ms");
	for (m = 0; m < CMP_NMODELS; m++)
		run->res[m].model = m;
	a = field(o, "models", json_type_array);
	n = a ? json_object_array_length(a) : 0;
	for (i = 0; i < n; i++) {
		x = json_object_array_get_idx(a, i);
		m = i64_of(x, "model");
		if (m < 0 || m >= CMP_NMODELS)
			return fail(r, -EPROTO, "the recording is corrupt: model %lld", m);
		run->res[m].selected = bool_of(x, "selected");
		run->res[m].ran = bool_of(x, "ran");
		run->res[m].failed = bool_of(x, "failed");
		str_into(x, "error", run->res[m].error, sizeof(run->res[m].error));
		run->res[m].exit_status = i64_of(x, "exit_status");
		d = field(x, "demo", json_type_object);
		run->res[m].demo.parsed = bool_of(d, "parsed");
		run->res[m].demo.requests = u64_of(d, "requests");
		run->res[m].demo.errors = u64_of(d, "errors");
		run->res[m].demo.workers = u64_of(d, "workers");
		run->res[m].demo.wall_ms = dbl_of(d, "wall_ms");
		run->res[m].demo.p50_ms = dbl_of(d, "p50_ms");
		run->res[m].demo.p99_ms = dbl_of(d, "p99_ms");
	}
	return 0;
}

static int read_header(struct reader *r)
{
	struct rec_header h;

	if (r->size < sizeof(h) || get(r, &h, sizeof(h)) ||
	    memcmp(h.magic, REC_MAGIC, sizeof(REC_MAGIC)))
		return fail(r, -EPROTO, "not a ksee recording (no KSEEREC header)");
	if (h.version > REC_VERSION)
		return fail(r, -EPROTO, "the recording is version %u, newer than this ksee reads "
			    "(%u): update ksee", h.version, REC_VERSION);
	if (h.version < 1 || h.header_size != sizeof(h) ||
	    h.task_size != sizeof(struct rec_task) || h.proc_size != sizeof(struct rec_proc) ||
	    h.edge_size != sizeof(struct rec_edge) || h.uring_size != sizeof(struct rec_uring) ||
	    h.event_size != sizeof(struct ksee_event))
		return fail(r, -EPROTO, "the recording was written by an incompatible ksee build "
			    "(record sizes differ)");
	return 0;
}

static int read_section(struct reader *r)
{
	struct rec_section s;
	struct json_object *o;
	int ret;

	ret = get(r, &s, sizeof(s));
	if (ret)
		return ret;
	if (r->ended)
		return fail(r, -EPROTO, "the recording is corrupt: data after its end marker");
	if (s.type == REC_END) {
		if (s.trace || s.length)
			return fail(r, -EPROTO, "the recording is corrupt: a bad end marker");
		r->ended = true;
		return 0;
	}
	if (s.trace >= REC_MAX_TRACES || s.type < REC_META || s.type > REC_COMPARE)
		return fail(r, -EPROTO, "the recording is corrupt: section type %u of trace %u",
			    s.type, s.trace);
	if (s.length > r->size - r->pos)
		return fail(r, -EPROTO, "the recording is truncated: a section of %llu bytes with "
			    "%llu left", (unsigned long long)s.length,
			    (unsigned long long)(r->size - r->pos));
	if ((s.type == REC_COMPARE) != (s.trace == 0))
		return fail(r, -EPROTO, "the recording is corrupt: section %u in trace %u",
			    s.type, s.trace);
	if (s.type != REC_META && s.type != REC_COMPARE && !r->meta[s.trace])
		return fail(r, -EPROTO, "the recording is corrupt: data before its description");
	switch (s.type) {
	case REC_META:
		if (r->meta[s.trace])
			return fail(r, -EPROTO, "the recording is corrupt: trace %u twice", s.trace);
		o = get_json(r, s.length, &ret);
		if (!o)
			return ret;
		r->meta[s.trace] = true;
		r->rf->have[s.trace] = true;
		ret = read_meta(r, s.trace, o);
		json_object_put(o);
		return ret;
	case REC_COMPARE:
		o = get_json(r, s.length, &ret);
		if (!o)
			return ret;
		ret = read_compare(r, o);
		json_object_put(o);
		return ret;
	case REC_EVENTS:
		return read_events(r, s.trace, s.length);
	default:
		return read_records(r, s.type, s.trace, s.length);
	}
}

int rec_read(struct rec_file *rf, FILE *f, char *err, size_t errlen)
{
	struct reader r = { .rf = rf, .f = f, .err = err, .errlen = errlen };
	struct stat st;
	int ret, i, m;

	memset(rf, 0, sizeof(*rf));
	rf->f = f;
	for (i = 0; i < REC_MAX_TRACES; i++)
		ks_trace_init(&rf->traces[i]);
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
		r.size = st.st_size;
	} else {
		/* a memory stream (tests, fuzzing): find its size by seeking */
		if (fseeko(f, 0, SEEK_END))
			return fail(&r, -errno, "cannot seek in the recording");
		r.size = ftello(f);
		rewind(f);
	}
	ret = read_header(&r);
	while (!ret && r.pos < r.size)
		ret = read_section(&r);
	if (ret)
		return ret;
	if (!r.ended)
		return fail(&r, -EPROTO, "the recording is truncated (no end marker)");
	for (i = 1, m = 0; i < REC_MAX_TRACES; i++)
		m += rf->have[i];
	if (!m && !rf->cmp)
		return fail(&r, -EPROTO, "the recording holds no trace");
	if (rf->cmp && rf->have[0])
		return fail(&r, -EPROTO, "the recording is corrupt: trace 0 in a comparison");
	for (i = 1; i < REC_MAX_TRACES; i++)
		if (rf->have[i])
			ks_trace_finish(&rf->traces[i]);
	if (rf->cmp) {
		for (m = 0; m < CMP_NMODELS; m++)
			if (rf->have[1 + m])
				cmp_result_from_trace(&rf->cmp->res[m], &rf->traces[1 + m]);
		cmp_verdicts(rf->cmp);
	}
	return 0;
}

void rec_free(struct rec_file *rf)
{
	int i;
	char **a;

	for (i = 0; i < REC_MAX_TRACES; i++) {
		ks_trace_free(&rf->traces[i]);
		for (a = rf->argv[i]; a && *a; a++)
			free(*a);
		free(rf->argv[i]);
		free(rf->pids[i]);
	}
	free(rf->cmp);
	memset(rf, 0, sizeof(*rf));
}

// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include <stddef.h>
#include "output/json_util.h"
#include "output/recording.h"
#include "output/report.h"

#define CHUNK_BYTES (256 * 1024)

/* The fuzzers skip the checksums, so that their mutations reach the parsers behind. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define IGNORE_CRC 1
#else
#define IGNORE_CRC 0
#endif

__u32 rec_crc32c(__u32 crc, const void *p, size_t n)
{
	static __u32 table[256];
	const unsigned char *b = p;
	__u32 c;
	int i, k;

	if (!table[1]) {
		for (i = 0; i < 256; i++) {
			for (c = i, k = 0; k < 8; k++)
				c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1;
			table[i] = c;
		}
	}
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *b++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static const char *section_name(__u32 type)
{
	static const char *const names[] = {
		[REC_META] = "META", [REC_TASKS] = "TASKS", [REC_PROCS] = "PROCS",
		[REC_EDGES] = "EDGES", [REC_URING] = "URING", [REC_EVENTS] = "EVENTS",
		[REC_COMPARE] = "COMPARE", [REC_END] = "END", [REC_STACKS] = "STACKS",
		[REC_COLUMNS] = "COLUMNS",
	};

	return type < sizeof(names) / sizeof(names[0]) && names[type] ? names[type] : "?";
}

/* ---- writing ---- */

/*
 * The section being written, whose checksum follows its payload: the
 * writers stream records one at a time, so the sum is kept here and
 * written when the next section starts or the file ends.
 */
static struct {
	FILE *f;
	__u32 crc;
} open_section;

static int put_raw(FILE *f, const void *p, size_t n)
{
	return fwrite(p, 1, n, f) == n ? 0 : -EIO;
}

static int put(FILE *f, const void *p, size_t n)
{
	if (open_section.f == f)
		open_section.crc = rec_crc32c(open_section.crc, p, n);
	return put_raw(f, p, n);
}

/* Write the checksum of the section in progress, if any. */
static int close_section(FILE *f)
{
	__u32 crc = open_section.crc;

	if (open_section.f != f)
		return 0;
	open_section.f = NULL;
	return put_raw(f, &crc, sizeof(crc));
}

static int put_section(FILE *f, __u32 type, __u32 trace, const void *p, __u64 len)
{
	struct rec_section s = { .type = type, .trace = trace, .length = len };
	int ret = close_section(f);

	if (ret)
		return ret;
	open_section.f = f;
	open_section.crc = 0;
	ret = put(f, &s, sizeof(s));
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
	h.header_crc = rec_crc32c(0, &h, sizeof(h));
	open_section.f = NULL;
	return put_raw(f, &h, sizeof(h));
}

static int put_json(FILE *f, __u32 type, __u32 trace, struct json_object *o)
{
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	int ret = put_section(f, type, trace, s, strlen(s));

	json_object_put(o);
	return ret;
}

#define TR_FIELD(key, member, type) \
	{ NULL, key, offsetof(struct ks_trace, member), type, sizeof(((struct ks_trace *)0)->member) }

/* META's own fields after "command" and "pids", written and read by this one table. */
static const struct json_field meta_fields[] = {
	TR_FIELD("kernel", kernel, JF_STR),
	TR_FIELD("start_ns", start_ns, JF_U64),
	TR_FIELD("end_ns", end_ns, JF_U64),
	TR_FIELD("anchor_pid", anchor_pid, JF_U32),
	TR_FIELD("self_pid", self_pid, JF_U32),
	TR_FIELD("peak_running_all", peak_running_all, JF_U32),
};

#define NMETA (sizeof(meta_fields) / sizeof(meta_fields[0]))

static struct json_object *meta_json(const struct ks_trace *tr, const struct ks_events *ev)
{
	struct json_object *o = json_object_new_object(), *a, *x;
	int i;

	json_add_str(o, "mode", tr->mode ? tr->mode : "run");
	a = json_object_new_array();
	for (i = 0; i < tr->argc; i++)
		json_object_array_add(a, json_object_new_string(tr->argv[i]));
	json_object_object_add(o, "command", a);
	a = json_object_new_array();
	for (i = 0; i < tr->npids; i++)
		json_object_array_add(a, json_object_new_int64(tr->pids[i]));
	json_object_object_add(o, "pids", a);
	json_fields_write(o, tr, meta_fields, NMETA);
	/* the same fields as the JSON report's, read back by read_meta() */
	report_json_trace_facts(o, tr);
	x = json_object_new_object();
	json_add_bool(x, "recorded", tr->timeline);
	json_add_u64(x, "count", ev ? ev->count : 0);
	json_add_u64(x, "lost", ev ? ev->lost : 0);
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

/* The stacks as the model holds them: per task, stack pair and reason. */
static struct json_object *stacks_json(const struct ks_trace *tr)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array(), *x, *fa, *fr;
	const struct ks_stack *s;
	size_t i;
	__u32 j;

	for (i = 0; i < tr->stacks.n; i++) {
		s = &tr->stacks.v[i];
		x = json_object_new_object();
		json_add_u64(x, "tgid", s->tgid);
		json_add_u64(x, "tid", s->tid);
		json_add_u64(x, "reason", s->reason);
		json_add_u64(x, "flags", s->flags);
		json_add_u64(x, "count", s->count);
		json_add_u64(x, "blocked_ns", s->blocked_ns);
		json_add_u64(x, "nkernel", s->nkernel);
		fa = json_object_new_array();
		for (j = 0; j < s->nframes; j++) {
			const struct ks_frame *f = &s->frames[j];

			fr = json_object_new_object();
			json_object_object_add(fr, "name", json_object_new_string(f->name));
			if (f->module)
				json_object_object_add(fr, "module", json_object_new_string(f->module));
			if (f->file)
				json_object_object_add(fr, "file", json_object_new_string(f->file));
			json_add_u64(fr, "line", f->line);
			json_add_u64(fr, "flags", f->flags);
			json_object_array_add(fa, fr);
		}
		json_object_object_add(x, "frames", fa);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "stacks", a);
	return o;
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
				       .have_kp = tr->procs[i].have_kp,
				       .have_bill = tr->procs[i].bill_hist != NULL };

		if (rp.have_bill)
			memcpy(rp.bill_hist, tr->procs[i].bill_hist, sizeof(rp.bill_hist));
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
	if (!ret && tr->features.stacks)
		ret = put_json(f, REC_STACKS, trace, stacks_json(tr));
	if (!ret && ev && ev->count)
		ret = copy_events(f, trace, ev);
	return ret;
}

/* C5's lags (of the epoll demo, or of py-asyncio) in a recording. */
static struct json_object *c5_to_json(const struct cmp_c5 *c)
{
	struct json_object *x = json_object_new_object();

	json_add_bool(x, "measured", c->measured);
	json_object_object_add(x, "lag_idle_ms", json_object_new_double(c->lag_idle_ms));
	json_object_object_add(x, "lag_busy_ms", json_object_new_double(c->lag_busy_ms));
	json_object_object_add(x, "lag_idle_p99_ms", json_object_new_double(c->lag_idle_p99_ms));
	json_object_object_add(x, "lag_busy_p99_ms", json_object_new_double(c->lag_busy_p99_ms));
	return x;
}

/* The same read back; a recording without it (older, no py-asyncio): not measured. */
static void c5_from_json(struct cmp_c5 *c, struct json_object *x)
{
	c->measured = x && json_get_bool(x, "measured");
	c->lag_idle_ms = json_get_dbl(x, "lag_idle_ms");
	c->lag_busy_ms = json_get_dbl(x, "lag_busy_ms");
	c->lag_idle_p99_ms = json_get_dbl(x, "lag_idle_p99_ms");
	c->lag_busy_p99_ms = json_get_dbl(x, "lag_busy_p99_ms");
}

/* What a demo printed, its summary line. */
static struct json_object *demo_json(const struct cmp_demo_line *l)
{
	struct json_object *d = json_object_new_object();

	json_add_bool(d, "parsed", l->parsed);
	json_add_u64(d, "requests", l->requests);
	json_add_u64(d, "errors", l->errors);
	json_add_u64(d, "workers", l->workers);
	json_object_object_add(d, "wall_ms", json_object_new_double(l->wall_ms));
	json_object_object_add(d, "p50_ms", json_object_new_double(l->p50_ms));
	json_object_object_add(d, "p99_ms", json_object_new_double(l->p99_ms));
	json_add_finite(d, "wait_p50_ms", l->wait_p50_ms);
	json_add_finite(d, "wait_p99_ms", l->wait_p99_ms);
	json_add_finite(d, "setup_cpu_ms", l->setup_cpu_ms);
	json_add_finite(d, "work_cpu_ms", l->work_cpu_ms);
	json_add_finite(d, "cpu_ms", l->cpu_ms);
	return d;
}

int rec_write_compare(FILE *f, const struct cmp_run *run)
{
	struct json_object *o = json_object_new_object(), *a, *x, *d;
	int m;

	x = json_object_new_object();
	json_add_u64(x, "requests", run->wl.requests);
	json_add_u64(x, "concurrency", run->wl.concurrency);
	json_add_u64(x, "io_ms", run->wl.io_ms);
	json_add_u64(x, "cpu_us", run->wl.cpu_us);
	json_add_u64(x, "workers", run->wl.workers);
	json_object_object_add(o, "workload", x);
	json_add_u64(o, "ncpus", run->ncpus);
	json_object_object_add(o, "kernel", json_object_new_string(run->kernel));
	json_add_bool(o, "interrupted", run->interrupted);
	json_object_object_add(o, "c5", c5_to_json(&run->c5));
	json_object_object_add(o, "c5_py_asyncio", c5_to_json(&run->c5_asyncio));
	a = json_object_new_array();
	for (m = 0; m < CMP_NMODELS; m++) {
		const struct cmp_result *r = &run->res[m];

		x = json_object_new_object();
		json_add_int(x, "model", m);
		json_add_bool(x, "selected", r->selected);
		json_add_bool(x, "ran", r->ran);
		json_add_bool(x, "failed", r->failed);
		json_object_object_add(x, "error", json_object_new_string(r->error));
		json_object_object_add(x, "command", json_object_new_string(r->command));
		json_add_int(x, "exit_status", r->exit_status);
		d = demo_json(&r->demo);
		json_object_object_add(x, "demo", d);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "models", a);
	return put_json(f, REC_COMPARE, 0, o);
}

/* A run's outcome; what the kernel saw of it is in its trace. */
static struct json_object *run_json(const struct cmp_result *r, bool model)
{
	struct json_object *x = json_object_new_object();

	json_add_bool(x, "ran", r->ran);
	json_add_bool(x, "failed", r->failed);
	json_object_object_add(x, "error", json_object_new_string(r->error));
	json_add_int(x, "exit_status", r->exit_status);
	if (model) {
		json_add_int(x, "model", r->model);
		json_object_object_add(x, "demo", demo_json(&r->demo));
	}
	return x;
}

int rec_write_columns(FILE *f, const struct col_cmp *cc)
{
	struct json_object *o = json_object_new_object(), *a, *x, *runs;
	bool models = !strcmp(cc->kind, "models");
	const struct col_column *c;
	unsigned int i, k;

	json_object_object_add(o, "kind", json_object_new_string(models ? "models" : "commands"));
	json_add_u64(o, "repeat", cc->repeat);
	json_add_u64(o, "ncpus", cc->ncpus);
	json_object_object_add(o, "kernel", json_object_new_string(cc->kernel));
	json_add_bool(o, "interrupted", cc->interrupted);
	a = json_object_new_array();
	for (i = 0; i < cc->ncols; i++) {
		c = &cc->cols[i];
		x = json_object_new_object();
		json_object_object_add(x, "name", json_object_new_string(c->name));
		json_object_object_add(x, "command", json_object_new_string(c->command));
		json_add_bool(x, "failed", c->failed);
		json_object_object_add(x, "error", json_object_new_string(c->error));
		runs = json_object_new_array();
		for (k = 0; k < c->nruns && k < COL_RUNS_MAX; k++)
			json_object_array_add(runs, run_json(&c->runs[k], models));
		json_object_object_add(x, "runs", runs);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "columns", a);
	return put_json(f, REC_COLUMNS, 0, o);
}

int rec_write_end(FILE *f)
{
	return put_section(f, REC_END, 0, NULL, 0) ?: close_section(f);
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
	__u32 version;
	__u32 crc;		/* of what get() read since the section began */
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
	r->crc = rec_crc32c(r->crc, p, n);
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

static int read_meta(struct reader *r, __u32 trace, struct json_object *o)
{
	struct ks_trace *tr = &r->rf->traces[trace];
	struct json_object *a, *x;
	size_t i, n;
	int ret = 0;

	x = json_get(o, "mode", json_type_string);
	tr->mode = x && !strcmp(json_object_get_string(x), "attach") ? "attach" : "run";
	a = json_get(o, "command", json_type_array);
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
	a = json_get(o, "pids", json_type_array);
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
	json_fields_read(o, tr, meta_fields, NMETA);
	ret = report_json_read_trace_facts(o, tr);
	x = json_get(o, "timeline", json_type_object);
	r->rf->events[trace].lost = json_get_u64(x, "lost");
	tr->timeline = json_get_bool(x, "recorded");
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
			if (!ret && rec.p.have_bill)
				ret = ks_trace_add_bill(tr, rec.p.pid, rec.p.bill_hist);
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
	if (r->version >= 2) {
		/* read once for the checksum; renderers read the events again later */
		static char buf[CHUNK_BYTES];
		size_t k;

		for (; len; len -= k) {
			k = len < sizeof(buf) ? len : sizeof(buf);
			ret = get(r, buf, k);
			if (ret)
				return ret;
		}
		return 0;
	}
	r->pos += len;
	return fseeko(r->f, (off_t)r->pos, SEEK_SET) ? -errno : 0;
}

/* A number of a newer ksee; NaN when missing or null (a demo that did not say). */
static double dbl_or_nan(struct json_object *o, const char *k)
{
	struct json_object *v = json_get(o, k, json_type_double);

	return v ? json_object_get_double(v) : NAN;
}

static char *str_dup_of(struct json_object *o, const char *k)
{
	struct json_object *v = json_get(o, k, json_type_string);

	return v ? strdup(json_object_get_string(v)) : NULL;
}

/* One stack of the STACKS section into @s; 0, -ENOMEM or -EPROTO. */
static int read_stack(struct json_object *x, struct ks_stack *s)
{
	struct json_object *fa = json_get(x, "frames", json_type_array), *fr;
	size_t n = fa ? json_object_array_length(fa) : 0, j;

	if (!json_object_is_type(x, json_type_object) || !fa || n > REC_MAX_FRAMES)
		return -EPROTO;
	s->tgid = json_get_u64(x, "tgid");
	s->tid = json_get_u64(x, "tid");
	s->reason = json_get_u64(x, "reason");
	s->flags = json_get_u64(x, "flags") & (KS_STACK_TRUNCATED | KS_STACK_UNWIND_ERR |
					 KS_STACK_USER_LOST | KS_STACK_KERNEL_LOST |
					 KS_STACK_USER_HIDDEN);
	s->count = json_get_u64(x, "count");
	s->blocked_ns = json_get_u64(x, "blocked_ns");
	s->nkernel = json_get_u64(x, "nkernel");
	if (s->reason >= KSEE_R_NR || s->nkernel > n)
		return -EPROTO;
	s->frames = calloc(n ? n : 1, sizeof(*s->frames));
	if (!s->frames)
		return -ENOMEM;
	for (j = 0; j < n; j++) {
		struct ks_frame *f = &s->frames[s->nframes];

		fr = json_object_array_get_idx(fa, j);
		if (!json_object_is_type(fr, json_type_object) || !json_get(fr, "name", json_type_string))
			return -EPROTO;
		s->nframes++;
		f->name = str_dup_of(fr, "name");
		f->module = str_dup_of(fr, "module");
		f->file = str_dup_of(fr, "file");
		f->line = json_get_u64(fr, "line");
		f->flags = json_get_u64(fr, "flags") & (KS_FRAME_KERNEL | KS_FRAME_INLINED | KS_FRAME_NOSYM);
		if (!f->name || (json_get(fr, "module", json_type_string) && !f->module) ||
		    (json_get(fr, "file", json_type_string) && !f->file))
			return -ENOMEM;
	}
	return 0;
}

static int read_stacks(struct reader *r, __u32 trace, struct json_object *o)
{
	struct json_object *a = json_get(o, "stacks", json_type_array);
	struct ks_trace *tr = &r->rf->traces[trace];
	size_t i, n = a ? json_object_array_length(a) : 0;
	int ret = 0;

	if (!a || n > REC_MAX_RECORDS)
		return fail(r, -EPROTO, "the recording is corrupt: a bad stacks section");
	for (i = 0; !ret && i < n; i++) {
		struct ks_stack s = { 0 };

		ret = read_stack(json_object_array_get_idx(a, i), &s);
		if (!ret)
			ret = ks_stacks_add(&tr->stacks, &s);
		ks_stack_free(&s);
	}
	if (ret == -EPROTO)
		return fail(r, ret, "the recording is corrupt: a bad stack");
	return ret;
}

static void read_demo(struct json_object *d, struct cmp_demo_line *l)
{
	l->parsed = json_get_bool(d, "parsed");
	l->requests = json_get_u64(d, "requests");
	l->errors = json_get_u64(d, "errors");
	l->workers = json_get_u64(d, "workers");
	l->wall_ms = json_get_dbl(d, "wall_ms");
	l->p50_ms = json_get_dbl(d, "p50_ms");
	l->p99_ms = json_get_dbl(d, "p99_ms");
	l->wait_p50_ms = dbl_or_nan(d, "wait_p50_ms");
	l->wait_p99_ms = dbl_or_nan(d, "wait_p99_ms");
	l->setup_cpu_ms = dbl_or_nan(d, "setup_cpu_ms");
	l->work_cpu_ms = dbl_or_nan(d, "work_cpu_ms");
	l->cpu_ms = dbl_or_nan(d, "cpu_ms");
}

/* A run's outcome (compare's models, and the runs of columns). */
static void read_run(struct json_object *x, struct cmp_result *res)
{
	res->ran = json_get_bool(x, "ran");
	res->failed = json_get_bool(x, "failed");
	json_get_str(x, "error", res->error, sizeof(res->error));
	json_get_str(x, "command", res->command, sizeof(res->command));
	res->exit_status = json_get_i64(x, "exit_status");
	read_demo(json_get(x, "demo", json_type_object), &res->demo);
}

static int read_compare(struct reader *r, struct json_object *o)
{
	struct cmp_run *run;
	struct json_object *a, *x;
	size_t i, n;
	long long m;

	if (r->rf->cmp)
		return fail(r, -EPROTO, "the recording is corrupt: two comparisons");
	run = calloc(1, sizeof(*run));
	if (!run)
		return -ENOMEM;
	r->rf->cmp = run;
	r->rf->is_compare = true;
	x = json_get(o, "workload", json_type_object);
	run->wl.requests = json_get_u64(x, "requests");
	run->wl.concurrency = json_get_u64(x, "concurrency");
	run->wl.io_ms = json_get_u64(x, "io_ms");
	run->wl.cpu_us = json_get_u64(x, "cpu_us");
	run->wl.workers = json_get_u64(x, "workers");
	run->ncpus = json_get_u64(o, "ncpus");
	json_get_str(o, "kernel", run->kernel, sizeof(run->kernel));
	run->interrupted = json_get_bool(o, "interrupted");
	c5_from_json(&run->c5, json_get(o, "c5", json_type_object));
	c5_from_json(&run->c5_asyncio, json_get(o, "c5_py_asyncio", json_type_object));
	for (m = 0; m < CMP_NMODELS; m++)
		run->res[m].model = m;
	a = json_get(o, "models", json_type_array);
	n = a ? json_object_array_length(a) : 0;
	for (i = 0; i < n; i++) {
		x = json_object_array_get_idx(a, i);
		m = json_get_i64(x, "model");
		if (m < 0 || m >= CMP_NMODELS)
			return fail(r, -EPROTO, "the recording is corrupt: model %lld", m);
		run->res[m].selected = json_get_bool(x, "selected");
		read_run(x, &run->res[m]);
	}
	return 0;
}

/* The column kinds a recording holds, as the model names them. */
static const char *column_kind(struct json_object *o)
{
	char kind[16];

	json_get_str(o, "kind", kind, sizeof(kind));
	return !strcmp(kind, "models") ? "models" : !strcmp(kind, "commands") ? "commands" : NULL;
}

static int read_columns(struct reader *r, struct json_object *o)
{
	struct json_object *a, *x, *runs, *y;
	struct col_column *c;
	struct col_cmp *cc;
	char why[128];
	size_t i, n, k, nr;
	long long m;

	if (r->version < 3)
		return fail(r, -EPROTO, "the recording is corrupt: columns in a version %u file",
			    r->version);
	if (r->rf->cols)
		return fail(r, -EPROTO, "the recording is corrupt: two sets of columns");
	cc = calloc(1, sizeof(*cc));
	if (!cc)
		return -ENOMEM;
	r->rf->cols = cc;
	r->rf->is_compare = true;
	cc->kind = column_kind(o);
	a = json_get(o, "columns", json_type_array);
	n = a ? json_object_array_length(a) : 0;
	cc->repeat = json_get_u64(o, "repeat");
	if (!cc->kind || !n || n > COL_MAX || !cc->repeat || cc->repeat > COL_RUNS_MAX)
		return fail(r, -EPROTO, "the recording is corrupt: a bad columns section");
	cc->ncpus = json_get_u64(o, "ncpus");
	json_get_str(o, "kernel", cc->kernel, sizeof(cc->kernel));
	cc->interrupted = json_get_bool(o, "interrupted");
	for (i = 0; i < n; i++) {
		x = json_object_array_get_idx(a, i);
		c = &cc->cols[cc->ncols++];
		json_get_str(x, "name", c->name, sizeof(c->name));
		if (col_name_check(c->name, why, sizeof(why)) || col_find(cc, c->name) != (int)i)
			return fail(r, -EPROTO, "the recording is corrupt: column %zu: bad name", i);
		json_get_str(x, "command", c->command, sizeof(c->command));
		c->failed = json_get_bool(x, "failed");
		json_get_str(x, "error", c->error, sizeof(c->error));
		runs = json_get(x, "runs", json_type_array);
		nr = runs ? json_object_array_length(runs) : 0;
		if (nr > cc->repeat)
			return fail(r, -EPROTO, "the recording is corrupt: column %zu has %zu runs",
				    i, nr);
		c->nruns = nr;
		for (k = 0; k < nr; k++) {
			y = json_object_array_get_idx(runs, k);
			read_run(y, &c->runs[k]);
			if (strcmp(cc->kind, "models"))
				continue;
			m = json_get_i64(y, "model");
			if (m < 0 || m >= CMP_NMODELS)
				return fail(r, -EPROTO, "the recording is corrupt: model %lld", m);
			c->runs[k].model = m;
			c->runs[k].selected = true;
		}
	}
	return 0;
}

/* What wrote a file whose records are not this ksee's, and what to do. */
static int refuse_layout(struct reader *r, const struct rec_header *h)
{
	static const char *const what[] = {
		[1] = "before checksums and the task records of format 3",
		[2] = "before the task records of format 3: the kernel's run-queue wait, the "
		      "wake-up latency, the bill's waking up",
		[3] = "before the bill's latency histogram of 8 buckets a power of two",
	};
	_Static_assert(sizeof(what) / sizeof(what[0]) == REC_VERSION, "say what each format was");

	if (h->version >= 1 && h->version < REC_VERSION)
		return fail(r, -EPROTO, "the recording is from an older ksee (format %u, %s); "
			    "this ksee reads format %u: re-record it with this ksee",
			    h->version, what[h->version], REC_VERSION);
	return fail(r, -EPROTO, "the recording is format %u, but from another ksee build "
		    "(task records of %u bytes, this ksee's %zu): re-record it with this ksee, "
		    "or read it with the ksee that wrote it", h->version, h->task_size,
		    sizeof(struct rec_task));
}

static int read_header(struct reader *r)
{
	struct rec_header h;
	__u32 crc;

	if (r->size < sizeof(h) || get(r, &h, sizeof(h)) ||
	    memcmp(h.magic, REC_MAGIC, sizeof(REC_MAGIC)))
		return fail(r, -EPROTO, "not a ksee recording (no KSEEREC header)");
	if (h.version > REC_VERSION)
		return fail(r, -EPROTO, "the recording is version %u, newer than this ksee reads "
			    "(%u): update ksee", h.version, REC_VERSION);
	crc = h.header_crc;
	h.header_crc = 0;
	if (h.version >= 2 && rec_crc32c(0, &h, sizeof(h)) != crc && !IGNORE_CRC)
		return fail(r, -EPROTO, "the recording is corrupt: its header fails its checksum");
	r->version = h.version;
	r->rf->unchecked = h.version < 2;
	if (h.version < 1 || h.header_size != sizeof(h) ||
	    h.task_size != sizeof(struct rec_task) || h.proc_size != sizeof(struct rec_proc) ||
	    h.edge_size != sizeof(struct rec_edge) || h.uring_size != sizeof(struct rec_uring) ||
	    h.event_size != sizeof(struct ksee_event))
		return refuse_layout(r, &h);
	return 0;
}

static int read_payload(struct reader *r, const struct rec_section *sp)
{
	struct rec_section s = *sp;
	struct json_object *o;
	int ret;

	if (r->ended)
		return fail(r, -EPROTO, "the recording is corrupt: data after its end marker");
	if (s.type == REC_END) {
		if (s.trace || s.length)
			return fail(r, -EPROTO, "the recording is corrupt: a bad end marker");
		r->ended = true;
		return 0;
	}
	if (s.trace >= REC_MAX_TRACES || s.type < REC_META || s.type > REC_COLUMNS ||
	    s.type == REC_END)
		return fail(r, -EPROTO, "the recording is corrupt: section type %u of trace %u",
			    s.type, s.trace);
	if (s.length > r->size - r->pos)
		return fail(r, -EPROTO, "the recording is truncated: a section of %llu bytes with "
			    "%llu left", (unsigned long long)s.length,
			    (unsigned long long)(r->size - r->pos));
	if ((s.type == REC_COMPARE || s.type == REC_COLUMNS) != (s.trace == 0))
		return fail(r, -EPROTO, "the recording is corrupt: section %u in trace %u",
			    s.type, s.trace);
	if (s.type != REC_META && s.trace && !r->meta[s.trace])
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
	case REC_COLUMNS:
		o = get_json(r, s.length, &ret);
		if (!o)
			return ret;
		ret = s.type == REC_COMPARE ? read_compare(r, o) : read_columns(r, o);
		json_object_put(o);
		return ret;
	case REC_EVENTS:
		return read_events(r, s.trace, s.length);
	case REC_STACKS:
		if (!s.trace)
			return fail(r, -EPROTO, "the recording is corrupt: stacks in trace 0");
		o = get_json(r, s.length, &ret);
		if (!o)
			return ret;
		ret = read_stacks(r, s.trace, o);
		json_object_put(o);
		return ret;
	default:
		return read_records(r, s.type, s.trace, s.length);
	}
}

/*
 * A section, and from version 2 its checksum: checked after the payload
 * is read (a payload that does not even parse says so first).
 */
static int read_section(struct reader *r)
{
	struct rec_section s;
	__u32 crc, want;
	int ret;

	r->crc = 0;
	ret = get(r, &s, sizeof(s));
	if (!ret)
		ret = read_payload(r, &s);
	if (ret || r->version < 2)
		return ret;
	crc = r->crc;
	ret = get(r, &want, sizeof(want));
	if (ret)
		return ret;
	if (crc != want && !IGNORE_CRC)
		return fail(r, -EPROTO, "the recording is corrupt: section %s of trace %u fails its "
			    "checksum (CRC32C)", section_name(s.type), s.trace);
	return 0;
}

/* Every run of every column from its trace; a column's timeline is its first run's. */
static void finish_columns(struct rec_file *rf)
{
	struct col_cmp *cc = rf->cols;
	struct col_column *c;
	unsigned int i, k;
	__u32 t;

	for (i = 0; i < cc->ncols; i++) {
		c = &cc->cols[i];
		for (k = 0; k < c->nruns; k++) {
			t = rec_column_trace(i, k);
			if (rf->have[t])
				cmp_result_from_trace(&c->runs[k], &rf->traces[t]);
		}
		t = rec_column_trace(i, 0);
		if (c->nruns && rf->have[t] && (rf->events[t].count || rf->events[t].lost)) {
			c->timeline = &rf->events[t];
			c->tl_trace = &rf->traces[t];
			c->tl_start_ns = rf->traces[t].start_ns;
			c->tl_end_ns = rf->traces[t].end_ns;
		}
	}
}

/* compare --repeat of the demos: each model's median run, its verdicts and stacks. */
static int finish_models(struct rec_file *rf)
{
	const struct col_column *c;
	unsigned int i;
	__u32 t;
	int m;

	col_models_medians(rf->cmp, rf->cols);
	for (i = 0; i < rf->cols->ncols; i++) {
		c = &rf->cols->cols[i];
		m = cmp_model_parse(c->name);
		if (m < 0 || !c->nruns)
			continue;
		t = rec_column_trace(i, cmp_median_run(c->runs, c->nruns));
		if (rf->have[t] && rf->traces[t].features.stacks)
			rf->cmp->traces[m] = &rf->traces[t];
	}
	return col_models_verdicts(rf->cmp, rf->cols);
}

int rec_read(struct rec_file *rf, FILE *f, char *err, size_t errlen)
{
	struct reader r = { .rf = rf, .f = f, .err = err, .errlen = errlen };
	struct stat st;
	int ret, i, m;

	memset(rf, 0, sizeof(*rf));
	rf->f = f;
	rf->traces = calloc(REC_MAX_TRACES, sizeof(*rf->traces));
	rf->have = calloc(REC_MAX_TRACES, sizeof(*rf->have));
	rf->events = calloc(REC_MAX_TRACES, sizeof(*rf->events));
	rf->argv = calloc(REC_MAX_TRACES, sizeof(*rf->argv));
	rf->pids = calloc(REC_MAX_TRACES, sizeof(*rf->pids));
	if (!rf->traces || !rf->have || !rf->events || !rf->argv || !rf->pids)
		return fail(&r, -ENOMEM, "out of memory");
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
	if (!m && !rf->cmp && !rf->cols)
		return fail(&r, -EPROTO, "the recording holds no trace");
	if (rf->is_compare && rf->have[0])
		return fail(&r, -EPROTO, "the recording is corrupt: trace 0 in a comparison");
	if (rf->cols && !strcmp(rf->cols->kind, "models") != (rf->cmp != NULL))
		return fail(&r, -EPROTO, "the recording is corrupt: columns of models without "
			    "their comparison, or the reverse");
	for (i = 1; i < REC_MAX_TRACES; i++)
		if (rf->have[i])
			ks_trace_finish(&rf->traces[i]);
	if (rf->cols)
		finish_columns(rf);
	if (rf->cols && rf->cmp)
		return finish_models(rf) ? fail(&r, -ENOMEM, "out of memory") : 0;
	if (rf->cols) {
		col_what_differs(rf->cols);
	} else if (rf->cmp) {
		for (m = 0; m < CMP_NMODELS; m++)
			if (rf->have[1 + m])
				cmp_result_from_trace(&rf->cmp->res[m], &rf->traces[1 + m]);
		cmp_verdicts(rf->cmp);
		for (m = 0; m < CMP_NMODELS; m++)
			if (rf->have[1 + m] && rf->traces[1 + m].features.stacks)
				rf->cmp->traces[m] = &rf->traces[1 + m];
	}
	return 0;
}

void rec_free(struct rec_file *rf)
{
	int i;
	char **a;

	for (i = 0; rf->traces && i < REC_MAX_TRACES; i++)
		ks_trace_free(&rf->traces[i]);
	for (i = 0; rf->argv && i < REC_MAX_TRACES; i++) {
		for (a = rf->argv[i]; a && *a; a++)
			free(*a);
		free(rf->argv[i]);
	}
	for (i = 0; rf->pids && i < REC_MAX_TRACES; i++)
		free(rf->pids[i]);
	free(rf->traces);
	free(rf->have);
	free(rf->events);
	free(rf->argv);
	free(rf->pids);
	free(rf->cmp);
	free(rf->cols);
	memset(rf, 0, sizeof(*rf));
}

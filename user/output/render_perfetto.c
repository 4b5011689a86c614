// SPDX-License-Identifier: GPL-2.0-only
/*
 * Chrome / Perfetto trace-event JSON (docs/formats.md): one track per
 * thread grouped by process, scheduling states as complete ("X") slices,
 * wakeups as flow arrows, a counter of running and runnable tasks per
 * process. Written as a stream, one event per line, while the timeline is
 * read: memory grows with threads, not events. Every string that comes
 * from the traced program (comm, command line) is escaped by json-c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "model/evstate.h"
#include "output/fmt.h"
#include "output/render.h"
#include "output/report.h"
#include "model/syscalls.h"

#define LINE_LEN 512	/* longest event line: two escaped comms and numbers */

struct pf {
	FILE *f;
	const struct ks_trace *tr;
	__u64 origin_ns;
	__u64 flows;		/* flow ids handed out */
	__u64 lines;		/* trace events written */
	__u32 nprocs;		/* processes named so far (sort order) */
	__u32 group_pid;	/* compare --timeline: the column's one process group; 0: none */
	struct evstate es;
	struct ks_thread_stacks *ts;	/* --stacks: where each thread slept, per reason */
	char **ts_arg;		/* their slice args, made when first needed */
	size_t nts;
};

/* A line being built; too long a line is cut, never overflowed. */
struct sb {
	char buf[LINE_LEN];
	size_t n;
};

static void sb_put(struct sb *b, const char *s)
{
	size_t len = strlen(s);

	if (len > sizeof(b->buf) - 1 - b->n)
		len = sizeof(b->buf) - 1 - b->n;
	memcpy(b->buf + b->n, s, len);
	b->n += len;
	b->buf[b->n] = 0;
}

/* Decimal digits of @v, without printf. */
static void sb_u64(struct sb *b, __u64 v)
{
	char d[24];
	int i = sizeof(d) - 1;

	d[i] = 0;
	do {
		d[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	sb_put(b, d + i);
}

/* Nanoseconds as microseconds with three decimals: ns precision, no float rounding. */
static void sb_us(struct sb *b, __u64 ns)
{
	char frac[5] = { '.', '0' + ns / 100 % 10, '0' + ns / 10 % 10, '0' + ns % 10, 0 };

	sb_u64(b, ns / 1000);
	sb_put(b, frac);
}

/* @s as a JSON string literal, quotes included, escaped by json-c; NULL on -ENOMEM. */
static char *json_str(const char *s)
{
	struct json_object *o;
	char *clean, *lit = NULL;

	/* a comm is any 15 bytes: what is not UTF-8 reads as Latin-1 */
	clean = fmt_utf8_dup(s);
	if (!clean)
		return NULL;
	o = json_object_new_string(clean);
	if (o)
		lit = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	free(clean);
	return lit;
}

static int sb_str(struct sb *b, const char *s)
{
	char *lit = json_str(s);

	if (!lit)
		return -ENOMEM;
	sb_put(b, lit);
	free(lit);
	return 0;
}

/* Start an event: {"ph":"X","pid":1,"tid":2; a column's events go to its group. */
static void sb_event(const struct pf *p, struct sb *b, const char *ph, __u32 pid, __u32 tid)
{
	b->n = 0;
	sb_put(b, "{\"ph\":\"");
	sb_put(b, ph);
	sb_put(b, "\",\"pid\":");
	sb_u64(b, p->group_pid ? p->group_pid : pid);
	sb_put(b, ",\"tid\":");
	sb_u64(b, tid);
}

static void sb_ts(struct sb *b, const struct pf *p, __u64 ns)
{
	sb_put(b, ",\"ts\":");
	sb_us(b, ns > p->origin_ns ? ns - p->origin_ns : 0);
}

static int emit(struct pf *p, struct sb *b)
{
	sb_put(b, "}");
	if (fputs(p->lines++ ? ",\n" : "\n", p->f) < 0 || fwrite(b->buf, 1, b->n, p->f) != b->n)
		return -EIO;
	return 0;
}

/* A "M" event: @what is process_name, thread_name, ...; @name a string or NULL. */
static int meta(struct pf *p, __u32 pid, __u32 tid, const char *what, const char *name,
		__u64 sort_index)
{
	struct sb b;
	int err = 0;

	sb_event(p, &b, "M", pid, tid);
	sb_put(&b, ",\"name\":\"");
	sb_put(&b, what);
	sb_put(&b, "\",\"args\":{");
	if (name) {
		sb_put(&b, "\"name\":");
		err = sb_str(&b, name);
	} else {
		sb_put(&b, "\"sort_index\":");
		sb_u64(&b, sort_index);
	}
	sb_put(&b, "}");
	return err ?: emit(p, &b);
}

static int name_process(struct pf *p, __u32 pid, const char *comm)
{
	return meta(p, pid, pid, "process_name", comm, 0) ?:
	       meta(p, pid, pid, "process_sort_index", NULL, p->nprocs++);
}

static int name_thread(struct pf *p, __u32 pid, __u32 tid, const char *comm, __u64 order)
{
	return meta(p, pid, tid, "thread_name", comm, 0) ?:
	       meta(p, pid, tid, "thread_sort_index", NULL, order);
}

/* Every process and thread of the model, in its order, the leader first. */
static int name_all(struct pf *p)
{
	const struct ks_process *pr;
	const struct ks_thread *t;
	size_t i, j;
	int err;

	for (i = 0; i < p->tr->nprocs; i++) {
		pr = &p->tr->procs[i];
		if (!pr->nthreads)
			continue;
		err = name_process(p, pr->pid, ks_process_comm(pr));
		for (j = 0; !err && j < pr->nthreads; j++) {
			t = &pr->threads[j];
			err = name_thread(p, pr->pid, t->st.tid, t->st.comm,
					  t->kind == KS_KIND_MAIN ? 0 : j + 1);
		}
		if (err)
			return err;
	}
	return 0;
}

/* A global instant event at @ns: something about the whole trace. */
static int notice(struct pf *p, __u64 ns, const char *text)
{
	__u32 pid = p->tr->nprocs ? p->tr->procs[0].pid : 0;
	struct sb b;

	sb_event(p, &b, "i", pid, pid);
	sb_ts(&b, p, ns);
	sb_put(&b, ",\"s\":\"g\",\"cat\":\"ksee\",\"name\":");
	return sb_str(&b, text) ?: emit(p, &b);
}

static const char *cause_name(enum evs_cause c)
{
	switch (c) {
	case EVS_CAUSE_WAKEUP: return "wakeup";
	case EVS_CAUSE_PREEMPTED: return "preemption";
	case EVS_CAUSE_CREATED: return "creation";
	case EVS_CAUSE_UNKNOWN: break;
	}
	return "unknown";
}

#define STACK_ARG_MAX	240	/* a slice's stack arg, escaped: the line stays whole */

static int cmp_ts(const void *key, const void *elem)
{
	const struct ks_thread_stacks *k = key, *e = elem;

	if (k->tid != e->tid)
		return k->tid < e->tid ? -1 : 1;
	return k->reason < e->reason ? -1 : k->reason > e->reason;
}

/*
 * --stacks: the stack of a blocked slice of @t. A thread that slept at one
 * stack for this reason slept there every time: "stack". Else the slice
 * was one of several: "stacks" says how many and the longest. The
 * program's frames, leaf first; NULL if none or too long for a line.
 */
static const char *stack_arg(struct pf *p, const struct evs_thread *t)
{
	struct ks_thread_stacks key = { .tid = t->tid, .reason = t->reason }, *e;
	char buf[STACK_ARG_MAX], *lit;
	size_t i, len = 0;
	__u32 j;

	e = p->ts ? bsearch(&key, p->ts, p->nts, sizeof(*e), cmp_ts) : NULL;
	if (!e)
		return NULL;
	i = e - p->ts;
	if (p->ts_arg[i])
		return *p->ts_arg[i] ? p->ts_arg[i] : NULL;
	if (e->nstacks > 1)
		len = snprintf(buf, sizeof(buf), "%u stacks; the longest: ", e->nstacks);
	for (j = e->longest->nkernel; j < e->longest->nframes && len < sizeof(buf); j++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				j > e->longest->nkernel ? " < " : "", e->longest->frames[j].name);
	lit = len && len < sizeof(buf) ? json_str(buf) : NULL;
	if (lit && strlen(lit) >= STACK_ARG_MAX)
		*lit = 0;	/* too long: left out */
	p->ts_arg[i] = lit ? lit : strdup("");
	return p->ts_arg[i] && *p->ts_arg[i] ? p->ts_arg[i] : NULL;
}

static __u32 e_stacks(struct pf *p, const struct evs_thread *t)
{
	struct ks_thread_stacks key = { .tid = t->tid, .reason = t->reason }, *e;

	e = p->ts ? bsearch(&key, p->ts, p->nts, sizeof(*e), cmp_ts) : NULL;
	return e ? e->nstacks : 0;
}

/* Running, Runnable, Blocked: <reason>, as a complete event. */
static int on_interval(void *ctx, const struct evs_thread *t, __u64 end_ns)
{
	struct pf *p = ctx;
	const char *stack;
	struct sb b;

	if (end_ns <= t->since_ns)
		return 0;
	sb_event(p, &b, "X", t->tgid, t->tid);
	sb_ts(&b, p, t->since_ns);
	sb_put(&b, ",\"dur\":");
	sb_us(&b, end_ns - t->since_ns);
	sb_put(&b, ",\"cat\":\"state\",\"name\":\"");
	switch (t->state) {
	case EVS_RUNNING:
		sb_put(&b, "Running\",\"args\":{");
		if (t->cpu != 0xffff) {
			sb_put(&b, "\"cpu\":");
			sb_u64(&b, t->cpu);
		}
		break;
	case EVS_RUNNABLE:
		sb_put(&b, "Runnable\",\"args\":{\"after\":\"");
		sb_put(&b, cause_name(t->cause));
		sb_put(&b, "\"");
		break;
	case EVS_BLOCKED:
		if (t->reason >= KSEE_R_NR) {
			sb_put(&b, "Blocked\",\"args\":{\"reason\":\"unknown\"");
			break;
		}
		sb_put(&b, "Blocked: ");
		sb_put(&b, syscalls_reason_label(t->reason));
		sb_put(&b, "\",\"args\":{\"reason\":\"");
		sb_put(&b, syscalls_family_name(t->reason));
		sb_put(&b, t->dstate ? "\",\"uninterruptible\":true" :
				       "\",\"uninterruptible\":false");
		stack = stack_arg(p, t);
		if (stack) {
			sb_put(&b, e_stacks(p, t) > 1 ? ",\"stacks\":" : ",\"stack\":");
			sb_put(&b, stack);
		}
		break;
	default:
		return 0;
	}
	if (t->inferred)
		sb_put(&b, b.buf[b.n - 1] == '{' ? "\"inferred\":true" : ",\"inferred\":true");
	sb_put(&b, "}");
	return emit(p, &b);
}

/* An instant on the wakee's track: woken by something without a track. */
static int wake_instant(struct pf *p, const struct evs_thread *t)
{
	char text[96];
	struct sb b;

	if (t->waker_tgid == KSEE_WAKER_IRQ)
		snprintf(text, sizeof(text), "woken from interrupt context");
	else if (!t->waker_tid)
		snprintf(text, sizeof(text), "woken by the idle task");
	else
		snprintf(text, sizeof(text), "%s by tid %u (not traced)",
			 t->cause == EVS_CAUSE_CREATED ? "created" : "woken", t->waker_tid);
	sb_event(p, &b, "i", t->tgid, t->tid);
	sb_ts(&b, p, t->wake_ns);
	sb_put(&b, ",\"s\":\"t\",\"cat\":\"wakeup\",\"name\":\"");
	sb_put(&b, text);
	sb_put(&b, "\"");
	return emit(p, &b);
}

/* A flow arrow from the waker at the wakeup to the wakee when it runs. */
static int on_wakeup(void *ctx, const struct evs_thread *t, __u64 run_ns)
{
	const char *name = t->cause == EVS_CAUSE_CREATED ? "created" : "wakeup";
	const struct evs_thread *w = NULL;
	struct pf *p = ctx;
	struct sb b;
	__u64 id;
	int err;

	if (t->waker_tid == t->tid)
		return 0;	/* its own doing: nothing to draw */
	if (t->waker_tid && t->waker_tgid != KSEE_WAKER_IRQ)
		w = evs_thread_find(&p->es, t->waker_tid);
	if (!w)
		return wake_instant(p, t);
	id = ++p->flows;
	sb_event(p, &b, "s", w->tgid, w->tid);
	sb_ts(&b, p, t->wake_ns);
	sb_put(&b, ",\"cat\":\"wakeup\",\"name\":\"");
	sb_put(&b, name);
	sb_put(&b, "\",\"id\":");
	sb_u64(&b, id);
	err = emit(p, &b);
	if (err)
		return err;
	sb_event(p, &b, "f", t->tgid, t->tid);
	sb_ts(&b, p, run_ns);
	sb_put(&b, ",\"bp\":\"e\",\"cat\":\"wakeup\",\"name\":\"");
	sb_put(&b, name);
	sb_put(&b, "\",\"id\":");
	sb_u64(&b, id);
	return emit(p, &b);
}

static int on_counts(void *ctx, const struct evs_proc *pr, __u64 ts)
{
	struct pf *p = ctx;
	struct sb b;

	sb_event(p, &b, "C", pr->tgid, pr->tgid);
	sb_ts(&b, p, ts);
	sb_put(&b, ",\"name\":\"tasks");
	if (p->group_pid) {	/* one counter per process of the column */
		sb_put(&b, " of pid ");
		sb_u64(&b, pr->tgid);
	}
	sb_put(&b, "\",\"args\":{\"running\":");
	sb_u64(&b, pr->running);
	sb_put(&b, ",\"runnable\":");
	sb_u64(&b, pr->runnable);
	sb_put(&b, "}");
	return emit(p, &b);
}

/* A task the model does not know (it left no stats): named by its ids. */
static int on_added(void *ctx, const struct evs_thread *t, const struct evs_proc *pr,
		    bool new_proc)
{
	struct pf *p = ctx;
	char name[32];
	int err = 0;

	if (new_proc && !p->group_pid) {	/* a column's group is named already */
		snprintf(name, sizeof(name), "pid %u", pr->tgid);
		err = name_process(p, pr->tgid, name);
	}
	snprintf(name, sizeof(name), "tid %u", t->tid);
	return err ?: name_thread(p, t->tgid, t->tid, name, 1000000 + p->es.nthreads);
}

static int feed(const struct ksee_event *e, void *ctx)
{
	return evs_feed(&((struct pf *)ctx)->es, e);
}

static const struct evs_ops pf_ops = {
	.interval = on_interval,
	.wakeup = on_wakeup,
	.counts = on_counts,
	.added = on_added,
};

static int timeline(struct pf *p, const struct ks_events *ev)
{
	const struct ks_process *pr;
	char text[128];
	size_t i, j;
	int err = 0;

	for (i = 0; i < p->tr->nprocs; i++) {
		pr = &p->tr->procs[i];
		for (j = 0; j < pr->nthreads; j++)
			if (!evs_thread_get(&p->es, pr->threads[j].st.tid, pr->pid))
				return -ENOMEM;
	}
	if (ev->lost || p->tr->drops.events) {
		snprintf(text, sizeof(text), "%" PRIu64 " timeline events lost: gaps in the states",
			 (uint64_t)(ev->lost > p->tr->drops.events ? ev->lost : p->tr->drops.events));
		err = notice(p, p->origin_ns, text);
	}
	err = err ?: ks_events_foreach(ev, feed, p);
	return err ?: evs_finish(&p->es, p->tr->end_ns);
}

/* Without a timeline: one slice per thread over its life, its totals as args. */
static int summaries(struct pf *p)
{
	const struct ksee_task_stats *st;
	const struct ks_process *pr;
	const struct ks_thread *t;
	__u64 from, to;
	size_t i, j;
	struct sb b;
	int err;

	err = notice(p, p->origin_ns, "recorded without --timeline: one summary slice per thread "
		     "(run again with --timeline for states, wakeups and counters)");
	for (i = 0; !err && i < p->tr->nprocs; i++) {
		pr = &p->tr->procs[i];
		for (j = 0; !err && j < pr->nthreads; j++) {
			t = &pr->threads[j];
			st = &t->st;
			from = st->start_ns > p->origin_ns ? st->start_ns : p->origin_ns;
			to = st->end_ns && st->end_ns < p->tr->end_ns ? st->end_ns : p->tr->end_ns;
			sb_event(p, &b, "X", pr->pid, st->tid);
			sb_ts(&b, p, from);
			sb_put(&b, ",\"dur\":");
			sb_us(&b, to > from ? to - from : 0);
			sb_put(&b, ",\"cat\":\"summary\",\"name\":\"summary\",\"args\":{\"on_cpu_ns\":");
			sb_u64(&b, st->on_cpu_ns);
			sb_put(&b, ",\"blocked_ns\":");
			sb_u64(&b, t->blocked_total_ns);
			sb_put(&b, ",\"wakelat_ns\":");
			sb_u64(&b, st->wakelat_ns);
			sb_put(&b, ",\"runq_ns\":");
			sb_u64(&b, st->runq_ns);
			sb_put(&b, ",\"voluntary\":");
			sb_u64(&b, st->voluntary);
			sb_put(&b, ",\"involuntary\":");
			sb_u64(&b, st->involuntary);
			sb_put(&b, ",\"mostly_blocked_in\":\"");
			sb_put(&b, ks_thread_mostly_in(t));
			sb_put(&b, "\"}");
			err = emit(p, &b);
		}
	}
	return err;
}

/* The flows drawn, @o as the "metadata" object (consumed), and the file's end. */
static int end_trace(struct pf *p, struct json_object *o)
{
	const char *s;
	int err;

	json_object_object_add(o, "flows", json_object_new_uint64(p->flows));
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	err = !s ? -ENOMEM : fprintf(p->f, "\n],\n\"metadata\":%s}\n", s) < 0 ? -EIO : 0;
	json_object_put(o);
	return err;
}

/* The "metadata" object: what was traced, the clock, what was lost. */
static int trailer(struct pf *p, const struct ks_events *ev)
{
	const struct ks_trace *tr = p->tr;
	struct json_object *o, *a;
	char *clean;
	int i;

	o = json_object_new_object();
	a = json_object_new_array();
	if (!o || !a) {
		json_object_put(o);
		json_object_put(a);
		return -ENOMEM;
	}
	json_object_object_add(o, "tool", json_object_new_string("ksee"));
	json_object_object_add(o, "mode", json_object_new_string(tr->mode ? tr->mode : "run"));
	for (i = 0; i < tr->argc; i++) {
		clean = fmt_utf8_dup(tr->argv[i]);
		if (!clean)
			break;
		json_object_array_add(a, json_object_new_string(clean));
		free(clean);
	}
	json_object_object_add(o, "command", a);
	json_object_object_add(o, "kernel", json_object_new_string(tr->kernel));
	json_object_object_add(o, "clock", json_object_new_string("CLOCK_MONOTONIC; ts relative "
								  "to origin_ns, in us"));
	json_object_object_add(o, "origin_ns", json_object_new_uint64(p->origin_ns));
	json_object_object_add(o, "wall_ns", json_object_new_uint64(tr->total.wall_ns));
	json_object_object_add(o, "timeline", json_object_new_boolean(ev != NULL));
	json_object_object_add(o, "events", json_object_new_uint64(ev ? ev->count : 0));
	json_object_object_add(o, "events_lost", json_object_new_uint64(ev ? ev->lost : 0));
	return end_trace(p, o);
}

/*
 * Column @i of compare --cmd --timeline: one process group named after the
 * column (its first process's pid), every thread of the column's first run
 * in it, on the column's own time base (0 at the column's start).
 */
static int column(struct pf *p, const struct col_column *c, unsigned int i)
{
	const struct ks_process *pr;
	const struct ks_thread *t;
	char name[COL_NAME_LEN + 16];
	size_t j, k;
	__u64 order = 0;
	int err;

	p->tr = c->tl_trace;
	p->origin_ns = c->tl_start_ns;
	p->group_pid = p->tr->procs[0].pid;
	snprintf(name, sizeof(name), "%u. %s", i + 1, c->name);
	err = meta(p, p->group_pid, p->group_pid, "process_name", name, 0) ?:
	      meta(p, p->group_pid, p->group_pid, "process_sort_index", NULL, i);
	for (j = 0; !err && j < p->tr->nprocs; j++) {
		pr = &p->tr->procs[j];
		for (k = 0; !err && k < pr->nthreads; k++) {
			t = &pr->threads[k];
			err = name_thread(p, pr->pid, t->st.tid, t->st.comm, order++);
		}
	}
	evs_init(&p->es, &pf_ops, p, p->origin_ns);
	err = err ?: timeline(p, c->timeline);
	evs_free(&p->es);
	return err;
}

/* Is column @c drawn: its first run's timeline and trace were kept. */
static bool column_drawn(const struct col_column *c)
{
	return c->timeline && c->tl_trace && c->tl_trace->nprocs;
}

/* The "metadata" object of a comparison: its columns, each with its own time base. */
static int columns_trailer(struct pf *p, const struct col_cmp *cc)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array(), *x;
	const struct col_column *c;
	char *clean;
	unsigned int i;

	if (!o || !a) {
		json_object_put(o);
		json_object_put(a);
		return -ENOMEM;
	}
	json_object_object_add(o, "tool", json_object_new_string("ksee"));
	json_object_object_add(o, "mode", json_object_new_string("compare"));
	json_object_object_add(o, "kernel", json_object_new_string(cc->kernel));
	json_object_object_add(o, "clock", json_object_new_string(
		"CLOCK_MONOTONIC; each column's ts relative to its own origin_ns, in us"));
	for (i = 0; i < cc->ncols; i++) {
		c = &cc->cols[i];
		if (!column_drawn(c))
			continue;
		x = json_object_new_object();
		clean = fmt_utf8_dup(c->command);
		json_object_object_add(x, "name", json_object_new_string(c->name));
		json_object_object_add(x, "command", json_object_new_string(clean ? clean : "?"));
		free(clean);
		json_object_object_add(x, "pid", json_object_new_uint64(c->tl_trace->procs[0].pid));
		json_object_object_add(x, "origin_ns", json_object_new_uint64(c->tl_start_ns));
		json_object_object_add(x, "wall_ns", json_object_new_uint64(
			c->tl_end_ns > c->tl_start_ns ? c->tl_end_ns - c->tl_start_ns : 0));
		json_object_object_add(x, "events", json_object_new_uint64(c->timeline->count));
		json_object_object_add(x, "events_lost", json_object_new_uint64(c->timeline->lost));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "columns", a);
	return end_trace(p, o);
}

/* compare --cmd --timeline: one process group per column (docs/formats.md). */
static int render_columns(FILE *f, const struct col_cmp *cc)
{
	struct pf p = { .f = f };
	unsigned int i, n = 0;
	int err = 0;

	for (i = 0; i < cc->ncols; i++)
		n += column_drawn(&cc->cols[i]);
	if (!n) {
		fprintf(stderr, "no column has a timeline to show as a Perfetto trace: run "
			"compare --cmd with --timeline\n");
		return -EINVAL;
	}
	if (fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", f) < 0)
		return -EIO;
	for (i = 0; !err && i < cc->ncols; i++)
		if (column_drawn(&cc->cols[i]))
			err = column(&p, &cc->cols[i], i);
	if (!err)
		err = columns_trailer(&p, cc);
	if (!err && (fflush(f) || ferror(f)))
		err = -EIO;
	return err;
}

int render_perfetto(FILE *f, const struct ks_report *r)
{
	struct pf p = { .f = f };
	size_t i;
	int err;

	if (r->cols)
		return render_columns(f, r->cols);
	if (!r->tr) {
		fprintf(stderr, "a comparison has no timeline to show as a Perfetto trace; "
			"use --format md, html or json\n");
		return -EINVAL;
	}
	p.tr = r->tr;
	p.origin_ns = r->tr->start_ns;
	if (r->tr->features.stacks) {
		p.ts = ks_stacks_by_thread(&r->tr->stacks, &p.nts);
		p.ts_arg = p.nts ? calloc(p.nts, sizeof(*p.ts_arg)) : NULL;
		if (p.nts && !p.ts_arg)
			p.nts = 0;
	}
	evs_init(&p.es, &pf_ops, &p, p.origin_ns);
	if (fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", f) < 0) {
		err = -EIO;
		goto out;
	}
	err = name_all(&p);
	if (!err)
		err = r->events ? timeline(&p, r->events) : summaries(&p);
	if (!err)
		err = trailer(&p, r->events);
	if (!err && (fflush(f) || ferror(f)))
		err = -EIO;
out:
	evs_free(&p.es);
	for (i = 0; i < p.nts; i++)
		free(p.ts_arg[i]);
	free(p.ts_arg);
	free(p.ts);
	return err;
}

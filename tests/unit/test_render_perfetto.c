// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "fixtures.h"
#include "output/render.h"

#define MAX_X 256

/* A complete event kept for the overlap check. */
struct slice {
	long long tid;
	double ts, dur;
};

static char *render(const struct ks_trace *tr, const struct ks_events *ev)
{
	struct ks_report r = { .tr = tr, .events = ev };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(render_perfetto(f, &r), 0);
	fclose(f);
	return buf;
}

/* Parse strictly, as valid UTF-8 JSON. */
static struct json_object *parse(const char *s)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, s, strlen(s) + 1);
	assert_int_equal(json_tokener_get_error(tok), json_tokener_success);
	json_tokener_free(tok);
	assert_non_null(o);
	return o;
}

static struct json_object *field(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static const char *str(struct json_object *o, const char *k)
{
	struct json_object *v = field(o, k);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static bool is_num(struct json_object *v)
{
	return v && (json_object_is_type(v, json_type_double) ||
		     json_object_is_type(v, json_type_int));
}

static int cmp_slice(const void *a, const void *b)
{
	const struct slice *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* Is there a thread_name metadata event for @tid? */
static bool named(struct json_object *events, long long tid)
{
	struct json_object *e;
	size_t i;

	for (i = 0; i < json_object_array_length(events); i++) {
		e = json_object_array_get_idx(events, i);
		if (!strcmp(str(e, "ph"), "M") && !strcmp(str(e, "name"), "thread_name") &&
		    json_object_get_int64(field(e, "tid")) == tid)
			return true;
	}
	return false;
}

/* The flow event of phase @ph with @id, or NULL. */
static struct json_object *flow(struct json_object *events, const char *ph, long long id)
{
	struct json_object *e;
	size_t i;

	for (i = 0; i < json_object_array_length(events); i++) {
		e = json_object_array_get_idx(events, i);
		if (!strcmp(str(e, "ph"), ph) && json_object_get_int64(field(e, "id")) == id)
			return e;
	}
	return NULL;
}

/*
 * The trace-event format's rules, as ui.perfetto.dev and chrome://tracing
 * read them: returns the traceEvents array.
 */
static struct json_object *validate(struct json_object *root)
{
	static struct slice xs[MAX_X];
	struct json_object *events, *e, *s, *f, *args;
	const char *ph;
	size_t i, nx = 0;

	assert_true(json_object_is_type(root, json_type_object));
	assert_string_equal(str(root, "displayTimeUnit"), "ns");
	events = field(root, "traceEvents");
	assert_non_null(events);
	assert_true(json_object_is_type(events, json_type_array));
	assert_true(json_object_is_type(field(root, "metadata"), json_type_object));
	for (i = 0; i < json_object_array_length(events); i++) {
		e = json_object_array_get_idx(events, i);
		ph = str(e, "ph");
		assert_non_null(ph);
		assert_non_null(strstr("X M C i s f", ph));
		assert_int_equal(strlen(ph), 1);
		assert_non_null(str(e, "name"));
		assert_true(json_object_is_type(field(e, "pid"), json_type_int));
		assert_true(json_object_is_type(field(e, "tid"), json_type_int));
		if (strcmp(ph, "M")) {
			assert_true(is_num(field(e, "ts")));
			assert_true(json_object_get_double(field(e, "ts")) >= 0);
		} else {
			assert_true(json_object_is_type(field(e, "args"), json_type_object));
		}
		if (!strcmp(ph, "X")) {
			assert_true(is_num(field(e, "dur")));
			assert_true(json_object_get_double(field(e, "dur")) >= 0);
			assert_true(named(events, json_object_get_int64(field(e, "tid"))));
			assert_true(nx < MAX_X);
			xs[nx].tid = json_object_get_int64(field(e, "tid"));
			xs[nx].ts = json_object_get_double(field(e, "ts"));
			xs[nx++].dur = json_object_get_double(field(e, "dur"));
		}
		if (!strcmp(ph, "C")) {
			args = field(e, "args");
			assert_true(json_object_is_type(field(args, "running"), json_type_int));
			assert_true(json_object_get_int64(field(args, "running")) >= 0);
			assert_true(json_object_get_int64(field(args, "runnable")) >= 0);
		}
		if (!strcmp(ph, "s")) {
			s = e;
			f = flow(events, "f", json_object_get_int64(field(s, "id")));
			assert_non_null(f);
			assert_string_equal(str(f, "cat"), str(s, "cat"));
			assert_string_equal(str(f, "name"), str(s, "name"));
			assert_string_equal(str(f, "bp"), "e");
			assert_true(json_object_get_double(field(f, "ts")) >=
				    json_object_get_double(field(s, "ts")));
		}
		if (!strcmp(ph, "f"))
			assert_non_null(flow(events, "s", json_object_get_int64(field(e, "id"))));
	}
	qsort(xs, nx, sizeof(xs[0]), cmp_slice);
	for (i = 1; i < nx; i++)
		if (xs[i].tid == xs[i - 1].tid)
			assert_true(xs[i - 1].ts + xs[i - 1].dur <= xs[i].ts + 1e-6);
	return events;
}

/* The first event with @ph and @name on @tid, or NULL. */
static struct json_object *find(struct json_object *events, const char *ph, long long tid,
				const char *name)
{
	struct json_object *e;
	size_t i;

	for (i = 0; i < json_object_array_length(events); i++) {
		e = json_object_array_get_idx(events, i);
		if (!strcmp(str(e, "ph"), ph) && json_object_get_int64(field(e, "tid")) == tid &&
		    !strcmp(str(e, "name"), name))
			return e;
	}
	return NULL;
}

static size_t count_ph(struct json_object *events, const char *ph)
{
	size_t i, n = 0;

	for (i = 0; i < json_object_array_length(events); i++)
		n += !strcmp(str(json_object_array_get_idx(events, i), "ph"), ph);
	return n;
}

static double num(struct json_object *e, const char *k)
{
	return json_object_get_double(field(e, k));
}

/* fx_two_threads with its timeline, rendered and parsed; done() frees it all. */
static struct json_object *fixture(struct ks_trace *tr, struct ks_events *ev, char **s)
{
	fx_two_threads(tr);
	ks_trace_finish(tr);
	fx_two_threads_events(ev);
	*s = render(tr, ev);
	return parse(*s);
}

static void done(struct json_object *root, char *s, struct ks_trace *tr, struct ks_events *ev)
{
	json_object_put(root);
	free(s);
	if (ev)
		ks_events_close(ev);
	ks_trace_free(tr);
}

static void test_render_perfetto_timeline(void **state)
{
	struct json_object *root, *events, *e;
	struct ks_events ev;
	struct ks_trace tr;
	char *s;

	root = fixture(&tr, &ev, &s);
	events = validate(root);

	/* the worker blocked 5 ms in read, from 2 ms */
	e = find(events, "X", 101, "Blocked: read");
	assert_non_null(e);
	assert_true(fabs(num(e, "ts") - 2000) < 1e-9);
	assert_true(fabs(num(e, "dur") - 5000) < 1e-9);
	assert_string_equal(str(field(e, "args"), "reason"), "read");
	/* then waited 1 ms for a CPU after the wakeup */
	e = find(events, "X", 101, "Runnable");
	assert_non_null(e);
	assert_true(json_object_get_boolean(field(field(e, "args"), "inferred")));
	/* main blocked in futex, uninterruptibly, until the interrupt */
	e = find(events, "X", 100, "Blocked: futex");
	assert_non_null(e);
	assert_true(fabs(num(e, "dur") - 1500) < 1e-9);
	assert_true(json_object_get_boolean(field(field(e, "args"), "uninterruptible")));
	e = find(events, "X", 100, "Running");
	assert_non_null(e);
	assert_int_equal(json_object_get_int(field(field(e, "args"), "cpu")), 0);
	assert_true(fabs(num(e, "dur") - 7500) < 1e-9);
	/* wakeup 100 -> 101: from main at 7 ms to the worker's run at 8 ms */
	e = flow(events, "s", 1);
	assert_non_null(e);
	assert_int_equal(json_object_get_int(field(e, "tid")), 100);
	assert_true(fabs(num(e, "ts") - 7000) < 1e-9);
	e = flow(events, "f", 1);
	assert_int_equal(json_object_get_int(field(e, "tid")), 101);
	assert_true(fabs(num(e, "ts") - 8000) < 1e-9);
	/* the interrupt has no track: an instant on main's */
	assert_non_null(find(events, "i", 100, "woken from interrupt context"));
	/* 102 is not in the model: named by its tid; its creation is a flow from 101 */
	assert_non_null(find(events, "M", 102, "thread_name"));
	e = flow(events, "s", 2);
	assert_non_null(e);
	assert_string_equal(str(e, "name"), "created");
	assert_int_equal(json_object_get_int(field(e, "tid")), 101);
	assert_int_equal(count_ph(events, "s"), 2);
	/* counters of the process */
	e = find(events, "C", 100, "tasks");
	assert_non_null(e);
	assert_int_equal(json_object_get_int(field(field(e, "args"), "running")), 1);
	assert_int_equal(json_object_get_int64(field(field(root, "metadata"), "events")), 13);
	done(root, s, &tr, &ev);
}

/* The last state of each thread is closed at the end of the trace. */
static void test_render_perfetto_closes_at_trace_end(void **state)
{
	struct json_object *root, *events, *e;
	struct ks_events ev;
	struct ks_trace tr;
	double end = 0;
	size_t i;
	char *s;

	root = fixture(&tr, &ev, &s);
	events = validate(root);
	for (i = 0; i < json_object_array_length(events); i++) {
		e = json_object_array_get_idx(events, i);
		if (!strcmp(str(e, "ph"), "X") && json_object_get_int(field(e, "tid")) == 101 &&
		    num(e, "ts") + num(e, "dur") > end)
			end = num(e, "ts") + num(e, "dur");
	}
	assert_true(fabs(end - 100000) < 1e-6);	/* 1000 ms .. 1100 ms */
	done(root, s, &tr, &ev);
}

static void test_render_perfetto_escapes_comm(void **state)
{
	const char comm[] = "a\"b\\c\n\x01\xff";
	struct json_object *root, *events, *e;
	struct ks_events ev;
	struct ks_trace tr;
	char *s;

	fx_two_threads(&tr);
	memcpy(tr.procs[0].threads[1].st.comm, comm, sizeof(comm));
	memcpy(tr.procs[0].threads[0].st.comm, comm, sizeof(comm));
	ks_trace_finish(&tr);
	fx_two_threads_events(&ev);
	s = render(&tr, &ev);
	root = parse(s);
	events = validate(root);
	e = find(events, "M", 101, "thread_name");
	assert_non_null(e);
	/* the invalid byte 0xff reads as Latin-1: U+00FF */
	assert_string_equal(str(field(e, "args"), "name"), "a\"b\\c\n\x01\xc3\xbf");
	done(root, s, &tr, &ev);
}

static void test_render_perfetto_without_timeline(void **state)
{
	struct json_object *root, *events, *e;
	struct ks_trace tr;
	char *s;

	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	s = render(&tr, NULL);
	root = parse(s);
	events = validate(root);
	assert_int_equal(count_ph(events, "X"), 2);
	e = find(events, "X", 101, "summary");
	assert_non_null(e);
	assert_int_equal(json_object_get_int64(field(field(e, "args"), "on_cpu_ns")), 6 * MS);
	assert_int_equal(json_object_get_int64(field(field(e, "args"), "blocked_ns")), 90 * MS);
	assert_string_equal(str(field(e, "args"), "mostly_blocked_in"), "read");
	assert_int_equal(count_ph(events, "i"), 1);
	e = json_object_array_get_idx(events, 0);
	assert_string_equal(str(e, "ph"), "M");
	assert_non_null(strstr(s, "recorded without --timeline"));
	assert_false(json_object_get_boolean(field(field(root, "metadata"), "timeline")));
	done(root, s, &tr, NULL);
}

static void test_render_perfetto_refuses_compare(void **state)
{
	struct ks_report r = { 0 };
	struct cmp_run run;
	FILE *f = fopen("/dev/null", "w");

	fx_compare_run(&run);
	r.cmp = &run;
	assert_int_equal(render_perfetto(f, &r), -EINVAL);
	fclose(f);
}

/*
 * compare --cmd --timeline: one process group per column, named after it,
 * on the column's own time base; a column without a timeline is left out.
 */
static void test_render_perfetto_columns(void **state)
{
	struct json_object *root, *events, *e, *cols;
	struct col_cmp *cc = calloc(1, sizeof(*cc));
	struct ks_report r = { 0 };
	struct ks_events ev;
	struct ks_trace tr;
	char *s = NULL;
	size_t len = 0, i;
	FILE *f;

	assert_non_null(cc);
	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	fx_two_threads_events(&ev);
	cc->kind = "commands";
	cc->repeat = 1;
	cc->ncols = 2;
	strcpy(cc->cols[0].name, "nothing");
	strcpy(cc->cols[1].name, "two");
	strcpy(cc->cols[1].command, "./two \"quoted\"");
	cc->cols[1].timeline = &ev;
	cc->cols[1].tl_trace = &tr;
	cc->cols[1].tl_start_ns = tr.start_ns;
	cc->cols[1].tl_end_ns = tr.end_ns;
	r.cols = cc;
	f = open_memstream(&s, &len);
	assert_int_equal(render_perfetto(f, &r), 0);
	fclose(f);
	root = parse(s);
	events = validate(root);
	/* one group: the column's, by its first process's pid */
	for (i = 0; i < json_object_array_length(events); i++) {
		e = json_object_array_get_idx(events, i);
		assert_int_equal(json_object_get_int64(field(e, "pid")), tr.procs[0].pid);
		if (!strcmp(str(e, "name"), "process_name"))
			assert_string_equal(str(field(e, "args"), "name"), "2. two");
	}
	/* the same states as the trace alone, on the column's own base */
	e = find(events, "X", 101, "Blocked: read");
	assert_non_null(e);
	assert_true(fabs(num(e, "ts") - 2000) < 1e-9);
	assert_non_null(find(events, "C", 100, "tasks of pid 100"));
	cols = field(field(root, "metadata"), "columns");
	assert_int_equal(json_object_array_length(cols), 1);
	e = json_object_array_get_idx(cols, 0);
	assert_string_equal(str(e, "name"), "two");
	assert_string_equal(str(e, "command"), "./two \"quoted\"");
	assert_int_equal(json_object_get_int64(field(e, "origin_ns")), tr.start_ns);
	json_object_put(root);
	free(s);

	/* no column with a timeline: nothing to show, said so */
	cc->cols[1].timeline = NULL;
	f = fopen("/dev/null", "w");
	assert_int_equal(render_perfetto(f, &r), -EINVAL);
	fclose(f);
	ks_events_close(&ev);
	ks_trace_free(&tr);
	free(cc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_perfetto_columns),
		cmocka_unit_test(test_render_perfetto_timeline),
		cmocka_unit_test(test_render_perfetto_closes_at_trace_end),
		cmocka_unit_test(test_render_perfetto_escapes_comm),
		cmocka_unit_test(test_render_perfetto_without_timeline),
		cmocka_unit_test(test_render_perfetto_refuses_compare),
	};

	return cmocka_run_group_tests_name("render_perfetto", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0-only
/* The stacks model (grouping, shares), the folded format, text, JSON and recordings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <json-c/json.h>
#include "fixtures.h"
#include "model/stacks.h"
#include "output/recording.h"
#include "output/render.h"
#include "output/report.h"

static void test_stacks_groups(void **state)
{
	const struct ks_stack_group *g;
	struct ks_trace tr;
	size_t n;

	fx_stacks(&tr);
	g = ks_stacks_of(&tr.stacks, 100, &n);
	assert_int_equal(n, 2);
	/* the process's reasons by their time: read 90 ms, then futex 80 ms */
	assert_int_equal(g[0].reason, KSEE_R_READ);
	assert_int_equal(g[0].blocked_ns, 90 * MS);
	assert_int_equal(g[0].nthreads, 1);
	assert_true(g[0].flags & KS_STACK_TRUNCATED);
	assert_true(g[0].share > 0.999 && g[0].share <= 1.0);
	assert_int_equal(g[1].reason, KSEE_R_FUTEX);
	assert_int_equal(g[1].count, 6);
	assert_int_equal(g[1].blocked_ns, 80 * MS);
	assert_int_equal(g[1].nthreads, 2);
	assert_int_equal(g[1].stack->nframes, 6);
	assert_int_equal(g[1].stack->nkernel, 2);
	assert_null(ks_stacks_of(&tr.stacks, 999, &n));
	assert_int_equal(n, 0);
	ks_trace_free(&tr);
}

/* What @render wrote for @tr, which must return @want; malloc'd. */
static char *rendered(int (*render)(FILE *, const struct ks_report *), struct ks_trace *tr,
		      int want)
{
	struct ks_report r = { .tr = tr };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(render(f, &r), want);
	fclose(f);
	return buf;
}

/* The folded lines, parsed as flamegraph.pl does: the last space splits off the value. */
static void test_stacks_folded(void **state)
{
	char *buf, *line, *save = NULL, *sp;
	int lines = 0, futex_main = 0;
	struct ks_trace tr;

	fx_stacks(&tr);
	buf = rendered(render_folded, &tr, 0);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long v;
		char *end;

		lines++;
		sp = strrchr(line, ' ');
		assert_non_null(sp);
		*sp = 0;
		v = strtoull(sp + 1, &end, 10);
		assert_int_equal(*end, 0);
		if (!strncmp(line, "demo-100;demo-100;", 18)) {
			/* the two keys of main's futex stack: one line, their sum, in us */
			futex_main++;
			assert_string_equal(line, "demo-100;demo-100;main;ns:weird [inlined];take_lock;"
					    "__lll_lock_wait;futex_wait_[k];schedule_[k];[futex]");
			assert_int_equal(v, 70000);
		} else if (!strncmp(line, "demo-100;worker-101;demo+", 25)) {
			assert_string_equal(line, "demo-100;worker-101;demo+0x1234;read;schedule_[k];"
					    "[read]");
			assert_int_equal(v, 90000);
		} else {
			assert_string_equal(line, "demo-100;worker-101;main;ns:weird [inlined];"
					    "take_lock;__lll_lock_wait;futex_wait_[k];schedule_[k];"
					    "[futex]");
			assert_int_equal(v, 10000);
		}
	}
	assert_int_equal(lines, 3);
	assert_int_equal(futex_main, 1);
	free(buf);
	ks_trace_free(&tr);
}

static void test_stacks_folded_refuses_without_stacks(void **state)
{
	struct ks_trace tr;
	char *buf;

	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	buf = rendered(render_folded, &tr, -ENOTSUP);
	assert_string_equal(buf, "");
	free(buf);
	ks_trace_free(&tr);
}

static char *render_text(struct ks_trace *tr, unsigned int top)
{
	struct report_opts ro = { .max_threads = 20, .max_edges = 10, .stacks_top = top };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	report_text(f, tr, &ro);
	fclose(f);
	return buf;
}

static void test_stacks_text(void **state)
{
	struct ks_trace tr;
	char *out;

	fx_stacks(&tr);
	out = render_text(&tr, 0);
	assert_non_null(strstr(out, "where it slept"));
	assert_non_null(strstr(out, "read, 90.00 ms blocked"));
	assert_non_null(strstr(out, "#1 80.00 ms (100.0%), 6 sleeps, 2 threads (first 100 demo)"));
	assert_non_null(strstr(out, "kernel: schedule < futex_wait"));
	assert_non_null(strstr(out, "take_lock (demo.c:10)"));
	assert_non_null(strstr(out, "__lll_lock_wait (libc.so.6)"));
	assert_non_null(strstr(out, "demo+0x1234\n"));
	assert_non_null(strstr(out, "[user stack cut"));
	assert_null(strstr(out, "have no stack"));
	free(out);
	/* sleeps whose stack was not kept are said, in the header and the section */
	tr.drops.stacks = 7;
	out = render_text(&tr, 0);
	assert_non_null(strstr(out, "7 sleeps' stacks (--stacks)"));
	assert_non_null(strstr(out, "(7 sleeps of the trace have no stack"));
	free(out);
	tr.drops.stacks = 0;
	/* --stacks-top 1 with one stack per reason: nothing more to show */
	out = render_text(&tr, 1);
	assert_null(strstr(out, "more stacks"));
	free(out);
	tr.features.stacks = false;
	out = render_text(&tr, 0);
	assert_null(strstr(out, "where it slept"));
	free(out);
	ks_trace_free(&tr);
}

static void test_stacks_json(void **state)
{
	struct json_object *o, *p, *st, *fr;
	struct ks_trace tr;

	fx_stacks(&tr);
	o = report_json(&tr);
	assert_true(json_object_get_boolean(json_object_object_get(
		json_object_object_get(o, "features"), "stacks")));
	p = json_object_array_get_idx(json_object_object_get(o, "processes"), 0);
	assert_int_equal(json_object_array_length(json_object_object_get(p, "stacks")), 2);
	st = json_object_array_get_idx(json_object_object_get(p, "stacks"), 1);
	assert_string_equal(json_object_get_string(json_object_object_get(st, "reason")), "futex");
	assert_int_equal(json_object_get_int64(json_object_object_get(st, "blocked_ns")), 80 * MS);
	assert_int_equal(json_object_get_int64(json_object_object_get(st, "threads")), 2);
	fr = json_object_array_get_idx(json_object_object_get(st, "frames"), 3);
	assert_string_equal(json_object_get_string(json_object_object_get(fr, "name")),
			    "take_lock");
	assert_string_equal(json_object_get_string(json_object_object_get(fr, "file")), "demo.c");
	assert_int_equal(json_object_get_int64(json_object_object_get(fr, "line")), 10);
	assert_false(json_object_get_boolean(json_object_object_get(fr, "kernel")));
	json_object_put(o);
	ks_trace_free(&tr);
}

static void test_stacks_markdown(void **state)
{
	struct ks_trace tr;
	char *buf;

	fx_stacks(&tr);
	buf = rendered(render_markdown, &tr, 0);
	assert_non_null(strstr(buf, "### Where they slept"));
	/* the read stack's only kernel frame is the scheduler's: no kernel part */
	assert_non_null(strstr(buf, "| 100 | read | read < demo+0x1234 _(incomplete)_ | 90.00 ms | "
				    "100.0% | 4 | 1 |"));
	/* markup in a name is escaped */
	assert_non_null(strstr(buf, "| 100 | futex | \\_\\_lll\\_lock\\_wait < take\\_lock < "
				    "ns;weird < main (kernel: futex\\_wait) | 80.00 ms | 100.0% | 6 | 2 |"));
	free(buf);
	ks_trace_free(&tr);
}

/*
 * Perfetto: a blocked slice of a thread that slept at one stack for its
 * reason carries that stack; of a thread with several, how many and the
 * longest.
 */
static void test_stacks_perfetto(void **state)
{
	struct ksee_event ev[] = {
		{ .ts_ns = 1001 * MS, .tid = 100, .tgid = 100, .type = KSEE_EV_RUN },
		{ .ts_ns = 1002 * MS, .tid = 100, .tgid = 100, .type = KSEE_EV_BLOCK,
		  .arg = KSEE_R_FUTEX },
		{ .ts_ns = 1001 * MS, .tid = 101, .tgid = 100, .type = KSEE_EV_RUN },
		{ .ts_ns = 1003 * MS, .tid = 101, .tgid = 100, .type = KSEE_EV_BLOCK,
		  .arg = KSEE_R_READ },
		{ .ts_ns = 1010 * MS, .tid = 100, .tgid = 100, .type = KSEE_EV_WAKE, .arg = 101,
		  .arg2 = 100 },
		{ .ts_ns = 1011 * MS, .tid = 101, .tgid = 100, .type = KSEE_EV_WAKE, .arg = 100,
		  .arg2 = 100 },
		{ .ts_ns = 1012 * MS, .tid = 101, .tgid = 100, .type = KSEE_EV_RUN },
		{ .ts_ns = 1013 * MS, .tid = 101, .tgid = 100, .type = KSEE_EV_BLOCK,
		  .arg = KSEE_R_FUTEX },
		{ .ts_ns = 1020 * MS, .tid = 101, .tgid = 100, .type = KSEE_EV_WAKE, .arg = 100,
		  .arg2 = 100 },
	};
	struct json_object *o, *a, *e, *args, *v;
	struct ks_events spool;
	struct ks_trace tr;
	struct ks_report r = { .tr = &tr, .events = &spool };
	char *buf = NULL;
	size_t len = 0, i;
	int found = 0;
	FILE *f;

	fx_stacks(&tr);
	/* a second futex stack of 101 at other frames: 101 has two for futex */
	fx_stack(&tr, 101, KSEE_R_FUTEX, 1, 1, 0,
		 (const struct fx_frame[]){ { "schedule", NULL, NULL, 0, KS_FRAME_KERNEL },
					    { "other_wait", "demo", NULL, 0, 0 }, { NULL } }, 1);
	ks_trace_finish(&tr);
	assert_int_equal(ks_events_spool(&spool), 0);
	assert_int_equal(ks_events_append(&spool, ev, sizeof(ev) / sizeof(ev[0])), 0);
	f = open_memstream(&buf, &len);
	assert_int_equal(render_perfetto(f, &r), 0);
	fclose(f);
	o = json_tokener_parse(buf);
	assert_non_null(o);
	a = json_object_object_get(o, "traceEvents");
	for (i = 0; i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		args = json_object_object_get(e, "args");
		if (strncmp(json_object_get_string(json_object_object_get(e, "name")) ?: "",
			    "Blocked: ", 9))
			continue;
		found++;
		if (json_object_get_int64(json_object_object_get(e, "tid")) == 100) {
			v = json_object_object_get(args, "stack");
			assert_non_null(v);
			assert_string_equal(json_object_get_string(v),
					    "__lll_lock_wait < take_lock < ns;weird < main");
		} else if (!strcmp(json_object_get_string(json_object_object_get(args, "reason")),
				   "read")) {
			v = json_object_object_get(args, "stack");
			assert_non_null(v);
			assert_string_equal(json_object_get_string(v), "read < demo+0x1234");
		} else {
			assert_null(json_object_object_get(args, "stack"));
			v = json_object_object_get(args, "stacks");
			assert_non_null(v);
			assert_string_equal(json_object_get_string(v), "2 stacks; the longest: "
					    "__lll_lock_wait < take_lock < ns;weird < main");
		}
	}
	assert_int_equal(found, 3);
	json_object_put(o);
	free(buf);
	ks_events_close(&spool);
	ks_trace_free(&tr);
}

static char *record(struct ks_trace *tr, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_int_equal(rec_write_header(f), 0);
	assert_int_equal(rec_write_trace(f, 1, tr, NULL), 0);
	assert_int_equal(rec_write_end(f), 0);
	fclose(f);
	return buf;
}

static int read_back(struct rec_file *rf, char *buf, size_t len, char *err, size_t errlen)
{
	FILE *f = fmemopen(buf, len, "rb");
	int ret;

	assert_non_null(f);
	ret = rec_read(rf, f, err, errlen);
	rec_free(rf);
	fclose(f);
	return ret;
}

/* The recording keeps the symbolized stacks: the report needs no binaries. */
static void test_stacks_recording_round_trip(void **state)
{
	const struct ks_stack_group *g, *h;
	struct ks_trace tr;
	struct rec_file rf;
	char err[256], *buf;
	size_t len, n, m, i;
	__u32 j;
	FILE *f;

	fx_stacks(&tr);
	buf = record(&tr, &len);
	f = fmemopen(buf, len, "rb");
	assert_int_equal(rec_read(&rf, f, err, sizeof(err)), 0);
	assert_true(rf.traces[1].features.stacks);
	g = ks_stacks_of(&tr.stacks, 100, &n);
	h = ks_stacks_of(&rf.traces[1].stacks, 100, &m);
	assert_int_equal(n, m);
	for (i = 0; i < n; i++) {
		assert_int_equal(g[i].reason, h[i].reason);
		assert_int_equal(g[i].count, h[i].count);
		assert_int_equal(g[i].blocked_ns, h[i].blocked_ns);
		assert_int_equal(g[i].flags, h[i].flags);
		assert_int_equal(g[i].nthreads, h[i].nthreads);
		assert_int_equal(g[i].stack->nframes, h[i].stack->nframes);
		assert_int_equal(g[i].stack->nkernel, h[i].stack->nkernel);
		for (j = 0; j < g[i].stack->nframes; j++) {
			assert_string_equal(g[i].stack->frames[j].name, h[i].stack->frames[j].name);
			assert_int_equal(g[i].stack->frames[j].flags, h[i].stack->frames[j].flags);
			assert_int_equal(g[i].stack->frames[j].line, h[i].stack->frames[j].line);
		}
	}
	rec_free(&rf);
	fclose(f);
	free(buf);
	ks_trace_free(&tr);
}

/* Replace the first @from in @buf (same length) and expect the reader to refuse it. */
static void expect_corrupt(const char *from, const char *to)
{
	struct ks_trace tr;
	struct rec_file rf;
	char err[256], *buf, *at;
	size_t len;

	assert_int_equal(strlen(from), strlen(to));
	fx_stacks(&tr);
	buf = record(&tr, &len);
	at = memmem(buf, len, from, strlen(from));
	assert_non_null(at);
	memcpy(at, to, strlen(to));
	assert_int_equal(read_back(&rf, buf, len, err, sizeof(err)), -EPROTO);
	if (!strstr(err, "stack"))
		fail_msg("unexpected error: %s", err);
	free(buf);
	ks_trace_free(&tr);
}

static void test_stacks_recording_rejects_bad_stacks(void **state)
{
	expect_corrupt("\"nkernel\":2", "\"nkernel\":9");	/* more kernel frames than frames */
	expect_corrupt("\"frames\":[", "\"framez\":[");	/* no frames */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stacks_groups),
		cmocka_unit_test(test_stacks_folded),
		cmocka_unit_test(test_stacks_folded_refuses_without_stacks),
		cmocka_unit_test(test_stacks_text),
		cmocka_unit_test(test_stacks_json),
		cmocka_unit_test(test_stacks_markdown),
		cmocka_unit_test(test_stacks_perfetto),
		cmocka_unit_test(test_stacks_recording_round_trip),
		cmocka_unit_test(test_stacks_recording_rejects_bad_stacks),
	};

	return cmocka_run_group_tests_name("stacks", tests, NULL, NULL);
}

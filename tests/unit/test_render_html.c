// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include "fixtures.h"
#include "output/render.h"
#include "model/timeline.h"

#define US 1000ULL

static char *render(const struct ks_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(render_html(f, r), 0);
	fclose(f);
	return buf;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (s = strstr(s, what); s; s = strstr(s + 1, what))
		n++;
	return n;
}

/* Every script, style and image is inline: nothing is fetched. */
static void assert_self_contained(const char *s)
{
	const char *p;

	for (p = strstr(s, "http"); p; p = strstr(p + 1, "http")) {
		if (strncmp(p, "http://", 7) && strncmp(p, "https://", 8))
			continue;
		assert_memory_equal(p, "http://www.w3.org/2000/svg", 26);
	}
	for (p = strstr(s, "url("); p; p = strstr(p + 1, "url("))
		assert_int_equal(p[4], '#');
	assert_null(strstr(s, " src="));
	assert_null(strstr(s, "@import"));
	assert_null(strstr(s, "<link"));
}

static void test_render_html_trace_sections(void **state)
{
	struct ks_report r = { 0 };
	struct ks_events ev;
	struct ks_trace tr;
	char *s;

	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	fx_two_threads_events(&ev);
	r.tr = &tr;
	r.events = &ev;
	s = render(&r);
	assert_true(!strncmp(s, "<!DOCTYPE html>", 15));
	assert_non_null(strstr(s, "<pre id=\"ksee-errors\"></pre>"));
	assert_non_null(strstr(s, "document.body.dataset.ksee='ready'"));
	assert_non_null(strstr(s, "<section id=\"summary\">"));
	assert_non_null(strstr(s, "<svg id=\"tl-svg\""));
	/* 100, 101, and 102 (only the events know it) */
	assert_int_equal(count(s, "<g><rect class=\"tl-bg\""), 3);
	assert_non_null(strstr(s, "tasks not in the summary"));
	assert_non_null(strstr(s, "<section id=\"offcpu\">"));
	assert_int_equal(count(s, "<div class=\"bar\">"), 2);
	assert_non_null(strstr(s, "<section id=\"histograms\">"));
	assert_non_null(strstr(s, "run-queue wait (enqueued to switch-in"));
	assert_non_null(strstr(s, "wake-up latency (wakeup to enqueued)"));
	assert_non_null(strstr(s, "<svg class=\"graph\""));
	assert_non_null(strstr(s, "100 demo woke 101 worker 4 times"));
	assert_non_null(strstr(s, "@media (prefers-color-scheme:dark)"));
	assert_non_null(strstr(s, "@media print"));
	assert_null(strstr(s, "id=\"lost\""));
	assert_self_contained(s);
	free(s);
	ks_events_close(&ev);
	ks_trace_free(&tr);
}

static void test_render_html_escapes_trace_text(void **state)
{
	char *argv[] = { "./x", "<script>alert(1)</script>" };
	struct ks_report r = { 0 };
	struct ks_trace tr;
	char *s;

	fx_two_threads(&tr);
	tr.argv = argv;
	tr.argc = 2;
	strcpy(tr.procs[0].threads[1].st.comm, "<img onerror=x>");
	strcpy(tr.edges[0].e.waker_comm, "a&b\"'<");
	strcpy(tr.procs[0].threads[0].st.comm, "a&b\"'<");	/* the waker, named as its thread */
	ks_trace_notice(&tr, "<script>alert(2)</script>");
	ks_trace_finish(&tr);
	r.tr = &tr;
	s = render(&r);
	assert_int_equal(count(s, "<script"), 2);	/* window.onerror and the page's own */
	assert_null(strstr(s, "<img"));
	assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(s, "&lt;script&gt;alert(2)&lt;/script&gt;"));
	assert_non_null(strstr(s, "&lt;img onerror=x&gt;"));
	assert_non_null(strstr(s, "a&amp;b&quot;&#39;&lt;"));
	free(s);
	ks_trace_free(&tr);
}

static void test_render_html_without_timeline(void **state)
{
	struct ks_report r = { 0 };
	struct ks_trace tr;
	char *s;

	fx_two_threads(&tr);
	ks_trace_finish(&tr);
	r.tr = &tr;
	s = render(&r);
	assert_non_null(strstr(s, "Recorded without --timeline"));
	assert_null(strstr(s, "id=\"tl-svg\""));
	assert_int_equal(count(s, "<div class=\"bar\">"), 2);
	assert_non_null(strstr(s, "title=\"blocked in futex 80.00 ms"));
	assert_self_contained(s);
	free(s);
	ks_trace_free(&tr);
}

static void test_render_html_warns_of_losses_first(void **state)
{
	struct ks_report r = { 0 };
	struct ks_events ev;
	struct ks_trace tr;
	char *s, *warn;

	fx_two_threads(&tr);
	tr.drops.edges = 7;
	ks_trace_finish(&tr);
	fx_two_threads_events(&ev);
	ev.lost = 5;
	r.tr = &tr;
	r.events = &ev;
	s = render(&r);
	warn = strstr(s, "<div class=\"warn\" id=\"lost\">");
	assert_non_null(warn);
	assert_true(warn < strstr(s, "<section id=\"summary\">"));
	assert_non_null(strstr(warn, "5 timeline events were lost"));
	assert_non_null(strstr(warn, "7 wakeups"));
	free(s);
	ks_events_close(&ev);
	ks_trace_free(&tr);
}

static void test_render_html_compare(void **state)
{
	struct ks_report r = { 0 };
	struct cmp_run run;
	char *s;

	fx_compare_run(&run);
	run.res[CMP_GIL].failed = true;
	strcpy(run.res[CMP_GIL].error, "<b>boom</b>");
	cmp_verdicts(&run);
	r.cmp = &run;
	s = render(&r);
	assert_non_null(strstr(s, "<h1>ksee compare</h1>"));
	assert_non_null(strstr(s, "<th class=\"n\">blocking</th>"));
	assert_non_null(strstr(s, "<th class=\"n\">procs</th>"));
	assert_non_null(strstr(s, "<tr class=\"sub\"><td>voluntary/request</td>"));
	assert_non_null(strstr(s, "<td>cross-thread wakeups</td>"));
	assert_non_null(strstr(s, "<td class=\"n failed\">FAILED</td>"));
	assert_non_null(strstr(s, "&lt;b&gt;boom&lt;/b&gt;"));
	assert_null(strstr(s, "<b>boom"));
	assert_int_equal(count(s, "<div class=\"verdict "), CMP_NDEMO_CLAIMS);
	assert_non_null(strstr(s, "<div class=\"verdict v-holds\"><p><b>C1</b>"));
	assert_int_equal(count(s, "<figure><figcaption>"), CMP_NDEMOS);
	assert_non_null(strstr(s, "same-thread resumes"));
	assert_non_null(strstr(s, "document.body.dataset.ksee='ready'"));
	assert_self_contained(s);
	free(s);
}

/* Time in @state summed over the columns of @tid's row. */
static __u64 row_total(const struct timeline *tl, __u32 tid, enum tl_state state)
{
	const struct tl_row *row = timeline_find(tl, tid);
	__u64 sum = 0;
	unsigned int c;

	assert_non_null(row);
	for (c = 0; c < tl->ncols; c++)
		sum += timeline_cell_ns(tl, row, c, state);
	return sum;
}

static void test_timeline_columns_sum_to_the_intervals(void **state)
{
	struct ks_events ev;
	struct timeline tl;
	__u64 start = 1000 * MS;

	fx_two_threads_events(&ev);
	assert_int_equal(timeline_build(&tl, &ev, start, start + 20 * MS, 64, 0), 0);
	assert_int_equal(tl.ncols, 64);
	assert_int_equal(tl.nrows, 3);
	assert_int_equal(tl.events, ev.count);
	/* 101: runs 1-2 ms, blocked in read to 7 ms, runnable to 8, runs to 12, ... */
	assert_int_equal(row_total(&tl, 101, TL_BLOCKED + KSEE_R_READ), 5 * MS);
	assert_int_equal(row_total(&tl, 101, TL_RUNQ), 2500 * US);
	assert_int_equal(row_total(&tl, 101, TL_RUN), 1 * MS + 4 * MS + 7500 * US);
	/* 100: D state from 7.5 to 9 ms, then runs to the end */
	assert_int_equal(row_total(&tl, 100, TL_D), 1500 * US);
	assert_int_equal(row_total(&tl, 100, TL_RUN), 7500 * US + 10500 * US);
	/* 102 lives 10-11 ms */
	assert_int_equal(row_total(&tl, 102, TL_RUN), 800 * US);
	assert_true(timeline_find(&tl, 102)->exited);
	timeline_free(&tl);
	ks_events_close(&ev);
}

static void test_timeline_caps_rows(void **state)
{
	struct ks_events ev;
	struct timeline tl;

	fx_two_threads_events(&ev);
	assert_int_equal(timeline_build(&tl, &ev, 0, 0, 0, 1), 0);
	assert_int_equal(tl.nrows, 1);
	assert_int_equal(tl.tasks_dropped, 2);
	assert_int_equal(tl.start_ns, 1000 * MS);
	assert_int_equal(tl.end_ns, 1000 * MS + 12500 * US);
	assert_null(timeline_find(&tl, 101));
	timeline_free(&tl);
	ks_events_close(&ev);
}

static void test_render_html_fifty_threads(void **state)
{
	struct ks_report r = { 0 };
	struct ks_events ev;
	struct ks_trace tr;
	char *s;

	fx_sim(&tr, &ev, 50, 20000);
	ks_trace_finish(&tr);
	r.tr = &tr;
	r.events = &ev;
	s = render(&r);
	assert_int_equal(count(s, "<g><rect class=\"tl-bg\""), 50);
	assert_int_equal(count(s, "<div class=\"bar\">"), 50);
	assert_non_null(strstr(s, "epoll wait calls, duration"));
	assert_non_null(strstr(s, "interrupts woke 100 sim-main"));
	assert_self_contained(s);
	free(s);
	ks_events_close(&ev);
	ks_trace_free(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_html_trace_sections),
		cmocka_unit_test(test_render_html_escapes_trace_text),
		cmocka_unit_test(test_render_html_without_timeline),
		cmocka_unit_test(test_render_html_warns_of_losses_first),
		cmocka_unit_test(test_render_html_compare),
		cmocka_unit_test(test_timeline_columns_sum_to_the_intervals),
		cmocka_unit_test(test_timeline_caps_rows),
		cmocka_unit_test(test_render_html_fifty_threads),
	};

	return cmocka_run_group_tests_name("render_html", tests, NULL, NULL);
}

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

static char *render(const struct ks_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(render_markdown(f, r), 0);
	fclose(f);
	return buf;
}

static void test_render_md_trace_tables(void **state)
{
	char *argv[] = { "./prog", "--flag" };
	struct ks_report r = { 0 };
	struct ks_trace tr;
	char *s;

	fx_two_threads(&tr);
	tr.argv = argv;
	tr.argc = 2;
	tr.have_exit = true;
	tr.exit_code = 3;
	ks_trace_notice(&tr, "io_uring tracepoints unavailable");
	ks_trace_finish(&tr);
	r.tr = &tr;
	s = render(&r);
	assert_non_null(strstr(s, "## ksee run: ./prog --flag\n"));
	assert_non_null(strstr(s, "| exit | code 3 |\n"));
	assert_non_null(strstr(s, "| wall | 100.00 ms |\n"));
	assert_non_null(strstr(s, "| lost | nothing |\n"));
	assert_non_null(strstr(s, "> **notice:** io\\_uring tracepoints unavailable\n"));
	assert_non_null(strstr(s, "| 100 | demo | 2 | 0 | 10.00 ms | 0.10/2 | 9 | 1 | 170.00 ms | "
			       "read | 1.00 ms | 2.00 ms |"));
	/* wall, thread-time (two tasks of 100 ms), on CPU and blocked of it */
	assert_non_null(strstr(s, "| 100.00 ms | 200.00 ms | 5% / 85% | exited |\n"));
	assert_non_null(strstr(s, "| thread-time | 200.00 ms (each task's time in the trace, "
			       "summed): 5% on CPU, 85% blocked, <1% waking up, 1% waiting for a "
			       "CPU |\n"));
	assert_null(strstr(s, "idle the whole time"));
	assert_non_null(strstr(s, "| 100 | 101 | worker | thread | 6.00 ms | 6% | 4 | 1 | 90.00 ms "
			       "| read | 2.00 ms |\n"));
	assert_non_null(strstr(s, "| 100 demo | 101 worker | 4 |\n"));
	assert_null(strstr(s, "left out"));
	free(s);
	ks_trace_free(&tr);
}

static void test_render_md_escapes_cells(void **state)
{
	struct ks_report r = { 0 };
	struct ks_trace tr;
	char *s;

	fx_two_threads(&tr);
	strcpy(tr.procs[0].threads[1].st.comm, "a|b`c*<x>\n");
	tr.drops.events = 7;
	ks_trace_finish(&tr);
	r.tr = &tr;
	s = render(&r);
	assert_non_null(strstr(s, "| 101 | a\\|b\\`c\\*&lt;x&gt;  | thread |"));
	assert_non_null(strstr(s, "**NOT accounted:**"));
	assert_non_null(strstr(s, "7 timeline events"));
	free(s);
	ks_trace_free(&tr);
}

static void test_render_md_caps_threads(void **state)
{
	struct ks_report r = { 0 };
	struct ksee_task kt;
	struct ks_trace tr;
	__u32 tid;
	char *s;

	fx_two_threads(&tr);
	for (tid = 200; tid < 260; tid++) {
		kt = fx_task(tid, 100, "many", 1);
		ks_trace_add_task(&tr, &kt, false);
	}
	ks_trace_finish(&tr);
	r.tr = &tr;
	s = render(&r);
	assert_non_null(strstr(s, "_50 of 62 threads shown; 12 left out (`-j` shows all)._"));
	free(s);
	ks_trace_free(&tr);
}

static void test_render_md_compare(void **state)
{
	struct ks_report r = { 0 };
	struct cmp_run run;
	char *s;

	fx_compare_run(&run);
	run.res[CMP_GIL].failed = true;
	strcpy(run.res[CMP_GIL].error, "timed out | killed");
	cmp_verdicts(&run);
	r.cmp = &run;
	s = render(&r);
	assert_non_null(strstr(s, "Workload: R 40 requests, C 8 in flight, D 5 ms of I/O and W 20000 "
			       "us of CPU work per request, N 4 workers; 2 CPUs, kernel 6.18.0-test."));
	assert_non_null(strstr(s, "| | blocking | threads | pool | epoll | uring | coro | gil | procs |\n"
			       "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
			       "| status | ok | ok | ok | ok | ok | ok | FAILED | ok |\n"));
	assert_non_null(strstr(s, "| kernel tasks | 1 | 41 | 5 | 1 | 3 | 1 | - | 4 |\n"));
	assert_non_null(strstr(s, "| &nbsp;&nbsp;made by the kernel | 0 | 0 | 0 | 0 | 2 | 0 | - | 0 |\n"));
	assert_non_null(strstr(s, "| same-thread resumes | - | - | 50.0% | 100.0% | 100.0% | 100.0% | - "
			       "| - |\n"));
	assert_non_null(strstr(s, "- **gil**: FAILED (exit status 0): timed out \\| killed\n"));
	assert_non_null(strstr(s, "### Claims"));
	assert_non_null(strstr(s, "- **C1 holds**: an event loop (asyncio-style) is one kernel thread"));
	assert_non_null(strstr(s, "- **C6 not measured**"));
	free(s);
}

static void test_render_md_compare_rows_match_text(void **state)
{
	struct cmp_run run;
	char *text = NULL, *md, label[64];
	struct ks_report r = { 0 };
	size_t len = 0, i, j;
	FILE *f;

	fx_compare_run(&run);
	cmp_verdicts(&run);
	f = open_memstream(&text, &len);
	cmp_report_text(f, &run);
	fclose(f);
	r.cmp = &run;
	md = render(&r);
	for (i = j = 0; md[i]; i++)	/* unescape: "io\\_uring" reads "io_uring" */
		if (md[i] != '\\')
			md[j++] = md[i];
	md[j] = 0;
	for (i = 0; i < cmp_table_rows(); i++) {
		snprintf(label, sizeof(label), "\n%s", cmp_table_label(i));
		assert_non_null(strstr(text, label));
		snprintf(label, sizeof(label), "%s |", cmp_table_label(i) + strspn(cmp_table_label(i), " "));
		assert_non_null(strstr(md, label));
	}
	free(text);
	free(md);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_md_trace_tables),
		cmocka_unit_test(test_render_md_escapes_cells),
		cmocka_unit_test(test_render_md_caps_threads),
		cmocka_unit_test(test_render_md_compare),
		cmocka_unit_test(test_render_md_compare_rows_match_text),
	};

	return cmocka_run_group_tests_name("render_md", tests, NULL, NULL);
}

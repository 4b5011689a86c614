// SPDX-License-Identifier: GPL-2.0-only
/*
 * The HTML report in a real browser: Debian's headless Chromium loads a
 * 50-thread, 100k-event report and a compare report from disk, the test
 * checks the script ran without errors and the elements are there, then
 * takes a screenshot. Skipped, loudly, when chromium is not installed.
 *
 * KSEE_HTML_KEEP=DIR keeps the pages and screenshots there (docs/ example).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fixtures.h"
#include "model/timeline.h"
#include "output/render.h"

static char dir[64];
static const char *chromium;

static const char *find_chromium(void)
{
	static const char *const paths[] = { "/usr/bin/chromium", "/usr/bin/chromium-browser" };
	const char *env = getenv("CHROMIUM");
	size_t i;

	if (env && !access(env, X_OK))
		return env;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!access(paths[i], X_OK))
			return paths[i];
	return NULL;
}

static int setup(void **state)
{
	const char *keep = getenv("KSEE_HTML_KEEP");

	chromium = find_chromium();
	if (keep) {
		snprintf(dir, sizeof(dir), "%s", keep);
		mkdir(dir, 0755);
	} else {
		snprintf(dir, sizeof(dir), "/tmp/ksee-html-XXXXXX");
		if (!mkdtemp(dir))
			return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	if (!getenv("KSEE_HTML_KEEP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", dir);
	}
	return 0;
}

static void skip_without_chromium(void)
{
	if (chromium)
		return;
	fprintf(stderr, "SKIPPED: chromium is not installed (/usr/bin/chromium; `make deps` or "
		"apt-get install chromium): the HTML report was NOT checked in a browser\n");
	skip();	/* the reason is printed above */
}

static void write_report(const char *path, const struct ks_report *r)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(render_html(f, r), 0);
	assert_int_equal(fclose(f), 0);
}

/* Run chromium on @html with @args; its stdout in *@out (malloc'd). */
static void run_chromium(const char *html, const char *args, char **out)
{
	char cmd[1024], log[128];
	size_t len = 0, cap = 1 << 16, n;
	FILE *p;
	int status;

	snprintf(log, sizeof(log), "%s/chromium.log", dir);
	snprintf(cmd, sizeof(cmd), "profile=$(mktemp -d) && timeout 120 '%s' --headless "
		 "--no-sandbox --disable-gpu --disable-quic --no-first-run "
		 "--disable-background-networking --disable-component-update --disable-sync "
		 "--disable-extensions --hide-scrollbars --user-data-dir=\"$profile\" %s "
		 "'file://%s' 2>'%s'; rc=$?; rm -rf \"$profile\"; exit $rc", chromium, args, html,
		 log);
	p = popen(cmd, "r");
	assert_non_null(p);
	*out = malloc(cap);
	assert_non_null(*out);
	while ((n = fread(*out + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (len + 1 == cap) {
			cap *= 2;
			*out = realloc(*out, cap);
			assert_non_null(*out);
		}
	}
	(*out)[len] = 0;
	status = pclose(p);
	if (status) {
		fprintf(stderr, "chromium failed (status %d), its log: %s\n", status, log);
		fail();
	}
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (s = strstr(s, what); s; s = strstr(s + 1, what))
		n++;
	return n;
}

/* The page loaded, its script ran to the end, nothing was reported on the page. */
static char *load(const char *html)
{
	char *dom;

	run_chromium(html, "--virtual-time-budget=3000 --dump-dom", &dom);
	if (!strstr(dom, "data-ksee=\"ready\""))
		fprintf(stderr, "the page's script did not finish; DOM starts:\n%.2000s\n", dom);
	assert_non_null(strstr(dom, "data-ksee=\"ready\""));
	if (!strstr(dom, "<pre id=\"ksee-errors\"></pre>"))
		fprintf(stderr, "script errors: %.2000s\n", strstr(dom, "<pre id=\"ksee-errors\""));
	assert_non_null(strstr(dom, "<pre id=\"ksee-errors\"></pre>"));
	return dom;
}

static void screenshot(const char *html, const char *png, const char *extra)
{
	unsigned char sig[8];
	char args[512], *out;
	struct stat st;
	FILE *f;

	unlink(png);
	snprintf(args, sizeof(args), "--window-size=1280,2400 --virtual-time-budget=3000 %s "
		 "--screenshot='%s'", extra, png);
	run_chromium(html, args, &out);
	free(out);
	assert_int_equal(stat(png, &st), 0);
	assert_true(st.st_size > 20000);	/* an empty white page is a few KB */
	f = fopen(png, "rb");
	assert_non_null(f);
	assert_int_equal(fread(sig, 1, 8, f), 8);
	fclose(f);
	assert_memory_equal(sig, "\x89PNG\r\n\x1a\n", 8);
}

static void test_html_browser_trace(void **state)
{
	char html[128], png[128], *dom;
	struct ks_report r = { 0 };
	struct ks_events ev;
	struct ks_trace tr;

	skip_without_chromium();
	fx_sim(&tr, &ev, 50, 100000);
	ks_trace_finish(&tr);
	r.tr = &tr;
	r.events = &ev;
	snprintf(html, sizeof(html), "%s/example-report.html", dir);
	write_report(html, &r);
	dom = load(html);
	assert_int_equal(count(dom, "<g><rect class=\"tl-bg\""), 50);
	assert_non_null(strstr(dom, "<svg id=\"tl-svg\""));
	/* the script drew the axis */
	assert_non_null(strstr(dom, "<svg class=\"axis\" id=\"tl-axis\""));
	assert_true(count(dom, "<svg class=\"chart\"") >= 3);
	assert_non_null(strstr(dom, "<svg class=\"graph\""));
	assert_int_equal(count(dom, "<div class=\"bar\">"), 50);
	/* the findings section, a card each, after the header */
	assert_non_null(strstr(dom, "<section id=\"findings\">"));
	assert_int_equal(count(dom, "<div class=\"finding verdict "), tr.findings.n);
	free(dom);
	snprintf(png, sizeof(png), "%s/example-report.png", dir);
	screenshot(html, png, "");
	snprintf(png, sizeof(png), "%s/example-report-dark.png", dir);
	screenshot(html, png, "--force-dark-mode --blink-settings=preferredColorScheme=0");
	ks_events_close(&ev);
	ks_trace_free(&tr);
}

/* --stacks: the icicle graph drawn, then redrawn by the script for one thread. */
static void test_html_browser_stacks(void **state)
{
	char html[128], url[160], png[128], *dom, *icicle;
	struct ks_report r = { 0 };
	struct ks_trace tr;

	skip_without_chromium();
	fx_stacks(&tr);
	r.tr = &tr;
	snprintf(html, sizeof(html), "%s/stacks.html", dir);
	write_report(html, &r);
	dom = load(html);
	icicle = strstr(dom, "id=\"icicle\"");
	assert_non_null(icicle);
	assert_non_null(strstr(dom, "data-ready=\"1\""));
	/* the thread picker: all threads, then each thread */
	assert_int_equal(count(dom, "<option value="), 3);
	assert_non_null(strstr(icicle, ">take_lock</div>"));
	assert_non_null(strstr(icicle, ">demo+0x1234</div>"));
	/* the edge demo -> worker, with where the worker slept longest: read */
	assert_non_null(strstr(icicle, "<td class=\"mono\">100 demo</td><td class=\"mono\">101 "
				       "worker</td><td class=\"n\">4</td><td class=\"n\">90.00 ms</td>"
				       "<td>read</td><td class=\"mono\">read &lt; demo+0x1234</td>"));
	/* coloured by reason: read frames in the read colour */
	snprintf(url, sizeof(url), "class=\"fl s%d\" ", TL_BLOCKED + KSEE_R_READ);
	assert_non_null(strstr(icicle, url));
	free(dom);
	/* thread 100 alone: no read stack (that is the worker's) */
	snprintf(url, sizeof(url), "%s#stacks-thread=100", html);
	dom = load(url);
	icicle = strstr(dom, "id=\"icicle\"");
	assert_non_null(icicle);
	assert_non_null(strstr(icicle, ">take_lock</div>"));
	assert_null(strstr(icicle, ">demo+0x1234</div>"));
	free(dom);
	snprintf(png, sizeof(png), "%s/stacks.png", dir);
	screenshot(html, png, "");
	ks_trace_free(&tr);
}

static void test_html_browser_compare(void **state)
{
	char html[128], png[128], *dom;
	struct ks_report r = { 0 };
	struct cmp_run run;

	skip_without_chromium();
	fx_compare_run(&run);
	cmp_verdicts(&run);
	run.res[CMP_EPOLL].findings = (struct ks_findings){ .n = 1, .list[0] = {
		.id = "loop-cpu-bound", .severity = KS_SEV_WARNING, .pid = 1,
		.summary = "thread 1 (epoll) serves an event loop <and> is busy",
		.advice = "move CPU work off the loop" } };
	r.cmp = &run;
	snprintf(html, sizeof(html), "%s/example-compare.html", dir);
	write_report(html, &r);
	dom = load(html);
	assert_int_equal(count(dom, "<div class=\"verdict "), CMP_NDEMO_CLAIMS);
	assert_int_equal(count(dom, "<figure><figcaption>"), CMP_NDEMOS);
	assert_int_equal(count(dom, "<div class=\"finding verdict v-partly\" "
			       "data-id=\"loop-cpu-bound\">"), 1);
	assert_non_null(strstr(dom, "serves an event loop &lt;and&gt; is busy"));
	free(dom);
	snprintf(png, sizeof(png), "%s/example-compare.png", dir);
	screenshot(html, png, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_browser_trace),
		cmocka_unit_test(test_html_browser_compare),
		cmocka_unit_test(test_html_browser_stacks),
	};

	return cmocka_run_group_tests_name("html_browser", tests, setup, teardown);
}

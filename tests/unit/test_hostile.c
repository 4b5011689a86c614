// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names chosen by a hostile traced program (issue 12, items 4 and 8):
 * thread names and argv holding terminal escapes, line breaks and bytes
 * that are not UTF-8. The text report shows every control character as
 * \xNN (no escape reaches the terminal, no row is split); JSON, Markdown,
 * HTML and Perfetto are valid UTF-8, invalid bytes read as Latin-1.
 * And a timeline spool with forged events (item 3).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "jsonpath.h"
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <wchar.h>
#include <json-c/json.h>
#include "fixtures.h"
#include "model/events.h"
#include "output/fmt.h"
#include "output/render.h"
#include "output/report.h"

#define TITLE	"\x1b]0;pwn\x07"	/* sets the terminal's title */
#define CLEAR	"\x1b[2J"		/* clears the screen */

static char *argv_hostile[] = { "./prog", CLEAR "x\ny", "\xff\xfe latin", "\xc2\x9b" "31m" };

/* A trace whose names are hostile: thread names with escapes, newlines, 0xff. */
static void hostile_trace(struct ks_trace *tr)
{
	fx_two_threads_named(tr, TITLE, "w\nrk\xff");
	tr->argv = argv_hostile;
	tr->argc = 4;
	ks_trace_finish(tr);
}

static char *render(const struct ks_trace *tr, enum ks_format fmt, size_t *len)
{
	struct report_opts o = { .max_threads = 20, .max_edges = 10, .histograms = true };
	struct ks_report r = { .tr = tr };
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_int_equal(ks_render(f, fmt, &r, &o), 0);
	fclose(f);
	return buf;
}

/* Whether @s (@len bytes) is valid UTF-8, by the C library's decoder. */
static int valid_utf8(const char *s, size_t len)
{
	mbstate_t st = { 0 };
	size_t n;

	while (len) {
		n = mbrtowc(NULL, s, len, &st);
		if (n == (size_t)-1 || n == (size_t)-2)
			return 0;
		if (n == 0)
			n = 1;
		s += n;
		len -= n;
	}
	return 1;
}

static void test_hostile_text_shows_controls(void **state)
{
	struct ks_trace tr;
	size_t len, i;
	char *s;

	hostile_trace(&tr);
	s = render(&tr, KS_FMT_TEXT, &len);
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7f)
			fail_msg("control byte 0x%02x at %zu of the text report", s[i], i);
	assert_true(valid_utf8(s, len));
	assert_non_null(strstr(s, "\\x1b]0;pwn\\x07"));	/* the thread row, the process line */
	assert_non_null(strstr(s, "\\x1b[2Jx\\x0ay"));	/* argv */
	assert_non_null(strstr(s, "\\xff\\xfe latin"));
	assert_non_null(strstr(s, "\\xc2\\x9b31m"));	/* a C1 control (CSI) in UTF-8 */
	assert_non_null(strstr(s, "w\\x0ark\\xff"));
	assert_non_null(strstr(s, "100 \\x1b]0;pwn\\x07   "));	/* the waker */
	free(s);
	ks_trace_free(&tr);
}

static void test_hostile_formats_valid_utf8(void **state)
{
	static const enum ks_format fmts[] = { KS_FMT_JSON, KS_FMT_MD, KS_FMT_HTML,
					       KS_FMT_PERFETTO };
	struct json_object *o;
	struct ks_trace tr;
	size_t len, i;
	char *s;

	hostile_trace(&tr);
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		s = render(&tr, fmts[i], &len);
		if (!valid_utf8(s, len))
			fail_msg("the %s output is not valid UTF-8", ks_format_name(fmts[i]));
		if (memchr(s, 0x1b, len))
			fail_msg("the %s output holds a raw ESC", ks_format_name(fmts[i]));
		if (fmts[i] == KS_FMT_JSON) {
			o = json_tokener_parse(s);
			assert_non_null(o);
			/* bytes that are not UTF-8 read as Latin-1: 0xff is U+00FF */
			assert_string_equal(json_object_get_string(get(o, "command.2")),
					    "\xc3\xbf\xc3\xbe latin");
			assert_string_equal(json_object_get_string(get(o, "command.1")),
					    argv_hostile[1]);
			json_object_put(o);
		}
		free(s);
	}
	ks_trace_free(&tr);
}

static void test_hostile_fmt_visible_cuts_whole(void **state)
{
	char buf[8];

	/* never half an escape, never past the buffer */
	assert_string_equal(fmt_visible(buf, sizeof(buf), "ab\x1b" "cd"), "ab\\x1bc");
	assert_string_equal(fmt_visible(buf, sizeof(buf), "abcde\x1b"), "abcde");
	assert_string_equal(fmt_visible(buf, sizeof(buf), "\xc3\xa9t\xc3\xa9"), "\xc3\xa9t\xc3\xa9");
	assert_string_equal(fmt_visible(buf, 3, "a\xc3\xa9"), "a");
}

static int count_event(const struct ksee_event *e, void *ctx)
{
	(*(int *)ctx)++;
	return 0;
}

/* Issue 12, item 3: events read back from a spool are validated. */
static void test_hostile_spool_skips_forged_events(void **state)
{
	struct ksee_event good = { .ts_ns = 5, .tid = 7, .tgid = 7, .type = KSEE_EV_RUN };
	struct ksee_event forged[] = {
		{ .ts_ns = 6, .tid = 0xffffffff, .tgid = 7, .type = KSEE_EV_RUN },
		{ .ts_ns = 7, .tid = 7, .tgid = 0xffffffff, .type = KSEE_EV_EXIT },
		{ .ts_ns = 8, .tid = 7, .tgid = 7, .type = 99 },
		{ .ts_ns = 9, .tid = 7, .tgid = 7, .type = 0 },
	};
	struct ks_events ev;
	int n = 0;

	assert_int_equal(ks_events_spool(&ev), 0);
	assert_int_equal(ks_events_append(&ev, &good, 1), 0);
	assert_int_equal(ks_events_append(&ev, forged, 4), 0);
	assert_int_equal(ks_events_append(&ev, &good, 1), 0);
	assert_int_equal(ks_events_foreach(&ev, count_event, &n), 0);
	assert_int_equal(n, 2);
	/* the spool is close-on-exec: a traced program cannot inherit it */
	assert_int_equal(fcntl(fileno(ev.f), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ks_events_close(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_text_shows_controls),
		cmocka_unit_test(test_hostile_formats_valid_utf8),
		cmocka_unit_test(test_hostile_fmt_visible_cuts_whole),
		cmocka_unit_test(test_hostile_spool_skips_forged_events),
	};

	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		fprintf(stderr, "test_hostile: no C.UTF-8 locale (Debian: libc-bin) to check UTF-8\n");
		return 1;
	}
	return cmocka_run_group_tests_name("hostile", tests, NULL, NULL);
}

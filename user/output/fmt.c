// SPDX-License-Identifier: GPL-2.0-only
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "output/fmt.h"

const char *fmt_ns(char *buf, size_t len, __u64 ns)
{
	double v = (double)ns;

	if (ns == 0)
		snprintf(buf, len, "0");
	else if (ns < 1000)
		snprintf(buf, len, "%llu ns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1f us", v / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.2f ms", v / 1e6);
	else
		snprintf(buf, len, "%.3f s", v / 1e9);
	return buf;
}

/* @v (>= 1) with three significant digits and the @unit glued on. */
static void short3(char *buf, size_t len, double v, const char *unit)
{
	if (v < 9.995)
		snprintf(buf, len, "%.2f%s", v, unit);
	else if (v < 99.95)
		snprintf(buf, len, "%.1f%s", v, unit);
	else
		snprintf(buf, len, "%.0f%s", v, unit);
}

const char *fmt_ns_short(char *buf, size_t len, __u64 ns)
{
	double v = (double)ns;

	if (ns == 0)
		snprintf(buf, len, "0");
	else if (ns < 1000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (v < 999.5e3)
		short3(buf, len, v / 1e3, "us");
	else if (v < 999.5e6)
		short3(buf, len, v / 1e6, "ms");
	else
		short3(buf, len, v / 1e9, "s");
	return buf;
}

const char *fmt_pct(char *buf, size_t len, __u64 part, __u64 whole)
{
	double p = whole ? 100.0 * (double)part / (double)whole : 0;

	if (p > 0 && p < 1)
		snprintf(buf, len, "<1%%");
	else
		snprintf(buf, len, "%.0f%%", p);
	return buf;
}

/*
 * Print @text after @first, wrapped at @width columns; continuation lines
 * are indented by @indent spaces. A word longer than a line is cut.
 */
void fmt_wrap(FILE *f, const char *first, int indent, int width, const char *text)
{
	size_t flen = strlen(first);
	int col = fprintf(f, "%s", first), n, room;
	bool space = flen && first[flen - 1] != ' ', words = false;

	for (;;) {
		text += strspn(text, " ");
		n = strcspn(text, " ");
		if (!n)
			break;
		if (words && col + space + n > width) {
			col = fprintf(f, "\n%*s", indent, "") - 1;
			space = words = false;
		}
		if (space)
			col += fprintf(f, " ");
		room = width - col;
		if (n > room && room > 0)
			n = room;
		col += fprintf(f, "%.*s", n, text);
		text += n;
		space = words = true;
	}
	fputc('\n', f);
}

// SPDX-License-Identifier: GPL-2.0-only
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
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

const char *fmt_share(char *buf, size_t len, double share)
{
	if (share < 0)
		snprintf(buf, len, "-");
	else if (share > 0 && share < 0.01)
		snprintf(buf, len, "<1%%");
	else
		snprintf(buf, len, "%.0f%%", 100 * share);
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

/* Length of the valid UTF-8 sequence at @s (1 to 4), or 0 if the byte there starts none. */
static size_t utf8_seq(const unsigned char *s)
{
	unsigned char c = s[0], lo, hi;
	size_t k, n;

	n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
	    c >= 0xf0 && c <= 0xf4 ? 4 : 0;
	lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
	hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
	for (k = 1; k < n; k++)
		if (s[k] < (k == 1 ? lo : 0x80) || s[k] > (k == 1 ? hi : 0xbf))
			return 0;
	return n;
}

const char *fmt_visible(char *buf, size_t len, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, n;
	unsigned int cp;

	if (!len)
		return buf;
	while (*p) {
		n = utf8_seq(p);
		cp = n == 2 ? (p[0] & 0x1f) << 6 | (p[1] & 0x3f) : n == 1 ? p[0] : 0x100;
		if (!n || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			/* a control character (C0, DEL, C1) or a byte that is not UTF-8 */
			n = n ? n : 1;
			if (o + 4 * n >= len)
				break;
			while (n--)
				o += snprintf(buf + o, len - o, "\\x%02x", *p++);
			continue;
		}
		if (o + n >= len)
			break;
		while (n--)
			buf[o++] = *p++;
	}
	buf[o] = '\0';
	return buf;
}

void fmt_utf8(char *out, const char *s)
{
	const unsigned char *in = (const unsigned char *)s;
	size_t n;

	while (*in) {
		n = utf8_seq(in);
		if (n) {
			while (n--)
				*out++ = *in++;
			continue;
		}
		*out++ = 0xc0 | *in >> 6;
		*out++ = 0x80 | (*in++ & 0x3f);
	}
	*out = '\0';
}

char *fmt_utf8_dup(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1);

	if (out)
		fmt_utf8(out, s);
	return out;
}

/* SPDX-License-Identifier: GPL-2.0-only */
/* Human-readable numbers for the text report, and text from the traced program made safe. */
#ifndef KSEE_FMT_H
#define KSEE_FMT_H

#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#define FMT_LEN 32

/* "0", "850 ns", "12.3 us", "4.56 ms", "1.234 s"; returns @buf. */
const char *fmt_ns(char *buf, size_t len, __u64 ns);

/*
 * At most 7 characters, three significant digits, no space: "0", "850ns",
 * "12.3us", "4.56ms", "123ms", "1.23s", "1234s"; for narrow table cells.
 */
const char *fmt_ns_short(char *buf, size_t len, __u64 ns);

/* @part as a percentage of @whole, "0%" when @whole is 0. */
const char *fmt_pct(char *buf, size_t len, __u64 part, __u64 whole);

/* A share of the model (0 to 1) as a percentage: "<1%" above 0, "-" when below 0 (none). */
const char *fmt_share(char *buf, size_t len, double share);

/*
 * Print @text after @first, wrapped at @width columns; continuation lines
 * are indented by @indent spaces. A word longer than a line is cut.
 */
void fmt_wrap(FILE *f, const char *first, int indent, int width, const char *text);

/*
 * Text from the traced program (thread names, argv) for a terminal: valid
 * UTF-8 is kept, control characters (C0, DEL, C1: escape sequences, line
 * breaks) and bytes that are not UTF-8 are shown as \xNN, so that a name
 * can neither drive the terminal nor split a line. Cut to fit @len;
 * FMT_VISIBLE(n) holds any string of n bytes. Returns @buf.
 */
#define FMT_VISIBLE(n) (4 * (n) + 1)
const char *fmt_visible(char *buf, size_t len, const char *s);

/*
 * @s as valid UTF-8, for JSON, Markdown and HTML: bytes that are not valid
 * UTF-8 read as Latin-1 (byte 0xNN becomes U+00NN, docs/json.md). @out
 * holds 2 * strlen(@s) + 1 bytes. fmt_utf8_dup() allocates it (NULL on
 * -ENOMEM).
 */
void fmt_utf8(char *out, const char *s);
char *fmt_utf8_dup(const char *s);

#endif

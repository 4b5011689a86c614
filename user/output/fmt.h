/* SPDX-License-Identifier: GPL-2.0-only */
/* Human-readable numbers for the text report. */
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

/*
 * Print @text after @first, wrapped at @width columns; continuation lines
 * are indented by @indent spaces. A word longer than a line is cut.
 */
void fmt_wrap(FILE *f, const char *first, int indent, int width, const char *text);

#endif

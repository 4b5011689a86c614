/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Renderers of a comparison of named columns (model/columns.h): the
 * user's commands side by side (compare --cmd) or two recordings (diff).
 * Text and JSON here; Markdown and HTML build on the cells and sentences
 * made here.
 */
#ifndef KSEE_COLUMNS_REPORT_H
#define KSEE_COLUMNS_REPORT_H

#include <stdio.h>
#include "model/columns.h"

struct json_object;

#define COL_CELL_LEN 48

/*
 * Column @c's cell for @m: the median, and with several good runs the
 * range when they differ, "101ms (98.2ms..110ms)"; "-" when the column
 * has no value.
 */
void col_cell(char *buf, size_t len, const struct col_column *c, enum col_metric m);

/* "ok", "FAILED", "1 of 3 FAILED", "not run". */
void col_status(char *buf, size_t len, const struct col_column *c);

/* One line of "what differs": "spin spends 31x more time on a CPU than naps: 1.02s vs 33.0ms". */
void col_diff_text(char *buf, size_t len, const struct col_cmp *cc, const struct col_diff *d);

/* The title line: "ksee compare: 2 commands, 3 runs each (interleaved)". */
void col_title(char *buf, size_t len, const struct col_cmp *cc);

/* Side by side, what differs, failures; fits 100 columns for up to 4 columns. */
void col_report_text(FILE *f, const struct col_cmp *cc);

/* The table and what differs alone (compare --repeat puts them under its own table). */
void col_report_table_text(FILE *f, const struct col_cmp *cc);

/* JSON (docs/json.md, "compare --cmd and diff"): every run of every column. */
int col_report_json(FILE *f, const struct col_cmp *cc);
struct json_object *col_json(const struct col_cmp *cc);

#endif

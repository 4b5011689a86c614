/* SPDX-License-Identifier: GPL-2.0-only */
/* Renderers of a finished struct ks_trace. */
#ifndef KSEE_REPORT_H
#define KSEE_REPORT_H

#include <stdio.h>
#include "model/model.h"

struct json_object;

struct report_opts {
	unsigned int max_threads;	/* per-thread rows per process; 0: all */
	unsigned int max_edges;		/* wakeup edges; 0: all */
	bool histograms;		/* print the log2 histograms */
};

/* The text report, made to fit a 100-column terminal. */
void report_text(FILE *f, const struct ks_trace *tr, const struct report_opts *o);

/* The findings @fs, "findings@whose", wrapped at 100 columns. */
void report_findings_text(FILE *f, const struct ks_findings *fs, const char *whose);

/*
 * The findings of @fs as a JSON array (docs/json.md): all of them, or
 * (@all false) those of process @pid (0: those of the whole trace).
 */
struct json_object *findings_json(const struct ks_findings *fs, bool all, __u32 pid);

/* Into @o: exit, features, notices, drops and kernel_state of @tr. */
void report_json_trace_facts(struct json_object *o, const struct ks_trace *tr);

/* The same facts read back from @o into @tr (a recording's META); 0 or -ENOMEM. */
int report_json_read_trace_facts(struct json_object *o, struct ks_trace *tr);

/* The JSON report (docs/json.md); the caller puts the object. */
struct json_object *report_json(const struct ks_trace *tr);
int report_json_print(FILE *f, const struct ks_trace *tr);

/* Add the <summary> fields of @s to @o (docs/json.md); also used by `ksee compare`. */
void sum_json(struct json_object *o, const struct ks_sum *s);

struct cmp_result;

/* What the kernel saw of one compared run (processes, ..., the <summary>) into @o. */
void cmp_result_facts_json(struct json_object *o, const struct cmp_result *r);

#endif

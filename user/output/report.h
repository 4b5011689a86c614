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
	unsigned int stacks_top;	/* --stacks: stacks per process and reason; 0: 5 */
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

/* --stacks: where the process @p slept, the top stacks per reason. */
void report_text_stacks(FILE *f, const struct ks_trace *tr, const struct ks_process *p,
			unsigned int top);

/* --stacks: the stack groups of process @pid (docs/json.md). */
struct json_object *report_json_stacks(const struct ks_trace *tr, __u32 pid);

/* --stacks in a comparison: each model's biggest stack groups, over its processes. */
#define CMP_TOP_STACKS		3	/* in the text report */
#define CMP_TOP_STACKS_MAX	10	/* in JSON and HTML */
struct json_object *report_json_top_stacks(const struct ks_trace *tr, size_t n);

/* A stack on one line: its program's frames, leaf first, at most @max (else the kernel's). */
void report_stack_line(FILE *f, const struct ks_stack *s, unsigned int max);

/* The compare text report's stacks section; nothing without --stacks. */
struct cmp_run;
void report_text_cmp_stacks(FILE *f, const struct cmp_run *run);

/* Add the <summary> fields of @s to @o (docs/json.md); also used by `ksee compare`. */
void sum_json(struct json_object *o, const struct ks_sum *s);

struct cmp_result;

/* What the kernel saw of one compared run (processes, ..., the <summary>) into @o. */
void cmp_result_facts_json(struct json_object *o, const struct cmp_result *r);

#endif

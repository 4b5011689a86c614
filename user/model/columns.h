/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A comparison of named columns: the user's own commands (`ksee compare
 * --cmd`) or two recordings (`ksee diff`), each column run one or more
 * times. Per metric and column: the median over the column's good runs
 * and their range (lowest, highest). "What differs": the metrics on which
 * the columns differ beyond their spread, largest first. Pure; the
 * sentences are made by the renderers (output/columns_report.c) from the
 * facts computed here.
 */
#ifndef KSEE_COLUMNS_H
#define KSEE_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include "model/comparison.h"
#include "model/events.h"

#define COL_MAX		16	/* columns */
#define COL_NAME_LEN	32	/* a column's name, NUL included */
#define COL_RUNS_MAX	25	/* --repeat N at most */
#define COL_DIFFS_MAX	6	/* sentences in "what differs" */

/* One column: a name, what it ran, and its runs (struct cmp_result each). */
struct col_column {
	char name[COL_NAME_LEN];
	char command[512];	/* the command, or the recording's file name */
	unsigned int nruns;	/* runs made (or started) */
	struct cmp_result runs[COL_RUNS_MAX];
	bool failed;		/* a run failed (or the column could not run at all) */
	char error[160];	/* why: the first failure */
	/* --timeline: the first run's event stream (not owned) and its span */
	const struct ks_events *timeline;
	__u64 tl_start_ns, tl_end_ns;
	const struct ks_trace *tl_trace;	/* that run's trace (not owned); NULL: none */
	/*
	 * What differs compares the columns of one group with each other only
	 * (ksee diff of two comparisons: a name's column in A and in B); 0:
	 * every column with every other.
	 */
	unsigned int group;
};

enum col_unit {
	COL_UNIT_NS,		/* a duration */
	COL_UNIT_COUNT,		/* a whole number */
	COL_UNIT_RATIO,		/* a ratio, such as parallelism */
	COL_UNIT_SHARE,		/* 0 .. 1, shown as a percentage */
};

enum col_metric {
	COL_M_ON_CPU,
	COL_M_BLOCKED,
	COL_M_BLOCKED_EPOLL,
	COL_M_BLOCKED_URING,
	COL_M_BLOCKED_READ,
	COL_M_BLOCKED_WRITE,
	COL_M_BLOCKED_FUTEX,
	COL_M_BLOCKED_POLL,
	COL_M_BLOCKED_SLEEP,
	COL_M_BLOCKED_WAIT,
	COL_M_BLOCKED_OTHER,
	COL_M_BLOCKED_NONE,
	COL_M_D_STATE,
	COL_M_RUNQ,
	COL_M_WALL,
	COL_M_PARALLELISM,
	COL_M_PEAK,
	COL_M_PROCESSES,
	COL_M_TASKS,
	COL_M_VOLUNTARY,
	COL_M_INVOLUNTARY,
	COL_M_MIGRATIONS,
	COL_M_CROSS_WAKEUPS,
	COL_M_REQUESTS,		/* markers from here on */
	COL_M_AWAITS,
	COL_M_VOL_PER_AWAIT,
	COL_M_SAME_THREAD,
	COL_NMETRICS,
};

struct col_metric_def {
	const char *key;	/* JSON key: "on_cpu_ns" */
	const char *label;	/* table row; sub-rows start with two spaces */
	enum col_unit unit;
	bool markers;		/* only when a column's program carries task markers */
	int parent;		/* the row this one details (a blocked reason: COL_M_BLOCKED); -1 */
	/*
	 * What differs, in words: "<big> <more> <small>", %s taking "31x " or
	 * "" when the smaller value is 0. NULL: never named.
	 */
	const char *more;
	double floor;		/* differences are named only above it (ns, count, ratio) */
};

const struct col_metric_def *col_metric(enum col_metric m);

/* A run's value of @m; NAN when the run does not have it (no markers). */
double col_value(const struct cmp_result *r, enum col_metric m);

/* The median of a column's good runs and their range. */
struct col_stat {
	unsigned int n;		/* good runs with a value; 0: nothing to show */
	double median, lo, hi;
};

void col_stat(const struct col_column *c, enum col_metric m, struct col_stat *out);

/* Runs of @c that succeeded. */
unsigned int col_good_runs(const struct col_column *c);

/* A difference worth naming: @big's median is above @small's beyond both ranges. */
struct col_diff {
	enum col_metric m;
	unsigned int big, small;	/* column indexes */
	double big_v, small_v;		/* their medians */
	double ratio;			/* big_v / small_v; 0 when small_v is 0 */
};

struct col_cmp {
	/*
	 * "commands" (compare --cmd), "models" (compare --repeat), "recordings"
	 * (diff of two run / attach recordings), "comparisons" (diff of two
	 * compare recordings)
	 */
	const char *kind;
	unsigned int repeat;	/* runs asked for per column */
	unsigned int ncpus;
	char kernel[65];
	bool interrupted;	/* Ctrl-C: what was measured until then */
	unsigned int ncols;
	struct col_column cols[COL_MAX];
	struct col_diff diffs[COL_DIFFS_MAX];
	unsigned int ndiffs;
};

/*
 * A column name is 1..COL_NAME_LEN-1 bytes without '=', ',' or control
 * characters. 0, or -EINVAL with the reason in @err.
 */
int col_name_check(const char *name, char *err, size_t errlen);

/*
 * Parse "NAME=COMMAND" (the first '=' splits) into @name and @cmd; 0, or
 * -EINVAL with the reason in @err.
 */
int col_parse_spec(const char *spec, char *name, size_t namelen, char *cmd, size_t cmdlen,
		   char *err, size_t errlen);

/* Index of the column named @name; -1 if none. */
int col_find(const struct col_cmp *cc, const char *name);

/*
 * Is row @m shown: markers rows only when a column has task markers, a
 * detail row (parent >= 0) only when a column has a value other than 0.
 */
bool col_metric_shown(const struct col_cmp *cc, enum col_metric m);

/* Fill cc->diffs: at most COL_DIFFS_MAX, largest ratio first. */
void col_what_differs(struct col_cmp *cc);

/*
 * The run whose findings a column shows: its median run by wall time
 * (cmp_median_run); NULL when the column has no good run.
 */
const struct cmp_result *col_shown_run(const struct col_column *c);

/*
 * compare --repeat of the demo models: @cc holds every run of every model
 * (a column named after its model). col_models_medians() puts each
 * model's median run into run->res[] and fills @cc's what differs;
 * col_models_verdicts() then makes the verdicts from the medians, with a
 * note where the runs' own verdicts disagree (0 or -ENOMEM).
 */
void col_models_medians(struct cmp_run *run, struct col_cmp *cc);
int col_models_verdicts(struct cmp_run *run, const struct col_cmp *cc);

/* A column has its first run's timeline (compare --cmd --timeline). */
bool col_any_timeline(const struct col_cmp *cc);

/* Any column failed (or the comparison was interrupted): exit status 1. */
bool col_any_failed(const struct col_cmp *cc);

#endif

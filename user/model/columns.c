// SPDX-License-Identifier: GPL-2.0-only
/*
 * A comparison of named columns (compare --cmd, diff): the metrics, the
 * median and range of each over a column's runs, and what differs.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "model/columns.h"

#define MS	1e6	/* ns */

/*
 * Thresholds of "what differs", written down once: a duration differs
 * when the gap is over 1 ms, a count when it is over 10, a ratio (CPUs
 * busy) over 0.1; and in every case the larger median must be at least
 * MIN_RATIO times the smaller one (the smaller one counted as the floor
 * when under it), with the two ranges apart.
 */
#define MIN_RATIO	1.5

static const struct col_metric_def defs[COL_NMETRICS] = {
	[COL_M_ON_CPU] = { "on_cpu_ns", "on-CPU", COL_UNIT_NS, false, -1,
			   "spends %smore time on a CPU than", MS },
	[COL_M_BLOCKED] = { "blocked_ns", "blocked", COL_UNIT_NS, false, -1,
			    "spends %smore time blocked than", MS },
	[COL_M_BLOCKED_EPOLL] = { "blocked_epoll_ns", "  in epoll", COL_UNIT_NS, false,
				  COL_M_BLOCKED, "spends %smore time blocked in epoll than", MS },
	[COL_M_BLOCKED_URING] = { "blocked_io_uring_ns", "  in io_uring", COL_UNIT_NS, false,
				  COL_M_BLOCKED, "spends %smore time blocked in io_uring than",
				  MS },
	[COL_M_BLOCKED_READ] = { "blocked_read_ns", "  in read", COL_UNIT_NS, false,
				 COL_M_BLOCKED, "spends %smore time blocked in read than", MS },
	[COL_M_BLOCKED_WRITE] = { "blocked_write_ns", "  in write", COL_UNIT_NS, false,
				  COL_M_BLOCKED, "spends %smore time blocked in write than", MS },
	[COL_M_BLOCKED_FUTEX] = { "blocked_futex_ns", "  in futex", COL_UNIT_NS, false,
				  COL_M_BLOCKED, "spends %smore time blocked on futexes than",
				  MS },
	[COL_M_BLOCKED_POLL] = { "blocked_poll_ns", "  in poll", COL_UNIT_NS, false,
				 COL_M_BLOCKED, "spends %smore time blocked in poll than", MS },
	[COL_M_BLOCKED_SLEEP] = { "blocked_sleep_ns", "  in sleep", COL_UNIT_NS, false,
				  COL_M_BLOCKED, "spends %smore time asleep than", MS },
	[COL_M_BLOCKED_WAIT] = { "blocked_wait_ns", "  in wait", COL_UNIT_NS, false,
				 COL_M_BLOCKED, "spends %smore time waiting for children than",
				 MS },
	[COL_M_BLOCKED_OTHER] = { "blocked_other_ns", "  in other calls", COL_UNIT_NS, false,
				  COL_M_BLOCKED,
				  "spends %smore time blocked in other system calls than", MS },
	[COL_M_BLOCKED_NONE] = { "blocked_no_syscall_ns", "  outside calls", COL_UNIT_NS,
				 false, COL_M_BLOCKED,
				 "spends %smore time blocked outside system calls than", MS },
	[COL_M_D_STATE] = { "uninterruptible_ns", "  uninterruptible", COL_UNIT_NS, false,
			    COL_M_BLOCKED, "spends %smore time in uninterruptible sleep than",
			    MS },
	[COL_M_RUNQ] = { "runq_ns", "waiting for a CPU", COL_UNIT_NS, false, -1,
			 "waits %slonger for a CPU than", MS },
	[COL_M_WALL] = { "wall_ns", "wall", COL_UNIT_NS, false, -1, "takes %slonger than", MS },
	[COL_M_PARALLELISM] = { "parallelism", "parallelism", COL_UNIT_RATIO, false, -1,
				"keeps %smore CPUs busy on average than", 0.1 },
	[COL_M_PEAK] = { "peak_running", "  peak running", COL_UNIT_COUNT, false,
			 COL_M_PARALLELISM, NULL, 1 },
	[COL_M_PROCESSES] = { "processes", "processes", COL_UNIT_COUNT, false, -1,
			      "runs %smore processes than", 1 },
	[COL_M_TASKS] = { "tasks", "kernel tasks", COL_UNIT_COUNT, false, -1,
			  "runs %smore kernel tasks (threads) than", 1 },
	[COL_M_VOLUNTARY] = { "voluntary", "voluntary switches", COL_UNIT_COUNT, false, -1,
			      "gives up the CPU %smore often than", 10 },
	[COL_M_INVOLUNTARY] = { "involuntary", "involuntary switches", COL_UNIT_COUNT, false,
				-1, "is preempted %smore often than", 10 },
	[COL_M_MIGRATIONS] = { "migrations", "CPU migrations", COL_UNIT_COUNT, false, -1,
			       "moves between CPUs %smore often than", 10 },
	[COL_M_CROSS_WAKEUPS] = { "cross_thread_wakeups", "cross-thread wakeups",
				  COL_UNIT_COUNT, false, -1,
				  "wakes its own threads %smore often than", 10 },
	[COL_M_REQUESTS] = { "requests", "requests (markers)", COL_UNIT_COUNT, true, -1,
			     "serves %smore requests than", 10 },
	[COL_M_AWAITS] = { "awaits", "awaits (markers)", COL_UNIT_COUNT, true, -1,
			   "awaits %smore often than", 10 },
	[COL_M_VOL_PER_AWAIT] = { "voluntary_per_await", "  voluntary/await", COL_UNIT_RATIO,
				  true, COL_M_AWAITS, NULL, 0.1 },
	[COL_M_SAME_THREAD] = { "same_thread_share", "  same-thread resumes", COL_UNIT_SHARE,
				true, COL_M_AWAITS, NULL, 0.1 },
};

const struct col_metric_def *col_metric(enum col_metric m)
{
	return (unsigned int)m < COL_NMETRICS ? &defs[m] : NULL;
}

static const enum ksee_reason blocked_reason[COL_NMETRICS] = {
	[COL_M_BLOCKED_EPOLL] = KSEE_R_EPOLL,
	[COL_M_BLOCKED_URING] = KSEE_R_IO_URING,
	[COL_M_BLOCKED_READ] = KSEE_R_READ,
	[COL_M_BLOCKED_WRITE] = KSEE_R_WRITE,
	[COL_M_BLOCKED_FUTEX] = KSEE_R_FUTEX,
	[COL_M_BLOCKED_POLL] = KSEE_R_POLL,
	[COL_M_BLOCKED_SLEEP] = KSEE_R_SLEEP,
	[COL_M_BLOCKED_WAIT] = KSEE_R_WAIT,
	[COL_M_BLOCKED_OTHER] = KSEE_R_OTHER,
	[COL_M_BLOCKED_NONE] = KSEE_R_NONE,
};

double col_value(const struct cmp_result *r, enum col_metric m)
{
	const struct ks_sum *s = &r->sum;

	switch (m) {
	case COL_M_ON_CPU:
		return s->on_cpu_ns;
	case COL_M_BLOCKED:
		return s->blocked_total_ns;
	case COL_M_BLOCKED_EPOLL ... COL_M_BLOCKED_NONE:
		return s->blocked_ns[blocked_reason[m]];
	case COL_M_D_STATE:
		return s->uninterruptible_ns;
	case COL_M_RUNQ:
		return s->runq_ns;
	case COL_M_WALL:
		return s->wall_ns;
	case COL_M_PARALLELISM:
		return s->parallelism;
	case COL_M_PEAK:
		return s->peak_running;
	case COL_M_PROCESSES:
		return r->processes;
	case COL_M_TASKS:
		return s->tasks;
	case COL_M_VOLUNTARY:
		return s->voluntary;
	case COL_M_INVOLUNTARY:
		return s->involuntary;
	case COL_M_MIGRATIONS:
		return s->migrations;
	case COL_M_CROSS_WAKEUPS:
		return r->cross_thread_wakeups;
	case COL_M_REQUESTS:
		return s->markers.requests_done ? (double)s->markers.requests_done : NAN;
	case COL_M_AWAITS:
		return s->markers.awaits ? (double)s->markers.awaits : NAN;
	case COL_M_VOL_PER_AWAIT:
		return s->markers.voluntary_per_await >= 0 ? s->markers.voluntary_per_await : NAN;
	case COL_M_SAME_THREAD:
		return s->markers.same_thread_share >= 0 ? s->markers.same_thread_share : NAN;
	case COL_NMETRICS:
		break;
	}
	return NAN;
}

unsigned int col_good_runs(const struct col_column *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->nruns && i < COL_RUNS_MAX; i++)
		n += c->runs[i].ran && !c->runs[i].failed;
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void col_stat(const struct col_column *c, enum col_metric m, struct col_stat *out)
{
	double v[COL_RUNS_MAX];
	unsigned int i, n = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < c->nruns && i < COL_RUNS_MAX; i++) {
		if (!c->runs[i].ran || c->runs[i].failed)
			continue;
		v[n] = col_value(&c->runs[i], m);
		if (!isnan(v[n]))
			n++;
	}
	if (!n)
		return;
	qsort(v, n, sizeof(v[0]), cmp_double);
	out->n = n;
	out->lo = v[0];
	out->hi = v[n - 1];
	out->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int col_name_check(const char *name, char *err, size_t errlen)
{
	const unsigned char *p;

	if (!*name) {
		snprintf(err, errlen, "empty name: write NAME=COMMAND");
		return -EINVAL;
	}
	if (strlen(name) >= COL_NAME_LEN) {
		snprintf(err, errlen, "name '%.40s...' is longer than %d characters", name,
			 COL_NAME_LEN - 1);
		return -EINVAL;
	}
	for (p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(err, errlen, "a name may not hold control characters");
			return -EINVAL;
		}
		if (*p == '=' || *p == ',') {
			snprintf(err, errlen, "name '%s' holds '%c'", name, *p);
			return -EINVAL;
		}
	}
	return 0;
}

int col_parse_spec(const char *spec, char *name, size_t namelen, char *cmd, size_t cmdlen,
		   char *err, size_t errlen)
{
	const char *eq = strchr(spec, '=');
	size_t n;

	if (!eq) {
		snprintf(err, errlen, "'%.60s' is not NAME=COMMAND", spec);
		return -EINVAL;
	}
	n = eq - spec;
	if (n >= namelen)
		n = namelen - 1;
	memcpy(name, spec, n);
	name[n] = '\0';
	if ((size_t)(eq - spec) >= COL_NAME_LEN) {
		snprintf(err, errlen, "name '%.40s...' is longer than %d characters", name,
			 COL_NAME_LEN - 1);
		return -EINVAL;
	}
	if (col_name_check(name, err, errlen))
		return -EINVAL;
	eq += 1 + strspn(eq + 1, " \t");
	if (!*eq) {
		snprintf(err, errlen, "empty command for '%s'", name);
		return -EINVAL;
	}
	if (strlen(eq) >= cmdlen) {
		snprintf(err, errlen, "command for '%s' is longer than %zu characters", name,
			 cmdlen - 1);
		return -EINVAL;
	}
	strcpy(cmd, eq);
	return 0;
}

int col_find(const struct col_cmp *cc, const char *name)
{
	unsigned int i;

	for (i = 0; i < cc->ncols; i++)
		if (!strcmp(cc->cols[i].name, name))
			return i;
	return -1;
}

bool col_metric_shown(const struct col_cmp *cc, enum col_metric m)
{
	struct col_stat st;
	unsigned int i;

	if (!defs[m].markers && defs[m].parent < 0)
		return true;
	for (i = 0; i < cc->ncols; i++) {
		col_stat(&cc->cols[i], m, &st);
		if (st.n && (defs[m].parent < 0 || st.hi != 0))
			return true;
	}
	return false;
}

/* The biggest and smallest median of @m over the columns of group @g with values. */
static bool extremes(const struct col_cmp *cc, enum col_metric m, unsigned int g,
		     struct col_diff *d, struct col_stat *big, struct col_stat *small)
{
	struct col_stat st;
	unsigned int i;
	bool any = false;

	for (i = 0; i < cc->ncols; i++) {
		if (cc->cols[i].group != g)
			continue;
		col_stat(&cc->cols[i], m, &st);
		if (!st.n)
			continue;
		if (!any || st.median > big->median) {
			*big = st;
			d->big = i;
		}
		if (!any || st.median < small->median) {
			*small = st;
			d->small = i;
		}
		any = true;
	}
	return any && d->big != d->small;
}

/* The difference of @m within group @g, if it is worth naming; its weight, else 0. */
static double weigh_group(const struct col_cmp *cc, enum col_metric m, unsigned int g,
			  struct col_diff *d)
{
	const struct col_metric_def *def = &defs[m];
	struct col_stat big = { 0 }, small = { 0 };

	memset(d, 0, sizeof(*d));
	d->m = m;
	if (!def->more || !extremes(cc, m, g, d, &big, &small))
		return 0;
	if (big.lo <= small.hi)		/* the ranges overlap */
		return 0;
	if (big.median - small.median <= def->floor)
		return 0;
	if (big.median < MIN_RATIO * (small.median > def->floor ? small.median : def->floor))
		return 0;
	d->big_v = big.median;
	d->small_v = small.median;
	d->ratio = small.median > 0 ? big.median / small.median : 0;
	return big.median / (small.median > def->floor ? small.median : def->floor);
}

/* The largest difference of @m in any group of columns; its weight, else 0. */
static double weigh(const struct col_cmp *cc, enum col_metric m, struct col_diff *d)
{
	struct col_diff cand;
	double w, best = 0;
	unsigned int i, j;

	memset(d, 0, sizeof(*d));
	d->m = m;
	for (i = 0; i < cc->ncols; i++) {
		for (j = 0; j < i && cc->cols[j].group != cc->cols[i].group; j++)
			;
		if (j < i)	/* the group was weighed at its first column */
			continue;
		w = weigh_group(cc, m, cc->cols[i].group, &cand);
		if (w > best) {
			best = w;
			*d = cand;
		}
	}
	return best;
}

/*
 * A detail row (a blocked reason) tells nothing new when its parent row
 * differs the same way: the parent is named, not the detail.
 */
static bool told_by_parent(const struct col_diff *cand, const double *w, unsigned int n,
			   const struct col_diff *d)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if ((int)cand[i].m == defs[d->m].parent && w[i] > 0 && cand[i].big == d->big &&
		    cand[i].small == d->small)
			return true;
	return false;
}

void col_what_differs(struct col_cmp *cc)
{
	struct col_diff cand[COL_NMETRICS];
	double w[COL_NMETRICS];
	bool used[COL_NMETRICS] = { 0 };
	unsigned int n = 0, i, best;
	int m;

	cc->ndiffs = 0;
	for (m = 0; m < COL_NMETRICS; m++) {
		w[n] = weigh(cc, m, &cand[n]);
		if (w[n] > 0)
			n++;
	}
	for (i = 0; i < n; i++)
		used[i] = defs[cand[i].m].parent >= 0 && told_by_parent(cand, w, n, &cand[i]);
	/* Largest first; on a tie, the earlier row of the table. */
	while (cc->ndiffs < COL_DIFFS_MAX) {
		best = n;
		for (i = 0; i < n; i++)
			if (!used[i] && (best == n || w[i] > w[best]))
				best = i;
		if (best == n)
			break;
		used[best] = true;
		cc->diffs[cc->ndiffs++] = cand[best];
	}
}

const struct cmp_result *col_shown_run(const struct col_column *c)
{
	const struct cmp_result *r;

	if (!c->nruns)
		return NULL;
	r = &c->runs[cmp_median_run(c->runs, c->nruns)];
	return r->ran && !r->failed ? r : NULL;
}

bool col_any_timeline(const struct col_cmp *cc)
{
	unsigned int i;

	for (i = 0; i < cc->ncols; i++)
		if (cc->cols[i].timeline && cc->cols[i].tl_trace)
			return true;
	return false;
}

bool col_any_failed(const struct col_cmp *cc)
{
	unsigned int i;

	if (cc->interrupted)
		return true;
	for (i = 0; i < cc->ncols; i++)
		if (cc->cols[i].failed)
			return true;
	return false;
}

/* Column index of each model in @cc (a column named after it); -1 when none. */
static void model_columns(const struct col_cmp *cc, int *col)
{
	unsigned int k;
	int m;

	for (m = 0; m < CMP_NMODELS; m++)
		col[m] = -1;
	for (k = 0; k < cc->ncols; k++) {
		m = cmp_model_parse(cc->cols[k].name);
		if (m >= 0)
			col[m] = k;
	}
}

void col_models_medians(struct cmp_run *run, struct col_cmp *cc)
{
	const struct col_column *c;
	int col[CMP_NMODELS], m;

	model_columns(cc, col);
	for (m = 0; m < CMP_NMODELS; m++) {
		c = col[m] >= 0 ? &cc->cols[col[m]] : NULL;
		if (c && c->nruns && run->res[m].selected)
			run->res[m] = c->runs[cmp_median_run(c->runs, c->nruns)];
	}
	col_what_differs(cc);
	cc->interrupted = run->interrupted;
	run->repeat = cc->repeat;
	run->repeats = cc;
}

int col_models_verdicts(struct cmp_run *run, const struct col_cmp *cc)
{
	enum cmp_verdict_kind (*kinds)[CMP_NCLAIMS] = calloc(cc->repeat ? cc->repeat : 1,
							     sizeof(*kinds));
	struct cmp_run *one = malloc(sizeof(*one));
	const struct col_column *c;
	int col[CMP_NMODELS], m, i, ret = 0;
	unsigned int k;

	cmp_verdicts(run);
	if (!kinds || !one) {
		ret = -ENOMEM;
		goto out;
	}
	model_columns(cc, col);
	/* The verdicts of every run apart: where they disagree, the verdict says so. */
	for (k = 0; k < cc->repeat; k++) {
		*one = *run;
		for (m = 0; m < CMP_NMODELS; m++) {
			c = col[m] >= 0 ? &cc->cols[col[m]] : NULL;
			if (c && k < c->nruns)
				one->res[m] = c->runs[k];
		}
		cmp_verdicts(one);
		for (i = 0; i < CMP_NCLAIMS; i++)
			kinds[k][i] = one->verdicts[i].kind;
	}
	cmp_verdicts_spread(run, (const enum cmp_verdict_kind (*)[CMP_NCLAIMS])kinds, cc->repeat);
out:
	free(kinds);
	free(one);
	return ret;
}

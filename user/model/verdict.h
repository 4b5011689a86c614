/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the verdicts on the demos (verdict.c) and on the real runtimes
 * (verdict_runtimes.c) share. Private to the model's verdicts.
 */
#ifndef KSEE_VERDICT_H
#define KSEE_VERDICT_H

#include "model/comparison.h"

#define NUMBERS(v, ...)	ks_appendf((v)->numbers, sizeof((v)->numbers), __VA_ARGS__)
#define NOTE(v, ...)	ks_appendf((v)->note, sizeof((v)->note), __VA_ARGS__)

/* ", " between items of a list being appended to @buf. */
static inline const char *sep(const char *buf)
{
	return *buf ? ", " : "";
}

static inline const char *plural(unsigned long long n)
{
	return n == 1 ? "" : "s";
}

/* The model's column if its numbers can be used, else NULL. */
const struct cmp_result *cmp_usable(const struct cmp_run *run, enum cmp_model m);

/* Verdict @v is "not measured", @why appended to its note. */
void cmp_not_measured(struct cmp_verdict *v, const char *why);

/* Threads or processes the model used: what it said, else the workload's N. */
unsigned long cmp_workers(const struct cmp_run *run, const struct cmp_result *r);

/* ", 1.6 of 2 CPUs free" or " on 2 CPUs" into the numbers. */
void cmp_cpus_numbers(const struct cmp_run *run, const struct cmp_result *r,
		      struct cmp_verdict *v);

/*
 * C5 judged on @c, the lag of the loop of @who (a model's name) with and
 * without CPU work.
 */
void cmp_judge_c5(const struct cmp_run *run, const struct cmp_c5 *c, const char *who,
		  struct cmp_verdict *v);

/*
 * CPUs column @r could keep busy with no lock (C6, C9): min(CPUs free,
 * N x W / (W + D)), bounded by what the lock-free control @ctl (named
 * @ctl_name; NULL: none ran) reached. 0 (the verdict not measured, why in
 * its note) when that is too low to tell serial from parallel.
 */
double cmp_parallelism_possible(const struct cmp_run *run, const struct cmp_result *r,
				const struct cmp_result *ctl, const char *ctl_name,
				struct cmp_verdict *v);

/* C6 on parallelism @p: about one CPU holds (thresholds in verdict.c). */
enum cmp_verdict_kind cmp_c6_kind(double p);

/* C9 on parallelism @p against the @ceiling reachable; @bar: from where it holds. */
enum cmp_verdict_kind cmp_c9_kind(double p, double ceiling, double *bar);

#endif

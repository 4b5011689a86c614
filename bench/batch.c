// SPDX-License-Identifier: GPL-2.0-only
/* Batch times of the benchmark workloads: see batch.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "batch.h"

int batch_mark(struct batch_log *log, double now_s, long ops_done)
{
	long ops = ops_done - log->start_ops;
	double *p;
	long cap;
	int err = 0;

	if (log->started && ops > 0) {
		if (log->n == log->cap) {
			cap = log->cap ? 2 * log->cap : 1024;
			p = realloc(log->per_op_ns, cap * sizeof(*p));
			if (!p)
				err = -ENOMEM;
			else {
				log->per_op_ns = p;
				log->cap = cap;
			}
		}
		if (!err)
			log->per_op_ns[log->n++] = (now_s - log->start_s) * 1e9 / ops;
	}
	log->started = 1;
	log->start_s = now_s;
	log->start_ops = ops_done;
	return err;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double batch_percentile(double *v, long n, double p)
{
	double x = p * n / 100;
	long rank = (long)x;

	if (n <= 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	if (rank < x)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

int batch_summarize(struct batch_log *log, struct batch_summary *s)
{
	memset(s, 0, sizeof(*s));
	if (log->n <= 0)
		return -EINVAL;
	s->batches = log->n;
	s->fast_ns = batch_percentile(log->per_op_ns, log->n, 10);
	s->median_ns = batch_percentile(log->per_op_ns, log->n, 50);
	return 0;
}

void batch_log_free(struct batch_log *log)
{
	free(log->per_op_ns);
	memset(log, 0, sizeof(*log));
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Prometheus text exposition format (version 0.0.4) of a finished
 * trace: what `ksee serve` answers on /metrics. Pure: it formats the
 * model's numbers, in base units (seconds), counters ending in _total.
 * The metrics are listed in docs/prometheus.md.
 */
#ifndef KSEE_PROMETHEUS_H
#define KSEE_PROMETHEUS_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "model/model.h"

/* What the exposition shows besides the trace: ksee's own state. */
struct prom_info {
	bool per_thread;		/* per-thread series too */
	unsigned int max_thread_series;	/* threads exported at most (all processes) */
	bool bpf_stats;			/* the kernel's BPF run-time statistics are on */
	__u64 bpf_run_ns;		/* run time of ksee's BPF programs */
	__u64 bpf_run_count;		/* how many times they ran */
	__u64 forgotten;		/* processes dropped after their grace period */
	double grace_s;			/* that grace period, seconds */
	double start_time_s;		/* when serving began, seconds since the epoch */
};

/* The Content-Type of the exposition. */
#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/*
 * Write the exposition of @tr (finished with ks_trace_finish()) to @f.
 * Returns the number of threads left out by the cap (0 without
 * per-thread series), or -errno if writing failed.
 */
int prom_write(FILE *f, const struct ks_trace *tr, const struct prom_info *pi);

/*
 * Copy @s into @buf (@len bytes) as a label value: backslash, double
 * quote and newline escaped, other control characters and invalid UTF-8
 * replaced by '?'. Always terminated; cut short at a character boundary.
 */
const char *prom_label_value(char *buf, size_t len, const char *s);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * log2 histograms as the kernel side fills them: slot 0 holds 0 and 1,
 * slot i holds values in [2^i, 2^(i+1) - 1].
 */
#ifndef KSEE_HIST_H
#define KSEE_HIST_H

#include <stdio.h>
#include <linux/types.h>
#include "ksee.h"

__u64 hist_slot_low(int slot);
__u64 hist_slot_high(int slot);
__u64 hist_total(const __u64 *slots, int n);
void hist_add(__u64 *dst, const __u64 *src, int n);

/*
 * Value below which a fraction @q (0..1) of the samples fall, linearly
 * interpolated inside the log2 bucket that holds it; 0 for no samples.
 */
__u64 hist_percentile(const __u64 *slots, int n, double q);

/*
 * The bill's latency histogram (KSEE_BILL_SLOTS buckets, filled by the
 * program's markers, include/ksee/usdt.h ksee_marks_lat_slot()): a bucket
 * a nanosecond under 16 ns, then 8 buckets a power of two, each an eighth
 * of it wide; the last is open above. Its percentiles are good to an
 * eighth of the value, not to a factor of 2.
 */
__u64 hist_fine_low(int slot);
__u64 hist_fine_high(int slot);
__u64 hist_fine_percentile(const __u64 *slots, int n, double q);

/*
 * Print in the shape of bcc's print_log2_hist: "low -> high : count |***|",
 * values in nanoseconds, empty buckets at both ends left out.
 */
void hist_print_log2(FILE *f, const __u64 *slots, int n, const char *indent);

#endif

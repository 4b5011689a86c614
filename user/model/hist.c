// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>
#include "model/hist.h"

#define BAR_WIDTH 40

__u64 hist_slot_low(int slot)
{
	return slot <= 0 ? 0 : 1ULL << slot;
}

__u64 hist_slot_high(int slot)
{
	return slot >= 63 ? ~0ULL : (1ULL << (slot + 1)) - 1;
}

__u64 hist_total(const __u64 *slots, int n)
{
	__u64 sum = 0;
	int i;

	for (i = 0; i < n; i++)
		sum += slots[i];
	return sum;
}

void hist_add(__u64 *dst, const __u64 *src, int n)
{
	int i;

	for (i = 0; i < n; i++)
		dst[i] += src[i];
}

/* Bucket i of the fine scheme: [low, high], the values ksee_marks_lat_slot() puts there. */
__u64 hist_fine_low(int slot)
{
	int e;

	if (slot < 8)
		return slot < 0 ? 0 : (__u64)slot;
	e = (slot >> 3) + 2;
	return (__u64)(8 | (slot & 7)) << (e - 3);
}

__u64 hist_fine_high(int slot)
{
	int e;

	if (slot < 8)
		return slot < 0 ? 0 : (__u64)slot;
	e = (slot >> 3) + 2;
	if (slot >= KSEE_BILL_SLOTS - 1 || e >= 63)
		return ~0ULL;	/* the last bucket holds everything above */
	return hist_fine_low(slot) + (1ULL << (e - 3)) - 1;
}

static __u64 percentile(const __u64 *slots, int n, double q, __u64 (*low_of)(int),
			__u64 (*high_of)(int))
{
	__u64 total = hist_total(slots, n), seen = 0, low, high;
	double rank, frac;
	int i;

	if (!total)
		return 0;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	rank = q * (double)total;
	for (i = 0; i < n; i++) {
		if (!slots[i])
			continue;
		if ((double)(seen + slots[i]) >= rank) {
			low = low_of(i);
			high = high_of(i);
			if (high == ~0ULL)
				return low;	/* open above: its low end is all that is known */
			frac = (rank - (double)seen) / (double)slots[i];
			return low + (__u64)(frac * (double)(high - low));
		}
		seen += slots[i];
	}
	return high_of(n - 1);
}

__u64 hist_percentile(const __u64 *slots, int n, double q)
{
	return percentile(slots, n, q, hist_slot_low, hist_slot_high);
}

__u64 hist_fine_percentile(const __u64 *slots, int n, double q)
{
	return percentile(slots, n, q, hist_fine_low, hist_fine_high);
}

static void print_bar(FILE *f, __u64 count, __u64 max)
{
	int stars = max ? (int)((count * BAR_WIDTH + max - 1) / max) : 0, i;

	fputc('|', f);
	for (i = 0; i < BAR_WIDTH; i++)
		fputc(i < stars ? '*' : ' ', f);
	fputc('|', f);
}

void hist_print_log2(FILE *f, const __u64 *slots, int n, const char *indent)
{
	int first = -1, last = -1, i;
	__u64 max = 0;

	for (i = 0; i < n; i++) {
		if (!slots[i])
			continue;
		if (first < 0)
			first = i;
		last = i;
		if (slots[i] > max)
			max = slots[i];
	}
	if (first < 0) {
		fprintf(f, "%s(no samples)\n", indent);
		return;
	}
	fprintf(f, "%s%24s : %-8s %s\n", indent, "nsecs", "count", "distribution");
	for (i = first; i <= last; i++) {
		fprintf(f, "%s%11llu -> %-10llu : %-8llu ", indent,
			(unsigned long long)hist_slot_low(i),
			(unsigned long long)hist_slot_high(i), (unsigned long long)slots[i]);
		print_bar(f, slots[i], max);
		fputc('\n', f);
	}
}

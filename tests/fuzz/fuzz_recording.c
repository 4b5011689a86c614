// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: any bytes given to the recording reader, and whatever
 * it accepts given to every renderer. Nothing may crash, hang or leak.
 */
#include <stdint.h>
#include <stdio.h>
#include "output/recording.h"
#include "output/render.h"
#include "output/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_opts ro = { .max_threads = 20, .max_edges = 10, .histograms = true };
	struct ks_report r = { 0 };
	struct rec_file rf;
	static FILE *null;
	char err[256];
	FILE *f;
	int fmt, i;

	if (!size)
		return 0;
	if (!null)
		null = fopen("/dev/null", "w");
	f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	if (rec_read(&rf, f, err, sizeof(err)) == 0) {
		if (rf.cmp) {
			r.cmp = rf.cmp;
		} else {
			for (i = 1; i < REC_MAX_TRACES && !rf.have[i]; i++)
				;
			r.tr = &rf.traces[i];
			r.events = &rf.events[i];
		}
		for (fmt = KS_FMT_TEXT; fmt <= KS_FMT_PERFETTO; fmt++)
			ks_render(null, fmt, &r, &ro);
	}
	rec_free(&rf);
	fclose(f);
	return 0;
}

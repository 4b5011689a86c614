// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: any bytes as the timeline's spool (struct ksee_event
 * records, as ksee writes them while tracing), read back by the timeline
 * and by every renderer that reads events. Nothing may crash, hang or
 * leak, whatever the events say (unknown types, huge task ids, time
 * running backwards).
 */
#include <stdint.h>
#include <stdio.h>
#include "model/events.h"
#include "model/model.h"
#include "model/timeline.h"
#include "output/render.h"
#include "output/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_opts ro = { .max_threads = 20, .max_edges = 10, .histograms = true };
	struct ks_events ev = { 0 };
	struct ks_report r = { 0 };
	struct timeline tl;
	struct ks_trace tr;
	static FILE *null;
	int fmt;

	if (size < sizeof(struct ksee_event))
		return 0;
	if (!null)
		null = fopen("/dev/null", "w");
	ev.f = fmemopen((void *)data, size, "rb");
	if (!ev.f)
		return 0;
	/* as the spool says: its count, and a file that may end early */
	ev.count = size / sizeof(struct ksee_event) + (data[0] & 1);
	ev.lost = data[0] >> 4;
	timeline_build(&tl, &ev, 0, 0, 0, 0);
	timeline_free(&tl);
	ks_trace_init(&tr);
	tr.mode = "run";
	tr.start_ns = 1;
	tr.end_ns = 1 + ((uint64_t)data[1] << 32 | data[2]);
	tr.timeline = true;
	tr.timeline_events = ev.count;
	ks_trace_finish(&tr);
	r.tr = &tr;
	r.events = &ev;
	for (fmt = KS_FMT_TEXT; fmt <= KS_FMT_PERFETTO; fmt++)
		ks_render(null, fmt, &r, &ro);
	ks_trace_free(&tr);
	fclose(ev.f);
	return 0;
}

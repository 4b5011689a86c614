// SPDX-License-Identifier: MIT
/*
 * markbench: the cost of one task marker (include/ksee/usdt.h). One
 * thread, pinned, marks OPS requests: start, await, resume, done (four
 * markers each), with nothing else in the loop. The result line counts
 * markers as operations, so ns per marker = elapsed_s / ops, and the
 * batches (-b requests each, workload.h) give fast_ns and median_ns per
 * marker:
 *   workload=markbench ops=N elapsed_s=X ops_per_s=X batches=N batch_ops=N fast_ns=X median_ns=X
 * Untraced that is the markers' own cost; under `ksee run` the marker
 * block's (the default) or, with --markers=usdt, a uprobe trap's.
 */
#include <ksee/usdt.h>
#include "workload.h"

int main(int argc, char **argv)
{
	struct wl_opts o = { .ops = 2000000, .cpu = 1, .threads = 2, .batch = 12288 };
	struct batch_log log = { 0 };
	double t0, t, deadline;
	long i = 0, end;

	wl_parse(argc, argv, &o, "task markers in a loop (default 2000000 requests, 4 markers each)");
	wl_pin(o.cpu);
	KSEE_REQUEST_START(-1);	/* the thread's one registration, outside the timing */
	KSEE_REQUEST_DONE(-1);
	t0 = wl_batch_mark(&log, 0);
	deadline = o.seconds ? t0 + o.seconds : 0;
	for (;;) {
		end = i + o.batch;
		if (!deadline && end > o.ops)
			end = o.ops;
		for (; i < end; i++) {
			KSEE_REQUEST_START(i);
			KSEE_AWAIT(i);
			KSEE_RESUME(i);
			KSEE_REQUEST_DONE(i);
		}
		t = wl_batch_mark(&log, 4 * i);
		if (deadline ? t >= deadline : i >= o.ops)
			break;
	}
	wl_report("markbench", 4 * i, t - t0, &log, 4 * o.batch);
	return 0;
}

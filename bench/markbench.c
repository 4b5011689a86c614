// SPDX-License-Identifier: MIT
/*
 * markbench: the cost of one task marker (include/ksee/usdt.h). One
 * thread, pinned, marks OPS requests: start, await, resume, done (four
 * markers each), with nothing else in the loop. The result line counts
 * markers as operations, so ns per marker = elapsed_s / ops:
 *   workload=markbench ops=N elapsed_s=X ops_per_s=X
 * Untraced that is the markers' own cost; under `ksee run` the marker
 * block's (the default) or, with --markers=usdt, a uprobe trap's.
 */
#include <ksee/usdt.h>
#include "workload.h"

int main(int argc, char **argv)
{
	struct wl_opts o = { .ops = 2000000, .cpu = 1, .threads = 2 };
	double t0;
	long i;

	wl_parse(argc, argv, &o, "task markers in a loop (default 2000000 requests, 4 markers each)");
	wl_pin(o.cpu);
	KSEE_REQUEST_START(-1);	/* the thread's one registration, outside the timing */
	KSEE_REQUEST_DONE(-1);
	t0 = wl_now();
	for (i = 0; i < o.ops; i++) {
		KSEE_REQUEST_START(i);
		KSEE_AWAIT(i);
		KSEE_RESUME(i);
		KSEE_REQUEST_DONE(i);
	}
	wl_report("markbench", 4 * o.ops, wl_now() - t0);
	return 0;
}

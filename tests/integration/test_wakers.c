// SPDX-License-Identifier: GPL-2.0-only
/*
 * Who woke whom when the network stack does the wakeup: over loopback TCP
 * the receive runs as a softirq in the sender's own context, so the sender
 * is the waker ("via softirq"), not an interrupt (tests/progs/tcp_pair.c).
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#define ROUNDS	2000

/* Wakeups of WAKEE by WAKER with via_softirq VIA, and by interrupts. */
static void count_edges(json_object *r, int64_t waker, int64_t wakee, int64_t *via,
			int64_t *irq)
{
	json_object *edges = harness_get(r, "wakeups"), *e;
	size_t i, n = edges ? json_object_array_length(edges) : 0;

	*via = *irq = 0;
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(edges, i);
		if (harness_int(e, "wakee_tid") != wakee)
			continue;
		if (!strcmp(json_object_get_string(harness_get(e, "waker_kind")), "interrupt"))
			*irq += harness_int(e, "count");
		else if (harness_int(e, "waker_tid") == waker &&
			 json_object_get_boolean(harness_get(e, "via_softirq")))
			*via += harness_int(e, "count");
	}
}

static void test_wakers_loopback_tcp(void **state)
{
	const char *argv[] = { harness_prog("tcp_pair"), "2000", NULL };
	struct harness_proc p;
	json_object *r;
	int server, client;
	long echoed;
	int64_t via, irq;

	harness_require_root();
	r = harness_run_prog(&p, NULL, argv, 0);
	if (sscanf(p.out, "tcp_pair: server %d echoed %ld bytes to client %d", &server, &echoed,
		   &client) != 3)
		fail_msg("tcp_pair said: %s", p.out);
	harness_expect_eq("bytes echoed", echoed, ROUNDS);

	/*
	 * Each round the reader is mostly asleep when the byte comes (a few
	 * hundred to all ROUNDS wakeups); nearly all of them are the
	 * sender's, via softirq. Under load some softirqs run on the way out
	 * of an interrupt or in ksoftirqd instead: allow a fifth of them.
	 */
	count_edges(r, client, server, &via, &irq);
	harness_expect_range("client -> server via softirq", via, ROUNDS / 10, ROUNDS + 2);
	harness_expect_range("interrupt -> server", irq, 0, via / 5);
	count_edges(r, server, client, &via, &irq);
	harness_expect_range("server -> client via softirq", via, ROUNDS / 10, ROUNDS + 2);
	harness_expect_range("interrupt -> client", irq, 0, via / 5);
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_wakers_loopback_tcp, harness_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

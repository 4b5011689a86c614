// SPDX-License-Identifier: GPL-2.0-only
/*
 * How long rendering a large timeline takes, and how much memory: N
 * synthetic events (default 10 million) of T threads in 4 processes,
 * written to a spool, then rendered as a Perfetto trace to /dev/null.
 * With --json-c-tree N, instead builds the same trace's slices as a json-c
 * tree in memory (what a non-streaming writer would hold) and prints its
 * peak RSS. `make bench-render`; docs/formats.md has the numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <json-c/json.h>
#include "model/events.h"
#include "model/model.h"
#include "output/render.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Each thread cycles RUN, BLOCK(read), WAKE (by the next thread), RUN, PREEMPT. */
static void synth(struct ksee_event *e, unsigned long long i, unsigned int threads)
{
	unsigned int t = i % threads, step = (i / threads) % 5;

	memset(e, 0, sizeof(*e));
	e->ts_ns = 1000000000ULL + i * 1000;
	e->tid = 1000 + t;
	e->tgid = 1000 + t % 4;
	e->cpu = t % 2;
	switch (step) {
	case 0: case 3: e->type = KSEE_EV_RUN; break;
	case 1: e->type = KSEE_EV_BLOCK; e->arg = KSEE_R_READ; break;
	case 2: e->type = KSEE_EV_WAKE; e->arg = 1000 + (t + 1) % threads;
		e->arg2 = 1000 + (t + 1) % threads % 4; break;
	case 4: e->type = KSEE_EV_PREEMPT; break;
	}
}

static int json_c_tree(unsigned long long n)
{
	struct json_object *a = json_object_new_array(), *o, *args;
	unsigned long long i;
	double t0 = now();

	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "ph", json_object_new_string("X"));
		json_object_object_add(o, "pid", json_object_new_int(1000 + i % 4));
		json_object_object_add(o, "tid", json_object_new_int(1000 + i % 64));
		json_object_object_add(o, "ts", json_object_new_double(i * 1.0));
		json_object_object_add(o, "dur", json_object_new_double(1.0));
		json_object_object_add(o, "cat", json_object_new_string("state"));
		json_object_object_add(o, "name", json_object_new_string("Blocked: read"));
		args = json_object_new_object();
		json_object_object_add(args, "reason", json_object_new_string("read"));
		json_object_object_add(args, "uninterruptible", json_object_new_boolean(0));
		json_object_object_add(o, "args", args);
		json_object_array_add(a, o);
	}
	printf("json-c tree of %llu slices: %.2f s, peak RSS %ld MiB\n", n, now() - t0,
	       peak_rss_kb() / 1024);
	json_object_put(a);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long n = 10000000ULL, i, chunk = 4096;
	unsigned int threads = 64;
	struct ksee_event buf[4096];
	struct ks_report r = { 0 };
	struct ks_events ev;
	struct ks_trace tr;
	double t0, t1;
	FILE *out;
	int err;

	if (argc > 2 && !strcmp(argv[1], "--json-c-tree"))
		return json_c_tree(strtoull(argv[2], NULL, 0));
	if (argc > 1)
		n = strtoull(argv[1], NULL, 0);
	if (ks_events_spool(&ev))
		return 1;
	for (i = 0; i < n; i += chunk) {
		unsigned long long k, m = n - i < chunk ? n - i : chunk;

		for (k = 0; k < m; k++)
			synth(&buf[k], i + k, threads);
		if (ks_events_append(&ev, buf, m))
			return 1;
	}
	ks_trace_init(&tr);
	tr.start_ns = 1000000000ULL;
	tr.end_ns = tr.start_ns + n * 1000 + 1000;
	ks_trace_finish(&tr);
	r.tr = &tr;
	r.events = &ev;
	out = fopen(getenv("OUT") ? getenv("OUT") : "/dev/null", "w");
	t0 = now();
	err = render_perfetto(out, &r);
	t1 = now();
	printf("perfetto: %llu events, %u threads: %.2f s, peak RSS %ld MiB, %s\n", n, threads,
	       t1 - t0, peak_rss_kb() / 1024, err ? "FAILED" : "ok");
	fclose(out);
	ks_events_close(&ev);
	ks_trace_free(&tr);
	return !!err;
}

/* Small hand-made traces for the model and report tests. */
#ifndef KSEE_TEST_FIXTURES_H
#define KSEE_TEST_FIXTURES_H

#include <string.h>
#include "model.h"

#define MS 1000000ULL

static inline struct ksee_task fx_task(__u32 tid, __u32 tgid, const char *comm, __u64 on_cpu_ms)
{
	struct ksee_task kt;

	memset(&kt, 0, sizeof(kt));
	kt.st.tid = tid;
	kt.st.tgid = tgid;
	kt.st.start_ns = 1000 * MS;
	kt.st.end_ns = 2000 * MS;
	kt.st.flags = KSEE_TF_EXITED | (tid == tgid ? KSEE_TF_LEADER : 0);
	kt.st.on_cpu_ns = on_cpu_ms * MS;
	kt.st.cpus_mask = 1;
	strncpy(kt.st.comm, comm, sizeof(kt.st.comm) - 1);
	return kt;
}

static inline struct ksee_proc fx_proc(__u32 tgid, __u64 start_ms, __u64 end_ms)
{
	struct ksee_proc p;

	memset(&p, 0, sizeof(p));
	p.tgid = tgid;
	p.ppid = 1;
	p.uid = 1000;
	p.start_ns = start_ms * MS;
	p.end_ns = end_ms * MS;
	p.peak_running = 2;
	strcpy(p.comm, "demo");
	return p;
}

/* pid 100: main + worker; 4 ms and 6 ms on CPU in a 100 ms life. */
static inline void fx_two_threads(struct ks_trace *tr)
{
	struct ksee_task a = fx_task(100, 100, "demo", 4), b = fx_task(101, 100, "worker", 6);
	struct ksee_proc p = fx_proc(100, 1000, 1100);
	struct ksee_edge_key k = { .wakee_tgid = 100, .wakee_tid = 101, .waker_tid = 100,
				   .waker_tgid = 100 };
	struct ksee_edge e = { .count = 4 };

	ks_trace_init(tr);
	tr->mode = "run";
	tr->start_ns = 1000 * MS;
	tr->end_ns = 1100 * MS;
	a.st.voluntary = 5;
	a.st.blocked_ns[KSEE_R_FUTEX] = 80 * MS;
	a.st.sys[KSEE_R_FUTEX].calls = 5;
	a.st.sys[KSEE_R_FUTEX].blocked_calls = 5;
	a.st.sys[KSEE_R_FUTEX].blocked_ns = 80 * MS;
	b.st.voluntary = 4;
	b.st.involuntary = 1;
	b.st.blocked_ns[KSEE_R_READ] = 90 * MS;
	b.st.runq_ns = 2 * MS;
	b.st.runq_count = 5;
	b.st.runq_hist[14] = 5;
	b.st.off_hist[26] = 4;
	b.st.sys[KSEE_R_READ].calls = 4;
	b.st.sys[KSEE_R_READ].blocked_calls = 4;
	b.st.sys[KSEE_R_READ].blocked_ns = 90 * MS;
	strcpy(e.waker_comm, "demo");
	ks_trace_add_task(tr, &a, false);
	ks_trace_add_task(tr, &b, false);
	ks_trace_add_proc(tr, &p, false);
	ks_trace_add_edge(tr, &k, &e);
}

#endif

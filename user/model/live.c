// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "model/live.h"

/*
 * Add the counters of @src to @dst. Every __u64 from on_cpu_ns up to the
 * identity fields is a counter or a histogram bucket except cpus_mask (a
 * set) and the start and end times, fixed up after the sum; a counter
 * added to struct ksee_task_stats in that range is folded without a
 * change here.
 */
static void stats_add(struct ksee_task_stats *dst, const struct ksee_task_stats *src)
{
	const size_t first = offsetof(struct ksee_task_stats, on_cpu_ns);
	const size_t end = offsetof(struct ksee_task_stats, tid);
	__u64 mask = dst->cpus_mask | src->cpus_mask;
	__u64 *d = (__u64 *)((char *)dst + first);
	const __u64 *s = (const __u64 *)((const char *)src + first);
	size_t i;

	for (i = 0; i < (end - first) / sizeof(__u64); i++)
		d[i] += s[i];
	dst->cpus_mask = mask;
	if (src->start_ns && (!dst->start_ns || src->start_ns < dst->start_ns))
		dst->start_ns = src->start_ns;
	if (src->end_ns > dst->end_ns)
		dst->end_ns = src->end_ns;
}

static void fold_process(struct ks_process *p)
{
	struct ks_thread folded, *t;
	bool have = false;
	size_t i, n = 0;

	memset(&folded, 0, sizeof(folded));
	for (i = 0; i < p->nthreads; i++) {
		t = &p->threads[i];
		if (t->alive) {
			p->threads[n++] = *t;
			continue;
		}
		if (!have || t->st.tid == t->st.tgid)
			memcpy(folded.st.comm, t->st.comm, sizeof(folded.st.comm));
		if (!have)
			folded.st.tgid = t->st.tgid;
		stats_add(&folded.st, &t->st);
		have = true;
	}
	if (!have)
		return;
	folded.st.tid = KS_LIVE_FOLDED_TID;
	folded.st.flags = KSEE_TF_EXITED;
	folded.kind = KS_KIND_THREAD;
	folded.alive = false;
	p->threads[n++] = folded;	/* n <= nthreads: there was a dead one */
	p->nthreads = n;
}

int ks_live_fold(struct ks_trace *acc)
{
	size_t i;

	for (i = 0; i < acc->nprocs; i++)
		fold_process(&acc->procs[i]);
	return 0;
}

static void drop_index(struct ks_trace *tr)
{
	free(tr->pid_index);
	tr->pid_index = NULL;
	tr->index_cap = 0;	/* rebuilt by the next lookup */
}

/*
 * After many processes are forgotten, give back the room the process
 * array kept for them: it is large (mapped apart by malloc), and the
 * pages of its peak would stay resident, so that the memory of `ksee
 * serve` would follow the most processes ever traced at once, not those
 * traced now.
 */
static void shrink_procs(struct ks_trace *acc)
{
	size_t cap = acc->nprocs * 2 > 16 ? acc->nprocs * 2 : 16;
	struct ks_process *p;

	if (acc->cap_procs <= 64 || acc->nprocs >= acc->cap_procs / 4)
		return;
	p = realloc(acc->procs, cap * sizeof(*p));
	if (!p)
		return;	/* the larger array still holds them */
	acc->procs = p;
	acc->cap_procs = cap;
}

size_t ks_live_forget(struct ks_trace *acc, __u64 before_ns)
{
	size_t i, n = 0, gone = 0;

	for (i = 0; i < acc->nprocs; i++) {
		struct ks_process *p = &acc->procs[i];

		if (p->have_kp && !p->alive && p->kp.end_ns && p->kp.end_ns < before_ns) {
			free(p->threads);
			free(p->ops);
			free(p->bill_hist);
			gone++;
			continue;
		}
		acc->procs[n++] = *p;
	}
	if (gone) {
		acc->nprocs = n;
		drop_index(acc);
		shrink_procs(acc);
	}
	return gone;
}

/* Take the live row of task @tid out of @p: its final record replaces it. */
static void remove_thread(struct ks_process *p, __u32 tid)
{
	size_t i;

	for (i = 0; i < p->nthreads; i++) {
		if (p->threads[i].alive && p->threads[i].st.tid == tid) {
			p->threads[i] = p->threads[--p->nthreads];
			return;
		}
	}
}

int ks_live_merge(struct ks_trace *snap, const struct ks_trace *acc)
{
	struct ksee_task kt;
	struct ks_process *sp;
	size_t i, j;
	int ret;

	memset(&kt, 0, sizeof(kt));
	for (i = 0; i < acc->nprocs; i++) {
		const struct ks_process *p = &acc->procs[i];

		sp = ks_trace_find(snap, p->pid);
		/* the pid was reused by a process that started after this one ended */
		if (sp && sp->have_kp && p->have_kp && p->kp.end_ns &&
		    sp->kp.start_ns > p->kp.end_ns)
			continue;
		for (j = 0; j < p->nthreads; j++) {
			if (sp && p->threads[j].st.tid != KS_LIVE_FOLDED_TID)
				remove_thread(sp, p->threads[j].st.tid);
			kt.st = p->threads[j].st;
			ret = ks_trace_add_task(snap, &kt, false);
			if (ret)
				return ret;
			sp = ks_trace_find(snap, p->pid);
		}
		if (p->have_kp) {
			ret = ks_trace_add_proc(snap, &p->kp, p->alive);
			if (ret)
				return ret;
		}
		/* handed over when it ended: the live map no longer holds it */
		if (p->bill_hist) {
			ret = ks_trace_add_bill(snap, p->pid, p->bill_hist);
			if (ret)
				return ret;
		}
	}
	return 0;
}

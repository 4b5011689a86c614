// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/model.h"
#include "model/stacks.h"

int ks_stacks_add(struct ks_stacks *ss, struct ks_stack *s)
{
	if (ss->n == ss->cap) {
		size_t ncap = ss->cap ? ss->cap * 2 : 64;
		struct ks_stack *v = realloc(ss->v, ncap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ss->v = v;
		ss->cap = ncap;
	}
	ss->v[ss->n++] = *s;
	memset(s, 0, sizeof(*s));
	return 0;
}

void ks_stack_free(struct ks_stack *s)
{
	__u32 i;

	for (i = 0; i < s->nframes; i++) {
		free(s->frames[i].name);
		free(s->frames[i].module);
		free(s->frames[i].file);
	}
	free(s->frames);
	memset(s, 0, sizeof(*s));
}

void ks_stacks_free(struct ks_stacks *ss)
{
	size_t i;

	for (i = 0; i < ss->n; i++)
		ks_stack_free(&ss->v[i]);
	free(ss->v);
	free(ss->groups);
	memset(ss, 0, sizeof(*ss));
}

static int cmp_u32(__u32 a, __u32 b)
{
	return a < b ? -1 : a > b;
}

/* The same frames: names and kinds, leaf to root. */
static int cmp_frames(const struct ks_stack *a, const struct ks_stack *b)
{
	__u32 i, n = a->nframes < b->nframes ? a->nframes : b->nframes;
	int c;

	for (i = 0; i < n; i++) {
		c = strcmp(a->frames[i].name, b->frames[i].name);
		if (c)
			return c;
		c = cmp_u32(a->frames[i].flags, b->frames[i].flags);
		if (c)
			return c;
	}
	return cmp_u32(a->nframes, b->nframes);
}

bool ks_stack_same_frames(const struct ks_stack *a, const struct ks_stack *b)
{
	return !cmp_frames(a, b);
}

static int cmp_stack(const void *pa, const void *pb)
{
	const struct ks_stack *a = pa, *b = pb;
	int c = cmp_u32(a->tgid, b->tgid);

	if (!c)
		c = cmp_u32(a->reason, b->reason);
	if (!c)
		c = cmp_frames(a, b);
	if (!c)
		c = cmp_u32(a->tid, b->tid);
	return c;
}

/* By process (in the trace's order of processes), then reason time, then group time. */
static const struct ks_trace *sort_tr;

static __u64 reason_ns(const struct ks_trace *tr, __u32 tgid, __u32 reason)
{
	const struct ks_process *p = ks_trace_find(tr, tgid);

	return p && reason < KSEE_R_NR ? p->sum.blocked_ns[reason] : 0;
}

static long proc_rank(const struct ks_trace *tr, __u32 tgid)
{
	const struct ks_process *p = ks_trace_find(tr, tgid);

	return p ? (long)(p - tr->procs) : (long)tr->nprocs + tgid;
}

static int cmp_group(const void *pa, const void *pb)
{
	const struct ks_stack_group *a = pa, *b = pb;
	long ra = proc_rank(sort_tr, a->tgid), rb = proc_rank(sort_tr, b->tgid);
	__u64 ta, tb;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a->reason != b->reason) {
		ta = reason_ns(sort_tr, a->tgid, a->reason);
		tb = reason_ns(sort_tr, b->tgid, b->reason);
		if (ta != tb)
			return ta > tb ? -1 : 1;
		return cmp_u32(a->reason, b->reason);
	}
	if (a->blocked_ns != b->blocked_ns)
		return a->blocked_ns > b->blocked_ns ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return cmp_frames(a->stack, b->stack);
}

int ks_stacks_finish(struct ks_trace *tr)
{
	struct ks_stacks *ss = &tr->stacks;
	struct ks_stack_group *g = NULL;
	size_t i;
	__u64 total;

	free(ss->groups);
	ss->groups = NULL;
	ss->ngroups = 0;
	if (!ss->n)
		return 0;
	qsort(ss->v, ss->n, sizeof(*ss->v), cmp_stack);
	ss->groups = calloc(ss->n, sizeof(*ss->groups));
	if (!ss->groups)
		return -ENOMEM;
	for (i = 0; i < ss->n; i++) {
		const struct ks_stack *s = &ss->v[i];

		if (!g || g->tgid != s->tgid || g->reason != s->reason || cmp_frames(g->stack, s)) {
			g = &ss->groups[ss->ngroups++];
			g->tgid = s->tgid;
			g->reason = s->reason;
			g->stack = s;
		}
		g->nthreads += !i || ss->v[i - 1].tid != s->tid || g->stack == s;
		g->flags |= s->flags;
		g->count += s->count;
		g->blocked_ns += s->blocked_ns;
	}
	for (i = 0; i < ss->ngroups; i++) {
		g = &ss->groups[i];
		total = reason_ns(tr, g->tgid, g->reason);
		g->share = total ? (double)g->blocked_ns / (double)total : 0;
		if (g->share > 1)
			g->share = 1;
	}
	sort_tr = tr;
	qsort(ss->groups, ss->ngroups, sizeof(*ss->groups), cmp_group);
	sort_tr = NULL;
	return 0;
}

size_t ks_stacks_top(const struct ks_stacks *ss, const struct ks_stack_group **out, size_t n)
{
	size_t i, k = 0, j;

	/* insertion into the n kept so far: n is small */
	for (i = 0; i < ss->ngroups; i++) {
		const struct ks_stack_group *g = &ss->groups[i];

		if (k == n && (!n || out[n - 1]->blocked_ns >= g->blocked_ns))
			continue;
		j = k < n ? k++ : n - 1;
		for (; j > 0 && out[j - 1]->blocked_ns < g->blocked_ns; j--)
			out[j] = out[j - 1];
		out[j] = g;
	}
	return k;
}

const struct ks_stack *ks_stacks_thread_top(const struct ks_stacks *ss, __u32 tgid, __u32 tid)
{
	const struct ks_stack *best = NULL;
	size_t i;

	for (i = 0; i < ss->n; i++)
		if (ss->v[i].tgid == tgid && ss->v[i].tid == tid &&
		    (!best || ss->v[i].blocked_ns > best->blocked_ns))
			best = &ss->v[i];
	return best;
}

static int cmp_by_thread(const void *pa, const void *pb)
{
	const struct ks_stack *a = *(const struct ks_stack *const *)pa;
	const struct ks_stack *b = *(const struct ks_stack *const *)pb;
	int c = cmp_u32(a->tid, b->tid);

	if (!c)
		c = cmp_u32(a->reason, b->reason);
	return c ? c : cmp_frames(a, b);
}

struct ks_thread_stacks *ks_stacks_by_thread(const struct ks_stacks *ss, size_t *n)
{
	const struct ks_stack **v;
	struct ks_thread_stacks *out, *e = NULL;
	size_t i;

	*n = 0;
	if (!ss->n)
		return NULL;
	v = malloc(ss->n * sizeof(*v));
	out = calloc(ss->n, sizeof(*out));
	if (!v || !out) {
		free(v);
		free(out);
		return NULL;
	}
	for (i = 0; i < ss->n; i++)
		v[i] = &ss->v[i];
	qsort(v, ss->n, sizeof(*v), cmp_by_thread);
	for (i = 0; i < ss->n; i++) {
		if (!e || e->tid != v[i]->tid || e->reason != v[i]->reason) {
			e = &out[(*n)++];
			e->tid = v[i]->tid;
			e->reason = v[i]->reason;
			e->longest = v[i];
			e->nstacks = 1;
		} else {
			e->nstacks += cmp_frames(v[i - 1], v[i]) != 0;
			if (v[i]->blocked_ns > e->longest->blocked_ns)
				e->longest = v[i];
		}
	}
	free(v);
	return out;
}

const struct ks_stack_group *ks_stacks_of(const struct ks_stacks *ss, __u32 tgid, size_t *n)
{
	size_t i, j;

	for (i = 0; i < ss->ngroups && ss->groups[i].tgid != tgid; i++)
		;
	for (j = i; j < ss->ngroups && ss->groups[j].tgid == tgid; j++)
		;
	*n = j - i;
	return j > i ? &ss->groups[i] : NULL;
}

int ks_frame_label(const struct ks_frame *fr, char *buf, size_t len)
{
	return snprintf(buf, len, "%s%s%s", fr->name,
			(fr->flags & KS_FRAME_INLINED) ? " [inlined]" : "",
			(fr->flags & KS_FRAME_KERNEL) ? "_[k]" : "");
}

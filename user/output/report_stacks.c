// SPDX-License-Identifier: GPL-2.0-only
/* --stacks in the text report, the JSON report and the folded format. */
#include <errno.h>
#include <string.h>
#include <json-c/json.h>
#include "output/fmt.h"
#include "output/render.h"
#include "output/report.h"
#include "model/comparison.h"
#include "model/syscalls.h"

#define STACKS_TOP_DEFAULT 5

static const char *reason_name(__u32 r)
{
	return syscalls_reason_label(r < KSEE_R_NR ? r : KSEE_R_OTHER);
}

/* What is missing from a stack, in words; NULL if nothing. */
static const char *const flag_notes[] = {
	"[user stack cut: the stack copy ended before its outermost frame]",
	"[user stack incomplete: unwinding stopped (no unwind information)]",
	"[user stack unknown: not unwound (process gone, or the copy was lost)]",
	"[kernel stack not taken]",
	"[user stack not shown: the process ran as another user than the one who ran sudo]",
};

static void print_frame(FILE *f, const struct ks_frame *fr)
{
	fprintf(f, "           %s%s", fr->name, (fr->flags & KS_FRAME_INLINED) ? " [inlined]" : "");
	if (fr->file && fr->line)
		fprintf(f, " (%s:%u)", fr->file, fr->line);
	else if (fr->module && !(fr->flags & KS_FRAME_NOSYM))
		fprintf(f, " (%s)", fr->module);
	fputc('\n', f);
}

static void print_group(FILE *f, const struct ks_trace *tr, const struct ks_stack_group *g,
			unsigned int rank)
{
	const struct ks_stack *s = g->stack;
	char b[FMT_LEN];
	__u32 i, col;
	size_t k;

	fprintf(f, "      #%u %s (%.1f%%), %llu sleep%s, ", rank, fmt_ns(b, sizeof(b), g->blocked_ns),
		100.0 * g->share, (unsigned long long)g->count, g->count == 1 ? "" : "s");
	if (g->nthreads == 1)
		fprintf(f, "thread %u %s\n", s->tid, ks_thread_comm(tr, s->tgid, s->tid));
	else
		fprintf(f, "%u threads (first %u %s)\n", g->nthreads, s->tid,
			ks_thread_comm(tr, s->tgid, s->tid));
	if (s->nkernel) {
		fprintf(f, "           kernel:");
		col = 18;
		for (i = 0; i < s->nkernel; i++) {
			size_t len = strlen(s->frames[i].name) + 3;

			if (i && col + len > 98) {
				fprintf(f, "\n                  ");
				col = 18;
			}
			fprintf(f, "%s %s", i ? " <" : "", s->frames[i].name);
			col += len;
		}
		fputc('\n', f);
	}
	for (i = s->nkernel; i < s->nframes; i++)
		print_frame(f, &s->frames[i]);
	for (k = 0; k < sizeof(flag_notes) / sizeof(flag_notes[0]); k++)
		if (g->flags & (1u << k))
			fprintf(f, "           %s\n", flag_notes[k]);
}

void report_text_stacks(FILE *f, const struct ks_trace *tr, const struct ks_process *p,
			unsigned int top)
{
	const struct ks_stack_group *g;
	unsigned int rank = 0;
	char b[FMT_LEN];
	size_t i, n;

	if (!tr->features.stacks)
		return;
	if (!top)
		top = STACKS_TOP_DEFAULT;
	g = ks_stacks_of(&tr->stacks, p->pid, &n);
	if (!n) {
		fprintf(f, "    where it slept: no stack taken\n");
		return;
	}
	fprintf(f, "    where it slept (top %u stacks per reason; share of the reason's time)\n", top);
	if (tr->drops.stacks)
		fprintf(f, "    (%llu sleeps of the trace have no stack: the stack map or ring was "
			"full; their time is in the totals only)\n",
			(unsigned long long)tr->drops.stacks);
	for (i = 0; i < n; i++) {
		if (!i || g[i].reason != g[i - 1].reason) {
			rank = 0;
			fprintf(f, "    %s, %s blocked\n", reason_name(g[i].reason),
				fmt_ns(b, sizeof(b), g[i].reason < KSEE_R_NR ?
				       p->sum.blocked_ns[g[i].reason] : 0));
		}
		if (++rank <= top)
			print_group(f, tr, &g[i], rank);
		else if (rank == top + 1)
			fprintf(f, "      ... more stacks (--stacks-top N shows N)\n");
	}
}

static struct json_object *frame_json(const struct ks_frame *fr)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(fr->name));
	json_object_object_add(o, "module", fr->module ? json_object_new_string(fr->module) : NULL);
	json_object_object_add(o, "file", fr->file ? json_object_new_string(fr->file) : NULL);
	json_object_object_add(o, "line", fr->line ? json_object_new_int64(fr->line) : NULL);
	json_object_object_add(o, "kernel", json_object_new_boolean(fr->flags & KS_FRAME_KERNEL));
	json_object_object_add(o, "inlined", json_object_new_boolean(fr->flags & KS_FRAME_INLINED));
	json_object_object_add(o, "symbol", json_object_new_boolean(!(fr->flags & KS_FRAME_NOSYM)));
	return o;
}

static struct json_object *group_json(const struct ks_stack_group *g)
{
	struct json_object *o = json_object_new_object(), *fa;
	__u32 j;

	json_object_object_add(o, "reason", json_object_new_string(
		syscalls_family_name(g->reason < KSEE_R_NR ? g->reason : KSEE_R_OTHER)));
	json_object_object_add(o, "count", json_object_new_uint64(g->count));
	json_object_object_add(o, "blocked_ns", json_object_new_uint64(g->blocked_ns));
	json_object_object_add(o, "share", json_object_new_double(g->share));
	json_object_object_add(o, "threads", json_object_new_int64(g->nthreads));
	json_object_object_add(o, "first_tid", json_object_new_int64(g->stack->tid));
	json_object_object_add(o, "truncated", json_object_new_boolean(g->flags & KS_STACK_TRUNCATED));
	json_object_object_add(o, "unwind_error",
			       json_object_new_boolean(g->flags & KS_STACK_UNWIND_ERR));
	json_object_object_add(o, "user_lost", json_object_new_boolean(g->flags & KS_STACK_USER_LOST));
	json_object_object_add(o, "kernel_lost",
			       json_object_new_boolean(g->flags & KS_STACK_KERNEL_LOST));
	json_object_object_add(o, "user_hidden",
			       json_object_new_boolean(g->flags & KS_STACK_USER_HIDDEN));
	fa = json_object_new_array();
	for (j = 0; j < g->stack->nframes; j++)
		json_object_array_add(fa, frame_json(&g->stack->frames[j]));
	json_object_object_add(o, "frames", fa);
	return o;
}

struct json_object *report_json_stacks(const struct ks_trace *tr, __u32 pid)
{
	struct json_object *a = json_object_new_array();
	const struct ks_stack_group *g;
	size_t i, n;

	g = ks_stacks_of(&tr->stacks, pid, &n);
	for (i = 0; i < n; i++)
		json_object_array_add(a, group_json(&g[i]));
	return a;
}

struct json_object *report_json_top_stacks(const struct ks_trace *tr, size_t n)
{
	const struct ks_stack_group *top[CMP_TOP_STACKS_MAX];
	struct json_object *a = json_object_new_array(), *x;
	size_t i, k;

	k = ks_stacks_top(&tr->stacks, top, n < CMP_TOP_STACKS_MAX ? n : CMP_TOP_STACKS_MAX);
	for (i = 0; i < k; i++) {
		x = group_json(top[i]);
		json_object_object_add(x, "pid", json_object_new_int64(top[i]->tgid));
		json_object_array_add(a, x);
	}
	return a;
}

void report_stack_line(FILE *f, const struct ks_stack *s, unsigned int max)
{
	__u32 i, k, shown = 0;

	for (i = s->nkernel; i < s->nframes && shown < max; i++, shown++)
		fprintf(f, "%s%s", shown ? " < " : "", s->frames[i].name);
	if (i < s->nframes)
		fputs(" < ...", f);
	if (shown)
		return;
	/* no user frames: where in the kernel, below the scheduler */
	for (k = 0; k < s->nkernel && (!strcmp(s->frames[k].name, "__schedule") ||
				       !strcmp(s->frames[k].name, "schedule")); k++)
		;
	for (i = k; i < s->nkernel && i < k + max; i++)
		fprintf(f, "%s%s [k]", i > k ? " < " : "", s->frames[i].name);
	if (i == k)
		fputs("[no frames]", f);
}

/* The top stacks of each model: one line each. */
void report_text_cmp_stacks(FILE *f, const struct cmp_run *run)
{
	const struct ks_stack_group *top[CMP_TOP_STACKS];
	char b[FMT_LEN];
	size_t i, k;
	int m, any = 0;

	for (m = 0; m < CMP_NMODELS; m++) {
		if (!run->traces[m])
			continue;
		if (!any++)
			fprintf(f, "\nwhere each model's threads slept (--stacks: top %d stacks; "
				"share of the model's time in that reason)\n", CMP_TOP_STACKS);
		k = ks_stacks_top(&run->traces[m]->stacks, top, CMP_TOP_STACKS);
		fprintf(f, "  %s%s\n", cmp_model_name(m), k ? "" : ": no stack taken");
		for (i = 0; i < k; i++) {
			fprintf(f, "    %9s %5.1f%% %-10s %2u thr  ", fmt_ns(b, sizeof(b),
				top[i]->blocked_ns), 100 * top[i]->share,
				reason_name(top[i]->reason), top[i]->nthreads);
			report_stack_line(f, top[i]->stack, 6);
			fputc('\n', f);
		}
	}
}

/* A folded frame: no ';' (the separator) and no line breaks; spaces are kept. */
static void put_folded(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == ';' ? ':' : (*s == '\n' || *s == '\r') ? ' ' : *s, f);
}

static void put_label(FILE *f, const struct ks_frame *fr)
{
	char buf[1024];

	ks_frame_label(fr, buf, sizeof(buf));
	put_folded(f, buf);
}

static bool same_line(const struct ks_stack *a, const struct ks_stack *b)
{
	return a->tgid == b->tgid && a->tid == b->tid && a->reason == b->reason &&
	       ks_stack_same_frames(a, b);
}

/*
 * One line per task, stack and reason: process-PID;thread-TID;root ...
 * leaf user frames;kernel frames, root first, then "_[k]";[reason] and the
 * time asleep there in microseconds (the weight a flame graph draws).
 */
int render_folded(FILE *f, const struct ks_report *r)
{
	const struct ks_trace *tr = r->tr;
	const struct ks_stack *s;
	char name[64];
	__u64 ns;
	size_t i;
	__u32 j;

	if (!tr || !tr->features.stacks)
		return -ENOTSUP;	/* refused earlier, with the reason */
	for (i = 0; i < tr->stacks.n; i++) {
		const struct ks_process *p;

		s = &tr->stacks.v[i];
		/* sorted: the same thread's sleeps at the same frames are next to each other */
		for (ns = s->blocked_ns; i + 1 < tr->stacks.n && same_line(s, &tr->stacks.v[i + 1]); i++)
			ns += tr->stacks.v[i + 1].blocked_ns;
		if (ns < 1000)
			continue;
		p = ks_trace_find(tr, s->tgid);
		snprintf(name, sizeof(name), "%s-%u", p ? ks_process_comm(p) : "?", s->tgid);
		put_folded(f, name);
		snprintf(name, sizeof(name), "%s-%u", ks_thread_comm(tr, s->tgid, s->tid), s->tid);
		fputc(';', f);
		put_folded(f, name);
		for (j = s->nframes; j-- > s->nkernel;) {
			fputc(';', f);
			put_label(f, &s->frames[j]);
		}
		for (j = s->nkernel; j-- > 0;) {
			fputc(';', f);
			put_label(f, &s->frames[j]);
		}
		fprintf(f, ";[%s] %llu\n", syscalls_family_name(s->reason < KSEE_R_NR ?
				s->reason : KSEE_R_OTHER), (unsigned long long)(ns / 1000));
	}
	return ferror(f) ? -EIO : 0;
}

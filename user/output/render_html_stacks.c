// SPDX-License-Identifier: GPL-2.0-only
/*
 * --stacks in the HTML report: an icicle graph of off-CPU time (root on
 * top: process, reason, then the frames from the outermost down to the
 * kernel's), coloured by reason, drawn here for all threads (readable
 * without script) and redrawn by the script for the thread picked.
 */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "output/html_sections.h"
#include "model/comparison.h"
#include "model/syscalls.h"
#include "output/report.h"

#define ICICLE_ROW	18	/* px per level */
#define ICICLE_DEPTH	64	/* levels drawn at most */
#define ICICLE_MIN	0.001	/* narrower nodes (share of the whole) are not drawn */

struct inode {
	const char *name;
	__u64 ns;
	__u32 reason;
	struct inode *child, *next;
};

static struct inode *child_of(struct inode *n, const char *name, __u32 reason)
{
	struct inode *c;

	for (c = n->child; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->name = name;
	c->reason = reason;
	c->next = n->child;
	n->child = c;
	return c;
}

static void tree_free(struct inode *n)
{
	struct inode *c, *next;

	for (c = n->child; c; c = next) {
		next = c->next;
		tree_free(c);
		free(c);
	}
}

/* The path of @s: process, reason, user frames root first, then kernel frames. */
static int tree_add(struct inode *root, const struct ks_stack *s, const char *proc)
{
	struct inode *n = root;
	__u32 j;

	root->ns += s->blocked_ns;
	n = child_of(n, proc, s->reason);
	if (n) {
		n->ns += s->blocked_ns;
		n = child_of(n, syscalls_reason_label(s->reason), s->reason);
	}
	for (j = s->nframes; n && j-- > 0;) {
		n->ns += s->blocked_ns;
		n = child_of(n, s->frames[j].name, s->reason);
	}
	if (!n)
		return -1;
	n->ns += s->blocked_ns;
	return 0;
}

static int cmp_node(const void *a, const void *b)
{
	return strcmp((*(struct inode *const *)a)->name, (*(struct inode *const *)b)->name);
}

/* Children by name, so that the graph reads the same from run to run. */
static void draw(FILE *f, const struct inode *n, __u64 total, double x, int depth, int *maxd,
		 bool top)
{
	struct inode *kids[256], *c;
	char b[32];
	double w = (double)n->ns / (double)total, cx = x;
	size_t k = 0, i;

	if (w < ICICLE_MIN || depth >= ICICLE_DEPTH)
		return;
	if (depth > *maxd)
		*maxd = depth;
	fprintf(f, "<div class=\"fl %s%d\" style=\"left:%.4f%%;width:%.4f%%;top:%dpx\" title=\"",
		top ? "fl-top s" : "s", top ? TL_BLOCKED_UNSEEN : TL_BLOCKED + n->reason,
		100 * x, 100 * w, depth * ICICLE_ROW);
	html_esc(f, n->name);
	fprintf(f, ": %s (%.1f%%)\">", html_ns(b, sizeof(b), n->ns), 100 * w);
	html_esc(f, n->name);
	fputs("</div>", f);
	for (c = n->child; c && k < sizeof(kids) / sizeof(kids[0]); c = c->next)
		kids[k++] = c;
	qsort(kids, k, sizeof(kids[0]), cmp_node);
	for (i = 0; i < k; i++) {
		draw(f, kids[i], total, cx, depth + 1, maxd, depth == 0);	/* processes: neutral */
		cx += (double)kids[i]->ns / (double)total;
	}
}

static const char *proc_label(const struct ks_trace *tr, __u32 tgid, char *buf, size_t len)
{
	const struct ks_process *p = ks_trace_find(tr, tgid);

	snprintf(buf, len, "%s (%u)", p ? ks_process_comm(p) : "?", tgid);
	return buf;
}

/* The stacks for the script: one entry per thread, stack and reason. */
static void data_json(FILE *f, const struct ks_trace *tr)
{
	struct json_object *a = json_object_new_array(), *x, *fa;
	char buf[64];
	const char *s;
	size_t i;
	__u32 j;

	for (i = 0; i < tr->stacks.n; i++) {
		const struct ks_stack *st = &tr->stacks.v[i];

		x = json_object_new_object();
		json_object_object_add(x, "p", json_object_new_string(
			proc_label(tr, st->tgid, buf, sizeof(buf))));
		json_object_object_add(x, "tid", json_object_new_int64(st->tid));
		json_object_object_add(x, "t", json_object_new_string(
			ks_thread_comm(tr, st->tgid, st->tid)));
		json_object_object_add(x, "r", json_object_new_int64(st->reason));
		json_object_object_add(x, "rl", json_object_new_string(
			syscalls_reason_label(st->reason)));
		json_object_object_add(x, "ns", json_object_new_uint64(st->blocked_ns));
		fa = json_object_new_array();
		for (j = st->nframes; j-- > 0;)
			json_object_array_add(fa, json_object_new_string(st->frames[j].name));
		json_object_object_add(x, "f", fa);
		json_object_array_add(a, x);
	}
	s = json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN);
	/* inside <script>: no '<' at all, so nothing can close or comment it */
	for (; *s; s++)
		if (*s == '<')
			fputs("\\u003c", f);
		else
			fputc(*s, f);
	json_object_put(a);
}

static const char script[] =
	"(function(){var d=JSON.parse(document.getElementById('stacks-data').textContent);\n"
	"var g=document.getElementById('icicle'),sel=document.getElementById('stacks-thread');\n"
	"var seen={};d.forEach(function(s){var k=s.tid;if(seen[k])return;seen[k]=1;"
	"var o=document.createElement('option');o.value=k;o.textContent=s.t+' ('+s.tid+'), '+s.p;"
	"sel.appendChild(o);});\n"
	"function fmt(ns){return ns>=1e9?(ns/1e9).toFixed(3)+' s':ns>=1e6?(ns/1e6).toFixed(2)+"
	"' ms':(ns/1e3).toFixed(1)+' us';}\n"
	"function add(n,name,r,ns){var c=n.k[name];if(!c){c=n.k[name]={n:name,r:r,ns:0,k:{}};}"
	"c.ns+=ns;return c;}\n"
	"function draw(){var want=sel.value,root={n:'all',ns:0,k:{}},max=0;\n"
	"d.forEach(function(s){if(want!=='all'&&String(s.tid)!==want)return;root.ns+=s.ns;"
	"var n=add(root,s.p,s.r,s.ns);n=add(n,s.rl,s.r,s.ns);"
	"s.f.forEach(function(fr){n=add(n,fr,s.r,s.ns);});});\n"
	"g.textContent='';if(!root.ns){g.style.height='20px';return;}\n"
	"(function walk(n,x,dep,top){var w=n.ns/root.ns;if(w<" "0.001" "||dep>=%d)return;"
	"if(dep>max)max=dep;\n"
	"var e=document.createElement('div');e.className='fl '+(top?'fl-top s%d':'s'+(%d+n.r));"
	"e.style.left=(100*x)+'%%';e.style.width=(100*w)+'%%';e.style.top=(dep*%d)+'px';"
	"e.textContent=n.n;e.title=n.n+': '+fmt(n.ns)+' ('+(100*w).toFixed(1)+'%%)';"
	"g.appendChild(e);\n"
	"Object.keys(n.k).sort().forEach(function(k){walk(n.k[k],x,dep+1,dep===0);"
	"x+=n.k[k].ns/root.ns;});})(root,0,0,true);\n"
	"g.style.height=((max+1)*%d)+'px';}\n"
	"sel.addEventListener('change',draw);\n"
	"var m=/stacks-thread=(\\d+)/.exec(location.hash);if(m&&seen[m[1]]){sel.value=m[1];draw();}\n"
	"g.dataset.ready='1';})();\n";

#define EDGES_WITH_STACKS 8

/* The biggest wakeup edges, each with where its wakee slept longest. */
static void edge_stacks(FILE *f, const struct ks_trace *tr)
{
	const struct ks_stack *s;
	char b[32];
	size_t i, n = tr->nedges < EDGES_WITH_STACKS ? tr->nedges : EDGES_WITH_STACKS;
	__u32 j, shown;

	if (!n)
		return;
	fputs("<h3>The biggest wakeup edges: where the woken thread slept</h3>\n<p class=\"meta\">"
	      "For each edge (by count), the stack where the woken thread spent most of its time "
	      "asleep, over the whole trace (not each wakeup's own).</p>\n<div class=\"scroll\">"
	      "<table><tr><th>waker</th><th>woken</th><th class=\"n\">wakeups</th>"
	      "<th class=\"n\">asleep there</th><th>reason</th><th>stack, from the innermost"
	      "</th></tr>\n", f);
	for (i = 0; i < n; i++) {
		const struct ks_edge *e = &tr->edges[i];

		fputs("<tr><td class=\"mono\">", f);
		if (e->kind == KS_WAKER_INTERRUPT)
			fputs("interrupt", f);
		else if (e->kind == KS_WAKER_IDLE)
			fputs("idle task", f);
		else {
			fprintf(f, "%u ", e->key.waker_tid);
			html_esc_n(f, e->e.waker_comm, sizeof(e->e.waker_comm));
		}
		fprintf(f, "</td><td class=\"mono\">%u ", e->key.wakee_tid);
		html_esc(f, ks_thread_comm(tr, e->key.wakee_tgid, e->key.wakee_tid));
		fprintf(f, "</td><td class=\"n\">%llu</td>", (unsigned long long)e->e.count);
		s = ks_stacks_thread_top(&tr->stacks, e->key.wakee_tgid, e->key.wakee_tid);
		if (!s) {
			fputs("<td></td><td></td><td class=\"mute\">no stack</td></tr>\n", f);
			continue;
		}
		fprintf(f, "<td class=\"n\">%s</td><td>%s</td><td class=\"mono\">",
			html_ns(b, sizeof(b), s->blocked_ns), syscalls_reason_label(s->reason));
		for (j = s->nkernel, shown = 0; j < s->nframes && shown < 6; j++, shown++) {
			fputs(shown ? " &lt; " : "", f);
			html_esc(f, s->frames[j].name);
		}
		fputs(j < s->nframes ? " &lt; ...</td></tr>\n" : "</td></tr>\n", f);
	}
	fputs("</table></div>\n", f);
}

void html_stacks(FILE *f, const struct ks_trace *tr)
{
	struct inode root = { .name = "all" };
	char buf[64];
	int maxd = 0;
	size_t i;

	if (!tr->features.stacks)
		return;
	fputs("<section id=\"stacks\">\n<h2>Where they slept: off-CPU stacks</h2>\n", f);
	if (!tr->stacks.n) {
		fputs("<p class=\"mute\">no stack was taken</p>\n</section>\n", f);
		return;
	}
	fputs("<p class=\"meta\">Time asleep (switch-out to wakeup) by call stack: the process, "
	      "the reason, then the frames from the outermost (top) to the kernel's (bottom); a "
	      "frame's width is its share of the time shown, its colour the reason. Hover for the "
	      "time.</p>\n<div class=\"tl-tools\"><label>thread <select id=\"stacks-thread\">"
	      "<option value=\"all\">all threads</option></select></label></div>\n", f);
	if (tr->drops.stacks)
		fprintf(f, "<div class=\"warn\"><b>%llu sleeps have no stack</b> (the stack map or "
			"ring was full): their time is in the totals, not here.</div>\n",
			(unsigned long long)tr->drops.stacks);
	for (i = 0; i < tr->stacks.n; i++)
		if (tr->stacks.v[i].blocked_ns &&
		    tree_add(&root, &tr->stacks.v[i], proc_label(tr, tr->stacks.v[i].tgid, buf,
								  sizeof(buf))))
			break;
	fputs("<div class=\"scroll\"><div id=\"icicle\" class=\"icicle\">", f);
	if (root.ns)
		draw(f, &root, root.ns, 0, 0, &maxd, true);
	fprintf(f, "</div></div>\n<style>#icicle{height:%dpx}</style>\n",
		(maxd + 1) * ICICLE_ROW);
	tree_free(&root);
	fputs("<script type=\"application/json\" id=\"stacks-data\">", f);
	data_json(f, tr);
	fputs("</script>\n<script>\n", f);
	fprintf(f, script, ICICLE_DEPTH, TL_BLOCKED_UNSEEN, TL_BLOCKED, ICICLE_ROW, ICICLE_ROW);
	fputs("</script>\n", f);
	edge_stacks(f, tr);
	fputs("</section>\n", f);
}

/* One stack's frames, leaf first, each on its line. */
static void frames_cell(FILE *f, const struct ks_stack *s)
{
	__u32 i;

	fputs("<td class=\"mono\">", f);
	for (i = s->nkernel; i < s->nframes; i++) {
		html_esc(f, s->frames[i].name);
		if (s->frames[i].file && s->frames[i].line) {
			fputs(" <span class=\"mute\">", f);
			html_esc(f, s->frames[i].file);
			fprintf(f, ":%u</span>", s->frames[i].line);
		}
		fputs("<br>", f);
	}
	if (s->nkernel) {
		fputs("<span class=\"mute\">kernel: ", f);
		for (i = 0; i < s->nkernel; i++) {
			fputs(i ? " &lt; " : "", f);
			html_esc(f, s->frames[i].name);
		}
		fputs("</span>", f);
	}
	fputs("</td>", f);
}

void html_compare_stacks(FILE *f, const struct cmp_run *run)
{
	const struct ks_stack_group *top[CMP_TOP_STACKS_MAX];
	char b[32];
	size_t i, k;
	int m, any = 0;

	for (m = 0; m < CMP_NMODELS; m++) {
		if (!run->traces[m])
			continue;
		if (!any++)
			fputs("<section id=\"stacks\">\n<h2>Where each model's threads slept</h2>\n"
			      "<p class=\"meta\">The biggest off-CPU stacks of each model (--stacks), "
			      "over its processes: time asleep there, share of the model's time in that "
			      "reason, the frames from the innermost.</p>\n", f);
		k = ks_stacks_top(&run->traces[m]->stacks, top, CMP_TOP_STACKS_MAX);
		fprintf(f, "<details id=\"stacks-%s\"><summary><b>%s</b>: ", cmp_model_name(m),
			cmp_model_name(m));
		if (k) {
			fprintf(f, "%s in %s at ", html_ns(b, sizeof(b), top[0]->blocked_ns),
				syscalls_reason_label(top[0]->reason));
			fputs("<code>", f);
			for (i = top[0]->stack->nkernel; i < top[0]->stack->nframes &&
			     i < top[0]->stack->nkernel + 4u; i++) {
				fputs(i > top[0]->stack->nkernel ? " &lt; " : "", f);
				html_esc(f, top[0]->stack->frames[i].name);
			}
			fputs("</code>", f);
		} else {
			fputs("no stack taken", f);
		}
		fputs("</summary>\n<div class=\"scroll\"><table><tr><th class=\"n\">asleep</th>"
		      "<th class=\"n\">share</th><th>reason</th><th class=\"n\">sleeps</th>"
		      "<th class=\"n\">threads</th><th>stack</th></tr>\n", f);
		for (i = 0; i < k; i++) {
			fprintf(f, "<tr><td class=\"n\">%s</td><td class=\"n\">%.1f%%</td><td>%s</td>"
				"<td class=\"n\">%llu</td><td class=\"n\">%u</td>",
				html_ns(b, sizeof(b), top[i]->blocked_ns), 100 * top[i]->share,
				syscalls_reason_label(top[i]->reason),
				(unsigned long long)top[i]->count, top[i]->nthreads);
			frames_cell(f, top[i]->stack);
			fputs("</tr>\n", f);
		}
		fputs("</table></div></details>\n", f);
	}
	if (any)
		fputs("</section>\n", f);
}

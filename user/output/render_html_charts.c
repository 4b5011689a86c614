// SPDX-License-Identifier: GPL-2.0-only
/* Histograms and the wakeup graph of the HTML report, as inline SVG. */
#include <string.h>
#include "output/fmt.h"
#include "model/hist.h"
#include "output/html_sections.h"

/* The little geometry needed here, without libm (ksee does not link it). */
#define PI	3.14159265358979323846

static double sq_root(double x)
{
	double g = x > 1 ? x : 1;
	int i;

	if (x <= 0)
		return 0;
	for (i = 0; i < 40; i++)
		g = (g + x / g) / 2;
	return g;
}

static double sine(double x)
{
	double term, sum;
	int i;

	while (x > PI)
		x -= 2 * PI;
	while (x < -PI)
		x += 2 * PI;
	term = sum = x;
	for (i = 1; i < 14; i++) {
		term *= -x * x / ((2 * i) * (2 * i + 1));
		sum += term;
	}
	return sum;
}

static double cosine(double x)
{
	return sine(x + PI / 2);
}

/* Significant bits of @v: a log2 scale for line widths. */
static int bits(__u64 v)
{
	return v ? 64 - __builtin_clzll(v) : 0;
}

/* Histogram geometry, in viewBox units. */
#define H_W	340
#define H_H	150
#define H_X0	40
#define H_Y0	12
#define H_Y1	118

void html_hist(FILE *f, const char *title, const __u64 *slots)
{
	__u64 total = hist_total(slots, KSEE_SLOTS), max = 0;
	char b1[FMT_LEN], b2[FMT_LEN];
	int lo = -1, hi = 0, i, n, every;
	double bw, x, h;

	if (!total)
		return;
	for (i = 0; i < KSEE_SLOTS; i++) {
		if (!slots[i])
			continue;
		if (lo < 0)
			lo = i;
		hi = i;
		if (slots[i] > max)
			max = slots[i];
	}
	n = hi - lo + 1;
	bw = (double)(H_W - H_X0 - 18) / n;
	every = (n + 5) / 6;
	fprintf(f, "<figure><figcaption>%s</figcaption><div class=\"meta\">%llu samples, p50 %s, "
		"p99 %s; log2 buckets</div>\n<svg class=\"chart\" viewBox=\"0 0 %d %d\" "
		"width=\"100%%\" role=\"img\">", title, (unsigned long long)total,
		fmt_ns(b1, sizeof(b1), hist_percentile(slots, KSEE_SLOTS, 0.5)),
		fmt_ns(b2, sizeof(b2), hist_percentile(slots, KSEE_SLOTS, 0.99)), H_W, H_H);
	fprintf(f, "<line class=\"axis-l\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>", H_X0,
		H_W - 4, H_Y1, H_Y1);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%llu</text><text x=\"%d\" "
		"y=\"%d\" text-anchor=\"end\">0</text>", H_X0 - 4, H_Y0 + 8,
		(unsigned long long)max, H_X0 - 4, H_Y1);
	for (i = lo; i <= hi; i++) {
		x = H_X0 + (i - lo) * bw;
		h = (double)slots[i] / max * (H_Y1 - H_Y0);
		if (slots[i] && h < 1)
			h = 1;
		fprintf(f, "<rect class=\"hb\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
			"<title>%s to %s: %llu</title></rect>", x + 0.5, H_Y1 - h, bw - 1, h,
			fmt_ns_short(b1, sizeof(b1), hist_slot_low(i)),
			fmt_ns_short(b2, sizeof(b2), hist_slot_high(i)),
			(unsigned long long)slots[i]);
		if ((i - lo) % every == 0)
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
				x + bw / 2, H_Y1 + 14, fmt_ns_short(b1, sizeof(b1), hist_slot_low(i)));
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">bucket low bound</text></svg>"
		"</figure>\n", H_W - 4, H_H - 4);
}

void html_histograms(FILE *f, const struct ks_trace *tr)
{
	const struct ks_sum *s = &tr->total;

	fputs("<section id=\"histograms\">\n<h2>Histograms, all tasks</h2>\n<div class=\"cards\">\n",
	      f);
	html_hist(f, "off-CPU intervals (switch-out to switch-in)", s->off_hist);
	html_hist(f, "run-queue wait (enqueued to switch-in, as the kernel counts it)",
		  s->runq_hist);
	html_hist(f, "wake-up latency (wakeup to enqueued)", s->wakelat_hist);
	html_hist(f, "epoll wait calls, duration", s->epoll_hist);
	html_hist(f, "io_uring requests, submit to complete", s->uring_hist);
	html_hist(f, "await to resume (task markers)", s->markers.await_hist);
	fputs("</div>\n", f);
	if (!hist_total(s->off_hist, KSEE_SLOTS) && !hist_total(s->runq_hist, KSEE_SLOTS))
		fputs("<p class=\"mute\">no samples</p>\n", f);
	fputs("</section>\n", f);
}

/* The wakeup graph: the busiest edges, their end points on a circle. */
#define G_W		820
#define G_H		540
#define G_R		200
#define MAX_NODES	24
#define MAX_GRAPH_EDGES	60
#define MAX_TABLE_EDGES	30

struct gnode {
	enum ks_waker_kind kind;	/* KS_WAKER_THREAD for a traced wakee */
	__u32 tid;
	const char *comm;
	__u64 count;
	double x, y, r;
};

static const char *wakee_comm(const struct ks_trace *tr, const struct ks_edge *e)
{
	return ks_thread_comm(tr, e->key.wakee_tgid, e->key.wakee_tid);
}

/* Idle and interrupts are one node each; a task is its tid. */
static int node_of(struct gnode *nodes, int *n, enum ks_waker_kind kind, __u32 tid,
		   const char *comm)
{
	int i;

	if (kind == KS_WAKER_IDLE || kind == KS_WAKER_INTERRUPT)
		tid = 0;
	for (i = 0; i < *n; i++)
		if (nodes[i].tid == tid && (tid || nodes[i].kind == kind))
			return i;
	if (*n == MAX_NODES)
		return -1;
	nodes[*n] = (struct gnode){ .kind = kind, .tid = tid, .comm = comm };
	return (*n)++;
}

static void node_name(FILE *f, const struct gnode *g)
{
	if (g->kind == KS_WAKER_INTERRUPT) {
		fputs("interrupts", f);
	} else if (g->kind == KS_WAKER_IDLE) {
		fputs("idle task", f);
	} else {
		fprintf(f, "%u ", g->tid);
		html_esc_n(f, g->comm, KSEE_COMM_LEN);
		if (g->kind == KS_WAKER_EXTERNAL)
			fputs(" (other process)", f);
	}
}

static void draw_edge(FILE *f, const struct gnode *a, const struct gnode *b, __u64 count,
		      __u64 max)
{
	double cx = G_W / 2.0, cy = G_H / 2.0, mx = (a->x + b->x) / 2, my = (a->y + b->y) / 2;
	double qx = mx + (cx - mx) * 0.55, qy = my + (cy - my) * 0.55;
	double dx = b->x - qx, dy = b->y - qy, len = sq_root(dx * dx + dy * dy);
	double ex = b->x - dx / (len ? len : 1) * (b->r + 3), ey = b->y - dy / (len ? len : 1) *
		(b->r + 3);
	double w = 0.8 + 4.0 * bits(count) / bits(max);

	fprintf(f, "<path class=\"e\" d=\"M%.1f %.1fQ%.1f %.1f %.1f %.1f\" stroke-width=\"%.1f\" "
		"marker-end=\"url(#ah)\"><title>", a->x, a->y, qx, qy, ex, ey, w);
	node_name(f, a);
	fputs(" woke ", f);
	node_name(f, b);
	fprintf(f, " %llu times</title></path>\n", (unsigned long long)count);
}

static void draw_graph(FILE *f, const struct ks_trace *tr)
{
	struct gnode nodes[MAX_NODES];
	int from[MAX_GRAPH_EDGES], to[MAX_GRAPH_EDGES], n = 0, ne = 0, i, a, b;
	__u64 cnt[MAX_GRAPH_EDGES], max = 1, nmax = 1;
	double ang, c, s;

	for (i = 0; i < (int)tr->nedges && ne < MAX_GRAPH_EDGES; i++) {
		const struct ks_edge *e = &tr->edges[i];
		int save = n;

		a = node_of(nodes, &n, e->kind, e->key.waker_tid, e->e.waker_comm);
		b = node_of(nodes, &n, KS_WAKER_THREAD, e->key.wakee_tid, wakee_comm(tr, e));
		if (a < 0 || b < 0 || a == b) {
			n = a < 0 || b < 0 ? save : n;
			continue;
		}
		from[ne] = a;
		to[ne] = b;
		cnt[ne++] = e->e.count;
		nodes[a].count += e->e.count;
		nodes[b].count += e->e.count;
		if (e->e.count > max)
			max = e->e.count;
	}
	if (!ne)
		return;
	for (i = 0; i < n; i++)
		if (nodes[i].count > nmax)
			nmax = nodes[i].count;
	for (i = 0; i < n; i++) {
		ang = 2 * PI * i / n - PI / 2;
		nodes[i].x = G_W / 2.0 + G_R * cosine(ang);
		nodes[i].y = G_H / 2.0 + G_R * sine(ang);
		nodes[i].r = 4 + 8 * sq_root((double)nodes[i].count / nmax);
	}
	fprintf(f, "<figure><figcaption>who woke whom: the %d busiest edges between %d tasks"
		"</figcaption>\n<svg class=\"graph\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
		"style=\"display:block;margin:auto;max-width:%dpx\" role=\"img\">\n<defs><marker id=\"ah\" viewBox=\"0 0 10 10\" "
		"refX=\"9\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" "
		"orient=\"auto\"><path class=\"ah\" d=\"M0 0L10 5L0 10z\"/></marker></defs>\n", ne, n,
		G_W, G_H, G_W);
	for (i = 0; i < ne; i++)
		draw_edge(f, &nodes[from[i]], &nodes[to[i]], cnt[i], max);
	for (i = 0; i < n; i++) {
		ang = 2 * PI * i / n - PI / 2;
		c = cosine(ang);
		s = sine(ang);
		fprintf(f, "<circle class=\"node%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"><title>",
			nodes[i].kind == KS_WAKER_INTERRUPT ? " irq" : nodes[i].kind ==
			KS_WAKER_THREAD ? "" : " x", nodes[i].x, nodes[i].y, nodes[i].r);
		node_name(f, &nodes[i]);
		fprintf(f, ": %llu wakeups in or out</title></circle><text x=\"%.1f\" y=\"%.1f\" "
			"text-anchor=\"%s\">", (unsigned long long)nodes[i].count,
			nodes[i].x + c * (nodes[i].r + 6), nodes[i].y + s * (nodes[i].r + 6) + 4,
			c > 0.05 ? "start" : c < -0.05 ? "end" : "middle");
		node_name(f, &nodes[i]);
		fputs("</text>\n", f);
	}
	fputs("</svg></figure>\n", f);
}

static void edge_table(FILE *f, const struct ks_trace *tr)
{
	struct gnode g;
	size_t i, n = tr->nedges < MAX_TABLE_EDGES ? tr->nedges : MAX_TABLE_EDGES;

	fprintf(f, "<h3>Busiest edges (%zu of %zu)</h3>\n<table><tr><th>waker</th><th>wakee</th>"
		"<th class=\"n\">wakeups</th></tr>\n", n, tr->nedges);
	for (i = 0; i < n; i++) {
		const struct ks_edge *e = &tr->edges[i];

		g = (struct gnode){ .kind = e->kind, .tid = e->key.waker_tid,
				    .comm = e->e.waker_comm };
		fputs("<tr><td class=\"mono\">", f);
		node_name(f, &g);
		if (e->via_softirq)
			fputs(" via softirq", f);
		g = (struct gnode){ .kind = KS_WAKER_THREAD, .tid = e->key.wakee_tid,
				    .comm = wakee_comm(tr, e) };
		fputs("</td><td class=\"mono\">", f);
		node_name(f, &g);
		fprintf(f, "</td><td class=\"n\">%llu</td></tr>\n", (unsigned long long)e->e.count);
	}
	fputs("</table>\n", f);
}

void html_wakeups(FILE *f, const struct ks_trace *tr)
{
	fputs("<section id=\"wakeups\">\n<h2>Wakeups</h2>\n", f);
	if (!tr->nedges) {
		fputs("<p class=\"mute\">no wakeups between traced tasks were seen</p>\n</section>\n",
		      f);
		return;
	}
	fputs("<p class=\"meta\">An arrow goes from the task that woke to the task woken; its "
	      "width grows with the count. Interrupts (timers, devices) and the idle task are one "
	      "node each.</p>\n", f);
	draw_graph(f, tr);
	edge_table(f, tr);
	fputs("</section>\n", f);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * The HTML report: one self-contained file (inline CSS, SVG and a little
 * script, nothing fetched), readable without script, in light and dark,
 * and on paper. This file writes the page and the summary; the timeline,
 * charts and the compare page are in render_html_*.c.
 */
#include <errno.h>
#include <string.h>
#include "output/fmt.h"
#include "model/hist.h"
#include "output/html_sections.h"
#include "output/report.h"
#include "model/syscalls.h"

static const char css[] =
	":root{--bg:#fff;--fg:#1d2127;--mute:#5c6570;--line:#d9dee4;--card:#f5f7f9;"
	"--warn-bg:#fff4e0;--warn-fg:#6b3a00;--warn-line:#f08c00;"
	"--ok:#2b8a3e;--partly:#d9480f;--no:#c92a2a;--na:#868e96;--edge:#5c6570;"
	"--accent:#5c7cfa;--node:#4dabf7;--node-x:#99a1a8;--node-irq:#f59f00;"
	"color-scheme:light dark}\n"
	"@media (prefers-color-scheme:dark){:root{--bg:#14171c;--fg:#e2e5e9;--mute:#98a2ad;"
	"--line:#343a43;--card:#1c2128;--warn-bg:#3b2706;--warn-fg:#ffd8a8;--edge:#98a2ad;"
	"--ok:#51cf66;--partly:#ff922b;--no:#ff6b6b;--node-x:#6f7780}}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0 auto;max-width:1400px;padding:0 20px 40px;background:var(--bg);"
	"color:var(--fg);font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}\n"
	"h1{font-size:22px;margin:18px 0 4px}h2{font-size:18px;margin:28px 0 8px;"
	"padding-bottom:4px;border-bottom:1px solid var(--line)}h3{font-size:15px;margin:16px 0 6px}\n"
	"code,.mono,td.n,th.n{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,monospace;"
	"font-size:12.5px}\n"
	".meta{color:var(--mute);margin:2px 0}.mute{color:var(--mute)}\n"
	"nav{display:flex;gap:14px;flex-wrap:wrap;margin:10px 0;font-size:13px}\n"
	"nav a,a{color:var(--accent)}\n"
	"table{border-collapse:collapse;margin:6px 0}th,td{padding:3px 8px;text-align:left;"
	"border-bottom:1px solid var(--line);vertical-align:top}th{font-weight:600}\n"
	"td.n,th.n{text-align:right;white-space:nowrap}tr.sub td:first-child{padding-left:22px;"
	"color:var(--mute)}tr.total td{font-weight:600}\n"
	".scroll{overflow-x:auto}#summary td:first-child{white-space:nowrap}\n"
	".warn{background:var(--warn-bg);color:var(--warn-fg);border:1px solid var(--warn-line);"
	"border-left-width:6px;border-radius:4px;padding:8px 12px;margin:12px 0}\n"
	".note{background:var(--card);border-left:4px solid var(--line);padding:6px 10px;"
	"margin:8px 0}\n"
	"#ksee-errors{color:var(--no);border:1px solid var(--no);padding:6px}"
	"#ksee-errors:empty{display:none}\n"
	".legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12.5px;margin:6px 0}"
	".legend span{display:inline-flex;align-items:center;gap:5px}"
	".legend i{display:inline-block;width:12px;height:12px;border-radius:2px}\n"
	".tl{display:grid;grid-template-columns:240px 1fr;column-gap:6px;align-items:start}"
	".tl svg{display:block}.tl-main{overflow:hidden;cursor:grab}"
	".tl-labels text{font:11px ui-monospace,'DejaVu Sans Mono',monospace;fill:var(--fg)}"
	".tl-labels text.p{font-weight:700;font-family:system-ui,sans-serif;font-size:12px}"
	".axis text{font:11px system-ui,sans-serif;fill:var(--mute)}.axis line{stroke:var(--line)}"
	".tl-bg{fill:var(--card)}.tl-tools{display:flex;gap:6px;align-items:center;"
	"font-size:12.5px;margin:6px 0}.tl-tools button{font:inherit;padding:1px 9px;"
	"background:var(--card);color:var(--fg);border:1px solid var(--line);border-radius:4px;"
	"cursor:pointer}\n"
	".bar{display:flex;height:14px;min-width:240px;background:var(--card);border-radius:2px;"
	"overflow:hidden}.bar span{display:block;height:100%}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:12px}"
	"figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:6px;"
	"padding:8px 10px}figcaption{font-weight:600;font-size:13px;margin-bottom:4px}"
	"figure .meta{font-size:12px}\n"
	".chart text{font:10.5px system-ui,sans-serif;fill:var(--mute)}.chart .hb{fill:var(--accent)}"
	".chart .axis-l{stroke:var(--line)}.chart text.v{fill:var(--fg)}\n"
	".graph text{font:11px ui-monospace,'DejaVu Sans Mono',monospace;fill:var(--fg)}"
	".graph .node{fill:var(--node);stroke:var(--bg);stroke-width:2}"
	".graph .node.x{fill:var(--node-x)}.graph .node.irq{fill:var(--node-irq)}"
	".graph .e{fill:none;stroke:var(--edge);stroke-opacity:.55}"
	".graph .ah{fill:var(--edge)}\n"
	".icicle{position:relative;min-width:700px;margin:6px 0}.fl{position:absolute;"
	"height:17px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;font:11px/17px "
	"ui-monospace,'DejaVu Sans Mono',monospace;padding:0 3px;color:#111;"
	"border-right:1px solid var(--bg);box-sizing:border-box}.fl-top{color:var(--fg)}\n"
	".verdicts{display:grid;gap:8px}.verdict{border:1px solid var(--line);border-left:8px "
	"solid var(--na);border-radius:4px;padding:6px 10px;background:var(--card)}"
	".verdict b.k{display:inline-block;min-width:110px}.v-holds{border-left-color:var(--ok)}"
	".v-holds b.k{color:var(--ok)}.v-partly{border-left-color:var(--partly)}"
	".v-partly b.k{color:var(--partly)}.v-no{border-left-color:var(--no)}"
	".v-no b.k{color:var(--no)}.v-na b.k{color:var(--na)}.verdict p{margin:3px 0}\n"
	"td.failed{color:var(--no);font-weight:600}\n"
	"@media print{body{max-width:none;padding:0;font-size:11px}nav,.tl-tools{display:none}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	"h2{break-after:avoid}figure,.verdict,tr{break-inside:avoid}"
	".tl-main{overflow:visible}}\n";

/* Zoom and pan of the timeline (viewBox), its axis, the time under the pointer. */
static const char script[] =
	"(function(){\n"
	"var s=document.getElementById('tl-svg');\n"
	"function fmt(ns){var a=Math.abs(ns);if(a<1)return '0';if(a<1e3)return ns.toFixed(0)+'ns';"
	"if(a<1e6)return (ns/1e3).toPrecision(3)+'us';if(a<1e9)return (ns/1e6).toPrecision(3)+'ms';"
	"return (ns/1e9).toPrecision(3)+'s';}\n"
	"if(s){\n"
	"var cols=+s.dataset.cols,span=+s.dataset.span,h=+s.dataset.h,a=0,b=cols;\n"
	"var ax=document.getElementById('tl-axis'),at=document.getElementById('tl-at');\n"
	"var NS='http://www.w3.org/2000/svg',drag=null;\n"
	"function axis(){while(ax.firstChild)ax.removeChild(ax.firstChild);\n"
	"var t0=a*span/cols,t1=b*span/cols,raw=(t1-t0)/8,p=Math.pow(10,Math.floor(Math.log10(raw)));\n"
	"var st=raw/p<1.5?p:raw/p<3.5?2*p:raw/p<7.5?5*p:10*p;\n"
	"for(var t=Math.ceil(t0/st)*st;t<=t1;t+=st){var x=(t-t0)/(t1-t0)*100;\n"
	"var l=document.createElementNS(NS,'line');l.setAttribute('x1',x+'%');"
	"l.setAttribute('x2',x+'%');l.setAttribute('y1',14);l.setAttribute('y2',20);ax.appendChild(l);\n"
	"var tx=document.createElementNS(NS,'text');tx.setAttribute('x',x+'%');"
	"tx.setAttribute('y',11);tx.setAttribute('text-anchor',x<3?'start':x>97?'end':'middle');\n"
	"tx.textContent=fmt(t);ax.appendChild(tx);}}\n"
	"function set(na,nb){var w=nb-na;if(w<2)w=2;if(w>cols)w=cols;if(na<0)na=0;"
	"if(na+w>cols)na=cols-w;a=na;b=na+w;\n"
	"s.setAttribute('viewBox',a+' 0 '+w+' '+h);axis();}\n"
	"function col(e){var r=s.getBoundingClientRect();return a+(e.clientX-r.left)/r.width*(b-a);}\n"
	"function zoom(f,c){var w=(b-a)*f;set(c-(c-a)*w/(b-a),c-(c-a)*w/(b-a)+w);}\n"
	"document.querySelectorAll('[data-zoom]').forEach(function(el){"
	"el.addEventListener('click',function(){var z=el.dataset.zoom;\n"
	"if(z==='in')zoom(0.5,(a+b)/2);else if(z==='out')zoom(2,(a+b)/2);else set(0,cols);});});\n"
	"s.addEventListener('wheel',function(e){if(!e.ctrlKey&&!e.shiftKey)return;"
	"e.preventDefault();zoom(e.deltaY>0?1.25:0.8,col(e));},{passive:false});\n"
	"s.addEventListener('dblclick',function(e){zoom(e.shiftKey?2:0.5,col(e));});\n"
	"s.addEventListener('mousedown',function(e){drag={x:e.clientX,a:a,b:b};});\n"
	"window.addEventListener('mouseup',function(){drag=null;});\n"
	"s.addEventListener('mousemove',function(e){if(drag){var r=s.getBoundingClientRect(),"
	"d=(e.clientX-drag.x)/r.width*(drag.b-drag.a);set(drag.a-d,drag.b-d);}\n"
	"at.textContent='at '+fmt(col(e)*span/cols);});\n"
	"axis();}\n"
	"document.body.dataset.ksee='ready';\n"
	"})();\n";

_Static_assert(TL_NSTATES <= 32, "state masks are unsigned int");

/* The colour of each state, light and dark; a state not named here is grey. */
static const char *const light[TL_NSTATES] = {
	[TL_RUN] = "#2f9e44",
	[TL_RUNQ] = "#f59f00",
	[TL_D] = "#e03131",
	[TL_BLOCKED + KSEE_R_NONE] = "#f783ac",
	[TL_BLOCKED + KSEE_R_EPOLL] = "#4dabf7",
	[TL_BLOCKED + KSEE_R_IO_URING] = "#15aabf",
	[TL_BLOCKED + KSEE_R_FUTEX] = "#9775fa",
	[TL_BLOCKED + KSEE_R_READ] = "#4263eb",
	[TL_BLOCKED + KSEE_R_WRITE] = "#63e6be",
	[TL_BLOCKED + KSEE_R_POLL] = "#a5d8ff",
	[TL_BLOCKED + KSEE_R_SLEEP] = "#ced4da",
	[TL_BLOCKED + KSEE_R_WAIT] = "#d8a47f",
	[TL_BLOCKED + KSEE_R_OTHER] = "#868e96",
	[TL_BLOCKED_UNSEEN] = "#e4e7eb",
};

static const char *const dark[TL_NSTATES] = {
	[TL_RUN] = "#40c057",
	[TL_BLOCKED + KSEE_R_READ] = "#5c7cfa",
	[TL_BLOCKED + KSEE_R_WRITE] = "#20c997",
	[TL_BLOCKED + KSEE_R_POLL] = "#4c6ef5",
	[TL_BLOCKED + KSEE_R_SLEEP] = "#5c646d",
	[TL_BLOCKED + KSEE_R_WAIT] = "#a87453",
	[TL_BLOCKED + KSEE_R_OTHER] = "#6f7780",
	[TL_BLOCKED_UNSEEN] = "#2c323a",
};

static void palette(FILE *f)
{
	int s;

	fputs(":root{", f);
	for (s = 0; s < TL_NSTATES; s++)
		fprintf(f, "--c%d:%s;", s, light[s] ? light[s] : "#adb5bd");
	fputs("}\n@media (prefers-color-scheme:dark){:root{", f);
	for (s = 0; s < TL_NSTATES; s++)
		if (dark[s])
			fprintf(f, "--c%d:%s;", s, dark[s]);
	fputs("}}\n", f);
	for (s = 0; s < TL_NSTATES; s++)
		fprintf(f, ".s%d{fill:var(--c%d);background:var(--c%d)}#tl-svg .s%d{stroke:var(--c%d)}",
			s, s, s, s, s);
}

static void page_start(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"color-scheme\" content=\"light dark\">\n<title>", f);
	html_esc(f, title);
	fputs("</title>\n<script>window.onerror=function(m,src,l,c){var p=document."
	      "getElementById('ksee-errors');if(p)p.textContent+=m+' (line '+l+':'+c+')\\n';"
	      "return false;};</script>\n<style>\n", f);
	fputs(css, f);
	palette(f);
	fputs("\n</style>\n</head>\n<body>\n<pre id=\"ksee-errors\"></pre>\n", f);
}

static void page_end(FILE *f)
{
	fprintf(f, "<script>\n%s</script>\n</body>\n</html>\n", script);
}

static bool any_drops(const struct ksee_drops *d)
{
	return d->ringbuf || d->tasks || d->procs || d->edges || d->uring || d->awaits ||
	       d->events || d->marks_bad || d->hists;
}

/* What was lost goes first, before any number it makes wrong. */
static void warnings(FILE *f, const struct ks_report *r)
{
	const struct ksee_drops *d = &r->tr->drops;
	__u64 lost = r->events ? r->events->lost : 0;

	if (!any_drops(d) && !lost)
		return;
	fputs("<div class=\"warn\" id=\"lost\"><b>Not everything was seen.</b> ", f);
	if (lost || d->events)
		fprintf(f, "%llu timeline events were lost (the timeline has gaps). ",
			(unsigned long long)(lost > d->events ? lost : d->events));
	if (any_drops(d) && (d->ringbuf || d->tasks || d->procs || d->edges || d->uring ||
			     d->awaits || d->marks_bad || d->hists))
		fprintf(f, "NOT accounted: %llu records, %llu tasks, %llu processes, "
			"%llu wakeups, %llu io_uring requests, %llu awaits, %llu marker blocks, "
			"%llu histogram counts.",
			(unsigned long long)d->ringbuf, (unsigned long long)d->tasks,
			(unsigned long long)d->procs, (unsigned long long)d->edges,
			(unsigned long long)d->uring, (unsigned long long)d->awaits,
			(unsigned long long)d->marks_bad, (unsigned long long)d->hists);
	fputs("</div>\n", f);
}

static void header(FILE *f, const struct ks_report *r)
{
	const struct ks_trace *tr = r->tr;
	char b[FMT_LEN];
	int i;

	fprintf(f, "<header>\n<h1>ksee %s:", tr->mode && !strcmp(tr->mode, "attach") ?
		"attach" : "run");
	for (i = 0; i < tr->argc; i++) {
		fputc(' ', f);
		html_esc(f, tr->argv[i]);
	}
	for (i = 0; i < tr->npids; i++)
		fprintf(f, "%s%u", i ? "," : " pid ", tr->pids[i]);
	fputs("</h1>\n<p class=\"meta\">", f);
	fprintf(f, "traced %s: %u process%s, %u task%s", fmt_ns(b, sizeof(b), tr->total.wall_ns),
		tr->nprocesses, tr->nprocesses == 1 ? "" : "es", tr->total.tasks,
		tr->total.tasks == 1 ? "" : "s");
	if (tr->have_exit && tr->exit_signal)
		fprintf(f, "; killed by signal %d", tr->exit_signal);
	else if (tr->have_exit)
		fprintf(f, "; exit code %d", tr->exit_code);
	if (tr->kernel[0]) {
		fputs("; kernel ", f);
		html_esc_n(f, tr->kernel, sizeof(tr->kernel));
	}
	fprintf(f, "; timeline: %s</p>\n", r->events && r->events->count ? "recorded" :
		"not recorded");
	for (i = 0; i < tr->nnotices; i++) {
		fputs("<p class=\"note\">notice: ", f);
		html_esc(f, tr->notices[i]);
		fputs("</p>\n", f);
	}
	fputs("</header>\n", f);
}

static void sum_cells(FILE *f, const struct ks_sum *s)
{
	char b1[FMT_LEN], b2[FMT_LEN];

	fprintf(f, "<td class=\"n\">%u", s->tasks);
	if (s->kernel_workers)
		fprintf(f, " (%u kernel)", s->kernel_workers);
	fprintf(f, "</td><td class=\"n\">%s</td>", fmt_ns(b1, sizeof(b1), s->wall_ns));
	fprintf(f, "<td class=\"n\">%s</td>", fmt_ns(b1, sizeof(b1), s->on_cpu_ns));
	fprintf(f, "<td class=\"n\">%.2f / %u</td>", s->parallelism, s->peak_running);
	fprintf(f, "<td class=\"n\">%llu / %llu</td>", (unsigned long long)s->voluntary,
		(unsigned long long)s->involuntary);
	fprintf(f, "<td class=\"n\">%s</td><td>%s</td>", fmt_ns(b1, sizeof(b1),
		s->blocked_total_ns), ks_sum_mostly_in(s));
	fprintf(f, "<td class=\"n\">%s</td>", fmt_ns(b1, sizeof(b1), s->wakelat_ns));
	fprintf(f, "<td class=\"n\">%s</td>", fmt_ns(b1, sizeof(b1), s->runq_ns));
	fprintf(f, "<td class=\"n\">%s / %s</td>",
		fmt_ns(b1, sizeof(b1), hist_percentile(s->runq_hist, KSEE_SLOTS, 0.50)),
		fmt_ns(b2, sizeof(b2), hist_percentile(s->runq_hist, KSEE_SLOTS, 0.99)));
	fprintf(f, "<td class=\"n\">%llu</td>", (unsigned long long)s->wakeups);
	fprintf(f, "<td class=\"n\">%s</td>", fmt_ns(b1, sizeof(b1), s->thread_ns));
	fprintf(f, "<td class=\"n\">%s / %s</td>", fmt_share(b1, sizeof(b1), s->shares.on_cpu),
		fmt_share(b2, sizeof(b2), s->shares.blocked));
	fprintf(f, "<td class=\"n\">%u</td>", s->idle.tasks);
}

#define MAX_PROC_ROWS 200

static void summary(FILE *f, const struct ks_trace *tr)
{
	size_t i, shown = 0;

	fputs("<section id=\"summary\">\n<h2>Processes</h2>\n<div class=\"scroll\"><table>\n"
	      "<tr><th>process</th><th class=\"n\">tasks</th><th class=\"n\">wall</th>"
	      "<th class=\"n\">on-CPU</th><th class=\"n\" title=\"on-CPU / wall, and most "
	      "tasks running at once\">parallelism avg / peak</th><th class=\"n\">switches "
	      "vol / invol</th><th class=\"n\">blocked</th><th>mostly in</th>"
	      "<th class=\"n\" title=\"wakeup to enqueued on a run queue\">waking up</th>"
	      "<th class=\"n\">waiting for a CPU</th><th class=\"n\">run-queue p50 / p99</th>"
	      "<th class=\"n\">wakeups</th><th class=\"n\" title=\"each task's time in the "
	      "trace, summed\">thread-time</th><th class=\"n\" title=\"shares of "
	      "thread-time, not of wall time\">on-CPU / blocked of thread-time</th>"
	      "<th class=\"n\" title=\"on a CPU under 0.1% of the time they existed, asleep in "
	      "one reason 99% of it or more\">idle tasks</th></tr>\n", f);
	for (i = 0; i < tr->nprocs && shown < MAX_PROC_ROWS; i++) {
		const struct ks_process *p = &tr->procs[i];

		if (!p->nthreads)
			continue;
		shown++;
		fprintf(f, "<tr><td><a href=\"#p%u\">%u</a> <b>", p->pid, p->pid);
		html_esc_n(f, ks_process_comm(p), KSEE_COMM_LEN);
		fprintf(f, "</b> <span class=\"mute\">%s</span></td>",
			p->alive ? "still running" : "exited");
		sum_cells(f, &p->sum);
		fputs("</tr>\n", f);
	}
	if (tr->nprocesses > 1) {
		fputs("<tr class=\"total\"><td>all processes</td>", f);
		sum_cells(f, &tr->total);
		fputs("</tr>\n", f);
	}
	fputs("</table></div>\n", f);
	if (tr->nprocesses > shown)
		fprintf(f, "<p class=\"mute\">%zu more processes not listed (JSON has all).</p>\n",
			(size_t)tr->nprocesses - shown);
}

static void io_waits(FILE *f, const struct ks_sum *s)
{
	const struct ks_markers *m = &s->markers;
	char b1[FMT_LEN], b2[FMT_LEN];
	bool any = false;
	int r;

	for (r = 1; r < KSEE_R_NR; r++) {
		const struct ksee_sys *sy = &s->sys[r];
		char calls[24];

		if (!sy->calls && !sy->blocked_calls)
			continue;
		if (!any)
			fputs("<h3>Blocking calls, all tasks</h3>\n<table><tr><th>syscall family</th>"
			      "<th class=\"n\">calls</th><th class=\"n\">blocked</th>"
			      "<th class=\"n\">time blocked</th><th class=\"n\">time in call</th>"
			      "<th>detail</th></tr>\n", f);
		any = true;
		/* calls and time in the call need the sys_exit hook: --syscalls */
		snprintf(calls, sizeof(calls), "%llu", (unsigned long long)sy->calls);
		fmt_ns(b2, sizeof(b2), sy->total_ns);
		fprintf(f, "<tr><td><i class=\"s%d\" style=\"display:inline-block;width:10px;"
			"height:10px\"></i> %s</td><td class=\"n\">%s</td><td class=\"n\">%llu</td>"
			"<td class=\"n\">%s</td><td class=\"n\">%s</td><td>", TL_BLOCKED + r,
			syscalls_family_name(r), s->syscalls ? calls : "-",
			(unsigned long long)sy->blocked_calls,
			fmt_ns(b1, sizeof(b1), sy->blocked_ns), s->syscalls ? b2 : "-");
		if (r == KSEE_R_EPOLL && s->syscalls)
			fprintf(f, "%llu events returned", (unsigned long long)s->epoll_events);
		if (r == KSEE_R_IO_URING && s->syscalls)
			fprintf(f, "%llu SQEs, %llu waits", (unsigned long long)s->uring_submitted,
				(unsigned long long)s->uring_waits);
		else if (r == KSEE_R_IO_URING)
			fprintf(f, "%llu SQEs", (unsigned long long)s->uring_submitted);
		fputs("</td></tr>\n", f);
	}
	if (any && !s->syscalls)
		fputs("<tr><td colspan=\"6\">blocked: sleeps inside calls of the family; calls, "
		      "time in the call and events need <code>--syscalls</code></td></tr>\n", f);
	if (any)
		fputs("</table>\n", f);
	if (!m->requests_started && !m->awaits)
		return;
	fprintf(f, "<p>Task markers: %llu requests (%llu done), %llu awaits, %llu resumes",
		(unsigned long long)m->requests_started, (unsigned long long)m->requests_done,
		(unsigned long long)m->awaits, (unsigned long long)m->resumes);
	if (m->same_thread_share >= 0)
		fprintf(f, ", <b>%.1f%%</b> on the thread that awaited", 100 * m->same_thread_share);
	if (m->voluntary_per_await >= 0)
		fprintf(f, "; <b>%.3f</b> voluntary switches per await", m->voluntary_per_await);
	if (m->path[0])
		fprintf(f, " (read by %s)", m->path);
	fputs(".</p>\n", f);
	if (s->bill.requests) {
		fputs("<p>Where the requests' time went (the bill; off its thread = waiting for "
		      "I/O, then for its thread, not told apart):</p>\n", f);
		html_bill_bar(f, &s->bill);
	}
}

static void findings(FILE *f, const struct ks_trace *tr)
{
	fputs("<section id=\"findings\">\n<h2>Findings</h2>\n<p class=\"meta\">What the numbers "
	      "below mean, with the rules and thresholds of docs/findings.md.</p>\n", f);
	html_findings(f, &tr->findings, "This trace");
	fputs("</section>\n", f);
}

static int render_trace(FILE *f, const struct ks_report *r)
{
	const struct ks_trace *tr = r->tr;
	char title[96];
	int err = 0;

	snprintf(title, sizeof(title), "ksee %s: %s", tr->mode ? tr->mode : "run",
		 tr->argc ? tr->argv[0] : tr->nprocs ? ks_process_comm(&tr->procs[0]) : "trace");
	page_start(f, title);
	header(f, r);
	warnings(f, r);
	fputs("<nav><a href=\"#findings\">findings</a><a href=\"#summary\">processes</a>"
	      "<a href=\"#timeline\">timeline</a>"
	      "<a href=\"#offcpu\">on / off CPU per thread</a><a href=\"#histograms\">"
	      "histograms</a><a href=\"#wakeups\">wakeups</a>", f);
	if (tr->features.stacks)
		fputs("<a href=\"#stacks\">stacks</a>", f);
	fputs("</nav>\n", f);
	findings(f, tr);
	summary(f, tr);
	io_waits(f, &tr->total);
	fputs("</section>\n", f);
	html_timeline(f, r, &err);
	html_breakdown(f, tr);
	html_histograms(f, tr);
	html_wakeups(f, tr);
	html_stacks(f, tr);
	page_end(f);
	return err;
}

int render_html(FILE *f, const struct ks_report *r)
{
	int err;

	if (r->cmp) {
		page_start(f, "ksee compare");
		err = html_compare(f, r->cmp);
		page_end(f);
	} else if (r->cols) {
		page_start(f, r->cols->kind && (!strcmp(r->cols->kind, "recordings") ||
						!strcmp(r->cols->kind, "comparisons")) ?
			   "ksee diff" : "ksee compare");
		err = html_columns(f, r->cols);
		page_end(f);
	} else if (r->tr) {
		err = render_trace(f, r);
	} else {
		return -EINVAL;
	}
	if (!err && (fflush(f) || ferror(f)))
		err = -EIO;
	return err;
}

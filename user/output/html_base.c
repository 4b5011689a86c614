// SPDX-License-Identifier: GPL-2.0-only
/*
 * The building blocks of every HTML page section: escaping, durations, the
 * state legend, the findings cards, the per-request bill's bar.
 */
#include <stdlib.h>
#include <string.h>
#include "output/fmt.h"
#include "output/html_base.h"

void html_esc_n(FILE *f, const char *text, size_t max)
{
	char *cut = strndup(text, max), *clean = cut ? fmt_utf8_dup(cut) : NULL;
	const char *s = clean ? clean : "?";	/* valid UTF-8 (fmt_utf8()) */
	size_t i;

	for (i = 0; s[i]; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
		}
	}
	free(cut);
	free(clean);
}

void html_esc(FILE *f, const char *s)
{
	html_esc_n(f, s, (size_t)-1);
}

const char *html_ns(char *buf, size_t len, __u64 ns)
{
	return fmt_ns(buf, len, ns);
}

unsigned int html_states_of(const struct ks_sum *s)
{
	unsigned int mask = 1u << TL_RUN | 1u << TL_RUNQ;
	int r;

	if (s->uninterruptible_ns)
		mask |= 1u << TL_D;
	for (r = 0; r < KSEE_R_NR; r++)
		if (s->blocked_ns[r])
			mask |= 1u << (TL_BLOCKED + r);
	return mask;
}

void html_bill_bar(FILE *f, const struct ks_bill *b)
{
	const struct {
		const char *what;
		int state;	/* enum tl_state: its colour; -1: the accent colour */
		__u64 ns;
	} part[] = {
		{ "on CPU", TL_RUN, b->oncpu_ns },
		{ "waking up", TL_RUNQ, b->wakelat_ns },
		{ "waiting for a CPU", TL_RUNQ, b->runq_ns },
		{ "blocked inside", TL_BLOCKED + KSEE_R_OTHER, b->blocked_total_ns },
		/* told apart by io_uring completions (USDT markers), else one part */
		{ "off its thread: waiting for I/O (io_uring)", TL_BLOCKED + KSEE_R_IO_URING,
		  b->io_ns },
		{ "off its thread: then waiting for its thread", TL_RUNQ, b->after_io_ns },
		{ "off its thread (I/O, then waiting for its thread)", -1, b->untold_ns },
	};
	char t[FMT_LEN], p[FMT_LEN], cls[16];
	double x = 0, w;
	size_t i;

	if (!b->requests || !b->latency_ns)
		return;
	fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 400 34\" width=\"100%%\" role=\"img\">");
	for (i = 0; i < sizeof(part) / sizeof(part[0]); i++) {
		if (!part[i].ns)
			continue;
		w = (double)part[i].ns / b->latency_ns * 400;
		if (part[i].state < 0)
			snprintf(cls, sizeof(cls), "hb");
		else
			snprintf(cls, sizeof(cls), "s%d", part[i].state);
		fprintf(f, "<rect class=\"%s\" x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"16\">"
			"<title>%s: %s (%s)</title></rect>", cls, x, w, part[i].what,
			fmt_ns(t, sizeof(t), part[i].ns), fmt_pct(p, sizeof(p), part[i].ns,
								 b->latency_ns));
		x += w;
	}
	fprintf(f, "<text x=\"0\" y=\"30\">%llu requests, p50 %s: ",
		(unsigned long long)b->requests,
		fmt_ns(t, sizeof(t), b->p50_ns));
	fprintf(f, "%s on CPU, ", fmt_pct(p, sizeof(p), b->oncpu_ns, b->latency_ns));
	fprintf(f, "%s waking up, ", fmt_pct(p, sizeof(p), b->wakelat_ns, b->latency_ns));
	fprintf(f, "%s waiting for a CPU, ", fmt_pct(p, sizeof(p), b->runq_ns, b->latency_ns));
	fprintf(f, "%s blocked, ", fmt_pct(p, sizeof(p), b->blocked_total_ns, b->latency_ns));
	fprintf(f, "%s off its thread", fmt_pct(p, sizeof(p), b->off_ns, b->latency_ns));
	if (b->io_ns || b->after_io_ns) {
		fprintf(f, " (%s waiting for I/O, ", fmt_pct(p, sizeof(p), b->io_ns, b->latency_ns));
		fprintf(f, "%s then for its thread)",
			fmt_pct(p, sizeof(p), b->after_io_ns, b->latency_ns));
	}
	fputs("</text></svg>\n", f);
}

void html_legend(FILE *f, unsigned int states)
{
	int s;

	fputs("<div class=\"legend\">", f);
	for (s = 0; s < TL_NSTATES; s++) {
		if (!(states & 1u << s))
			continue;
		fprintf(f, "<span><i class=\"s%d\"></i>%s</span>", s, tl_state_name(s));
	}
	fputs("</div>\n", f);
}

void html_findings(FILE *f, const struct ks_findings *fs, const char *title)
{
	int i;

	fputs("<h3>", f);
	html_esc(f, title);
	fputs("</h3>\n<div class=\"verdicts\">\n", f);
	if (!fs->n)
		fputs("<p class=\"mute\">None.</p>\n", f);
	for (i = 0; i < fs->n; i++) {
		const struct ks_finding *x = &fs->list[i];

		fprintf(f, "<div class=\"finding verdict %s\" data-id=\"%s\"><p><b class=\"k\">"
			"%s</b> <b>%s</b></p><p>",
			x->severity == KS_SEV_WARNING ? "v-partly" : "v-na", x->id,
			ks_severity_name(x->severity), x->id);
		html_esc_n(f, x->summary, sizeof(x->summary));
		fputs("</p>", f);
		if (x->advice[0]) {
			fputs("<p><i>next:</i> ", f);
			html_esc_n(f, x->advice, sizeof(x->advice));
			fputs("</p>", f);
		}
		fputs("</div>\n", f);
	}
	if (fs->left_out)
		fprintf(f, "<p class=\"mute\">%d more findings not kept.</p>\n", fs->left_out);
	fputs("</div>\n", f);
}

// SPDX-License-Identifier: GPL-2.0-only
#include <strings.h>
#include <string.h>
#include <errno.h>
#include "output/columns_report.h"
#include "output/render.h"
#include "output/report.h"

static const char *const names[] = {
	[KS_FMT_TEXT] = "text",
	[KS_FMT_JSON] = "json",
	[KS_FMT_MD] = "md",
	[KS_FMT_HTML] = "html",
	[KS_FMT_PERFETTO] = "perfetto",
	[KS_FMT_FOLDED] = "folded",
};

int ks_format_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return i;
	if (!strcmp(name, "markdown"))
		return KS_FMT_MD;
	return -1;
}

const char *ks_format_name(enum ks_format f)
{
	return (unsigned int)f < sizeof(names) / sizeof(names[0]) ? names[f] : "?";
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcasecmp(s + n - m, suffix);
}

int ks_format_from_path(const char *path)
{
	if (ends_with(path, ".perfetto.json") || ends_with(path, ".trace.json") ||
	    ends_with(path, ".pftrace.json"))
		return KS_FMT_PERFETTO;
	if (ends_with(path, ".json"))
		return KS_FMT_JSON;
	if (ends_with(path, ".md") || ends_with(path, ".markdown"))
		return KS_FMT_MD;
	if (ends_with(path, ".html") || ends_with(path, ".htm"))
		return KS_FMT_HTML;
	if (ends_with(path, ".folded"))
		return KS_FMT_FOLDED;
	if (ends_with(path, ".txt"))
		return KS_FMT_TEXT;
	return -1;
}

int ks_render(FILE *f, enum ks_format fmt, const struct ks_report *r,
	      const struct report_opts *ro)
{
	if (r->cols && (fmt == KS_FMT_TEXT || fmt == KS_FMT_JSON)) {
		if (fmt == KS_FMT_JSON)
			return col_report_json(f, r->cols);
		col_report_text(f, r->cols);
		return ferror(f) ? -EIO : 0;
	}
	switch (fmt) {
	case KS_FMT_TEXT:
		if (r->cmp)
			cmp_report_text(f, r->cmp);
		else
			report_text(f, r->tr, ro);
		return ferror(f) ? -EIO : 0;
	case KS_FMT_JSON:
		return r->cmp ? cmp_report_json(f, r->cmp) : report_json_print(f, r->tr);
	case KS_FMT_MD:
		return render_markdown(f, r);
	case KS_FMT_HTML:
		return render_html(f, r);
	case KS_FMT_PERFETTO:
		return render_perfetto(f, r);
	case KS_FMT_FOLDED:
		return render_folded(f, r);
	}
	return -EINVAL;
}

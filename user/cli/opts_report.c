// SPDX-License-Identifier: GPL-2.0-only
/* The options of `ksee report`. */
#include <errno.h>
#include "cli/opts.h"

static const struct option longs[] = {
	OPTS_OUTPUT_LONGS,
	OPTS_TEXT_LONGS,
	{ "stacks-top", required_argument, NULL, OPT_STACKS_TOP },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char help[] =
	"Usage: ksee report FILE [OPTIONS]\n"
	"Render a recording made with --record; no privileges needed.\n\n"
	"Options:\n"
	"  -o, --output FILE      write to FILE (atomically) instead of stdout\n"
	"      --format FMT       text, json, md, html, perfetto or folded (default: from\n"
	"                         -o's extension, else text)\n"
	"  -j, --json             the same as --format json\n"
	"      --threads N        per-process thread rows in the text report (default 20, 0: all)\n"
	"      --edges N          wakeup edges in the text report (default 10, 0: all)\n"
	"      --no-hist          leave the histograms out of the text report\n"
	"      --stacks-top N     stacks shown per process and reason, for a recording\n"
	"                         made with --stacks (default 5)\n"
	"  -h, --help             show this help\n\n"
	"Examples:\n"
	"  sudo ksee run --timeline --record run.ksee -- ./server\n"
	"  ksee report run.ksee -o run.html         # timeline, histograms, wakeup graph\n"
	"  ksee report run.ksee -o run.perfetto.json # open in ui.perfetto.dev\n";

static int operands(struct ksee_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	if (optind >= argc) {
		snprintf(err, errlen, "no recording given: ksee report FILE");
		return -EINVAL;
	}
	if (optind + 1 < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind + 1]);
		return -EINVAL;
	}
	o->input = argv[optind];
	return 0;
}

/* Not "+": options may follow the file name. */
const struct opts_cmd opts_report = {
	.name = "report",
	.shorts = ":jo:h",
	.longs = longs,
	.help = help,
	.option = opts_common,
	.operands = operands,
};

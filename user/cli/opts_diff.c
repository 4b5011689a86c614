// SPDX-License-Identifier: GPL-2.0-only
/* The options of `ksee diff`. */
#include <errno.h>
#include "cli/opts.h"
#include "output/render.h"

static const struct option longs[] = {
	OPTS_OUTPUT_LONGS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char help[] =
	"Usage: ksee diff A B [OPTIONS]\n"
	"Put two recordings of 'run' or 'attach' side by side and say what differs\n"
	"between them; no privileges needed. The columns are named after the files.\n"
	"Of two recordings of 'compare', put each column of A beside the column of\n"
	"the same name in B (FILE/NAME) and compare each name with itself.\n\n"
	"Options:\n"
	"  -o, --output FILE      write to FILE (atomically) instead of stdout\n"
	"      --format FMT       text, json, md or html (default: from -o's extension,\n"
	"                         else text)\n"
	"  -j, --json             the same as --format json\n"
	"  -h, --help             show this help\n\n"
	"Examples:\n"
	"  sudo ksee run --record before.ksee -- ./server-old\n"
	"  sudo ksee run --record after.ksee -- ./server-new\n"
	"  ksee diff before.ksee after.ksee\n"
	"  sudo ksee compare --cmd a='./a' --cmd b='./b' --repeat 3 --record old.ksee\n"
	"  ksee diff old.ksee new.ksee -o diff.html\n";

static int operands(struct ksee_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	if (optind + 2 > argc) {
		snprintf(err, errlen, "two recordings needed: ksee diff A B");
		return -EINVAL;
	}
	if (optind + 2 < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind + 2]);
		return -EINVAL;
	}
	o->input = argv[optind];
	o->input2 = argv[optind + 1];
	return 0;
}

static int check(const struct ksee_opts *o, char *err, size_t errlen)
{
	if (o->format == KS_FMT_PERFETTO) {
		snprintf(err, errlen, "a diff has no perfetto form: use text, json, md or html");
		return -EINVAL;
	}
	return 0;
}

/* Not "+": options may follow the file names. */
const struct opts_cmd opts_diff = {
	.name = "diff",
	.shorts = ":jo:h",
	.longs = longs,
	.help = help,
	.option = opts_common,
	.operands = operands,
	.check = check,
};

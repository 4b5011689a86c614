// SPDX-License-Identifier: GPL-2.0-only
/* The options of `ksee run`. */
#include <errno.h>
#include <string.h>
#include "cli/opts.h"

static const struct option longs[] = {
	{ "markers", required_argument, NULL, OPT_MARKERS },
	OPTS_TRACE_LONGS,
	{ NULL, 0, NULL, 0 },
};

static const char help[] =
	"Usage: ksee run [OPTIONS] [--] CMD [ARGS...]\n"
	"Run CMD traced from its first instruction, with all its threads and child\n"
	"processes, and report what the kernel saw when it exits (or on Ctrl-C).\n"
	"Under sudo, CMD runs as the invoking user. ksee exits with CMD's status\n"
	"(128+N if CMD was killed by signal N).\n\n"
	"Options:\n"
	"      --markers MODE     how to read the program's ksee task markers: block\n"
	"                         (default: each thread's marker block, read when it\n"
	"                         ends; no trap per marker) or usdt (a uprobe trap per\n"
	"                         marker, about a microsecond each)\n"
	OPTS_TRACE_HELP "\n"
	"Examples:\n"
	"  sudo ksee run -- ./server --port 8080   # trace until it exits or Ctrl-C\n"
	"  sudo ksee run -j -o out.json -- make -j2 # JSON report into out.json\n"
	"  sudo ksee run --stacks -- ./server        # where each thread waits\n"
	"  sudo ksee run --stacks -o off.folded -- ./server # for flamegraph.pl\n";

static int option(struct ksee_opts *o, int c, const char *arg, char *err, size_t errlen)
{
	if (c != OPT_MARKERS)
		return opts_common(o, c, arg, err, errlen);
	if (!strcmp(arg, "block")) {
		o->marker_path = KS_MARKERS_BLOCK;
	} else if (!strcmp(arg, "usdt")) {
		o->marker_path = KS_MARKERS_USDT;
	} else {
		snprintf(err, errlen, "unknown marker path '%s': choose block or usdt", arg);
		return -EINVAL;
	}
	return 0;
}

static int operands(struct ksee_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	if (optind >= argc) {
		snprintf(err, errlen, "no command given: ksee run [OPTIONS] -- CMD [ARGS]");
		return -EINVAL;
	}
	o->argv = argv + optind;
	o->argc = argc - optind;
	return 0;
}

const struct opts_cmd opts_run = {
	.name = "run",
	.shorts = "+:jo:i:vh",
	.longs = longs,
	.help = help,
	.traces = true,
	.option = option,
	.operands = operands,
};

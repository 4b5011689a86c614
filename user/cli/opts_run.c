// SPDX-License-Identifier: GPL-2.0-only
/* The options of `ksee run`. */
#include <errno.h>
#include "cli/opts.h"

static const struct option longs[] = {
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
	OPTS_TRACE_HELP "\n"
	"Examples:\n"
	"  sudo ksee run -- ./server --port 8080   # trace until it exits or Ctrl-C\n"
	"  sudo ksee run -j -o out.json -- make -j2 # JSON report into out.json\n"
	"  sudo ksee run --stacks -- ./server        # where each thread waits\n"
	"  sudo ksee run --stacks -o off.folded -- ./server # for flamegraph.pl\n";

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
	.option = opts_common,
	.operands = operands,
};

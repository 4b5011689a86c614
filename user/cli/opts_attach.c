// SPDX-License-Identifier: GPL-2.0-only
/* The options of `ksee attach`. */
#include <errno.h>
#include "cli/opts.h"

static const struct option longs[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "duration", required_argument, NULL, 'd' },
	OPTS_TRACE_LONGS,
	{ NULL, 0, NULL, 0 },
};

static const char help[] =
	"Usage: ksee attach (-p PID[,PID...] | --cgroup PATH) [-d SECS] [OPTIONS]\n"
	"Trace running processes (all their threads, also ones created later, and\n"
	"their child processes) for SECS, until Ctrl-C, or until they all exit (with\n"
	"--cgroup: for SECS or until Ctrl-C).\n\n"
	"Options:\n"
	"  -p, --pid PID[,PID]    processes to trace (required without --cgroup)\n"
	"  -d, --duration SECS    stop after SECS (default: Ctrl-C or exit)\n"
	OPTS_TRACE_HELP "\n"
	"Examples:\n"
	"  sudo ksee attach -p 1234 -d 5           # five seconds of pid 1234\n"
	"  sudo ksee attach --cgroup system.slice/nginx.service -d 10\n";

static int option(struct ksee_opts *o, int c, const char *arg, char *err, size_t errlen)
{
	switch (c) {
	case 'p':
		return opts_parse_pids(o, arg, err, errlen);
	case 'd':
		if (opts_parse_seconds(arg, OPTS_MAX_SECONDS, &o->duration)) {
			snprintf(err, errlen, "invalid duration '%s': expected seconds > 0", arg);
			return -EINVAL;
		}
		return 0;
	}
	return opts_common(o, c, arg, err, errlen);
}

static int operands(struct ksee_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	int ret = opts_no_operands(o, argc, argv, err, errlen);

	if (!ret && !o->npids && !o->cgroup) {
		snprintf(err, errlen, "no process given: ksee attach -p PID or --cgroup PATH");
		return -EINVAL;
	}
	return ret;
}

const struct opts_cmd opts_attach = {
	.name = "attach",
	.shorts = "+:jo:i:vhp:d:",
	.longs = longs,
	.help = help,
	.traces = true,
	.option = option,
	.operands = operands,
};

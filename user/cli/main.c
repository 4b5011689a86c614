// SPDX-License-Identifier: GPL-2.0-only
/* ksee: what the kernel sees. The command table and global options. */
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/opts.h"


static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ksee COMMAND [OPTIONS]\n"
		"Trace a program with eBPF and show what the kernel saw of it: its tasks,\n"
		"when they ran, why they stopped, who woke them, how long they waited.\n\n"
		"Commands:\n"
		"  run [OPTIONS] -- CMD [ARGS]   run CMD traced and report when it exits\n"
		"  attach -p PID [-d SECS]       trace running processes\n"
		"  compare [OPTIONS]             run the demo concurrency models side by side\n"
		"  compare --cmd N=CMD ...       run your own commands side by side\n"
		"  report FILE [OPTIONS]         render a recording (no privileges needed)\n"
		"  serve -p PID|--comm NAME|--cgroup PATH [OPTIONS]\n"
		"                                keep tracing, serve Prometheus metrics\n"
		"  diff A B [OPTIONS]            two recordings side by side (no privileges)\n"
		"  help                          show this help\n"
		"  version                       show the version\n\n"
		"'ksee COMMAND --help' shows a command's options. Tracing needs root, or\n"
		"CAP_BPF and CAP_PERFMON.\n");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} cmds[] = {
		{ "run", do_run },
		{ "attach", do_attach },
		{ "compare", do_compare },
		{ "report", do_report },
		{ "serve", do_serve },
		{ "diff", do_diff },
	};
	size_t i;

	setlinebuf(stdout);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version") ||
	    !strcmp(argv[1], "-V")) {
		printf("ksee %s\n", KSEE_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	/* cut, as every message quoting the user's input */
	fprintf(stderr, "ksee: unknown command '%.64s%s'\nTry 'ksee help'.\n", argv[1],
		strlen(argv[1]) > 64 ? "..." : "");
	return EXIT_USAGE;
}

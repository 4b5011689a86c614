// SPDX-License-Identifier: GPL-2.0-only
/* The options of `ksee compare`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli/opts.h"
#include "output/render.h"

static const struct option longs[] = {
	{ "models", required_argument, NULL, OPT_MODELS },
	{ "runtimes", optional_argument, NULL, OPT_RUNTIMES },
	{ "requests", required_argument, NULL, OPT_REQUESTS },
	{ "concurrency", required_argument, NULL, OPT_CONCURRENCY },
	{ "io-ms", required_argument, NULL, OPT_IO_MS },
	{ "cpu-us", required_argument, NULL, OPT_CPU_US },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "cmd", required_argument, NULL, OPT_CMD },
	{ "cmds", required_argument, NULL, OPT_CMDS },
	{ "repeat", required_argument, NULL, OPT_REPEAT },
	OPTS_OUTPUT_LONGS,
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "syscalls", no_argument, NULL, OPT_SYSCALLS },
	{ "stacks", no_argument, NULL, OPT_STACKS },
	{ "timeline", no_argument, NULL, OPT_TIMELINE },
	OPTS_TEXT_LONGS,
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char help[] =
	"Usage: ksee compare [OPTIONS]\n"
	"       ksee compare --cmd NAME=COMMAND --cmd NAME=COMMAND... [OPTIONS]\n"
	"Run the bundled demos, one workload in each concurrency model, each traced,\n"
	"and print them side by side with a verdict on each claim (C1..C9). With\n"
	"--cmd, run your own commands instead, each traced, and print them side by\n"
	"side with what differs between them.\n\n"
	"Options:\n"
	"      --cmd NAME=COMMAND run COMMAND (with /bin/sh -c, as the invoking user)\n"
	"                         as the column NAME; at least two, at most 16\n"
	"      --cmds FILE        read NAME=COMMAND lines from FILE ('#' comments)\n"
	"      --repeat N         run every column N times, interleaved, and show\n"
	"                         medians with their range (default 1, at most 25)\n"
	"      --models LIST      comma-separated, from: blocking,threads,pool,epoll,\n"
	"                         uring,coro,gil,procs, or all (default: all)\n"
	"      --runtimes[=LIST]  also the real runtimes, comma-separated, from:\n"
	"                         py-asyncio,py-asyncio-blocking,py-threads,py-procs,\n"
	"                         cs-async,go,node (default: all); alone, without\n"
	"                         the demos (add --models to have both)\n"
	"      --requests R       requests per model (default 300)\n"
	"      --concurrency C    requests in flight at most (default 16)\n"
	"      --io-ms D          the I/O server's delay per request, ms (default 5)\n"
	"      --cpu-us W         CPU work per request, us (default 10000)\n"
	"      --workers N        pool threads / gil threads / processes (default 4)\n"
	"      --timeout SECS     a model or command taking longer fails (default: from\n"
	"                         the workload; none for commands)\n"
	"  -j, --json             print the comparison as JSON (docs/json.md)\n"
	"  -o, --output FILE      write it to FILE (atomically; owned by the sudo user)\n"
	"      --format FMT       text, json, md, html, or perfetto with --cmd and\n"
	"                         --timeline (default: from -o's extension, else text)\n"
	"      --record FILE      also save the comparison, every run of every column,\n"
	"                         to FILE for 'ksee report' and 'ksee diff'\n"
	"      --syscalls         also hook every syscall's exit (calls and events per\n"
	"                         family in each model's report)\n"
	"      --stacks           take the call stack of every sleep: each model's top\n"
	"                         stacks (where its threads wait)\n"
	"      --timeline         with --cmd: record every command's first run; html\n"
	"                         draws its threads on one shared time scale, perfetto\n"
	"                         shows one process group per command\n"
	"  -v, --verbose          show libbpf's messages\n"
	"  -h, --help             show this help\n\n"
	"Examples:\n"
	"  sudo ksee compare                              # all models, default workload\n"
	"  sudo ksee compare --models epoll,pool --requests 2000 --concurrency 64 \\\n"
	"       --io-ms 5 --cpu-us 200 --workers 4\n"
	"  sudo ksee compare --runtimes --requests 100  # Python, C#, Go, Node\n"
	"  sudo ksee compare --runtimes=py-threads,py-procs --models gil,procs\n"
	"  sudo ksee compare --cmd spin='./spin 100' --cmd naps='./naps 10 20' --repeat 3\n";

/* Set every demo (@runtimes false) or every runtime in o->models[] to @on. */
static void select_all(struct ksee_opts *o, bool runtimes, bool on)
{
	int m;

	for (m = 0; m < CMP_NMODELS; m++)
		if (cmp_model_is_runtime(m) == runtimes)
			o->models[m] = on;
}

/* --models LIST (@runtimes false) or --runtimes=LIST: names of that kind, or "all". */
static int parse_models(struct ksee_opts *o, const char *s, bool runtimes, char *err,
			size_t errlen)
{
	const char *what = runtimes ? "runtime" : "model";
	char *copy = strdup(s), *tok, *save = NULL;
	int m, n = 0, ret = 0;

	if (!copy)
		return -ENOMEM;
	select_all(o, runtimes, !strcmp(s, "all"));
	for (tok = strtok_r(copy, ",", &save); tok && strcmp(s, "all");
	     tok = strtok_r(NULL, ",", &save)) {
		m = cmp_model_parse(tok);
		if (m < 0 || cmp_model_is_runtime(m) != runtimes) {
			snprintf(err, errlen, "unknown %s '%s': choose from %s", what, tok,
				 runtimes ? "py-asyncio, py-asyncio-blocking, py-threads, py-procs, "
				 "cs-async, go, node" : "blocking, threads, pool, epoll, uring, coro, "
				 "gil, procs");
			ret = -EINVAL;
			break;
		}
		o->models[m] = true;
		n++;
	}
	if (!ret && !n && strcmp(s, "all")) {
		snprintf(err, errlen, "empty %s list", what);
		ret = -EINVAL;
	}
	free(copy);
	return ret;
}

/* A workload number: whole, within what the demos accept. */
static int parse_wl(const char *name, const char *s, unsigned long min, unsigned long max,
		    unsigned long *out, char *err, size_t errlen)
{
	if (opts_parse_uint(s, min, max, out) == 0)
		return 0;
	snprintf(err, errlen, "invalid %s '%s': expected a whole number from %lu to %lu", name, s,
		 min, max);
	return -EINVAL;
}

static void defaults(struct ksee_opts *o)
{
	int m;

	o->wl.requests = 300;
	o->wl.concurrency = 16;
	o->wl.io_ms = 5;
	o->wl.cpu_us = 10000;
	o->wl.workers = 4;
	for (m = 0; m < CMP_NMODELS; m++)
		o->models[m] = !cmp_model_is_runtime(m);
	o->repeat = 1;
}

/* --cmd NAME=COMMAND: the name is checked now (a bad one is a usage error). */
static int add_cmd(struct ksee_opts *o, const char *arg, char *err, size_t errlen)
{
	char name[COL_NAME_LEN], cmd[512];

	if (o->ncmds >= COL_MAX) {
		snprintf(err, errlen, "too many commands: at most %d", COL_MAX);
		return -EINVAL;
	}
	if (col_parse_spec(arg, name, sizeof(name), cmd, sizeof(cmd), err, errlen))
		return -EINVAL;
	o->cmds[o->ncmds++] = arg;
	return 0;
}

static int option(struct ksee_opts *o, int c, const char *arg, char *err, size_t errlen)
{
	unsigned long n;

	switch (c) {
	case OPT_CMD:
		return add_cmd(o, arg, err, errlen);
	case OPT_CMDS:
		o->cmds_file = arg;
		return 0;
	case OPT_REPEAT:
		if (opts_parse_uint(arg, 1, COL_RUNS_MAX, &n) == 0) {
			o->repeat = n;
			return 0;
		}
		snprintf(err, errlen, "invalid repeat count '%s': expected a whole number from 1 "
			 "to %d", arg, COL_RUNS_MAX);
		return -EINVAL;
	}
	switch (c) {
	case OPT_RUNTIMES:
		o->runtimes_given = true;
		if (!o->models_given)	/* --runtimes alone: no demos */
			select_all(o, false, false);
		return parse_models(o, arg ? arg : "all", true, err, errlen);
	case OPT_MODELS:
		o->models_given = true;
		break;
	}
	switch (c) {
	case OPT_MODELS:
	case OPT_REQUESTS:
	case OPT_CONCURRENCY:
	case OPT_IO_MS:
	case OPT_CPU_US:
	case OPT_WORKERS:
		o->workload_given = true;
	}
	switch (c) {
	case OPT_MODELS:
		return parse_models(o, arg, false, err, errlen);
	case OPT_REQUESTS:
		return parse_wl("request count", arg, 1, 10000000, &o->wl.requests, err, errlen);
	case OPT_CONCURRENCY:
		return parse_wl("concurrency", arg, 1, 10000, &o->wl.concurrency, err, errlen);
	case OPT_IO_MS:
		return parse_wl("I/O delay", arg, 0, 60000, &o->wl.io_ms, err, errlen);
	case OPT_CPU_US:
		return parse_wl("CPU work", arg, 0, 10000000, &o->wl.cpu_us, err, errlen);
	case OPT_WORKERS:
		return parse_wl("worker count", arg, 1, 1024, &o->wl.workers, err, errlen);
	case OPT_TIMEOUT:
		if (opts_parse_seconds(arg, OPTS_MAX_SECONDS, &o->timeout) == 0)
			return 0;
		snprintf(err, errlen, "invalid timeout '%s': expected seconds > 0", arg);
		return -EINVAL;
	}
	return opts_common(o, c, arg, err, errlen);
}

static int check(const struct ksee_opts *o, char *err, size_t errlen)
{
	if (o->format == KS_FMT_FOLDED || (o->format == KS_FMT_PERFETTO && !o->timeline)) {
		snprintf(err, errlen, "a comparison has no %s form%s: use text, json, md or html",
			 ks_format_name(o->format), o->format == KS_FMT_PERFETTO ?
			 " without --cmd and --timeline" : "");
		return -EINVAL;
	}
	if ((o->ncmds || o->cmds_file) && o->runtimes_given) {
		snprintf(err, errlen, "--runtimes runs the bundled runtime programs: leave out "
			 "--cmd and --cmds, or name the runtimes' commands in --cmd");
		return -EINVAL;
	}
	if ((o->ncmds || o->cmds_file) && o->workload_given) {
		snprintf(err, errlen, "--models and the workload options are for the demos, not "
			 "--cmd or --cmds");
		return -EINVAL;
	}
	if (o->ncmds == 1 && !o->cmds_file) {
		snprintf(err, errlen, "one --cmd: compare needs at least two commands");
		return -EINVAL;
	}
	if (o->timeline && !o->ncmds && !o->cmds_file) {
		snprintf(err, errlen, "--timeline is for run, attach and compare --cmd, not the "
			 "demo models");
		return -EINVAL;
	}
	if (o->timeline && o->format != KS_FMT_HTML && o->format != KS_FMT_PERFETTO &&
	    !o->record) {
		snprintf(err, errlen, "compare --cmd --timeline draws the timelines in html or "
			 "perfetto: add -o FILE.html, -o FILE.perfetto.json or --record FILE");
		return -EINVAL;
	}
	return 0;
}

const struct opts_cmd opts_compare = {
	.name = "compare",
	.shorts = "+:jo:vh",
	.longs = longs,
	.help = help,
	.traces = true,
	.defaults = defaults,
	.option = option,
	.operands = opts_no_operands,
	.check = check,
};

// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli/opts.h"
#include "output/render.h"

#define MAX_SECONDS (7 * 24 * 3600.0)

enum { OPT_THREADS = 256, OPT_EDGES, OPT_NO_HIST, OPT_MODELS, OPT_REQUESTS, OPT_CONCURRENCY,
	OPT_IO_MS, OPT_CPU_US, OPT_WORKERS, OPT_TIMEOUT, OPT_FORMAT, OPT_RECORD, OPT_TIMELINE,
	OPT_NO_MARKERS, OPT_SYSCALLS };

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "interval", required_argument, NULL, 'i' },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "edges", required_argument, NULL, OPT_EDGES },
	{ "no-hist", no_argument, NULL, OPT_NO_HIST },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "pid", required_argument, NULL, 'p' },
	{ "duration", required_argument, NULL, 'd' },
	{ "models", required_argument, NULL, OPT_MODELS },
	{ "requests", required_argument, NULL, OPT_REQUESTS },
	{ "concurrency", required_argument, NULL, OPT_CONCURRENCY },
	{ "io-ms", required_argument, NULL, OPT_IO_MS },
	{ "cpu-us", required_argument, NULL, OPT_CPU_US },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "timeline", no_argument, NULL, OPT_TIMELINE },
	{ "no-markers", no_argument, NULL, OPT_NO_MARKERS },
	{ "syscalls", no_argument, NULL, OPT_SYSCALLS },
	{ NULL, 0, NULL, 0 },
};

static const char common_help[] =
	"  -j, --json             print the report as JSON (docs/json.md) instead of text\n"
	"  -o, --output FILE      write the report to FILE (atomically; owned by the sudo user)\n"
	"      --format FMT       text, json, md, html or perfetto (default: from -o's\n"
	"                         extension, else text)\n"
	"      --record FILE      also save everything to FILE for 'ksee report' later\n"
	"      --timeline         stream every state change of every task into the\n"
	"                         recording (needs --record, or html/perfetto output)\n"
	"      --syscalls         also hook every syscall's exit: calls, time in the\n"
	"                         call and events returned per family (costs every\n"
	"                         process a hook per syscall; without it, sleeps in\n"
	"                         syscalls are still counted and timed)\n"
	"      --no-markers       do not count the program's ksee task markers (USDT:\n"
	"                         a uprobe trap of about a microsecond each)\n"
	"  -i, --interval SECS    print a one-line running summary to stderr every SECS\n"
	"      --threads N        per-process thread rows in the text report (default 20, 0: all)\n"
	"      --edges N          wakeup edges in the text report (default 10, 0: all)\n"
	"      --no-hist          leave the histograms out of the text report\n"
	"  -v, --verbose          show libbpf's messages\n"
	"  -h, --help             show this help\n";

static const char compare_help[] =
	"Usage: ksee compare [OPTIONS]\n"
	"Run the bundled demos, one workload in each concurrency model, each traced,\n"
	"and print them side by side with a verdict on each claim (C1..C9).\n\n"
	"Options:\n"
	"      --models LIST      comma-separated, from: blocking,threads,pool,epoll,\n"
	"                         uring,coro,gil,procs (default: all)\n"
	"      --requests R       requests per model (default 300)\n"
	"      --concurrency C    requests in flight at most (default 16)\n"
	"      --io-ms D          the I/O server's delay per request, ms (default 5)\n"
	"      --cpu-us W         CPU work per request, us (default 10000)\n"
	"      --workers N        pool threads / gil threads / processes (default 4)\n"
	"      --timeout SECS     a model taking longer fails (default: from the workload)\n"
	"  -j, --json             print the comparison as JSON (docs/json.md)\n"
	"  -o, --output FILE      write it to FILE (atomically; owned by the sudo user)\n"
	"      --format FMT       text, json, md or html (default: from -o's extension,\n"
	"                         else text)\n"
	"      --record FILE      also save the comparison to FILE for 'ksee report'\n"
	"      --syscalls         also hook every syscall's exit (calls and events per\n"
	"                         family in each model's report)\n"
	"  -v, --verbose          show libbpf's messages\n"
	"  -h, --help             show this help\n\n"
	"Examples:\n"
	"  sudo ksee compare                              # all models, default workload\n"
	"  sudo ksee compare --models epoll,pool --requests 2000 --concurrency 64 \\\n"
	"       --io-ms 5 --cpu-us 200 --workers 4\n";

static const char report_help[] =
	"Usage: ksee report FILE [OPTIONS]\n"
	"Render a recording made with --record; no privileges needed.\n\n"
	"Options:\n"
	"  -o, --output FILE      write to FILE (atomically) instead of stdout\n"
	"      --format FMT       text, json, md, html or perfetto (default: from -o's\n"
	"                         extension, else text)\n"
	"  -j, --json             the same as --format json\n"
	"      --threads N        per-process thread rows in the text report (default 20, 0: all)\n"
	"      --edges N          wakeup edges in the text report (default 10, 0: all)\n"
	"      --no-hist          leave the histograms out of the text report\n"
	"  -h, --help             show this help\n\n"
	"Examples:\n"
	"  sudo ksee run --timeline --record run.ksee -- ./server\n"
	"  ksee report run.ksee -o run.html         # timeline, histograms, wakeup graph\n"
	"  ksee report run.ksee -o run.perfetto.json # open in ui.perfetto.dev\n";

void opts_usage(FILE *f, enum ksee_cmd cmd)
{
	if (cmd == KSEE_CMD_REPORT) {
		fputs(report_help, f);
	} else if (cmd == KSEE_CMD_COMPARE) {
		fputs(compare_help, f);
	} else if (cmd == KSEE_CMD_RUN) {
		fprintf(f,
			"Usage: ksee run [OPTIONS] [--] CMD [ARGS...]\n"
			"Run CMD traced from its first instruction, with all its threads and child\n"
			"processes, and report what the kernel saw when it exits (or on Ctrl-C).\n"
			"Under sudo, CMD runs as the invoking user. ksee exits with CMD's status\n"
			"(128+N if CMD was killed by signal N).\n\n"
			"Options:\n%s\n"
			"Examples:\n"
			"  sudo ksee run -- ./server --port 8080   # trace until it exits or Ctrl-C\n"
			"  sudo ksee run -j -o out.json -- make -j2 # JSON report into out.json\n",
			common_help);
	} else {
		fprintf(f,
			"Usage: ksee attach -p PID[,PID...] [-d SECS] [OPTIONS]\n"
			"Trace running processes (all their threads, also ones created later, and\n"
			"their child processes) for SECS, until Ctrl-C, or until they all exit.\n\n"
			"Options:\n"
			"  -p, --pid PID[,PID]    processes to trace (required)\n"
			"  -d, --duration SECS    stop after SECS (default: Ctrl-C or exit)\n%s\n"
			"Examples:\n"
			"  sudo ksee attach -p 1234 -d 5           # five seconds of pid 1234\n",
			common_help);
	}
}

int opts_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int opts_parse_seconds(const char *s, double max, double *out)
{
	double v;
	char *end;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	/* v == v rejects NaN */
	if (errno || *end || !(v == v) || v <= 0 || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int opts_parse_pids(struct ksee_opts *o, const char *s, char *err, size_t errlen)
{
	char *copy = strdup(s), *tok, *save = NULL;
	unsigned long v;
	int i, ret = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (opts_parse_uint(tok, 1, 4194304, &v)) {
			snprintf(err, errlen, "invalid pid '%s': expected a number from 1 to 4194304",
				 tok);
			ret = -EINVAL;
			break;
		}
		for (i = 0; i < o->npids && o->pids[i] != v; i++)
			;
		if (i < o->npids)
			continue;	/* listed twice */
		if (o->npids == KSEE_MAX_TARGETS) {
			snprintf(err, errlen, "too many pids: at most %d", KSEE_MAX_TARGETS);
			ret = -EINVAL;
			break;
		}
		o->pids[o->npids++] = v;
	}
	if (!ret && !o->npids) {
		snprintf(err, errlen, "invalid pid list '%s'", s);
		ret = -EINVAL;
	}
	free(copy);
	return ret;
}

static int parse_models(struct ksee_opts *o, const char *s, char *err, size_t errlen)
{
	char *copy = strdup(s), *tok, *save = NULL;
	int m, n = 0, ret = 0;

	if (!copy)
		return -ENOMEM;
	memset(o->models, 0, sizeof(o->models));
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		m = cmp_model_parse(tok);
		if (m < 0) {
			snprintf(err, errlen, "unknown model '%s': choose from blocking, threads, "
				 "pool, epoll, uring, coro, gil, procs", tok);
			ret = -EINVAL;
			break;
		}
		o->models[m] = true;
		n++;
	}
	if (!ret && !n) {
		snprintf(err, errlen, "empty model list");
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

static void compare_defaults(struct ksee_opts *o)
{
	int m;

	o->wl.requests = 300;
	o->wl.concurrency = 16;
	o->wl.io_ms = 5;
	o->wl.cpu_us = 10000;
	o->wl.workers = 4;
	for (m = 0; m < CMP_NMODELS; m++)
		o->models[m] = true;
}

/* The output format from --format, -j and -o's extension, and what goes with it. */
static int settle_format(struct ksee_opts *o, enum ksee_cmd cmd, char *err, size_t errlen)
{
	int from_path = o->output ? ks_format_from_path(o->output) : -1;

	if (o->json && o->format >= 0 && o->format != KS_FMT_JSON) {
		snprintf(err, errlen, "-j and --format %s contradict each other",
			 ks_format_name(o->format));
		return -EINVAL;
	}
	if (o->format < 0)
		o->format = o->json ? KS_FMT_JSON : from_path >= 0 ? from_path : KS_FMT_TEXT;
	o->json = o->format == KS_FMT_JSON;
	if (cmd == KSEE_CMD_COMPARE && o->format == KS_FMT_PERFETTO) {
		snprintf(err, errlen, "a comparison has no perfetto form: use text, json, md or "
			 "html");
		return -EINVAL;
	}
	if (cmd == KSEE_CMD_COMPARE && o->timeline) {
		snprintf(err, errlen, "--timeline is for run and attach, not compare");
		return -EINVAL;
	}
	if (o->timeline && !o->record && o->format != KS_FMT_HTML &&
	    o->format != KS_FMT_PERFETTO) {
		snprintf(err, errlen, "--timeline needs somewhere to go: --record FILE, or "
			 "--format html or perfetto");
		return -EINVAL;
	}
	return 0;
}

static int parse_compare_opt(struct ksee_opts *o, int c, const char *arg, char *err,
			     size_t errlen)
{
	switch (c) {
	case OPT_MODELS:
		return parse_models(o, arg, err, errlen);
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
		if (opts_parse_seconds(arg, MAX_SECONDS, &o->timeout) == 0)
			return 0;
		snprintf(err, errlen, "invalid timeout '%s': expected seconds > 0", arg);
		return -EINVAL;
	}
	return -EINVAL;
}

int opts_parse(struct ksee_opts *o, enum ksee_cmd cmd, int argc, char **argv,
	       char *err, size_t errlen)
{
	const char *shorts = cmd == KSEE_CMD_RUN ? "+:jo:i:vh" :
			     cmd == KSEE_CMD_ATTACH ? "+:jo:i:vhp:d:" :
			     cmd == KSEE_CMD_COMPARE ? "+:jo:vh" : ":jo:h";
	unsigned long v;
	int c, ret;

	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	o->threads = 20;
	o->edges = 10;
	o->histograms = true;
	o->format = -1;
	if (cmd == KSEE_CMD_COMPARE)
		compare_defaults(o);
	optind = 0;	/* glibc: full re-initialisation, so tests can parse twice */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, long_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'o':
			if (!*optarg) {
				snprintf(err, errlen, "empty output file name");
				return -EINVAL;
			}
			o->output = optarg;
			break;
		case 'i':
			if (cmd == KSEE_CMD_COMPARE || cmd == KSEE_CMD_REPORT)
				goto unknown;
			if (opts_parse_seconds(optarg, MAX_SECONDS, &o->interval)) {
				snprintf(err, errlen, "invalid interval '%s': expected seconds > 0",
					 optarg);
				return -EINVAL;
			}
			break;
		case OPT_THREADS:
		case OPT_EDGES:
			if (opts_parse_uint(optarg, 0, 1000000, &v)) {
				snprintf(err, errlen, "invalid count '%s': expected 0 to 1000000",
					 optarg);
				return -EINVAL;
			}
			*(c == OPT_THREADS ? &o->threads : &o->edges) = v;
			break;
		case OPT_NO_HIST:
			o->histograms = false;
			break;
		case 'v':
			if (cmd == KSEE_CMD_REPORT)
				goto unknown;
			o->verbose = true;
			break;
		case 'h':
			return 1;
		case 'p':
			if (cmd != KSEE_CMD_ATTACH)
				goto unknown;
			ret = opts_parse_pids(o, optarg, err, errlen);
			if (ret)
				return ret;
			break;
		case 'd':
			if (cmd != KSEE_CMD_ATTACH)
				goto unknown;
			if (opts_parse_seconds(optarg, MAX_SECONDS, &o->duration)) {
				snprintf(err, errlen, "invalid duration '%s': expected seconds > 0",
					 optarg);
				return -EINVAL;
			}
			break;
		case OPT_FORMAT:
			o->format = ks_format_parse(optarg);
			if (o->format < 0) {
				snprintf(err, errlen, "unknown format '%s': choose text, json, md, html "
					 "or perfetto", optarg);
				return -EINVAL;
			}
			break;
		case OPT_RECORD:
			if (cmd == KSEE_CMD_REPORT)
				goto unknown;
			if (!*optarg) {
				snprintf(err, errlen, "empty recording file name");
				return -EINVAL;
			}
			o->record = optarg;
			break;
		case OPT_TIMELINE:
			if (cmd == KSEE_CMD_REPORT)
				goto unknown;
			o->timeline = true;
			break;
		case OPT_SYSCALLS:
			if (cmd == KSEE_CMD_REPORT)
				goto unknown;
			o->syscalls = true;
			break;
		case OPT_NO_MARKERS:
			if (cmd != KSEE_CMD_RUN && cmd != KSEE_CMD_ATTACH)
				goto unknown;
			o->no_markers = true;
			break;
		case OPT_MODELS:
		case OPT_REQUESTS:
		case OPT_CONCURRENCY:
		case OPT_IO_MS:
		case OPT_CPU_US:
		case OPT_WORKERS:
		case OPT_TIMEOUT:
			if (cmd != KSEE_CMD_COMPARE)
				goto unknown;
			ret = parse_compare_opt(o, c, optarg, err, errlen);
			if (ret)
				return ret;
			break;
		case ':':
			snprintf(err, errlen, "option '%s' needs a value", argv[optind - 1]);
			return -EINVAL;
		default:
unknown:
			if (optopt && optopt < 256)
				snprintf(err, errlen, "unknown option '-%c'", optopt);
			else
				snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (cmd == KSEE_CMD_REPORT) {
		if (optind >= argc) {
			snprintf(err, errlen, "no recording given: ksee report FILE");
			return -EINVAL;
		}
		if (optind + 1 < argc) {
			snprintf(err, errlen, "unexpected argument '%s'", argv[optind + 1]);
			return -EINVAL;
		}
		o->input = argv[optind];
	} else if (cmd == KSEE_CMD_COMPARE) {
		if (optind < argc) {
			snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
			return -EINVAL;
		}
	} else if (cmd == KSEE_CMD_RUN) {
		if (optind >= argc) {
			snprintf(err, errlen, "no command given: ksee run [OPTIONS] -- CMD [ARGS]");
			return -EINVAL;
		}
		o->argv = argv + optind;
		o->argc = argc - optind;
	} else {
		if (optind < argc) {
			snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
			return -EINVAL;
		}
		if (!o->npids) {
			snprintf(err, errlen, "no process given: ksee attach -p PID");
			return -EINVAL;
		}
	}
	return settle_format(o, cmd, err, errlen);
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Command-line options. Each command describes itself in its own file
 * (opts_run.c, opts_attach.c, opts_compare.c, opts_report.c: its option
 * table, its help, how it reads each option and its operands); this
 * header holds what they share. Pure: no tracing, no output.
 */
#ifndef KSEE_OPTS_H
#define KSEE_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "model/columns.h"
#include "model/comparison.h"

#define KSEE_MAX_TARGETS 64
#define EXIT_USAGE 64	/* sysexits.h EX_USAGE, as argp */
#define OPTS_MAX_SECONDS (7 * 24 * 3600.0)

struct ksee_opts {
	bool json;
	bool verbose;
	bool histograms;
	const char *output;	/* -o FILE; NULL: stdout */
	int format;		/* enum ks_format; decided by opts_parse() */
	const char *record;	/* --record FILE */
	bool timeline;		/* --timeline */
	bool no_markers;	/* --no-markers: leave the task markers alone */
	int marker_path;	/* --markers: enum ks_marker_path (run; attach: USDT) */
	bool syscalls;		/* --syscalls: hook sys_exit too */
	bool stacks;		/* --stacks: off-CPU call stacks */
	unsigned int stacks_top;	/* --stacks-top N: stacks per process and reason shown */
	const char *input;	/* report: the recording to render; diff: the first one */
	const char *input2;	/* diff: the second recording */
	unsigned int threads;	/* rows per process in the text report; 0: all */
	unsigned int edges;	/* wakeup edges in the text report; 0: all */
	double interval;	/* seconds between progress lines on stderr; 0: none */
	double duration;	/* attach: seconds to trace; 0: until Ctrl-C or exit */
	const char *cgroup;	/* --cgroup PATH: its processes too, those that join later */
	__u32 pids[KSEE_MAX_TARGETS];
	int npids;
	char **argv;		/* run: the command and its arguments */
	int argc;
	/* compare */
	struct cmp_workload wl;
	bool models[CMP_NMODELS];	/* which models to run: demos, and runtimes */
	bool models_given;	/* --models */
	bool runtimes_given;	/* --runtimes[=LIST] */
	double timeout;		/* seconds one model may take; 0: derived from the workload */
	bool workload_given;	/* --models or a workload option was given */
	const char *cmds[COL_MAX];	/* --cmd NAME=COMMAND, as given (names checked) */
	int ncmds;
	const char *cmds_file;	/* --cmds FILE */
	unsigned int repeat;	/* --repeat N: runs per column (default 1) */
};

/* Long options without a short form; each command lists the ones it takes. */
enum {
	OPT_THREADS = 256, OPT_EDGES, OPT_NO_HIST, OPT_MODELS, OPT_REQUESTS, OPT_CONCURRENCY,
	OPT_IO_MS, OPT_CPU_US, OPT_WORKERS, OPT_TIMEOUT, OPT_FORMAT, OPT_RECORD, OPT_TIMELINE,
	OPT_NO_MARKERS, OPT_SYSCALLS, OPT_CGROUP, OPT_MARKERS, OPT_STACKS, OPT_STACKS_TOP,
	OPT_CMD, OPT_CMDS, OPT_REPEAT,
	OPT_RUNTIMES,
};

/* Rows of the commands' option tables, in the order their help lists them. */
#define OPTS_OUTPUT_LONGS \
	{ "json", no_argument, NULL, 'j' }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "format", required_argument, NULL, OPT_FORMAT }
#define OPTS_TEXT_LONGS \
	{ "threads", required_argument, NULL, OPT_THREADS }, \
	{ "edges", required_argument, NULL, OPT_EDGES }, \
	{ "no-hist", no_argument, NULL, OPT_NO_HIST }
#define OPTS_TRACE_LONGS \
	OPTS_OUTPUT_LONGS, \
	{ "record", required_argument, NULL, OPT_RECORD }, \
	{ "timeline", no_argument, NULL, OPT_TIMELINE }, \
	{ "syscalls", no_argument, NULL, OPT_SYSCALLS }, \
	{ "stacks", no_argument, NULL, OPT_STACKS }, \
	{ "stacks-top", required_argument, NULL, OPT_STACKS_TOP }, \
	{ "no-markers", no_argument, NULL, OPT_NO_MARKERS }, \
	{ "cgroup", required_argument, NULL, OPT_CGROUP }, \
	{ "interval", required_argument, NULL, 'i' }, \
	OPTS_TEXT_LONGS, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "help", no_argument, NULL, 'h' }

/* An option handler's answer for an option that is not its own. */
#define OPTS_NOT_MINE 1

/* A command as the option parser sees it. */
struct opts_cmd {
	const char *name;		/* "run" */
	const char *shorts;		/* getopt's short options, "+:" first to stop at CMD */
	const struct option *longs;
	const char *help;		/* what --help prints */
	bool traces;			/* it loads the BPF side: needs the privileges */
	/* Its defaults beyond the common ones; NULL: none. */
	void (*defaults)(struct ksee_opts *o);
	/* Its own options: 0, -EINVAL with a message, or OPTS_NOT_MINE. */
	int (*option)(struct ksee_opts *o, int c, const char *arg, char *err, size_t errlen);
	/* The words after the options: 0 or -EINVAL with a message. */
	int (*operands)(struct ksee_opts *o, int argc, char **argv, char *err, size_t errlen);
	/* Last checks once the format is known; NULL: none. */
	int (*check)(const struct ksee_opts *o, char *err, size_t errlen);
};

extern const struct opts_cmd opts_run, opts_attach, opts_compare, opts_report, opts_diff;

/*
 * Parse @argv (argv[0] is the command name) for @cmd. Returns 0, 1 when
 * --help was asked for, or -EINVAL with a message in @err.
 */
int opts_parse(struct ksee_opts *o, const struct opts_cmd *cmd, int argc, char **argv,
	       char *err, size_t errlen);

/* The options that several commands take (-j, -o, --format, ...); OPTS_NOT_MINE otherwise. */
int opts_common(struct ksee_opts *o, int c, const char *arg, char *err, size_t errlen);

/* Whole number in [min, max]; 0 or -EINVAL. */
int opts_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out);

/* Positive number of seconds, at most @max; 0 or -EINVAL. */
int opts_parse_seconds(const char *s, double max, double *out);

/* "PID[,PID...]" into @o->pids; 0 or -EINVAL with a message. */
int opts_parse_pids(struct ksee_opts *o, const char *s, char *err, size_t errlen);

/* No words after the options: 0 or -EINVAL naming the first one. */
int opts_no_operands(struct ksee_opts *o, int argc, char **argv, char *err, size_t errlen);

/* The options of `run` and `attach` in --help, after their own. */
#define OPTS_TRACE_HELP \
	"  -j, --json             print the report as JSON (docs/json.md) instead of text\n" \
	"  -o, --output FILE      write the report to FILE (atomically; owned by the sudo user)\n" \
	"      --format FMT       text, json, md, html, perfetto or folded (default: from\n" \
	"                         -o's extension, else text)\n" \
	"      --record FILE      also save everything to FILE for 'ksee report' later\n" \
	"      --timeline         stream every state change of every task into the\n" \
	"                         recording (needs --record, or html/perfetto output)\n" \
	"      --syscalls         also hook every syscall's exit: calls, time in the\n" \
	"                         call and events returned per family (costs every\n" \
	"                         process a hook per syscall; without it, sleeps in\n" \
	"                         syscalls are still counted and timed)\n" \
	"      --stacks           take the kernel and user call stack of every sleep\n" \
	"                         (voluntary switch-out) and show where each process\n" \
	"                         waits, per reason (and --format folded)\n" \
	"      --stacks-top N     stacks shown per process and reason (default 5)\n" \
	"      --no-markers       do not count the program's ksee task markers\n" \
	"      --cgroup PATH      also trace every process in the cgroup PATH (under\n" \
	"                         /sys/fs/cgroup: a container, a systemd service), those\n" \
	"                         that join it while tracing too\n" \
	"  -i, --interval SECS    print a one-line running summary to stderr every SECS\n" \
	"      --threads N        per-process thread rows in the text report (default 20, 0: all)\n" \
	"      --edges N          wakeup edges in the text report (default 10, 0: all)\n" \
	"      --no-hist          leave the histograms out of the text report\n" \
	"  -v, --verbose          show libbpf's messages\n" \
	"  -h, --help             show this help\n"

#endif

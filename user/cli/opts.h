/* SPDX-License-Identifier: GPL-2.0-only */
/* Command-line options of `ksee run` and `ksee attach`. Pure. */
#ifndef KSEE_OPTS_H
#define KSEE_OPTS_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "model/comparison.h"

#define KSEE_MAX_TARGETS 64
#define EXIT_USAGE 64	/* sysexits.h EX_USAGE, as argp */

enum ksee_cmd {
	KSEE_CMD_RUN,
	KSEE_CMD_ATTACH,
	KSEE_CMD_COMPARE,
	KSEE_CMD_REPORT,
};

struct ksee_opts {
	enum ksee_cmd cmd;
	bool json;
	bool verbose;
	bool histograms;
	const char *output;	/* -o FILE; NULL: stdout */
	int format;		/* enum ks_format; decided by opts_parse() */
	const char *record;	/* --record FILE */
	bool timeline;		/* --timeline */
	bool no_markers;	/* --no-markers: leave the USDT task markers alone */
	bool syscalls;		/* --syscalls: hook sys_exit too */
	const char *input;	/* report: the recording to render */
	unsigned int threads;	/* rows per process in the text report; 0: all */
	unsigned int edges;	/* wakeup edges in the text report; 0: all */
	double interval;	/* seconds between progress lines on stderr; 0: none */
	double duration;	/* attach: seconds to trace; 0: until Ctrl-C or exit */
	__u32 pids[KSEE_MAX_TARGETS];
	int npids;
	char **argv;		/* run: the command and its arguments */
	int argc;
	/* compare */
	struct cmp_workload wl;
	bool models[CMP_NMODELS];	/* which models to run */
	double timeout;		/* seconds one model may take; 0: derived from the workload */
};

/*
 * Parse @argv (argv[0] is the command name). Returns 0, 1 when --help was
 * asked for, or -EINVAL with a message in @err.
 */
int opts_parse(struct ksee_opts *o, enum ksee_cmd cmd, int argc, char **argv,
	       char *err, size_t errlen);

void opts_usage(FILE *f, enum ksee_cmd cmd);

/* Whole number in [min, max]; 0 or -EINVAL. */
int opts_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out);

/* Positive number of seconds, at most @max; 0 or -EINVAL. */
int opts_parse_seconds(const char *s, double max, double *out);

/* "PID[,PID...]" into @o->pids; 0 or -EINVAL with a message. */
int opts_parse_pids(struct ksee_opts *o, const char *s, char *err, size_t errlen);

#endif

// SPDX-License-Identifier: GPL-2.0-only
/* The option parser that every command's description (opts_*.c) feeds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli/opts.h"
#include "output/render.h"

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

int opts_no_operands(struct ksee_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	(void)o;
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

int opts_common(struct ksee_opts *o, int c, const char *arg, char *err, size_t errlen)
{
	unsigned long v;

	switch (c) {
	case 'j':
		o->json = true;
		return 0;
	case 'o':
		if (!*arg) {
			snprintf(err, errlen, "empty output file name");
			return -EINVAL;
		}
		o->output = arg;
		return 0;
	case 'i':
		if (opts_parse_seconds(arg, OPTS_MAX_SECONDS, &o->interval)) {
			snprintf(err, errlen, "invalid interval '%s': expected seconds > 0", arg);
			return -EINVAL;
		}
		return 0;
	case OPT_THREADS:
	case OPT_EDGES:
		if (opts_parse_uint(arg, 0, 1000000, &v)) {
			snprintf(err, errlen, "invalid count '%s': expected 0 to 1000000", arg);
			return -EINVAL;
		}
		*(c == OPT_THREADS ? &o->threads : &o->edges) = v;
		return 0;
	case OPT_NO_HIST:
		o->histograms = false;
		return 0;
	case 'v':
		o->verbose = true;
		return 0;
	case OPT_CGROUP:
		if (!*arg) {
			snprintf(err, errlen, "invalid --cgroup: the path is empty");
			return -EINVAL;
		}
		o->cgroup = arg;
		return 0;
	case OPT_FORMAT:
		o->format = ks_format_parse(arg);
		if (o->format < 0) {
			snprintf(err, errlen, "unknown format '%s': choose text, json, md, html, "
				 "perfetto or folded", arg);
			return -EINVAL;
		}
		return 0;
	case OPT_RECORD:
		if (!*arg) {
			snprintf(err, errlen, "empty recording file name");
			return -EINVAL;
		}
		o->record = arg;
		return 0;
	case OPT_TIMELINE:
		o->timeline = true;
		return 0;
	case OPT_SYSCALLS:
		o->syscalls = true;
		return 0;
	case OPT_NO_MARKERS:
		o->no_markers = true;
		return 0;
	case OPT_STACKS:
		o->stacks = true;
		return 0;
	case OPT_STACKS_TOP:
		if (opts_parse_uint(arg, 1, 1000000, &v)) {
			snprintf(err, errlen, "invalid stack count '%s': expected 1 to 1000000", arg);
			return -EINVAL;
		}
		o->stacks_top = v;
		return 0;
	}
	return OPTS_NOT_MINE;
}

/* The output format from --format, -j and -o's extension, and what goes with it. */
static int settle_format(struct ksee_opts *o, char *err, size_t errlen)
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
	return 0;
}

/* Folded stacks need stacks: taken now (--stacks), or in the recording (report checks). */
static int check_stacks(const struct ksee_opts *o, const struct opts_cmd *cmd, char *err,
			size_t errlen)
{
	if (o->format == KS_FMT_FOLDED && cmd->traces && !o->stacks) {
		snprintf(err, errlen, "--format folded needs --stacks");
		return -EINVAL;
	}
	return 0;
}

static int check_timeline(const struct ksee_opts *o, char *err, size_t errlen)
{
	if (o->timeline && !o->record && o->format != KS_FMT_HTML &&
	    o->format != KS_FMT_PERFETTO) {
		snprintf(err, errlen, "--timeline needs somewhere to go: --record FILE, or "
			 "--format html or perfetto");
		return -EINVAL;
	}
	return 0;
}

int opts_parse(struct ksee_opts *o, const struct opts_cmd *cmd, int argc, char **argv,
	       char *err, size_t errlen)
{
	int c, ret;

	memset(o, 0, sizeof(*o));
	o->threads = 20;
	o->edges = 10;
	o->histograms = true;
	o->format = -1;
	if (cmd->defaults)
		cmd->defaults(o);
	optind = 0;	/* glibc: full re-initialisation, so tests can parse twice */
	opterr = 0;
	while ((c = getopt_long(argc, argv, cmd->shorts, cmd->longs, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == ':') {
			snprintf(err, errlen, "option '%s' needs a value", argv[optind - 1]);
			return -EINVAL;
		}
		ret = c == '?' ? OPTS_NOT_MINE : cmd->option(o, c, optarg, err, errlen);
		if (ret == OPTS_NOT_MINE) {
			if (optopt && optopt < 256)
				snprintf(err, errlen, "unknown option '-%c'", optopt);
			else
				snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
			return -EINVAL;
		}
		if (ret)
			return ret;
	}
	ret = cmd->operands(o, argc, argv, err, errlen);
	ret = ret ?: settle_format(o, err, errlen);
	ret = ret ?: cmd->check ? cmd->check(o, err, errlen) : 0;
	ret = ret ?: check_stacks(o, cmd, err, errlen);
	return ret ?: check_timeline(o, err, errlen);
}

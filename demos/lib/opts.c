// SPDX-License-Identifier: MIT
/* The options every demo model takes. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

static const struct option long_opts[] = {
	{ "requests", required_argument, NULL, 'r' },
	{ "concurrency", required_argument, NULL, 'c' },
	{ "io-ms", required_argument, NULL, 'd' },
	{ "cpu-us", required_argument, NULL, 'w' },
	{ "workers", required_argument, NULL, 'n' },
	{ "server", required_argument, NULL, 's' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

struct num_opt {
	int key;
	const char *name;
	unsigned long min, max;
	size_t off;
};

static const struct num_opt num_opts[] = {
	{ 'r', "requests", 1, 10000000, offsetof(struct demo_opts, requests) },
	{ 'c', "concurrency", 1, 100000, offsetof(struct demo_opts, concurrency) },
	{ 'd', "io-ms", 0, 0xffffffffUL, offsetof(struct demo_opts, io_ms) },
	{ 'w', "cpu-us", 0, 10000000, offsetof(struct demo_opts, cpu_us) },
	{ 'n', "workers", 1, 1024, offsetof(struct demo_opts, workers) },
};

static int parse_num(const struct num_opt *no, const char *s, struct demo_opts *o,
		     char *err, size_t errlen)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < no->min || v > no->max) {
		snprintf(err, errlen, "invalid --%s '%s' (want %lu..%lu)", no->name, s,
			 no->min, no->max);
		return -EINVAL;
	}
	*(unsigned long *)((char *)o + no->off) = v;
	return 0;
}

int demo_opts_parse(struct demo_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	size_t i;
	int c;

	*o = (struct demo_opts){
		.requests = 100, .concurrency = 10, .io_ms = 20, .cpu_us = 500, .workers = 4,
	};
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":r:c:d:w:n:s:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return 1;
		case 's':
			o->server = optarg;
			continue;
		case ':':
			snprintf(err, errlen, "option '%s' needs a value", argv[optind - 1]);
			return -EINVAL;
		case '?':
			snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
			return -EINVAL;
		}
		for (i = 0; i < sizeof(num_opts) / sizeof(num_opts[0]); i++)
			if (num_opts[i].key == c && parse_num(&num_opts[i], optarg, o, err, errlen))
				return -EINVAL;
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	if (o->server) {
		struct sockaddr_storage ss;
		socklen_t len;

		if (addr_parse(o->server, &ss, &len)) {
			snprintf(err, errlen, "invalid --server '%s' (want unix:/path or tcp:127.0.0.1:PORT)",
				 o->server);
			return -EINVAL;
		}
	}
	return 0;
}

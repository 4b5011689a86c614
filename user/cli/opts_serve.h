/* SPDX-License-Identifier: GPL-2.0-only */
/* Command-line options of `ksee serve`. Pure. */
#ifndef KSEE_OPTS_SERVE_H
#define KSEE_OPTS_SERVE_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "cli/opts.h"

#define SERVE_DEFAULT_HOST "127.0.0.1"
#define SERVE_DEFAULT_PORT "9464"

struct serve_opts {
	char host[256];		/* --listen ADDR: a numeric address or a host name */
	char port[8];		/* --listen :PORT */
	__u32 pids[KSEE_MAX_TARGETS];	/* -p */
	int npids;
	const char *comm;	/* --comm NAME */
	const char *cgroup;	/* --cgroup PATH */
	bool per_thread;	/* --per-thread */
	unsigned int max_threads;	/* --max-threads: per-thread series at most */
	double grace_s;		/* --grace: how long an ended process stays exported */
	bool bpf_stats;		/* --bpf-stats: turn the kernel's BPF statistics on */
	bool syscalls;		/* --syscalls */
	bool verbose;		/* -v */
};

/*
 * Parse @argv (argv[0] is "serve"). Returns 0, 1 when --help was asked
 * for, or -EINVAL with a message in @err.
 */
int serve_opts_parse(struct serve_opts *o, int argc, char **argv, char *err, size_t errlen);

void serve_usage(FILE *f);

/*
 * "ADDR:PORT" or "[IPv6]:PORT" into @host and @port; 0 or -EINVAL with a
 * message in @err. The address cannot be left out.
 */
int serve_parse_listen(const char *s, char *host, size_t hostlen, char *port, size_t portlen,
		       char *err, size_t errlen);

#endif

// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli/opts_serve.h"

#define MAX_COMM 15	/* the kernel's TASK_COMM_LEN less its terminating NUL */

/* Apart from the OPT_* of cli/opts.h: serve has its own parser. */
enum { SOPT_LISTEN = 256, SOPT_COMM, SOPT_CGROUP, SOPT_PER_THREAD, SOPT_MAX_THREADS, SOPT_GRACE,
	SOPT_BPF_STATS, SOPT_SYSCALLS };

static const struct option serve_long_opts[] = {
	{ "listen", required_argument, NULL, SOPT_LISTEN },
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, SOPT_COMM },
	{ "cgroup", required_argument, NULL, SOPT_CGROUP },
	{ "per-thread", no_argument, NULL, SOPT_PER_THREAD },
	{ "max-threads", required_argument, NULL, SOPT_MAX_THREADS },
	{ "grace", required_argument, NULL, SOPT_GRACE },
	{ "bpf-stats", no_argument, NULL, SOPT_BPF_STATS },
	{ "syscalls", no_argument, NULL, SOPT_SYSCALLS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void serve_usage(FILE *f)
{
	fputs("Usage: ksee serve (-p PID[,PID...] | --comm NAME | --cgroup PATH) [OPTIONS]\n"
	      "Trace processes for as long as it runs and serve what the kernel saw of them\n"
	      "as Prometheus metrics (text exposition format) at http://ADDR:PORT/metrics.\n"
	      "Their child processes are traced too. At least one of -p, --comm and\n"
	      "--cgroup is needed. Metrics: docs/prometheus.md.\n\n"
	      "Options:\n"
	      "  -p, --pid PID[,PID...] these processes\n"
	      "      --comm NAME        every process named NAME (its comm, at most 15\n"
	      "                         characters), those started later too\n"
	      "      --cgroup PATH      every process in the cgroup PATH (a directory under\n"
	      "                         /sys/fs/cgroup, or a path relative to it: a container,\n"
	      "                         a systemd service), those that join later too\n"
	      "      --listen ADDR:PORT serve on this address (default 127.0.0.1:9464; give\n"
	      "                         an explicit address to listen elsewhere, [::1]:PORT\n"
	      "                         for IPv6)\n"
	      "      --per-thread       per-thread series too (labels tid, thread)\n"
	      "      --max-threads N    threads with per-thread series at most (default 100);\n"
	      "                         how many were left out is exported\n"
	      "      --grace SECS       keep the series of a process that ended for SECS\n"
	      "                         (default 120), then drop them\n"
	      "      --bpf-stats        turn on the kernel's BPF run-time statistics while\n"
	      "                         serving, for ksee_bpf_run_seconds_total (needs\n"
	      "                         CAP_SYS_ADMIN; costs every BPF program on the machine\n"
	      "                         two clock reads a run)\n"
	      "      --syscalls         also hook every syscall's exit (blocked calls counted\n"
	      "                         per call, not per sleep)\n"
	      "  -v, --verbose          show libbpf's messages and each process as it is added\n"
	      "  -h, --help             show this help\n\n"
	      "Examples:\n"
	      "  sudo ksee serve -p $(pidof nginx | tr ' ' ,)       # scrape 127.0.0.1:9464\n"
	      "  sudo ksee serve --cgroup system.slice/postgresql.service --listen 10.0.0.5:9464\n"
	      "  sudo ksee serve --comm python3 --per-thread --max-threads 50\n", f);
}

int serve_parse_listen(const char *s, char *host, size_t hostlen, char *port, size_t portlen,
		       char *err, size_t errlen)
{
	const char *colon, *h = s;
	unsigned long v;
	size_t n;

	if (s[0] == '[') {
		colon = strchr(s, ']');
		if (!colon || colon[1] != ':') {
			snprintf(err, errlen, "invalid --listen '%s': expected [IPv6]:PORT", s);
			return -EINVAL;
		}
		h = s + 1;
		n = colon - h;
		colon++;
	} else {
		colon = strrchr(s, ':');
		if (!colon || strchr(s, ':') != colon) {
			snprintf(err, errlen, "invalid --listen '%s': expected ADDR:PORT "
				 "([ADDR]:PORT for IPv6)", s);
			return -EINVAL;
		}
		n = colon - s;
	}
	if (!n) {
		snprintf(err, errlen, "invalid --listen '%s': the address is missing (127.0.0.1 "
			 "for this host only, 0.0.0.0 for every IPv4 address)", s);
		return -EINVAL;
	}
	if (n >= hostlen) {
		snprintf(err, errlen, "invalid --listen '%s': the address is too long", s);
		return -EINVAL;
	}
	if (opts_parse_uint(colon + 1, 1, 65535, &v)) {
		snprintf(err, errlen, "invalid --listen '%s': the port must be a number from 1 "
			 "to 65535", s);
		return -EINVAL;
	}
	memcpy(host, h, n);
	host[n] = 0;
	snprintf(port, portlen, "%lu", v);
	return 0;
}

int serve_opts_parse(struct serve_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	struct ksee_opts pids;
	unsigned long v;
	int c, ret;

	memset(o, 0, sizeof(*o));
	memset(&pids, 0, sizeof(pids));
	snprintf(o->host, sizeof(o->host), "%s", SERVE_DEFAULT_HOST);
	snprintf(o->port, sizeof(o->port), "%s", SERVE_DEFAULT_PORT);
	o->max_threads = 100;
	o->grace_s = 120;
	optind = 0;	/* reset getopt, which may have run before */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:p:vh", serve_long_opts, NULL)) != -1) {
		switch (c) {
		case SOPT_LISTEN:
			ret = serve_parse_listen(optarg, o->host, sizeof(o->host), o->port,
						 sizeof(o->port), err, errlen);
			if (ret)
				return ret;
			break;
		case 'p':
			ret = opts_parse_pids(&pids, optarg, err, errlen);
			if (ret)
				return ret;
			break;
		case SOPT_COMM:
			if (!optarg[0] || strlen(optarg) > MAX_COMM) {
				snprintf(err, errlen,
					 "invalid --comm '%s': a process name has 1 to %d characters",
					 optarg, MAX_COMM);
				return -EINVAL;
			}
			o->comm = optarg;
			break;
		case SOPT_CGROUP:
			if (!optarg[0]) {
				snprintf(err, errlen, "invalid --cgroup: the path is empty");
				return -EINVAL;
			}
			o->cgroup = optarg;
			break;
		case SOPT_PER_THREAD:
			o->per_thread = true;
			break;
		case SOPT_MAX_THREADS:
			if (opts_parse_uint(optarg, 1, 100000, &v)) {
				snprintf(err, errlen,
					 "invalid --max-threads '%s': expected a number from 1 to 100000",
					 optarg);
				return -EINVAL;
			}
			o->max_threads = v;
			break;
		case SOPT_GRACE:
			if (opts_parse_seconds(optarg, OPTS_MAX_SECONDS, &o->grace_s)) {
				snprintf(err, errlen,
					 "invalid --grace '%s': expected seconds, more than 0 and at most a week",
					 optarg);
				return -EINVAL;
			}
			break;
		case SOPT_BPF_STATS:
			o->bpf_stats = true;
			break;
		case SOPT_SYSCALLS:
			o->syscalls = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			return 1;
		case ':':
			snprintf(err, errlen, "option '%s' needs a value", argv[optind - 1]);
			return -EINVAL;
		default:
			if (optopt && optopt < 256)
				snprintf(err, errlen, "unknown option '-%c'", optopt);
			else
				snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	memcpy(o->pids, pids.pids, sizeof(o->pids));
	o->npids = pids.npids;
	if (!o->npids && !o->comm && !o->cgroup) {
		snprintf(err, errlen,
			 "nothing to trace: give -p PID, --comm NAME or --cgroup PATH");
		return -EINVAL;
	}
	return 0;
}

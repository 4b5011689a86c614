// SPDX-License-Identifier: MIT
/*
 * ioserver_bench: how close to D ms the ioserver answers when 1000
 * requests are in flight at once.  One connection per request in flight;
 * the delivered delay is measured at this client, from just before the
 * send to the moment the reply has been read.
 *
 * With --pin the client and a server it starts are pinned to CPUs 0 and 1,
 * so that neither waits for the other's CPU: best on a quiet machine, much
 * worse when other work needs those CPUs (pinned tasks cannot move away).
 *
 * Two runs: "burst" sends all C requests at the same instant (all their
 * deadlines coincide, so the last replies wait for the writes of all the
 * others), and "steady" keeps C requests in flight for a few seconds after
 * spreading the first C sends over D ms, as a steady load does.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lib/addr.h"
#include "lib/client.h"
#include "lib/spawn.h"
#include "lib/stats.h"

struct bconn {
	int fd;
	uint64_t id;
	uint64_t sent_ns;
	struct reply_buf rb;
};

struct bench {
	const char *addr;
	unsigned long conc;
	unsigned int io_ms;
	double seconds;
	int epfd;
	struct bconn *conns;
	double *lat;		/* delivered delays, ms */
	size_t nlat, cap;
	unsigned long errors;
	unsigned long inflight;
	uint64_t next_id;
};

static int record(struct bench *b, double ms)
{
	if (b->nlat == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 65536;
		double *v = realloc(b->lat, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		b->lat = v;
		b->cap = cap;
	}
	b->lat[b->nlat++] = ms;
	return 0;
}

static void send_one(struct bench *b, struct bconn *c)
{
	c->id = b->next_id++;
	c->sent_ns = now_ns();
	if (client_send(c->fd, c->id, b->io_ms))
		b->errors++;
	else
		b->inflight++;
}

static int open_conns(struct bench *b)
{
	unsigned long i;

	b->conns = calloc(b->conc, sizeof(*b->conns));
	b->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!b->conns || b->epfd < 0)
		return -ENOMEM;
	for (i = 0; i < b->conc; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &b->conns[i] };

		b->conns[i].fd = addr_connect(b->addr, true);
		if (b->conns[i].fd < 0)
			return b->conns[i].fd;
		if (epoll_ctl(b->epfd, EPOLL_CTL_ADD, b->conns[i].fd, &ev))
			return -errno;
	}
	return 0;
}

/*
 * Serve replies until `until` (0: until none is in flight).  With resend,
 * each reply is followed by a new request on its connection; ramp_ns > 0
 * spreads the first sends of connection i to i * ramp_ns / conc.
 */
static int pump(struct bench *b, uint64_t until, bool resend, uint64_t ramp_ns, uint64_t keep_after)
{
	struct epoll_event evs[256];
	uint64_t t0 = now_ns(), now;
	unsigned long ramped = ramp_ns ? 0 : b->conc;
	int i, n, rc, timeout;

	for (;;) {
		now = now_ns();
		while (ramped < b->conc && now - t0 >= ramped * ramp_ns / b->conc)
			send_one(b, &b->conns[ramped++]);
		if (until ? now >= until : !b->inflight)
			return 0;
		timeout = ramped < b->conc ? 1 : 100;
		n = epoll_wait(b->epfd, evs, 256, timeout);
		if (n < 0 && errno != EINTR)
			return -errno;
		for (i = 0; i < n; i++) {
			struct bconn *c = evs[i].data.ptr;

			rc = client_recv_nb(c->fd, &c->rb, c->id);
			if (!rc)
				continue;
			now = now_ns();
			b->inflight--;
			if (rc < 0)
				b->errors++;
			else if (now >= keep_after && record(b, (now - c->sent_ns) / 1e6))
				return -ENOMEM;
			if (resend && (!until || now < until))
				send_one(b, c);
		}
	}
}

static void report(struct bench *b, const char *what)
{
	double p50 = stats_percentile(b->lat, b->nlat, 50);
	double p99 = stats_percentile(b->lat, b->nlat, 99);
	double p999 = stats_percentile(b->lat, b->nlat, 99.9);
	double max = b->nlat ? b->lat[b->nlat - 1] : NAN;

	printf("%-6s concurrency=%lu io_ms=%u replies=%zu errors=%lu p50_ms=%.3f p99_ms=%.3f "
	       "p999_ms=%.3f max_ms=%.3f p99_over_ms=%.3f\n",
	       what, b->conc, b->io_ms, b->nlat, b->errors, p50, p99, p999, max, p99 - b->io_ms);
	fflush(stdout);
}

static double cpu_s(int who)
{
	struct rusage ru;

	if (getrusage(who, &ru))
		return NAN;
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* CPU seconds used by this client and, if it was ours, the server. */
static void print_cpu(bool own_server)
{
	printf("cpu    client_s=%.2f", cpu_s(RUSAGE_SELF));
	if (own_server)
		printf(" server_s=%.2f", cpu_s(RUSAGE_CHILDREN));
	printf("\n");
}

/*
 * The platform's own timer jitter, for reference: how late 1 ms sleeps in
 * epoll_pwait2() wake up here (an idle virtual CPU can take milliseconds).
 */
static int platform_jitter(void)
{
	enum { SAMPLES = 500 };
	static double late[SAMPLES];
	struct timespec ts = { .tv_nsec = 1000000 };
	struct epoll_event ev;
	int i, epfd = epoll_create1(EPOLL_CLOEXEC);
	uint64_t t0;
	double p50;

	if (epfd < 0)
		return -errno;
	for (i = 0; i < SAMPLES; i++) {
		t0 = now_ns();
		epoll_pwait2(epfd, &ev, 1, &ts, NULL);
		late[i] = (now_ns() - t0) / 1e6 - 1.0;
	}
	close(epfd);
	p50 = stats_percentile(late, SAMPLES, 50);	/* sorts */
	printf("platform sleep_ms=1 samples=%d late_p50_ms=%.3f late_p99_ms=%.3f late_max_ms=%.3f\n",
	       SAMPLES, p50, stats_percentile(late, SAMPLES, 99), late[SAMPLES - 1]);
	return 0;
}

static int bench_run(struct bench *b)
{
	unsigned int io_ms = b->io_ms;
	uint64_t start, warm;
	unsigned long i;
	int err;

	/*
	 * warm up: a zero-delay round trip on every connection, so that the
	 * server has accepted them all before anything is measured
	 */
	b->io_ms = 0;
	for (i = 0; i < b->conc; i++)
		send_one(b, &b->conns[i]);
	err = pump(b, 0, false, 0, 0);
	b->io_ms = io_ms;
	b->nlat = 0;
	b->errors = 0;
	if (err)
		return err;

	/* burst: all at once */
	for (i = 0; i < b->conc; i++)
		send_one(b, &b->conns[i]);
	err = pump(b, 0, false, 0, 0);
	if (err)
		return err;
	report(b, "burst");

	/* steady: ramp over D, measure after 2 D, drain at the end */
	b->nlat = 0;
	b->errors = 0;
	start = now_ns();
	warm = start + 2ULL * b->io_ms * 1000000ULL;
	err = pump(b, start + (uint64_t)(b->seconds * 1e9), true,
		   b->io_ms * 1000000ULL, warm);
	if (!err)
		err = pump(b, 0, false, 0, warm);
	if (err)
		return err;
	report(b, "steady");
	b->nlat = 0;
	return 0;
}

/* Pin pid (0: this process) to one CPU; 0 or -errno. */
static int pin(pid_t pid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(pid, sizeof(set), &set) ? -errno : 0;
}

static const char usage_text[] =
	"Usage: ioserver_bench [OPTIONS]\n"
	"Delivered delay of demos/ioserver with many requests in flight.\n"
	"\n"
	"  -c, --concurrency C   requests (and connections) in flight (default 1000)\n"
	"  -d, --io-ms D         delay asked for, ms; repeat for several runs\n"
	"                        (default: 20, then 50)\n"
	"  -t, --seconds S       length of the steady run (default 3)\n"
	"  -p, --pin             pin the client to CPU 0 and the server to CPU 1\n"
	"  -s, --server ADDR     a running server (default: start $KSEE_IOSERVER or\n"
	"                        ../demos/ioserver next to this binary)\n"
	"  -h, --help            show this help\n";

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "concurrency", required_argument, NULL, 'c' },
		{ "io-ms", required_argument, NULL, 'd' },
		{ "seconds", required_argument, NULL, 't' },
		{ "server", required_argument, NULL, 's' },
		{ "pin", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct bench b = { .conc = 1000, .seconds = 3 };
	unsigned int delays[8] = { 20, 50 }, ndelays = 0, i;
	struct server_proc sp = { 0 };
	unsigned long errors = 0;
	bool pinned = false;
	char exe[4096];
	struct rlimit rl;
	int c, err;

	while ((c = getopt_long(argc, argv, "c:d:t:s:ph", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			b.conc = strtoul(optarg, NULL, 10);
			break;
		case 'd':
			if (ndelays == 8 || strtoul(optarg, NULL, 10) > IOSRV_MAX_DELAY_MS) {
				fputs(usage_text, stderr);
				return 64;
			}
			delays[ndelays++] = strtoul(optarg, NULL, 10);
			break;
		case 't':
			b.seconds = strtod(optarg, NULL);
			break;
		case 's':
			b.addr = optarg;
			break;
		case 'p':
			pinned = sysconf(_SC_NPROCESSORS_ONLN) >= 2;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 64;
		}
	}
	if (!ndelays)
		ndelays = 2;
	if (!b.conc || !(b.seconds > 0)) {
		fputs(usage_text, stderr);
		return 64;
	}
	signal(SIGPIPE, SIG_IGN);
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (!b.addr) {
		err = server_path(exe, sizeof(exe));
		if (!err && access(exe, X_OK)) {
			/* $(OUTPUT)/bench/ioserver_bench -> $(OUTPUT)/demos/ioserver */
			char *slash = strrchr(exe, '/');

			if (slash && slash - exe + 20 < (long)sizeof(exe))
				strcpy(slash, "/../demos/ioserver");
		}
		err = err ?: server_spawn(&sp, exe, NULL);
		if (err) {
			fprintf(stderr, "ioserver_bench: cannot start %s: %s\n", exe, strerror(-err));
			return 1;
		}
		b.addr = sp.addr;
	}
	if (pinned && (pin(0, 0) || (sp.pid && pin(sp.pid, 1))))
		pinned = false;
	printf("server %s connections=%lu steady_s=%.1f pinned=%s\n", b.addr, b.conc, b.seconds,
	       pinned ? (sp.pid ? "client:0,server:1" : "client:0") : "no");
	err = platform_jitter() ?: open_conns(&b);
	for (i = 0; !err && i < ndelays; i++) {
		b.io_ms = delays[i];
		err = bench_run(&b);
		errors += b.errors;
	}
	if (err)
		fprintf(stderr, "ioserver_bench: %s\n", strerror(-err));
	server_stop(&sp);
	print_cpu(b.addr == sp.addr);
	return err || errors ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksee serve, scraped by a real Prometheus (Debian's package, on
 * 127.0.0.1 with a temporary configuration and data directory): the
 * values Prometheus computes match a workload of known behaviour, the
 * exposition passes `promtool check metrics`, new processes of a name or
 * a cgroup are picked up, ended ones are dropped after the grace period
 * with memory flat under churn, and bad HTTP input, a port in use or a
 * missing cgroup give an error, never a crash or a hang.
 */
#include "harness.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#define PROMETHEUS "/usr/bin/prometheus"
#define PROMTOOL "/usr/bin/promtool"

/* A port free on 127.0.0.1 now. */
static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port;

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len))
		fail_msg("cannot find a free port: %s", strerror(errno));
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* A connection to 127.0.0.1:PORT, reads timing out after 10 s; -1 if refused. */
static int connect_port(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timeval tv = { .tv_sec = 10 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		fail_msg("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Send LEN bytes of REQ (then close our side if HALF_CLOSE), read the
 * answer to its end. Returns the HTTP
 * status, 0 if the server closed without one, -1 if nothing listens;
 * the body (after the headers) in *BODY when BODY is not NULL.
 */
static int http_exchange(int port, const char *req, size_t len, char **body, bool half_close)
{
	size_t have = 0, cap = 65536, off;
	char *buf, *hdr_end;
	ssize_t n;
	int fd = connect_port(port), status = 0;

	if (body)
		*body = NULL;
	if (fd < 0)
		return -1;
	for (off = 0; off < len; off += n) {
		n = send(fd, req + off, len - off, MSG_NOSIGNAL);
		if (n <= 0)
			break;	/* closed on a bad request before reading all of it */
	}
	if (half_close)
		shutdown(fd, SHUT_WR);	/* Prometheus would cancel the query */
	buf = malloc(cap + 1);
	while (buf && (n = recv(fd, buf + have, cap - have, 0)) > 0) {
		have += n;
		if (have == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
		}
	}
	close(fd);
	if (!buf)
		fail_msg("out of memory");
	buf[have] = 0;
	if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		status = 0;
	hdr_end = strstr(buf, "\r\n\r\n");
	if (body)
		*body = strdup(hdr_end ? hdr_end + 4 : "");
	free(buf);
	return status;
}

static int http_get(int port, const char *path, char **body)
{
	char req[2200];

	snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);
	return http_exchange(port, req, strlen(req), body, false);
}

/* /metrics of ksee serve on PORT; fails unless it answers 200. */
static char *scrape(int port)
{
	char *body;
	int st = http_get(port, "/metrics", &body);

	if (st != 200)
		fail_msg("GET /metrics answered %d, expected 200: %s", st, body ? body : "");
	return body;
}

/* The value of the sample whose line starts with PREFIX ("name{labels} "), or NAN. */
static double sample(const char *page, const char *prefix)
{
	const char *p = page;
	size_t n = strlen(prefix);

	while (p && *p) {
		if (!strncmp(p, prefix, n))
			return strtod(p + n, NULL);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NAN;
}

/* Lines of PAGE that hold NEEDLE. */
static int count_lines(const char *page, const char *needle)
{
	const char *p = page, *nl;
	int n = 0;

	while (p && *p) {
		nl = strchr(p, '\n');
		if (memmem(p, nl ? (size_t)(nl - p) : strlen(p), needle, strlen(needle)))
			n++;
		p = nl ? nl + 1 : NULL;
	}
	return n;
}

/* Start `ksee serve ARGS... --listen 127.0.0.1:PORT` and wait until it serves. */
static void start_serve(struct harness_proc *p, int port, const char *const *args)
{
	const char *argv[24];
	char listen[32];
	int n = 0;

	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	argv[n++] = "serve";
	while (*args && n < 20)
		argv[n++] = *args++;
	argv[n++] = "--listen";
	argv[n++] = listen;
	argv[n] = NULL;
	harness_spawn(p, NULL, 0, argv);
	harness_wait_stderr(p, "metrics at http://", 20);
}

/* SIGTERM: ksee serve stops with status 0 and leaves no BPF program behind. */
static void stop_serve(struct harness_proc *p)
{
	int st;

	kill(p->pid, SIGTERM);
	st = harness_wait(p, 15);
	if (st != 0)
		fail_msg("ksee serve exited with %d after SIGTERM, expected 0; stderr:\n%s", st,
			 p->err);
	harness_expect_eq("BPF programs left behind", harness_ksee_progs_settled(), 0);
	harness_proc_free(p);
}

static void url_encode(char *out, size_t len, const char *s)
{
	size_t o = 0;

	for (; *s && o + 4 < len; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-_.~", *s))
			out[o++] = *s;
		else
			o += snprintf(out + o, len - o, "%%%02X", (unsigned char)*s);
	}
	out[o] = 0;
}

/* The value of the PromQL QUERY at this instant (its first series), NAN if empty. */
static double promql(int port, const char *query)
{
	char path[2048], enc[1800], *body;
	json_object *j, *res, *val;
	double v = NAN;
	int st;

	url_encode(enc, sizeof(enc), query);
	snprintf(path, sizeof(path), "/api/v1/query?query=%s", enc);
	st = http_get(port, path, &body);
	if (st != 200)
		fail_msg("Prometheus answered %d to %s: %s", st, query, body ? body : "");
	j = json_tokener_parse(body);
	if (!j)
		fail_msg("Prometheus answered no JSON to %s: %s", query, body);
	res = harness_get(j, "data.result");
	if (res && json_object_array_length(res) > 0) {
		val = json_object_object_get(json_object_array_get_idx(res, 0), "value");
		if (val && json_object_array_length(val) == 2)
			v = strtod(json_object_get_string(json_object_array_get_idx(val, 1)), NULL);
	}
	fprintf(stderr, "# promql %s = %g\n", query, v);
	json_object_put(j);
	free(body);
	return v;
}

static void expect_between(const char *what, double v, double lo, double hi)
{
	if (!(v >= lo && v <= hi))
		fail_msg("%s = %g, expected %g to %g", what, v, lo, hi);
}

/* A Prometheus scraping 127.0.0.1:TARGET every second, its API on the returned port. */
static int start_prometheus(int target)
{
	const char *dir = harness_tmpdir();
	char cfg[512], data[512], cfgarg[600], dataarg[600], listen[64];
	const char *argv[] = { PROMETHEUS, cfgarg, dataarg, listen, "--log.level=error", NULL };
	int port = free_port(), i;
	FILE *f;

	if (access(PROMETHEUS, X_OK))
		fail_msg("%s is missing: install Debian's prometheus package (make deps)",
			 PROMETHEUS);
	snprintf(cfg, sizeof(cfg), "%s/prometheus.yml", dir);
	snprintf(data, sizeof(data), "%s/data", dir);
	f = fopen(cfg, "w");
	if (!f)
		fail_msg("cannot write %s: %s", cfg, strerror(errno));
	fprintf(f, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
		"scrape_configs:\n  - job_name: ksee\n    static_configs:\n"
		"      - targets: ['127.0.0.1:%d']\n", target);
	fclose(f);
	snprintf(cfgarg, sizeof(cfgarg), "--config.file=%s", cfg);
	snprintf(dataarg, sizeof(dataarg), "--storage.tsdb.path=%s", data);
	snprintf(listen, sizeof(listen), "--web.listen-address=127.0.0.1:%d", port);
	harness_start(argv);
	for (i = 0; i < 300; i++) {
		if (http_get(port, "/-/ready", NULL) == 200)
			return port;
		harness_msleep(100);
	}
	fail_msg("Prometheus was not ready on port %d after 30 s", port);
	return -1;
}

/* `promtool check metrics` on PAGE: no error, no lint warning. */
static void promtool_check(const char *page)
{
	const char *dir = harness_tmpdir();
	char in[512], out[512], cmd[1600], msg[4096] = "";
	FILE *f;
	int st;

	if (access(PROMTOOL, X_OK))
		fail_msg("%s is missing: install Debian's prometheus package (make deps)",
			 PROMTOOL);
	snprintf(in, sizeof(in), "%s/metrics.txt", dir);
	snprintf(out, sizeof(out), "%s/promtool.txt", dir);
	f = fopen(in, "w");
	if (!f || fputs(page, f) < 0 || fclose(f))
		fail_msg("cannot write %s", in);
	snprintf(cmd, sizeof(cmd), "%s check metrics < %s > %s 2>&1", PROMTOOL, in, out);
	st = system(cmd);
	f = fopen(out, "r");
	if (f) {
		msg[fread(msg, 1, sizeof(msg) - 1, f)] = 0;
		fclose(f);
	}
	if (st != 0 || msg[0])
		fail_msg("promtool check metrics: status %d: %s", st, msg);
}

static void test_serve_prometheus_scrapes_known_workload(void **state)
{
	char pid[16], q[512], sel[64], *page;
	const char *ticker[] = { harness_prog("ticker"), "10", NULL };
	struct harness_proc p;
	int sport, pport;
	double v;

	harness_require_root();
	snprintf(pid, sizeof(pid), "%d", harness_start(ticker));
	snprintf(sel, sizeof(sel), "pid=\"%s\"", pid);
	sport = free_port();
	start_serve(&p, sport, (const char *[]){ "-p", pid, NULL });
	pport = start_prometheus(sport);
	harness_msleep(15000);	/* 15 scrapes */

	expect_between("up", promql(pport, "up{job=\"ksee\"}"), 1, 1);
	/*
	 * 100 wakeups a second, each after a voluntary switch in clock_nanosleep;
	 * on a busy machine a tick that runs late finds its next deadline passed
	 * and does not sleep, hence the lower bounds.
	 */
	snprintf(q, sizeof(q), "rate(ksee_context_switches_total{%s,kind=\"voluntary\"}[10s])", sel);
	expect_between("voluntary switches/s", promql(pport, q), 60, 105);
	snprintf(q, sizeof(q), "rate(ksee_wakeups_total{%s}[10s])", sel);
	expect_between("wakeups/s", promql(pport, q), 60, 105);
	/*
	 * A run-queue wait is counted when the kernel counted one (run_delay
	 * grew): at most once per wakeup; a wakee that preempts an idle CPU
	 * at once often gets 0 from the kernel's clock and no sample.
	 */
	snprintf(q, sizeof(q), "rate(ksee_runqueue_latency_seconds_count{%s}[10s])", sel);
	expect_between("run-queue waits/s", promql(pport, q), 0.1, 105);
	/*
	 * The wake-up latency likewise: a sample per wakeup that took time to
	 * reach the run queue (at most one per wakeup), its histogram's sum
	 * the counter, and a wakeup on an idle machine reaches a run queue in
	 * well under a millisecond.
	 */
	snprintf(q, sizeof(q), "rate(ksee_wakeup_latency_seconds_count{%s}[10s])", sel);
	expect_between("wake-up latencies/s", promql(pport, q), 1, 105);
	snprintf(q, sizeof(q), "rate(ksee_wakeup_latency_seconds_sum{%s}[10s]) - "
		 "rate(ksee_waking_up_seconds_total{%s}[10s])", sel, sel);
	expect_between("histogram sum - counter", promql(pport, q), -1e-9, 1e-9);
	snprintf(q, sizeof(q), "rate(ksee_waking_up_seconds_total{%s}[10s])", sel);
	expect_between("waking up seconds/s", promql(pport, q), 1e-7, 0.1);
	snprintf(q, sizeof(q), "rate(ksee_blocked_calls_total{%s,family=\"sleep\"}[10s])", sel);
	expect_between("blocked sleep calls/s", promql(pport, q), 60, 105);
	/*
	 * off CPU by reason: asleep most of the time, in sleep and nothing else;
	 * what is not sleep is waiting for a CPU (a fifth of it, seen while
	 * other work held both CPUs)
	 */
	snprintf(q, sizeof(q), "rate(ksee_off_cpu_seconds_total{%s,reason=\"sleep\"}[10s])", sel);
	expect_between("sleep seconds/s", promql(pport, q), 0.6, 1.02);
	snprintf(q, sizeof(q), "sum(rate(ksee_off_cpu_seconds_total{%s,reason=\"sleep\"}[10s])) + "
		 "sum(rate(ksee_runqueue_wait_seconds_total{%s}[10s])) + "
		 "sum(rate(ksee_waking_up_seconds_total{%s}[10s]))", sel, sel, sel);
	expect_between("sleep + run-queue + waking up seconds/s", promql(pport, q), 0.9, 1.02);
	snprintf(q, sizeof(q), "sum(rate(ksee_off_cpu_seconds_total{%s,reason!=\"sleep\"}[10s]))",
		 sel);
	expect_between("other off-CPU seconds/s", promql(pport, q), 0, 0.02);
	snprintf(q, sizeof(q), "rate(ksee_on_cpu_seconds_total{%s}[10s])", sel);
	expect_between("on-CPU seconds/s", promql(pport, q), 0, 0.1);
	/* on CPU + asleep + waking up + waiting for a CPU: the whole of the wall time */
	snprintf(q, sizeof(q), "sum(rate(ksee_off_cpu_seconds_total{%s}[10s])) + "
		 "sum(rate(ksee_on_cpu_seconds_total{%s}[10s])) + "
		 "sum(rate(ksee_runqueue_wait_seconds_total{%s}[10s])) + "
		 "sum(rate(ksee_waking_up_seconds_total{%s}[10s]))", sel, sel, sel, sel);
	expect_between("accounted seconds/s", promql(pport, q), 0.95, 1.05);
	snprintf(q, sizeof(q), "ksee_threads{%s}", sel);
	expect_between("threads", promql(pport, q), 1, 1);
	v = promql(pport, "sum(ksee_dropped_events_total)");
	expect_between("dropped events", v, 0, 0);

	page = scrape(sport);
	promtool_check(page);
	if (!strstr(page, "comm=\"ticker\""))
		fail_msg("no comm label \"ticker\" in:\n%s", page);
	free(page);
	stop_serve(&p);
}

/* Garbage, a huge request line, other methods and paths, idle connections. */
static void test_serve_bad_http(void **state)
{
	const char *ticker[] = { harness_prog("ticker"), "50", NULL };
	char pid[16], *big, *page, line[512], want[16];
	struct harness_proc p;
	int port, fds[100], i, st, n = 0;
	FILE *f;

	harness_require_root();
	snprintf(pid, sizeof(pid), "%d", harness_start(ticker));
	port = free_port();
	start_serve(&p, port, (const char *[]){ "-p", pid, NULL });

	st = http_exchange(port, "\x01\x02\xff garbage\r\n\r\n", 14, NULL, true);
	if (st != 0 && st != 400)
		fail_msg("garbage answered %d, expected 400 or a closed connection", st);
	big = malloc(1 << 20);
	memcpy(big, "GET /", 5);
	memset(big + 5, 'a', (1 << 20) - 5);
	memcpy(big + (1 << 20) - 13, " HTTP/1.0\r\n\r\n", 13);
	st = http_exchange(port, big, 1 << 20, NULL, true);
	free(big);
	if (st != 0 && st != 414 && st != 431 && st != 400)
		fail_msg("a 1 MiB request line answered %d, expected 414, 431, 400 or a close", st);
	st = http_exchange(port, "POST /metrics HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc", 48,
			   NULL, true);
	harness_expect_eq("POST status", st, 405);
	harness_expect_eq("GET /nope status", http_get(port, "/nope", NULL), 404);
	harness_expect_eq("GET / status", http_get(port, "/", NULL), 200);

	/* 100 connections that say nothing, held open: scrapes still work once they go */
	for (i = 0; i < 100; i++)
		if ((fds[i] = connect_port(port)) >= 0)
			n++;
	harness_msleep(500);
	if (kill(p.pid, 0))
		fail_msg("ksee serve died with idle connections open");
	for (i = 0; i < 100; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	harness_msleep(500);
	page = scrape(port);
	if (!strstr(page, "ksee_on_cpu_seconds_total{pid="))
		fail_msg("no process series after %d idle connections:\n%s", n, page);
	free(page);

	/* only the address asked for listens: one socket on the port, 127.0.0.1 */
	snprintf(want, sizeof(want), ":%04X", port);
	n = 0;
	f = fopen("/proc/net/tcp", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char local[64], rem[64];
		unsigned int state;

		if (sscanf(line, " %*d: %63s %63s %x", local, rem, &state) == 3 &&
		    state == 0x0a && strstr(local, want)) {
			n++;
			if (strncmp(local, "0100007F:", 9))
				fail_msg("listening on %s, expected 0100007F (127.0.0.1)", local);
		}
	}
	if (f)
		fclose(f);
	f = fopen("/proc/net/tcp6", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char local[64], rem[64];
		unsigned int state;

		if (sscanf(line, " %*d: %63s %63s %x", local, rem, &state) == 3 &&
		    state == 0x0a && strstr(local, want))
			fail_msg("also listening on IPv6 %s", local);
	}
	if (f)
		fclose(f);
	harness_expect_eq("listening sockets on the port", n, 1);
	stop_serve(&p);
}

/* A port in use, a cgroup that does not exist, bad addresses: status and message. */
static void test_serve_refuses(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	const char *ticker[] = { harness_prog("ticker"), "50", NULL };
	char pid[16], addr[32];
	struct harness_proc p;
	socklen_t len = sizeof(a);
	int fd, st;

	harness_require_root();
	snprintf(pid, sizeof(pid), "%d", harness_start(ticker));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1) ||
	    getsockname(fd, (struct sockaddr *)&a, &len))
		fail_msg("cannot hold a port: %s", strerror(errno));
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", ntohs(a.sin_port));
	st = harness_run(&p, NULL, 0, (const char *[]){ "serve", "-p", pid, "--listen", addr,
			 NULL });
	harness_expect_eq("status with the port in use", st, 1);
	if (!strstr(p.err, "Address already in use"))
		fail_msg("stderr lacks 'Address already in use':\n%s", p.err);
	harness_proc_free(&p);
	close(fd);

	st = harness_run(&p, NULL, 0, (const char *[]){ "serve", "--cgroup",
			 "ksee-no-such-cgroup/x", NULL });
	harness_expect_eq("status with a missing cgroup", st, 1);
	if (!strstr(p.err, "no cgroup at ksee-no-such-cgroup/x"))
		fail_msg("stderr lacks 'no cgroup at':\n%s", p.err);
	harness_proc_free(&p);

	st = harness_run(&p, NULL, 0, (const char *[]){ "serve", "-p", pid, "--listen",
			 "192.0.2.1:9464", NULL });	/* TEST-NET-1: not this host's */
	harness_expect_eq("status with an address not of this host", st, 1);
	if (!strstr(p.err, "cannot listen on 192.0.2.1 port 9464"))
		fail_msg("stderr lacks 'cannot listen on':\n%s", p.err);
	harness_proc_free(&p);

	st = harness_run(&p, NULL, 0, (const char *[]){ "serve", "-p", pid, "--listen",
			 ":9464", NULL });
	harness_expect_eq("status with no address", st, 64);
	harness_proc_free(&p);
	harness_expect_eq("BPF programs left behind", harness_ksee_progs_settled(), 0);
}

/*
 * --per-thread with a cap of 2 on 4 threads: the two lowest thread ids
 * get series, the two others are counted as dropped. --bpf-stats: ksee's
 * own run time. Every descriptor ksee opened is close-on-exec.
 */
static void test_serve_per_thread_and_self(void **state)
{
	const char *ticker[] = { harness_prog("ticker"), "20", "4", NULL };
	char pid[16], want[128], path[64], link[256], line[128], *page;
	struct harness_proc p;
	struct dirent *de;
	pid_t target;
	int port, leaked = 0;
	FILE *f;
	DIR *d;

	harness_require_root();
	target = harness_start(ticker);
	snprintf(pid, sizeof(pid), "%d", target);
	harness_msleep(300);
	port = free_port();
	start_serve(&p, port, (const char *[]){ "-p", pid, "--per-thread", "--max-threads", "2",
		    "--bpf-stats", NULL });
	harness_msleep(1000);
	page = scrape(port);
	snprintf(want, sizeof(want), "ksee_threads{pid=\"%d\",comm=\"ticker\"} ", target);
	expect_between("threads", sample(page, want), 4, 4);
	harness_expect_eq("thread on-CPU series", count_lines(page,
			  "ksee_thread_on_cpu_seconds_total{"), 2);
	snprintf(want, sizeof(want), "ksee_thread_on_cpu_seconds_total{pid=\"%d\",comm=\"ticker\","
		 "tid=\"%d\",thread=\"ticker\"} ", target, target);
	if (isnan(sample(page, want)))
		fail_msg("the main thread (lowest tid) has no series:\n%s", page);
	expect_between("threads dropped", sample(page, "ksee_thread_series_dropped "), 2, 2);
	expect_between("thread limit", sample(page, "ksee_thread_series_limit "), 2, 2);
	expect_between("BPF statistics on", sample(page, "ksee_bpf_stats_enabled "), 1, 1);
	if (!(sample(page, "ksee_bpf_run_seconds_total ") > 0) ||
	    !(sample(page, "ksee_bpf_runs_total ") > 0))
		fail_msg("no BPF run time with --bpf-stats:\n%s", page);
	promtool_check(page);
	free(page);

	snprintf(path, sizeof(path), "/proc/%d/fd", p.pid);
	d = opendir(path);
	while (d && (de = readdir(d))) {
		unsigned long flags = 0;
		char fdinfo[400];

		if (de->d_name[0] == '.')
			continue;
		snprintf(fdinfo, sizeof(fdinfo), "%s/%s", path, de->d_name);
		memset(link, 0, sizeof(link));
		if (readlink(fdinfo, link, sizeof(link) - 1) < 0)
			continue;
		if (strncmp(link, "socket:", 7) && strncmp(link, "anon_inode:", 11))
			continue;	/* stdio and what the harness handed over */
		snprintf(fdinfo, sizeof(fdinfo), "/proc/%d/fdinfo/%s", p.pid, de->d_name);
		f = fopen(fdinfo, "r");
		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "flags: %lo", &flags) == 1)
				break;
		if (f)
			fclose(f);
		if (!(flags & 02000000)) {
			fprintf(stderr, "# fd %s (%s) is not close-on-exec\n", de->d_name, link);
			leaked++;
		}
	}
	if (d)
		closedir(d);
	harness_expect_eq("descriptors without close-on-exec", leaked, 0);
	stop_serve(&p);
}

/* --comm: processes of that name, those started later too. */
static void test_serve_comm_finds_new_processes(void **state)
{
	const char *ticker[] = { harness_prog("ticker"), "20", NULL };
	char lbl[64], *page;
	struct harness_proc p;
	pid_t first, second;
	int port;

	harness_require_root();
	first = harness_start(ticker);
	harness_msleep(200);	/* exec'd: its comm is "ticker" */
	port = free_port();
	start_serve(&p, port, (const char *[]){ "--comm", "ticker", NULL });
	second = harness_start(ticker);
	harness_msleep(2500);	/* two scans */
	page = scrape(port);
	snprintf(lbl, sizeof(lbl), "ksee_threads{pid=\"%d\",comm=\"ticker\"} ", first);
	expect_between("threads of the first", sample(page, lbl), 1, 1);
	snprintf(lbl, sizeof(lbl), "ksee_threads{pid=\"%d\",comm=\"ticker\"} ", second);
	expect_between("threads of the one started later", sample(page, lbl), 1, 1);
	free(page);
	stop_serve(&p);
}

/*
 * --cgroup with churn: 5,000 short-lived processes in the cgroup are all
 * seen, their series go after the grace period (2 s), and a second round
 * leaves ksee's memory where the first one left it.
 */
static void test_serve_cgroup_churn(void **state)
{
	const char *ticker[] = { harness_prog("ticker"), "20", NULL };
	const char *churn[] = { harness_prog("churn_fork"), "5000", NULL };
	char cg[256], lbl[64], *page;
	struct harness_proc p;
	long rss[2];
	pid_t resident, driver;
	int port, round, series, i, base;
	double forgotten = 0, v;
	struct timespec t0, t1;

	harness_require_root();
	harness_cgroup_make(cg, sizeof(cg));
	resident = harness_start_in_cgroup(cg, ticker);
	harness_msleep(300);
	port = free_port();
	start_serve(&p, port, (const char *[]){ "--cgroup", cg, "--grace", "2", NULL });
	page = scrape(port);
	snprintf(lbl, sizeof(lbl), "ksee_threads{pid=\"%d\",comm=\"ticker\"} ", resident);
	expect_between("threads of the resident process", sample(page, lbl), 1, 1);
	base = count_lines(page, "ksee_threads{");
	free(page);
	for (round = 0; round < 2; round++) {
		/*
		 * The shell joins the cgroup and waits on a FIFO (read is a builtin:
		 * no process of its own) until a scan has found it; then it execs
		 * the forker, whose children are traced from their fork.
		 */
		char script[1024], fifo[512], drv[96];
		const char *sh[] = { "/bin/sh", "-c", script, NULL };
		int fd;

		snprintf(fifo, sizeof(fifo), "%s/go%d", harness_tmpdir(), round);
		if (mkfifo(fifo, 0600))
			fail_msg("mkfifo %s: %s", fifo, strerror(errno));
		snprintf(script, sizeof(script), "echo $$ > %s/cgroup.procs && read x < %s && "
			 "exec %s %s > /dev/null", cg, fifo, churn[0], churn[1]);
		driver = harness_start(sh);
		snprintf(drv, sizeof(drv), "ksee_threads{pid=\"%d\",comm=\"sh\"} ", driver);
		for (i = 0; i < 200; i++) {
			page = scrape(port);
			v = sample(page, drv);
			free(page);
			if (v == 1)
				break;
			harness_msleep(100);
		}
		if (v != 1)
			fail_msg("the shell %d in the cgroup was not traced after 20 s", driver);
		fd = open(fifo, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "go\n", 3) != 3)
			fail_msg("cannot write to %s: %s", fifo, strerror(errno));
		close(fd);
		for (i = 0; i < 600 && kill(driver, 0) == 0; i++) {
			harness_msleep(100);
			if (waitpid(driver, NULL, WNOHANG) == driver)
				break;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		page = scrape(port);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		v = sample(page, "ksee_processes_forgotten_total ");
		series = count_lines(page, "ksee_threads{");
		fprintf(stderr, "# round %d: %d process series (%zu bytes, scraped in %.0f ms), %g "
			"forgotten so far\n", round, series, strlen(page),
			(t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6, v);
		expect_between("dropped events", sample(page,
			       "ksee_dropped_events_total{what=\"ringbuf\"} "), 0, 0);
		expect_between("dropped processes", sample(page,
			       "ksee_dropped_events_total{what=\"procs\"} "), 0, 0);
		free(page);
		harness_msleep(4000);	/* the grace period and a scan */
		page = scrape(port);
		v = sample(page, "ksee_processes_forgotten_total ");
		series = count_lines(page, "ksee_threads{");
		harness_expect_eq("process series after the grace period", series, base);
		/* 5,000 children and the forker (the shell it was) */
		expect_between("processes forgotten", v - forgotten, 5001, 5001);
		forgotten = v;
		free(page);
		rss[round] = harness_rss_kb(p.pid);
		fprintf(stderr, "# round %d: ksee serve RSS %ld KiB\n", round, rss[round]);
	}
	if (rss[1] > rss[0] + 2048)
		fail_msg("ksee serve grew from %ld to %ld KiB in a second round of churn", rss[0],
			 rss[1]);
	/* the cgroup goes away (a service stopped): ksee keeps serving, without it */
	kill(resident, SIGKILL);
	waitpid(resident, NULL, 0);
	harness_cgroup_remove(cg);
	harness_wait_stderr(&p, "is gone; waiting for it to come back", 10);
	if (kill(p.pid, 0))
		fail_msg("ksee serve died when its cgroup went away");
	free(scrape(port));
	stop_serve(&p);
}

/* The alerting rules load, and `promtool test rules` checks each alert both ways. */
static void test_serve_rules_file(void **state)
{
	int st;

	if (access(PROMTOOL, X_OK))
		fail_msg("%s is missing: install Debian's prometheus package (make deps)",
			 PROMTOOL);
	if (access("dist/prometheus/ksee-rules.yml", R_OK))
		fail_msg("dist/prometheus/ksee-rules.yml not found (run from the source tree)");
	st = system(PROMTOOL " check rules dist/prometheus/ksee-rules.yml >&2");
	harness_expect_eq("promtool check rules", st, 0);
	st = system(PROMTOOL " test rules tests/prometheus/ksee-rules.test.yml >&2");
	harness_expect_eq("promtool test rules", st, 0);
}

/*
 * The systemd unit's capability set is enough: ksee serve as user nobody
 * with only the AmbientCapabilities of dist/systemd/ksee-serve@.service.
 */
static void test_serve_unit_capabilities(void **state)
{
	const char *ticker[] = { harness_prog("ticker"), "50", NULL };
	char line[512], caps[256] = "", inh[300], amb[300], bnd[300], addr[32], pid[16];
	char want[64], *tok, *save, *page;
	struct harness_proc p;
	FILE *f;
	int port;

	harness_require_root();
	f = fopen("dist/systemd/ksee-serve@.service", "r");
	if (!f)
		fail_msg("dist/systemd/ksee-serve@.service not found (run from the source tree)");
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "AmbientCapabilities=", 20))
			continue;
		line[strcspn(line, "\n")] = 0;
		for (tok = strtok_r(line + 20, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			char *c;

			if (strncmp(tok, "CAP_", 4))
				fail_msg("unexpected capability '%s' in the unit", tok);
			for (c = tok; *c; c++)
				*c = tolower((unsigned char)*c);
			snprintf(caps + strlen(caps), sizeof(caps) - strlen(caps), ",+%s", tok + 4);
		}
	}
	fclose(f);
	if (!caps[0])
		fail_msg("the unit has no AmbientCapabilities line");
	snprintf(inh, sizeof(inh), "--inh-caps=-all%s", caps);
	snprintf(amb, sizeof(amb), "--ambient-caps=-all%s", caps);
	snprintf(bnd, sizeof(bnd), "--bounding-set=-all%s", caps);
	snprintf(pid, sizeof(pid), "%d", harness_start(ticker));
	port = free_port();
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
	harness_spawn_cmd(&p, NULL, (const char *[]){ "/usr/bin/setpriv", "--reuid=65534",
			  "--regid=65534", "--clear-groups", "--no-new-privs", inh, amb, bnd,
			  getenv("KSEE"), "serve", "-p", pid, "--listen", addr, NULL });
	harness_wait_stderr(&p, "metrics at http://", 20);
	harness_msleep(500);
	page = scrape(port);
	snprintf(want, sizeof(want), "ksee_threads{pid=\"%s\",comm=\"ticker\"} ", pid);
	expect_between("threads of the target, served without root", sample(page, want), 1, 1);
	free(page);
	stop_serve(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_serve_prometheus_scrapes_known_workload,
					  harness_teardown),
		cmocka_unit_test_teardown(test_serve_bad_http, harness_teardown),
		cmocka_unit_test_teardown(test_serve_refuses, harness_teardown),
		cmocka_unit_test_teardown(test_serve_per_thread_and_self, harness_teardown),
		cmocka_unit_test_teardown(test_serve_comm_finds_new_processes, harness_teardown),
		cmocka_unit_test_teardown(test_serve_cgroup_churn, harness_teardown),
		cmocka_unit_test_teardown(test_serve_rules_file, harness_teardown),
		cmocka_unit_test_teardown(test_serve_unit_capabilities, harness_teardown),
	};

	return cmocka_run_group_tests_name("serve", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksee serve: keep the kernel side attached to a set of processes (pids,
 * a process name, a cgroup) and answer Prometheus scrapes at /metrics.
 *
 * Two threads: libmicrohttpd's, which takes the HTTP connections, and
 * this one, which owns the tracer and the model. A scrape asks this
 * thread for a fresh exposition through an eventfd and waits for it.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <microhttpd.h>
#include "cli/commands.h"
#include "cli/opts_serve.h"
#include "cli/session.h"
#include "model/live.h"
#include "output/prometheus.h"
#include "trace/targets.h"
#include "trace/tracer.h"

#define SCAN_MS 1000		/* targets looked for, model compacted */
#define SCRAPE_WAIT_S 9		/* a scrape waits this long (Prometheus gives up at 10 s) */
#define FRESH_NS 250000000ULL	/* an exposition this young answers a scrape as is */
#define MAX_CONNECTIONS 64
#define IDLE_TIMEOUT_S 10

struct serve {
	struct serve_opts o;
	struct ks_trace acc;	/* dead tasks, folded; ended processes until their grace ends */
	struct tracer *t;
	struct MHD_Daemon *httpd;
	int listen_fd;
	int wake_fd;		/* eventfd: a scrape is waiting */
	int stats_fd;		/* --bpf-stats */
	char cgroup_procs[PATH_MAX];
	bool cgroup_gone;	/* its cgroup.procs could not be found at the last scan */
	struct targets targets;	/* the processes registered */
	__u64 forgotten;
	double start_time_s;

	pthread_mutex_t lock;	/* the fields below, shared with the HTTP thread */
	pthread_cond_t done;
	char *page;		/* the last exposition */
	size_t page_len;
	__u64 page_ns;		/* when it was made; 0: never */
	__u64 wanted, made;	/* scrapes asked for, answered (generations) */
	bool failing;		/* the last exposition could not be made */
	bool stopping;
};

static void serve_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void serve_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ksee serve: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ------------------------------------------------------------ HTTP thread */

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type,
			     char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned int status, const char *s)
{
	return reply(c, status, "text/plain; charset=utf-8", (char *)s, strlen(s),
		     MHD_RESPMEM_PERSISTENT);
}

/* A copy of a fresh exposition, or NULL (then *status says why). */
static char *fresh_page(struct serve *s, size_t *len, unsigned int *status)
{
	struct timespec until;
	__u64 gen, one = 1;
	char *copy = NULL;

	pthread_mutex_lock(&s->lock);
	if (!s->page_ns || tracer_now() - s->page_ns > FRESH_NS) {
		gen = ++s->wanted;
		if (write(s->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			goto out;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += SCRAPE_WAIT_S;
		while (s->made < gen && !s->stopping)
			if (pthread_cond_timedwait(&s->done, &s->lock, &until) == ETIMEDOUT)
				break;
		if (s->made < gen)
			goto out;
	}
	if (s->failing || !s->page)
		goto out;
	copy = malloc(s->page_len ? s->page_len : 1);
	if (copy) {
		memcpy(copy, s->page, s->page_len);
		*len = s->page_len;
	}
out:
	*status = MHD_HTTP_SERVICE_UNAVAILABLE;
	pthread_mutex_unlock(&s->lock);
	return copy;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **ctx)
{
	struct serve *s = cls;
	unsigned int status;
	size_t len = 0;
	char *page;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)ctx;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	if (!strcmp(url, "/"))
		return reply_text(c, MHD_HTTP_OK, "ksee serve: the metrics are at /metrics\n");
	if (strcmp(url, "/metrics"))
		return reply_text(c, MHD_HTTP_NOT_FOUND, "not found: the metrics are at /metrics\n");
	page = fresh_page(s, &len, &status);
	if (!page)
		return reply_text(c, status, "ksee serve: no fresh metrics (see its stderr)\n");
	return reply(c, MHD_HTTP_OK, PROM_CONTENT_TYPE, page, len, MHD_RESPMEM_MUST_FREE);
}

/* ------------------------------------------------------------ main thread */

/* The exposition of this moment, for the scrapes waiting. */
static void make_page(struct serve *s)
{
	struct prom_info pi = {
		.per_thread = s->o.per_thread,
		.max_thread_series = s->o.max_threads,
		.grace_s = s->o.grace_s,
		.start_time_s = s->start_time_s,
	};
	struct ks_trace snap;
	char *buf = NULL, sysctl[8] = "";
	size_t len = 0;
	__u64 now = tracer_now(), gen;
	FILE *f;
	int ret, fd;

	pthread_mutex_lock(&s->lock);
	gen = s->wanted;
	pthread_mutex_unlock(&s->lock);

	ks_trace_init(&snap);
	snap.mode = "serve";
	snap.start_ns = s->acc.start_ns;
	snap.end_ns = now;
	/* live tasks first, then the records of those that died meanwhile */
	ret = tracer_snapshot(s->t, &snap, now);
	if (!ret)
		ret = tracer_poll(s->t, 0);
	if (!ret)
		ret = ks_live_merge(&snap, &s->acc);
	if (!ret) {
		ks_trace_finish(&snap);
		fd = open("/proc/sys/kernel/bpf_stats_enabled", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (read(fd, sysctl, sizeof(sysctl) - 1) < 0)
				sysctl[0] = 0;
			close(fd);
		}
		pi.bpf_stats = s->stats_fd >= 0 || sysctl[0] == '1';
		if (pi.bpf_stats && tracer_bpf_run_time(s->t, &pi.bpf_run_ns, &pi.bpf_run_count))
			pi.bpf_stats = false;
		pi.forgotten = s->forgotten;
		f = open_memstream(&buf, &len);
		ret = f ? prom_write(f, &snap, &pi) : -ENOMEM;
		if (f && fclose(f) && ret >= 0)
			ret = -EIO;
	}
	ks_trace_free(&snap);
	if (ret < 0)
		serve_error("cannot make the metrics: %s", strerror(-ret));
	pthread_mutex_lock(&s->lock);
	if (ret >= 0) {
		free(s->page);
		s->page = buf;
		s->page_len = len;
		s->page_ns = now;
		buf = NULL;
	}
	s->failing = ret < 0;
	s->made = gen;
	pthread_cond_broadcast(&s->done);
	pthread_mutex_unlock(&s->lock);
	free(buf);
}

/* The thread group of @pid from /proc/PID/status; 0 if it is gone. */
static __u32 status_tgid(__u32 pid)
{
	char path[64], *line = NULL;
	unsigned long v = 0;
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0 && strncmp(line, "Tgid:", 5))
		;
	if (line && !strncmp(line, "Tgid:", 5))
		v = strtoul(line + 5, NULL, 10);
	free(line);
	fclose(f);
	return v;
}

/* Register @pid; 1 if it is new, 0 if known, -errno. */
static int add_target(struct serve *s, __u32 pid, __u64 now)
{
	int ret = targets_add(&s->targets, s->t, pid, now);

	if (ret > 0 && s->o.verbose)
		fprintf(stderr, "ksee serve: tracing pid %u\n", pid);
	return ret;
}

static bool has_comm(__u32 pid, const char *comm)
{
	char path[64], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return !strcmp(buf, comm);
}

/* Processes named --comm; @add is called for each. */
static int scan_comm(struct serve *s, __u64 now, int *added)
{
	struct dirent *de;
	__u32 pid;
	DIR *d;
	int ret = 0;

	d = opendir("/proc");
	if (!d)
		return -errno;
	while (!ret && (de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = strtoul(de->d_name, NULL, 10);
		if (targets_known(&s->targets, pid) || !has_comm(pid, s->o.comm) ||
		    !targets_is_process(pid))
			continue;
		ret = add_target(s, pid, now);
		if (ret > 0)
			(*added)++, ret = 0;
	}
	closedir(d);
	return ret;
}

/* Look for new targets, give their tasks kernel-side state. */
static int scan(struct serve *s)
{
	__u64 now = tracer_now();
	int ret = 0, added = 0;

	if (s->o.comm)
		ret = scan_comm(s, now, &added);
	if (!ret && s->o.cgroup) {
		ret = targets_add_cgroup(&s->targets, s->t, s->cgroup_procs, now);
		/* a service that stopped: its cgroup comes back when it starts again */
		if (ret == -ENOENT && !s->cgroup_gone)
			serve_error("warning: the cgroup %s is gone; waiting for it to come back",
				    s->o.cgroup);
		else if (ret >= 0 && s->cgroup_gone)
			fprintf(stderr, "ksee serve: the cgroup %s is back\n", s->o.cgroup);
		s->cgroup_gone = ret == -ENOENT;
		if (ret == -ENOENT)
			ret = 0;
		if (ret > 0 && s->o.verbose)
			fprintf(stderr, "ksee serve: tracing %d more process%s of the cgroup\n",
				ret, ret == 1 ? "" : "es");
		ret = ret < 0 ? ret : 0;
	}
	if (ret) {
		serve_error("cannot look for the processes to trace: %s", strerror(-ret));
		return ret;
	}
	ret = targets_adopt(&s->targets, s->t, now, KSEE_TF_ADOPTED);
	if (ret)
		serve_error("cannot adopt the tasks of new processes: %s", strerror(-ret));
	return ret;
}

/* Fold the dead, forget what ended more than --grace ago, empty the edges. */
static void compact(struct serve *s)
{
	__u64 now = tracer_now(), grace = (__u64)(s->o.grace_s * 1e9);
	size_t forgotten = 0;

	ks_live_fold(&s->acc);
	if (now > grace)
		forgotten = ks_live_forget(&s->acc, now - grace);
	s->forgotten += forgotten;
	tracer_clear_edges(s->t);
	s->acc.nedges = 0;	/* and those the dead tasks' records brought */
	/*
	 * Give the memory of forgotten processes back to the system: the
	 * arenas keep what was freed otherwise, and a service with churn
	 * would look as if it leaked. Only then: the walk of every arena is
	 * not free, and most ticks forget nothing.
	 */
	if (forgotten)
		malloc_trim(0);
}

static int check_pids(struct serve *s)
{
	__u32 tgid;
	int i;

	for (i = 0; i < s->o.npids; i++) {
		tgid = status_tgid(s->o.pids[i]);
		if (!tgid) {
			serve_error("no process with pid %u", s->o.pids[i]);
			return -ESRCH;
		}
		if (tgid == (__u32)getpid()) {
			serve_error("pid %u is ksee itself", s->o.pids[i]);
			return -EINVAL;
		}
		if (tgid == 1) {
			serve_error("pid 1 (init) cannot be traced: the kernel's task iterator, "
				    "which ksee adopts running tasks with, skips it");
			return -EINVAL;
		}
		if (!targets_is_process(tgid)) {
			serve_error("pid %u is a kernel thread: ksee traces processes", tgid);
			return -EINVAL;
		}
		if (tgid != s->o.pids[i])
			fprintf(stderr, "ksee serve: %u is a thread of process %u: tracing %u\n",
				s->o.pids[i], tgid, tgid);
		s->o.pids[i] = tgid;
	}
	return 0;
}

/* The listening socket, bound to exactly the address asked for. */
static int open_listener(struct serve *s)
{
	struct addrinfo hints = { .ai_flags = AI_PASSIVE | AI_NUMERICSERV,
				  .ai_socktype = SOCK_STREAM }, *ai = NULL;
	int fd, one = 1, ret;

	ret = getaddrinfo(s->o.host, s->o.port, &hints, &ai);
	if (ret) {
		serve_error("cannot listen on %s port %s: %s", s->o.host, s->o.port,
			    gai_strerror(ret));
		return -EINVAL;
	}
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0) {
		ret = -errno;
		goto fail;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 64)) {
		ret = -errno;
		close(fd);
		goto fail;
	}
	freeaddrinfo(ai);
	s->listen_fd = fd;
	return 0;
fail:
	serve_error("cannot listen on %s port %s: %s%s", s->o.host, s->o.port, strerror(-ret),
		    ret == -EADDRINUSE ? " (another program serves there: choose another "
		    "--listen)" : "");
	freeaddrinfo(ai);
	return ret;
}

static int start_http(struct serve *s)
{
	sigset_t all, old;

	/* the HTTP thread inherits a mask that leaves the signals to this one */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	s->httpd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
				    (s->o.verbose ? MHD_USE_ERROR_LOG : 0), 0, NULL, NULL,
				    on_request, s,
				    MHD_OPTION_LISTEN_SOCKET, s->listen_fd,
				    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MAX_CONNECTIONS,
				    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)IDLE_TIMEOUT_S,
				    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
				    MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!s->httpd) {
		serve_error("cannot start the HTTP server on %s port %s", s->o.host, s->o.port);
		return -EIO;
	}
	s->listen_fd = -1;	/* MHD_stop_daemon() closes it */
	return 0;
}

static int start(struct serve *s)
{
	struct tracer_cfg cfg = { .verbose = s->o.verbose, .syscalls = s->o.syscalls };
	char err[512];
	__u64 now;
	int i, ret;

	if (tracer_check_privileges(err, sizeof(err))) {
		serve_error("%s", err);
		return -EPERM;
	}
	if (s->o.cgroup && cgroup_procs_file(s->o.cgroup, s->cgroup_procs,
					     sizeof(s->cgroup_procs), err, sizeof(err))) {
		serve_error("%s", err);
		return -ENOENT;
	}
	if ((ret = check_pids(s)))
		return ret;
	if ((ret = open_listener(s)))
		return ret;
	if (s->o.bpf_stats) {
		s->stats_fd = tracer_enable_bpf_stats();
		if (s->stats_fd < 0) {
			serve_error("cannot turn on the kernel's BPF statistics: %s",
				    strerror(-s->stats_fd));
			return s->stats_fd;
		}
	}
	session_catch_signals();
	ret = tracer_open(&s->t, &s->acc, &cfg, err, sizeof(err));
	if (ret) {
		serve_error("%s", err);
		return ret;
	}
	for (i = 0; i < s->acc.nnotices; i++)
		serve_error("%s", s->acc.notices[i]);
	now = tracer_now();
	s->acc.start_ns = now;
	for (i = 0; i < s->o.npids; i++) {
		ret = add_target(s, s->o.pids[i], now);
		if (ret < 0) {
			serve_error("cannot trace pid %u: %s", s->o.pids[i], strerror(-ret));
			return ret;
		}
	}
	if ((ret = targets_adopt(&s->targets, s->t, now, KSEE_TF_ADOPTED))) {
		serve_error("cannot adopt the tasks of the targets: %s", strerror(-ret));
		return ret;
	}
	for (i = 0; i < s->o.npids; i++) {
		if (!tracer_tasks_seen(s->t, s->o.pids[i])) {
			serve_error("process %u exited before tracing began", s->o.pids[i]);
			return -ESRCH;
		}
	}
	s->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->wake_fd < 0) {
		ret = -errno;
		serve_error("cannot create an eventfd: %s", strerror(-ret));
		return ret;
	}
	if ((ret = scan(s)))
		return ret;
	return start_http(s);
}

static int loop(struct serve *s)
{
	struct pollfd pfd[2] = {
		{ .fd = tracer_poll_fd(s->t), .events = POLLIN },
		{ .fd = s->wake_fd, .events = POLLIN },
	};
	__u64 next_scan = tracer_now() + SCAN_MS * 1000000ULL, now, v;
	int ret, timeout;

	fprintf(stderr, "ksee serve: metrics at http://%s%s%s:%s/metrics (Ctrl-C to stop)\n",
		strchr(s->o.host, ':') ? "[" : "", s->o.host, strchr(s->o.host, ':') ? "]" : "",
		s->o.port);
	while (!session_signals) {
		now = tracer_now();
		timeout = now >= next_scan ? 0 : (int)((next_scan - now) / 1000000) + 1;
		if (poll(pfd, 2, timeout) < 0 && errno != EINTR) {
			ret = -errno;
			serve_error("poll: %s", strerror(-ret));
			return ret;
		}
		ret = tracer_poll(s->t, 0);
		if (ret) {
			serve_error("cannot read the kernel's records: %s", strerror(-ret));
			return ret;
		}
		if (read(s->wake_fd, &v, sizeof(v)) == sizeof(v))
			make_page(s);
		if (tracer_now() >= next_scan) {
			ret = scan(s);
			if (ret)
				return ret;
			compact(s);
			next_scan = tracer_now() + SCAN_MS * 1000000ULL;
		}
	}
	fprintf(stderr, "ksee serve: stopped by signal %d\n", (int)session_last_signal);
	return 0;
}

static void cleanup(struct serve *s)
{
	if (s->httpd) {
		pthread_mutex_lock(&s->lock);
		s->stopping = true;
		pthread_cond_broadcast(&s->done);
		pthread_mutex_unlock(&s->lock);
		MHD_stop_daemon(s->httpd);
	}
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	tracer_close(s->t);
	if (s->wake_fd >= 0)
		close(s->wake_fd);
	if (s->stats_fd >= 0)
		close(s->stats_fd);
	ks_trace_free(&s->acc);
	targets_free(&s->targets);
	free(s->page);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->done);
}

int do_serve(int argc, char **argv)
{
	pthread_condattr_t ca;
	struct serve s;
	struct utsname u;
	struct timespec ts;
	char err[512];
	int ret;

	/*
	 * A fixed mmap threshold: the pages of a scrape (megabytes for
	 * thousands of processes) are mapped apart and unmapped when freed,
	 * instead of growing the heap for good after the first one.
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	memset(&s, 0, sizeof(s));
	s.listen_fd = s.wake_fd = s.stats_fd = -1;
	pthread_mutex_init(&s.lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s.done, &ca);
	pthread_condattr_destroy(&ca);
	ks_trace_init(&s.acc);
	s.acc.mode = "serve";
	s.acc.self_pid = getpid();
	if (uname(&u) == 0)
		snprintf(s.acc.kernel, sizeof(s.acc.kernel), "%s", u.release);
	clock_gettime(CLOCK_REALTIME, &ts);
	s.start_time_s = ts.tv_sec + ts.tv_nsec / 1e9;

	ret = serve_opts_parse(&s.o, argc, argv, err, sizeof(err));
	if (ret == 1) {
		serve_usage(stdout);
		ret = 0;
		goto out;
	}
	if (ret) {
		serve_error("%s", err);
		fprintf(stderr, "Try 'ksee serve --help'.\n");
		ret = EXIT_USAGE;
		goto out;
	}
	ret = start(&s);
	if (!ret)
		ret = loop(&s);
	ret = ret ? 1 : 0;
out:
	cleanup(&s);
	return ret;
}

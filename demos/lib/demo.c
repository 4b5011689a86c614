// SPDX-License-Identifier: MIT
/* The frame every concurrency model runs in. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <ksee/usdt.h>

#include "demo.h"

static void usage(FILE *f, const struct demo_model *m)
{
	fprintf(f,
		"Usage: %s [OPTIONS]\n"
		"%s\n"
		"\n"
		"Serves R requests, at most C in flight: each sends a request to the\n"
		"ioserver, waits D ms for the answer, then computes for W us.\n"
		"\n"
		"  -r, --requests R      requests to serve (default 100)\n"
		"  -c, --concurrency C   requests in flight at most (default 10)\n"
		"  -d, --io-ms D         server delay per request in ms (default 20)\n"
		"  -w, --cpu-us W        CPU work per request in us (default 500)\n"
		"  -n, --workers N       %s (default 4)\n"
		"  -s, --server ADDR     ioserver: unix:/path or tcp:127.0.0.1:PORT\n"
		"                        (default: start a private one, stopped at exit)\n"
		"  -h, --help            show this help\n"
		"\n"
		"Prints one line to stdout:\n"
		"  model=%s requests=N errors=N wall_ms=X p50_ms=X p99_ms=X concurrency=C\n"
		"  workers=N io_ms=D cpu_us=W wait_p50_ms=X wait_p99_ms=X setup_cpu_ms=X\n"
		"  work_cpu_ms=X cpu_ms=X\n"
		"and exits 1 if any request failed.\n",
		m->name, m->about, m->workers_help ?: "not used by this model", m->name);
}

static int shared_alloc(struct demo *d)
{
	unsigned long r = d->opt.requests, i;
	size_t len = sizeof(*d->sh) + r * (sizeof(uint64_t) + 2 * sizeof(double));
	char *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	d->sh = (struct demo_shared *)p;
	d->sh->start_ns = (uint64_t *)(p + sizeof(*d->sh));
	d->sh->lat_ms = (double *)(d->sh->start_ns + r);
	d->sh->wait_ms = d->sh->lat_ms + r;
	for (i = 0; i < r; i++)
		d->sh->lat_ms[i] = d->sh->wait_ms[i] = NAN;
	return 0;
}

/* CPU time of the calling process (all its threads) or thread, in ns; 0 if unknown. */
static uint64_t cpu_clock_ns(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts))
		return 0;
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * CPU time of this process and of its children that were waited for, as
 * the kernel charges it: the same clock as setup_cpu_ms and work_cpu_ms,
 * so that the three can be compared (a tracer's switch-to-switch on-CPU
 * time also holds what a hypervisor stole from the virtual CPU).
 */
static double total_cpu_ms(void)
{
	struct rusage ru;
	double ms = cpu_clock_ns(CLOCK_PROCESS_CPUTIME_ID) / 1e6;

	if (!getrusage(RUSAGE_CHILDREN, &ru))
		ms += (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	return ms;
}

/*
 * The summary line; new fields go at the end. setup_cpu_ms is the CPU
 * time before the first request (start-up, calibration), work_cpu_ms the
 * CPU time the work W took, measured around it, cpu_ms all of it;
 * mean_ms the mean latency (with the percentiles, of successful requests).
 */
static void summary(struct demo *d, double wall_ms, double setup_cpu_ms)
{
	unsigned long ok = atomic_load(&d->sh->ok), r = d->opt.requests;
	double p50 = stats_percentile(d->sh->lat_ms, r, 50);
	double p99 = stats_percentile(d->sh->lat_ms, r, 99);
	double w50 = stats_percentile(d->sh->wait_ms, r, 50);
	double w99 = stats_percentile(d->sh->wait_ms, r, 99);
	double mean = stats_mean(d->sh->lat_ms, r);

	printf("model=%s requests=%lu errors=%lu wall_ms=%.1f p50_ms=%.2f p99_ms=%.2f "
	       "concurrency=%lu workers=%lu io_ms=%lu cpu_us=%lu wait_p50_ms=%.3f "
	       "wait_p99_ms=%.3f setup_cpu_ms=%.3f work_cpu_ms=%.3f cpu_ms=%.3f "
	       "mean_ms=%.3f\n",
	       d->model->name, ok, r - ok, wall_ms, p50, p99, d->opt.concurrency, d->workers,
	       d->opt.io_ms, d->opt.cpu_us, w50, w99, setup_cpu_ms,
	       atomic_load(&d->sh->work_cpu_ns) / 1e6, total_cpu_ms(), mean);
	fflush(stdout);
}

/* Use --server, or start a private ioserver. */
static int server_setup(struct demo *d)
{
	char exe[4096];
	int err;

	if (d->opt.server) {
		d->addr = d->opt.server;
		return 0;
	}
	err = server_path(exe, sizeof(exe));
	if (err)
		return err;
	err = server_spawn(&d->server, exe, NULL);
	if (err) {
		fprintf(stderr, "%s: cannot start %s: %s\n", d->model->name, exe, strerror(-err));
		return err;
	}
	d->addr = d->server.addr;
	return 0;
}

int demo_main(int argc, char **argv, const struct demo_model *m)
{
	struct demo d = { .model = m, .workers = 1 };
	char msg[256];
	uint64_t t0, setup_cpu = 0;
	double wall_ms;
	int err;

	err = demo_opts_parse(&d.opt, argc, argv, msg, sizeof(msg));
	if (err < 0) {
		fprintf(stderr, "%s: %s\n", m->name, msg);
		usage(stderr, m);
		return 64;
	}
	if (err > 0) {
		usage(stdout, m);
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	err = cpuwork_calibrate();
	if (err) {
		fprintf(stderr, "%s: cannot calibrate the CPU work: %s\n", m->name, strerror(-err));
		return 1;
	}
	err = shared_alloc(&d);
	if (err) {
		fprintf(stderr, "%s: cannot allocate: %s\n", m->name, strerror(-err));
		return 1;
	}
	t0 = now_ns();
	err = server_setup(&d);
	if (!err) {
		setup_cpu = cpu_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
		t0 = now_ns();
		err = m->run(&d);
		if (err)
			fprintf(stderr, "%s: %s (server %s)\n", m->name, strerror(-err), d.addr);
	}
	wall_ms = (now_ns() - t0) / 1e6;
	if (!err && atomic_load(&d.sh->failed))
		fprintf(stderr, "%s: %lu request(s) failed\n", m->name, atomic_load(&d.sh->failed));
	summary(&d, wall_ms, setup_cpu / 1e6);
	server_stop(&d.server);
	return err || atomic_load(&d.sh->ok) != d.opt.requests;
}

long demo_next(struct demo *d)
{
	unsigned long id = atomic_fetch_add(&d->sh->next, 1);

	return id < d->opt.requests ? (long)id : -1;
}

void demo_begin(struct demo *d, unsigned long id)
{
	d->sh->start_ns[id] = now_ns();
}

void demo_end(struct demo *d, unsigned long id, int err)
{
	if (err) {
		atomic_fetch_add(&d->sh->failed, 1);
		return;
	}
	d->sh->lat_ms[id] = (now_ns() - d->sh->start_ns[id]) / 1e6;
	atomic_fetch_add(&d->sh->ok, 1);
}

int demo_connect(struct demo *d, bool nonblock)
{
	return addr_connect(d->addr, nonblock);
}

void demo_complete(struct demo *d, unsigned long id, int rc)
{
	demo_complete_marked(d, id, (long long)id, rc);
}

void demo_complete_marked(struct demo *d, unsigned long id, long long mark, int rc)
{
	uint64_t t0;

	if (rc > 0) {
		/* exact, per request: how long after its start the reply was handled */
		d->sh->wait_ms[id] = (now_ns() - d->sh->start_ns[id]) / 1e6;
		t0 = cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID);
		cpuwork_spin(d->opt.cpu_us);
		atomic_fetch_add(&d->sh->work_cpu_ns, cpu_clock_ns(CLOCK_THREAD_CPUTIME_ID) - t0);
	}
	demo_end(d, id, rc < 0 ? rc : 0);
	KSEE_REQUEST_DONE(mark);
}

int demo_request_blocking(struct demo *d, int fd, unsigned long id, pthread_mutex_t *gil)
{
	int err;

	KSEE_REQUEST_START(id);
	demo_begin(d, id);
	err = client_send(fd, id, d->opt.io_ms);
	if (!err) {
		KSEE_AWAIT(id);
		if (gil)
			pthread_mutex_unlock(gil);
		err = client_recv(fd, id);
		if (gil)
			pthread_mutex_lock(gil);
		KSEE_RESUME(id);
	}
	demo_complete(d, id, err ?: 1);
	return err;
}

int demo_serve_blocking(struct demo *d, pthread_mutex_t *gil)
{
	int fd = demo_connect(d, false);
	long id;

	if (fd < 0)
		return fd;
	while ((id = demo_next(d)) >= 0) {
		if (!demo_request_blocking(d, fd, id, gil))
			continue;
		/* the connection is broken: take a new one */
		close(fd);
		fd = demo_connect(d, false);
		if (fd < 0)
			return fd;
	}
	close(fd);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksee compare: start the I/O server, run every selected demo model with
 * the same workload, each traced from its first instruction, and report
 * them side by side with the verdicts on the seeds' claims.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "cli/commands.h"
#include "model/columns.h"
#include "model/comparison.h"
#include "output/recording.h"
#include "output/render.h"
#include "cli/session.h"
#include "trace/target.h"

#define SERVER_START_MS 5000

struct server {
	struct target tg;
	int out_fd;		/* its stdout: "listening ADDR" */
	char addr[256];
};

static bool has_server(const char *dir)
{
	char probe[PATH_MAX + 16];

	snprintf(probe, sizeof(probe), "%s/ioserver", dir);
	return access(probe, X_OK) == 0;
}

/*
 * Where the demo binaries are: $KSEE_DEMOS, else demos/ beside ksee (the
 * build tree), else ../libexec/ksee/demos from it (an installed ksee).
 */
static int find_demos(char *dir, size_t len)
{
	const char *env = getenv("KSEE_DEMOS");
	char self[PATH_MAX], *bindir;
	ssize_t n;

	if (env && *env) {
		snprintf(dir, len, "%s", env);
		return has_server(dir) ? 0 : -ENOENT;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -errno;
	self[n] = 0;
	bindir = dirname(self);
	snprintf(dir, len, "%s/demos", bindir);
	if (has_server(dir))
		return 0;
	snprintf(dir, len, "%s/../libexec/ksee/demos", bindir);
	return has_server(dir) ? 0 : -ENOENT;
}

/* Read one line from @fd within @ms; 0 or -errno. */
static int read_line(int fd, char *buf, size_t len, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t have = 0;
	ssize_t n;
	char *nl;

	while (have + 1 < len) {
		if (poll(&pfd, 1, ms) <= 0)
			return -ETIMEDOUT;
		n = read(fd, buf + have, len - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EPIPE;
		have += n;
		buf[have] = 0;
		nl = strchr(buf, '\n');
		if (nl) {
			*nl = 0;
			return 0;
		}
	}
	return -E2BIG;
}

static int server_start(struct server *sv, const char *demos, char *err, size_t errlen)
{
	char path[PATH_MAX], line[512];
	char *argv[] = { path, NULL };
	int p[2], ret;

	sv->out_fd = -1;
	if (snprintf(path, sizeof(path), "%s/ioserver", demos) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	if (pipe2(p, O_CLOEXEC)) {
		snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
		return -errno;
	}
	ret = target_spawn_tied(&sv->tg, argv, p[1], err, errlen);
	close(p[1]);
	if (ret) {
		close(p[0]);
		return ret;
	}
	sv->out_fd = p[0];
	ret = target_start(&sv->tg, argv, err, errlen);
	if (ret)
		return ret;
	ret = read_line(sv->out_fd, line, sizeof(line), SERVER_START_MS);
	if (ret || strncmp(line, "listening ", 10)) {
		snprintf(err, errlen, "the I/O server %.200s did not start (%.200s)", path,
			 ret ? strerror(-ret) : line);
		return ret ? ret : -EPROTO;
	}
	snprintf(sv->addr, sizeof(sv->addr), "%.255s", line + 10);
	return 0;
}

static void server_stop(struct server *sv)
{
	int i;

	if (sv->tg.pid > 0) {
		kill(sv->tg.pid, SIGTERM);
		for (i = 0; i < 100 && waitpid(sv->tg.pid, NULL, WNOHANG) == 0; i++)
			usleep(10000);
		if (i == 100)
			target_abort(&sv->tg);
		sv->tg.pid = -1;
	}
	if (sv->out_fd >= 0)
		close(sv->out_fd);
	sv->out_fd = -1;
}

/* Long enough for the slowest model (blocking: R x (D + W)), and then some. */
static double model_timeout(const struct ksee_opts *o)
{
	double serial_s = (double)o->wl.requests * (o->wl.io_ms / 1e3 + o->wl.cpu_us / 1e6);

	return o->timeout > 0 ? o->timeout : 3 * serial_s + 30;
}

static void describe_failure(struct cmp_result *res, const struct session *s,
			     const struct run_spec *rs)
{
	res->failed = true;
	if (!s->timed_out && !s->tr.exit_signal && res->demo.parsed && res->demo.errors)
		snprintf(res->error, sizeof(res->error), "%lu of %lu requests failed",
			 res->demo.errors, res->demo.requests + res->demo.errors);
	else if (!session_describe_end(s, rs, res->error, sizeof(res->error)))
		snprintf(res->error, sizeof(res->error), "no summary line from the demo");
}

/*
 * Run one model traced; fill @res. Returns 0 (even when the model failed:
 * that is a result) or ksee's own exit status for errors of its own.
 */
static int run_model(struct session *s, const char *demos, const char *addr, enum cmp_model m,
		     const struct cmp_workload *wl, struct cmp_result *res)
{
	char interp[PATH_MAX], path[PATH_MAX], r[24], c[24], d[24], w[24], n[24], line[1024];
	char *args[] = { interp, path, "--requests", r, "--concurrency", c, "--io-ms", d,
			 "--cpu-us", w, "--workers", n, "--server", (char *)addr, NULL };
	struct run_spec rs = { .argv = args + 1, .quiet = true,
			       .timeout_s = model_timeout(&s->o) };
	int p[2], ret;

	memset(res, 0, sizeof(*res));
	res->model = m;
	res->selected = true;
	interp[0] = '\0';
	if (cmp_model_is_runtime(m)) {
		/* a runtime not installed or not built: its column "not run", with the reason */
		if (runtime_find(m, interp, sizeof(interp), path, sizeof(path), res->error,
				 sizeof(res->error)))
			return 0;
		rs.argv = interp[0] ? args : args + 1;
		snprintf(res->command, sizeof(res->command), "%.90s%s%.90s", interp,
			 interp[0] ? " " : "", path);
	} else if (snprintf(path, sizeof(path), "%s/%s", demos, cmp_model_name(m)) >=
		   (int)sizeof(path)) {
		return 1;
	}
	snprintf(r, sizeof(r), "%lu", wl->requests);
	snprintf(c, sizeof(c), "%lu", wl->concurrency);
	snprintf(d, sizeof(d), "%lu", wl->io_ms);
	snprintf(w, sizeof(w), "%lu", wl->cpu_us);
	snprintf(n, sizeof(n), "%lu", wl->workers);
	ret = session_restart(s);
	if (ret)
		return ret;
	if (pipe2(p, O_CLOEXEC)) {
		session_error(s, "cannot create a pipe: %s", strerror(errno));
		return 1;
	}
	rs.stdout_fd = p[1];
	res->ran = true;
	ret = session_run_command(s, &rs);
	close(p[1]);
	if (ret == 126 || ret == 127) {
		close(p[0]);
		res->failed = true;
		snprintf(res->error, sizeof(res->error), "cannot run %.140s", path);
		return 0;
	}
	if (ret) {
		close(p[0]);
		return ret;
	}
	line[0] = 0;
	read_line(p[0], line, sizeof(line), 0);
	close(p[0]);
	ret = session_collect(s, s->tr.end_ns);
	if (ret)
		return ret;
	res->exit_status = s->tr.exit_status;
	if (cmp_parse_demo_line(line, &res->demo) == 0)
		res->demo.parsed = true;
	cmp_result_from_trace(res, &s->tr);
	if (s->timed_out || s->tr.exit_status || !res->demo.parsed || res->demo.errors)
		describe_failure(res, s, &rs);
	return 0;
}

/* C5: the event loop @m's lag behind I/O completions without CPU work, into @c5. */
static int measure_c5(struct session *s, const char *demos, const char *addr,
		      struct cmp_run *run, enum cmp_model m, struct cmp_c5 *c5)
{
	const struct cmp_result *busy = &run->res[m];
	struct cmp_workload idle_wl = run->wl;
	struct cmp_result idle;
	int ret;

	if (!busy->ran || busy->failed || isnan(busy->demo.wait_p50_ms))
		return 0;
	idle_wl.cpu_us = 0;
	fprintf(stderr, "ksee compare: C5: %s again without CPU work ...\n", cmp_model_name(m));
	ret = run_model(s, demos, addr, m, &idle_wl, &idle);
	if (ret || idle.failed)
		return ret;
	cmp_c5_from_demo(c5, &busy->demo, &idle.demo, run->wl.io_ms);
	return 0;
}

static void progress(const struct cmp_result *res, int i, int n, unsigned int k,
		     unsigned int repeat, double secs)
{
	fprintf(stderr, "ksee compare: [%d/%d] %-8s ", i, n, cmp_model_name(res->model));
	if (repeat > 1)
		fprintf(stderr, "(run %u of %u) ", k + 1, repeat);
	if (!res->ran)
		fprintf(stderr, "not run: %s\n", res->error);
	else if (res->failed)
		fprintf(stderr, "FAILED: %s\n", res->error);
	else
		fprintf(stderr, "%lu requests in %.2f s, %u task%s, on-CPU %.3f s\n",
			res->demo.requests, secs, res->sum.tasks, res->sum.tasks == 1 ? "" : "s",
			res->sum.on_cpu_ns / 1e9);
}

/* --repeat: every run of every selected model, as columns (medians, ranges). */
static struct col_cmp *repeats_new(const struct session *s, const struct cmp_run *run, int *col)
{
	struct col_cmp *cc = calloc(1, sizeof(*cc));
	struct col_column *c;
	int m;

	if (!cc)
		return NULL;
	cc->kind = "models";
	cc->repeat = s->o.repeat;
	cc->ncpus = run->ncpus;
	snprintf(cc->kernel, sizeof(cc->kernel), "%s", run->kernel);
	for (m = 0; m < CMP_NMODELS; m++) {
		if (!s->o.models[m])
			continue;
		col[m] = cc->ncols;
		c = &cc->cols[cc->ncols++];
		snprintf(c->name, sizeof(c->name), "%s", cmp_model_name(m));
		snprintf(c->command, sizeof(c->command), "the %s %s", cmp_model_name(m),
			 cmp_model_is_runtime(m) ? "runtime" : "demo");
	}
	return cc;
}

/* A run of a model is in: its column keeps it, and its first failure. */
static void repeats_add(struct col_cmp *cc, int col, unsigned int k)
{
	struct col_column *c = &cc->cols[col];
	char why[sizeof(c->error)];

	c->nruns = k + 1;
	if (c->runs[k].failed && !c->failed) {
		c->failed = true;
		memcpy(why, c->runs[k].error, sizeof(why));
		snprintf(c->error, sizeof(c->error), "run %u: %.140s", k + 1, why);
	}
}

static int render(struct session *s, struct cmp_run *run)
{
	struct ks_report r = { .cmp = run };

	return session_output_done(s, ks_render(s->have_of ? s->of.f : stdout, s->o.format, &r,
						NULL));
}

/*
 * --record with --repeat: the trace of run @k of the model in column @col,
 * as it ends; the header first. A write error is kept for the end.
 */
static void record_run(struct session *s, int *rec_err, bool *started,
		       const struct ks_trace *tr, int col, unsigned int k)
{
	if (!s->have_rec || *rec_err || !tr->nprocs)
		return;
	if (!*started)
		*rec_err = rec_write_header(s->rec.f);
	*started = true;
	if (!*rec_err)
		*rec_err = rec_write_trace(s->rec.f, rec_column_trace(col, k), tr, NULL);
}

/*
 * --record: the comparison and every model's trace; with --repeat, every
 * run's trace (written as it ended) and the columns that tie them up.
 */
static int record(struct session *s, const struct cmp_run *run, const struct ks_trace *traces,
		  const struct col_cmp *reps, int rec_err, bool started)
{
	int ret = rec_err, m;

	if (!s->have_rec)
		return 0;
	if (!ret && !started)
		ret = rec_write_header(s->rec.f);
	if (!ret)
		ret = rec_write_compare(s->rec.f, run);
	if (reps && !ret)
		ret = rec_write_columns(s->rec.f, reps);
	for (m = 0; !reps && !ret && m < CMP_NMODELS; m++)
		if (run->res[m].ran && traces[m].nprocs)
			ret = rec_write_trace(s->rec.f, 1 + m, &traces[m], NULL);
	if (!ret)
		ret = rec_write_end(s->rec.f);
	return session_record_done(s, ret);
}

int do_compare(int argc, char **argv)
{
	struct server sv = { .tg = { .pid = -1, .go_fd = -1, .err_fd = -1 }, .out_fd = -1 };
	char demos[PATH_MAX], err[512];
	struct ks_trace traces[CMP_NMODELS];
	__u32 pids[CMP_NMODELS];
	struct cmp_run *run = NULL;
	struct col_cmp *reps = NULL;
	struct cmp_result *res;
	struct session s;
	int ret, m, i = 0, n = 0, failed = 0, col[CMP_NMODELS], rec_err = 0;
	unsigned int j, k, repeat;
	bool rec_started = false;
	__u64 t0;

	for (m = 0; m < CMP_NMODELS; m++)
		ks_trace_init(&traces[m]);
	ret = session_init(&s, &opts_compare, argc, argv);
	if (ret)
		goto out;
	if (s.o.ncmds || s.o.cmds_file) {
		ret = compare_commands(&s);
		goto out;
	}
	if (find_demos(demos, sizeof(demos))) {
		session_error(&s, "cannot find the demo programs in %s: build them with 'make', "
			      "or set KSEE_DEMOS to their directory", demos);
		ret = 1;
		goto out;
	}
	run = calloc(1, sizeof(*run));
	if (!run) {
		ret = 1;
		goto out;
	}
	run->wl = s.o.wl;
	run->ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	snprintf(run->kernel, sizeof(run->kernel), "%s", s.tr.kernel);
	session_catch_signals();
	if (server_start(&sv, demos, err, sizeof(err))) {
		session_error(&s, "%s", err);
		ret = 1;
		goto out;
	}
	for (m = 0; m < CMP_NMODELS; m++) {
		run->res[m].model = m;
		run->res[m].selected = s.o.models[m];
		n += s.o.models[m];
	}
	repeat = s.o.repeat > 1 ? s.o.repeat : 1;
	for (m = 0; m < CMP_NMODELS; m++)
		col[m] = -1;
	if (repeat > 1 && !(reps = repeats_new(&s, run, col))) {
		ret = 1;
		goto out;
	}
	fprintf(stderr, "ksee compare: %d models, %lu requests each, %lu in flight, I/O %lu ms, "
		"CPU %lu us, %lu workers; server %s\n", n, run->wl.requests, run->wl.concurrency,
		run->wl.io_ms, run->wl.cpu_us, run->wl.workers, sv.addr);
	/* With --repeat, interleaved: every model once, then every model again, ... */
	for (j = 0; j < repeat * CMP_NMODELS && !session_signals; j++) {
		k = j / CMP_NMODELS;
		m = j % CMP_NMODELS;
		if (!s.o.models[m])
			continue;
		t0 = tracer_now();
		res = reps ? &reps->cols[col[m]].runs[k] : &run->res[m];
		ret = run_model(&s, demos, sv.addr, m, &run->wl, res);
		if (ret)
			goto out;
		if (reps && res->ran)
			repeats_add(reps, col[m], k);
		else if (reps)		/* a runtime not found: "not run", with why */
			run->res[m] = *res;
		/* Keep the model's trace for --record; what it borrowed is gone. */
		ks_trace_free(&traces[m]);
		traces[m] = s.tr;
		pids[m] = s.target_pid;
		traces[m].argv = NULL;
		traces[m].argc = 0;
		traces[m].pids = &pids[m];
		if (traces[m].features.stacks)
			run->traces[m] = &traces[m];
		ks_trace_init(&s.tr);
		if (reps)
			record_run(&s, &rec_err, &rec_started, &traces[m], col[m], k);
		progress(res, ++i, n * repeat, k, repeat, (tracer_now() - t0) / 1e9);
		failed += res->failed;
	}
	run->interrupted = session_signals > 0;
	if (reps)
		col_models_medians(run, reps);
	if (!session_signals && s.o.models[CMP_EPOLL])
		ret = measure_c5(&s, demos, sv.addr, run, CMP_EPOLL, &run->c5);
	if (!ret && !session_signals && s.o.models[CMP_PY_ASYNCIO])
		ret = measure_c5(&s, demos, sv.addr, run, CMP_PY_ASYNCIO, &run->c5_asyncio);
	if (ret)
		goto out;
	run->interrupted = session_signals > 0;
	server_stop(&sv);
	if (!reps) {
		cmp_verdicts(run);
	} else if (col_models_verdicts(run, reps)) {
		ret = 1;
		goto out;
	}
	/* each output on its own: a recording that fails keeps the report */
	ret = record(&s, run, traces, reps, rec_err, rec_started);
	ret = render(&s, run) ?: ret;
	if (!ret && (failed || run->interrupted))
		ret = 1;
out:
	server_stop(&sv);
	for (m = 0; m < CMP_NMODELS; m++)
		ks_trace_free(&traces[m]);
	free(run);
	free(reps);
	session_cleanup(&s);
	return ret == SESSION_DONE ? 0 : ret;
}

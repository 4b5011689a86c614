// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "output/recording.h"
#include "output/render.h"
#include "output/report.h"
#include "cli/session.h"

/* The timeline's ring buffer: about half a second of 1M events/s. */
#define TIMELINE_RING_BYTES (16u << 20)

volatile sig_atomic_t session_signals, session_last_signal, session_signal_from_tty;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	session_last_signal = sig;
	session_signal_from_tty = si && si->si_code == SI_KERNEL;
	session_signals++;
}

static void on_child(int sig)
{
	(void)sig;
}

void session_error(const struct session *s, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ksee %s: ", s->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int session_init(struct session *s, const struct opts_cmd *cmd, int argc, char **argv)
{
	struct utsname u;
	char err[512];
	int ret;

	memset(s, 0, sizeof(*s));
	s->name = cmd->name;
	ks_trace_init(&s->tr);
	s->tr.mode = s->name;
	s->tr.self_pid = getpid();
	ret = opts_parse(&s->o, cmd, argc, argv, err, sizeof(err));
	if (ret == 1) {
		fputs(cmd->help, stdout);
		return SESSION_DONE;
	}
	if (ret) {
		session_error(s, "%s", err);
		fprintf(stderr, "Try 'ksee %s --help'.\n", s->name);
		return EXIT_USAGE;
	}
	if (uname(&u) == 0)
		snprintf(s->tr.kernel, sizeof(s->tr.kernel), "%s", u.release);
	if (s->o.cgroup && cgroup_procs_file(s->o.cgroup, s->cg_procs, sizeof(s->cg_procs), err,
					     sizeof(err))) {
		session_error(s, "%s", err);
		return 1;
	}
	if (cmd->traces && tracer_check_privileges(err, sizeof(err))) {
		session_error(s, "%s", err);
		return 1;
	}
	if (s->o.output && s->o.record && outfile_same(s->o.output, s->o.record)) {
		session_error(s, "-o and --record name the same file %s: give each its own",
			      s->o.record);
		fprintf(stderr, "Try 'ksee %s --help'.\n", s->name);
		return EXIT_USAGE;
	}
	if (s->o.output) {
		if (outfile_open(&s->of, s->o.output, err, sizeof(err))) {
			session_error(s, "%s", err);
			return 1;
		}
		s->have_of = true;
	}
	if (s->o.record) {
		if (outfile_open(&s->rec, s->o.record, err, sizeof(err))) {
			session_error(s, "%s", err);
			return 1;
		}
		s->have_rec = true;
	}
	if (s->o.timeline) {
		ret = ks_events_spool(&s->events);
		if (ret) {
			session_error(s, "cannot create the timeline's spool file: %s",
				      strerror(-ret));
			return 1;
		}
		s->have_events = true;
	}
	return 0;
}

void session_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;	/* no SA_RESTART: wake the poll loop */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A child's death interrupts the poll, so `run` ends without delay. */
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * KSEE_TIMELINE_RING_KB: the timeline ring buffer's size, a power of two
 * from 4 KiB to 1 GiB. The benchmarks shrink it to show where loss begins.
 */
static int timeline_ring_bytes(const struct session *s, __u32 *bytes)
{
	const char *env = getenv("KSEE_TIMELINE_RING_KB");
	unsigned long kb;
	char *end;

	*bytes = TIMELINE_RING_BYTES;
	if (!env || !*env)
		return 0;
	errno = 0;
	kb = strtoul(env, &end, 10);
	if (errno || *end || kb < 4 || kb > (1ul << 20) || (kb & (kb - 1))) {
		session_error(s, "KSEE_TIMELINE_RING_KB=%s: want a power of two from 4 to 1048576 "
			      "(KiB)", env);
		return 1;
	}
	*bytes = (__u32)(kb << 10);
	return 0;
}

int session_start_tracer(struct session *s)
{
	struct tracer_cfg cfg = {
		.verbose = s->o.verbose,
		.timeline = s->have_events ? &s->events : NULL,
		.syscalls = s->o.syscalls,
		.stacks = s->o.stacks,
	};
	char err[512];

	if (timeline_ring_bytes(s, &cfg.timeline_bytes))
		return 1;
	session_catch_signals();
	if (tracer_open(&s->t, &s->tr, &cfg, err, sizeof(err))) {
		session_error(s, "%s", err);
		return 1;
	}
	return 0;
}

static void print_progress(struct session *s, __u64 now)
{
	__u64 on_cpu, switches;
	__u32 live;

	if (tracer_progress(s->t, now, &live, &on_cpu, &switches))
		return;
	fprintf(stderr, "ksee: %7.1f s  %u tasks alive  on-CPU %.3f s  switches %llu  "
		"records lost %llu\n", (double)(now - s->tr.start_ns) / 1e9, live,
		(double)on_cpu / 1e9, (unsigned long long)switches,
		(unsigned long long)tracer_drops(s->t)->ringbuf);
}

#define CGROUP_SCAN_NS 1000000000ULL

int session_scan_cgroup(struct session *s, bool now)
{
	__u64 t = tracer_now();
	int ret;

	if (!s->o.cgroup || (!now && t < s->next_cg_scan_ns))
		return 0;
	s->next_cg_scan_ns = t + CGROUP_SCAN_NS;
	ret = targets_add_cgroup(&s->cg, s->t, s->cg_procs, t);
	if (ret == -ENOENT) {
		if (!s->cg_gone)
			session_error(s, "warning: the cgroup %s is gone", s->o.cgroup);
		s->cg_gone = true;
		return 0;
	}
	s->cg_gone = false;
	if (ret >= 0)
		ret = targets_adopt(&s->cg, s->t, t, KSEE_TF_ADOPTED);
	if (ret < 0) {
		session_error(s, "cannot trace the processes of the cgroup %s: %s", s->o.cgroup,
			      strerror(-ret));
		return 1;
	}
	return 0;
}

int session_poll(struct session *s, int timeout_ms)
{
	__u64 now;
	int ret = tracer_poll(s->t, timeout_ms);

	if (ret) {
		session_error(s, "reading the kernel's records failed: %s", strerror(-ret));
		return 1;
	}
	if (session_scan_cgroup(s, false))
		return 1;
	if (s->o.interval > 0) {
		now = tracer_now();
		if (!s->next_progress_ns)
			s->next_progress_ns = s->tr.start_ns + (__u64)(s->o.interval * 1e9);
		if (now >= s->next_progress_ns) {
			print_progress(s, now);
			s->next_progress_ns = now + (__u64)(s->o.interval * 1e9);
		}
	}
	return 0;
}

int session_collect(struct session *s, __u64 end_ns)
{
	int ret;

	s->tr.end_ns = end_ns;
	ret = tracer_collect(s->t, end_ns);
	tracer_close(s->t);
	s->t = NULL;
	if (ret) {
		session_error(s, "collecting the trace failed: %s", strerror(-ret));
		return 1;
	}
	if (s->have_events) {
		s->tr.timeline = true;
		s->tr.timeline_events = s->events.count;
	}
	/* Before the findings, which read them; the online CPUs if not measured. */
	cpufree_apply(&s->cpufree, &s->tr);
	if (s->tr.cpus_available <= 0)
		s->tr.cpus_available = sysconf(_SC_NPROCESSORS_ONLN);
	ks_trace_finish(&s->tr);
	return 0;
}

int session_render(struct session *s)
{
	struct report_opts ro = {
		.max_threads = s->o.threads,
		.max_edges = s->o.edges,
		.histograms = s->o.histograms,
		.stacks_top = s->o.stacks_top,
	};
	struct ks_report r = { .tr = &s->tr, .events = s->have_events ? &s->events : NULL };
	FILE *f = s->have_of ? s->of.f : stdout;

	return session_output_done(s, ks_render(f, s->o.format, &r, &ro));
}

int session_record(struct session *s)
{
	int ret;

	if (!s->have_rec)
		return 0;
	ret = rec_write_header(s->rec.f);
	if (!ret)
		ret = rec_write_trace(s->rec.f, 1, &s->tr, s->have_events ? &s->events : NULL);
	if (!ret)
		ret = rec_write_end(s->rec.f);
	return session_record_done(s, ret);
}

int session_outputs(struct session *s)
{
	/* each on its own: a recording that fails keeps the report, and the reverse */
	int rec = session_record(s), out = session_render(s);

	return rec ? rec : out;
}

int session_record_done(struct session *s, int ret)
{
	char err[512];

	s->have_rec = false;
	if (ret) {
		ret = outfile_error(&s->rec, ret);
		session_error(s, "cannot write the recording %s: %s", s->o.record, strerror(-ret));
		outfile_abort(&s->rec);
		return 1;
	}
	if (outfile_commit(&s->rec, err, sizeof(err))) {
		session_error(s, "%s", err);
		return 1;
	}
	return 0;
}

int session_output_done(struct session *s, int ret)
{
	FILE *f = s->have_of ? s->of.f : stdout;
	char err[512];

	if (ret == -ENOTSUP) {
		session_error(s, "the %s format is not available yet", ks_format_name(s->o.format));
		return 1;
	}
	if (ret || ferror(f)) {
		ret = ret ? ret : -EIO;
		if (s->have_of)
			ret = outfile_error(&s->of, ret);
		session_error(s, "cannot write the report: %s", strerror(-ret));
		return 1;
	}
	if (s->have_of) {
		s->have_of = false;
		if (outfile_commit(&s->of, err, sizeof(err))) {
			session_error(s, "%s", err);
			return 1;
		}
	}
	fflush(stdout);
	return 0;
}

void session_cleanup(struct session *s)
{
	tracer_close(s->t);
	s->t = NULL;
	if (s->have_of)
		outfile_abort(&s->of);
	s->have_of = false;
	if (s->have_rec)
		outfile_abort(&s->rec);
	s->have_rec = false;
	if (s->have_events)
		ks_events_close(&s->events);
	s->have_events = false;
	ks_trace_free(&s->tr);
	targets_free(&s->cg);
}

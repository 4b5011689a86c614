#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "report.h"
#include "session.h"

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

int session_init(struct session *s, enum ksee_cmd cmd, int argc, char **argv)
{
	struct utsname u;
	char err[512];
	int ret;

	memset(s, 0, sizeof(*s));
	s->name = cmd == KSEE_CMD_RUN ? "run" : cmd == KSEE_CMD_ATTACH ? "attach" : "compare";
	ks_trace_init(&s->tr);
	s->tr.mode = s->name;
	s->tr.self_pid = getpid();
	ret = opts_parse(&s->o, cmd, argc, argv, err, sizeof(err));
	if (ret == 1) {
		opts_usage(stdout, cmd);
		return SESSION_DONE;
	}
	if (ret) {
		session_error(s, "%s", err);
		fprintf(stderr, "Try 'ksee %s --help'.\n", s->name);
		return EXIT_USAGE;
	}
	if (uname(&u) == 0)
		snprintf(s->tr.kernel, sizeof(s->tr.kernel), "%s", u.release);
	if (tracer_check_privileges(err, sizeof(err))) {
		session_error(s, "%s", err);
		return 1;
	}
	if (s->o.output) {
		if (outfile_open(&s->of, s->o.output, err, sizeof(err))) {
			session_error(s, "%s", err);
			return 1;
		}
		s->have_of = true;
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

int session_start_tracer(struct session *s)
{
	char err[512];

	session_catch_signals();
	if (tracer_open(&s->t, &s->tr, s->o.verbose, err, sizeof(err))) {
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

int session_poll(struct session *s, int timeout_ms)
{
	__u64 now;
	int ret = tracer_poll(s->t, timeout_ms);

	if (ret) {
		session_error(s, "reading the kernel's records failed: %s", strerror(-ret));
		return 1;
	}
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
	ks_trace_finish(&s->tr);
	return 0;
}

int session_render(struct session *s)
{
	struct report_opts ro = {
		.max_threads = s->o.threads,
		.max_edges = s->o.edges,
		.histograms = s->o.histograms,
	};
	FILE *f = s->have_of ? s->of.f : stdout;
	int ret = 0;

	if (s->o.json)
		ret = report_json_print(f, &s->tr);
	else
		report_text(f, &s->tr, &ro);
	return session_output_done(s, ret);
}

int session_output_done(struct session *s, int ret)
{
	FILE *f = s->have_of ? s->of.f : stdout;
	char err[512];

	if (ret || ferror(f)) {
		session_error(s, "cannot write the report: %s", strerror(errno));
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
	ks_trace_free(&s->tr);
}

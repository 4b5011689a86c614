// SPDX-License-Identifier: GPL-2.0-only
/*
 * Running one command traced from its first instruction: what `ksee run`
 * does, and `ksee compare` for each model.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "cli/session.h"
#include "trace/target.h"

/* How long to wait for the kernel's record of the child's last task. */
#define END_RECORD_WAIT_MS 1000

static void forward_signal(pid_t pid, int *forwarded)
{
	int sig = session_last_signal;

	if (*forwarded == session_signals)
		return;
	/* A terminal's Ctrl-C reached the child already; the second one insists. */
	if (*forwarded > 0)
		kill(pid, SIGKILL);
	else if (!session_signal_from_tty)
		kill(pid, sig);
	*forwarded = session_signals;
}

static void set_exit(struct ks_trace *tr, int status)
{
	tr->have_exit = true;
	if (WIFSIGNALED(status)) {
		tr->exit_signal = WTERMSIG(status);
		tr->exit_status = 128 + tr->exit_signal;
	} else {
		tr->exit_code = WEXITSTATUS(status);
		tr->exit_status = tr->exit_code;
	}
}

/*
 * The program's markers by @path; a program built with an older header
 * has no marker block, only the USDT probes: those, then.
 */
static int attach_markers(struct tracer *t, const char *exe, enum ks_marker_path path)
{
	int n = tracer_attach_markers(t, exe, path);

	if (n == 0 && path == KS_MARKERS_BLOCK)
		n = tracer_attach_markers(t, exe, KS_MARKERS_USDT);
	return n;
}

int session_restart(struct session *s)
{
	ks_trace_free(&s->tr);
	ks_trace_init(&s->tr);
	s->tr.mode = "run";
	s->tr.self_pid = getpid();
	s->timed_out = false;
	return session_start_tracer(s);
}

bool session_describe_end(const struct session *s, const struct run_spec *rs, char *buf,
			  size_t len)
{
	const struct ks_trace *tr = &s->tr;

	buf[0] = '\0';
	if (s->timed_out)
		snprintf(buf, len, "timed out after %.0f s", rs->timeout_s);
	else if (tr->exit_signal)
		snprintf(buf, len, "killed by signal %d (%s)", tr->exit_signal,
			 strsignal(tr->exit_signal));
	else if (tr->exit_code == 127)
		snprintf(buf, len, "exit status 127: command not found");
	else if (tr->exit_code == 126)
		snprintf(buf, len, "exit status 126: cannot execute");
	else if (tr->exit_code)
		snprintf(buf, len, "exit status %d", tr->exit_code);
	return buf[0];
}

int session_run_command(struct session *s, const struct run_spec *rs)
{
	struct target tg = { .pid = -1, .go_fd = -1, .err_fd = -1 };
	int ret, status = 0, forwarded = 0;
	char err[512], exe[4096];
	__u64 end, deadline, kill_at = 0;
	pid_t r;

	s->tr.argv = rs->argv;
	s->tr.argc = 0;
	while (rs->argv[s->tr.argc])
		s->tr.argc++;
	if (target_spawn(&tg, rs->argv, rs->stdout_fd, err, sizeof(err))) {
		session_error(s, "%s", err);
		return 1;
	}
	s->target_pid = tg.pid;
	s->tr.anchor_pid = tg.pid;
	s->tr.pids = &s->target_pid;
	s->tr.npids = 1;
	cpufree_start(&s->cpufree, tg.pid);
	s->tr.start_ns = tracer_now();
	if (tracer_add_process(s->t, tg.pid, s->tr.start_ns) ||
	    tracer_adopt(s->t, s->tr.start_ns, KSEE_TF_PREEXEC) ||
	    !tracer_tasks_seen(s->t, tg.pid)) {
		session_error(s, "cannot start tracing the child process");
		target_abort(&tg);
		return 1;
	}
	if (session_scan_cgroup(s, true)) {
		target_abort(&tg);
		return 1;
	}
	if (!s->o.no_markers && target_resolve(rs->markers_of ? rs->markers_of : rs->argv[0], exe,
						      sizeof(exe)) == 0 &&
	    attach_markers(s->t, exe, s->o.marker_path) < 0)
		session_error(s, "warning: cannot attach the task markers of %s", exe);
	if (!rs->quiet)
		fprintf(stderr, "ksee: tracing pid %d: %s (Ctrl-C to stop)\n", tg.pid,
			rs->argv[0]);
	ret = target_start(&tg, rs->argv, err, sizeof(err));
	if (ret) {
		session_error(s, "%s", err);
		return ret == -ENOENT ? 127 : 126;
	}
	if (rs->timeout_s > 0)
		kill_at = tracer_now() + (__u64)(rs->timeout_s * 1e9);

	for (;;) {
		ret = session_poll(s, 100);
		if (ret) {
			kill(tg.pid, SIGKILL);
			waitpid(tg.pid, NULL, 0);
			return ret;
		}
		r = waitpid(tg.pid, &status, WNOHANG);
		if (r == tg.pid)
			break;
		if (r < 0 && errno != EINTR) {
			session_error(s, "waiting for the child failed: %s", strerror(errno));
			return 1;
		}
		if (session_signals)
			forward_signal(tg.pid, &forwarded);
		if (kill_at && tracer_now() > kill_at && !s->timed_out) {
			s->timed_out = true;
			kill(tg.pid, SIGKILL);
		}
	}
	end = tracer_now();
	cpufree_stop(&s->cpufree);
	/* The child's last task records its end just after the parent can reap it. */
	deadline = end + END_RECORD_WAIT_MS * 1000000ULL;
	while (!tracer_process_ended(s->t, tg.pid) && tracer_now() < deadline)
		if (session_poll(s, 10))
			break;
	set_exit(&s->tr, status);
	s->tr.end_ns = end;
	return 0;
}

/* ksee run: start a command traced from its first instruction. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include "commands.h"
#include "session.h"
#include "target.h"

/* How long to wait for the kernel's record of the child's last task. */
#define END_RECORD_WAIT_MS 1000

static void forward_signal(struct target *tg)
{
	static int forwarded;
	int sig = session_last_signal;

	if (forwarded == session_signals)
		return;
	/* A terminal's Ctrl-C reached the child already; the second one insists. */
	if (forwarded > 0)
		kill(tg->pid, SIGKILL);
	else if (!session_signal_from_tty)
		kill(tg->pid, sig);
	forwarded = session_signals;
}

int do_run(int argc, char **argv)
{
	struct target tg = { .pid = -1, .go_fd = -1, .err_fd = -1 };
	struct session s;
	int ret, status = 0, exit_status;
	char err[512], exe[4096];
	__u64 end, deadline;
	__u32 tpid;
	pid_t r;

	ret = session_init(&s, KSEE_CMD_RUN, argc, argv);
	if (ret)
		goto out;
	s.tr.argv = s.o.argv;
	s.tr.argc = s.o.argc;
	ret = session_start_tracer(&s);
	if (ret)
		goto out;
	if (target_spawn(&tg, s.o.argv, err, sizeof(err))) {
		session_error(&s, "%s", err);
		ret = 1;
		goto out;
	}
	tpid = tg.pid;
	s.tr.anchor_pid = tpid;
	s.tr.pids = &tpid;
	s.tr.npids = 1;
	s.tr.start_ns = tracer_now();
	if (tracer_add_process(s.t, tg.pid, s.tr.start_ns) || tracer_adopt(s.t, s.tr.start_ns, KSEE_TF_PREEXEC) ||
	    !tracer_tasks_seen(s.t, tg.pid)) {
		session_error(&s, "cannot start tracing the child process");
		target_abort(&tg);
		ret = 1;
		goto out;
	}
	if (target_resolve(s.o.argv[0], exe, sizeof(exe)) == 0 &&
	    tracer_attach_markers(s.t, exe) < 0)
		session_error(&s, "warning: cannot attach the task markers of %s", exe);
	fprintf(stderr, "ksee: tracing pid %d: %s (Ctrl-C to stop)\n", tg.pid, s.o.argv[0]);
	ret = target_start(&tg, s.o.argv, err, sizeof(err));
	if (ret) {
		session_error(&s, "%s", err);
		ret = ret == -ENOENT ? 127 : 126;
		goto out;
	}

	for (;;) {
		ret = session_poll(&s, 100);
		if (ret) {
			kill(tg.pid, SIGKILL);
			waitpid(tg.pid, NULL, 0);
			goto out;
		}
		r = waitpid(tg.pid, &status, WNOHANG);
		if (r == tg.pid)
			break;
		if (r < 0 && errno != EINTR) {
			session_error(&s, "waiting for the child failed: %s", strerror(errno));
			ret = 1;
			goto out;
		}
		if (session_signals)
			forward_signal(&tg);
	}
	end = tracer_now();
	/* The child's last task records its end just after the parent can reap it. */
	deadline = end + END_RECORD_WAIT_MS * 1000000ULL;
	while (!tracer_process_ended(s.t, tg.pid) && tracer_now() < deadline)
		if (session_poll(&s, 10))
			break;

	s.tr.have_exit = true;
	if (WIFSIGNALED(status)) {
		s.tr.exit_signal = WTERMSIG(status);
		exit_status = 128 + s.tr.exit_signal;
	} else {
		s.tr.exit_code = WEXITSTATUS(status);
		exit_status = s.tr.exit_code;
	}
	s.tr.exit_status = exit_status;
	ret = session_finish(&s, end, exit_status);
out:
	session_cleanup(&s);
	return ret == SESSION_DONE ? 0 : ret;
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What `ksee run` and `ksee attach` share: options, the tracer, signals,
 * progress lines, and turning the collected trace into the report.
 * These functions print their errors (they are the CLI's top level) and
 * return an exit status, 0 meaning "carry on".
 */
#ifndef KSEE_SESSION_H
#define KSEE_SESSION_H

#include <signal.h>
#include <stdbool.h>
#include "model/events.h"
#include "model/model.h"
#include "cli/opts.h"
#include "trace/cpufree.h"
#include "trace/outfile.h"
#include "trace/targets.h"
#include "trace/tracer.h"

struct session {
	const char *name;	/* "run" or "attach", for messages */
	struct ksee_opts o;
	struct ks_trace tr;
	struct tracer *t;
	struct outfile of;
	bool have_of;
	struct outfile rec;	/* --record */
	bool have_rec;
	struct ks_events events;	/* --timeline: the spool */
	bool have_events;
	__u64 next_progress_ns;
	__u32 target_pid;	/* run: the child */
	bool timed_out;		/* run: the child was killed for taking too long */
	struct cpufree cpufree;	/* CPUs available and free during the trace */
	struct targets cg;	/* --cgroup: its processes registered so far */
	char cg_procs[PATH_MAX];	/* its cgroup.procs file */
	__u64 next_cg_scan_ns;
	bool cg_gone;		/* the cgroup was not there at the last look */
};

/* What session_run_command() runs, and how. */
struct run_spec {
	char **argv;		/* NULL-terminated */
	int stdout_fd;		/* the child's stdout; -1: ksee's own */
	double timeout_s;	/* kill the child after this long; 0: never */
	bool quiet;		/* no "tracing" line */
	const char *markers_of;	/* the program whose task markers to count; NULL: argv[0] */
};

/* Signals received: how many, the last one, and whether a terminal sent it. */
extern volatile sig_atomic_t session_signals, session_last_signal, session_signal_from_tty;

void session_error(const struct session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* session_init() result: --help was printed, exit 0. */
#define SESSION_DONE (-1)

/* Parse options, check privileges, open the output file. */
int session_init(struct session *s, const struct opts_cmd *cmd, int argc, char **argv);

/* Count SIGINT, SIGTERM and SIGHUP instead of dying; let SIGCHLD end a poll. */
void session_catch_signals(void);

/* Load and attach the kernel side; catch signals as above. */
int session_start_tracer(struct session *s);

/*
 * --cgroup: trace the processes in the cgroup not traced yet; when @now
 * is false, only if a second has passed since the last look.
 */
int session_scan_cgroup(struct session *s, bool now);

/* A fresh trace of the next command (compare runs one after another), and the tracer loaded. */
int session_restart(struct session *s);

/* Take in the kernel's records for up to @timeout_ms; print progress when due. */
int session_poll(struct session *s, int timeout_ms);

/*
 * Start @rs->argv traced and wait for it (forwarding signals, enforcing
 * the timeout); the trace's exit fields tell how it ended.
 */
int session_run_command(struct session *s, const struct run_spec *rs);

/*
 * Why the command of the last session_run_command() failed, into @buf:
 * "timed out after 5 s", "killed by signal 9 (Killed)", "exit status 3",
 * "exit status 127: command not found". false (and "") if it exited 0.
 */
bool session_describe_end(const struct session *s, const struct run_spec *rs, char *buf,
			  size_t len);

/* Detach, collect what the kernel still holds, close the tracer, finish the model. */
int session_collect(struct session *s, __u64 end_ns);

/* Print the finished trace in the format asked for, to stdout or -o FILE. */
int session_render(struct session *s);

/* --record: save the finished trace (and timeline); 0 when not asked for. */
int session_record(struct session *s);

/* session_record() and session_render(), each done whatever the other's fate. */
int session_outputs(struct session *s);

/* Commit the --record file once everything is in it (@ret: 0 or -errno). */
int session_record_done(struct session *s, int ret);

/* The report was written to the output (@ret: 0 or -errno): commit the -o file. */
int session_output_done(struct session *s, int ret);

void session_cleanup(struct session *s);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Integration test harness: runs the real ksee binary ($KSEE) as root on
 * the test programs ($PROGS), with timeouts, and reads its JSON report.
 * Every helper fails the current cmocka test (fail_msg) instead of
 * returning an error, and says what it saw.
 */
#ifndef __KSEE_HARNESS_H
#define __KSEE_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <sys/types.h>

/*
 * A command must end within this many seconds, or it is killed: long
 * enough that a slow, shared machine is not a hang (tracing 20,000 forks
 * took 23 s at a load average of 11 on 2 CPUs), short enough that a hang
 * still fails the test.
 */
#define HARNESS_TIMEOUT_S	120

/* A ksee started in the background; see harness_spawn(). */
struct harness_proc {
	pid_t pid;
	int out_fd, err_fd;	/* -1 once at EOF */
	char *out, *err;	/* NUL-terminated; what was read so far */
	size_t out_len, err_len;
	int status;		/* exit status: code, or 128+signal; -1 while running */
	char *json_path;	/* the -o file, if one was asked for */
	json_object *json;	/* the parsed -o file, see harness_json() */
};

/*
 * Skips the current test, saying why loudly on stderr, unless we are root,
 * the kernel has BTF and $KSEE and $PROGS are set. Call first in each test.
 */
void harness_require_root(void);

/* Skip the running test, saying why on stderr in a banner. */
void harness_skip(const char *why);

/* Absolute path of test program NAME in $PROGS (static buffer per call). */
const char *harness_prog(const char *name);

/* A fresh mode-0777 directory under /tmp, removed by harness_teardown(). */
const char *harness_tmpdir(void);

/*
 * Starts $KSEE with argv[1..] = ARGS (NULL-terminated), stdout and stderr
 * piped back; ENV (NULL or NULL-terminated "K=V" list) is added to the
 * environment. If JSON is true, "-j -o FILE" is inserted after ARGS[0] (the
 * subcommand) and FILE is remembered for harness_json().
 */
void harness_spawn(struct harness_proc *p, const char *const *env, int json,
		   const char *const *args);

/*
 * Like harness_spawn() for any command: ARGV[0] an absolute path (a
 * wrapper such as setpriv or sh, or an installed ksee), no -j/-o added.
 */
void harness_spawn_cmd(struct harness_proc *p, const char *const *env, const char *const *argv);

/* Reads p's stderr until it contains NEEDLE; fails after TIMEOUT_S. */
void harness_wait_stderr(struct harness_proc *p, const char *needle, int timeout_s);

/* Waits for p to exit (and its pipes to drain); kills it and fails after TIMEOUT_S. */
int harness_wait(struct harness_proc *p, int timeout_s);

/* harness_spawn() + harness_wait(HARNESS_TIMEOUT_S); returns the exit status. */
int harness_run(struct harness_proc *p, const char *const *env, int json,
		const char *const *args);

/* Parses p's -o file; fails if missing or not JSON. Owned by p. */
json_object *harness_json(struct harness_proc *p);

/*
 * Runs "ksee run -j -o FILE -- PROG_ARGV..." (PROG_ARGV[0] a harness_prog()
 * path), checks ksee's exit status is WANT_STATUS and returns the report.
 */
json_object *harness_run_prog(struct harness_proc *p, const char *const *env,
			      const char *const *prog_argv, int want_status);

/* The same with ksee options OPTS (NULL-terminated) after "run", e.g. --syscalls. */
json_object *harness_run_prog_opts(struct harness_proc *p, const char *const *env,
				   const char *const *opts, const char *const *prog_argv,
				   int want_status);

/* Releases what p holds (kills it first if still running). */
void harness_proc_free(struct harness_proc *p);

/* Starts a test program (stdout/stderr to ours), killed by harness_teardown(). */
pid_t harness_start(const char *const *argv);

/*
 * cmocka teardown: kills and reaps every process the harness started that
 * is still there (and orphans reparented to us), removes temp directories.
 */
int harness_teardown(void **state);

/* --- report lookups; all fail the test when the field is missing --- */

/* OBJ's member at a dotted PATH ("off_cpu.by_reason.sleep") as integer. */
int64_t harness_int(json_object *obj, const char *path);

/* The number at PATH of OBJ (integer or not); fails if missing or null. */
double harness_num(json_object *obj, const char *path);

/* The column of model NAME in a `ksee compare -j` report; fails if missing. */
json_object *harness_compare_model(json_object *report, const char *name);

/* OBJ's member at a dotted PATH, or NULL if absent. */
json_object *harness_get(json_object *obj, const char *path);

/* Fails unless OBJ has the member at dotted PATH and it is JSON null. */
void harness_expect_null(json_object *obj, const char *path);

/* The process with this pid in report.processes[]; fails if absent. */
json_object *harness_process(json_object *report, pid_t pid);

/* The process report.pids[0] (the traced command in run mode). */
json_object *harness_main_process(json_object *report);

/* Thread of PROC with this tid / the first with this comm / kind, or NULL. */
json_object *harness_thread(json_object *proc, pid_t tid);
json_object *harness_thread_by_comm(json_object *proc, const char *comm);
json_object *harness_thread_by_kind(json_object *proc, const char *kind);

/* Sum of a dotted integer PATH over PROC's threads. */
int64_t harness_sum_threads(json_object *proc, const char *path);

/* The count of the wakeup edge waker -> wakee in report.wakeups[], 0 if none. */
int64_t harness_edge(json_object *report, pid_t waker, pid_t wakee);

/*
 * OBJ slept LO..HI ns in nanosleep. Under load part of each sleep can be
 * spent runnable instead (preempted on its way to sleep, or woken but
 * waiting for a CPU): the time off CPU must cover LO, and sleep alone
 * must be most of it.
 */
void harness_expect_slept(json_object *obj, int64_t lo, int64_t hi);

/* The reason in OBJ.off_cpu.by_reason with the most time. */
const char *harness_top_reason(json_object *obj);

/* Fails unless LO <= V <= HI, naming WHAT and the value. */
#define harness_expect_range(what, v, lo, hi) \
	harness_expect_range_at((what), (v), (lo), (hi), __FILE__, __LINE__)
#define harness_expect_eq(what, v, want) \
	harness_expect_range_at((what), (v), (want), (want), __FILE__, __LINE__)
void harness_expect_range_at(const char *what, int64_t v, int64_t lo, int64_t hi,
			     const char *file, int line);

/* --- the kernel's side --- */

/*
 * Number of loaded BPF programs named ksee_* that no live process holds
 * open by a prog or link fd: leaked ones (a concurrently running ksee's
 * programs are not counted). Prints each counted one. If HELD is not
 * NULL, it gets the number of ksee_* programs that live processes hold.
 */
int harness_ksee_progs(int *held);

/*
 * harness_ksee_progs(NULL), retried for up to 5 s until it is 0: programs
 * are freed asynchronously (those on the faultable sys_enter/sys_exit
 * tracepoints after an RCU tasks-trace grace period).
 */
int harness_ksee_progs_settled(void);

/* Number of BPF objects (progs, links, maps) PID holds open, from /proc. */
int harness_bpf_fds(pid_t pid);

/* Pid of a child of PARENT (from /proc), or -1. */
pid_t harness_child_of(pid_t parent);

/*
 * A fresh cgroup v2 directory (its path into PATH), removed by
 * harness_teardown() after the processes started in it are killed.
 */
const char *harness_cgroup_make(char *path, size_t len);

/* harness_start() of ARGV (at most 4 words) inside the cgroup at PATH. */
pid_t harness_start_in_cgroup(const char *path, const char *const *argv);

/* Remove the cgroup at PATH, waiting up to 5 s for its processes to be reaped. */
void harness_cgroup_remove(const char *path);

/* Resident memory of PID in KiB (VmRSS), or -1. */
long harness_rss_kb(pid_t pid);

/* Sleeps MS milliseconds. */
void harness_msleep(int ms);

#endif /* __KSEE_HARNESS_H */

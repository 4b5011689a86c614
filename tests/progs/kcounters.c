// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcounters: workloads of known behaviour that print the kernel's own
 * counters for each of their threads, to check ksee against them.
 *
 *   kcounters pingpong ROUNDS   two threads ("ping", "pong") bounce one byte
 *                               ROUNDS times over two pipes: every round
 *                               each sleeps in read and is woken by the
 *                               other; on an idle machine the wakee finds
 *                               its CPU free, so the kernel counts almost
 *                               no run-queue wait
 *   kcounters spin N MS         N threads ("spin0".."spinN-1") each spin
 *                               MS ms of their own CPU time; with N above
 *                               the CPUs they wait in the run queue
 *   kcounters children N SLEEPS N child processes each sleep SLEEPS x 1 ms
 *                               in nanosleep and exit
 *   kcounters exec PROGRAM      one child process that execs PROGRAM (no
 *                               arguments); prints "exec child PID"
 *   kcounters idle N MS         N threads that do nothing: each parks in
 *                               read at once and sleeps there while main
 *                               spins MS ms of its own CPU time; main
 *                               names them "idle0".."idleN-1" while they
 *                               sleep (a rename after the thread started),
 *                               and once it has woken them all, names
 *                               itself "idle-boss"
 *
 * For pingpong and spin, when the work is done each worker parks in read
 * on a pipe; once all of them are asleep there, main wakes them one at a
 * time, and each, back on a CPU, reads its /proc/thread-self/schedstat (fields 1
 * and 2) and status (voluntary_ctxt_switches, nonvoluntary_ctxt_switches)
 * and exits: after that it runs a few us more, waking nobody (main waits
 * for it to be gone by polling, not in pthread_join), and switches out for
 * the last time. So that no other work preempts it in that tail, it first
 * makes itself SCHED_FIFO (if it may). Then main prints for each worker
 *
 *   thread TID run_delay NS sum_exec NS nvcsw N nivcsw N life NS
 *
 * life: from the worker's first instruction to its reading of the
 * counters (CLOCK_MONOTONIC); its task existed a little longer.
 *
 * For children, main waits until each child is a zombie whose last switch
 * is done, and prints what wait4() says of it (the kernel's count,
 * including the dying task's final switch-out):
 *
 *   child PID nvcsw N nivcsw N
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 16

struct worker {
	pthread_t th;
	pid_t tid;
	int idx;
	unsigned long long exec, delay;
	long long nv, niv;
	long long start, end;	/* CLOCK_MONOTONIC, ns */
	void *(*fn)(void *);
};

static int park[2];		/* workers park in read on park[0] */
static int parked[2];		/* ... after writing one byte to parked[1] */
static int ping[2], pong[2];
static long rounds, spin_ms;

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void read_self(struct worker *w);

static void park_here(struct worker *w)
{
	const struct sched_param fifo = { .sched_priority = 1 };
	char c = 0;

	w->tid = (pid_t)syscall(SYS_gettid);
	if (write(parked[1], &c, 1) != 1 || read(park[0], &c, 1) != 1)
		die("park");
	sched_setscheduler(0, SCHED_FIFO, &fifo);
	read_self(w);
}

/* Bounce a byte ROUNDS times: write it to @out, read it back from @in (or first read). */
static void bounce(int in, int out, bool first_write)
{
	char c = 'x';
	long i;

	for (i = 0; i < rounds; i++) {
		if ((first_write && write(out, &c, 1) != 1) || read(in, &c, 1) != 1 ||
		    (!first_write && write(out, &c, 1) != 1))
			die("bounce");
	}
}

static void *pinger(void *arg)
{
	pthread_setname_np(pthread_self(), "ping");
	bounce(pong[0], ping[1], true);
	park_here(arg);
	return NULL;
}

static void *ponger(void *arg)
{
	pthread_setname_np(pthread_self(), "pong");
	bounce(ping[0], pong[1], false);
	park_here(arg);
	return NULL;
}

static long long thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *spinner(void *arg)
{
	struct worker *w = arg;
	char name[16];

	snprintf(name, sizeof(name), "spin%d", w->idx);
	pthread_setname_np(pthread_self(), name);
	while (thread_cpu_ns() < spin_ms * 1000000LL)
		;
	park_here(w);
	return NULL;
}

static long long status_field(const char *path, const char *key)
{
	char line[256];
	long long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen(path, "re");

	if (!f)
		die(path);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, n) && line[n] == ':')
			v = atoll(line + n + 1);
	}
	fclose(f);
	return v;
}

/* 'S' once the thread is asleep (it has switched out, or is about to). */
static char thread_state(pid_t tid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "re");
	if (!f || !fgets(buf, sizeof(buf), f))
		die(path);
	fclose(f);
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void read_self(struct worker *w)
{
	FILE *f;

	w->end = mono_ns();
	f = fopen("/proc/thread-self/schedstat", "re");
	if (!f || fscanf(f, "%llu %llu", &w->exec, &w->delay) != 2)
		die("schedstat");
	fclose(f);
	w->nv = status_field("/proc/thread-self/status", "voluntary_ctxt_switches");
	w->niv = status_field("/proc/thread-self/status", "nonvoluntary_ctxt_switches");
}

/* Workers whose task still exists. */
static unsigned int live_workers(const struct worker *w, unsigned int n)
{
	unsigned int i, live = 0;
	char path[64];

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/self/task/%d", w[i].tid);
		live += !access(path, F_OK);
	}
	return live;
}

/* Every worker starts here: the time it began, then its function. */
static void *worker_start(void *arg)
{
	struct worker *w = arg;

	w->start = mono_ns();
	return w->fn(w);
}

static void *idler(void *arg)
{
	park_here(arg);
	return NULL;
}

/* idle: main spins while the workers sleep, and names them meanwhile. */
static void spin_main(struct worker *w, unsigned int n)
{
	char name[16];
	unsigned int i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "idle%u", i);
		if (pthread_setname_np(w[i].th, name))
			die("pthread_setname_np");
	}
	while (thread_cpu_ns() < spin_ms * 1000000LL)
		;
}

static void run_workers(unsigned int n, void *(*fn)(void *), void *(*fn2)(void *),
			void (*meanwhile)(struct worker *w, unsigned int n))
{
	const struct timespec ms = { 0, 1000000 };
	struct worker w[MAX_WORKERS];
	char c[MAX_WORKERS] = { 0 };
	unsigned int i;

	if (pipe2(park, O_CLOEXEC) || pipe2(parked, O_CLOEXEC))
		die("pipe");
	for (i = 0; i < n; i++) {
		w[i].idx = i;
		w[i].fn = i && fn2 ? fn2 : fn;
		if (pthread_create(&w[i].th, NULL, worker_start, &w[i]))
			die("pthread_create");
	}
	if (read(parked[0], c, 1) != 1)
		die("read");
	for (i = 1; i < n; i++) {
		if (read(parked[0], c, 1) != 1)
			die("read");
	}
	for (i = 0; i < n; i++) {
		while (thread_state(w[i].tid) != 'S')
			nanosleep(&ms, NULL);
	}
	if (meanwhile)
		meanwhile(w, n);
	/*
	 * One at a time: threads that exit together contend in the exit path
	 * (the address space's lock, freeing their stacks) and may sleep
	 * there after reading their counters.
	 */
	for (i = 0; i < n; i++) {
		if (write(park[1], c, 1) != 1)
			die("write");
		while (live_workers(w, n) > n - i - 1)
			nanosleep(&ms, NULL);
	}
	for (i = 0; i < n; i++) {
		pthread_join(w[i].th, NULL);
		printf("thread %d run_delay %llu sum_exec %llu nvcsw %lld nivcsw %lld life %lld\n",
		       w[i].tid, w[i].delay, w[i].exec, w[i].nv, w[i].niv, w[i].end - w[i].start);
	}
}

static void children(int n, int sleeps)
{
	const struct timespec ms = { 0, 1000000 }, settle = { 0, 100000000 };
	struct rusage ru;
	siginfo_t si;
	pid_t pid[MAX_WORKERS];
	int i, j, status;

	for (i = 0; i < n; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			die("fork");
		if (!pid[i]) {
			for (j = 0; j < sleeps; j++)
				nanosleep(&ms, NULL);
			_exit(0);
		}
	}
	for (i = 0; i < n; i++) {
		if (waitid(P_PID, pid[i], &si, WEXITED | WNOWAIT))
			die("waitid");
	}
	/* a zombie still has its last switch-out ahead of it for a few us */
	nanosleep(&settle, NULL);
	for (i = 0; i < n; i++) {
		if (wait4(pid[i], &status, 0, &ru) != pid[i])
			die("wait4");
		printf("child %d nvcsw %ld nivcsw %ld\n", pid[i], ru.ru_nvcsw, ru.ru_nivcsw);
	}
}

static void exec_child(const char *prog)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid) {
		execl(prog, prog, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	printf("exec child %d status %d\n", pid, status);
}

int main(int argc, char **argv)
{
	int n;

	if (argc == 3 && !strcmp(argv[1], "pingpong")) {
		rounds = atol(argv[2]);
		if (pipe2(ping, O_CLOEXEC) || pipe2(pong, O_CLOEXEC))
			die("pipe");
		run_workers(2, pinger, ponger, NULL);
	} else if (argc == 4 && !strcmp(argv[1], "spin")) {
		n = atoi(argv[2]);
		spin_ms = atol(argv[3]);
		if (n < 1 || n > MAX_WORKERS)
			return 2;
		run_workers(n, spinner, NULL, NULL);
	} else if (argc == 4 && !strcmp(argv[1], "children")) {
		n = atoi(argv[2]);
		if (n < 1 || n > MAX_WORKERS)
			return 2;
		children(n, atoi(argv[3]));
	} else if (argc == 4 && !strcmp(argv[1], "idle")) {
		n = atoi(argv[2]);
		spin_ms = atol(argv[3]);
		if (n < 1 || n > MAX_WORKERS)
			return 2;
		run_workers(n, idler, NULL, spin_main);
		if (prctl(PR_SET_NAME, "idle-boss"))
			die("prctl");
	} else if (argc == 3 && !strcmp(argv[1], "exec")) {
		exec_child(argv[2]);
	} else {
		fprintf(stderr, "usage: kcounters pingpong ROUNDS | spin N MS | children N SLEEPS | "
			"exec PROGRAM | idle N MS\n");
		return 2;
	}
	return 0;
}

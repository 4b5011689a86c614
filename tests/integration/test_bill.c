// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-request bill (marker block) against the demo models, whose
 * behaviour is known, and against what each demo measured itself: its
 * requests, their latency (the same markers, request_start to
 * request_done), its CPU time by the kernel's accounting. Every bound is
 * judged against the demo's own numbers or the bill's measured parts,
 * never against an idle machine's timing: other work may hold a CPU.
 */
#include "harness.h"

#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>
#include "ksee.h"

#define MS		1000000LL

static const char *const block_opt[] = { "--markers=block", NULL };
static const char *const usdt_opt[] = { "--markers=usdt", NULL };

/* The marker path of the run in progress: bill_run() reads with it. */
static const char *const *markers_opt = block_opt;

/* The bill of one run, summed over its processes (procs: the workers'). */
struct bill {
	int64_t requests, total_ns, p50_ns, p99_ns;
	int64_t on_cpu, waking_up, waiting_for_cpu, blocked, off_thread;
	int64_t io_wait, after_io, untold;	/* off_thread, told apart (USDT, io_uring) */
	int64_t held;		/* on a thread: every part but off_thread */
	int64_t switches;	/* the billed processes' context switches */
	int64_t steal_ns;	/* the machine's stolen time during the run, 1 tick more */
	/* by bucket of the latency histogram */
	int64_t low[KSEE_BILL_SLOTS], high[KSEE_BILL_SLOTS], count[KSEE_BILL_SLOTS];
	int billed_procs;
};

/* Absolute path of demo model NAME: $DEMOS, or demos/ beside $KSEE. */
static const char *demo(const char *name)
{
	static char path[4096];
	const char *d = getenv("DEMOS");
	char ksee[4096];

	if (d) {
		snprintf(path, sizeof(path), "%s/%s", d, name);
	} else {
		snprintf(ksee, sizeof(ksee), "%s", getenv("KSEE") ? getenv("KSEE") : ".");
		snprintf(path, sizeof(path), "%s/demos/%s", dirname(ksee), name);
	}
	return path;
}

/* The demo's own summary line (stdout): VALUE of KEY=VALUE. */
static double demo_field(const struct harness_proc *p, const char *key)
{
	char want[64];
	const char *v;

	snprintf(want, sizeof(want), " %s=", key);
	v = p->out ? strstr(p->out, want) : NULL;
	if (!v)
		fail_msg("no %s in the demo's output:\n%s", key, p->out ? p->out : "");
	return atof(v + strlen(want));
}

/* All CPUs' time stolen by the hypervisor so far (/proc/stat), in clock ticks. */
static int64_t steal_ticks(void)
{
	long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "re");
	int n;

	if (!f)
		fail_msg("cannot open /proc/stat");
	n = fscanf(f, "cpu %lld %lld %lld %lld %lld %lld %lld %lld", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n != 8)
		fail_msg("no steal time in /proc/stat");
	return v[7];
}

/* Add the bill of process PROC to B; its parts must add up to its latency, exactly. */
static void bill_add(struct bill *b, json_object *proc)
{
	json_object *x = harness_get(proc, "bill"), *h, *s;
	int64_t parts, n = x ? harness_int(x, "requests") : 0;
	size_t i, k;

	if (!n)
		return;
	parts = harness_int(x, "parts.on_cpu_ns") + harness_int(x, "parts.waking_up_ns") +
		harness_int(x, "parts.waiting_for_cpu_ns") + harness_int(x, "parts.blocked_ns") +
		harness_int(x, "parts.off_thread_ns");
	harness_expect_eq("bill parts == latency.total_ns", parts,
			  harness_int(x, "latency.total_ns"));
	b->billed_procs++;
	b->requests += n;
	b->total_ns += harness_int(x, "latency.total_ns");
	b->p50_ns = harness_int(x, "latency.p50_ns");
	b->p99_ns = harness_int(x, "latency.p99_ns");
	b->on_cpu += harness_int(x, "parts.on_cpu_ns");
	b->waking_up += harness_int(x, "parts.waking_up_ns");
	b->waiting_for_cpu += harness_int(x, "parts.waiting_for_cpu_ns");
	b->blocked += harness_int(x, "parts.blocked_ns");
	b->off_thread += harness_int(x, "parts.off_thread_ns");
	b->io_wait += harness_int(x, "parts.off_thread_split.io_wait_ns");
	b->after_io += harness_int(x, "parts.off_thread_split.after_io_ns");
	b->untold += harness_int(x, "parts.off_thread_split.not_told_apart_ns");
	harness_expect_eq("off_thread_split adds up to off_thread_ns",
			  harness_int(x, "parts.off_thread_split.io_wait_ns") +
			  harness_int(x, "parts.off_thread_split.after_io_ns") +
			  harness_int(x, "parts.off_thread_split.not_told_apart_ns"),
			  harness_int(x, "parts.off_thread_ns"));
	b->held = b->on_cpu + b->waking_up + b->waiting_for_cpu + b->blocked;
	b->switches += harness_sum_threads(proc, "voluntary") +
		       harness_sum_threads(proc, "involuntary");
	h = harness_get(x, "latency.histogram");
	assert_non_null(h);
	/* the non-empty buckets, 8 a power of two: bucket k is where its low end falls */
	for (i = 0; i < json_object_array_length(h); i++) {
		s = json_object_array_get_idx(h, i);
		k = ksee_bill_slot((__u64)harness_int(s, "low"));
		assert_true(k < KSEE_BILL_SLOTS);
		b->low[k] = harness_int(s, "low");
		b->high[k] = harness_int(s, "high");
		b->count[k] += harness_int(s, "count");
	}
}

/*
 * Run ARGV (a demo) under ksee with the marker block: the bill of all its
 * processes, which must hold all REQUESTS of the run. Called first in a test.
 */
static void bill_run(struct harness_proc *p, const char *const *argv, struct bill *b,
		     int64_t requests)
{
	json_object *r, *procs;
	size_t i;

	harness_require_root();
	memset(b, 0, sizeof(*b));
	b->steal_ns = -steal_ticks();
	r = harness_run_prog_opts(p, NULL, markers_opt, argv, 0);
	/* the counter is the nanoseconds' sum cut to whole ticks: one tick more */
	b->steal_ns = (b->steal_ns + steal_ticks() + 1) * (MS * 1000 / sysconf(_SC_CLK_TCK));
	harness_expect_eq("drops.marker_blocks", harness_int(r, "drops.marker_blocks"), 0);
	procs = harness_get(r, "processes");
	assert_non_null(procs);
	for (i = 0; i < json_object_array_length(procs); i++)
		bill_add(b, json_object_array_get_idx(procs, i));
	if (!b->billed_procs)
		fail_msg("no process has a bill:\n%s", p->out ? p->out : "");
	harness_expect_eq("bill.requests", b->requests, requests);
}

/* harness_expect_range, and the value with its bounds on stderr: the margins of a run. */
static void expect_range(const char *what, int64_t v, int64_t lo, int64_t hi)
{
	fprintf(stderr, "# %s: %lld in %lld..%lld\n", what, (long long)v, (long long)lo,
		(long long)hi);
	harness_expect_range(what, v, lo, hi);
}

/* Per request, in ns. */
static int64_t per(int64_t ns, const struct bill *b)
{
	return b->requests ? ns / b->requests : 0;
}

/*
 * Nothing queues: a request is off its thread for its I/O alone, D_MS,
 * and the wake-ups that hand it back, which the demo's own time from a
 * request's start to its reply (wait_p99_ms: the largest of up to 100
 * requests) bounds: its I/O waits, summed, cannot exceed that.
 */
static void expect_io_wait(const char *what, const struct harness_proc *p, const struct bill *b,
			   int64_t d_ms)
{
	int64_t wait99 = (int64_t)(demo_field(p, "wait_p99_ms") * MS);

	expect_range(what, per(b->off_thread, b), d_ms * MS * 98 / 100,
		     wait99 < 2 * d_ms * MS ? wait99 : 2 * d_ms * MS);
}

/*
 * The latency histogram's bucket that holds the request of nearest rank
 * ceil(PCT / 100 x n), the rank the demo's percentile picks: the demo's own
 * percentile (MS_VAL ms, the same markers' latency) must lie in it. A
 * bucket is an eighth of a power of two wide: this is as close as the
 * bill's percentiles can be told (they interpolate inside the bucket).
 * The demo reads its clock just inside the markers, a few clock reads
 * apart, unless a preemption falls between them: 2% of the value, at
 * least 20 us, of slack at the bucket's ends.
 */
static int64_t slack(int64_t v)
{
	return v / 50 > 20000 ? v / 50 : 20000;
}

static void expect_in_slot(const char *what, const struct bill *b, int pct, double ms_val)
{
	int64_t rank = (pct * b->requests + 99) / 100, seen = 0;
	int64_t v = (int64_t)(ms_val * MS);
	size_t i;

	if (rank < 1)
		rank = 1;
	for (i = 0; i < KSEE_BILL_SLOTS; i++) {
		seen += b->count[i];
		if (seen >= rank)
			break;
	}
	if (i == KSEE_BILL_SLOTS)
		fail_msg("%s: the histogram holds %lld of %lld requests", what, (long long)seen,
			 (long long)b->requests);
	expect_range(what, v, b->low[i] - slack(v), b->high[i] + slack(v));
}

/*
 * blocking, one request at a time: each waits off its thread for its I/O
 * (D = 20 ms, blocked in recv; nothing queues), then computes 1 ms. The
 * requests' latency adds up to the demo's own wall time (one after the
 * other), within 5%.
 */
static void test_bill_blocking(void **state)
{
	const char *argv[] = { demo("blocking"), "-r", "20", "-c", "1", "-d", "20", "-w", "1000",
			       NULL };
	struct harness_proc p;
	struct bill b;
	double wall_ns;

	bill_run(&p, argv, &b, 20);
	wall_ns = demo_field(&p, "wall_ms") * MS;
	expect_range("latency.total_ns (demo wall 5%)", b.total_ns,
		     (int64_t)(wall_ns * 0.95), (int64_t)(wall_ns * 1.05));
	expect_io_wait("off_thread per request (D = 20 ms)", &p, &b, 20);
	expect_range("on CPU per request (W = 1 ms)", per(b.on_cpu, &b), MS / 2, 10 * MS);
	harness_proc_free(&p);
}

/*
 * threads, 32 in flight on 2 CPUs, each computing 5 ms: they wait for a
 * CPU while they hold their thread far longer than they run.
 */
static void test_bill_threads_wait_for_cpu(void **state)
{
	const char *argv[] = { demo("threads"), "-r", "64", "-c", "32", "-d", "1", "-w", "5000",
			       NULL };
	struct harness_proc p;
	struct bill b;

	bill_run(&p, argv, &b, 64);
	expect_range("on CPU (64 x 5 ms)", b.on_cpu, 64 * 5 * MS / 2, 64 * 5 * MS * 4);
	if (b.waiting_for_cpu < 2 * b.on_cpu)
		fail_msg("waiting for a CPU %lld ns, not above twice on CPU %lld ns",
			 (long long)b.waiting_for_cpu, (long long)b.on_cpu);
	harness_proc_free(&p);
}

/*
 * epoll, C = 8 in flight, W = 3 ms each, I/O 1 ms: the loop runs one
 * request at a time, so (Little's law, a closed loop of C requests) each
 * waits off its thread for the loop to run the C - 1 others: about
 * (C - 1) x H + D, H the time a request holds the loop (its W, plus any
 * wait for a CPU on a busy machine). Queueing and I/O are one part here.
 */
static void test_bill_epoll_queueing(void **state)
{
	const char *argv[] = { demo("epoll"), "-r", "80", "-c", "8", "-d", "1", "-w", "3000", NULL };
	struct harness_proc p;
	struct bill b;
	int64_t want;

	bill_run(&p, argv, &b, 80);
	want = 7 * per(b.held, &b) + 1 * MS;
	expect_range("off_thread per request ((C-1) x H + D)", per(b.off_thread, &b),
		     want * 6 / 10, want * 14 / 10);
	expect_range("on CPU per request (W = 3 ms)", per(b.on_cpu, &b), 3 * MS / 2,
		     3 * MS * 4);
	harness_proc_free(&p);
}

/*
 * pool, the hand-off. N = 2 workers, C = 16 requests in flight, each
 * holding a worker for H (its W = 2 ms, plus any wait for a CPU while it
 * holds it, as the bill measured): the workers are the bottleneck, so
 * (Little's law, a closed loop) a request's latency is C x H / N and the
 * part off its thread (C - N) / N x H = 7 H: its I/O (D = 2 ms) is long
 * ready when a worker takes it up, and it waits in the pool's queue, most
 * of the time on another worker than the one that awaited. With plenty of
 * workers (8 for 4 in flight) and no work, nothing queues: off its thread
 * is D (10 ms) and the hand-off's wake-ups, which the demo's own time to
 * its reply (wait_p99_ms) bounds.
 */
static void test_bill_pool_handoff(void **state)
{
	const char *few[] = { demo("pool"), "-r", "96", "-c", "16", "-n", "2", "-d", "2", "-w",
			      "2000", NULL };
	const char *plenty[] = { demo("pool"), "-r", "40", "-c", "4", "-n", "8", "-d", "10", "-w",
				 "0", NULL };
	struct harness_proc p;
	struct bill b;
	int64_t want, off;
	json_object *m;

	bill_run(&p, few, &b, 96);
	want = 7 * per(b.held, &b);
	off = per(b.off_thread, &b);
	/* the first and last C requests find fewer in flight: the mean is lower */
	expect_range("few workers: off_thread per request ((C-N)/N x H)", off,
		     want * 6 / 10, want * 13 / 10);
	if (off < 3 * 2 * MS)
		fail_msg("few workers: off its thread %lld ns per request, not clearly above D = 2 ms",
			 (long long)off);
	m = harness_get(harness_main_process(harness_json(&p)), "markers");
	if (harness_int(m, "resumes_same_thread") >= harness_int(m, "resumes"))
		fail_msg("few workers: all %lld resumes on the thread that awaited: no hand-off",
			 (long long)harness_int(m, "resumes"));
	harness_proc_free(&p);

	bill_run(&p, plenty, &b, 40);
	expect_io_wait("plenty of workers: off_thread per request (D = 10 ms)", &p, &b, 10);
	harness_proc_free(&p);
}

/*
 * uring, one request in flight and no work: nothing queues, so a request
 * is off its thread for its I/O alone, D = 10 ms (the ring's completion
 * wait), bounded above by the demo's own time to its reply.
 */
static void test_bill_uring_io_wait(void **state)
{
	const char *argv[] = { demo("uring"), "-r", "20", "-c", "1", "-d", "10", "-w", "0", NULL };
	struct harness_proc p;
	struct bill b;

	bill_run(&p, argv, &b, 20);
	expect_io_wait("off_thread per request (D = 10 ms)", &p, &b, 10);
	harness_proc_free(&p);
}

/*
 * Every model, R = 100 requests, C = 8 in flight, D = 4 ms, W = 1 ms:
 * the bill against the demo's own numbers.
 * - requests: the demo's count, exactly;
 * - latency: the mean (latency.total_ns / requests) within 5% of the
 *   demo's mean_ms (the same markers: they differ by a few clock reads);
 *   the demo's p50_ms and p99_ms (rank 99 of 100) in the histogram's bucket
 *   of the same rank, and so is the bill's own p50;
 * - on CPU: between the work the demo timed with its thread CPU clock
 *   (work_cpu_ms) and the process's CPU time after its set-up, by the
 *   kernel's accounting (cpu_ms - setup_cpu_ms, worker processes
 *   included), with a margin for the two clocks: the bill's on-CPU part is
 *   the monotonic clock (the markers' held time) minus ksee's off-CPU
 *   intervals (switch-out to switch-in, timed at the sched_switch
 *   tracepoint), so it also holds what the kernel's CPU clock leaves out,
 *   a virtual CPU's time stolen by the hypervisor (PARAVIRT_TIME_ACCOUNTING),
 *   and it differs by each switch's path between the CPU clock's update
 *   and the tracepoint, where every BPF program of the machine on
 *   sched_switch runs. Measured here, on a loaded machine (load average
 *   9 to 15 on 2 CPUs): mostly 1% to 3% above work_cpu_ms and up to 11%
 *   below cpu_ms - setup_cpu_ms (threads: the threads' start and end lie
 *   outside the requests); in bursts up to 8% (coro: 115.5 ms against
 *   106.8 ms, 114 switches) and once 18% (pool: 128.4 ms against 108.5 ms)
 *   above cpu_ms - setup_cpu_ms, and once 5.7% below work_cpu_ms
 *   (threads). Stolen time can be that large here (70 ms in one 0.2 s
 *   run), so the machine's stolen time during the run (/proc/stat, all
 *   CPUs, a tick more for its cut) is allowed above, with 10% + 1 ms +
 *   25 us per switch of the process either way; a bill that failed to take
 *   the off-CPU time out of the held time (threads: 20 times the on-CPU
 *   time) or counted it twice is still far outside.
 */
static void bill_against_demo(const char *model)
{
	const char *argv[] = { demo(model), "-r", "100", "-c", "8", "-n", "4", "-d", "4", "-w",
			       "1000", NULL };
	char what[128];
	struct harness_proc p;
	struct bill b;
	double mean_ns, cpu_ns, work_ns;
	int64_t p50, p99;

	bill_run(&p, argv, &b, 100);
	snprintf(what, sizeof(what), "%s: bill.requests (demo's requests)", model);
	harness_expect_eq(what, b.requests, (int64_t)demo_field(&p, "requests"));
	mean_ns = demo_field(&p, "mean_ms") * MS;
	snprintf(what, sizeof(what), "%s: mean latency (demo's mean_ms 5%%)", model);
	expect_range(what, per(b.total_ns, &b), (int64_t)(mean_ns * 0.95),
		     (int64_t)(mean_ns * 1.05));
	snprintf(what, sizeof(what), "%s: demo's p50_ms in the bill's p50 bucket", model);
	expect_in_slot(what, &b, 50, demo_field(&p, "p50_ms"));
	snprintf(what, sizeof(what), "%s: demo's p99_ms in the bill's p99 bucket", model);
	expect_in_slot(what, &b, 99, demo_field(&p, "p99_ms"));
	if (b.billed_procs == 1) {
		/* what the user reads: good to an eighth (README) */
		p50 = (int64_t)(demo_field(&p, "p50_ms") * MS);
		p99 = (int64_t)(demo_field(&p, "p99_ms") * MS);
		snprintf(what, sizeof(what), "%s: bill's p50 (demo's p50_ms 1/8)", model);
		expect_range(what, b.p50_ns, p50 * 7 / 8 - slack(p50), p50 * 9 / 8 + slack(p50));
		snprintf(what, sizeof(what), "%s: bill's p99 (demo's p99_ms 1/8)", model);
		expect_range(what, b.p99_ns, p99 * 7 / 8 - slack(p99), p99 * 9 / 8 + slack(p99));
	}
	cpu_ns = (demo_field(&p, "cpu_ms") - demo_field(&p, "setup_cpu_ms")) * MS;
	work_ns = demo_field(&p, "work_cpu_ms") * MS;
	snprintf(what, sizeof(what), "%s: on CPU (work_cpu_ms .. cpu_ms - setup_cpu_ms)", model);
	fprintf(stderr, "# %s: %lld context switches, stolen %lld ns\n", model,
		(long long)b.switches, (long long)b.steal_ns);
	expect_range(what, b.on_cpu, (int64_t)(work_ns * 0.90) - MS - b.switches * 25000,
		     (int64_t)(cpu_ns * 1.10) + MS + b.switches * 25000 + b.steal_ns);
	harness_proc_free(&p);
}

/* One test per model, named after it: the model is the test's state. */
static void test_bill_demo(void **state)
{
	markers_opt = block_opt;
	bill_against_demo(*state);
}

/*
 * The same with the USDT probes (a trap per marker: `attach`'s path), for
 * which the kernel side keeps each live request's bill itself: the same
 * bounds hold (the traps' time is inside the requests, and in the
 * process's CPU time).
 */
static void test_bill_demo_usdt(void **state)
{
	markers_opt = usdt_opt;
	bill_against_demo(*state);
	markers_opt = block_opt;
}

/*
 * The USDT path with the uring demo, one request in flight and no work:
 * the demo passes each request's marker id as its recv's user_data, so
 * the recv's completion tells when its answer was ready. Nothing queues:
 * the time off its thread is its I/O (D = 10 ms, and the server's turn),
 * then the wake-up of the loop (tens of microseconds). Every completion
 * is seen here with one request in flight (with several, the kernel posts
 * some without its tracepoint: those awaits stay not told apart). The
 * demo's own wait_p99_ms bounds the I/O wait from above, as in
 * expect_io_wait().
 */
static void test_bill_usdt_uring_io_told(void **state)
{
	const char *argv[] = { demo("uring"), "-r", "20", "-c", "1", "-d", "10", "-w", "0", NULL };
	struct harness_proc p;
	struct bill b;
	int64_t wait99;

	markers_opt = usdt_opt;
	bill_run(&p, argv, &b, 20);
	markers_opt = block_opt;
	wait99 = (int64_t)(demo_field(&p, "wait_p99_ms") * MS);
	expect_range("told apart (io_wait + after_io, of off_thread)", b.io_wait + b.after_io,
		     b.off_thread * 9 / 10, b.off_thread);
	expect_range("waiting for I/O per request", per(b.io_wait, &b), 10 * MS * 98 / 100,
		     wait99 < 20 * MS ? wait99 : 20 * MS);
	expect_range("then for its thread per request", per(b.after_io, &b), 0, MS);
	harness_proc_free(&p);
}

/* Without io_uring nothing tells the I/O apart: all of it stays one part. */
static void test_bill_usdt_epoll_not_told(void **state)
{
	const char *argv[] = { demo("epoll"), "-r", "40", "-c", "4", "-d", "2", "-w", "500", NULL };
	struct harness_proc p;
	struct bill b;

	markers_opt = usdt_opt;
	bill_run(&p, argv, &b, 40);
	markers_opt = block_opt;
	harness_expect_eq("io_wait_ns", b.io_wait, 0);
	harness_expect_eq("after_io_ns", b.after_io, 0);
	harness_expect_eq("not_told_apart_ns", b.untold, b.off_thread);
	harness_proc_free(&p);
}

#define DEMO_TEST(model) { "test_bill_demo_" model, test_bill_demo, NULL, harness_teardown, \
			   (void *)(model) }
#define USDT_TEST(model) { "test_bill_usdt_" model, test_bill_demo_usdt, NULL, \
			   harness_teardown, (void *)(model) }

/*
 * blocking, W = 4 ms against D = 1 ms: almost all of the process's CPU
 * time after its set-up is the requests' work, so the bill's on-CPU part
 * and the kernel's CPU time agree. A request's own overhead outside W
 * (its send and recv calls, the wake-up) is under 0.1 ms (the README's
 * C8: 78 us), 2.5% of W, and lies inside the request; the loop between
 * requests takes next to nothing; what the bill counts on CPU and the
 * kernel's CPU clock does not (bill_against_demo) was within 1.5% in most
 * runs. 5% either way; measured here, loaded: 0.993 to 0.996 of it.
 */
static void test_bill_oncpu_blocking(void **state)
{
	const char *argv[] = { demo("blocking"), "-r", "50", "-d", "1", "-w", "4000", NULL };
	struct harness_proc p;
	struct bill b;
	double cpu_ns;

	bill_run(&p, argv, &b, 50);
	cpu_ns = (demo_field(&p, "cpu_ms") - demo_field(&p, "setup_cpu_ms")) * MS;
	expect_range("on CPU (cpu_ms - setup_cpu_ms, 5%)", b.on_cpu,
		     (int64_t)(cpu_ns * 0.95), (int64_t)(cpu_ns * 1.05));
	harness_proc_free(&p);
}

/*
 * A recording keeps the bill's histogram: `ksee report` of it gives the
 * same latency percentiles and buckets as the live report (a recording
 * of an older format is refused: tests/unit/test_recording.c).
 */
static void test_bill_recorded_matches_live(void **state)
{
	const char *argv[] = { demo("epoll"), "-r", "60", "-c", "4", "-d", "2", "-w", "500", NULL };
	const char *opts[] = { "--markers=block", "--record", NULL, NULL };
	char rec[4096], cmd[8192];
	struct harness_proc p;
	json_object *live, *later, *a, *b;
	FILE *f;

	harness_require_root();
	snprintf(rec, sizeof(rec), "%s/bill.ksee", harness_tmpdir());
	opts[2] = rec;
	live = harness_run_prog_opts(&p, NULL, opts, argv, 0);
	snprintf(cmd, sizeof(cmd), "%s report %s -j", getenv("KSEE"), rec);
	f = popen(cmd, "r");
	assert_non_null(f);
	{
		static char out[1 << 22];
		size_t n = fread(out, 1, sizeof(out) - 1, f);

		out[n] = 0;
		harness_expect_eq("ksee report status", pclose(f), 0);
		later = json_tokener_parse(out);
	}
	assert_non_null(later);
	a = harness_get(harness_main_process(live), "bill.latency");
	b = harness_get(harness_main_process(later), "bill.latency");
	assert_non_null(a);
	assert_non_null(b);
	harness_expect_eq("bill requests", harness_int(harness_main_process(later), "bill.requests"),
			  60);
	harness_expect_eq("p50_ns", harness_int(b, "p50_ns"), harness_int(a, "p50_ns"));
	harness_expect_eq("p99_ns", harness_int(b, "p99_ns"), harness_int(a, "p99_ns"));
	harness_expect_eq("buckets", json_object_array_length(harness_get(b, "histogram")),
			  json_object_array_length(harness_get(a, "histogram")));
	/* 60 requests of 2 ms I/O and 0.5 ms work, queueing behind 3 others: not one bucket */
	harness_expect_range("buckets", json_object_array_length(harness_get(a, "histogram")), 2,
			     60);
	json_object_put(later);
	harness_proc_free(&p);
}

/*
 * `ksee attach` to a marked server already at work (epoll, C = 8 in
 * flight): the USDT path bills every request whose start it saw. The
 * requests done during the trace but started before it (at most C, in
 * flight when the probes were attached) are counted done, not billed; the
 * parts of each billed one add up to its latency (bill_add()).
 */
static void test_bill_attach(void **state)
{
	const char *server[] = { demo("epoll"), "-r", "1000000", "-c", "8", "-d", "2", "-w", "300",
				 NULL };
	char pidarg[16];
	const char *args[] = { "attach", "-p", pidarg, "-d", "1", NULL };
	struct harness_proc p;
	struct bill b;
	json_object *r, *proc;
	int64_t done;
	pid_t pid;

	harness_require_root();
	memset(&b, 0, sizeof(b));
	pid = harness_start(server);
	snprintf(pidarg, sizeof(pidarg), "%d", pid);
	harness_msleep(300);	/* its ioserver up, requests flowing */
	harness_spawn(&p, NULL, 1, args);
	harness_expect_eq("ksee attach status", harness_wait(&p, HARNESS_TIMEOUT_S), 0);
	kill(pid, SIGTERM);
	r = harness_json(&p);
	assert_string_equal(json_object_get_string(harness_get(r, "features.marker_path")), "usdt");
	proc = harness_process(r, pid);
	assert_non_null(proc);
	done = harness_int(proc, "markers.requests_done");
	bill_add(&b, proc);
	fprintf(stderr, "# attach: %lld requests done, %lld billed\n", (long long)done,
		(long long)b.requests);
	/* a second of 8 in flight at 2 ms of I/O each: hundreds */
	harness_expect_range("requests done in the window", done, 100, 1000000);
	harness_expect_range("billed (done less those begun before attach)", b.requests,
			     done - 8, done);
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_bill_blocking, harness_teardown),
		cmocka_unit_test_teardown(test_bill_threads_wait_for_cpu, harness_teardown),
		cmocka_unit_test_teardown(test_bill_epoll_queueing, harness_teardown),
		cmocka_unit_test_teardown(test_bill_pool_handoff, harness_teardown),
		cmocka_unit_test_teardown(test_bill_uring_io_wait, harness_teardown),
		DEMO_TEST("blocking"),
		DEMO_TEST("threads"),
		DEMO_TEST("pool"),
		DEMO_TEST("epoll"),
		DEMO_TEST("uring"),
		DEMO_TEST("coro"),
		DEMO_TEST("gil"),
		DEMO_TEST("procs"),
		USDT_TEST("epoll"),
		USDT_TEST("pool"),
		USDT_TEST("uring"),
		cmocka_unit_test_teardown(test_bill_oncpu_blocking, harness_teardown),
		cmocka_unit_test_teardown(test_bill_recorded_matches_live, harness_teardown),
		cmocka_unit_test_teardown(test_bill_attach, harness_teardown),
		cmocka_unit_test_teardown(test_bill_usdt_uring_io_told, harness_teardown),
		cmocka_unit_test_teardown(test_bill_usdt_epoll_not_told, harness_teardown),
	};

	return cmocka_run_group_tests_name("integration_bill", tests, NULL, NULL);
}

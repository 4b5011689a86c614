/* SPDX-License-Identifier: MIT */
/*
 * ksee task markers: tie a user-level task (a request, a coroutine, a
 * continuation) to the kernel threads that run it.  Any C program can mark
 * its own tasks:
 *
 *	#include <ksee/usdt.h>
 *
 *	KSEE_REQUEST_START(id);		a task is born
 *	KSEE_AWAIT(id);			it is about to give up its thread to wait
 *	KSEE_RESUME(id);		first thing when its continuation runs again
 *	KSEE_REQUEST_DONE(id);		it has finished
 *
 * Ids only need to be unique among the tasks alive at one time in one
 * process.  Build with systemtap-sdt-dev installed (it provides
 * <sys/sdt.h>) and only -I pointing at the folder above this one: nothing
 * to link.  Define KSEE_NO_USDT to compile the markers out.
 *
 * Two paths, both always compiled in; the tracer picks one.
 *
 * The marker block (ksee's default under `ksee run`): each marker updates,
 * with plain stores, a block of counters of its own thread (thread-local
 * storage), plus a process-wide table of pending awaits that tells which
 * thread awaited an id and when.  The program's first marker hands its
 * block's address and that block's offset from the thread pointer to the
 * tracer through the USDT probe ksee:marks, the program's one trap; on
 * x86-64 the other threads' blocks lie at the same offset and their first
 * marker only marks the block as registered (elsewhere each thread traps
 * once).  The tracer reads the block when the thread ends, and
 * whether a request holds the thread (holding) when it switches out.  Each
 * marker also keeps the request's time on a thread and off it, for the
 * tracer's per-request bill.  A marker costs a clock read and a few stores.
 *
 * USDT probes (`ksee run --markers=usdt`, and `ksee attach`, whose threads
 * registered their blocks before the tracer came, if ever): each marker is
 * also a USDT probe of the provider "ksee" (request_start, await, resume,
 * request_done) with one argument, the task id as a signed 64-bit integer
 * ("-8@<operand>" in .note.stapsdt).  Nops until a tracer attaches; a
 * trap into the kernel each when one does.  No semaphores are used.
 *
 * Limits of the block: ids that collide in the table of live requests and
 * pending awaits (KSEE_MARKS_TABLE slots, indexed by bits of the id)
 * overwrite each other; such starts and awaits are counted (collisions),
 * their resumes count as unmatched, as they would if the await had not
 * been seen, and their requests are not billed.
 */
#ifndef __KSEE_USDT_H
#define __KSEE_USDT_H

#ifdef KSEE_NO_USDT
#define KSEE_PROBE(name, id)	do { (void)(id); } while (0)
#define KSEE_REQUEST_START(id)	KSEE_PROBE(request_start, id)
#define KSEE_AWAIT(id)		KSEE_PROBE(await, id)
#define KSEE_RESUME(id)		KSEE_PROBE(resume, id)
#define KSEE_REQUEST_DONE(id)	KSEE_PROBE(request_done, id)
#else
#include <pthread.h>
#include <sys/sdt.h>
#include <time.h>

#define KSEE_PROBE(name, id)	DTRACE_PROBE1(ksee, name, (long long)(id))

/* "ksee" "mrk" and the layout's version: a block of another layout is refused. */
#define KSEE_MARKS_MAGIC	0x6b7365656d726b03ULL
#define KSEE_MARKS_SLOTS	40	/* log2(ns) buckets of await to resume */
/*
 * Start to done: 8 buckets per power of two (ksee_marks_lat_slot()), so
 * that the bill's p50 and p99 are good to an eighth, not to a factor of 2.
 * Values under 8 ns have a bucket each; 2^40 ns (18 minutes) and over
 * share the last.
 */
#define KSEE_MARKS_LAT_SLOTS	304
#define KSEE_MARKS_TABLE	4096	/* pending awaits per process; a power of 2 */

/* One thread's markers: read by the tracer, never written by it. */
struct ksee_marks {
	unsigned long long magic;	/* KSEE_MARKS_MAGIC once registered */
	unsigned long long holding;	/* 1 while a request holds the thread (start or
					   resume to await or done): read at switch-out */
	unsigned long long started;	/* KSEE_REQUEST_START */
	unsigned long long done;	/* KSEE_REQUEST_DONE */
	unsigned long long awaits;	/* KSEE_AWAIT */
	unsigned long long resumes;	/* KSEE_RESUME, all of them */
	unsigned long long matched;	/* ... whose await was in the table */
	unsigned long long same_thread;	/* ... awaited on this thread */
	unsigned long long collisions;	/* awaits that overwrote another id's pending one */
	unsigned long long await_hist[KSEE_MARKS_SLOTS];	/* await to resume, matched */
	/* The bill: requests whose start and done were both in the table. */
	unsigned long long billed;	/* such requests done on this thread */
	unsigned long long latency_ns;	/* their start to done */
	unsigned long long held_ns;	/* ... of which a thread ran them (start or resume
					   to await or done) */
	unsigned long long off_ns;	/* ... of which they waited off any thread (await to
					   resume) */
	unsigned long long latency_hist[KSEE_MARKS_LAT_SLOTS];
};

/* A live request or a pending await, by id. Times: CLOCK_MONOTONIC ns. */
struct ksee_marks_pending {
	long long id;
	unsigned long long owner;	/* the awaiting thread's block; 0: no await pending */
	unsigned long long since;	/* the await */
	unsigned long long start;	/* the request's start; 0: no live request */
	unsigned long long last;	/* its last start, await or resume */
	unsigned long long held;	/* its time on a thread so far */
	unsigned long long off;		/* its time off any thread so far */
};

/* Weak: one block per thread and one table per program, however many files mark. */
__attribute__((weak)) __thread struct ksee_marks ksee_marks_tls;
__attribute__((weak)) struct ksee_marks_pending ksee_marks_table[KSEE_MARKS_TABLE];
__attribute__((weak)) int ksee_marks_atfork;

/* A forked child starts with a copy of its parent's block: make it register its own. */
static __attribute__((unused)) void ksee_marks_forked(void)
{
	__builtin_memset(&ksee_marks_tls, 0, sizeof(ksee_marks_tls));
}

/*
 * The block's offset from the thread pointer, as the program's first
 * registration handed it over (0: not yet). Thread-local variables of a
 * program lie at one offset from every thread's pointer: a thread whose
 * block is at that offset registers without the probe, and the tracer,
 * told the offset once, finds its block from its thread pointer when it
 * is first switched out. x86-64 only; elsewhere every thread traps once.
 */
__attribute__((weak)) long ksee_marks_tls_off;

static __attribute__((noinline, unused)) void ksee_marks_register(struct ksee_marks *m)
{
	int zero = 0;
	long off = 0;

#if defined(__x86_64__)
	unsigned long tp;

	__asm__("mov %%fs:0, %0" : "=r"(tp));	/* the thread pointer (the TCB points to itself) */
	off = (long)((unsigned long)m - tp);
#endif
	if (__atomic_compare_exchange_n(&ksee_marks_atfork, &zero, 1, 0, __ATOMIC_RELAXED,
					__ATOMIC_RELAXED))
		pthread_atfork(0, 0, ksee_marks_forked);
	m->magic = KSEE_MARKS_MAGIC;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (off && __atomic_load_n(&ksee_marks_tls_off, __ATOMIC_RELAXED) == off)
		return;
	DTRACE_PROBE2(ksee, marks, (long long)(unsigned long)m, (long long)off);
	__atomic_store_n(&ksee_marks_tls_off, off, __ATOMIC_RELAXED);
}

static inline __attribute__((always_inline, unused)) struct ksee_marks *ksee_marks_self(void)
{
	struct ksee_marks *m = &ksee_marks_tls;

	if (__builtin_expect(m->magic != KSEE_MARKS_MAGIC, 0))
		ksee_marks_register(m);
	return m;
}

/* clock_gettime() under its own name: strict ISO C modes hide the POSIX one. */
#ifdef __cplusplus
extern "C"
#endif
int ksee_clock_gettime(int clock, struct timespec *ts) __asm__("clock_gettime");

#define KSEE_CLOCK_MONOTONIC	1	/* CLOCK_MONOTONIC: the clock of the kernel's ktime */

static inline __attribute__((always_inline, unused)) unsigned long long ksee_marks_now(void)
{
	struct timespec ts;

	ksee_clock_gettime(KSEE_CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static inline __attribute__((always_inline, unused)) struct ksee_marks_pending *
ksee_marks_slot(long long id)
{
	unsigned long long x = (unsigned long long)id;

	return &ksee_marks_table[(x ^ (x >> 12) ^ (x >> 24)) & (KSEE_MARKS_TABLE - 1)];
}

static inline __attribute__((always_inline, unused)) unsigned int ksee_marks_log2(
	unsigned long long d)
{
	unsigned int slot = d ? 63 - (unsigned int)__builtin_clzll(d) : 0;

	return slot < KSEE_MARKS_SLOTS ? slot : KSEE_MARKS_SLOTS - 1;
}

/* A bucket of latency_hist: one a nanosecond under 16 ns, then 8 a power of two. */
static inline __attribute__((always_inline, unused)) unsigned int ksee_marks_lat_slot(
	unsigned long long d)
{
	unsigned int e, slot;

	if (d < 8)
		return (unsigned int)d;
	e = 63 - (unsigned int)__builtin_clzll(d);
	slot = ((e - 2) << 3) | (unsigned int)((d >> (e - 3)) & 7);
	return slot < KSEE_MARKS_LAT_SLOTS ? slot : KSEE_MARKS_LAT_SLOTS - 1;
}

/*
 * Plain loads and stores (on x86 and arm64 acquire and release cost no
 * more): an await and the resume of its id follow each other; only
 * colliding ids race, and those are counted. The thread is marked as
 * held before the clock is read at a start or resume, and as free after
 * it is read at an await or done, so that the time ksee sees it off CPU
 * while held lies within the held time measured here.
 */
static inline __attribute__((always_inline, unused)) void ksee_marks_start(long long id)
{
	struct ksee_marks *m = ksee_marks_self();
	struct ksee_marks_pending *p = ksee_marks_slot(id);
	unsigned long long now;

	m->started++;
	m->holding = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	now = ksee_marks_now();
	if ((p->start || __atomic_load_n(&p->owner, __ATOMIC_ACQUIRE)) && p->id != id)
		m->collisions++;
	__atomic_store_n(&p->owner, 0, __ATOMIC_RELAXED);
	p->id = id;
	p->last = now;
	p->held = 0;
	p->off = 0;
	p->start = now;
}

static inline __attribute__((always_inline, unused)) void ksee_marks_done(long long id)
{
	struct ksee_marks *m = ksee_marks_self();
	struct ksee_marks_pending *p = ksee_marks_slot(id);
	unsigned long long now = ksee_marks_now(), lat;

	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	m->holding = 0;
	m->done++;
	if (!p->start || p->id != id || now < p->last)
		return;
	lat = now - p->start;
	m->billed++;
	m->latency_ns += lat;
	m->held_ns += p->held + (now - p->last);
	m->off_ns += p->off;
	m->latency_hist[ksee_marks_lat_slot(lat)]++;
	p->start = 0;
}

static inline __attribute__((always_inline, unused)) void ksee_marks_await(long long id)
{
	struct ksee_marks *m = ksee_marks_self();
	struct ksee_marks_pending *p = ksee_marks_slot(id);
	unsigned long long now = ksee_marks_now();

	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	m->holding = 0;
	m->awaits++;
	if ((p->start || __atomic_load_n(&p->owner, __ATOMIC_ACQUIRE)) && p->id != id) {
		m->collisions++;
		p->start = 0;	/* the other id's bill is lost with its slot */
	}
	__atomic_store_n(&p->owner, 0, __ATOMIC_RELAXED);
	if (p->start && now >= p->last)
		p->held += now - p->last;
	p->id = id;
	p->since = now;
	p->last = now;
	__atomic_store_n(&p->owner, (unsigned long)m, __ATOMIC_RELEASE);
}

static inline __attribute__((always_inline, unused)) void ksee_marks_resume(long long id)
{
	struct ksee_marks *m = ksee_marks_self();
	struct ksee_marks_pending *p = ksee_marks_slot(id);
	unsigned long long owner, now, d;

	m->resumes++;
	m->holding = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	owner = __atomic_load_n(&p->owner, __ATOMIC_ACQUIRE);
	if (!owner || p->id != id)
		return;
	now = ksee_marks_now();
	d = now - p->since;
	__atomic_store_n(&p->owner, 0, __ATOMIC_RELAXED);
	m->matched++;
	if (owner == (unsigned long)m)
		m->same_thread++;
	m->await_hist[ksee_marks_log2(d)]++;
	if (p->start) {
		p->off += d;
		p->last = now;
	}
}

#define KSEE_REQUEST_START(id)	do { ksee_marks_start((long long)(id)); KSEE_PROBE(request_start, id); } while (0)
#define KSEE_AWAIT(id)		do { ksee_marks_await((long long)(id)); KSEE_PROBE(await, id); } while (0)
#define KSEE_RESUME(id)		do { ksee_marks_resume((long long)(id)); KSEE_PROBE(resume, id); } while (0)
#define KSEE_REQUEST_DONE(id)	do { ksee_marks_done((long long)(id)); KSEE_PROBE(request_done, id); } while (0)
#endif

#endif /* __KSEE_USDT_H */

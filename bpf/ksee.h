/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ABI between bpf/ksee.bpf.c and user/: everything the kernel side hands
 * to user space, by map value, ring buffer record or iterator output.
 * Include <linux/types.h> or vmlinux.h first. Fixed-size fields only.
 */
#ifndef __KSEE_H
#define __KSEE_H

#define KSEE_COMM_LEN		16
#define KSEE_SLOTS		40	/* log2(ns) buckets: 2^39 ns is about 9 minutes */
#define KSEE_MAX_SYSCALLS	512
#define KSEE_MAX_PROCS		8192
#define KSEE_MAX_EDGES		16384
#define KSEE_MAX_INFLIGHT	16384
#define KSEE_URING_OPS		64

/*
 * Why a task was off CPU: the syscall family it was blocked in. The same
 * families are used for per-family syscall counts. Order is the ABI.
 */
enum ksee_reason {
	KSEE_R_NONE = 0,	/* blocked outside any syscall: page fault, ... */
	KSEE_R_EPOLL,		/* epoll_wait, epoll_pwait, epoll_pwait2 */
	KSEE_R_IO_URING,	/* io_uring_enter */
	KSEE_R_FUTEX,		/* futex, futex_waitv (locks, condvars, joins) */
	KSEE_R_READ,		/* read/recv/accept family: sockets and pipes */
	KSEE_R_WRITE,		/* write/send family */
	KSEE_R_POLL,		/* poll, ppoll, select, pselect6 */
	KSEE_R_SLEEP,		/* nanosleep, clock_nanosleep */
	KSEE_R_WAIT,		/* wait4, waitid */
	KSEE_R_OTHER,		/* any other syscall */
	KSEE_R_NR,
};

/*
 * The task states of sched_switch's prev_state (and task->__state) that
 * the off-CPU split reads; the values of include/linux/sched.h.
 */
#define KSEE_TASK_RUNNING		0x0000
#define KSEE_TASK_UNINTERRUPTIBLE	0x0002
#define KSEE_TASK_DEAD			0x0080
#define KSEE_TASK_NOLOAD		0x0400

/*
 * The off-CPU split, one rule for both sides. A task switched out while
 * still runnable (preempted, or yielding) waits for a CPU from then on;
 * otherwise it is blocked until its wakeup. Blocked time in D state is
 * also counted apart as uninterruptible, except TASK_NOLOAD sleeps (idle
 * kernel waits that the load average leaves out too).
 */
static inline int ksee_switch_runnable(int preempt, __u32 state)
{
	return preempt || state == KSEE_TASK_RUNNING;
}

static inline int ksee_state_uninterruptible(__u32 state)
{
	return (state & KSEE_TASK_UNINTERRUPTIBLE) && !(state & KSEE_TASK_NOLOAD);
}

/* ksee_task_stats.flags */
enum ksee_task_flags {
	KSEE_TF_IO_WORKER	= 1 << 0,	/* io_uring io-wq worker (iou-wrk-*) */
	KSEE_TF_SQPOLL		= 1 << 1,	/* io_uring SQ poll thread (iou-sqp-*) */
	KSEE_TF_EXITED		= 1 << 2,	/* the task has died; stats are final */
	KSEE_TF_ADOPTED		= 1 << 3,	/* already running when tracing began */
	KSEE_TF_LEADER		= 1 << 4,	/* thread-group leader (tid == pid) */
	KSEE_TF_PREEXEC		= 1 << 5,	/* child of `ksee run`: stats restart at exec */
};

/*
 * calls and total_ns need the sys_exit hook (--syscalls). Without it,
 * blocked_calls counts sleeps inside calls of the family (a call that
 * sleeps twice counts twice), and blocked_ns is left 0 by the kernel side:
 * it is blocked_ns[family] of the task, filled in by user space.
 */
struct ksee_sys {
	__u64 calls;
	__u64 total_ns;		/* first sleep in the call to sys_exit */
	__u64 blocked_calls;	/* calls during which the task switched out voluntarily */
	__u64 blocked_ns;	/* time blocked (asleep) inside those calls */
};

/* Per-task aggregates, final once KSEE_TF_EXITED is set. */
struct ksee_task_stats {
	__u64 start_ns;		/* creation, or start of tracing for adopted tasks */
	__u64 end_ns;		/* death; 0 while alive */
	__u64 on_cpu_ns;
	__u64 voluntary;	/* switched out asleep */
	__u64 involuntary;	/* switched out while still runnable (preempted) */
	__u64 blocked_ns[KSEE_R_NR];	/* asleep, from switch-out to wakeup, by reason */
	__u64 uninterruptible_ns;	/* part of blocked_ns spent in D state */
	/*
	 * Run-queue wait as the kernel counts it (sched_info.run_delay: from
	 * the enqueue to the switch-in); runq_count and runq_hist count the
	 * switch-ins it was not 0 for.
	 */
	__u64 runq_ns;
	__u64 runq_count;
	__u64 migrations;
	__u64 wakeups;		/* wakeups received */
	__u64 cpus_mask;	/* bit n: ran on CPU n (CPUs >= 64 fold onto bit 63) */
	struct ksee_sys sys[KSEE_R_NR];	/* index KSEE_R_NONE unused */
	__u64 epoll_events;	/* events returned by epoll waits */
	__u64 uring_submitted;	/* SQEs submitted (io_uring_submit_req) */
	__u64 uring_waits;	/* io_uring_enter calls asking to wait for completions */
	__u64 awaits;		/* USDT ksee:await on this task */
	__u64 resumes;		/* USDT ksee:resume on this task */
	/* Marker block: off CPU while a request held the task, from switch-out to in. */
	__u64 held_runq_ns;	/* waiting for a CPU (the kernel's run-queue wait) */
	__u64 held_wakelat_ns;	/* waking up: from the wakeup to the enqueue */
	__u64 held_blocked_ns[KSEE_R_NR];	/* blocked, by reason */
	__u64 off_hist[KSEE_SLOTS];	/* off-CPU intervals, switch-out to switch-in */
	__u64 runq_hist[KSEE_SLOTS];	/* run-queue wait */
	/*
	 * Wake-up latency: from the wakeup (sched_waking) to the enqueue on
	 * the wakee's run queue, i.e. the rest of the interval from the
	 * wakeup to the switch-in (the cross-CPU signal, the CPU leaving idle).
	 */
	__u64 wakelat_ns;
	__u64 wakelat_count;
	__u64 wakelat_hist[KSEE_SLOTS];
	__u32 tid;
	__u32 tgid;
	__u32 ppid;		/* tgid of the parent process */
	__u32 uid;
	__u32 flags;		/* enum ksee_task_flags */
	__s32 exit_code;	/* task->exit_code at death */
	char comm[KSEE_COMM_LEN];
};

/*
 * --stacks: where a task went to sleep. One entry of the stacks map per
 * task, stack pair and reason; the user registers (as saved at kernel
 * entry) stand for the user stack, which user space unwinds once from the
 * copy the kernel side sends the first time the key is seen.
 */
#define KSEE_MAX_STACKS		16384	/* entries of the stacks map */
#define KSEE_KSTACK_DEPTH	127	/* kernel frames kept (the kernel's default) */
#define KSEE_USTACK_BYTES	16384	/* user stack copied from the stack pointer up */
#define KSEE_UREGS		17	/* x86-64 DWARF registers 0 (rax) to 16 (rip) */

struct ksee_stack_key {
	__u64 uip;		/* user instruction pointer; 0: no user stack (io-wq worker) */
	__u64 usp;		/* user stack pointer */
	__u64 ubp;		/* user frame pointer register */
	__u32 tgid;
	__u32 tid;
	__s32 kstack;		/* id in the kstacks map; < 0: not taken (-errno) */
	__u32 reason;		/* enum ksee_reason */
};

struct ksee_stack_val {
	__u64 count;		/* voluntary switch-outs at this stack */
	__u64 blocked_ns;	/* asleep there, switch-out to wakeup */
};

/* Ring buffer record of the ustacks ring: a user stack to unwind. */
struct ksee_ustack_rec {
	struct ksee_stack_key key;
	__u64 regs[KSEE_UREGS];	/* DWARF numbering */
	__u32 size;		/* bytes of data[] copied (0: the stack could not be read) */
	__u32 pad;
	__u8 data[KSEE_USTACK_BYTES];	/* the stack from key.usp up */
};

/* What the kernel side keeps about a task between events (not stats). */
struct ksee_task_now {
	__u64 switch_in_ns;	/* running since; 0 when not on a CPU */
	__u64 switch_out_ns;	/* off CPU since; 0 when running */
	__u64 wake_ns;		/* runnable since; 0 while asleep or running */
	__u64 sys_block_ns;	/* first block inside the current syscall; 0: none */
	__u64 sys_blocked_ns;	/* asleep during the current syscall */
	__u64 waker_pending;	/* wakeups by the last waker not yet in the edges map */
	__u64 exec_at_out;	/* the kernel's se.sum_exec_runtime at the last switch-out */
	__u64 marks;		/* user address of its marker block (struct ksee_marks); 0: none */
	__u64 run_delay;	/* the kernel's sched_info.run_delay, as counted so far */
	__u32 sys_switches;	/* voluntary switches during the current syscall */
	__u32 state_out;	/* prev_state at the last switch-out */
	__u32 reason_out;	/* enum ksee_reason at the last switch-out */
	__u32 slot;		/* the process's entry in the proc_running array */
	__u32 waker_tid;	/* the last waker (see struct ksee_edge_key) */
	__u32 waker_tgid;
	__u32 held_out;		/* a request held it at the last switch-out (marker block) */
	__u32 woken;		/* wake_ns is a wakeup (not a preemption or a creation) */
	__u32 woken_early;	/* woken while it was switching out (see switch_out()) */
	__u32 adopted_queued;	/* adopted in a run queue: its wait began before ksee */
	__u32 waker_flags;	/* enum ksee_edge_flags of the last waker */
	__u32 holding;		/* --markers=usdt: a billed request holds it now */
	char waker_comm[KSEE_COMM_LEN];
	struct ksee_stack_key stack_key;	/* --stacks: the stack of the sleep now */
	__u32 stack_pending;	/* stack_key is set; its time is added at switch-in */
	__u32 stack_pad;
};

/* A task as user space holds it: its stats and the state they are settled from. */
struct ksee_task {
	struct ksee_task_stats st;
	struct ksee_task_now now;
};

/*
 * What the kernel side keeps per task: struct ksee_task_stats, with the
 * histograms' buckets 32 bits wide (a bucket that is full stays full and
 * counts in ksee_drops.hists). Allocated and zeroed at every thread's
 * creation, and handed over at its death: kept small. User space widens
 * it (ks_task_widen()); the fields mean what they mean there.
 */
struct ksee_kstats {
	__u64 start_ns;
	__u64 end_ns;
	__u64 on_cpu_ns;
	__u64 voluntary;
	__u64 involuntary;
	__u64 blocked_ns[KSEE_R_NR];
	__u64 uninterruptible_ns;
	__u64 runq_ns;
	__u64 runq_count;
	__u64 migrations;
	__u64 wakeups;
	__u64 cpus_mask;
	struct ksee_sys sys[KSEE_R_NR];
	__u64 epoll_events;
	__u64 uring_submitted;
	__u64 uring_waits;
	__u64 awaits;
	__u64 resumes;
	__u64 held_runq_ns;
	__u64 held_wakelat_ns;
	__u64 held_blocked_ns[KSEE_R_NR];
	__u64 wakelat_ns;
	__u64 wakelat_count;
	__u32 off_hist[KSEE_SLOTS];
	__u32 runq_hist[KSEE_SLOTS];
	__u32 wakelat_hist[KSEE_SLOTS];
	__u32 tid;
	__u32 tgid;
	__u32 ppid;
	__u32 uid;
	__u32 flags;
	__s32 exit_code;
	char comm[KSEE_COMM_LEN];
};

/*
 * The task storage value, and as it is the ring buffer record of a
 * task's death (one copy, no conversion) and the iterator's record.
 */
struct ksee_ktask {
	__u32 type;		/* KSEE_REC_TASK */
	__u32 pad;
	struct ksee_kstats st;
	struct ksee_task_now now;
};

/* Per traced process; the key of the procs map is its tgid. */
struct ksee_proc {
	__u64 start_ns;		/* first task seen (fork, or start of tracing) */
	__u64 end_ns;		/* last task died; 0 while alive */
	__u64 epoll_hist[KSEE_SLOTS];	/* duration of epoll wait calls */
	__u64 uring_hist[KSEE_SLOTS];	/* io_uring request submit-to-complete latency */
	__u64 await_hist[KSEE_SLOTS];	/* USDT await to resume of the same task id */
	__u64 requests_started;	/* USDT ksee:request_start */
	__u64 requests_done;	/* USDT ksee:request_done */
	__u64 awaits;		/* USDT ksee:await */
	__u64 resumes;		/* USDT ksee:resume whose await was seen */
	__u64 resumes_same_thread;	/* ... on the kernel task that awaited */
	__u64 resumes_unmatched;	/* USDT ksee:resume without a seen await */
	/*
	 * The bill (marker block): requests whose start and done were both
	 * seen; their latency histogram is in the bills map (ksee_bill_hist).
	 */
	__u64 billed;
	__u64 bill_latency_ns;	/* start to done */
	__u64 bill_held_ns;	/* ... on a thread */
	__u64 bill_off_ns;	/* ... off any thread: await to resume */
	__u64 bill_io_ns;	/* ... of which waiting for an io_uring completion (USDT) */
	__u64 bill_after_io_ns;	/* ... and then for its thread (USDT) */
	__u32 tgid;
	__u32 ppid;
	__u32 live_tasks;
	__u32 tasks_seen;
	__u32 peak_running;	/* most tasks of the process on CPUs at one instant */
	__u32 marks_collisions;	/* marker block: awaits overwritten by a colliding id */
	__u32 execs;		/* execve() calls of its tasks seen while traced */
	__u32 uid;
	__s32 exit_code;
	__u32 slot;		/* its entry in the proc_running array */
	__u32 pad;
	char comm[KSEE_COMM_LEN];
};

/* How many tasks of a process are on CPUs: an array entry, cheap to find. */
struct ksee_proc_running {
	__s32 running;
	__u32 peak;
	/*
	 * Where each thread's marker block lies from its thread pointer, as
	 * the process's first registration told (0: not told); the blocks
	 * of its other threads are found from it, without a trap each.
	 */
	__s64 marks_tls_off;
};

/* A wakeup edge: who woke whom, how often. */
struct ksee_edge_key {
	__u32 wakee_tgid;
	__u32 wakee_tid;
	__u32 waker_tid;	/* 0: the idle task, or an interrupt (see waker_tgid) */
	__u32 waker_tgid;	/* KSEE_WAKER_IRQ: woken from interrupt context */
	__u32 flags;		/* enum ksee_edge_flags */
};

enum ksee_edge_flags {
	/*
	 * The waker's own network softirq did the wakeup, in its context
	 * (a send over loopback delivering to the receiver), not a
	 * hardware interrupt's.
	 */
	KSEE_EDGE_SOFTIRQ = 1 << 0,
};

/* waker_tgid of wakeups done in hard or soft interrupt context (timers, I/O). */
#define KSEE_WAKER_IRQ		0xffffffffU

struct ksee_edge {
	__u64 count;
	char waker_comm[KSEE_COMM_LEN];
};

/* io_uring requests of one process with one opcode. */
struct ksee_uring_key {
	__u32 tgid;
	__u32 opcode;
};

struct ksee_uring_op {
	__u64 count;		/* completed */
	__u64 punted;		/* queued to an io-wq worker */
	__u64 latency_ns;	/* sum of submit-to-complete latency */
};

/* A user-level task waiting between its USDT await and resume. */
struct ksee_await_key {
	__u64 id;
	__u32 tgid;
	__u32 pad;
};

struct ksee_await {
	__u64 await_ns;
	__u32 tid;
	__u32 pad;
};

#define KSEE_MAX_AWAITING	65536

/*
 * --markers=usdt: a live request (start seen, done not yet), by id and
 * tgid, for its bill: the kernel side keeps what the marker block keeps
 * in the program (include/ksee/usdt.h, struct ksee_marks_pending).
 */
struct ksee_live_req {
	__u64 start;		/* KSEE_REQUEST_START */
	__u64 last;		/* its last start, await or resume */
	__u64 held;		/* on a thread so far */
	__u64 off;		/* off any thread so far (await to resume) */
	/*
	 * ... of which told apart by an io_uring completion whose user_data
	 * is the request's id, the first after its await (ready_ns): await
	 * to completion, then completion to resume
	 */
	__u64 io;
	__u64 after_io;
	__u64 ready_ns;		/* that completion, since the await; 0: none */
	__u32 awaiting;		/* between an await and its resume */
	__u32 pad;
};

/*
 * A thread's marker block, in the traced program's memory (include/ksee/
 * usdt.h, struct ksee_marks: the same layout). The program registers its
 * address once per thread (USDT ksee:marks); the kernel side reads it when
 * the thread ends. A block without the magic is refused and counted.
 */
#define KSEE_MARKS_MAGIC	0x6b7365656d726b03ULL
/* The bill's latency buckets: 8 per power of two (usdt.h, ksee_marks_lat_slot()). */
#define KSEE_BILL_SLOTS		304

/* floor(log2(@v)), 0 for 0 and 1: no loop, no clz (BPF has neither to spare). */
static inline __u32 ksee_log2(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xffffffffULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xffff) << 4; v >>= shift; r |= shift;
	shift = (v > 0xff) << 3; v >>= shift; r |= shift;
	shift = (v > 0xf) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	return r | (__u32)(v >> 1);
}

/* The bucket of latency @d, as ksee_marks_lat_slot() counts it: for the USDT path. */
static inline __u32 ksee_bill_slot(__u64 d)
{
	__u32 e;

	if (d < 16)
		return (__u32)d;
	if (d >> 40)
		return KSEE_BILL_SLOTS - 1;
	e = ksee_log2(d);
	return ((e - 2) << 3) | (__u32)((d >> (e - 3)) & 7);
}

struct ksee_marks {
	__u64 magic;
	__u64 holding;		/* 1 while a request holds the thread: read at switch-out */
	__u64 started;
	__u64 done;
	__u64 awaits;
	__u64 resumes;		/* all of them */
	__u64 matched;		/* whose await was seen */
	__u64 same_thread;	/* ... on this thread */
	__u64 collisions;	/* awaits that overwrote another id's pending one */
	__u64 await_hist[KSEE_SLOTS];
	__u64 billed;		/* requests whose start and done were seen */
	__u64 latency_ns;	/* their start to done */
	__u64 held_ns;		/* ... on a thread (start or resume to await or done) */
	__u64 off_ns;		/* ... off any thread (await to resume) */
	__u64 latency_hist[KSEE_BILL_SLOTS];
};

/*
 * The bill's latency histogram of a process: a map entry of its own,
 * made at the first block that billed a request (few processes mark
 * theirs; the procs map's entries are all allocated up front), and the
 * ring buffer record that hands it over when the process ends.
 */
struct ksee_bill_hist {
	__u32 type;		/* KSEE_REC_BILL */
	__u32 tgid;
	__u64 slots[KSEE_BILL_SLOTS];
};

/*
 * Timeline (--timeline): one record per state change of a traced task,
 * streamed through its own ring buffer. 32 bytes; the order is the ABI.
 */
enum ksee_ev_type {
	KSEE_EV_RUN = 1,	/* switched in on @cpu */
	KSEE_EV_PREEMPT = 2,	/* switched out still runnable (involuntary) */
	KSEE_EV_BLOCK = 3,	/* switched out asleep; arg: enum ksee_reason, arg2: 1 if D state */
	KSEE_EV_WAKE = 4,	/* woken; arg: waker tid (0: idle), arg2: waker tgid (KSEE_WAKER_IRQ) */
	KSEE_EV_NEW = 5,	/* created; arg: tid of the creator */
	KSEE_EV_EXIT = 6,	/* died; arg: exit code */
};

struct ksee_event {
	__u64 ts_ns;
	__u32 tid;
	__u32 tgid;
	__u32 arg;
	__u32 arg2;
	__u16 type;		/* enum ksee_ev_type */
	__u16 cpu;
	__u32 pad;
};

/* Ring buffer record types: the first __u32 of every record. */
enum ksee_rec_type {
	KSEE_REC_TASK = 1,	/* struct ksee_ktask: a task died */
	KSEE_REC_PROC = 2,	/* struct ksee_proc_rec: a process's last task died */
	KSEE_REC_BILL = 3,	/* struct ksee_bill_hist: ... and its bill's histogram */
};

struct ksee_proc_rec {
	__u32 type;
	__u32 pad;
	struct ksee_proc proc;
};

/* Counters of what could not be accounted; never silently dropped. */
struct ksee_drops {
	__u64 ringbuf;		/* records lost: ring buffer full */
	__u64 tasks;		/* tasks not accounted: storage could not be created */
	__u64 procs;		/* processes not accounted: procs map full */
	__u64 edges;		/* wakeups not counted: edge map full */
	__u64 uring;		/* io_uring requests not timed: in-flight map full */
	__u64 awaits;		/* USDT awaits not matched: awaiting map full */
	__u64 marks_bad;	/* marker blocks refused: unreadable, or not a block */
	__u64 events;		/* timeline events lost: its ring buffer was full */
	/*
	 * Not a loss: switch-ins of a traced task that no sched_switch event
	 * reported (seen under load on 6.18, by bpftrace too). The task's
	 * next switch-out finds it running; the kernel's own run time tells
	 * when it started, so no time goes missing.
	 */
	__u64 switches_inferred;
	/* --stacks: voluntary switch-outs whose stack was not kept (map or ring full) */
	__u64 stacks;
	/*
	 * intervals not put in a task's histogram: its bucket held 2^32 - 1;
	 * and requests not put in their process's bill histogram: no room
	 */
	__u64 hists;
};

/*
 * The first processes traced, for a check on the hot path that needs no
 * helper call: every task of the machine passes through sched_switch and
 * sys_exit, and a task storage lookup costs more than the empty handler.
 */
#define KSEE_FAST_TGIDS		8

/* What the task iterator does when user space runs it. */
enum ksee_iter_mode {
	KSEE_ITER_ADOPT = 1,	/* create storage for tasks of traced processes */
	KSEE_ITER_DUMP = 2,	/* write every live traced task as struct ksee_ktask */
};

#endif /* __KSEE_H */

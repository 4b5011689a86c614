// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksee kernel side: per-task aggregates of what the scheduler, the syscall
 * layer and io_uring did to the tasks of the traced processes.
 *
 * Hot path rule: every handler here runs for every task of the machine.
 * The first thing each one does is a task local storage lookup, which is
 * a pointer walk, not a hash; only tasks of traced processes have storage.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/usdt.bpf.h>
#include "ksee.h"

char LICENSE[] SEC("license") = "GPL";

#define PF_EXITING		0x00000004
#define PF_IO_WORKER		0x00000010
#define IORING_ENTER_GETEVENTS	1U
#define ENOSYS			38

/* Wake the reader only when this much is waiting; it also drains on a timer. */
#define RB_WAKEUP_BYTES		(256 * 1024)

/* Filled by user space before load: syscall number -> enum ksee_reason. */
const volatile __u8 sys_family[KSEE_MAX_SYSCALLS];

/*
 * --syscalls: the sys_exit hook is attached and closes each syscall (calls,
 * time in the call, epoll events). Without it (the default: on a switch
 * storm a hook on every syscall of the machine costs about as much as all
 * the rest of ksee), a sleep inside a syscall is counted as a blocked call
 * of its family when it happens, from the registers saved at kernel entry;
 * its time is the off-CPU time of that reason, which user space copies.
 */
const volatile bool syscalls_on;
/* The io_uring tracepoints are attached (they count SQEs; else sys_exit does). */
const volatile bool uring_tps_on;

/* --timeline: stream state changes; wake the reader past this many bytes. */
const volatile bool timeline_on;
const volatile __u64 timeline_wakeup_bytes = 1 << 20;

/* --stacks: kernel and user stack of each voluntary switch-out (see stack_out()). */
const volatile bool stacks_on;

/* Set by user space before each run of the task iterator. */
__u32 iter_mode;
__u64 iter_now;
__u32 iter_flags;	/* extra enum ksee_task_flags for adopted tasks */

struct ksee_drops drops;

/*
 * attach: the end of its window (CLOCK_MONOTONIC, set by user space); from
 * then on nothing is counted, and user space closes what was open at that
 * instant. 0: no end set.
 */
__u64 window_end_ns;

static __always_inline bool window_closed(__u64 now)
{
	__u64 end = window_end_ns;

	return end && now >= end;
}

/* Tasks of all traced processes on CPUs now, and at most at one instant. */
__s32 running_all;
__u32 peak_running_all;

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ksee_ktask);
} tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, KSEE_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct ksee_proc);
} procs SEC(".maps");

/* By tgid: the bill's latency histogram of a process whose markers billed requests. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, KSEE_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct ksee_bill_hist);
} bills SEC(".maps");

/* Indexed by ksee_proc.slot: the switch path's counters, without a hash lookup. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, KSEE_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct ksee_proc_running);
} proc_running SEC(".maps");

/* The next slot to hand out, by the kernel side and user space alike. */
__u32 next_slot;

/*
 * The tgids of the first KSEE_FAST_TGIDS traced processes, claimed with
 * an atomic add by the kernel side (forks) and user space (targets). Past
 * that many, every task goes through the task storage lookup. Entries
 * are never removed: a stale one only costs that lookup.
 */
__u32 fast_tgids[KSEE_FAST_TGIDS];
__u32 nfast_tgids;

static __always_inline bool maybe_traced(struct task_struct *t)
{
	__u32 n = nfast_tgids, tgid = t->tgid;

	if (n > KSEE_FAST_TGIDS)
		return true;
	return (n > 0 && tgid == fast_tgids[0]) || (n > 1 && tgid == fast_tgids[1]) ||
	       (n > 2 && tgid == fast_tgids[2]) || (n > 3 && tgid == fast_tgids[3]) ||
	       (n > 4 && tgid == fast_tgids[4]) || (n > 5 && tgid == fast_tgids[5]) ||
	       (n > 6 && tgid == fast_tgids[6]) || (n > 7 && tgid == fast_tgids[7]);
}

/* A new traced process: into the fast filter while there is room. */
static __always_inline void fast_add(__u32 tgid)
{
	__u32 i = __sync_fetch_and_add(&nfast_tgids, 1);

	if (i < KSEE_FAST_TGIDS)
		fast_tgids[i] = tgid;
}

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, KSEE_MAX_EDGES);
	__type(key, struct ksee_edge_key);
	__type(value, struct ksee_edge);
} edges SEC(".maps");

struct uring_req {
	__u64 submit_ns;
	__u32 tgid;
	__u16 opcode;
	__u16 punted;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, KSEE_MAX_INFLIGHT);
	__type(key, __u64);	/* struct io_kiocb address */
	__type(value, struct uring_req);
} uring_inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct ksee_uring_key);
	__type(value, struct ksee_uring_op);
} uring_ops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, KSEE_MAX_AWAITING);
	__type(key, struct ksee_await_key);
	__type(value, struct ksee_await);
} awaiting SEC(".maps");

/*
 * Which process submits to an io_uring instance (struct io_ring_ctx): a
 * completion may be posted in any context, and its request's submission
 * is not always seen before it (uring_inflight misses those).
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u32);
} ring_owner SEC(".maps");

/* --markers=usdt: the requests alive now, for their bill (allocated as they start). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, KSEE_MAX_AWAITING);
	__type(key, struct ksee_await_key);
	__type(value, struct ksee_live_req);
} live_reqs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);	/* bursts of dying tasks: ~8000 records */
} events SEC(".maps");

/* Sized by user space: one page when the timeline is off. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} timeline SEC(".maps");

/*
 * --stacks. Sized by user space; one entry (one page for the ring) when
 * off, and no handler touches them then.
 */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, KSEE_KSTACK_DEPTH * sizeof(__u64));
} kstacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct ksee_stack_key);
	__type(value, struct ksee_stack_val);
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} ustacks SEC(".maps");

/* Zeroed templates for map inserts: the values are too big for the stack. */
static const struct ksee_proc zero_proc;
static const struct ksee_uring_op zero_op;
static const struct ksee_kstats zero_stats;
static const struct ksee_bill_hist zero_bill = { .type = KSEE_REC_BILL };

static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 r = ksee_log2(v);

	return r < KSEE_SLOTS ? r : KSEE_SLOTS - 1;
}

static __always_inline __u32 family_of(__u32 nr)
{
	__u32 f;

	if (nr >= KSEE_MAX_SYSCALLS)
		return KSEE_R_OTHER;
	barrier_var(nr);
	f = sys_family[nr & (KSEE_MAX_SYSCALLS - 1)];
	return f < KSEE_R_NR ? f : KSEE_R_OTHER;
}

/* One more interval in a 32-bit histogram bucket; a full bucket stays full, counted. */
static __always_inline void hist_inc(__u32 *bucket)
{
	if (*bucket != (__u32)-1)
		(*bucket)++;
	else
		__sync_fetch_and_add(&drops.hists, 1);
}

static __always_inline __u64 rb_flags(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= RB_WAKEUP_BYTES ?
		BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/* A fresh proc_running entry for a new process. */
static __always_inline __u32 new_slot(void)
{
	struct ksee_proc_running *r;
	__u32 slot = __sync_fetch_and_add(&next_slot, 1) % KSEE_MAX_PROCS;

	r = bpf_map_lookup_elem(&proc_running, &slot);
	if (r) {
		r->running = 0;
		r->peak = 0;
		r->marks_tls_off = 0;
	}
	return slot;
}

/*
 * The syscall @t is inside, or -1. There is no sys_enter hook (it would
 * run on every syscall of the machine): the registers saved at kernel
 * entry tell. The syscall entry stores -ENOSYS in ax until the call
 * returns; an exception (a page fault) keeps the user's ax and puts its
 * error code in orig_ax.
 */
static __always_inline long syscall_of(struct task_struct *t)
{
	struct pt_regs *regs;

	if (t->flags & PF_IO_WORKER)
		return -1;
	regs = (struct pt_regs *)bpf_task_pt_regs(t);
	if (!regs || regs->orig_ax < 0 || regs->ax != (unsigned long)-ENOSYS)
		return -1;
	return regs->orig_ax;
}

/* One timeline record; compiled out of every handler when the timeline is off. */
static __always_inline void emit(const struct ksee_ktask *kt, __u16 type, __u32 arg, __u32 arg2,
				 __u64 now)
{
	struct ksee_event *e;
	__u64 flags;

	if (!timeline_on)
		return;
	e = bpf_ringbuf_reserve(&timeline, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&drops.events, 1);
		return;
	}
	e->ts_ns = now;
	e->tid = kt->st.tid;
	e->tgid = kt->st.tgid;
	e->arg = arg;
	e->arg2 = arg2;
	e->type = type;
	e->cpu = bpf_get_smp_processor_id();
	e->pad = 0;
	flags = bpf_ringbuf_query(&timeline, BPF_RB_AVAIL_DATA) >= timeline_wakeup_bytes ?
		BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	bpf_ringbuf_submit(e, flags);
}

/* Plain loads through @t, a BTF pointer: no helper calls. */
static __always_inline void refresh_identity(struct ksee_ktask *kt, struct task_struct *t)
{
	__builtin_memcpy(kt->st.comm, t->comm, sizeof(kt->st.comm));
	kt->st.uid = t->cred->uid.val;
}

/* Start accounting task @t of process @p; NULL if it cannot be tracked. */
static struct ksee_ktask *track_task(struct task_struct *t, struct ksee_proc *p,
				    __u64 now, __u32 flags)
{
	struct ksee_ktask *kt;

	kt = bpf_task_storage_get(&tasks, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!kt) {
		__sync_fetch_and_add(&drops.tasks, 1);
		return NULL;
	}
	if (kt->st.tid)
		return kt;	/* already tracked */
	kt->type = KSEE_REC_TASK;
	kt->st.tid = t->pid;
	kt->st.tgid = t->tgid;
	kt->st.ppid = t->real_parent->tgid;
	kt->st.start_ns = now;
	if (t->flags & PF_IO_WORKER)
		flags |= KSEE_TF_IO_WORKER;
	if (t->pid == t->tgid)
		flags |= KSEE_TF_LEADER;
	kt->st.flags = flags;
	kt->now.slot = p->slot;
	kt->now.exec_at_out = t->se.sum_exec_runtime;
	if (bpf_core_field_exists(t->sched_info))
		kt->now.run_delay = t->sched_info.run_delay;
	/*
	 * A task's name and uid are read where they are final: at its death,
	 * its exec, or the dump of the live ones; not at every thread's birth.
	 */
	if ((flags & KSEE_TF_LEADER) && !p->ppid) {
		/* registered by user space: complete it from its leader */
		refresh_identity(kt, t);
		p->ppid = kt->st.ppid;
		p->uid = kt->st.uid;
		__builtin_memcpy(p->comm, kt->st.comm, sizeof(p->comm));
	}
	__sync_fetch_and_add(&p->live_tasks, 1);
	__sync_fetch_and_add(&p->tasks_seen, 1);
	return kt;
}

/* The last task of @tgid died: hand its process record over and forget it. */
static void proc_done(__u32 tgid, struct ksee_proc *p, __u64 now)
{
	struct ksee_bill_hist *bill;
	struct ksee_proc_running *r;
	struct ksee_proc_rec *rec;
	__u32 slot = p->slot;

	p->end_ns = now;
	r = bpf_map_lookup_elem(&proc_running, &slot);
	if (r && r->peak > p->peak_running)
		p->peak_running = r->peak;
	bill = bpf_map_lookup_elem(&bills, &tgid);
	if (bill) {
		if (bpf_ringbuf_output(&events, bill, sizeof(*bill), rb_flags()))
			__sync_fetch_and_add(&drops.ringbuf, 1);	/* read from the map at the end */
		else
			bpf_map_delete_elem(&bills, &tgid);
	}
	rec = bpf_ringbuf_reserve(&events, sizeof(*rec), 0);
	if (!rec) {
		__sync_fetch_and_add(&drops.ringbuf, 1);
		return;	/* keep the entry: user space reads it from the map at the end */
	}
	rec->type = KSEE_REC_PROC;
	rec->pad = 0;
	bpf_probe_read_kernel(&rec->proc, sizeof(rec->proc), p);
	bpf_ringbuf_submit(rec, rb_flags());
	bpf_map_delete_elem(&procs, &tgid);
}

/*
 * Wakeups by the same waker pile up in the wakee's storage (a wakee is
 * mostly woken by one waker: a lock holder, a writer, a timer) and go to
 * the edges hash only when the waker changes or the wakee dies.
 */
static void flush_edge(struct ksee_ktask *kt)
{
	struct ksee_edge_key key;
	struct ksee_edge *e, init = {};

	if (!kt->now.waker_pending)
		return;
	key.wakee_tgid = kt->st.tgid;
	key.wakee_tid = kt->st.tid;
	key.waker_tid = kt->now.waker_tid;
	key.waker_tgid = kt->now.waker_tgid;
	key.flags = kt->now.waker_flags;
	e = bpf_map_lookup_elem(&edges, &key);
	if (!e) {
		__builtin_memcpy(init.waker_comm, kt->now.waker_comm, sizeof(init.waker_comm));
		bpf_map_update_elem(&edges, &key, &init, BPF_NOEXIST);
		e = bpf_map_lookup_elem(&edges, &key);
	}
	if (e)
		__sync_fetch_and_add(&e->count, kt->now.waker_pending);
	else
		__sync_fetch_and_add(&drops.edges, kt->now.waker_pending);
	kt->now.waker_pending = 0;
}

/*
 * @kt died: its storage goes to user space as it is, the wakeups still
 * pending in it included (user space counts them as an edge: no hash
 * insert for a thread that dies, most of them woken by one waker).
 */
static void task_done(struct ksee_ktask *kt, struct task_struct *t, __u64 now)
{
	struct ksee_proc *p;
	__u32 tgid = kt->st.tgid;

	kt->st.end_ns = now;
	kt->st.flags |= KSEE_TF_EXITED;
	kt->st.exit_code = t->exit_code;
	refresh_identity(kt, t);
	if (bpf_ringbuf_output(&events, kt, sizeof(*kt), rb_flags()))
		__sync_fetch_and_add(&drops.ringbuf, 1);

	p = bpf_map_lookup_elem(&procs, &tgid);
	if (p && (kt->st.flags & KSEE_TF_LEADER))
		p->uid = kt->st.uid;	/* as it ended, after any setuid() */
	if (p && __sync_fetch_and_add(&p->live_tasks, -1) == 1)
		proc_done(tgid, p, now);
}

/* --stacks: the sleep that began at the switch-out of @kt lasted @blocked ns. */
static __always_inline void stack_in(struct ksee_ktask *kt, __u64 blocked)
{
	struct ksee_stack_val *v;

	kt->now.stack_pending = 0;
	v = bpf_map_lookup_elem(&stacks, &kt->now.stack_key);
	if (v)
		v->blocked_ns += blocked;	/* one task per key: no other writer */
}

/*
 * A copy of the user stack from @key->usp up, with the registers saved at
 * kernel entry, for user space to unwind with the binaries' unwind tables
 * (programs and glibc have no frame pointers). Read page by page: the
 * copy ends where the stack's mapping does.
 */
static __noinline int send_ustack(const struct ksee_stack_key *key, struct pt_regs *regs)
{
	struct ksee_ustack_rec *rec;
	__u64 sp = key->usp, first, off;
	int i;

	rec = bpf_ringbuf_reserve(&ustacks, sizeof(*rec), 0);
	if (!rec)
		return -1;
	rec->key = *key;
#if defined(__TARGET_ARCH_x86)
	rec->regs[0] = regs->ax;
	rec->regs[1] = regs->dx;
	rec->regs[2] = regs->cx;
	rec->regs[3] = regs->bx;
	rec->regs[4] = regs->si;
	rec->regs[5] = regs->di;
	rec->regs[6] = regs->bp;
	rec->regs[7] = regs->sp;
	rec->regs[8] = regs->r8;
	rec->regs[9] = regs->r9;
	rec->regs[10] = regs->r10;
	rec->regs[11] = regs->r11;
	rec->regs[12] = regs->r12;
	rec->regs[13] = regs->r13;
	rec->regs[14] = regs->r14;
	rec->regs[15] = regs->r15;
	rec->regs[16] = regs->ip;
#else
	__builtin_memset(rec->regs, 0, sizeof(rec->regs));
#endif
	rec->size = 0;
	rec->pad = 0;
	first = 4096 - (sp & 4095);
	if (!bpf_probe_read_user(rec->data, first, (void *)sp)) {
		rec->size = first;
		for (i = 0; i < KSEE_USTACK_BYTES / 4096 - 1; i++) {
			off = first + i * 4096;
			if (off > KSEE_USTACK_BYTES - 4096)
				break;
			if (bpf_probe_read_user(rec->data + off, 4096, (void *)(sp + off)))
				break;
			rec->size = off + 4096;
		}
	}
	bpf_ringbuf_submit(rec, BPF_RB_FORCE_WAKEUP);	/* rare: once per new stack */
	return 0;
}

/*
 * --stacks: @t (current) goes to sleep. Its kernel stack goes to the
 * kstacks map (deduplicated by the kernel), its user stack is known by
 * the registers saved at kernel entry; the first time a (task, stacks,
 * reason) key is seen, the user stack is copied out to be unwound. The
 * count is kept now, the time at the switch-in.
 */
static __noinline void stack_out(void *ctx, struct ksee_ktask *kt, struct task_struct *t)
{
	struct ksee_stack_key *key = &kt->now.stack_key;
	struct ksee_stack_val *v, zero = {};
	struct pt_regs *regs = NULL;

	key->tgid = kt->st.tgid;
	key->tid = kt->st.tid;
	key->reason = kt->now.reason_out;
	key->kstack = bpf_get_stackid(ctx, &kstacks, 0);
	key->uip = key->usp = key->ubp = 0;
	if (!(t->flags & PF_IO_WORKER)) {
		regs = (struct pt_regs *)bpf_task_pt_regs(t);
		if (regs) {
			key->uip = PT_REGS_IP_CORE(regs);
			key->usp = PT_REGS_SP_CORE(regs);
			key->ubp = PT_REGS_FP_CORE(regs);
		}
	}
	kt->now.stack_pending = 0;
	v = bpf_map_lookup_elem(&stacks, key);
	if (!v) {
		bpf_map_update_elem(&stacks, key, &zero, BPF_NOEXIST);	/* full: no entry */
		v = bpf_map_lookup_elem(&stacks, key);
		if (!v) {
			__sync_fetch_and_add(&drops.stacks, 1);
			return;
		}
		if (key->uip && regs && send_ustack(key, regs)) {
			/* no copy, no entry: the next sleep here tries again */
			bpf_map_delete_elem(&stacks, key);
			__sync_fetch_and_add(&drops.stacks, 1);
			return;
		}
	}
	v->count++;
	kt->now.stack_pending = 1;
}

/*
 * @t's sched_info.run_delay as the kernel is about to count it: what it
 * holds (a wait cut short by a migration is added when the task leaves its
 * first run queue), plus the wait that sched_info_arrive() adds right after
 * the sched_switch tracepoint, from the enqueue (last_queued) to now on the
 * run queue's clock. -1: the kernel does not tell (no sched_info, or no
 * way to its run queue).
 */
static __always_inline __u64 kernel_run_delay(struct task_struct *t)
{
	__u64 rd, queued, clock;

	if (!bpf_core_field_exists(t->sched_info) || !bpf_core_field_exists(t->se.cfs_rq))
		return (__u64)-1;
	rd = t->sched_info.run_delay;
	queued = t->sched_info.last_queued;
	if (queued) {
		clock = t->se.cfs_rq->rq->clock;
		if (clock > queued)
			rd += clock - queued;
	}
	return rd;
}

/* The run-queue wait the kernel counted for @t since ksee last looked; -1: unknown. */
static __always_inline __u64 kernel_runq_wait(struct ksee_ktask *kt, struct task_struct *t)
{
	__u64 rd = kernel_run_delay(t), wait;

	if (rd == (__u64)-1)
		return rd;
	wait = rd > kt->now.run_delay ? rd - kt->now.run_delay : 0;
	kt->now.run_delay = rd;
	return wait;
}

/*
 * @counts: whether the running counts change; not when a task hands its
 * CPU to another task of the same process (the switch storms of thread
 * pools and lock convoys), which saves four atomics per switch.
 */
static __always_inline void switch_in(struct ksee_ktask *kt, struct task_struct *t, __u64 now,
				      bool counts)
{
	__u64 out = kt->now.switch_out_ns, wake = kt->now.wake_ns;
	__u64 blocked = 0, runnable = 0, runq, lat = 0;
	__u32 reason = kt->now.reason_out, cpu = bpf_get_smp_processor_id();
	struct ksee_proc_running *r;
	__u32 slot = kt->now.slot;
	__s32 running;

	runq = kernel_runq_wait(kt, t);
	if (out) {
		hist_inc(&kt->st.off_hist[log2_slot(now - out)]);
		if (wake >= out) {
			blocked = wake - out;
			runnable = now - wake;
		} else if (runq != (__u64)-1) {
			/* the wakeup was not seen: the kernel's wait was no sleep */
			runnable = runq < now - out ? runq : now - out;
			blocked = now - out - runnable;
		} else {
			blocked = now - out;
		}
	} else if (wake) {
		runnable = now - wake;	/* a new task: runnable since it was created */
	}
	/* the kernel does not tell, or its wait began before ksee looked */
	if (runq == (__u64)-1 || (kt->now.adopted_queued && runq > runnable))
		runq = runnable;
	if (kt->now.woken && wake >= out && out)
		lat = runnable > runq ? runnable - runq : 0;
	if (blocked) {
		if (reason >= KSEE_R_NR)
			reason = KSEE_R_OTHER;
		kt->st.blocked_ns[reason] += blocked;
		if (kt->now.held_out)
			kt->st.held_blocked_ns[reason] += blocked;
		if (ksee_state_uninterruptible(kt->now.state_out))
			kt->st.uninterruptible_ns += blocked;
		if (kt->now.sys_switches)
			kt->now.sys_blocked_ns += blocked;
	}
	/* the bill's parts add up: runnable = waking up + waiting for a CPU */
	if (kt->now.held_out) {
		kt->st.held_runq_ns += runnable - lat;
		kt->st.held_wakelat_ns += lat;
		kt->now.held_out = 0;
	}
	if (stacks_on && kt->now.stack_pending)
		stack_in(kt, blocked);
	if (runq) {
		kt->st.runq_ns += runq;
		kt->st.runq_count++;
		hist_inc(&kt->st.runq_hist[log2_slot(runq)]);
	}
	if (lat) {
		kt->st.wakelat_ns += lat;
		kt->st.wakelat_count++;
		hist_inc(&kt->st.wakelat_hist[log2_slot(lat)]);
	}
	kt->now.switch_in_ns = now;
	kt->now.switch_out_ns = 0;
	kt->now.wake_ns = 0;
	kt->now.woken = 0;
	kt->now.woken_early = 0;
	kt->now.adopted_queued = 0;
	kt->st.cpus_mask |= 1ULL << (cpu < 63 ? cpu : 63);
	emit(kt, KSEE_EV_RUN, cpu, 0, now);
	if (!counts)
		return;
	running = __sync_fetch_and_add(&running_all, 1) + 1;
	if (running > 0 && (__u32)running > peak_running_all)
		peak_running_all = running;

	r = bpf_map_lookup_elem(&proc_running, &slot);
	if (r) {
		running = __sync_fetch_and_add(&r->running, 1) + 1;
		if (running > 0 && (__u32)running > r->peak)
			r->peak = running;
	}
}

/*
 * @t is running, yet no switch-in of it was seen since its last
 * switch-out. It began to run when its run time, as the kernel counts it,
 * began to grow again: account that switch-in now. A preempted task began
 * when its run-queue wait ended (its run time leaves out what a hypervisor
 * stole, which would be a hole between the two).
 */
static __always_inline void repair_switch_in(struct ksee_ktask *kt, struct task_struct *t,
					     __u64 now)
{
	__u64 out = kt->now.switch_out_ns, ran, in, rd;

	if (kt->now.switch_in_ns || !out)
		return;
	ran = t->se.sum_exec_runtime - kt->now.exec_at_out;
	in = now - ran;
	if (ran > now || in < out)
		in = out;
	if (!kt->now.woken && kt->now.wake_ns == out) {
		rd = kernel_run_delay(t);
		if (rd != (__u64)-1 && rd >= kt->now.run_delay &&
		    rd - kt->now.run_delay <= now - out)
			in = out + rd - kt->now.run_delay;
	}
	if (kt->now.wake_ns > in)
		kt->now.wake_ns = in;
	switch_in(kt, t, in, true);
	__sync_fetch_and_add(&drops.switches_inferred, 1);
}

/*
 * @kt went to sleep inside syscall @nr. Without --syscalls that sleep is
 * a blocked call of its family now; with it, sys_exit closes the call.
 */
static __always_inline void asleep_in_syscall(struct ksee_ktask *kt, long nr, __u64 now)
{
	__u32 fam = family_of(nr);

	kt->now.reason_out = fam;
	if (!syscalls_on) {
		if (fam < KSEE_R_NR)
			kt->st.sys[fam].blocked_calls++;
		return;
	}
	if (!kt->now.sys_block_ns)
		kt->now.sys_block_ns = now;
	kt->now.sys_switches++;
}

/*
 * The marker block of @t (current) from its thread pointer, where its
 * process told where the blocks lie (see ksee_marks()); 0: not known, or
 * not registered (yet): a thread registers at its first marker. x86-64
 * only: elsewhere each thread hands its block over itself.
 */
static __always_inline __u64 marks_addr(struct task_struct *t,
					 const struct ksee_proc_running *r)
{
#if defined(__TARGET_ARCH_x86)
	if (!r || !r->marks_tls_off || (t->flags & PF_IO_WORKER))
		return 0;
	return t->thread.fsbase + r->marks_tls_off;
#else
	return 0;
#endif
}

/* Its process's running entry (@r, looked up by the caller) tells where. */
static __always_inline void marks_find(struct ksee_ktask *kt, struct task_struct *t,
				       const struct ksee_proc_running *r)
{
	__u64 addr = marks_addr(t, r), magic = 0;

	if (addr && !bpf_probe_read_user(&magic, sizeof(magic), (void *)addr) &&
	    magic == KSEE_MARKS_MAGIC)
		kt->now.marks = addr;
}

/*
 * Whether a request holds the task that is switching out (current), from
 * its marker block: the off-CPU time that follows is then the request's.
 */
static __always_inline void held_at_switch_out(struct ksee_ktask *kt)
{
	__u64 holding = 0;

	bpf_probe_read_user(&holding, sizeof(holding),
			    (void *)(kt->now.marks + offsetof(struct ksee_marks, holding)));
	kt->now.held_out = holding == 1;
}

static __always_inline void switch_out(struct ksee_ktask *kt, struct task_struct *prev,
				       bool preempt, unsigned int state, __u64 now, bool counts)
{
	struct ksee_proc_running *r;
	__u32 slot = kt->now.slot;
	long nr;

	/* one lookup for the running counts and the marker blocks' offset */
	r = bpf_map_lookup_elem(&proc_running, &slot);
	kt->now.exec_at_out = prev->se.sum_exec_runtime;
	if (kt->now.switch_in_ns)
		kt->st.on_cpu_ns += now - kt->now.switch_in_ns;
	if (kt->now.switch_in_ns && counts) {
		__sync_fetch_and_add(&running_all, -1);
		if (r)
			__sync_fetch_and_add(&r->running, -1);
	}
	kt->now.switch_in_ns = 0;
	kt->now.switch_out_ns = now;
	kt->now.state_out = state;
	/* not once exiting: the exit folded the block, and a dead task's memory is gone */
	if (!kt->now.marks && !(prev->flags & PF_EXITING))
		marks_find(kt, prev, r);
	if (kt->now.marks)
		held_at_switch_out(kt);
	else if (kt->now.holding)
		kt->now.held_out = 1;	/* --markers=usdt */

	if (state & KSEE_TASK_DEAD) {
		/* the kernel counts the last switch of a dying task as voluntary */
		kt->st.voluntary++;
		emit(kt, KSEE_EV_EXIT, prev->exit_code, 0, now);
		task_done(kt, prev, now);
	} else if (ksee_switch_runnable(preempt, state)) {
		kt->st.involuntary++;
		kt->now.wake_ns = now;	/* still runnable: waiting for a CPU from now */
		kt->now.woken = 0;
		kt->now.reason_out = KSEE_R_NONE;
		emit(kt, KSEE_EV_PREEMPT, 0, 0, now);
	} else {
		kt->st.voluntary++;
		kt->now.wake_ns = 0;
		kt->now.woken = 0;
		nr = syscall_of(prev);
		if (nr >= 0)
			asleep_in_syscall(kt, nr, now);
		else
			kt->now.reason_out = KSEE_R_NONE;
		emit(kt, KSEE_EV_BLOCK, kt->now.reason_out, ksee_state_uninterruptible(state), now);
		if (kt->now.woken_early) {
			/*
			 * Woken on another CPU while it was still switching
			 * out: it never slept, it is runnable from now.
			 */
			kt->now.wake_ns = now;
			kt->now.woken = 1;
			emit(kt, KSEE_EV_WAKE, kt->now.waker_tid, kt->now.waker_tgid, now);
		}
	}
	kt->now.woken_early = 0;
}

/*
 * Whether this CPU is in interrupt context, where `current` is only the
 * task that happened to be interrupted, not the waker. The kernel keeps
 * that in preempt_count, a per-CPU variable that BPF cannot find on
 * kernels without CONFIG_KALLSYMS_ALL (this one), so we count it
 * ourselves from the interrupt, softirq and hrtimer tracepoints.
 *
 * One softirq case names a task: the network stack's (NET_TX, NET_RX)
 * run in the context of the task that raised it, when it enables bottom
 * halves again on its way out of a syscall (a send over loopback delivers
 * to the receiver right there), rather than on the way out of a hardware
 * interrupt. Such a softirq began with no hardware interrupt exit before
 * it since this CPU last ran task code (a switch, or a wakeup done at
 * depth 0) and not in a kernel thread (ksoftirqd, the idle task).
 */
struct irq_state {
	__u32 depth;
	__u32 after_hardirq;	/* a hardware interrupt ended since task code last ran */
	__u32 task_softirq;	/* the outermost level is a NET softirq in task context */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct irq_state);
} irq_depth SEC(".maps");

#define NET_TX_SOFTIRQ		2
#define NET_RX_SOFTIRQ		3
#define PF_KTHREAD		0x00200000
#define PF_IDLE			0x00000002

static __always_inline struct irq_state *irq_state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&irq_depth, &zero);
}

static __always_inline void irq_enter(void)
{
	struct irq_state *d = irq_state();

	if (d)
		d->depth++;
}

/* @hard: the end of a hardware interrupt handler (or a timer callback in one). */
static __always_inline void irq_leave(bool hard)
{
	struct irq_state *d = irq_state();

	if (!d)
		return;
	if (d->depth)
		d->depth--;
	if (hard)
		d->after_hardirq = 1;
	if (!d->depth)
		d->task_softirq = 0;
}

static __always_inline void softirq_enter(unsigned int vec)
{
	struct irq_state *d = irq_state();
	struct task_struct *cur;

	if (!d)
		return;
	if (!d->depth++) {
		cur = bpf_get_current_task_btf();
		d->task_softirq = (vec == NET_TX_SOFTIRQ || vec == NET_RX_SOFTIRQ) &&
				  !d->after_hardirq && !(cur->flags & (PF_KTHREAD | PF_IDLE)) &&
				  cur->pid;
	}
}

/*
 * schedule() never runs in interrupt context: a depth left over here came
 * from an entry seen without its exit (the exit handler was not attached
 * yet), and would make every later waker on this CPU an interrupt.
 */
static __always_inline void irq_reset(void)
{
	struct irq_state *d = irq_state();

	if (d && (d->depth || d->after_hardirq)) {
		d->depth = 0;
		d->after_hardirq = 0;
		d->task_softirq = 0;
	}
}

/* 0: task context; 1: interrupt context; 2: a NET softirq in the current task's context. */
static __always_inline int irq_context(void)
{
	struct irq_state *d = irq_state();

	if (!d)
		return 0;
	if (!d->depth) {
		d->after_hardirq = 0;	/* task code runs here */
		return 0;
	}
	return d->depth == 1 && d->task_softirq ? 2 : 1;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(ksee_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	struct ksee_ktask *kp, *kn;
	bool counts;
	__u64 now;

	kp = maybe_traced(prev) ? bpf_task_storage_get(&tasks, prev, 0, 0) : NULL;
	if (kp && (kp->st.flags & KSEE_TF_EXITED))
		kp = NULL;
	kn = maybe_traced(next) ? bpf_task_storage_get(&tasks, next, 0, 0) : NULL;
	if (kn && (kn->st.flags & KSEE_TF_EXITED))
		kn = NULL;
	if (kp) {
		now = bpf_ktime_get_ns();
		if (window_closed(now)) {
			/* frozen as it was at the end; a dying task still hands its record over */
			if (prev_state & KSEE_TASK_DEAD)
				task_done(kp, prev, now);
			return 0;
		}
		repair_switch_in(kp, prev, now);
	} else if (kn) {
		now = bpf_ktime_get_ns();
		if (window_closed(now))
			return 0;
	} else {
		return 0;
	}
	irq_reset();
	counts = !kp || !kn || !kp->now.switch_in_ns || kp->now.slot != kn->now.slot;
	if (kp) {
		switch_out(kp, prev, preempt, prev_state, now, counts);
		/* not before the exec of `ksee run`'s child: that is ksee's own code */
		if (stacks_on && !ksee_switch_runnable(preempt, prev_state) &&
		    !(prev_state & KSEE_TASK_DEAD) && !(kp->st.flags & KSEE_TF_PREEXEC))
			stack_out(ctx, kp, prev);
	}
	if (kn)
		switch_in(kn, next, now, counts);
	return 0;
}

/* Exits are declared (and so attached) before entries; see irq_reset(). */
SEC("tp_btf/irq_handler_exit")
int BPF_PROG(ksee_irq_exit, int irq, struct irqaction *action, int ret)
{
	irq_leave(true);
	return 0;
}

SEC("tp_btf/softirq_exit")
int BPF_PROG(ksee_softirq_exit, unsigned int vec)
{
	irq_leave(false);
	return 0;
}

SEC("tp_btf/hrtimer_expire_exit")
int BPF_PROG(ksee_hrtimer_exit, struct hrtimer *timer)
{
	irq_leave(true);
	return 0;
}

SEC("tp_btf/irq_handler_entry")
int BPF_PROG(ksee_irq_entry, int irq, struct irqaction *action)
{
	irq_enter();
	return 0;
}

SEC("tp_btf/softirq_entry")
int BPF_PROG(ksee_softirq_entry, unsigned int vec)
{
	softirq_enter(vec);
	return 0;
}

/* Timer callbacks in hard interrupt context: where sleeps end. */
SEC("tp_btf/hrtimer_expire_entry")
int BPF_PROG(ksee_hrtimer_entry, struct hrtimer *timer, ktime_t *now)
{
	irq_enter();
	return 0;
}

/*
 * @p is current on its CPU by ksee's account but already off its run
 * queue: inside __schedule(), between its dequeue and the sched_switch
 * event. A task still queued (a wakeup that came before it went to
 * sleep) stays runnable and its switch-out, if any, is not a sleep.
 */
static __always_inline bool switching_out(struct task_struct *p)
{
	if (!p->on_rq)
		return true;
	return bpf_core_field_exists(p->se.sched_delayed) && p->se.sched_delayed;
}

/*
 * Who woke whom, and from when the wakee waits for a CPU. sched_waking
 * runs in the waker's context; sched_wakeup (not hooked: one hook fewer
 * on every wakeup of the machine) would run where the wakee is enqueued,
 * a little later.
 */
SEC("tp_btf/sched_waking")
int BPF_PROG(ksee_waking, struct task_struct *p)
{
	struct task_struct *cur;
	struct ksee_ktask *kt;
	__u32 tid, tgid, flags = 0;
	__u64 now;
	int where;

	if (!maybe_traced(p))
		return 0;
	kt = bpf_task_storage_get(&tasks, p, 0, 0);
	if (!kt || (kt->st.flags & KSEE_TF_EXITED))
		return 0;
	now = bpf_ktime_get_ns();
	if (window_closed(now))
		return 0;
	kt->st.wakeups++;
	if (kt->now.switch_out_ns && !kt->now.wake_ns) {
		kt->now.wake_ns = now;
		kt->now.woken = 1;
	} else if (kt->now.switch_in_ns && switching_out(p)) {
		kt->now.woken_early = 1;
	}
	cur = bpf_get_current_task_btf();
	where = irq_context();
	if (where == 1) {
		tid = 0;
		tgid = KSEE_WAKER_IRQ;
	} else {
		tid = cur->pid;
		tgid = cur->tgid;
		if (where == 2)
			flags = KSEE_EDGE_SOFTIRQ;
	}
	emit(kt, KSEE_EV_WAKE, tid, tgid, now);
	if (kt->now.waker_pending && kt->now.waker_tid == tid && kt->now.waker_tgid == tgid &&
	    kt->now.waker_flags == flags) {
		kt->now.waker_pending++;
		return 0;
	}
	flush_edge(kt);
	kt->now.waker_tid = tid;
	kt->now.waker_tgid = tgid;
	kt->now.waker_flags = flags;
	kt->now.waker_pending = 1;
	if (tgid == KSEE_WAKER_IRQ)
		kt->now.waker_comm[0] = 0;
	else
		bpf_probe_read_kernel_str(kt->now.waker_comm, sizeof(kt->now.waker_comm),
					  cur->comm);
	return 0;
}

/*
 * Every new task passes here, including io_uring workers, which are made
 * by create_io_thread() without a sched_process_fork event.
 */
SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(ksee_wakeup_new, struct task_struct *p)
{
	struct ksee_ktask *kt;
	struct ksee_proc *proc;
	__u32 tgid;

	if (!maybe_traced(p))
		return 0;
	if (window_end_ns && window_closed(bpf_ktime_get_ns()))
		return 0;
	kt = bpf_task_storage_get(&tasks, p, 0, 0);
	if (!kt) {
		tgid = p->tgid;
		proc = bpf_map_lookup_elem(&procs, &tgid);
		if (!proc)
			return 0;
		kt = track_task(p, proc, bpf_ktime_get_ns(), 0);
		if (!kt)
			return 0;
	}
	kt->now.wake_ns = bpf_ktime_get_ns();
	emit(kt, KSEE_EV_NEW, bpf_get_current_pid_tgid(), 0, kt->now.wake_ns);
	return 0;
}

/* A forked child: the same program, its blocks where its parent's were. */
static __always_inline void marks_inherit(__u32 pslot, __u32 cslot)
{
	struct ksee_proc_running *rp, *rc;

	rp = bpf_map_lookup_elem(&proc_running, &pslot);
	rc = bpf_map_lookup_elem(&proc_running, &cslot);
	if (rp && rc)
		rc->marks_tls_off = rp->marks_tls_off;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(ksee_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	struct ksee_proc *pp, *cp;
	__u64 now;

	if (!maybe_traced(parent))
		return 0;	/* every fork of the machine passes here: no hash lookup */
	pp = bpf_map_lookup_elem(&procs, &ptgid);
	if (!pp)
		return 0;
	now = bpf_ktime_get_ns();
	if (window_closed(now))
		return 0;
	cp = pp;
	if (ctgid != ptgid) {
		if (bpf_map_update_elem(&procs, &ctgid, &zero_proc, BPF_NOEXIST) == 0) {
			cp = bpf_map_lookup_elem(&procs, &ctgid);
			if (!cp)
				return 0;
			cp->tgid = ctgid;
			cp->ppid = ptgid;
			cp->start_ns = now;
			cp->slot = new_slot();
			marks_inherit(pp->slot, cp->slot);
			fast_add(ctgid);
			cp->uid = BPF_CORE_READ(child, cred, uid.val);
			bpf_probe_read_kernel_str(cp->comm, sizeof(cp->comm), child->comm);
		} else {
			cp = bpf_map_lookup_elem(&procs, &ctgid);
			if (!cp) {
				__sync_fetch_and_add(&drops.procs, 1);
				return 0;
			}
		}
	}
	track_task(child, cp, now, 0);
	return 0;
}

/*
 * The child of `ksee run` was traced while it waited for the go-ahead;
 * what it did before exec was ksee's doing, not the program's.
 */
static void restart_at_exec(struct ksee_ktask *kt, struct task_struct *t, __u64 now)
{
	__u32 tid = kt->st.tid, tgid = kt->st.tgid, ppid = kt->st.ppid;
	__u32 flags = kt->st.flags & ~KSEE_TF_PREEXEC;
	struct ksee_proc *proc;

	repair_switch_in(kt, t, now);	/* the go-ahead raced with the adoption */
	bpf_probe_read_kernel(&kt->st, sizeof(kt->st), &zero_stats);
	kt->st.tid = tid;
	kt->st.tgid = tgid;
	kt->st.ppid = ppid;
	kt->st.flags = flags;
	kt->st.start_ns = now;
	if (kt->now.switch_in_ns)
		kt->now.switch_in_ns = now;
	kt->now.sys_switches = 0;	/* execve's own exit is not the program's */
	kt->now.stack_pending = 0;
	kt->now.sys_blocked_ns = 0;
	kt->now.sys_block_ns = 0;
	proc = bpf_map_lookup_elem(&procs, &tgid);
	if (proc)
		proc->start_ns = now;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(ksee_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct ksee_proc_running *r;
	struct ksee_ktask *kt;
	struct ksee_proc *proc;
	__u32 tgid, slot;

	kt = bpf_task_storage_get(&tasks, p, 0, 0);
	if (!kt)
		return 0;
	if (kt->st.flags & KSEE_TF_PREEXEC)
		restart_at_exec(kt, p, bpf_ktime_get_ns());
	if (kt->now.marks) {
		/* its marker block went with the old program */
		kt->now.marks = 0;
		__sync_fetch_and_add(&drops.marks_bad, 1);
	}
	slot = kt->now.slot;
	r = bpf_map_lookup_elem(&proc_running, &slot);
	if (r)
		r->marks_tls_off = 0;	/* and where its blocks were */
	refresh_identity(kt, p);
	tgid = p->tgid;
	proc = bpf_map_lookup_elem(&procs, &tgid);
	if (proc) {
		bpf_probe_read_kernel_str(proc->comm, sizeof(proc->comm), p->comm);
		proc->uid = kt->st.uid;
		__sync_fetch_and_add(&proc->execs, 1);
	}
	return 0;
}

static void marks_fold(struct ksee_ktask *kt);

SEC("tp_btf/sched_process_exit")
int BPF_PROG(ksee_exit, struct task_struct *p)
{
	struct ksee_ktask *kt;
	struct ksee_proc *proc;
	__u32 tgid, slot;

	kt = bpf_task_storage_get(&tasks, p, 0, 0);
	if (!kt)
		return 0;
	kt->st.exit_code = p->exit_code;
	slot = kt->now.slot;
	if (!kt->now.marks)
		marks_find(kt, p, bpf_map_lookup_elem(&proc_running, &slot));
	if (kt->now.marks)
		marks_fold(kt);	/* before exit_mm(): the thread's memory is still there */
	if (p->pid != p->tgid)
		return 0;
	tgid = p->tgid;
	proc = bpf_map_lookup_elem(&procs, &tgid);
	if (proc)
		proc->exit_code = p->exit_code;
	return 0;
}

SEC("tp_btf/sched_migrate_task")
int BPF_PROG(ksee_migrate, struct task_struct *p, int dest_cpu)
{
	struct ksee_ktask *kt;

	if (!maybe_traced(p))
		return 0;
	kt = bpf_task_storage_get(&tasks, p, 0, 0);
	if (kt && !(window_end_ns && window_closed(bpf_ktime_get_ns())))
		kt->st.migrations++;
	return 0;
}

/*
 * A syscall returns. Its number is in the registers saved at entry; if
 * and how long it blocked, switch_out() and switch_in() counted. No hook
 * on sys_enter, and no clock read for calls that did not block: their
 * time in the call counts as 0.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(ksee_sys_exit, struct pt_regs *regs, long ret)
{
	struct ksee_ktask *kt;
	struct ksee_proc *proc;
	struct task_struct *cur = bpf_get_current_task_btf();
	struct ksee_sys *s;
	__u64 dur = 0;
	__u32 fam, tgid;
	long nr;

	if (!maybe_traced(cur))
		return 0;
	nr = regs->orig_ax;	/* a BTF pointer: a plain load, no helper call */
	if (nr < 0)
		return 0;
	fam = family_of(nr);
	if (fam >= KSEE_R_NR)
		return 0;
	kt = bpf_task_storage_get(&tasks, cur, 0, 0);
	if (!kt)
		return 0;
	if (window_end_ns && window_closed(bpf_ktime_get_ns()))
		return 0;
	s = &kt->st.sys[fam];
	s->calls++;
	if (kt->now.sys_switches) {
		dur = bpf_ktime_get_ns() - kt->now.sys_block_ns;
		s->total_ns += dur;
		s->blocked_calls++;
		s->blocked_ns += kt->now.sys_blocked_ns;
		kt->now.sys_switches = 0;
		kt->now.sys_blocked_ns = 0;
		kt->now.sys_block_ns = 0;
	}
	if (fam == KSEE_R_EPOLL) {
		if (ret > 0)
			kt->st.epoll_events += ret;
		tgid = kt->st.tgid;
		proc = bpf_map_lookup_elem(&procs, &tgid);
		if (proc)
			proc->epoll_hist[log2_slot(dur)]++;
	} else if (fam == KSEE_R_IO_URING) {
		/* io_uring_enter(fd, to_submit, min_complete, flags, ...) */
		if (!uring_tps_on && ret > 0 && regs->si)
			kt->st.uring_submitted += ret;
		if ((regs->r10 & IORING_ENTER_GETEVENTS) && regs->dx)
			kt->st.uring_waits++;
	}
	return 0;
}

SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(ksee_uring_submit, struct io_kiocb *req)
{
	struct ksee_ktask *kt;
	struct uring_req r = {};
	__u64 key = (__u64)req, ring;
	__u32 *owner;

	kt = bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), 0, 0);
	if (!kt)
		return 0;
	kt->st.uring_submitted++;
	r.submit_ns = bpf_ktime_get_ns();
	r.tgid = kt->st.tgid;
	ring = (__u64)BPF_CORE_READ(req, ctx);
	owner = bpf_map_lookup_elem(&ring_owner, &ring);
	if (!owner || *owner != r.tgid)
		bpf_map_update_elem(&ring_owner, &ring, &r.tgid, BPF_ANY);
	r.opcode = BPF_CORE_READ(req, opcode);
	if (bpf_map_update_elem(&uring_inflight, &key, &r, BPF_ANY))
		__sync_fetch_and_add(&drops.uring, 1);
	return 0;
}

SEC("tp_btf/io_uring_queue_async_work")
int BPF_PROG(ksee_uring_async, struct io_kiocb *req, int rw)
{
	__u64 key = (__u64)req;
	struct uring_req *r;

	r = bpf_map_lookup_elem(&uring_inflight, &key);
	if (r)
		r->punted = 1;
	return 0;
}

/*
 * --markers=usdt: an io_uring request of process @tgid completed at @now.
 * If its user_data is the id of a live request awaiting (the program
 * passes the request's marker id as the SQE's user_data), that request's
 * I/O was ready now: the first such completion after the await splits its
 * time off its thread at the resume. The completion may run in any
 * context (an interrupt, an io-wq worker): the ring's owner comes from
 * the submission.
 */
static __always_inline void uring_ready(__u32 tgid, struct io_uring_cqe *cqe, __u64 now)
{
	struct ksee_await_key key = { .tgid = tgid };
	struct ksee_live_req *lr;

	key.id = BPF_CORE_READ(cqe, user_data);
	lr = bpf_map_lookup_elem(&live_reqs, &key);
	if (lr && lr->awaiting && !lr->ready_ns && now >= lr->last)
		lr->ready_ns = now;
}

SEC("tp_btf/io_uring_complete")
int BPF_PROG(ksee_uring_complete, void *ctx_, void *req, struct io_uring_cqe *cqe)
{
	__u64 key = (__u64)req, ring = (__u64)ctx_, lat, now;
	__u32 *owner;
	struct ksee_uring_key okey;
	struct ksee_uring_op *op;
	struct ksee_proc *proc;
	struct uring_req *r;

	r = bpf_map_lookup_elem(&uring_inflight, &key);
	if (!r) {
		owner = bpf_map_lookup_elem(&ring_owner, &ring);
		if (owner)
			uring_ready(*owner, cqe, bpf_ktime_get_ns());
		return 0;
	}
	now = bpf_ktime_get_ns();
	lat = now - r->submit_ns;
	okey.tgid = r->tgid;
	okey.opcode = r->opcode;
	op = bpf_map_lookup_elem(&uring_ops, &okey);
	if (!op) {
		bpf_map_update_elem(&uring_ops, &okey, &zero_op, BPF_NOEXIST);
		op = bpf_map_lookup_elem(&uring_ops, &okey);
	}
	if (op) {
		__sync_fetch_and_add(&op->count, 1);
		__sync_fetch_and_add(&op->punted, r->punted);
		__sync_fetch_and_add(&op->latency_ns, lat);
	} else {
		__sync_fetch_and_add(&drops.uring, 1);
	}
	proc = bpf_map_lookup_elem(&procs, &okey.tgid);
	if (proc)
		proc->uring_hist[log2_slot(lat)]++;
	bpf_map_delete_elem(&uring_inflight, &key);
	uring_ready(okey.tgid, cqe, now);
	return 0;
}

/*
 * ADOPT: give every task of a traced process storage (attach, and the
 * child of `ksee run` before it execs). DUMP: write out every live task.
 */
SEC("iter/task")
int ksee_iter_task(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct ksee_proc_running *r;
	struct ksee_ktask *kt;
	struct ksee_proc *p;
	__u32 tgid, slot;
	long nr;

	if (!t)
		return 0;
	if (iter_mode == KSEE_ITER_ADOPT) {
		/* a zombie has exited already: nothing left to trace, nothing to wait for */
		if (t->exit_state)
			return 0;
		tgid = t->tgid;
		p = bpf_map_lookup_elem(&procs, &tgid);
		if (!p)
			return 0;
		kt = track_task(t, p, iter_now, iter_flags);
		if (!kt || kt->now.switch_in_ns || kt->now.switch_out_ns)
			return 0;
		if (t->on_cpu) {
			kt->now.switch_in_ns = iter_now;
			slot = kt->now.slot;
			r = bpf_map_lookup_elem(&proc_running, &slot);
			if (r)
				__sync_fetch_and_add(&r->running, 1);
			__sync_fetch_and_add(&running_all, 1);
			emit(kt, KSEE_EV_RUN, t->thread_info.cpu, 0, iter_now);
			return 0;
		}
		kt->now.switch_out_ns = iter_now;
		kt->now.state_out = t->__state;
		if (ksee_switch_runnable(0, t->__state)) {
			kt->now.wake_ns = iter_now;
			kt->now.adopted_queued = 1;
			emit(kt, KSEE_EV_PREEMPT, 0, 0, iter_now);
			return 0;
		}
		/* Asleep already: in which syscall, if any? */
		nr = syscall_of(t);
		if (nr >= 0)
			asleep_in_syscall(kt, nr, iter_now);
		emit(kt, KSEE_EV_BLOCK, kt->now.reason_out, ksee_state_uninterruptible(t->__state),
		     iter_now);
		return 0;
	}
	if (iter_mode != KSEE_ITER_DUMP)
		return 0;
	kt = bpf_task_storage_get(&tasks, t, 0, 0);
	if (!kt || (kt->st.flags & KSEE_TF_EXITED))
		return 0;
	refresh_identity(kt, t);
	bpf_seq_write(ctx->meta->seq, kt, sizeof(*kt));
	return 0;
}

/*
 * The bill histogram of process @tgid, made at its first billed request;
 * NULL (the @n requests counted as lost) when the map is full: as many
 * marked processes as the procs map holds.
 */
static __always_inline struct ksee_bill_hist *bill_hist_of(__u32 tgid, __u64 n)
{
	struct ksee_bill_hist *bill = bpf_map_lookup_elem(&bills, &tgid);

	if (!bill) {
		bpf_map_update_elem(&bills, &tgid, &zero_bill, BPF_NOEXIST);
		bill = bpf_map_lookup_elem(&bills, &tgid);
		if (!bill) {
			__sync_fetch_and_add(&drops.hists, n);
			return NULL;
		}
		bill->tgid = tgid;
	}
	return bill;
}

/*
 * Task markers (USDT provider "ksee", include/ksee/usdt.h). Attached to
 * the traced binary for every process; only traced tasks count, and only
 * until the window of `attach -d` closes (the probes are detached one by
 * one after it, which takes a while: the last ones would count on).
 * @now: the time of the marker.
 */
static __always_inline struct ksee_proc *marker_proc(struct ksee_ktask **ktp, __u64 *now)
{
	struct ksee_ktask *kt;
	__u32 tgid;

	kt = bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), 0, 0);
	if (!kt)
		return NULL;
	*now = bpf_ktime_get_ns();
	if (window_closed(*now))
		return NULL;
	*ktp = kt;
	tgid = kt->st.tgid;
	return bpf_map_lookup_elem(&procs, &tgid);
}

/*
 * --markers=usdt: the bill of each request, kept here as the marker block
 * keeps it in the program (include/ksee/usdt.h): its time on a thread and
 * off it, from start to done; its thread is held from start or resume to
 * await or done. A request whose start was not seen (begun before
 * `attach`) is not billed, and does not hold its thread.
 */
static __always_inline void req_key(struct ksee_ktask *kt, long long id,
				    struct ksee_await_key *key)
{
	key->id = id;
	key->tgid = kt->st.tgid;
	key->pad = 0;
}

static __always_inline struct ksee_live_req *live_req(struct ksee_ktask *kt, long long id,
						      struct ksee_await_key *key)
{
	req_key(kt, id, key);
	return bpf_map_lookup_elem(&live_reqs, key);
}

SEC("usdt")
int BPF_USDT(ksee_request_start, long long id)
{
	struct ksee_await_key key;
	struct ksee_live_req r = {};
	struct ksee_ktask *kt;
	struct ksee_proc *p;
	__u64 now;

	p = marker_proc(&kt, &now);
	if (!p)
		return 0;
	__sync_fetch_and_add(&p->requests_started, 1);
	req_key(kt, id, &key);
	r.start = r.last = now;
	if (bpf_map_update_elem(&live_reqs, &key, &r, BPF_ANY)) {
		__sync_fetch_and_add(&drops.awaits, 1);	/* full: this one is not billed */
		kt->now.holding = 0;
		return 0;
	}
	kt->now.holding = 1;
	return 0;
}

SEC("usdt")
int BPF_USDT(ksee_request_done, long long id)
{
	struct ksee_bill_hist *bill;
	struct ksee_await_key key;
	struct ksee_live_req *r;
	struct ksee_ktask *kt;
	struct ksee_proc *p;
	__u64 now, lat;
	__u32 slot;

	p = marker_proc(&kt, &now);
	if (!p)
		return 0;
	__sync_fetch_and_add(&p->requests_done, 1);
	kt->now.holding = 0;
	r = live_req(kt, id, &key);
	if (!r)
		return 0;
	if (now >= r->last) {
		lat = now - r->start;
		__sync_fetch_and_add(&p->billed, 1);
		__sync_fetch_and_add(&p->bill_latency_ns, lat);
		__sync_fetch_and_add(&p->bill_held_ns, r->held + (now - r->last));
		__sync_fetch_and_add(&p->bill_off_ns, r->off);
		__sync_fetch_and_add(&p->bill_io_ns, r->io);
		__sync_fetch_and_add(&p->bill_after_io_ns, r->after_io);
		bill = bill_hist_of(kt->st.tgid, 1);
		slot = ksee_bill_slot(lat);
		barrier_var(slot);
		if (bill && slot < KSEE_BILL_SLOTS)
			__sync_fetch_and_add(&bill->slots[slot], 1);
	}
	bpf_map_delete_elem(&live_reqs, &key);
	return 0;
}

SEC("usdt")
int BPF_USDT(ksee_await, long long id)
{
	struct ksee_await_key key;
	struct ksee_await a = {};
	struct ksee_live_req *r;
	struct ksee_ktask *kt;
	struct ksee_proc *p;
	__u64 now;

	p = marker_proc(&kt, &now);
	if (!p)
		return 0;
	kt->st.awaits++;
	__sync_fetch_and_add(&p->awaits, 1);
	kt->now.holding = 0;
	r = live_req(kt, id, &key);
	if (r && !r->awaiting && now >= r->last) {
		r->held += now - r->last;
		r->last = now;
		r->awaiting = 1;
		r->ready_ns = 0;
	}
	a.await_ns = now;
	a.tid = kt->st.tid;
	if (bpf_map_update_elem(&awaiting, &key, &a, BPF_ANY))
		__sync_fetch_and_add(&drops.awaits, 1);
	return 0;
}

SEC("usdt")
int BPF_USDT(ksee_resume, long long id)
{
	struct ksee_await_key key;
	struct ksee_live_req *r;
	struct ksee_await *a;
	struct ksee_ktask *kt;
	struct ksee_proc *p;
	__u64 now;

	p = marker_proc(&kt, &now);
	if (!p)
		return 0;
	kt->st.resumes++;
	r = live_req(kt, id, &key);
	if (r) {
		if (r->awaiting && now >= r->last) {
			r->off += now - r->last;
			if (r->ready_ns >= r->last && r->ready_ns <= now) {
				r->io += r->ready_ns - r->last;
				r->after_io += now - r->ready_ns;
			}
			r->last = now;
		}
		r->awaiting = 0;
		kt->now.holding = 1;
	}
	a = bpf_map_lookup_elem(&awaiting, &key);
	if (!a) {
		__sync_fetch_and_add(&p->resumes_unmatched, 1);
		return 0;
	}
	__sync_fetch_and_add(&p->resumes, 1);
	if (a->tid == kt->st.tid)
		__sync_fetch_and_add(&p->resumes_same_thread, 1);
	if (now >= a->await_ns)
		p->await_hist[log2_slot(now - a->await_ns)]++;
	bpf_map_delete_elem(&awaiting, &key);
	return 0;
}

/*
 * The cheap path: each thread's marker block (struct ksee_marks), whose
 * address the thread hands over once, at its first marker.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ksee_marks);
} marks_buf SEC(".maps");

/*
 * A thread hands its block over. The second argument (headers since
 * 2026-11-26) is the block's offset from the thread pointer: the same
 * for every thread of the program (static TLS), so the process's other
 * threads do not trap: their blocks are found at their switch-out
 * (marks_find()). An offset that does not match the kernel's view of
 * the thread pointer is an anomaly, and is not used.
 */
SEC("usdt")
int BPF_USDT(ksee_marks, long long addr)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	struct ksee_proc_running *r;
	struct ksee_ktask *kt;
	__u64 magic = 0;
	long off = 0;
	__u32 slot;

	kt = bpf_task_storage_get(&tasks, cur, 0, 0);
	if (!kt)
		return 0;
	if (bpf_probe_read_user(&magic, sizeof(magic), (void *)addr) ||
	    magic != KSEE_MARKS_MAGIC) {
		__sync_fetch_and_add(&drops.marks_bad, 1);
		return 0;
	}
	kt->now.marks = addr;
	if (bpf_usdt_arg_cnt(ctx) < 2 || bpf_usdt_arg(ctx, 1, &off) || !off)
		return 0;
#if defined(__TARGET_ARCH_x86)
	if ((__u64)addr - cur->thread.fsbase != (__u64)off) {
		__sync_fetch_and_add(&drops.marks_bad, 1);
		return 0;
	}
	slot = kt->now.slot;
	r = bpf_map_lookup_elem(&proc_running, &slot);
	if (r)
		r->marks_tls_off = off;
#endif
	return 0;
}

/* Add a block that was read to the counts of @kt; once: the address is forgotten. */
static void marks_add(struct ksee_ktask *kt, const struct ksee_marks *m, long read_err)
{
	struct ksee_bill_hist *bill;
	struct ksee_proc *p;
	__u32 i, tgid = kt->st.tgid;

	kt->now.marks = 0;
	if (read_err || m->magic != KSEE_MARKS_MAGIC || m->matched > m->resumes ||
	    m->same_thread > m->matched || m->billed > m->done ||
	    m->held_ns + m->off_ns > m->latency_ns) {
		__sync_fetch_and_add(&drops.marks_bad, 1);
		return;
	}
	kt->st.awaits += m->awaits;
	kt->st.resumes += m->resumes;
	p = bpf_map_lookup_elem(&procs, &tgid);
	if (!p)
		return;
	__sync_fetch_and_add(&p->requests_started, m->started);
	__sync_fetch_and_add(&p->requests_done, m->done);
	__sync_fetch_and_add(&p->awaits, m->awaits);
	__sync_fetch_and_add(&p->resumes, m->matched);
	__sync_fetch_and_add(&p->resumes_same_thread, m->same_thread);
	__sync_fetch_and_add(&p->resumes_unmatched, m->resumes - m->matched);
	__sync_fetch_and_add(&p->marks_collisions, (__u32)m->collisions);
	__sync_fetch_and_add(&p->billed, m->billed);
	__sync_fetch_and_add(&p->bill_latency_ns, m->latency_ns);
	__sync_fetch_and_add(&p->bill_held_ns, m->held_ns);
	__sync_fetch_and_add(&p->bill_off_ns, m->off_ns);
	for (i = 0; i < KSEE_SLOTS; i++) {
		if (m->await_hist[i])
			__sync_fetch_and_add(&p->await_hist[i], m->await_hist[i]);
	}
	if (!m->billed)
		return;
	bill = bill_hist_of(tgid, m->billed);
	if (!bill)
		return;
	for (i = 0; i < KSEE_BILL_SLOTS; i++) {
		if (m->latency_hist[i])
			__sync_fetch_and_add(&bill->slots[i], m->latency_hist[i]);
	}
}

/* The block of the current task, which is @kt: at its exit. */
static void marks_fold(struct ksee_ktask *kt)
{
	__u32 zero = 0;
	struct ksee_marks *m = bpf_map_lookup_elem(&marks_buf, &zero);

	if (m)
		marks_add(kt, m, bpf_probe_read_user(m, sizeof(*m), (void *)kt->now.marks));
}

/* The blocks of the tasks still alive when the trace ends (sleepable: may fault). */
SEC("iter.s/task")
int ksee_iter_marks(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct ksee_marks *m;
	struct ksee_ktask *kt;
	__u32 zero = 0, slot;
	__u64 addr;
	long err;

	if (!t)
		return 0;
	kt = bpf_task_storage_get(&tasks, t, 0, 0);
	if (!kt || (kt->st.flags & KSEE_TF_EXITED))
		return 0;
	addr = kt->now.marks;
	slot = kt->now.slot;
	if (!addr)	/* registered since its last switch-out, or not at all */
		addr = marks_addr(t, bpf_map_lookup_elem(&proc_running, &slot));
	m = bpf_map_lookup_elem(&marks_buf, &zero);
	if (!addr || !m)
		return 0;
	err = bpf_copy_from_user_task(m, sizeof(*m), (void *)addr, t, 0);
	if (!kt->now.marks && (err || m->magic != KSEE_MARKS_MAGIC))
		return 0;	/* a thread that never marked */
	marks_add(kt, m, err);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * The floor: empty handlers on the hooks ksee's hot path uses, so that a
 * benchmark can tell the unavoidable cost of the hooks themselves from
 * the cost of what ksee does in them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sched_switch")
int BPF_PROG(floor_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_sys_enter, struct pt_regs *regs, long id)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_sys_exit, struct pt_regs *regs, long ret)
{
	return 0;
}

/*
 * Not part of the floor: an empty handler on the classic tracepoint of a
 * syscall the storms never make. What it costs them is the kernel's slow
 * syscall path, which any syscall hook turns on for every task.
 */
SEC("tracepoint/syscalls/sys_exit_epoll_wait")
int floor_slowpath(void *ctx)
{
	return 0;
}

/*
 * The floor of a ksee mode: empty handlers on exactly the hooks that mode
 * attaches, as ksee lists them (KSEE_LIST_HOOKS=1). floor.c points each
 * slot at one of them before load; slots not needed are not loaded.
 */
#define FLOOR_TP(n)						\
SEC("tp_btf")							\
int floor_tp##n(void *ctx)					\
{								\
	return 0;						\
}

#define FLOOR_USDT(n)						\
SEC("usdt")							\
int floor_usdt##n(struct pt_regs *ctx)				\
{								\
	return 0;						\
}

FLOOR_TP(0) FLOOR_TP(1) FLOOR_TP(2) FLOOR_TP(3) FLOOR_TP(4) FLOOR_TP(5)
FLOOR_TP(6) FLOOR_TP(7) FLOOR_TP(8) FLOOR_TP(9) FLOOR_TP(10) FLOOR_TP(11)
FLOOR_TP(12) FLOOR_TP(13) FLOOR_TP(14) FLOOR_TP(15) FLOOR_TP(16) FLOOR_TP(17)
FLOOR_TP(18) FLOOR_TP(19) FLOOR_TP(20) FLOOR_TP(21) FLOOR_TP(22) FLOOR_TP(23)

FLOOR_USDT(0) FLOOR_USDT(1) FLOOR_USDT(2) FLOOR_USDT(3) FLOOR_USDT(4) FLOOR_USDT(5)

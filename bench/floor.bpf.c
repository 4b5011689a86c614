// SPDX-License-Identifier: GPL-2.0-only
/*
 * The floor: empty handlers on the hooks ksee's hot path uses, so that a
 * benchmark can tell the unavoidable cost of the hooks themselves from
 * the cost of what ksee does in them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

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

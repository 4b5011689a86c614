/* SPDX-License-Identifier: MIT */
/*
 * User-level context switch for N:1 coroutines: a few instructions that
 * swap callee-saved registers and the stack pointer (x86-64), or ucontext
 * elsewhere.  No system call, so an await never enters the kernel.
 */
#ifndef __KSEE_DEMO_CORO_CTX_H
#define __KSEE_DEMO_CORO_CTX_H

#include <stddef.h>

#if defined(__x86_64__)
struct coro_ctx {
	void *sp;
};
#else
#include <ucontext.h>
struct coro_ctx {
	ucontext_t uc;
};
#endif

/*
 * Prepare ctx to run fn(arg) on the stack [stack, stack + size) at the
 * first coro_switch() to it; fn must never return (switch away for good).
 */
void coro_ctx_init(struct coro_ctx *ctx, void *stack, size_t size, void (*fn)(void *), void *arg);

/* Save the running context in from and continue in to. */
void coro_switch(struct coro_ctx *from, struct coro_ctx *to);

#endif /* __KSEE_DEMO_CORO_CTX_H */

// SPDX-License-Identifier: MIT
/* User-level context switch. */
#include <stdint.h>
#include <string.h>

#include "coro_ctx.h"

#if defined(__x86_64__)

/*
 * coro_switch(from, to): push the callee-saved registers, store %rsp in
 * from->sp, load to->sp, pop and return into the other context.
 */
__asm__(".text\n"
	".globl coro_switch\n"
	".type coro_switch, @function\n"
	"coro_switch:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"
	"	movq (%rsi), %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".size coro_switch, .-coro_switch\n");

/* First code of a new context: fn and arg arrive in %r12 and %r13. */
__asm__(".text\n"
	".type coro_trampoline, @function\n"
	"coro_trampoline:\n"
	"	movq %r13, %rdi\n"
	"	callq *%r12\n"
	"	ud2\n"
	".size coro_trampoline, .-coro_trampoline\n");

void coro_trampoline(void);

void coro_ctx_init(struct coro_ctx *ctx, void *stack, size_t size, void (*fn)(void *), void *arg)
{
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)top;

	/*
	 * The six pops and the ret leave %rsp == top, 16-byte aligned, so the
	 * trampoline's call enters fn with the alignment the ABI wants.
	 */
	*--sp = (uint64_t)coro_trampoline;	/* popped by ret */
	*--sp = 0;				/* rbp */
	*--sp = 0;				/* rbx */
	*--sp = (uint64_t)fn;			/* r12 */
	*--sp = (uint64_t)arg;			/* r13 */
	*--sp = 0;				/* r14 */
	*--sp = 0;				/* r15 */
	ctx->sp = sp;
}

#else

void coro_ctx_init(struct coro_ctx *ctx, void *stack, size_t size, void (*fn)(void *), void *arg)
{
	memset(ctx, 0, sizeof(*ctx));
	getcontext(&ctx->uc);
	ctx->uc.uc_stack.ss_sp = stack;
	ctx->uc.uc_stack.ss_size = size;
	makecontext(&ctx->uc, (void (*)(void))fn, 1, arg);
}

void coro_switch(struct coro_ctx *from, struct coro_ctx *to)
{
	swapcontext(&from->uc, &to->uc);
}

#endif

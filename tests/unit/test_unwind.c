// SPDX-License-Identifier: GPL-2.0-only
/*
 * The user stack unwinder and symbolizer on a fixture taken from this very
 * process: registers and a copy of the stack as the kernel side takes them
 * (built -O2 -g without frame pointers, like everything here), unwound
 * with the binaries' call frame tables and named from their debug info.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "trace/unwind.h"

#define NOINLINE __attribute__((noinline))

static volatile long sink;

/* Where the [stack] mapping ends: the copy must not read past it. */
static __u64 stack_end(__u64 sp)
{
	unsigned long long lo, hi;
	char line[512];
	__u64 end = 0;
	FILE *f = fopen("/proc/self/maps", "re");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx-%llx", &lo, &hi) == 2 && sp >= lo && sp < hi)
			end = hi;
	fclose(f);
	assert_true(end > sp);
	return end;
}

/* The registers (DWARF numbering) and the stack above the stack pointer, here. */
static NOINLINE void capture(struct ksee_ustack_rec *rec)
{
	__u64 ip, sp, bp, bx, r12, r13, r14, r15, len;

	/* ip: the mov after the lea, where the stack pointer is read */
	__asm__ volatile("lea 0(%%rip), %0\n\tmov %%rsp, %1" : "=r"(ip), "=r"(sp));
	__asm__ volatile("mov %%rbp, %0\n\tmov %%rbx, %1" : "=m"(bp), "=m"(bx));
	__asm__ volatile("mov %%r12, %0\n\tmov %%r13, %1\n\tmov %%r14, %2\n\tmov %%r15, %3"
			 : "=m"(r12), "=m"(r13), "=m"(r14), "=m"(r15));
	rec->key.uip = rec->regs[16] = ip;
	rec->key.usp = rec->regs[7] = sp;
	rec->key.ubp = rec->regs[6] = bp;
	rec->regs[3] = bx;
	rec->regs[12] = r12;
	rec->regs[13] = r13;
	rec->regs[14] = r14;
	rec->regs[15] = r15;
	rec->key.tgid = getpid();
	rec->key.tid = gettid();
	len = stack_end(sp) - sp;
	rec->size = len < KSEE_USTACK_BYTES ? len : KSEE_USTACK_BYTES;
	memcpy(rec->data, (void *)sp, rec->size);
	sink++;
}

static NOINLINE void outer_caller(struct ksee_ustack_rec *rec)
{
	capture(rec);
	sink++;
}

static int find(const struct ks_frame *fr, __u32 n, __u32 from, const char *name)
{
	__u32 i;

	for (i = from; i < n; i++)
		if (!strcmp(fr[i].name, name))
			return i;
	return -1;
}

static void free_frames(struct ks_frame *fr, __u32 n)
{
	struct ks_stack s = { .frames = fr, .nframes = n };

	ks_stack_free(&s);
}

static void test_unwind_own_stack(void **state)
{
	struct ksee_ustack_rec *rec = calloc(1, sizeof(*rec));
	struct unwinder *u = unwinder_new();
	struct ks_frame *fr = NULL;
	__u32 n = 0, flags = 0;
	struct usnap *snap;
	__u64 ip_saved;
	__u32 size_saved;
	int a, b, c;

	assert_non_null(rec);
	assert_non_null(u);
	outer_caller(rec);
	sink++;
	ip_saved = rec->key.uip;
	size_saved = rec->size;
	snap = unwinder_note(u, getpid());
	assert_non_null(snap);
	assert_int_equal(unwinder_unwind(u, snap, rec, &fr, &n, &flags), 0);
	a = find(fr, n, 0, "capture");
	b = a >= 0 ? find(fr, n, a + 1, "outer_caller") : -1;
	c = b >= 0 ? find(fr, n, b + 1, "test_unwind_own_stack") : -1;
	if (a != 0 || b != 1 || c < 2) {
		__u32 i;

		for (i = 0; i < n; i++)
			fprintf(stderr, "  frame %u: %s\n", i, fr[i].name);
		fail_msg("capture <- outer_caller <- test_unwind_own_stack not found (flags %u)",
			 flags);
	}
	/* through cmocka (a shared library) up to main */
	assert_true(find(fr, n, c + 1, "main") > c);
	assert_non_null(fr[0].file);
	assert_non_null(strstr(fr[0].file, "test_unwind.c"));
	assert_true(fr[0].line > 0);
	assert_string_equal(fr[0].module, "test_unwind");
	assert_false(fr[0].flags & (KS_FRAME_KERNEL | KS_FRAME_NOSYM));
	assert_false(flags & (KS_STACK_UNWIND_ERR | KS_STACK_USER_LOST));
	free_frames(fr, n);

	/* a copy cut to 64 bytes: the unwinding stops early and says why */
	fr = NULL;
	n = flags = 0;
	rec->size = 64;
	assert_int_equal(unwinder_unwind(u, snap, rec, &fr, &n, &flags), 0);
	assert_true(n >= 1 && n < 4);
	assert_string_equal(fr[0].name, "capture");
	assert_true(flags & KS_STACK_TRUNCATED);
	free_frames(fr, n);

	/* an address in no module: [unknown], never a made-up name */
	fr = NULL;
	n = flags = 0;
	rec->key.uip = rec->regs[16] = 0x10;
	assert_int_equal(unwinder_unwind(u, snap, rec, &fr, &n, &flags), 0);
	if (n) {
		assert_string_equal(fr[0].name, "[unknown]");
		assert_true(fr[0].flags & KS_FRAME_NOSYM);
	} else {
		assert_true(flags & KS_STACK_USER_LOST);
	}
	free_frames(fr, n);

	/* under sudo, another user's process: not unwound, not named */
	fr = NULL;
	n = flags = 0;
	rec->key.uip = rec->regs[16] = ip_saved;
	rec->size = size_saved;
	unwinder_set_viewer(u, getuid() + 1);
	assert_int_equal(unwinder_unwind(u, snap, rec, &fr, &n, &flags), 0);
	assert_int_equal(n, 0);
	assert_int_equal(flags, KS_STACK_USER_HIDDEN);
	unwinder_set_viewer(u, getuid());
	assert_int_equal(unwinder_unwind(u, snap, rec, &fr, &n, &flags), 0);
	assert_true(n > 2);
	free_frames(fr, n);

	/* a process that does not exist: no image, the stack is lost, no crash */
	fr = NULL;
	n = flags = 0;
	assert_null(unwinder_note(u, 0x7ffffff0));
	assert_int_equal(unwinder_unwind(u, NULL, rec, &fr, &n, &flags), 0);
	assert_int_equal(n, 0);
	assert_true(flags & KS_STACK_USER_LOST);
	unwinder_free(u);
	free(rec);
}

/*
 * A JIT's map (/tmp/perf-PID.map) names code in no module; a map that is
 * a symbolic link (anyone can make one in /tmp) is not read.
 */
static void test_unwind_jit_map(void **state)
{
	struct ksee_ustack_rec *rec = calloc(1, sizeof(*rec));
	char path[64], link[64];
	struct ks_frame *fr = NULL;
	__u32 n = 0, flags = 0;
	struct unwinder *u;
	FILE *f;

	assert_non_null(rec);
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", getpid());
	snprintf(link, sizeof(link), "/tmp/perf-%d.map.target", getpid());
	/* the map of a JIT: hex start, hex size, name */
	f = fopen(link, "w");
	assert_non_null(f);
	fprintf(f, "1000 100 LazyCompile:~handler /app/server.js:10\n");
	fclose(f);

	outer_caller(rec);
	rec->key.uip = rec->regs[16] = 0x1010;
	assert_int_equal(symlink(link, path), 0);
	u = unwinder_new();
	assert_int_equal(unwinder_unwind(u, unwinder_note(u, getpid()), rec, &fr, &n, &flags), 0);
	assert_true(n == 0 || strcmp(fr[0].name, "LazyCompile:~handler /app/server.js:10"));
	free_frames(fr, n);
	unwinder_free(u);
	unlink(path);

	assert_int_equal(rename(link, path), 0);
	fr = NULL;
	n = flags = 0;
	u = unwinder_new();
	assert_int_equal(unwinder_unwind(u, unwinder_note(u, getpid()), rec, &fr, &n, &flags), 0);
	assert_true(n >= 1);
	assert_string_equal(fr[0].name, "LazyCompile:~handler /app/server.js:10");
	assert_string_equal(fr[0].module, "[jit]");
	free_frames(fr, n);
	unwinder_free(u);
	unlink(path);
	free(rec);
}

/* Kernel addresses without symbols (kallsyms hides them from users): 0x..., marked so. */
static void test_unwind_kernel_frames(void **state)
{
	struct ks_frame *fr = NULL;
	__u32 n = 0;

	assert_int_equal(ksyms_frame(NULL, 0xffffffff81000000ULL, &fr, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(fr[0].name, "0xffffffff81000000");
	assert_int_equal(fr[0].flags, KS_FRAME_KERNEL | KS_FRAME_NOSYM);
	free_frames(fr, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unwind_own_stack),
		cmocka_unit_test(test_unwind_jit_map),
		cmocka_unit_test(test_unwind_kernel_frames),
	};

	return cmocka_run_group_tests_name("unwind", tests, NULL, NULL);
}

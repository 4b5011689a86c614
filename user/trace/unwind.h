/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User stacks of --stacks: unwind the copy of a user stack the kernel side
 * took at a switch-out (registers + up to KSEE_USTACK_BYTES of stack) with
 * the .eh_frame / DWARF call frame tables of the process's executable and
 * libraries (elfutils libdw), and symbolize each frame: symbol tables,
 * separate debug info (/usr/lib/debug/.build-id), inlined functions, JIT
 * maps (/tmp/perf-PID.map). The memory map is taken as the stacks arrive
 * (unwinder_note()), the unwinding done later (unwinder_unwind()). Kernel stacks: kernel addresses named from /proc/kallsyms.
 */
#ifndef KSEE_UNWIND_H
#define KSEE_UNWIND_H

#include <sys/types.h>
#include <linux/types.h>
#include "ksee.h"
#include "model/stacks.h"

#define UNWIND_MAX_FRAMES	128	/* user frames kept per stack */

struct unwinder;
struct usnap;

/* NULL and errno set on failure. */
struct unwinder *unwinder_new(void);
void unwinder_free(struct unwinder *u);

/*
 * A stack of process @pid came in: remember its memory map (/proc/PID/maps)
 * if not done yet or if it exec'ed since. Cheap; call it at once, while the
 * process lives. The image to unwind its stacks with; NULL if the process
 * is gone unseen. Owned by @u. One thread may call this while another
 * calls unwinder_unwind().
 */
struct usnap *unwinder_note(struct unwinder *u, __u32 pid);

/*
 * Unwind @rec, a stack of the process image @snap (NULL: lost), into
 * frames, leaf first, appended to *@frames / *@n (realloc'ed); *@flags
 * gets KS_STACK_TRUNCATED, KS_STACK_UNWIND_ERR or KS_STACK_USER_LOST.
 * Slow the first time for a process (its modules and debug info are
 * read): call it when there is time. 0 or -ENOMEM.
 */
int unwinder_unwind(struct unwinder *u, struct usnap *snap, const struct ksee_ustack_rec *rec,
		    struct ks_frame **frames, __u32 *n, __u32 *flags);

/*
 * Under sudo: unwind and name only the stacks of processes running as
 * @uid (the owner of /proc/PID), so that the report shows nothing of a
 * binary the invoking user could not read (a setuid program, another
 * user's process); the others get KS_STACK_USER_HIDDEN.
 */
void unwinder_set_viewer(struct unwinder *u, uid_t uid);

/* Kernel symbols from /proc/kallsyms; NULL and errno set on failure. */
struct ksyms;
struct ksyms *ksyms_load(void);
void ksyms_free(struct ksyms *ks);

/* Append the frame of kernel address @addr to *@frames / *@n; 0 or -ENOMEM. */
int ksyms_frame(const struct ksyms *ks, __u64 addr, struct ks_frame **frames, __u32 *n);

#endif

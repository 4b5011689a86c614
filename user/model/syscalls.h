/* SPDX-License-Identifier: GPL-2.0-only */
/* Syscall numbers to the families ksee reports (enum ksee_reason). */
#ifndef KSEE_SYSCALLS_H
#define KSEE_SYSCALLS_H

#include <stdbool.h>
#include <linux/types.h>
#include "ksee.h"

/* Fill @table (KSEE_MAX_SYSCALLS entries) for this architecture. */
void syscalls_fill_families(__u8 *table);

/* Short stable name of a family, as used in JSON keys and values ("none"). */
const char *syscalls_family_name(enum ksee_reason r);

/* The same for people to read: "no syscall" for KSEE_R_NONE. */
const char *syscalls_reason_label(enum ksee_reason r);

/* Whether a family is I/O: epoll, io_uring, read, write, poll (not futex, sleep, wait). */
bool syscalls_family_is_io(enum ksee_reason r);

/* Name of an io_uring opcode ("READ", "NOP", ...), or NULL if unknown. */
const char *syscalls_uring_op_name(unsigned int opcode);

#endif

// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>
#include <sys/syscall.h>
#include <linux/io_uring.h>
#include "model/syscalls.h"

struct family_entry {
	long nr;
	enum ksee_reason family;
};

/* Only the families that explain why a task sleeps; the rest is "other". */
static const struct family_entry families[] = {
	{ SYS_epoll_wait, KSEE_R_EPOLL },
	{ SYS_epoll_pwait, KSEE_R_EPOLL },
#ifdef SYS_epoll_pwait2
	{ SYS_epoll_pwait2, KSEE_R_EPOLL },
#endif
	{ SYS_io_uring_enter, KSEE_R_IO_URING },
	{ SYS_futex, KSEE_R_FUTEX },
#ifdef SYS_futex_waitv
	{ SYS_futex_waitv, KSEE_R_FUTEX },
#endif
	{ SYS_read, KSEE_R_READ },
	{ SYS_readv, KSEE_R_READ },
	{ SYS_pread64, KSEE_R_READ },
	{ SYS_preadv, KSEE_R_READ },
	{ SYS_preadv2, KSEE_R_READ },
	{ SYS_recvfrom, KSEE_R_READ },
	{ SYS_recvmsg, KSEE_R_READ },
	{ SYS_recvmmsg, KSEE_R_READ },
	{ SYS_accept, KSEE_R_READ },
	{ SYS_accept4, KSEE_R_READ },
	{ SYS_connect, KSEE_R_READ },
	{ SYS_write, KSEE_R_WRITE },
	{ SYS_writev, KSEE_R_WRITE },
	{ SYS_pwrite64, KSEE_R_WRITE },
	{ SYS_pwritev, KSEE_R_WRITE },
	{ SYS_pwritev2, KSEE_R_WRITE },
	{ SYS_sendto, KSEE_R_WRITE },
	{ SYS_sendmsg, KSEE_R_WRITE },
	{ SYS_sendmmsg, KSEE_R_WRITE },
	{ SYS_poll, KSEE_R_POLL },
	{ SYS_ppoll, KSEE_R_POLL },
	{ SYS_select, KSEE_R_POLL },
	{ SYS_pselect6, KSEE_R_POLL },
	{ SYS_nanosleep, KSEE_R_SLEEP },
	{ SYS_clock_nanosleep, KSEE_R_SLEEP },
	{ SYS_wait4, KSEE_R_WAIT },
	{ SYS_waitid, KSEE_R_WAIT },
};

void syscalls_fill_families(__u8 *table)
{
	size_t i;

	memset(table, KSEE_R_OTHER, KSEE_MAX_SYSCALLS);
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (families[i].nr >= 0 && families[i].nr < KSEE_MAX_SYSCALLS)
			table[families[i].nr] = families[i].family;
}

static const char *const family_names[KSEE_R_NR] = {
	[KSEE_R_NONE] = "none",
	[KSEE_R_EPOLL] = "epoll",
	[KSEE_R_IO_URING] = "io_uring",
	[KSEE_R_FUTEX] = "futex",
	[KSEE_R_READ] = "read",
	[KSEE_R_WRITE] = "write",
	[KSEE_R_POLL] = "poll",
	[KSEE_R_SLEEP] = "sleep",
	[KSEE_R_WAIT] = "wait",
	[KSEE_R_OTHER] = "other",
};

const char *syscalls_family_name(enum ksee_reason r)
{
	return (unsigned int)r < KSEE_R_NR ? family_names[r] : "?";
}

bool syscalls_family_is_io(enum ksee_reason r)
{
	switch (r) {
	case KSEE_R_EPOLL:
	case KSEE_R_IO_URING:
	case KSEE_R_READ:
	case KSEE_R_WRITE:
	case KSEE_R_POLL:
		return true;
	default:
		return false;
	}
}

const char *syscalls_reason_label(enum ksee_reason r)
{
	return r == KSEE_R_NONE ? "no syscall" : syscalls_family_name(r);
}

static const char *const uring_ops[] = {
	[IORING_OP_NOP] = "NOP",
	[IORING_OP_READV] = "READV",
	[IORING_OP_WRITEV] = "WRITEV",
	[IORING_OP_FSYNC] = "FSYNC",
	[IORING_OP_READ_FIXED] = "READ_FIXED",
	[IORING_OP_WRITE_FIXED] = "WRITE_FIXED",
	[IORING_OP_POLL_ADD] = "POLL_ADD",
	[IORING_OP_POLL_REMOVE] = "POLL_REMOVE",
	[IORING_OP_SYNC_FILE_RANGE] = "SYNC_FILE_RANGE",
	[IORING_OP_SENDMSG] = "SENDMSG",
	[IORING_OP_RECVMSG] = "RECVMSG",
	[IORING_OP_TIMEOUT] = "TIMEOUT",
	[IORING_OP_TIMEOUT_REMOVE] = "TIMEOUT_REMOVE",
	[IORING_OP_ACCEPT] = "ACCEPT",
	[IORING_OP_ASYNC_CANCEL] = "ASYNC_CANCEL",
	[IORING_OP_LINK_TIMEOUT] = "LINK_TIMEOUT",
	[IORING_OP_CONNECT] = "CONNECT",
	[IORING_OP_FALLOCATE] = "FALLOCATE",
	[IORING_OP_OPENAT] = "OPENAT",
	[IORING_OP_CLOSE] = "CLOSE",
	[IORING_OP_FILES_UPDATE] = "FILES_UPDATE",
	[IORING_OP_STATX] = "STATX",
	[IORING_OP_READ] = "READ",
	[IORING_OP_WRITE] = "WRITE",
	[IORING_OP_FADVISE] = "FADVISE",
	[IORING_OP_MADVISE] = "MADVISE",
	[IORING_OP_SEND] = "SEND",
	[IORING_OP_RECV] = "RECV",
	[IORING_OP_OPENAT2] = "OPENAT2",
	[IORING_OP_EPOLL_CTL] = "EPOLL_CTL",
	[IORING_OP_SPLICE] = "SPLICE",
	[IORING_OP_PROVIDE_BUFFERS] = "PROVIDE_BUFFERS",
	[IORING_OP_REMOVE_BUFFERS] = "REMOVE_BUFFERS",
	[IORING_OP_TEE] = "TEE",
	[IORING_OP_SHUTDOWN] = "SHUTDOWN",
	[IORING_OP_RENAMEAT] = "RENAMEAT",
	[IORING_OP_UNLINKAT] = "UNLINKAT",
	[IORING_OP_MKDIRAT] = "MKDIRAT",
	[IORING_OP_SYMLINKAT] = "SYMLINKAT",
	[IORING_OP_LINKAT] = "LINKAT",
};

const char *syscalls_uring_op_name(unsigned int opcode)
{
	if (opcode >= sizeof(uring_ops) / sizeof(uring_ops[0]))
		return NULL;
	return uring_ops[opcode];
}

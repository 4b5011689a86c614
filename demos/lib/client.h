/* SPDX-License-Identifier: MIT */
/* Client side of the ioserver protocol (proto.h). */
#ifndef __KSEE_DEMO_CLIENT_H
#define __KSEE_DEMO_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/* A reply being read from a non-blocking socket, possibly in pieces. */
struct reply_buf {
	union {
		struct iosrv_rep rep;
		char raw[IOSRV_MSG_SIZE];
	};
	size_t got;
};

void client_fill_req(struct iosrv_req *req, uint64_t id, uint32_t delay_ms);

/* Check a complete reply against the request id: 0, -EPROTO or -EIO (error status). */
int client_check_reply(const struct iosrv_rep *rep, uint64_t id);

/* Send one request; 0 or -errno (-EAGAIN on a full non-blocking socket). */
int client_send(int fd, uint64_t id, uint32_t delay_ms);

/* Block until the reply to id has arrived; 0 or -errno. */
int client_recv(int fd, uint64_t id);

/*
 * Read what is there of a reply on a non-blocking socket: 1 when the reply
 * to id is complete and good, 0 when more is to come, -errno on error.
 * Resets rb for the next reply when it returns non-zero.
 */
int client_recv_nb(int fd, struct reply_buf *rb, uint64_t id);

/* Account n freshly read bytes in rb (io_uring): same returns as client_recv_nb. */
int client_recv_done(struct reply_buf *rb, long n, uint64_t id);

#endif /* __KSEE_DEMO_CLIENT_H */

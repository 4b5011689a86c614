// SPDX-License-Identifier: MIT
/* Client side of the ioserver protocol. */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"

void client_fill_req(struct iosrv_req *req, uint64_t id, uint32_t delay_ms)
{
	req->id = id;
	req->delay_ms = delay_ms;
	req->magic = IOSRV_MAGIC;
}

int client_check_reply(const struct iosrv_rep *rep, uint64_t id)
{
	if (rep->magic != IOSRV_MAGIC || rep->id != id)
		return -EPROTO;
	return rep->status == IOSRV_OK ? 0 : -EIO;
}

int client_send(int fd, uint64_t id, uint32_t delay_ms)
{
	struct iosrv_req req;
	ssize_t n;

	client_fill_req(&req, id, delay_ms);
	do
		n = send(fd, &req, sizeof(req), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	/* a 16-byte message to a local stream socket is all or nothing */
	return n == sizeof(req) ? 0 : -EIO;
}

int client_recv(int fd, uint64_t id)
{
	struct iosrv_rep rep;
	ssize_t n;

	do
		n = recv(fd, &rep, sizeof(rep), MSG_WAITALL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n != sizeof(rep))
		return -ECONNRESET;
	return client_check_reply(&rep, id);
}

int client_recv_done(struct reply_buf *rb, long n, uint64_t id)
{
	if (n < 0) {
		rb->got = 0;
		return (int)n;
	}
	if (n == 0) {
		rb->got = 0;
		return -ECONNRESET;
	}
	rb->got += n;
	if (rb->got < sizeof(rb->raw))
		return 0;
	rb->got = 0;
	return client_check_reply(&rb->rep, id) ?: 1;
}

int client_recv_nb(int fd, struct reply_buf *rb, uint64_t id)
{
	ssize_t n;

	do
		n = recv(fd, rb->raw + rb->got, sizeof(rb->raw) - rb->got, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	return client_recv_done(rb, n < 0 ? -errno : n, id);
}

/* SPDX-License-Identifier: MIT */
/*
 * Server addresses: "unix:/path", a bare path (contains a '/'), or
 * "tcp:127.0.0.1:PORT" (loopback only; "tcp:localhost:PORT" works too).
 */
#ifndef __KSEE_DEMO_ADDR_H
#define __KSEE_DEMO_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define ADDR_MAX	128

/* Fill *ss from s; return 0 or -EINVAL (bad syntax or a non-loopback host). */
int addr_parse(const char *s, struct sockaddr_storage *ss, socklen_t *len);

/* Connect to s; return the fd or -errno. */
int addr_connect(const char *s, bool nonblock);

/* Bind and listen on s (non-blocking); return the fd or -errno. */
int addr_listen(const char *s);

/* Write the address a listening fd is bound to (resolves TCP port 0). */
int addr_format(int fd, char *buf, size_t len);

#endif /* __KSEE_DEMO_ADDR_H */

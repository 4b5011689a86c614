/* SPDX-License-Identifier: MIT */
/* Start a private demos/ioserver and stop it again. */
#ifndef __KSEE_DEMO_SPAWN_H
#define __KSEE_DEMO_SPAWN_H

#include <sys/types.h>

#include "addr.h"

struct server_proc {
	pid_t pid;
	char addr[ADDR_MAX];	/* what the server said it listens on */
};

/*
 * Path of the ioserver binary: $KSEE_IOSERVER, else "ioserver" next to
 * this executable.  0 or -errno.
 */
int server_path(char *buf, size_t len);

/*
 * Run exe with "--listen listen" (listen may be NULL: the server picks a
 * private Unix socket), wait until it prints "listening ADDR" and keep
 * ADDR in sp->addr.  The server gets SIGTERM if this thread dies.  0 or -errno.
 */
int server_spawn(struct server_proc *sp, const char *exe, const char *listen);

/* SIGTERM the server and reap it; a no-op when none was started. */
void server_stop(struct server_proc *sp);

#endif /* __KSEE_DEMO_SPAWN_H */

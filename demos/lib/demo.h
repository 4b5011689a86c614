/* SPDX-License-Identifier: MIT */
/*
 * The frame every concurrency model runs in: the common options, the
 * calibrated CPU work, a private ioserver when --server is not given,
 * per-request accounting and the one summary line.  A model is a
 * struct demo_model whose run() serves the requests; its main() is
 * "return demo_main(argc, argv, &model);".
 */
#ifndef __KSEE_DEMO_H
#define __KSEE_DEMO_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "client.h"
#include "cpuwork.h"
#include "spawn.h"
#include "stats.h"

struct demo_opts {
	unsigned long requests;		/* R */
	unsigned long concurrency;	/* C: requests in flight at most */
	unsigned long io_ms;		/* D: server delay per request */
	unsigned long cpu_us;		/* W: CPU work per request */
	unsigned long workers;		/* N: pool size, threads or processes */
	const char *server;		/* ioserver address, NULL: start one */
};

/* Per-request accounting, in MAP_SHARED memory so that forked workers share it. */
struct demo_shared {
	atomic_ulong next;		/* next request id to hand out */
	atomic_ulong ok;
	atomic_ulong failed;
	atomic_ulong work_cpu_ns;	/* CPU time the work W took, all requests */
	uint64_t *start_ns;		/* [requests] */
	double *lat_ms;			/* [requests], NaN until done */
	double *wait_ms;		/* [requests]: start to reply handled, NaN until then */
};

struct demo;

struct demo_model {
	const char *name;
	const char *about;		/* one line for --help */
	const char *workers_help;	/* what --workers means, NULL: not used */
	/* Serve the requests; 0, or -errno when the model could not run at all. */
	int (*run)(struct demo *d);
};

struct demo {
	const struct demo_model *model;
	struct demo_opts opt;
	const char *addr;		/* the server to talk to */
	unsigned long workers;		/* threads/processes run() used, for the summary */
	struct demo_shared *sh;
	struct server_proc server;
};

/* Parse the options into *o; 0, 1 for --help, or -EINVAL with a message in err. */
int demo_opts_parse(struct demo_opts *o, int argc, char **argv, char *err, size_t errlen);

int demo_main(int argc, char **argv, const struct demo_model *m);

/* The next request id to serve, or -1 when all have been handed out. */
long demo_next(struct demo *d);

/* Record the start and the end (err: 0 or -errno) of request id. */
void demo_begin(struct demo *d, unsigned long id);
void demo_end(struct demo *d, unsigned long id, int err);

/* A connection to the server; the fd or -errno. */
int demo_connect(struct demo *d, bool nonblock);

/*
 * One whole request on a blocking connection, with its four markers:
 * start, send, await, wait for the reply, resume, compute, done.  When gil
 * is not NULL the caller holds it, and it is released only for the wait.
 * 0 or -errno; on error the connection is unusable.
 */
int demo_request_blocking(struct demo *d, int fd, unsigned long id, pthread_mutex_t *gil);

/*
 * Serve requests one after another on one blocking connection until none
 * are left, reconnecting after a failed request; gil as above.  0, or
 * -errno when no connection could be made.
 */
int demo_serve_blocking(struct demo *d, pthread_mutex_t *gil);

/*
 * Finish request id whose reply has come (rc from client_recv*: 1 or
 * -errno): compute, account and mark it done.
 */
void demo_complete(struct demo *d, unsigned long id, int rc);
/* The same for a request whose task markers use @mark as its id, not @id. */
void demo_complete_marked(struct demo *d, unsigned long id, long long mark, int rc);

#endif /* __KSEE_DEMO_H */

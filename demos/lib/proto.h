/* SPDX-License-Identifier: MIT */
/*
 * Wire format between the demos and demos/ioserver: fixed 16-byte messages
 * in host byte order (the server is local only).  A client may pipeline
 * requests on one connection; replies come in deadline order, each echoing
 * the request id.
 */
#ifndef __KSEE_DEMO_PROTO_H
#define __KSEE_DEMO_PROTO_H

#include <stdint.h>

#define IOSRV_MAGIC		0x6b736565u	/* "ksee" */
#define IOSRV_MSG_SIZE		16
#define IOSRV_MAX_DELAY_MS	60000u

enum iosrv_status {
	IOSRV_OK = 0,
	IOSRV_EBADMAGIC = 1,	/* not a request; the server closes the connection */
	IOSRV_EDELAY = 2,	/* delay_ms > IOSRV_MAX_DELAY_MS; connection stays usable */
};

struct iosrv_req {
	uint64_t id;
	uint32_t delay_ms;
	uint32_t magic;		/* IOSRV_MAGIC */
};

struct iosrv_rep {
	uint64_t id;
	uint32_t status;	/* enum iosrv_status */
	uint32_t magic;		/* IOSRV_MAGIC */
};

_Static_assert(sizeof(struct iosrv_req) == IOSRV_MSG_SIZE, "request size");
_Static_assert(sizeof(struct iosrv_rep) == IOSRV_MSG_SIZE, "reply size");

#endif /* __KSEE_DEMO_PROTO_H */

/* SPDX-License-Identifier: MIT */
/* A binary min-heap of deadlines, for the ioserver's pending replies. */
#ifndef __KSEE_DEMO_TIMERHEAP_H
#define __KSEE_DEMO_TIMERHEAP_H

#include <stddef.h>
#include <stdint.h>

struct timer {
	uint64_t when_ns;	/* CLOCK_MONOTONIC deadline */
	uint64_t id;		/* request id to echo */
	uint32_t gen;		/* connection generation, to drop stale timers */
	int fd;
};

struct timerheap {
	struct timer *v;
	size_t n, cap;
};

/* 0 or -ENOMEM. */
int timerheap_push(struct timerheap *h, const struct timer *t);

/* The earliest timer, or NULL when empty. */
const struct timer *timerheap_top(const struct timerheap *h);

/* Remove the earliest timer into *t; 0, or -ENOENT when empty. */
int timerheap_pop(struct timerheap *h, struct timer *t);

void timerheap_free(struct timerheap *h);

#endif /* __KSEE_DEMO_TIMERHEAP_H */

// SPDX-License-Identifier: MIT
/* A binary min-heap of deadlines. */
#include <errno.h>
#include <stdlib.h>

#include "timerheap.h"

static void swap(struct timer *a, struct timer *b)
{
	struct timer t = *a;

	*a = *b;
	*b = t;
}

int timerheap_push(struct timerheap *h, const struct timer *t)
{
	size_t i, parent;

	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 256;
		struct timer *v = realloc(h->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	i = h->n++;
	h->v[i] = *t;
	while (i > 0) {
		parent = (i - 1) / 2;
		if (h->v[parent].when_ns <= h->v[i].when_ns)
			break;
		swap(&h->v[parent], &h->v[i]);
		i = parent;
	}
	return 0;
}

const struct timer *timerheap_top(const struct timerheap *h)
{
	return h->n ? &h->v[0] : NULL;
}

int timerheap_pop(struct timerheap *h, struct timer *t)
{
	size_t i = 0, l, r, min;

	if (!h->n)
		return -ENOENT;
	*t = h->v[0];
	h->v[0] = h->v[--h->n];
	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		min = i;
		if (l < h->n && h->v[l].when_ns < h->v[min].when_ns)
			min = l;
		if (r < h->n && h->v[r].when_ns < h->v[min].when_ns)
			min = r;
		if (min == i)
			break;
		swap(&h->v[min], &h->v[i]);
		i = min;
	}
	return 0;
}

void timerheap_free(struct timerheap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}

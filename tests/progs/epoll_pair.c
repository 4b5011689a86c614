// SPDX-License-Identifier: GPL-2.0-only
/*
 * epoll_pair: a datagram socketpair; the main thread registers its end
 * with epoll (level-triggered, EPOLLIN) and loops 10 times: epoll_wait
 * (one fd, so 1 event per return), then reads exactly one datagram. A
 * second thread ("writer") sleeps 10 ms before each of its 10 one-byte
 * writes. Main checks it got 10 datagrams, joins, exits 0.
 *
 * What the kernel should see: 2 tasks; main makes exactly 10 epoll_wait
 * calls returning 10 events in all; nearly every call blocks (the writer
 * waits 10 ms between writes), so main is off CPU about 100 ms with reason
 * "epoll"; the writer is off CPU about 100 ms in "sleep"; wakeup edges
 * writer -> main (about 10).
 * Checked with `strace -f -c` (10 epoll_wait, 10 recvfrom/read, 10 write).
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NMSG 10

static int sv[2];

static void *writer(void *arg)
{
	const struct timespec ts = { .tv_sec = 0, .tv_nsec = 10 * 1000 * 1000 };
	int i;

	(void)arg;
	pthread_setname_np(pthread_self(), "writer");
	for (i = 0; i < NMSG; i++) {
		nanosleep(&ts, NULL);
		if (write(sv[1], "m", 1) != 1)
			return (void *)1;
	}
	return NULL;
}

int main(void)
{
	struct epoll_event ev = { .events = EPOLLIN }, out;
	pthread_t th;
	void *ret;
	char c;
	int ep, i, got = 0;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv)) {
		perror("epoll_pair: socketpair");
		return 1;
	}
	ep = epoll_create1(0);
	ev.data.fd = sv[0];
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev)) {
		perror("epoll_pair: epoll");
		return 1;
	}
	if (pthread_create(&th, NULL, writer, NULL)) {
		fprintf(stderr, "epoll_pair: cannot create thread\n");
		return 1;
	}
	for (i = 0; i < NMSG; i++) {
		if (epoll_wait(ep, &out, 1, 5000) != 1)
			break;
		if (read(sv[0], &c, 1) == 1)
			got++;
	}
	pthread_join(th, &ret);
	if (got != NMSG || ret) {
		fprintf(stderr, "epoll_pair: got %d of %d messages\n", got, NMSG);
		return 1;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcp_pair ROUNDS: a client and a server process over loopback TCP. The
 * parent (the server, "tcp-server") listens on 127.0.0.1, forks the client
 * ("tcp-client"), accepts it and echoes each byte back; the client sends
 * ROUNDS bytes one by one, each time waiting in read for its echo, then
 * closes; the server reaps it, prints one line and exits.
 *
 * What the kernel sees: each send delivers the byte to the other end in
 * the sender's own context (loopback's receive runs as a NET_RX softirq
 * when the sender re-enables bottom halves in its send syscall), which
 * wakes the reader: about ROUNDS wakeups of the server by the client and
 * of the client by the server, done by the network stack on behalf of the
 * sender; a few by real interrupts (a softirq run on the way out of a
 * timer interrupt, or handed to ksoftirqd, under load).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void nodelay(int fd)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
		die("setsockopt");
}

static void client(const struct sockaddr_in *sa, long rounds)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char c = 'x';
	long i;

	prctl(PR_SET_NAME, "tcp-client");
	if (fd < 0 || connect(fd, (const struct sockaddr *)sa, sizeof(*sa)))
		die("connect");
	nodelay(fd);
	for (i = 0; i < rounds; i++) {
		if (write(fd, &c, 1) != 1 || read(fd, &c, 1) != 1)
			die("client");
	}
	close(fd);
	_exit(0);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	long rounds = argc > 1 ? atol(argv[1]) : 1000, n = 0;
	int lfd, fd, status;
	pid_t pid;
	char c;

	prctl(PR_SET_NAME, "tcp-server");
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len))
		die("listen");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid)
		client(&sa, rounds);
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		die("accept");
	nodelay(fd);
	while (read(fd, &c, 1) == 1) {
		if (write(fd, &c, 1) != 1)
			die("server");
		n++;
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	printf("tcp_pair: server %d echoed %ld bytes to client %d\n", getpid(), n, pid);
	return !(WIFEXITED(status) && !WEXITSTATUS(status) && n == rounds);
}

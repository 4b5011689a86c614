// SPDX-License-Identifier: MIT
/* Server address parsing, connect and listen. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "addr.h"

static int parse_tcp(const char *s, struct sockaddr_in *sin)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	unsigned long port;
	char *end;

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, colon - s);
	host[colon - s] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port > 65535)
		return -EINVAL;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		return -EINVAL;
	/* loopback only: 127.0.0.0/8 */
	if ((ntohl(sin->sin_addr.s_addr) >> 24) != 127)
		return -EINVAL;
	return 0;
}

int addr_parse(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)ss;
	int err;

	memset(ss, 0, sizeof(*ss));
	if (!strncmp(s, "tcp:", 4)) {
		err = parse_tcp(s + 4, (struct sockaddr_in *)ss);
		*len = sizeof(struct sockaddr_in);
		return err;
	}
	if (!strncmp(s, "unix:", 5))
		s += 5;
	else if (!strchr(s, '/'))
		return -EINVAL;
	if (!*s || strlen(s) >= sizeof(sun->sun_path))
		return -EINVAL;
	sun->sun_family = AF_UNIX;
	strcpy(sun->sun_path, s);
	*len = sizeof(*sun);
	return 0;
}

static int addr_socket(const struct sockaddr_storage *ss, bool nonblock)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);
	int one = 1;

	if (fd < 0)
		return -errno;
	if (ss->ss_family == AF_INET)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int addr_connect(const char *s, bool nonblock)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, err;

	err = addr_parse(s, &ss, &len);
	if (err)
		return err;
	/* connect blocking, so that a non-blocking fd is connected on return */
	fd = addr_socket(&ss, false);
	if (fd < 0)
		return fd;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	if (nonblock) {
		if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
			err = -errno;
			close(fd);
			return err;
		}
	}
	return fd;
}

int addr_listen(const char *s)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, err, one = 1;

	err = addr_parse(s, &ss, &len);
	if (err)
		return err;
	fd = addr_socket(&ss, true);
	if (fd < 0)
		return fd;
	if (ss.ss_family == AF_INET)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, SOMAXCONN) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int addr_format(int fd, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int n;

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		return -errno;
	if (ss.ss_family == AF_UNIX) {
		n = snprintf(buf, len, "unix:%s", ((struct sockaddr_un *)&ss)->sun_path);
	} else if (ss.ss_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		char host[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		n = snprintf(buf, len, "tcp:%s:%u", host, ntohs(sin->sin_port));
	} else {
		return -EAFNOSUPPORT;
	}
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
